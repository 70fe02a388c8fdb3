import type { Compressor } from '../compressors/compressor';
import { windowMetrics } from '../metrics/window-metrics';
import { decideBatch } from '../decide';
import { PROFILES } from '../profiles';
import { excessTest, zToScore } from '../stats/excess-test';
import { quantileSorted } from '../stats/quantile';
import { windowRng } from '../stats/seeded-rng';
import { smoothedTail } from '../stats/smoothed-tail';
import type { AnalysisParams, EventScore, IndexRange, WindowResult } from '../types';
import { columnModel, countRow, rowBits, type ColumnModel } from './column-model';
import { detectPeriod } from './period';
import { level, quantiserOf, type Quantiser } from './quantiser';
import { writeZigzagVarint } from './zigzag-varint';

/** Rows between baseline refreshes (each refresh re-quantises and re-calibrates). */
export const SERIES_REFRESH = 32;
/** Rows between searches for a period (detectPeriod scans the history's autocorrelation: the costly step). */
export const SERIES_PERIOD_REFRESH = 512;
/** Rows after a row's surprise during which a lower surprise counts as the same incident. */
export const SERIES_REFRACTORY = 100;
/** Weight of a surprise that does not exceed the previous SERIES_REFRACTORY rows' (a continuing incident). */
export const SERIES_REPEAT = 0.5;
/**
 * Default history of the series path, rows (`--baseline` for a .csv input).
 * A row costs a few bits, not hundreds, so the model can afford far more of
 * them than a log baseline holds lines, and rare levels need the counts:
 * on NAB, 1000 → 5000 rows raised the standard score from 33.6 to 49.8.
 */
export const DEFAULT_SERIES_BASELINE = 5000;
/** History a window needs before it is tested (rows): whole daily cycles at 5-minute sampling. */
export const SERIES_WINDOW_HISTORY = 1000;
/**
 * Code lengths closer than this differ by nothing that matters (bits): the
 * least smoothing scale. A row needing under a bit more than usual is not
 * surprising (the balanced profile's window bar is one bit per row too);
 * NAB standard 49.8 at 0.05 bits, 50.7 at 1 (0.5: 50.3, 2: 48.8, 4: 42.9).
 */
const RESOLUTION = 1;
/** The fewest history rows a baseline needs. */
const MIN_HISTORY = 32;

/** A baseline for rows [at, at + SERIES_REFRESH): built from earlier rows only. */
interface SeriesSnapshot {
  /** One model per column; each learns the rows it scores until the next refresh. */
  models: ColumnModel[];
  quantisers: Quantiser[];
  /** Code lengths (bits) the calibration rows had when they arrived, ascending. */
  calibration: Float64Array;
  /** Smoothing scale of the tail: max(RESOLUTION, IQR/1.349 of the calibration). */
  scale: number;
  /** Rows the models were counted from at the refresh (the history). */
  reference: IndexRange;
  calibrationRows: IndexRange;
}

/** Bits of one row under the snapshot (all columns), rounded to 1/8 bit so sums are exact. */
function rowCost(columns: readonly Float64Array[], snap: SeriesSnapshot, row: number): number {
  let bits = 0;
  columns.forEach((values, c) => (bits += rowBits(values, snap.models[c]!, row)));
  return Math.round(bits * 8) / 8;
}

/**
 * The baseline for rows from `at` on. History = the last `baseline` rows
 * before `at`: its scale fixes each column's grid (quantiserOf), its levels
 * choose the column's seasonal context (detectPeriod, re-run every
 * SERIES_PERIOD_REFRESH rows, else the previous snapshot's period), and its
 * symbols are the model's counts. Calibration = the code lengths the last
 * baseline/2 scored rows had when they arrived (each under the model of the
 * rows before it: prequential), so a row's cost is compared with what
 * arriving rows usually cost. The first snapshot, with no scored rows yet,
 * calibrates on the older half of its own history.
 */
function buildSeriesSnapshot(
  columns: readonly Float64Array[],
  at: number,
  baseline: number,
  costs: Float64Array,
  firstScored: number,
  previous: SeriesSnapshot | undefined,
): SeriesSnapshot | undefined {
  const h0 = Math.max(0, at - baseline);
  if (at - h0 < MIN_HISTORY) return undefined;
  const quantisers = columns.map((v) => quantiserOf(v.subarray(h0, at)));
  const periods = columns.map((v, c) => {
    if (previous && at % SERIES_PERIOD_REFRESH !== 0) return previous.models[c]!.period;
    const q = quantisers[c]!;
    return detectPeriod(Int32Array.from(v.subarray(h0, at), (x) => level(q, x)), previous?.models[c]!.period ?? 0);
  });
  const snap: SeriesSnapshot = {
    models: columns.map((v, c) => columnModel(v, quantisers[c]!, periods[c]!, h0, at)),
    quantisers,
    calibration: new Float64Array(0),
    scale: RESOLUTION,
    reference: [h0, at - 1],
    calibrationRows: [h0, at - 1],
  };
  // Rows costed under a model of at least half the present history: earlier ones paid for a model still learning.
  const c0 = Math.max(firstScored, at - Math.floor(baseline / 2), Math.ceil((at - h0) / 2));
  let cal: Float64Array;
  if (firstScored >= 0 && at - c0 >= MIN_HISTORY) {
    cal = costs.slice(c0, at);
    snap.calibrationRows = [c0, at - 1];
  } else {
    const mid = h0 + Math.floor((at - h0) / 2);
    cal = new Float64Array(mid - h0);
    for (let r = h0; r < mid; r++) cal[r - h0] = rowCost(columns, snap, r);
    snap.calibrationRows = [h0, mid - 1];
  }
  cal.sort();
  snap.calibration = cal;
  snap.scale = Math.max(RESOLUTION, (quantileSorted(cal, 0.75) - quantileSorted(cal, 0.25)) / 1.349);
  return snap;
}

