import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRIAGE_STATUSES, type TriageStatus } from '../../shared/case-types';
import {
  ANOMALY_PAGE_DEFAULT,
  ANOMALY_PAGE_MAX,
  ANOMALY_QUERY_PARAMS,
  EVIDENCE_SHA256_HEADER,
  FEEDBACK_ACTIONS,
  FEEDBACK_STATUS,
  type AnomalyDetailDto,
  type AnomalyListDto,
  type FeedbackAction,
  type FeedbackRequestDto,
  type FeedbackResponseDto,
} from '../../shared/rest-api';
import { triageAnomaly } from '../audit/audited-changes';
import type { AnomaliesQuery, AnomalyFilter, CaseStore } from '../store';
import type { AnomalyFeed } from './anomaly-feed';
import { HttpError, sendJson } from './http-body';
import type { ReceiverContext } from './otlp-ingest';
import { readJsonBody, type Route } from './rest-api';

/** Builds the signed evidence bundle of one anomaly; an HttpError (409) when the case cannot support one. */
export type EvidenceExporter = (anomalyId: number) => Promise<{ fileName: string; bytes: Uint8Array; sha256: string }>;

export interface AnomalyRoutesDeps {
  store: CaseStore;
  anomalies: AnomaliesQuery;
  feed: AnomalyFeed;
  evidence?: EvidenceExporter;
}

const MAX_NOTE = 4000;
const BY = /^[\w.@-]{1,64}$/;

function intParam(url: URL, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new HttpError(400, `${name}: expected a whole number from ${min} to ${max}, got "${v.slice(0, 40)}"`);
  return Number(v);
}

function timeParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  const t = /^-?\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(t)) throw new HttpError(400, `${name}: expected milliseconds since the epoch or an ISO 8601 time, got "${v.slice(0, 40)}"`);
  return t;
}

function statusParam(url: URL): TriageStatus | undefined {
  const v = url.searchParams.get('status');
  if (v === null) return undefined;
  if (!(TRIAGE_STATUSES as readonly string[]).includes(v)) throw new HttpError(400, `status: expected one of ${TRIAGE_STATUSES.join(', ')}, got "${v.slice(0, 40)}"`);
  return v as TriageStatus;
}

/** The list filters shared by the list and the event stream; unknown parameters are refused (a typo must not widen a query). */
function filterOf(url: URL, allowed: readonly string[]): AnomalyFilter {
  for (const k of url.searchParams.keys()) {
    if (!allowed.includes(k)) throw new HttpError(400, `unknown query parameter "${k.slice(0, 40)}" (allowed: ${allowed.join(', ')})`);
  }
  const f: AnomalyFilter = {};
  const stream = url.searchParams.get('stream');
  if (stream !== null) f.stream = stream;
  const status = statusParam(url);
  if (status) f.status = status;
  const from = timeParam(url, 'from');
  if (from !== undefined) f.from = from;
  const to = timeParam(url, 'to');
  if (to !== undefined) f.to = to;
  const analysis = intParam(url, 'analysis', 1);
  if (analysis !== undefined) f.analysisId = analysis;
  return f;
}

function anomalyId(params: string[]): number {
  const id = Number(params[0]);
  if (!Number.isSafeInteger(id) || id < 1) throw new HttpError(404, `no anomaly ${params[0]}`);
  return id;
}

/** Validates a feedback body, naming the bad field. */
export function parseFeedback(value: unknown): FeedbackRequestDto {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'body: expected a JSON object {"action": ...}');
  const v = value as Record<string, unknown>;
  if (typeof v.action !== 'string' || !(FEEDBACK_ACTIONS as readonly string[]).includes(v.action)) {
    throw new HttpError(400, `action: expected one of ${FEEDBACK_ACTIONS.join(', ')}`);
  }
  const out: FeedbackRequestDto = { action: v.action as FeedbackAction };
  if (v.note !== undefined && v.note !== null) {
    if (typeof v.note !== 'string') throw new HttpError(400, 'note: expected a string');
    if (v.note.length > MAX_NOTE) throw new HttpError(400, `note: longer than ${MAX_NOTE} characters`);
    out.note = v.note;
  }
  if (out.action === 'note' && out.note === undefined) throw new HttpError(400, 'note: required for action "note"');
  if (v.by !== undefined && v.by !== null) {
    if (typeof v.by !== 'string' || !BY.test(v.by)) throw new HttpError(400, 'by: expected 1–64 letters, digits or . _ @ -');
    out.by = v.by;
  }
  return out;
}

