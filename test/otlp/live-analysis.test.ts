// Live analysis and the anomaly REST API against a real `driftlock serve`
// process and its case file: a templated service log with a burst of unseen
// lines is posted with its own timestamps; the worker pool analyses it in
// time windows as it arrives, the burst is flagged, announced on the
// server-sent event stream (read by a real EventSource client), listed,
// triaged through the REST API and audited in the hash chain.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templatedLog } from '../../scripts/lib/templated-log';
import { benjaminiHochberg } from '../../src/core';
import { verifyBundle } from '../../src/main/evidence/verify-bundle';
import { CaseStore } from '../../src/main/store';
import type { AnomalyDetailDto, AnomalyDto, AnomalyListDto, FeedbackResponseDto } from '../../src/shared/rest-api';
import { sendLogs } from './helpers/otel-clients';
import { startServe, type ServeHandle } from './helpers/serve-process';

const WINDOW_MS = 10_000;
const DECIDE_MS = 60_000;
const BURST_AT = 2000;
const BURST_LENGTH = 40;
const log = templatedLog({ lines: 3000, bursts: [BURST_AT], burstLength: BURST_LENGTH, seed: 3 });
const events = log.lines.map((text) => ({ stream: 'svc/app', text, timestamp: Date.parse(text.slice(0, 24)) }));
const burstStart = events[BURST_AT]!.timestamp;
const burstEnd = events[BURST_AT + BURST_LENGTH - 1]!.timestamp;

let serve: ServeHandle;
let source: EventSource;
// The signing key lives in a data directory of the test's own, never the user's.
const dataDir = mkdtempSync(join(tmpdir(), 'driftlock-serve-data-'));
const announced: AnomalyDto[] = [];
let firstAnnounced: Promise<void>;

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${serve.httpBase}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}

async function post<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${serve.httpBase}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${serve.httpBase}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

/** Waits until `check` holds (the analysis runs on other threads); fails with `what` after a generous deadline. */
async function until(what: string, check: () => Promise<boolean>, deadlineMs = 90_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  serve = await startServe({
    args: ['--window-ms', String(WINDOW_MS), '--baseline', '200', '--decide-ms', String(DECIDE_MS), '--permutations', '300', '--otlp-grpc', 'off', '--data-dir', dataDir],
  });
  await until('readiness', async () => (await fetch(`${serve.httpBase}/readyz`)).status === 200);
  source = new EventSource(`${serve.httpBase}/v1/anomalies/stream`);
  firstAnnounced = new Promise((resolve, reject) => {
    source.addEventListener('anomaly', (e) => {
      announced.push(JSON.parse(e.data) as AnomalyDto);
      resolve();
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) reject(new Error('event stream closed'));
    });
  });
  await new Promise<void>((resolve) => source.addEventListener('open', () => resolve(), { once: true }));
  for (let i = 0; i < events.length; i += 500) {
    const res = await post<{ accepted: number }>('/v1/events', { events: events.slice(i, i + 500) });
    expect(res).toEqual({ status: 200, body: { accepted: Math.min(500, events.length - i) } });
  }
});

