/**
 * DriftlockApi: everything the renderer can do. The preload exposes it as
 * `window.driftlock` (checked with `satisfies`), the HTTP client implements it
 * over loopback for `serve --ui`, and main implements the calls once in
 * src/main/api (AppServices) for both transports.
 */
import type { CallName, CallReply, CallRequest, EventName, EventPayload } from './channels';

/** The calls, one method per registry entry; a call without payload takes no argument. */
export type ApiCalls = {
  [K in CallName]: CallRequest<K> extends void ? () => Promise<CallReply<K>> : (request: CallRequest<K>) => Promise<CallReply<K>>;
};

export type Unsubscribe = () => void;

export interface ApiEvents {
  /** Subscribes to an event pushed by main; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe;
}

/**
 * Files the user dropped or picked in the page become paths main can read:
 * in Electron the preload asks `webUtils.getPathForFile`; in a browser the
 * HTTP client uploads them to a per-run staging folder of the server.
 */
export interface FileStaging {
  stageFiles(files: File[]): Promise<string[]>;
}

export type DriftlockApi = ApiCalls & ApiEvents & FileStaging;

declare global {
  interface Window {
    /** Present only inside the Electron app (set by the preload). */
    driftlock?: DriftlockApi;
  }
}
