// The desktop hardening, asserted on the code that applies it: the options
// main-window.ts passes to `new BrowserWindow`, the session and contents
// handlers from security.ts, the IPC sender check, the renderer's CSP, and
// what the preload puts on `window`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RENDERER_CSP, RENDERER_CSP_HEADER } from '../../src/shared/csp';
import { CALL_NAMES, CALLS, EVENTS } from '../../src/shared/channels';
import { APP_URL } from '../../src/main/app-origin';
import { registerIpc, senderAllowed } from '../../src/main/ipc';
import { hardenContents, hardenSession } from '../../src/main/security';
import { mainWindowOptions } from '../../src/main/window-options';
import type { ApiCalls } from '../../src/shared/api';

const root = path.resolve(import.meta.dirname, '../..');

describe('BrowserWindow options', () => {
  const options = mainWindowOptions('/app/out/preload/index.cjs');
  const web = options.webPreferences!;

  it('isolates the renderer: context isolation, sandbox, no Node', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
    expect(web.preload).toBe('/app/out/preload/index.cjs');
  });

  it('is the function main-window.ts builds the window from', () => {
    const source = readFileSync(path.join(root, 'src/main/main-window.ts'), 'utf8');
    expect(source).toMatch(/new BrowserWindow\(mainWindowOptions\(preloadPath\)\)/);
    expect(source).toMatch(/hardenContents\(win\.webContents/);
    // No other file constructs a window.
    const index = readFileSync(path.join(root, 'src/main/index.ts'), 'utf8');
    expect(index).not.toMatch(/new BrowserWindow/);
  });
});

describe('Content-Security-Policy', () => {
  const directives = (csp: string): Map<string, string> =>
    new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v.join(' ')]));

  it('starts from default-src none and allows only the app itself', () => {
    const d = directives(RENDERER_CSP);
    expect(d.get('default-src')).toBe("'none'");
    expect(d.get('script-src')).toBe("'self'");
    expect(d.get('style-src')).toBe("'self'");
    expect(d.get('connect-src')).toBe("'self'");
    expect(d.get('object-src')).toBe("'none'");
    for (const v of d.values()) expect(v).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(directives(RENDERER_CSP_HEADER).get('frame-ancestors')).toBe("'none'");
  });

  it('is the policy in the renderer HTML meta tag', () => {
    const html = readFileSync(path.join(root, 'src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(RENDERER_CSP);
  });

  it('is sent as a header on every response of the session, with no permissions granted', () => {
    let headers: ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined;
    let requestHandler: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let checkHandler: (() => boolean) | undefined;
    let deviceHandler: (() => boolean) | undefined;
    const session = {
      setPermissionRequestHandler: (h: typeof requestHandler) => (requestHandler = h),
      setPermissionCheckHandler: (h: typeof checkHandler) => (checkHandler = h),
      setDevicePermissionHandler: (h: typeof deviceHandler) => (deviceHandler = h),
      webRequest: { onHeadersReceived: (h: typeof headers) => (headers = h) },
    };
    hardenSession(session as never);
    const granted: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) requestHandler!(null, p, (g) => granted.push(g));
    expect(granted).toEqual([false, false, false, false, false]);
    expect(checkHandler!()).toBe(false);
    expect(deviceHandler!()).toBe(false);
    let out: Record<string, string[]> | undefined;
    headers!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (out = r.responseHeaders));
    expect(out!['Content-Security-Policy']).toEqual([RENDERER_CSP_HEADER]);
    expect(out!['Content-Type']).toEqual(['text/html']);
  });
});

