/**
 * The other services the app calls: evidence bundles and keys, the OTLP
 * listener and native dialogs. Each is passed in by the entry point (Electron
 * or `serve --ui`); a missing one answers `unavailable` with a reason.
 */
import type { KeyInfo, ListenerStatus, VerifyResult } from '../../shared/dto';
import type { CasePort } from './case-port';

/** Verification and the signing key: case-independent (exports are made by the case, CasePort.exportBundle). */
export interface EvidencePort {
  verifyBundle(path: string): Promise<VerifyResult>;
  keyInfo(): Promise<KeyInfo>;
  /** Makes an organisation key the signing key; `casePort` records the change in its audit log. */
  importKey(pem: string, casePort: CasePort | null, actor: string): Promise<KeyInfo>;
}

/** The local OTLP receiver, writing into one open case at a time. */
export interface ListenerPort {
  status(): ListenerStatus;
  /**
   * Starts receiving into `casePort` on loopback (0 = any free port); resolves
   * once both ports are bound. Already listening: the current status. A port
   * that cannot be bound rejects with an ApiError naming it (the status says
   * `error` with the same words); nothing is left running.
   */
  start(casePort: CasePort, ports: { httpPort: number; grpcPort: number }): Promise<ListenerStatus>;
  /**
   * Stops accepting, drains the queue into the case, finishes the live
   * analysis and closes the session's sources. The case stays open (it is its
   * owner's). Stopped already: clears a start error.
   */
  stop(): Promise<ListenerStatus>;
  /** Called on every state or counter change. */
  onStatus(listener: (status: ListenerStatus) => void): () => void;
  /** Called after the live analysis commits new anomalies to the case (their count). */
  onAnomalies(listener: (count: number) => void): () => void;
}

/** What a listener reports before its first session. */
export const LISTENER_STOPPED: Readonly<ListenerStatus> = Object.freeze({
  state: 'stopped',
  httpPort: null,
  grpcPort: null,
  received: 0,
  rejected: 0,
  rejectedRequests: 0,
  stored: 0,
  ratePerSec: 0,
  queueDepth: 0,
  error: null,
});

export type DialogPurpose = 'open-case' | 'new-case' | 'import' | 'save-bundle' | 'verify-bundle';

export interface DialogPort {
  choose(purpose: DialogPurpose, defaultName?: string): Promise<string[] | null>;
}
