// The loopback HTTP mode on a real socket: who may call it, what it serves,
// and how files and events cross it. The services are the real AppServices
// (no case open: these checks do not need one).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../src/main/api/app-services';
import { startUiServer, type UiServer } from '../../src/main/ui-server/ui-server';
import { RENDERER_CSP_HEADER } from '../../src/shared/csp';

describe('serve --ui server', () => {
  let dir: string;
  let services: AppServices;
  let server: UiServer;
  let base: string;
  const auth = (): Record<string, string> => ({ Authorization: `Bearer ${server.token}` });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'driftlock-uiserver-'));
    const renderer = path.join(dir, 'renderer');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(renderer);
    writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(path.join(dir, 'secret.txt'), 'not for the browser');
    services = createAppServices({
      version: '9.9.9',
      transport: 'http',
      opener: { open: () => Promise.reject(new Error('no cases in this test')) },
      dataDir: dir,
      sampleLog: null,
    });
    server = await startUiServer({ services, port: 0, rendererDir: renderer });
    base = `http://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server.close();
    await services.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a URL that carries a fresh random token in its fragment', async () => {
    expect(server.url).toBe(`${base}/#token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const other = await startUiServer({ services, port: 0, rendererDir: path.join(dir, 'renderer') });
    expect(other.token).not.toBe(server.token);
    await other.close();
  });

  it('serves the renderer with the CSP header and nothing outside it', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP_HEADER);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      expect((await fetch(`${base}${p}`)).status, p).toBe(404);
    }
  });

  it('answers calls only with the token', async () => {
    const call = (headers: Record<string, string>) => fetch(`${base}/api/call/getAppInfo`, { method: 'POST', headers });
    expect((await call({})).status).toBe(401);
    expect((await call({ Authorization: 'Bearer nope' })).status).toBe(401);
    const ok = await call(auth());
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, value: { version: '9.9.9', transport: 'http', nativeDialogs: false, case: null } });
    const viaQuery = await fetch(`${base}/api/call/getAppInfo?token=${server.token}`, { method: 'POST' });
    expect(viaQuery.status).toBe(200);
  });

  it('refuses foreign Host headers (DNS rebinding) and cross-site origins', async () => {
    const status = (headers: Record<string, string>, p = '/'): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, path: p, method: 'GET', headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status({ Host: `evil.example:${server.port}` })).toBe(421);
    expect(await status({ Host: `localhost:${server.port}` })).toBe(200);
    const cross = await fetch(`${base}/api/call/getAppInfo`, { method: 'POST', headers: { ...auth(), Origin: 'http://evil.example' } });
    expect(cross.status).toBe(403);
  });

  it('validates payloads and names unknown calls', async () => {
    const bad = await fetch(`${base}/api/call/openCase`, { method: 'POST', headers: auth(), body: JSON.stringify({ path: 7 }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ ok: false, error: { code: 'invalid-payload', message: 'openCase.path: expected a string, got number' } });
    const notJson = await fetch(`${base}/api/call/openCase`, { method: 'POST', headers: auth(), body: '{' });
    expect(notJson.status).toBe(400);
    const unknown = await fetch(`${base}/api/call/deleteEverything`, { method: 'POST', headers: auth() });
    expect(unknown.status).toBe(404);
    const noCase = await fetch(`${base}/api/call/listStreams`, { method: 'POST', headers: auth() });
    expect(await noCase.json()).toMatchObject({ ok: false, error: { code: 'no-case' } });
  });

  it('stages an upload under a safe name, byte for byte', async () => {
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
    const res = await fetch(`${base}/api/upload?name=${encodeURIComponent('../../etc/passwd')}`, { method: 'POST', headers: auth(), body: bytes });
    const body = (await res.json()) as { ok: boolean; value: string };
    expect(body.ok).toBe(true);
    expect(path.basename(body.value)).toBe('passwd');
    expect(body.value.startsWith(os.tmpdir())).toBe(true);
    expect(new Uint8Array(readFileSync(body.value))).toEqual(bytes);
  });

  it('downloads only bundles exported in this session', async () => {
    const res = await fetch(`${base}/api/download?path=${encodeURIComponent(path.join(dir, 'secret.txt'))}&token=${server.token}`);
    expect(res.status).toBe(403);
  });

  it('streams events to subscribers as server-sent events', async () => {
    const res = await fetch(`${base}/api/events?token=${server.token}`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    services.events.emit('listenerStatus', {
      state: 'stopped',
      httpPort: null,
      grpcPort: null,
      received: 3,
      rejected: 0,
      rejectedRequests: 0,
      stored: 3,
      ratePerSec: 0,
      queueDepth: 0,
      error: null,
    });
    const complete = (): boolean => {
      const at = text.indexOf('event: listenerStatus');
      return at >= 0 && text.indexOf('\n\n', at) >= 0;
    };
    while (!complete()) text += decoder.decode((await reader.read()).value);
    const message = text.slice(text.indexOf('event: listenerStatus'));
    expect(message).toMatch(/^event: listenerStatus\ndata: \{.*"received":3.*\}\n\n/);
    await reader.cancel();
  });

  it('removes its staging folder when it closes', async () => {
    const other = await startUiServer({ services, port: 0, rendererDir: path.join(dir, 'renderer') });
    const res = await fetch(`http://127.0.0.1:${other.port}/api/upload?name=a.log`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${other.token}` },
      body: 'x',
    });
    const staged = ((await res.json()) as { value: string }).value;
    expect(existsSync(staged)).toBe(true);
    await other.close();
    expect(existsSync(staged)).toBe(false);
  });
});