/** GET /v1/anomalies, /v1/anomalies/stream, /v1/anomalies/{id}, POST /v1/anomalies/{id}/feedback, GET /v1/evidence. */
export function anomalyRoutes(ctx: ReceiverContext, deps: AnomalyRoutesDeps): Route[] {
  const { store, anomalies, feed } = deps;
  return [
    {
      method: 'GET',
      pattern: /^\/v1\/anomalies$/,
      handler: (req, res, _params, url) => {
        const filter = filterOf(url, ANOMALY_QUERY_PARAMS);
        const limit = intParam(url, 'limit', 1, ANOMALY_PAGE_MAX) ?? ANOMALY_PAGE_DEFAULT;
        const cursor = url.searchParams.get('cursor');
        if (cursor !== null && !/^[1-9]\d{0,15}$/.test(cursor)) throw new HttpError(400, 'cursor: not a cursor from this API (use nextCursor of the previous page)');
        const page = anomalies.page(filter, limit, cursor === null ? undefined : Number(cursor));
        sendJson(req, res, 200, { anomalies: page.anomalies, total: page.total, nextCursor: page.nextBeforeId === null ? null : String(page.nextBeforeId) } satisfies AnomalyListDto);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/anomalies\/stream$/,
      handler: (req: IncomingMessage, res: ServerResponse, _params, url) => {
        const filter = filterOf(url, ['stream', 'status', 'after']);
        const header = req.headers['last-event-id'];
        const after = typeof header === 'string' && /^\d{1,16}$/.test(header.trim()) ? Number(header.trim()) : intParam(url, 'after', 0);
        feed.open(req, res, filter, after);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/anomalies\/([^/]+)$/,
      handler: (req, res, params) => {
        const id = anomalyId(params);
        const found = anomalies.get(id);
        if (!found) throw new HttpError(404, `no anomaly ${id}`);
        sendJson(req, res, 200, { anomaly: found.anomaly, window: found.window.result, history: store.audit.forSubject(`anomaly:${id}`) } satisfies AnomalyDetailDto);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/anomalies\/([^/]+)\/feedback$/,
      handler: async (req, res, params) => {
        const id = anomalyId(params);
        const feedback = parseFeedback((await readJsonBody(ctx, req)).value);
        if (!anomalies.get(id)) throw new HttpError(404, `no anomaly ${id}`);
        const status = FEEDBACK_STATUS[feedback.action];
        // The app's own triage (src/main/audit/audited-changes.ts): the change and its audit entry in one transaction.
        triageAnomaly(
          store,
          id,
          { ...(status ? { status } : {}), ...(feedback.note !== undefined ? { note: feedback.note === '' ? null : feedback.note } : {}) },
          feedback.by ? `rest:${feedback.by}` : 'rest',
        );
        const audit = store.audit.lastFor(`anomaly:${id}`)!;
        sendJson(req, res, 200, { anomaly: anomalies.get(id)!.anomaly, audit } satisfies FeedbackResponseDto);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/evidence$/,
      handler: async (req, res, _params, url) => {
        const raw = url.searchParams.get('anomaly');
        if (raw === null || !/^[1-9]\d{0,15}$/.test(raw)) throw new HttpError(400, 'anomaly: expected an anomaly id (GET /v1/evidence?anomaly=ID)');
        const id = Number(raw);
        if (!anomalies.get(id)) throw new HttpError(404, `no anomaly ${id}`);
        if (!deps.evidence) throw new HttpError(501, 'evidence export is not configured on this server (no data directory for the signing key)');
        const bundle = await deps.evidence(id);
        res.writeHead(200, {
          'Content-Type': 'application/zip',
          'Content-Length': String(bundle.bytes.byteLength),
          'Content-Disposition': `attachment; filename="${bundle.fileName.replace(/[^\w.-]/g, '_')}"`,
          // The bundle's own hash, as the audit log records it: a client can check what it received.
          [EVIDENCE_SHA256_HEADER]: bundle.sha256,
        });
        res.end(bundle.bytes);
      },
    },
  ];
}