afterAll(async () => {
  source?.close();
  await serve?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('live analysis as events arrive', () => {
  it('flags the burst, announces it on the event stream and lists it', async () => {
    await firstAnnounced;
    await until('the analysis to catch up', async () => (await metric('driftlock_analysis_lag_events')) === 0);
    const { status, body } = await get<AnomalyListDto>('/v1/anomalies');
    expect(status).toBe(200);
    expect(body.total).toBeGreaterThanOrEqual(1);
    const hit = body.anomalies.find((a) => a.startTime! <= burstEnd && burstStart < a.endTime!);
    expect(hit, 'an anomaly over the burst').toBeDefined();
    expect(hit).toMatchObject({ stream: 'svc/app', status: 'open' });
    expect(hit!.endTime! - hit!.startTime!).toBe(WINDOW_MS);
    // Nothing outside the burst is flagged in this log.
    for (const a of body.anomalies) expect(a.startTime! <= burstEnd && burstStart < a.endTime!).toBe(true);
    // The event stream announced what the list holds, by the same ids.
    await until('every anomaly to be announced', async () => announced.length === body.total);
    expect(announced.map((a) => a.id).sort((x, y) => x - y)).toEqual(body.anomalies.map((a) => a.id).sort((x, y) => x - y));
    expect(await metric('driftlock_anomalies_found_total')).toBe(body.total);
    expect(await metric('driftlock_analysis_streams')).toBe(1);
  });

  it('gives one anomaly in full: the window, its novel lines, its (empty) history', async () => {
    const id = announced[0]!.id;
    const { status, body } = await get<AnomalyDetailDto>(`/v1/anomalies/${id}`);
    expect(status).toBe(200);
    expect(body.anomaly).toEqual(announced[0]);
    expect(body.window.anomaly).toBe(true);
    expect(body.window.stream).toBe('svc/app');
    // The top novel events are burst lines (event indexes inside the burst).
    expect(body.window.topEvents.length).toBeGreaterThan(0);
    for (const t of body.window.topEvents) expect(log.burst[t.index]).toBe(true);
    expect(body.history).toEqual([]);
  });

  it('filters by stream, status and time, and refuses bad parameters', async () => {
    const total = (await get<AnomalyListDto>('/v1/anomalies')).body.total;
    expect((await get<AnomalyListDto>('/v1/anomalies?stream=svc%2Fapp&status=open')).body.total).toBe(total);
    expect((await get<AnomalyListDto>('/v1/anomalies?stream=other')).body.total).toBe(0);
    expect((await get<AnomalyListDto>('/v1/anomalies?status=dismissed')).body.total).toBe(0);
    expect((await get<AnomalyListDto>(`/v1/anomalies?to=${burstStart - 3 * WINDOW_MS}`)).body.total).toBe(0);
    expect((await get<AnomalyListDto>(`/v1/anomalies?from=${new Date(burstStart).toISOString()}`)).body.total).toBe(total);
    for (const [query, message] of [
      ['status=closed', /status: expected one of open, confirmed, dismissed/],
      ['limit=0', /limit: expected a whole number from 1 to 1000/],
      ['from=yesterday', /from: expected milliseconds since the epoch or an ISO 8601 time/],
      ['cursor=abc', /cursor/],
      ['stream=a&colour=red', /unknown query parameter "colour"/],
    ] as const) {
      const res = await get<{ error: string }>(`/v1/anomalies?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toMatch(message);
    }
    expect((await get<{ error: string }>('/v1/anomalies/999999')).status).toBe(404);
    expect((await get<{ error: string }>('/v1/anomalies/x')).status).toBe(404);
  });

  it('takes triage feedback, audited; refuses bad feedback', async () => {
    const id = announced[0]!.id;
    const bad = await post<{ error: string }>(`/v1/anomalies/${id}/feedback`, { action: 'approve' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/action: expected one of confirm, dismiss, reopen, note/);
    expect((await post<{ error: string }>(`/v1/anomalies/${id}/feedback`, { action: 'note' })).body.error).toMatch(/note: required/);
    expect((await post<{ error: string }>(`/v1/anomalies/${id}/feedback`, { action: 'confirm', by: 'x y' })).status).toBe(400);
    expect((await post<{ error: string }>('/v1/anomalies/999999/feedback', { action: 'confirm' })).status).toBe(404);

    const confirmed = await post<FeedbackResponseDto>(`/v1/anomalies/${id}/feedback`, { action: 'confirm', note: 'worker panic after deploy', by: 'analyst.1' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.anomaly).toMatchObject({ id, status: 'confirmed', note: 'worker panic after deploy', triagedBy: 'rest:analyst.1' });
    expect(confirmed.body.audit).toMatchObject({ actor: 'rest:analyst.1', action: 'anomaly.triaged', subject: `anomaly:${id}`, details: { from: 'open', to: 'confirmed', note: 'worker panic after deploy' } });
    // A note alone keeps the status (audited as a note).
    const noted = await post<FeedbackResponseDto>(`/v1/anomalies/${id}/feedback`, { action: 'note', note: 'ticket INC-7' });
    expect(noted.body.anomaly).toMatchObject({ status: 'confirmed', note: 'ticket INC-7', triagedBy: 'rest' });
    expect(noted.body.audit).toMatchObject({ action: 'anomaly.noted', details: { status: 'confirmed', note: 'ticket INC-7' } });

    const detail = await get<AnomalyDetailDto>(`/v1/anomalies/${id}`);
    expect(detail.body.history.map((h) => h.action)).toEqual(['anomaly.triaged', 'anomaly.noted']);
    expect(detail.body.history[1]!.prevHash).toBe(detail.body.history[0]!.hash);
    expect((await get<AnomalyListDto>('/v1/anomalies?status=confirmed')).body.anomalies.map((a) => a.id)).toEqual([id]);
  });

  it('hands out the signed evidence bundle of an anomaly, which verifies offline', async () => {
    const id = announced[0]!.id;
    const res = await fetch(`${serve.httpBase}/v1/evidence?anomaly=${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(res.headers.get('x-driftlock-sha256')).toBe(createHash('sha256').update(bytes).digest('hex'));
    // Verified offline: signature, hashes, the window re-computed from the bundle's data, and the decision
    // re-derived by Benjamini–Hochberg over the anomaly's family (one stream, one decision period).
    const verified = await verifyBundle(bytes);
    expect(verified.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verified.ok).toBe(true);
    expect(verified.checks.map((c) => c.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^decision 1\/1\/\d+$/)]));
    expect((await get<{ error: string }>('/v1/evidence?anomaly=999999')).status).toBe(404);
    const missing = await get<{ error: string }>('/v1/evidence');
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/anomaly: expected an anomaly id/);
  });

  it('replays what followed Last-Event-ID to a reconnecting client', async () => {
    const all = (await get<AnomalyListDto>('/v1/anomalies')).body.anomalies;
    const replay = new EventSource(`${serve.httpBase}/v1/anomalies/stream?after=0`);
    const got: number[] = [];
    await new Promise<void>((resolve) =>
      replay.addEventListener('anomaly', (e) => {
        got.push(Number(e.lastEventId));
        if (got.length === all.length) resolve();
      }),
    );
    replay.close();
    expect(got).toEqual(all.map((a) => a.id).sort((x, y) => x - y));
    // The header form, as a browser sends it on reconnect: everything after the given id, and nothing before it.
    const last = Math.max(...got);
    const controller = new AbortController();
    const res = await fetch(`${serve.httpBase}/v1/anomalies/stream`, { headers: { 'Last-Event-ID': String(last - 1) }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('\n\n', text.indexOf('event: anomaly'))) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect([...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual([last]);
  });
});

describe('after shutdown, the case file holds the whole session', () => {
  it('stores every event, the decided windows per decision period, the audit chain intact', async () => {
    // OTLP logs join the session too (they get their own streams and source).
    const tally = await sendLogs({ protocol: 'http/json', base: serve.httpBase }, { service: 'otlp-side', count: 30, body: (i) => `login ok user=${i % 3}@example.com` });
    expect(tally).toMatchObject({ exported: 30, failed: 0 });
    source.close();
    expect(await serve.stop({ keep: true })).toBe(0);
    const db = new Database(serve.db, { readonly: true });
    try {
      const count = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
      expect(count("SELECT count(*) AS n FROM events e JOIN streams s ON s.id = e.stream_id WHERE s.key = 'svc/app'")).toBe(events.length);
      // One live analysis, complete, covering both streams' sources.
      const analyses = db.prepare('SELECT id, mode, status, error FROM analyses').all();
      expect(analyses).toEqual([{ id: 1, mode: 'live', status: 'complete', error: null }]);
      expect(db.prepare('SELECT s.key, x.status, x.events FROM analysis_streams x JOIN streams s ON s.id = x.stream_id ORDER BY s.key').all()).toEqual([
        { key: 'otlp-side/logs/info', status: 'complete', events: 10 },
        { key: 'otlp-side/logs/warn', status: 'complete', events: 10 },
        { key: 'otlp-side/logs/error', status: 'complete', events: 10 },
        { key: 'svc/app', status: 'complete', events: events.length },
      ].sort((a, b) => a.key.localeCompare(b.key)));
      // Each transport is one source; its counts are the events it stored.
      expect(db.prepare('SELECT kind, status, events FROM sources ORDER BY id').all()).toEqual([
        { kind: 'rest', status: 'complete', events: events.length },
        { kind: 'otlp-http', status: 'complete', events: 30 },
      ]);
      // Redacted at the door like a file import: no e-mail address is stored.
      expect(count("SELECT count(*) AS n FROM events WHERE original LIKE '%@example.com%' OR fields LIKE '%@example.com%'")).toBe(0);
      expect(count("SELECT count(*) AS n FROM events WHERE original LIKE '%<EMAIL:%'")).toBe(30);
      // Every stored event is in the full-text index by the end of the session.
      expect(db.prepare("SELECT value FROM settings WHERE key = 'fts.indexed_through'").get()).toEqual({ value: String(count('SELECT MAX(id) AS n FROM events')) });
      const panics = count("SELECT count(*) AS n FROM events WHERE original LIKE '%panic%'");
      expect(panics).toBeGreaterThan(0);
      expect(count("SELECT count(*) AS n FROM events_fts WHERE events_fts MATCH 'panic'")).toBe(panics);
      // Windows are decided in families: one stream's windows whose end falls in one decision period.
      const windows = db.prepare("SELECT w.end_time AS end, w.p_value AS p, w.q_value AS q FROM windows w JOIN streams s ON s.id = w.stream_id WHERE s.key = 'svc/app' ORDER BY w.window").all() as { end: number; p: number; q: number }[];
      const families = new Map<number, typeof windows>();
      for (const w of windows) families.set(Math.floor(w.end / DECIDE_MS), [...(families.get(Math.floor(w.end / DECIDE_MS)) ?? []), w]);
      expect(families.size).toBeGreaterThan(5);
      for (const family of families.values()) {
        const q = benjaminiHochberg(family.map((w) => w.p));
        family.forEach((w, i) => expect(w.q).toBeCloseTo(q[i]!, 12));
      }
    } finally {
      db.close();
    }
    const store = CaseStore.open(serve.db);
    try {
      expect(store.audit.verify()).toMatchObject({ ok: true });
      expect(store.audit.entries().map((e) => e.action)).toEqual([
        'analysis.started',
        'anomaly.triaged',
        'anomaly.noted',
        'key.created',
        'evidence.exported',
        'source.received',
        'source.received',
        'analysis.completed',
      ]);
    } finally {
      store.close();
      serve.cleanup();
    }
  });
});
