/**
 * The one way a renderer reaches the services: every call in the registry
 * gets one handler here, which checks that the sender frame is the app's own
 * page and then validates the payload (dispatchCall) before any service runs.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ApiCalls } from '../shared/api';
import type { CallResult } from '../shared/call-result';
import { CALL_NAMES, CALLS } from '../shared/channels';
import { dispatchCall } from './api/dispatch';
import { isAppUrl } from './app-origin';

export function senderAllowed(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, devServer: string | undefined): boolean {
  const frame = event.senderFrame;
  // A frame that navigated away or was destroyed has no trustworthy URL.
  return frame !== null && frame.parent === null && isAppUrl(frame.url, devServer);
}

export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, calls: ApiCalls, devServer: string | undefined): void {
  for (const name of CALL_NAMES) {
    const channel = CALLS[name].channel;
    // One owner per channel: replacing keeps a reloaded main from double-registering.
    ipcMain.removeHandler(channel);
    ipcMain.handle(channel, async (event, payload: unknown): Promise<CallResult<unknown>> => {
      if (!senderAllowed(event, devServer)) {
        return { ok: false, error: { code: 'forbidden', message: `${name}: refused, the sender is not the Driftlock window` } };
      }
      return dispatchCall(calls, name, payload);
    });
  }
}
