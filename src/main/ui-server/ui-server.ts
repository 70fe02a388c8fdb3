/**
 * `driftlock serve --ui`: the same renderer and the same AppServices as the
 * desktop app, over loopback HTTP. POST /api/call/<name> carries one
 * DriftlockApi call, GET /api/events streams the events as server-sent events,
 * POST /api/upload stages a file the user dropped in the page, and
 * GET /api/download returns a bundle this server exported.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CallResult } from '../../shared/call-result';
import { isCallName } from '../../shared/channels';
import type { ExportResult } from '../../shared/dto';
import type { AppServices } from '../api/app-services';
import { dispatchCall } from '../api/dispatch';
import { allowedHosts, hostAllowed, originAllowed, presentedToken, tokenMatches } from './request-guard';
import { SECURITY_HEADERS, serveStatic } from './static-files';

export interface UiServerOptions {
  services: AppServices;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Fixed token for tests; a random one per run otherwise. */
  token?: string;
}

export interface UiServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_CALL_BODY = 1 << 20;

function json(res: ServerResponse, status: number, body: CallResult<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function refuse(res: ServerResponse, status: number, message: string): void {
  json(res, status, { ok: false, error: { code: 'forbidden', message } });
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A dropped file's name, made safe for a staging folder: no directories, no dot-files. */
function safeName(name: string | null): string {
  const base = path.basename(name ?? '').replace(/[^\w.\- ]/g, '_').replace(/^\.+/, '');
  return base.length > 0 ? base.slice(0, 200) : 'upload';
}

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const rendererDir = path.resolve(options.rendererDir);
  const index = await stat(path.join(rendererDir, 'index.html')).catch(() => null);
  if (!index) throw new Error(`${path.join(rendererDir, 'index.html')} not found: run \`npm run build\` first`);
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staging = await mkdtemp(path.join(os.tmpdir(), 'driftlock-uploads-'));
  const downloads = new Set<string>();
  const sseClients = new Set<ServerResponse>();
  let hosts = new Set<string>();

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!tokenMatches(presentedToken(req, url), token)) return refuse(res, 401, 'missing or wrong token: open the URL printed by `driftlock serve --ui`');
    const route = url.pathname.slice('/api/'.length);
    if (route.startsWith('call/') && req.method === 'POST') {
      const name = route.slice('call/'.length);
      if (!isCallName(name)) return json(res, 404, { ok: false, error: { code: 'not-found', message: `unknown call "${name}"` } });
      let payload: unknown;
      try {
        const body = await readBody(req, MAX_CALL_BODY);
        payload = body.length === 0 ? undefined : JSON.parse(body);
      } catch (err) {
        return json(res, 400, { ok: false, error: { code: 'invalid-payload', message: `${name}: ${(err as Error).message}` } });
      }
      const result = await dispatchCall(options.services, name, payload);
      if (result.ok && name === 'exportEvidence') downloads.add((result.value as ExportResult).path);
      return json(res, result.ok ? 200 : result.error.code === 'invalid-payload' ? 400 : 200, result);
    }
    if (route === 'events' && req.method === 'GET') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      const unsubscribe = options.services.events.subscribe((event, payload) => {
        res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
      });
      req.on('close', () => {
        unsubscribe();
        sseClients.delete(res);
      });
      return;
    }
    if (route === 'upload' && req.method === 'POST') {
      const dir = path.join(staging, randomUUID());
      const file = path.join(dir, safeName(url.searchParams.get('name')));
      await mkdir(dir);
      try {
        await pipeline(req, createWriteStream(file, { flags: 'wx' }));
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        return json(res, 400, { ok: false, error: { code: 'input', message: `upload failed: ${(err as Error).message}` } });
      }
      return json(res, 200, { ok: true, value: file });
    }
    if (route === 'download' && req.method === 'GET') {
      const file = url.searchParams.get('path') ?? '';
      if (!downloads.has(file)) return refuse(res, 403, 'only bundles exported in this session can be downloaded');
      const st = await stat(file).catch(() => null);
      if (!st) return json(res, 404, { ok: false, error: { code: 'not-found', message: `${file}: gone` } });
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/zip',
        'Content-Length': st.size,
        'Content-Disposition': `attachment; filename="${safeName(path.basename(file))}"`,
      });
      await pipeline(createReadStream(file), res);
      return;
    }
    return json(res, 404, { ok: false, error: { code: 'not-found', message: `no route ${req.method} ${url.pathname}` } });
  }

  const server = createServer((req, res) => {
    void (async () => {
      if (!hostAllowed(req, hosts)) return refuse(res, 421, 'wrong Host header: use the printed 127.0.0.1 URL');
      if (!originAllowed(req, hosts)) return refuse(res, 403, 'cross-origin requests are refused');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/api/')) return handleApi(req, res, url);
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
      if (!(await serveStatic(rendererDir, url.pathname, res))) {
        res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' });
        res.end('not found');
      }
    })().catch((err: Error) => {
      if (!res.headersSent) json(res, 500, { ok: false, error: { code: 'internal', message: err.message } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(port);
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    async close() {
      for (const client of sseClients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await rm(staging, { recursive: true, force: true });
    },
  };
}
