import type { BaselineRef, MetricRange, TopEvent, WindowResult } from '../../core/types';

/** The `windows` table row (snake_case columns). */
export interface WindowDbRow {
  id: number;
  analysis_id: number;
  stream_id: number;
  window: number;
  first_event: number;
  last_event: number;
  n: number;
  start_time: number | null;
  end_time: number | null;
  cr: number | null;
  cr_baseline: number | null;
  delta_bits: number | null;
  entropy: number | null;
  ncd: number | null;
  novelty: number | null;
  mean_bits: number | null;
  baseline_mean_bits: number | null;
  statistic: number | null;
  excess_bits: number | null;
  novel_events: number;
  p_value: number;
  permutations: number;
  p_bound: number | null;
  q_value: number;
  score: number | null;
  anomaly: number;
  suspect: number;
  explanation: string;
  top_events: string;
  baseline: string;
  baseline_range: string;
}

/** Column order of `windowParams`. */
export const WINDOW_COLUMNS = [
  'analysis_id', 'stream_id', 'window', 'first_event', 'last_event', 'n', 'start_time', 'end_time',
  'cr', 'cr_baseline', 'delta_bits', 'entropy', 'ncd', 'novelty', 'mean_bits', 'baseline_mean_bits',
  'statistic', 'excess_bits', 'novel_events', 'p_value', 'permutations', 'p_bound', 'q_value', 'score',
  'anomaly', 'suspect', 'explanation', 'top_events', 'baseline', 'baseline_range',
] as const;

// SQLite stores NaN as NULL; metrics that may be NaN (no baseline sample)
// come back as NaN, so a stored window equals the one the engine produced.
const num = (v: number | null): number => (v === null ? NaN : v);

function rangeOf(r: { p05: number | null; median: number | null; p95: number | null }): MetricRange {
  return { p05: num(r.p05), median: num(r.median), p95: num(r.p95) };
}

/** Bind parameters for one window, in WINDOW_COLUMNS order. */
export function windowParams(analysisId: number, streamId: number, w: WindowResult): unknown[] {
  return [
    analysisId, streamId, w.window, w.firstEvent, w.lastEvent, w.n, w.startTime ?? null, w.endTime ?? null,
    w.cr, w.crBaseline, w.deltaBits, w.entropy, w.ncd, w.novelty, w.meanBits, w.baselineMeanBits,
    w.statistic, w.excessBits, w.novelEvents, w.pValue, w.permutations, w.pBound ?? null, w.qValue, w.score,
    w.anomaly ? 1 : 0, w.suspect ? 1 : 0, w.explanation, JSON.stringify(w.topEvents), JSON.stringify(w.baseline),
    JSON.stringify(w.baselineRange),
  ];
}

/**
 * The stored window as the engine's WindowResult. Keys come in the engine's
 * order (see scoreWindow), so JSON of a stored window is byte-identical to
 * JSON of the one the engine returned.
 */
export function windowFromRow(r: WindowDbRow, stream: string): WindowResult {
  const range = JSON.parse(r.baseline_range) as Record<'cr' | 'ncd' | 'meanBits', { p05: number | null; median: number | null; p95: number | null }>;
  return {
    stream,
    window: r.window,
    firstEvent: r.first_event,
    lastEvent: r.last_event,
    n: r.n,
    ...(r.start_time !== null ? { startTime: r.start_time } : {}),
    ...(r.end_time !== null ? { endTime: r.end_time } : {}),
    cr: num(r.cr),
    crBaseline: num(r.cr_baseline),
    deltaBits: num(r.delta_bits),
    entropy: num(r.entropy),
    ncd: num(r.ncd),
    novelty: num(r.novelty),
    meanBits: num(r.mean_bits),
    baselineMeanBits: num(r.baseline_mean_bits),
    statistic: num(r.statistic),
    excessBits: num(r.excess_bits),
    novelEvents: r.novel_events,
    pValue: r.p_value,
    permutations: r.permutations,
    ...(r.p_bound !== null ? { pBound: r.p_bound } : {}),
    qValue: r.q_value,
    score: num(r.score),
    anomaly: r.anomaly === 1,
    suspect: r.suspect === 1,
    explanation: r.explanation,
    topEvents: JSON.parse(r.top_events) as TopEvent[],
    baseline: JSON.parse(r.baseline) as BaselineRef,
    baselineRange: { cr: rangeOf(range.cr), ncd: rangeOf(range.ncd), meanBits: rangeOf(range.meanBits) },
  };
}
