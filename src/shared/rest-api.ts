/**
 * The REST API of `driftlock serve` (DESIGN.md §7): request and response
 * bodies, declared once for the server (src/main/otlp) and its clients (the
 * renderer in `serve --ui` mode, scripts, tests). Pure types and constants;
 * rows are the case file's own (case-types.ts), not copies.
 */
import type { WindowResult } from '../core/types';
import type { AnomalyView, AuditRow, TriageStatus } from './case-types';

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

/** An anomaly as the API gives it: the case's anomaly view (triage row + window headline figures). */
export type AnomalyDto = AnomalyView;

/**
 * GET /v1/anomalies query parameters, all optional: `stream` (key, exact),
 * `status` (open | confirmed | dismissed), `from` / `to` (ms since the epoch
 * or ISO 8601: windows overlapping [from, to)), `analysis` (one analysis
 * id; default the current results), `limit` (1–1000, default 100),
 * `cursor` (from the previous page's nextCursor).
 */
export const ANOMALY_QUERY_PARAMS = ['stream', 'status', 'from', 'to', 'analysis', 'limit', 'cursor'] as const;
export const ANOMALY_PAGE_DEFAULT = 100;
export const ANOMALY_PAGE_MAX = 1000;

/** GET /v1/anomalies: newest first. */
export interface AnomalyListDto {
  anomalies: AnomalyDto[];
  /** Anomalies matching the filters, over all pages. */
  total: number;
  /** Pass as `cursor` for the next (older) page; null on the last page. Stable while anomalies are added. */
  nextCursor: string | null;
}

/** GET /v1/anomalies/{id}. */
export interface AnomalyDetailDto {
  anomaly: AnomalyDto;
  /** The window as the engine scored it: metrics, baseline range, top novel events, explanation. */
  window: WindowResult;
  /** Audit entries about this anomaly (triage), oldest first. */
  history: AuditRow[];
}

/** Triage actions, as in the app: confirm, dismiss, reopen (back to open), note (annotate only). */
export const FEEDBACK_ACTIONS = ['confirm', 'dismiss', 'reopen', 'note'] as const;
export type FeedbackAction = (typeof FEEDBACK_ACTIONS)[number];

/** The status each action sets (`note` keeps the status). */
export const FEEDBACK_STATUS: Readonly<Record<FeedbackAction, TriageStatus | null>> = { confirm: 'confirmed', dismiss: 'dismissed', reopen: 'open', note: null };

/** POST /v1/anomalies/{id}/feedback body. */
export interface FeedbackRequestDto {
  action: FeedbackAction;
  /** Replaces the anomaly's note ('' clears it); required for `note`. At most 4000 characters. */
  note?: string;
  /** Who decides, recorded in the audit log as `rest:<by>`; letters, digits and . _ @ - (at most 64). */
  by?: string;
}

/** POST /v1/anomalies/{id}/feedback answer, once the triage and its audit entry are committed. */
export interface FeedbackResponseDto {
  anomaly: AnomalyDto;
  audit: AuditRow;
}

/**
 * GET /v1/anomalies/stream: server-sent events. Each new anomaly is one
 * event `anomaly` whose `id:` is the anomaly id and whose data is an
 * AnomalyDto. A client that reconnects with Last-Event-ID (or `?after=ID`)
 * gets every anomaly after that id first, so none is missed. Takes the
 * `stream` and `status` filters of GET /v1/anomalies.
 */
export const ANOMALY_STREAM_EVENT = 'anomaly';

/**
 * GET /v1/evidence?anomaly=ID answers the signed bundle (application/zip)
 * with its SHA-256 in this header, as the audit log records it.
 */
export const EVIDENCE_SHA256_HEADER = 'X-Driftlock-Sha256';

/** Every non-2xx REST answer. */
export interface ErrorDto {
  error: string;
}

export const REST_API_VERSION = 1;
