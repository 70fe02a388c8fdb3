import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeContentEncoding, HttpError, mediaType, readBody, send } from './http-body';
import { QueueClosedError, QueueFullError } from './ingest-queue';
import { OtlpFormatError } from './mapping/otlp-values';
import { encodeExportResponse, encodeStatus, exportResponseObject, type Encoding } from './otlp-codec';
import { ingestExport, SinkError, type ReceiverContext } from './otlp-ingest';
import type { Signal } from './proto-root';

/** OTLP/HTTP paths (the upstream *_http.yaml mappings). */
export const OTLP_PATHS: Record<string, Signal> = {
  '/v1/logs': 'logs',
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
};

const CONTENT_TYPES: Record<Encoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** gRPC status codes carried in the google.rpc.Status error bodies. */
const GRPC_CODE_FOR_HTTP: Record<number, number> = { 400: 3, 401: 16, 413: 8, 415: 3, 429: 8, 503: 14, 500: 13 };

function encodingOf(req: IncomingMessage): Encoding | undefined {
  const type = mediaType(req);
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/** Answers an error in the request's encoding, as the OTLP/HTTP spec asks (a google.rpc.Status). */
function sendStatus(ctx: ReceiverContext, req: IncomingMessage, res: ServerResponse, encoding: Encoding, status: number, message: string, headers: Record<string, string> = {}): void {
  const code = GRPC_CODE_FOR_HTTP[status] ?? 2;
  send(req, res, status, CONTENT_TYPES[encoding], encodeStatus(ctx.proto, encoding, code, message), headers);
}

/** POST /v1/logs | /v1/traces | /v1/metrics. */
export async function handleOtlpHttp(ctx: ReceiverContext, signal: Signal, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const encoding = encodingOf(req);
  if (!encoding) {
    ctx.stats.rejectedRequests.inc({ transport: 'http', reason: 'unsupported' });
    sendStatus(ctx, req, res, 'json', 415, `unsupported Content-Type "${req.headers['content-type'] ?? ''}" (use application/x-protobuf or application/json)`);
    return;
  }
  // Refuse before reading when the queue is already full: the cheapest 429.
  if (ctx.queue.depth >= ctx.queue.capacity) {
    ctx.stats.rejectedRequests.inc({ transport: 'http', reason: 'queue_full' });
    const after = ctx.queue.retryAfterSeconds();
    sendStatus(ctx, req, res, encoding, 429, `ingest queue is full; retry after ${after} s`, { 'Retry-After': String(after) });
    return;
  }
  try {
    const raw = await readBody(req, ctx.maxBodyBytes);
    const body = await decodeContentEncoding(raw, req.headers['content-encoding'], ctx.maxBodyBytes);
    const outcome = await ingestExport(ctx, signal, encoding, body, 'http');
    const response = exportResponseObject(signal, outcome);
    send(req, res, 200, CONTENT_TYPES[encoding], encodeExportResponse(ctx.proto, signal, encoding, response));
  } catch (err) {
    if (err instanceof HttpError) {
      const reason = err.status === 413 ? 'too_large' : err.status === 415 ? 'unsupported' : 'malformed';
      ctx.stats.rejectedRequests.inc({ transport: 'http', reason });
      sendStatus(ctx, req, res, encoding, err.status, err.message, err.headers);
    } else if (err instanceof OtlpFormatError) {
      sendStatus(ctx, req, res, encoding, 400, err.message);
    } else if (err instanceof QueueFullError) {
      sendStatus(ctx, req, res, encoding, 429, err.message, { 'Retry-After': String(err.retryAfterSeconds) });
    } else if (err instanceof QueueClosedError || err instanceof SinkError) {
      sendStatus(ctx, req, res, encoding, 503, err.message, { 'Retry-After': String(ctx.queue.retryAfterSeconds()) });
    } else {
      throw err;
    }
  }
}