/** Per-row results of the series path: costs (bits), scores in [0, 1], and each row's baseline. */
export interface SeriesRowScores {
  costs: Float64Array;
  scores: Float64Array;
  snapOf: (SeriesSnapshot | undefined)[];
}

/**
 * Causal per-row costs and scores: row i's use rows 0..i only. Each row is
 * costed under its snapshot's models, then counted into them (an adaptive
 * code, as a compressor's: a level seen once costs less the second time).
 */
export function seriesRowScores(columns: readonly Float64Array[], baseline: number): SeriesRowScores {
  const n = columns[0]!.length;
  const costs = new Float64Array(n);
  const scores = new Float64Array(n);
  const surprise = new Float64Array(n);
  const snapOf = new Array<SeriesSnapshot | undefined>(n);
  let snap: SeriesSnapshot | undefined;
  let firstScored = -1;
  for (let i = 0; i < n; i++) {
    if (i % SERIES_REFRESH === 0 || !snap) snap = buildSeriesSnapshot(columns, i, baseline, costs, firstScored, snap) ?? snap;
    if (!snap) continue;
    if (firstScored < 0) firstScored = i;
    snapOf[i] = snap;
    costs[i] = rowCost(columns, snap, i);
    columns.forEach((values, c) => countRow(values, snap!.models[c]!, i));
    const s = -Math.log10(Math.max(1e-300, smoothedTail(snap.calibration, costs[i]!, snap.scale, 'upper')));
    surprise[i] = s;
    let recent = 0;
    for (let j = Math.max(0, i - SERIES_REFRACTORY); j < i; j++) recent = Math.max(recent, surprise[j]!);
    const weighted = s > recent ? s : SERIES_REPEAT * s;
    scores[i] = weighted / (1 + weighted);
  }
  return { costs, scores, snapOf };
}

export interface SeriesAnalysis {
  /** One score per row, causal: row i's score uses rows 0..i only. */
  rows: EventScore[];
  windows: WindowResult[];
}

/**
 * The format-aware path for numeric series (DESIGN.md §4). Every
 * SERIES_REFRESH rows a baseline is rebuilt from the preceding rows only:
 * values are quantised on the baseline's own grid (quantiserOf) into a level
 * column and a context column (the change from the previous row, or the
 * deviation from the previous cycles when the history has a period:
 * detectPeriod), and each column is coded by an adaptive entropy coder whose
 * model is the history's symbol counts plus every row scored since
 * (codeLength, countRow). A row costs
 *   c_i = Σ_columns [L(level_i) + L(context_i)]  bits,
 * its surprise is s_i = −log10 of the smoothed upper tail of c_i among the
 * code lengths recent rows had when they arrived (smoothedTail), and its
 * score is s/(1 + s) (halved when an equal or larger surprise occurred in
 * the previous SERIES_REFRACTORY rows: one incident, one alarm). Rows with
 * fewer than MIN_HISTORY rows before them score 0. Windows of rows are then
 * tested like log windows (excessTest on row costs against the calibration,
 * Benjamini–Hochberg across this series' windows, effect of at least
 * minSeriesBitsPerRow per row); a row is anomalous when its window is
 * flagged and its cost passes that window's excess threshold.
 *
 * @param columns one Float64Array per numeric column, all of the same length
 * @example analyzeSeries('cpu.csv', [values], DEFAULT_PARAMS, zstd).rows[700].score
 */
