/**
 * The REST API of `driftlock serve` (DESIGN.md §7): request and response
 * bodies, declared once for the server (src/main/otlp) and its clients (the
 * renderer in `serve --ui` mode, scripts, tests). Pure types and constants.
 */

/** GET /healthz: the process is up. */
export interface HealthDto {
  status: 'ok';
}

/** GET /readyz: 200 when ready, 503 with the reason otherwise. */
export interface ReadyDto {
  ready: boolean;
  /** The case file is open. */
  store: boolean;
  /** The analysis workers are up. */
  workers: boolean;
  reason?: string;
}

/** GET /v1/version. */
export interface VersionDto {
  name: 'driftlock';
  version: string;
  /** Version of the REST API (bumped on breaking change). */
  api: number;
  /** The vendored OTLP protocol release. */
  otlpProto: string;
}

export type EventFieldValue = string | number | boolean;

/** One event posted to POST /v1/events. */
export interface EventInputDto {
  /** Stream key; events of one stream share a baseline. */
  stream: string;
  text: string;
  /** Milliseconds since the epoch, or an ISO 8601 string; receive time when absent. */
  timestamp?: number | string;
  fields?: Record<string, EventFieldValue>;
}

/** POST /v1/events body. */
export interface PostEventsRequestDto {
  events: EventInputDto[];
}

/** POST /v1/events answer, sent once the events are durable. */
export interface PostEventsResponseDto {
  accepted: number;
}

/** Every non-2xx REST answer. */
export interface ErrorDto {
  error: string;
}

export const REST_API_VERSION = 1;
