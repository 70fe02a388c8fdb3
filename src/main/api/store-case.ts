/**
 * The case port over the real case store (src/main/store): reads with its
 * own prepared queries on the store's connection (paged, for 100,000-window
 * cases), writes through the store's repositories inside its transactions,
 * each state change with its audit entry; import and analysis through the
 * store's import-and-analyse pipeline on the worker pool.
 */
import { DEFAULT_PARAMS, type AnalysisParams } from '../../core';
import type { IndexRange, WindowResult } from '../../core/types';
import type { AnalystFields, AnomalySummary, EventPage, ExportResult, SearchHit, SearchResult, Settings, StreamSummary, SuppressionRule, TriageStatus } from '../../shared/dto';
import type { RedactionPolicy } from '../../shared/redaction-policy';
import { AnalysisRun, type AnalysisPool } from '../analysis';
import { AUDIT_ACTIONS } from '../audit/audit-actions';
import { addSuppression, setSuppressionActive, triageAnomaly } from '../audit/audited-changes';
import { exportBundle } from '../evidence/export-bundle';
import { importAndAnalyse } from '../analysis/import-and-analyse';
import { LIVE_DEFAULT_PARAMS } from '../analysis/live-analysis';
import { BUILTIN_POLICIES } from '../ingest/redaction';
import { CaseStore } from '../store';
import { windowFromRow, type WindowDbRow } from '../store/window-row';
import type { CaseOpener, CasePort, EventText, ImportHandlers, StreamMetrics, TriageRecord } from './case-port';
import { DEFAULT_SETTINGS } from './default-settings';
import { ftsQuery, highlightTerms } from './search-query';

const SETTINGS_KEY = 'app.settings';
/** Who a rule-made decision is recorded as: `suppression #N`. */
const RULE_ACTOR = /^suppression #(\d+)/;

type AnomalyJoinRow = WindowDbRow & {
  anomaly_id: number;
  stream_key: string;
  status: TriageStatus;
  note: string | null;
  triaged_by: string | null;
  triaged_at: number | null;
};

function summaryOf(r: AnomalyJoinRow): AnomalySummary {
  const rule = r.triaged_by ? RULE_ACTOR.exec(r.triaged_by) : null;
  return {
    id: r.anomaly_id,
    streamId: r.stream_id,
    stream: r.stream_key,
    window: r.window,
    firstEvent: r.first_event,
    lastEvent: r.last_event,
    startTime: r.start_time,
    endTime: r.end_time,
    score: r.score ?? 0,
    pValue: r.p_value,
    qValue: r.q_value,
    ncd: r.ncd ?? Number.NaN,
    status: r.status,
    note: r.note,
    suppressedBy: rule && r.status === 'dismissed' ? Number(rule[1]) : null,
    explanation: r.explanation,
  };
}

/** The analysis parameters the settings stand for. */
export function paramsOf(s: Settings): AnalysisParams {
  return {
    ...DEFAULT_PARAMS,
    windowing: { kind: 'count', baseline: s.baseline, window: s.window, hop: s.hop },
    permutations: s.permutations,
    seed: s.seed,
    profile: s.profile,
    compressor: s.compressor,
  };
}

/**
 * The live listener's parameters under these settings: serve's one-minute time
 * windows (count windows and hop do not apply to data that arrives over time),
 * with the case's baseline, profile, permutations, seed and compressor, so a
 * live finding is judged as the case's imports are.
 */
export function liveParamsOf(s: Settings): AnalysisParams {
  const windowing = LIVE_DEFAULT_PARAMS.windowing as Extract<AnalysisParams['windowing'], { kind: 'time' }>;
  return { ...paramsOf(s), windowing: { ...windowing, baseline: s.baseline }, causal: LIVE_DEFAULT_PARAMS.causal };
}

/** The redaction policy the settings stand for: a built-in preset plus masked custom patterns. */
export function redactionOf(s: Settings): RedactionPolicy {
  const base = BUILTIN_POLICIES[s.redaction.preset]!;
  if (s.redaction.customPatterns.length === 0) return base;
  return {
    name: `${base.name}+custom`,
    rules: [
      ...s.redaction.customPatterns.map((pattern, i) => ({ kind: 'regex' as const, name: `CUSTOM${i + 1}`, pattern, mode: 'mask' as const })),
      ...base.rules,
    ],
  };
}

