// Re-computing a bundle's numbers from its data/: each window alone
// (reproduceWindow), then the batch decision (Benjamini–Hochberg, flags,
// explanations). Every field is compared exactly: the engine is
// deterministic, and a JSON number round-trips a double exactly.
import {
  benjaminiHochberg,
  decideWindow,
  PROFILES,
  reproduceWindow,
  type AnalysisParams,
  type Compressor,
  type CompressorPin,
  type WindowResult,
} from '../../core';
import { canonicalJson } from '../../shared/canonical-json';
import type { AnomalyRecord, BatchWindow, DataEvent } from './bundle-format';

/** Fields of a window that follow from its own baseline and window events. */
export const REPRODUCED_FIELDS = [
  'stream',
  'window',
  'firstEvent',
  'lastEvent',
  'n',
  'startTime',
  'endTime',
  'cr',
  'crBaseline',
  'deltaBits',
  'entropy',
  'ncd',
  'novelty',
  'meanBits',
  'baselineMeanBits',
  'statistic',
  'excessBits',
  'novelEvents',
  'pValue',
  'permutations',
  'pBound',
  'score',
  'suspect',
  'topEvents',
  'baseline',
  'baselineRange',
] as const satisfies readonly (keyof WindowResult)[];

/** The value as JSON would hold it (non-finite numbers as null), in canonical text. */
function jsonForm(v: unknown): string {
  if (v === undefined) return 'absent';
  return canonicalJson(JSON.parse(JSON.stringify(v)) as unknown);
}

function short(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Names the fields where two results differ, with both values. */
export function compareFields(recorded: object, actual: object, fields: readonly string[]): string[] {
  const r = recorded as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const out: string[] = [];
  for (const f of fields) {
    const x = jsonForm(r[f]);
    const y = jsonForm(a[f]);
    if (x !== y) out.push(`${f} (recorded ${short(x)}, re-computed ${short(y)})`);
  }
  return out;
}

/**
 * The parts of a pin that decide the compressed bytes. The library and its
 * version may differ (zstd-napi and node:zlib give identical bytes for the
 * same format version and parameters); these may not.
 */
export function pinMismatches(pinned: CompressorPin, local: CompressorPin): string[] {
  const out: string[] = [];
  if (pinned.name !== local.name) out.push(`name ${pinned.name} vs ${local.name} here`);
  if (pinned.formatVersion !== local.formatVersion) out.push(`format ${pinned.formatVersion} vs ${local.formatVersion} here`);
  if (pinned.level !== local.level) out.push(`level ${pinned.level} vs ${local.level} here`);
  if (jsonForm(pinned.params) !== jsonForm(local.params)) out.push(`parameters ${jsonForm(pinned.params)} vs ${jsonForm(local.params)} here`);
  return out;
}

/** The most permutations a verifier runs per window before refinement (the default is 1,000). */
export const MAX_PERMUTATIONS = 1_000_000;

export interface WindowCheck {
  reproduced: boolean;
  mismatches: string[];
  result?: WindowResult;
}

/**
 * Re-computes one anomaly's window from its data files and compares every
 * field that depends only on them.
 */
export function reproduceRecorded(
  params: AnalysisParams,
  record: AnomalyRecord,
  baseline: readonly DataEvent[],
  window: readonly DataEvent[],
  compressor: Compressor,
): WindowCheck {
  const recorded = record.result;
  // The parameters come from the bundle: refuse work no real analysis asks
  // for, so a crafted bundle cannot keep the verifier busy for hours.
  if (!Number.isSafeInteger(params.permutations) || params.permutations < 0 || params.permutations > MAX_PERMUTATIONS) {
    return { reproduced: false, mismatches: [`params.permutations ${params.permutations} is outside 0…${MAX_PERMUTATIONS}`] };
  }
  if (window.length === 0) return { reproduced: false, mismatches: [`${record.data.window} holds no events`] };
  if (baseline.length < 2) return { reproduced: false, mismatches: [`${record.data.baseline} holds ${baseline.length} event(s); a baseline needs 2`] };
  // Time windows are bounded by the clock, not by their events: their start
  // and end are inputs here, and the other fields are checked against them.
  const bounds =
    params.windowing.kind === 'time'
      ? {
          ...(typeof recorded.startTime === 'number' ? { startTime: recorded.startTime } : {}),
          ...(typeof recorded.endTime === 'number' ? { endTime: recorded.endTime } : {}),
        }
      : {};
  const result = reproduceWindow(params, recorded.stream, recorded.window, baseline, window, { compressor, ...bounds });
  const mismatches = compareFields(recorded, result, REPRODUCED_FIELDS);
  return { reproduced: mismatches.length === 0, mismatches, result };
}

/**
 * Re-derives the batch decision: q-values by Benjamini–Hochberg over the
 * batch's p-values, then each anomaly's flag and explanation. `windows` are
 * the re-computed results of the bundle's anomalies (by id). Returns the
 * problems found.
 */
export function checkDecision(
  params: AnalysisParams,
  batch: readonly BatchWindow[],
  records: readonly AnomalyRecord[],
  reproduced: ReadonlyMap<string, WindowResult>,
): string[] {
  const problems: string[] = [];
  if (!PROFILES[params.profile]) return [`unknown profile "${String(params.profile)}"`];
  const q = benjaminiHochberg(batch.map((w) => w.pValue));
  const position = new Map(batch.map((w, i) => [`${w.stream}\u0000${w.window}`, i]));
  for (const record of records) {
    const r = record.result;
    const i = position.get(`${r.stream}\u0000${r.window}`);
    if (i === undefined) {
      problems.push(`anomaly ${record.id}: window ${r.window} of ${r.stream} is not in the batch`);
      continue;
    }
    const entry = batch[i]!;
    const mine = compareFields(entry, r, ['firstEvent', 'lastEvent', 'pValue', 'excessBits', 'score', 'anomaly']);
    if (mine.length > 0) problems.push(`anomaly ${record.id}: the batch entry differs in ${mine.join('; ')}`);
    const decided = { ...(reproduced.get(record.id) ?? r) };
    decideWindow(decided, q[i]!, params.profile);
    const diff = compareFields(r, decided, ['qValue', 'anomaly', 'explanation']);
    if (diff.length > 0) problems.push(`anomaly ${record.id}: ${diff.join('; ')}`);
  }
  return problems;
}