export function analyzeSeries(
  stream: string,
  columns: readonly Float64Array[],
  params: AnalysisParams,
  compressor: Compressor,
  timestamps?: readonly (number | undefined)[],
): SeriesAnalysis {
  const w = params.windowing;
  if (w.kind !== 'count') throw new Error('analyzeSeries: metric series use count windows');
  if (columns.length === 0) throw new Error('analyzeSeries: no numeric column');
  const n = columns[0]!.length;
  for (const c of columns) if (c.length !== n) throw new Error('analyzeSeries: columns differ in length');

  const { costs, scores, snapOf } = seriesRowScores(columns, w.baseline);

  const windows = seriesWindows(stream, columns, params, compressor, costs, snapOf, timestamps);
  const profile = PROFILES[params.profile];
  const seriesMinimum = (r: WindowResult): number => Math.max(profile.minExcessBits, r.n * profile.minSeriesBitsPerRow);
  decideBatch(
    windows.map((x) => x.result),
    params.profile,
    seriesMinimum,
  );
  const rows: EventScore[] = [];
  for (let i = 0; i < n; i++) {
    const t = timestamps?.[i];
    rows.push({ stream, index: i, ...(t !== undefined ? { timestamp: t } : {}), bits: costs[i]!, score: scores[i]!, anomaly: false });
  }
  for (const { result, threshold } of windows) {
    if (!result.anomaly) continue;
    for (let i = result.firstEvent; i <= result.lastEvent; i++) if (costs[i]! > threshold) rows[i]!.anomaly = true;
  }
  return { rows, windows: windows.map((x) => x.result) };
}

/** Zig-zag varint bytes of rows [first, last]'s levels: the level column as zstd sees it. */
function levelBytes(values: Float64Array, q: Quantiser, first: number, last: number): Uint8Array {
  const out = new Uint8Array((last - first + 1) * 5);
  let at = 0;
  for (let r = first; r <= last; r++) at = writeZigzagVarint(level(q, values[r]!), out, at);
  return out.slice(0, at);
}

function seriesWindows(
  stream: string,
  columns: readonly Float64Array[],
  params: AnalysisParams,
  compressor: Compressor,
  costs: Float64Array,
  snapOf: readonly (SeriesSnapshot | undefined)[],
  timestamps?: readonly (number | undefined)[],
): { result: WindowResult; threshold: number }[] {
  const w = params.windowing;
  if (w.kind !== 'count') return [];
  const profile = PROFILES[params.profile];
  const n = costs.length;
  const out: { result: WindowResult; threshold: number }[] = [];
  for (let k = 0; k * w.hop < n; k++) {
    const first = k * w.hop;
    const last = Math.min(n - 1, first + w.window - 1);
    const snap = snapOf[first];
    // A window is tested only once the history has seen whole cycles of the
    // series (per-row scores run from MIN_HISTORY rows on, for streaming use).
    if (!snap || snap.reference[1] - snap.reference[0] + 1 < Math.min(w.baseline, SERIES_WINDOW_HISTORY)) continue;
    const windowCosts = costs.slice(first, last + 1);
    const test = excessTest(snap.calibration, windowCosts, params.permutations, windowRng(params.seed, stream, k), snap.calibration);
    // Compression view of the level column for the report: C, NCD and novelty against the model rows.
    const q = snap.quantisers[0]!;
    const bytes = levelBytes(columns[0]!, q, first, last);
    const reference = levelBytes(columns[0]!, q, snap.reference[0], snap.reference[1]);
    const conditional = compressor.withDictionary(reference).size(bytes);
    let mean = 0;
    for (const c of windowCosts) mean += c;
    mean /= windowCosts.length;
    let calMean = 0;
    for (const c of snap.calibration) calMean += c;
    calMean /= snap.calibration.length;
    const order = Array.from(windowCosts.keys()).sort((a, b) => windowCosts[b]! - windowCosts[a]! || a - b);
    const st = timestamps?.[first];
    const et = timestamps?.[last];
    const range = (lo: number, mid: number, hi: number): { p05: number; median: number; p95: number } => ({ p05: lo, median: mid, p95: hi });
    const result: WindowResult = {
      stream,
      window: k,
      firstEvent: first,
      lastEvent: last,
      n: last - first + 1,
      ...(st !== undefined ? { startTime: st } : {}),
      ...(et !== undefined ? { endTime: et } : {}),
      ...windowMetrics(compressor, bytes, reference, conditional),
      meanBits: mean,
      baselineMeanBits: calMean,
      statistic: test.statistic,
      excessBits: test.excessBits,
      novelEvents: test.novelEvents,
      pValue: test.pValue,
      permutations: test.permutations,
      ...(test.pBound !== undefined ? { pBound: test.pBound } : {}),
      qValue: test.pValue,
      score: zToScore(test.z),
      anomaly: false,
      suspect: test.pValue <= profile.alpha && test.excessBits >= Math.max(profile.minExcessBits, (last - first + 1) * profile.minSeriesBitsPerRow),
      explanation: '',
      topEvents: order.slice(0, params.topEvents).map((i) => ({
        index: first + i,
        bits: windowCosts[i]!,
        text: columns.map((c) => String(c[first + i])).join(','),
      })),
      baseline: { reference: [snap.reference], calibration: [snap.calibrationRows] },
      baselineRange: {
        cr: range(NaN, NaN, NaN),
        ncd: range(NaN, NaN, NaN),
        meanBits: range(quantileSorted(snap.calibration, 0.05), quantileSorted(snap.calibration, 0.5), quantileSorted(snap.calibration, 0.95)),
      },
    };
    out.push({ result, threshold: test.threshold });
  }
  return out;
}
