import type { IncomingMessage, ServerResponse } from 'node:http';
import { REST_API_VERSION, type EventInputDto, type HealthDto, type PostEventsResponseDto, type ReadyDto, type VersionDto } from '../../shared/rest-api';
import type { FieldValue, ReceivedEvent } from './event-sink';
import { decodeContentEncoding, HttpError, mediaType, readBody, send, sendJson } from './http-body';
import { QueueClosedError, QueueFullError } from './ingest-queue';
import { NotFoundError } from '../store/not-found';
import { setOwnField } from '../../shared/own-field';
import { submitEvents, SinkError, type ReceiverContext } from './otlp-ingest';

/** The vendored OTLP release (resources/proto/README.md). */
export const OTLP_PROTO_VERSION = 'v1.11.0';

/** What the REST routes need from the rest of the app. */
export interface RestBackend {
  version: string;
  readiness(): ReadyDto;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, params: string[], url: URL) => Promise<void> | void;

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: RouteHandler;
}

const MAX_STREAM_LENGTH = 512;

/** Validates a POST /v1/events body, naming the first bad field. */
export function parseEventsRequest(value: unknown, receivedAt: number): ReceivedEvent[] {
  const fail = (path: string, reason: string): never => {
    throw new HttpError(400, `${path}: ${reason}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('body', 'expected a JSON object {"events": [...]}');
  const list = (value as { events?: unknown }).events;
  if (!Array.isArray(list)) fail('events', 'expected an array');
  return (list as unknown[]).map((item, i): ReceivedEvent => {
    const path = `events[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) fail(path, 'expected an object');
    const e = item as Partial<Record<keyof EventInputDto, unknown>>;
    if (typeof e.stream !== 'string' || e.stream === '') fail(`${path}.stream`, 'expected a non-empty string');
    if ((e.stream as string).length > MAX_STREAM_LENGTH) fail(`${path}.stream`, `longer than ${MAX_STREAM_LENGTH} characters`);
    if (typeof e.text !== 'string') fail(`${path}.text`, 'expected a string');
    let timestamp = receivedAt;
    if (typeof e.timestamp === 'number' && Number.isFinite(e.timestamp)) timestamp = e.timestamp;
    else if (typeof e.timestamp === 'string') {
      timestamp = Date.parse(e.timestamp);
      if (Number.isNaN(timestamp)) fail(`${path}.timestamp`, `not an ISO 8601 time: "${e.timestamp.slice(0, 40)}"`);
    } else if (e.timestamp !== undefined && e.timestamp !== null) fail(`${path}.timestamp`, 'expected milliseconds since the epoch or an ISO 8601 string');
    const fields: Record<string, FieldValue> = {};
    if (e.fields !== undefined && e.fields !== null) {
      if (typeof e.fields !== 'object' || Array.isArray(e.fields)) fail(`${path}.fields`, 'expected an object');
      for (const k of Object.keys(e.fields as object).sort()) {
        const v = (e.fields as Record<string, unknown>)[k];
        if (typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) {
          fail(`${path}.fields.${k}`, 'expected a string, finite number or boolean');
        }
        setOwnField(fields, k, v as FieldValue);
      }
    }
    return { stream: e.stream as string, text: e.text as string, timestamp, kind: 'event', fields };
  });
}

/** Reads a JSON request body (Content-Type must say JSON: a cross-site form post cannot). */
export async function readJsonBody(ctx: ReceiverContext, req: IncomingMessage): Promise<{ value: unknown; bytes: number }> {
  if (mediaType(req) !== 'application/json') throw new HttpError(415, 'Content-Type must be application/json');
  const raw = await readBody(req, ctx.maxBodyBytes);
  const body = await decodeContentEncoding(raw, req.headers['content-encoding'], ctx.maxBodyBytes);
  try {
    return { value: JSON.parse(body.toString('utf8')) as unknown, bytes: body.length };
  } catch (err) {
    throw new HttpError(400, `invalid JSON: ${(err as Error).message}`);
  }
}

/** The routes that need only the receiver: health, readiness, version, metrics, posting events. */
export function baseRoutes(ctx: ReceiverContext, backend: RestBackend): Route[] {
  return [
    { method: 'GET', pattern: /^\/healthz$/, handler: (req, res) => sendJson(req, res, 200, { status: 'ok' } satisfies HealthDto) },
    {
      method: 'GET',
      pattern: /^\/readyz$/,
      handler: (req, res) => {
        const r = ctx.stopping ? { ...backend.readiness(), ready: false, reason: 'shutting down' } : backend.readiness();
        sendJson(req, res, r.ready ? 200 : 503, r);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/version$/,
      handler: (req, res) =>
        sendJson(req, res, 200, { name: 'driftlock', version: backend.version, api: REST_API_VERSION, otlpProto: OTLP_PROTO_VERSION } satisfies VersionDto),
    },
    {
      method: 'GET',
      pattern: /^\/metrics$/,
      handler: (req, res) => send(req, res, 200, 'text/plain; version=0.0.4; charset=utf-8', ctx.stats.registry.render()),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/events$/,
      handler: async (req, res) => {
        if (ctx.stopping) {
          ctx.stats.rejectedRequests.inc({ transport: 'rest', reason: 'unavailable' });
          throw new QueueClosedError();
        }
        if (ctx.queue.depth >= ctx.queue.capacity) {
          ctx.stats.rejectedRequests.inc({ transport: 'rest', reason: 'queue_full' });
          throw new QueueFullError(ctx.queue.retryAfterSeconds());
        }
        const body = await readJsonBody(ctx, req);
        const events = parseEventsRequest(body.value, ctx.now());
        ctx.stats.received.inc({ signal: 'events', transport: 'rest' }, events.length);
        await submitEvents(ctx, events, body.bytes, 'events', 'rest');
        sendJson(req, res, 200, { accepted: events.length } satisfies PostEventsResponseDto);
      },
    },
  ];
}

/** Maps a REST failure to its JSON error answer (ErrorDto). */
export function sendRestError(ctx: ReceiverContext, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (err instanceof HttpError) sendJson(req, res, err.status, { error: err.message }, err.headers);
  else if (err instanceof NotFoundError) sendJson(req, res, 404, { error: err.message });
  else if (err instanceof QueueFullError) sendJson(req, res, 429, { error: err.message }, { 'Retry-After': String(err.retryAfterSeconds) });
  else if (err instanceof QueueClosedError || err instanceof SinkError) {
    sendJson(req, res, 503, { error: err.message }, { 'Retry-After': String(ctx.queue.retryAfterSeconds()) });
  } else throw err;
}
