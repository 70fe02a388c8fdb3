import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerMatches, hostAllowed } from './access-policy';
import { sendJson } from './http-body';
import { handleOtlpHttp, OTLP_PATHS } from './otlp-http';
import type { ReceiverContext } from './otlp-ingest';
import { sendRestError, type Route } from './rest-api';

export interface HttpReceiverOptions {
  host: string;
  port: number;
  token: string | undefined;
  routes: Route[];
  /** Where unexpected handler failures are reported (the request gets a 500, the server carries on). */
  onError: (err: Error) => void;
}

export interface HttpReceiver {
  server: Server;
  port: number;
  close(): Promise<void>;
}

async function dispatch(ctx: ReceiverContext, opts: HttpReceiverOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (opts.token !== undefined) {
    if (!bearerMatches(req.headers.authorization, opts.token)) {
      ctx.stats.rejectedRequests.inc({ transport: 'http', reason: 'unauthorized' });
      sendJson(req, res, 401, { error: 'missing or wrong bearer token (header "Authorization: Bearer <token>")' }, { 'WWW-Authenticate': 'Bearer' });
      return;
    }
  } else if (!hostAllowed(req.headers.host, opts.host)) {
    sendJson(req, res, 403, { error: `Host "${req.headers.host ?? ''}" is not this loopback server` });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const signal = OTLP_PATHS[url.pathname];
  if (signal) {
    if (req.method !== 'POST') {
      sendJson(req, res, 405, { error: `${url.pathname} takes POST` }, { Allow: 'POST' });
      return;
    }
    await handleOtlpHttp(ctx, signal, req, res);
    return;
  }
  let pathMatched = false;
  for (const route of opts.routes) {
    const m = route.pattern.exec(url.pathname);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== req.method) continue;
    try {
      await route.handler(req, res, m.slice(1), url);
    } catch (err) {
      sendRestError(ctx, req, res, err);
    }
    return;
  }
  if (pathMatched) sendJson(req, res, 405, { error: `${req.method} is not allowed on ${url.pathname}` });
  else sendJson(req, res, 404, { error: `no route ${req.method} ${url.pathname}` });
}

/** OTLP/HTTP and the REST API on one node:http server. */
export async function startHttpReceiver(ctx: ReceiverContext, opts: HttpReceiverOptions): Promise<HttpReceiver> {
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 30_000, keepAliveTimeout: 10_000 }, (req, res) => {
    dispatch(ctx, opts, req, res).catch((err: unknown) => {
      opts.onError(err instanceof Error ? err : new Error(String(err)));
      if (!res.headersSent) sendJson(req, res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  // A client that sends garbage at the HTTP level gets 400 from Node; it must not take the server down.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new Error(`OTLP/HTTP cannot listen on ${opts.host}:${opts.port}: ${err.message}`));
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Long-lived responses (server-sent events) end with the grace period.
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      }),
  };
}