const ANOMALY_FROM = `FROM anomalies a
  JOIN current_analysis_streams c ON c.stream_id = a.stream_id AND c.analysis_id = a.analysis_id
  JOIN windows w ON w.id = a.window_id
  JOIN streams s ON s.id = a.stream_id`;
const ANOMALY_COLUMNS = `w.*, a.id AS anomaly_id, s.key AS stream_key, a.status, a.note, a.triaged_by, a.triaged_at`;

class StoreCase implements CasePort {
  readonly path: string;
  private readonly q;

  constructor(
    /** The case's one writer; other services that write into the case (the OTLP listener) reach it through caseStoreOf. */
    readonly store: CaseStore,
    private readonly pool: () => AnalysisPool,
    /** The report's fonts (resources/fonts); found from the checkout when undefined. */
    private readonly fontsDir: string | undefined,
  ) {
    this.path = store.path;
    const db = store.db;
    this.q = {
      count: (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n,
      streamStats: db.prepare(
        `SELECT stream_id, count(*) AS windows, sum(anomaly) AS anomalies, max(score) AS max_score FROM current_windows GROUP BY stream_id`,
      ),
      streamKinds: db.prepare(
        `SELECT ss.stream_id, min(src.kind) AS kind FROM source_streams ss JOIN sources src ON src.id = ss.source_id GROUP BY ss.stream_id`,
      ),
      metrics: db.prepare('SELECT stream_id, window, start_time, ncd, score, anomaly FROM current_windows ORDER BY stream_id, window'),
      windowPage: db.prepare(
        `SELECT w.*, s.key AS stream_key, a.id AS anomaly_id FROM current_windows w JOIN streams s ON s.id = w.stream_id
         LEFT JOIN anomalies a ON a.window_id = w.id WHERE w.stream_id = ? ORDER BY w.window LIMIT ? OFFSET ?`,
      ),
      windowOne: db.prepare(
        `SELECT w.*, s.key AS stream_key FROM current_windows w JOIN streams s ON s.id = w.stream_id WHERE w.stream_id = ? AND w.window = ?`,
      ),
      anomalyOne: db.prepare(`SELECT ${ANOMALY_COLUMNS} FROM anomalies a JOIN windows w ON w.id = a.window_id JOIN streams s ON s.id = a.stream_id WHERE a.id = ?`),
      covering: db.prepare(
        `SELECT window, first_event, last_event FROM current_windows WHERE stream_id = ? AND last_event >= ? AND first_event <= ? ORDER BY window`,
      ),
      streamKey: db.prepare('SELECT key, events FROM streams WHERE id = ?'),
      totalChanges: db.prepare('SELECT total_changes()').pluck(),
    };
  }

  info() {
    const { count } = this.q;
    const stats = this.store.stats();
    return {
      ...stats,
      anomalies: count(`SELECT count(*) AS n ${ANOMALY_FROM}`),
      openAnomalies: count(`SELECT count(*) AS n ${ANOMALY_FROM} WHERE a.status = 'open'`),
    };
  }

  streams(): StreamSummary[] {
    const stats = new Map(
      (this.q.streamStats.all() as Array<{ stream_id: number; windows: number; anomalies: number; max_score: number | null }>).map((r) => [r.stream_id, r]),
    );
    const kinds = new Map((this.q.streamKinds.all() as Array<{ stream_id: number; kind: string }>).map((r) => [r.stream_id, r.kind]));
    return this.store.events.streamList().map((s) => {
      const st = stats.get(s.id);
      return {
        id: s.id,
        name: s.key,
        kind: kinds.get(s.id) ?? 'otlp',
        events: s.events,
        windows: st?.windows ?? 0,
        anomalies: st?.anomalies ?? 0,
        maxScore: st?.max_score ?? 0,
        firstTime: s.firstTs,
        lastTime: s.lastTs,
      };
    });
  }

  streamMetrics(): StreamMetrics[] {
    const names = new Map(this.store.events.streamList().map((s) => [s.id, s.key]));
    const rows = this.q.metrics.raw().all() as Array<[number, number, number | null, number | null, number | null, number]>;
    const out: StreamMetrics[] = [];
    let i = 0;
    while (i < rows.length) {
      const id = rows[i]![0];
      let j = i;
      while (j < rows.length && rows[j]![0] === id) j++;
      const slice = rows.slice(i, j);
      out.push({
        streamId: id,
        stream: names.get(id) ?? String(id),
        window: Int32Array.from(slice, (r) => r[1]),
        startTime: Float64Array.from(slice, (r) => r[2] ?? Number.NaN),
        ncd: Float64Array.from(slice, (r) => r[3] ?? Number.NaN),
        score: Float64Array.from(slice, (r) => r[4] ?? 0),
        anomaly: Uint8Array.from(slice, (r) => r[5]),
      });
      i = j;
    }
    return out;
  }

  windowCount(streamId: number): number {
    return this.q.count('SELECT count(*) AS n FROM current_windows WHERE stream_id = ?', streamId);
  }

  windows(streamId: number, offset: number, limit: number) {
    return (this.q.windowPage.all(streamId, limit, offset) as Array<WindowDbRow & { stream_key: string; anomaly_id: number | null }>).map((r) => ({
      result: windowFromRow(r, r.stream_key),
      anomalyId: r.anomaly_id,
    }));
  }

  window(streamId: number, index: number): WindowResult | null {
    const r = this.q.windowOne.get(streamId, index) as (WindowDbRow & { stream_key: string }) | undefined;
    return r ? windowFromRow(r, r.stream_key) : null;
  }

  /**
   * The ordered anomaly ids of a filter, kept until the next change: paging
   * then reads 200 rows by id instead of sorting 100,000 windows per page.
   * Writes made beside this port on the same connection (the OTLP listener's
   * live analysis) are seen through the connection's change counter.
   */
  private orderCache = new Map<string, number[]>();
  private orderStamp = -1;
  private changed(): void {
    this.orderCache.clear();
  }

  private orderedIds(query: { streamId?: number; status?: TriageStatus; sort: 'score' | 'time' }): number[] {
    const stamp = this.q.totalChanges.get() as number;
    if (stamp !== this.orderStamp) {
      this.orderCache.clear();
      this.orderStamp = stamp;
    }
    const key = `${query.streamId ?? ''}|${query.status ?? ''}|${query.sort}`;
    const cached = this.orderCache.get(key);
    if (cached) return cached;
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.streamId !== undefined) {
      where.push('a.stream_id = ?');
      args.push(query.streamId);
    }
    if (query.status) {
      where.push('a.status = ?');
      args.push(query.status);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const order = query.sort === 'score' ? 'w.score DESC, a.id' : 'a.id DESC';
    const ids = (this.store.db.prepare(`SELECT a.id ${ANOMALY_FROM} ${filter} ORDER BY ${order}`).raw().all(...args) as Array<[number]>).map((r) => r[0]);
    this.orderCache.set(key, ids);
    return ids;
  }

  anomalies(query: { streamId?: number; status?: TriageStatus; sort: 'score' | 'time'; offset: number; limit: number }) {
    const ids = this.orderedIds(query);
    const page = ids.slice(query.offset, query.offset + query.limit);
    if (page.length === 0) return { total: ids.length, items: [] };
    const rows = this.store.db
      .prepare(`SELECT ${ANOMALY_COLUMNS} FROM anomalies a JOIN windows w ON w.id = a.window_id JOIN streams s ON s.id = a.stream_id WHERE a.id IN (${page.map(() => '?').join(',')})`)
      .all(...page) as AnomalyJoinRow[];
    const byId = new Map(rows.map((r) => [r.anomaly_id, r]));
    return { total: ids.length, items: page.flatMap((id) => (byId.has(id) ? [summaryOf(byId.get(id)!)] : [])) };
  }

  anomaly(id: number) {
    const r = this.q.anomalyOne.get(id) as AnomalyJoinRow | undefined;
    if (!r) return null;
    const triage: TriageRecord = {
      status: r.status,
      note: r.note,
      by: r.triaged_by,
      at: r.triaged_at === null ? null : new Date(r.triaged_at).toISOString(),
    };
    return { summary: summaryOf(r), result: windowFromRow(r, r.stream_key), triage };
  }

  setTriage(id: number, patch: { status?: TriageStatus; note?: string | null }, by: string): AnomalySummary {
    this.changed();
    triageAnomaly(this.store, id, patch, by);
    return this.anomaly(id)!.summary;
  }

  events(streamId: number, from: number, limit: number): EventPage {
    const stream = this.q.streamKey.get(streamId) as { key: string; events: number } | undefined;
    if (!stream) return { streamId, total: 0, events: [] };
    const rows = this.store.events.range(streamId, from, from + limit);
    const last = rows.at(-1)?.seq ?? from;
    const windows = this.q.covering.all(streamId, from, last) as Array<{ window: number; first_event: number; last_event: number }>;
    return {
      streamId,
      total: stream.events,
      events: rows.map((e) => ({
        seq: e.seq,
        timestamp: e.timestamp,
        text: e.original,
        window: windows.find((w) => w.first_event <= e.seq && e.seq <= w.last_event)?.window ?? null,
      })),
    };
  }

  eventTexts(streamId: number, ranges: readonly IndexRange[], limit: number): EventText[] {
    const out: EventText[] = [];
    for (const [a, b] of ranges) {
      if (out.length >= limit) break;
      for (const e of this.store.events.range(streamId, a, Math.min(b + 1, a + limit - out.length))) {
        out.push({ index: e.seq, text: e.canonical, original: e.original });
      }
    }
    return out;
  }

  search(query: string, streamId: number | undefined, offset: number, limit: number): SearchResult {
    const match = ftsQuery(query);
    if (!match) return { query, total: 0, hits: [] };
    const db = this.store.db;
    const filter = streamId === undefined ? '' : 'AND e.stream_id = ?';
    const args: unknown[] = streamId === undefined ? [match] : [match, streamId];
    const total = (db.prepare(`SELECT count(*) AS n FROM events_fts f JOIN events e ON e.id = f.rowid WHERE events_fts MATCH ? ${filter}`).get(...args) as { n: number }).n;
    const rows = db
      .prepare(
        `SELECT e.stream_id, e.seq, e.ts, e.original, s.key FROM events_fts f JOIN events e ON e.id = f.rowid JOIN streams s ON s.id = e.stream_id
         WHERE events_fts MATCH ? ${filter} ORDER BY e.stream_id, e.seq LIMIT ? OFFSET ?`,
      )
      .all(...args, limit, offset) as Array<{ stream_id: number; seq: number; ts: number | null; original: string; key: string }>;
    const hits: SearchHit[] = rows.map((r) => {
      const w = this.q.covering.get(r.stream_id, r.seq, r.seq) as { window: number } | undefined;
      return {
        streamId: r.stream_id,
        stream: r.key,
        seq: r.seq,
        timestamp: r.ts,
        text: r.original,
        window: w?.window ?? null,
        highlights: highlightTerms(r.original, query),
      };
    });
    return { query, total, hits };
  }

  private rule(id: number): SuppressionRule {
    const r = this.store.triage.suppressions().find((x) => x.id === id);
    if (!r) throw new Error(`no suppression rule #${id}`);
    return { id: r.id, streamId: r.streamId, pattern: r.pattern, createdAt: new Date(r.createdAt).toISOString(), reason: r.note };
  }

  addSuppression(rule: { streamId: number | null; pattern: string; reason: string | null }, by: string) {
    const { store } = this;
    this.changed();
    const re = new RegExp(rule.pattern);
    // The rule and the decisions it makes commit together, each with its audit row.
    return store.transaction(() => {
      const row = addSuppression(store, { createdBy: by, streamId: rule.streamId, kind: 'canonical-regex', pattern: rule.pattern, note: rule.reason });
      const open = store.db
        .prepare(`SELECT a.id, w.top_events ${ANOMALY_FROM} WHERE a.status = 'open' ${rule.streamId === null ? '' : 'AND a.stream_id = ?'}`)
        .all(...(rule.streamId === null ? [] : [rule.streamId])) as Array<{ id: number; top_events: string }>;
      let dismissed = 0;
      for (const a of open) {
        const top = (JSON.parse(a.top_events) as Array<{ text: string }>)[0]?.text ?? '';
        if (!re.test(top)) continue;
        triageAnomaly(store, a.id, { status: 'dismissed' }, `suppression #${row.id} (${by})`);
        dismissed++;
      }
      return { rule: this.rule(row.id), dismissed };
    });
  }

  suppressions(): SuppressionRule[] {
    return this.store.triage
      .suppressions()
      .filter((r) => r.active)
      .map((r) => ({ id: r.id, streamId: r.streamId, pattern: r.pattern, createdAt: new Date(r.createdAt).toISOString(), reason: r.note }));
  }

  removeSuppression(id: number, by: string) {
    const { store } = this;
    this.changed();
    return store.transaction(() => {
      setSuppressionActive(store, id, false, by);
      const mine = store.db
        .prepare(`SELECT id FROM anomalies WHERE status = 'dismissed' AND triaged_by LIKE ?`)
        .all(`suppression #${id} (%`) as Array<{ id: number }>;
      for (const a of mine) triageAnomaly(store, a.id, { status: 'open' }, by);
      return { reopened: mine.length };
    });
  }

  settings(): Settings {
    const raw = this.store.settings.get(SETTINGS_KEY);
    if (!raw) return structuredClone(DEFAULT_SETTINGS);
    const saved = JSON.parse(raw) as Partial<Settings>;
    return { ...structuredClone(DEFAULT_SETTINGS), ...saved };
  }

  saveSettings(settings: Settings): void {
    const { store } = this;
    store.transaction(() => {
      store.settings.set(SETTINGS_KEY, JSON.stringify(settings));
      store.audit.append({ actor: settings.analyst || 'analyst', action: AUDIT_ACTIONS.settingsChanged, subject: 'case', details: { ...settings } });
    });
  }

  async importFiles(paths: readonly string[], handlers: ImportHandlers, signal: AbortSignal) {
    const settings = this.settings();
    const result = await importAndAnalyse(this.store, this.pool(), paths, {
      import: {
        redaction: redactionOf(settings),
        onProgress: (p) => handlers.onProgress(p.path, { bytesRead: p.bytesRead, bytesTotal: p.size, events: p.events }),
      },
      params: paramsOf(settings),
      signal,
      actor: settings.analyst || 'analyst',
      onFile: (r) => {
        if ('error' in r) return handlers.onFile(r.file, { error: r.error.message });
        const s = r.summary;
        handlers.onFile(r.file, {
          events: s.source.events,
          skipped: s.outcome === 'already-imported',
          problems: s.problems.map((p) => ({ line: p.line, reason: p.reason })),
          message:
            s.outcome === 'already-imported'
              ? `already imported (same sha256 as source #${s.source.id}); nothing added`
              : s.source.dropped > 0
                ? `${s.source.dropped} event(s) dropped by redaction`
                : null,
        });
      },
    });
    this.changed();
    return { anomaliesAdded: result.analysis?.anomalies ?? 0 };
  }

  async reanalyze(signal: AbortSignal) {
    const settings = this.settings();
    const run = new AnalysisRun(this.store, this.pool(), paramsOf(settings), { signal, actor: settings.analyst || 'analyst' });
    for (const s of this.store.events.streamList()) if (s.events > 0) run.follow({ streamId: s.id, key: s.key, committed: s.events }, true);
    const outcome = await run.finish().finally(() => this.changed());
    return { anomaliesAdded: outcome.anomalies };
  }

  exportBundle(request: { anomalyIds: number[]; outPath: string; analyst: AnalystFields; userDataDir: string; actor: string }): Promise<ExportResult> {
    return exportBundle(this.store, {
      scope: { kind: 'anomalies', ids: request.anomalyIds.map(String) },
      out: request.outPath,
      userDataDir: request.userDataDir,
      analyst: request.analyst,
      actor: request.actor,
      ...(this.fontsDir !== undefined && { fontsDir: this.fontsDir }),
    });
  }

  recordAudit(entry: { actor: string; action: string; subject: string; details: Record<string, unknown> }): void {
    this.store.audit.append(entry);
  }

  close(): void {
    this.store.close();
  }
}

/** The store behind a case port opened by storeCaseOpener (its one writer). */
export function caseStoreOf(c: CasePort): CaseStore {
  if (!(c instanceof StoreCase)) throw new Error(`${c.path}: not a case opened on the case store`);
  return c.store;
}

/** Opens case files as StoreCase; the worker pool is shared and started on first analysis. */
export function storeCaseOpener(pool: () => AnalysisPool, fontsDir?: string): CaseOpener {
  return {
    async open(path, { create }) {
      return new StoreCase(CaseStore.open(path, { create }), pool, fontsDir);
    },
  };
}