describe('web contents', () => {
  function fakeContents() {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const contents = {
      setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
      on: (name: string, l: (event: { preventDefault(): void }, url: string) => void) => listeners.set(name, l),
    };
    hardenContents(contents as never, undefined);
    const navigate = (name: string, url: string): boolean => {
      let prevented = false;
      listeners.get(name)!({ preventDefault: () => (prevented = true) }, url);
      return !prevented;
    };
    return { openHandler: openHandler!, navigate };
  }

  it('denies every window.open', () => {
    const { openHandler } = fakeContents();
    expect(openHandler({ url: 'https://example.com' }).action).toBe('deny');
    expect(openHandler({ url: APP_URL }).action).toBe('deny');
  });

  it('allows navigation only within the app', () => {
    const { navigate } = fakeContents();
    expect(navigate('will-navigate', 'app://driftlock/index.html')).toBe(true);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://evil/index.html', 'http://127.0.0.1:5173/', 'javascript:alert(1)']) {
      expect(navigate('will-navigate', url), url).toBe(false);
      expect(navigate('will-redirect', url), url).toBe(false);
    }
    expect(navigate('will-attach-webview', 'app://driftlock/')).toBe(false);
  });
});

describe('IPC', () => {
  const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } as never });

  it('accepts only the app page as sender', () => {
    expect(senderAllowed(frame(APP_URL), undefined)).toBe(true);
    expect(senderAllowed(frame('https://evil.example/'), undefined)).toBe(false);
    expect(senderAllowed(frame(APP_URL, {}), undefined)).toBe(false);
    expect(senderAllowed({ senderFrame: null } as never, undefined)).toBe(false);
    expect(senderAllowed(frame('http://localhost:5173/'), undefined)).toBe(false);
    expect(senderAllowed(frame('http://localhost:5173/'), 'http://localhost:5173')).toBe(true);
  });

  it('registers one handler per registry call, refusing foreign senders and bad payloads before the service runs', async () => {
    const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
    const ipcMain = { handle: (c: string, h: never) => handlers.set(c, h), removeHandler: vi.fn() };
    const openCase = vi.fn(async () => ({ path: '/x' }));
    registerIpc(ipcMain as never, { openCase } as unknown as ApiCalls, undefined);
    expect([...handlers.keys()].sort()).toEqual(CALL_NAMES.map((n) => CALLS[n].channel).sort());
    const h = handlers.get(CALLS.openCase.channel)!;
    expect(await h(frame('https://evil.example/'), { path: '/x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await h(frame(APP_URL), { path: 42 })).toMatchObject({ ok: false, error: { code: 'invalid-payload', message: 'openCase.path: expected a string, got number' } });
    expect(openCase).not.toHaveBeenCalled();
    expect(await h(frame(APP_URL), { path: '/x' })).toEqual({ ok: true, value: { path: '/x' } });
    expect(openCase).toHaveBeenCalledTimes(1);
  });
});

describe('preload', () => {
  it('exposes exactly one global, `driftlock`, with the registry calls, `on` and `stageFiles`', async () => {
    const exposed: Array<[string, Record<string, unknown>]> = [];
    const invoke = vi.fn(async () => ({ ok: true, value: 'pong' }));
    const on = vi.fn();
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push([key, api]) },
      ipcRenderer: { invoke, on, removeListener: vi.fn() },
      webUtils: { getPathForFile: (f: { name: string }) => `/staged/${f.name}` },
    }));
    await import('../../src/preload/index');
    expect(exposed.map(([k]) => k)).toEqual(['driftlock']);
    const api = exposed[0]![1];
    expect(Object.keys(api).sort()).toEqual([...CALL_NAMES, 'on', 'stageFiles'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.values(api)).not.toContain(invoke);
    await (api['getAppInfo'] as () => Promise<unknown>)();
    expect(invoke).toHaveBeenCalledWith(CALLS.getAppInfo.channel, undefined);
    (api['on'] as (e: string, l: () => void) => void)('caseChanged', () => undefined);
    expect(on).toHaveBeenCalledWith(EVENTS.caseChanged.channel, expect.any(Function));
    expect(await (api['stageFiles'] as (f: Array<{ name: string }>) => Promise<string[]>)([{ name: 'a.log' }])).toEqual(['/staged/a.log']);
  });
});
