// Reads what a bundle is made of from a case file: the chosen anomalies,
// their windows, the exact events each window was computed from, the
// analyses, sources and the audit slice. Read-only: it never writes.
import { basename } from 'node:path';
import type { IndexRange, WindowResult } from '../../core';
import type { AnalysisRow, AnomalyRow, AuditRow, EventRow, SourceRow } from '../../shared/case-types';
import type { AnalystFields, ExportScope } from '../../shared/evidence';
import { selectAuditSlice } from '../audit/audit-slice';
import type { CaseStore } from '../store';
import { SETTING_KEYS } from '../store/settings-repo';
import { windowFromRow, type WindowDbRow } from '../store/window-row';
import { batchWindow } from './batch-evidence';
import type { BatchWindow, DataEvent, ManifestSource, TriageState } from './bundle-format';
import type { BundleInput, EvidenceAnalysis, EvidenceAnomaly } from './bundle-input';

/** The export cannot be made as asked (no such anomaly, nothing in range): a usage problem. */
export class ExportError extends Error {
  override name = 'ExportError';
}

export interface CaseEvidenceOptions {
  scope: ExportScope;
  createdAt: Date;
  appVersion: string;
  analyst: AnalystFields;
  keyFingerprint: string;
}

const BATCH_PAGE = 2000;

function parseId(text: string): number {
  if (!/^\d+$/.test(text)) throw new ExportError(`anomaly id "${text}" is not a number`);
  return Number(text);
}

function parseTime(text: string, what: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new ExportError(`${what} "${text}" is not an ISO 8601 time`);
  return ms;
}

function selectAnomalies(store: CaseStore, scope: ExportScope, window: (id: number) => WindowResult): AnomalyRow[] {
  switch (scope.kind) {
    case 'anomalies': {
      if (scope.ids.length === 0) throw new ExportError('no anomaly ids given');
      const ids = [...new Set(scope.ids.map(parseId))];
      return ids.map((id) => {
        try {
          return store.triage.get(id);
        } catch {
          throw new ExportError(`the case has no anomaly ${id}`);
        }
      });
    }
    case 'all': {
      const all = store.triage.list();
      if (all.length === 0) throw new ExportError('the case has no anomalies');
      return all;
    }
    case 'range': {
      const from = parseTime(scope.from, '--from');
      const to = parseTime(scope.to, '--to');
      if (to < from) throw new ExportError(`--to ${scope.to} is before --from ${scope.from}`);
      const all = store.triage.list();
      const hits = all.filter((a) => {
        const w = window(a.windowId);
        return w.startTime !== undefined && w.endTime !== undefined && w.startTime <= to && w.endTime >= from;
      });
      if (hits.length === 0) {
        const timed = all.filter((a) => window(a.windowId).startTime !== undefined).length;
        throw new ExportError(
          timed === 0 ? 'no anomaly of the case has timestamps; export by --anomaly or --all' : `no anomaly overlaps ${scope.from} – ${scope.to}`,
        );
      }
      return hits;
    }
  }
}

function dataEvent(e: EventRow): DataEvent {
  return { index: e.seq, text: e.canonical, ...(e.timestamp !== null ? { timestamp: e.timestamp } : {}), original: e.original };
}

function eventsIn(store: CaseStore, streamId: number, ranges: readonly IndexRange[]): EventRow[] {
  return ranges.flatMap(([first, last]) => store.events.range(streamId, first, last + 1));
}

function expectEvents(rows: readonly EventRow[], ranges: readonly IndexRange[], what: string): void {
  const want = ranges.reduce((s, [a, b]) => s + b - a + 1, 0);
  if (rows.length !== want) throw new Error(`${what}: the case holds ${rows.length} of its ${want} events`);
}

function triageState(a: AnomalyRow): TriageState {
  return {
    status: a.status,
    ...(a.triagedBy !== null ? { by: a.triagedBy } : {}),
    ...(a.triagedAt !== null ? { at: new Date(a.triagedAt).toISOString() } : {}),
    ...(a.note !== null ? { note: a.note } : {}),
  };
}

/** How a stream is typed in the bundle: LLM prompt/completion streams by their key, else the kind of its source. */
export function streamKindOf(key: string, sourceKind: string | undefined): string {
  const llm = /^gen_ai\/.*\/(prompt|completion)$/.exec(key);
  if (llm) return `llm.${llm[1]}`;
  return sourceKind ?? 'unknown';
}

/** Every window of an analysis in id order: the order its Benjamini–Hochberg decision used. */
function analysisBatch(store: CaseStore, analysisId: number): BatchWindow[] {
  const out: BatchWindow[] = [];
  let after = 0;
  for (;;) {
    const page = store.windows.page(analysisId, after, BATCH_PAGE);
    if (page.length === 0) return out;
    for (const w of page) out.push(batchWindow(w.result));
    after = page[page.length - 1]!.id;
  }
}

/**
 * The decision family an anomaly's window belongs to. A batch analysis
 * decides all its windows together: the family is the analysis. A live
 * analysis decides each stream's windows per decision period
 * (docs/METHOD.md, "Live analysis"): the family is (analysis, stream,
 * period), and the bundle lists it as an analysis of its own, id
 * `<analysis>/<stream id>/<period>`, whose batch is exactly that family, so
 * the verifier's Benjamini–Hochberg over "the batch" is the one that decided.
 */
interface DecisionFamily {
  id: string;
  analysisId: number;
  batch: () => BatchWindow[];
}

