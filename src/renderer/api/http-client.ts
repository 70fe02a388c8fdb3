/**
 * DriftlockApi over loopback HTTP, for the same UI in a browser against
 * `driftlock serve --ui`. The token arrives in the URL fragment (never sent
 * to the server in a Referer or a log) and is kept for this tab only.
 */
import type { ApiCalls, DriftlockApi } from '../../shared/api';
import { ApiError, unwrap, type CallResult } from '../../shared/call-result';
import { CALL_NAMES, type CallName, type EventName, type EventPayload } from '../../shared/channels';

const TOKEN_KEY = 'driftlock.token';

export function readToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]!));
    // Keep the token out of the address bar, screenshots and bookmarks.
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

async function post<T>(token: string, path: string, body: BodyInit | undefined, contentType: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType }, body: body ?? null });
  } catch (err) {
    throw new ApiError('unavailable', `The Driftlock server does not answer (${(err as Error).message}). Is \`driftlock serve --ui\` still running?`);
  }
  let result: CallResult<T>;
  try {
    result = (await response.json()) as CallResult<T>;
  } catch {
    throw new ApiError('internal', `${path}: the server answered ${response.status} without a result`);
  }
  return unwrap(result);
}

export function createHttpClient(token: string): DriftlockApi {
  const calls = Object.fromEntries(
    CALL_NAMES.map((name: CallName) => [
      name,
      (request?: unknown) => post(token, `/api/call/${name}`, request === undefined ? undefined : JSON.stringify(request), 'application/json'),
    ]),
  ) as unknown as ApiCalls; // built from the registry, one entry per CallName: the mapped type cannot be inferred from fromEntries
  let source: EventSource | null = null;
  const events = (): EventSource => (source ??= new EventSource(`/api/events?token=${encodeURIComponent(token)}`));
  return {
    ...calls,
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const handler = (e: MessageEvent<string>): void => listener(JSON.parse(e.data) as EventPayload<E>);
      const es = events();
      es.addEventListener(event, handler);
      return () => es.removeEventListener(event, handler);
    },
    async stageFiles(files: File[]) {
      const paths: string[] = [];
      for (const file of files) {
        paths.push(await post<string>(token, `/api/upload?name=${encodeURIComponent(file.name)}`, file, 'application/octet-stream'));
      }
      return paths;
    },
  };
}

/** Link that downloads a bundle exported in this session (browser mode only). */
export function downloadUrl(token: string, path: string): string {
  return `/api/download?path=${encodeURIComponent(path)}&token=${encodeURIComponent(token)}`;
}
