/**
 * The renderer's only door to main: the preload's `window.driftlock` inside
 * Electron, otherwise the HTTP client for `serve --ui`.
 */
import type { DriftlockApi } from '../../shared/api';
import { createHttpClient, downloadUrl, readToken } from './http-client';

export interface Transport {
  api: DriftlockApi;
  /** In a browser: a link that downloads an exported bundle; null inside Electron. */
  downloadLink(path: string): string | null;
}

export function pickTransport(): Transport | { error: string } {
  if (window.driftlock) return { api: window.driftlock, downloadLink: () => null };
  const token = readToken();
  if (!token) return { error: 'This page needs the address printed by `driftlock serve --ui` (it carries an access token).' };
  return { api: createHttpClient(token), downloadLink: (path) => downloadUrl(token, path) };
}