function familyOf(store: CaseStore, a: AnomalyRow, result: WindowResult, analysis: AnalysisRow): DecisionFamily {
  if (analysis.mode !== 'live' || analysis.decideMs === null || result.endTime === undefined) {
    return { id: String(a.analysisId), analysisId: a.analysisId, batch: () => analysisBatch(store, a.analysisId) };
  }
  const decideMs = analysis.decideMs;
  const period = Math.floor(result.endTime / decideMs);
  return {
    id: `${a.analysisId}/${a.streamId}/${period}`,
    analysisId: a.analysisId,
    batch: () =>
      store.windows
        .list({ analysisId: a.analysisId, streamId: a.streamId })
        .filter((w) => Math.floor(w.result.endTime! / decideMs) === period)
        .map((w) => batchWindow(w.result)),
  };
}

function sourceRecord(s: SourceRow): ManifestSource {
  return { id: String(s.id), name: basename(s.path), sha256: s.sha256, size: s.size, kind: s.kind };
}

/**
 * The bundle input for the anomalies `scope` selects. The audit slice is the
 * case as it stood at `createdAt`.
 *
 * @throws ExportError when the scope selects nothing or names what the case lacks
 */
export function readCaseEvidence(store: CaseStore, options: CaseEvidenceOptions): BundleInput {
  const windowStmt = store.db.prepare('SELECT w.*, s.key AS stream_key FROM windows w JOIN streams s ON s.id = w.stream_id WHERE w.id = ?');
  const windows = new Map<number, WindowResult>();
  const window = (id: number): WindowResult => {
    let w = windows.get(id);
    if (!w) {
      const row = windowStmt.get(id) as (WindowDbRow & { stream_key: string }) | undefined;
      if (!row) throw new Error(`window ${id} is missing from the case`);
      w = windowFromRow(row, row.stream_key);
      windows.set(id, w);
    }
    return w;
  };

  const chosen = selectAnomalies(store, options.scope, window).sort((a, b) => a.id - b.id);
  const sources = new Map<number, SourceRow>();
  const families = new Map<string, DecisionFamily>();
  const analysisRows = new Map<number, AnalysisRow>();
  const anomalies: EvidenceAnomaly[] = chosen.map((a) => {
    const result = window(a.windowId);
    let analysisRow = analysisRows.get(a.analysisId);
    if (!analysisRow) {
      analysisRow = store.analyses.get(a.analysisId);
      analysisRows.set(a.analysisId, analysisRow);
    }
    const family = familyOf(store, a, result, analysisRow);
    families.set(family.id, family);
    const what = `anomaly ${a.id} (window ${result.window} of ${result.stream})`;
    const baselineRanges = [...result.baseline.reference, ...result.baseline.calibration].sort((x, y) => x[0] - y[0]);
    const baseline = eventsIn(store, a.streamId, baselineRanges);
    expectEvents(baseline, baselineRanges, `${what}, baseline`);
    const inWindow = eventsIn(store, a.streamId, [[result.firstEvent, result.lastEvent]]);
    expectEvents(inWindow, [[result.firstEvent, result.lastEvent]], `${what}, window`);
    let sourceKind: string | undefined;
    for (const e of [...baseline, ...inWindow]) {
      if (e.sourceId === null || sources.has(e.sourceId)) continue;
      sources.set(e.sourceId, store.sources.get(e.sourceId));
    }
    const firstSource = inWindow.find((e) => e.sourceId !== null)?.sourceId;
    if (firstSource !== undefined && firstSource !== null) sourceKind = sources.get(firstSource)?.kind;
    return {
      id: String(a.id),
      analysisId: family.id,
      streamKind: streamKindOf(result.stream, sourceKind),
      result,
      triage: triageState(a),
      notes: [],
      baselineEvents: baseline.map(dataEvent),
      windowEvents: inWindow.map(dataEvent),
    };
  });

  const analysisIds = [...new Set(chosen.map((a) => a.analysisId))].sort((a, b) => a - b);
  const analyses: EvidenceAnalysis[] = [...families.values()]
    .sort((x, y) => x.analysisId - y.analysisId || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .map((f) => {
      const row = analysisRows.get(f.analysisId)!;
      return {
        id: f.id,
        params: row.params,
        compressor: row.compressorPin,
        redactionPolicies: row.redactionPolicies,
        batch: f.batch(),
      };
    });

  const asOf = options.createdAt.getTime();
  const audit: AuditRow[] = selectAuditSlice(
    allAuditRows(store),
    { anomalyIds: chosen.map((a) => a.id), analysisIds, sourceIds: [...sources.keys()], keyFingerprint: options.keyFingerprint },
    asOf,
  );
  for (const id of analysisIds) {
    if (!audit.some((r) => r.subject === `analysis:${id}`)) {
      throw new ExportError(
        `the creation time ${options.createdAt.toISOString()} is before analysis ${id} was recorded in the audit log; the bundle would not carry its audit trail`,
      );
    }
  }

  return {
    caseId: store.settings.get(SETTING_KEYS.caseId) ?? basename(store.path),
    createdAt: options.createdAt,
    appVersion: options.appVersion,
    scope: options.scope,
    analyst: options.analyst,
    sources: [...sources.values()].sort((a, b) => a.id - b.id).map(sourceRecord),
    analyses,
    anomalies,
    audit,
  };
}

function* allAuditRows(store: CaseStore): Generator<AuditRow> {
  const page = 1000;
  for (let from = 1; ; from += page) {
    const rows = store.audit.entries(from, page);
    yield* rows;
    if (rows.length < page) return;
  }
}
