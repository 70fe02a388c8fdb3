import { ncdAgainst } from '../baseline';
import type { Compressor, DictionaryCompressor } from '../compressors/compressor';
import { compressionRatio } from '../metrics/compression-ratio';
import { deltaBits } from '../metrics/delta-bits';
import { byteEntropy } from '../metrics/entropy';
import { novelty } from '../metrics/novelty';
import { decideBatch } from '../decide';
import { PROFILES } from '../profiles';
import { excessTest, zToScore } from '../stats/excess-test';
import { quantileSorted } from '../stats/quantile';
import { windowRng } from '../stats/seeded-rng';
import type { AnalysisParams, EventScore, IndexRange, WindowResult } from '../types';
import { level, quantiserOf, type Quantiser } from './quantiser';
import { writeZigzagVarint } from './zigzag-varint';

/** Rows of context in a row's code: the row and the 7 before it. */
export const SERIES_CONTEXT = 8;
/** Rows between baseline refreshes (each refresh re-quantises and re-calibrates). */
export const SERIES_REFRESH = 32;

/** A baseline for rows [from, from + SERIES_REFRESH): built from earlier rows only. */
interface SeriesSnapshot {
  quantisers: Quantiser[];
  levelDicts: DictionaryCompressor[];
  deltaDicts: DictionaryCompressor[];
  /** Level-column bytes of the reference rows (for NCD and the ratio). */
  referenceBytes: Uint8Array;
  calibration: Float64Array;
  sortedCalibration: Float64Array;
  reference: IndexRange;
  calibrationRows: IndexRange;
}

/**
 * The columnar code of rows [first, last] of one column: its level column
 * (zig-zag varint of each row's level on the baseline's grid) and its delta
 * column (zig-zag varint of level differences, the first against row first − 1).
 */
function encodeColumn(values: Float64Array, q: Quantiser, first: number, last: number): { levels: Uint8Array; deltas: Uint8Array } {
  const count = last - first + 1;
  const levels = new Uint8Array(count * 5);
  const deltas = new Uint8Array(count * 5);
  let a = 0;
  let b = 0;
  let previous = first > 0 ? level(q, values[first - 1]!) : level(q, values[first]!);
  for (let r = first; r <= last; r++) {
    const l = level(q, values[r]!);
    a = writeZigzagVarint(l, levels, a);
    b = writeZigzagVarint(l - previous, deltas, b);
    previous = l;
  }
  return { levels: levels.slice(0, a), deltas: deltas.slice(0, b) };
}

function rowCost(columns: readonly Float64Array[], snap: SeriesSnapshot, row: number): number {
  const first = Math.max(0, row - SERIES_CONTEXT + 1);
  let bits = 0;
  columns.forEach((values, c) => {
    const code = encodeColumn(values, snap.quantisers[c]!, first, row);
    bits += 8 * (snap.levelDicts[c]!.size(code.levels) - snap.levelDicts[c]!.overhead);
    bits += 8 * (snap.deltaDicts[c]!.size(code.deltas) - snap.deltaDicts[c]!.overhead);
  });
  return bits;
}

/**
 * The baseline for rows from `at` on: history = the last `baseline` rows
 * before `at`. Its older half calibrates (the costs of its rows' codes), its
 * recent half, less the last SERIES_CONTEXT rows, is the dictionary: so no
 * scored row's context and no calibration row's context is in the
 * dictionary, and calibration and scored costs are measured alike.
 */
function buildSeriesSnapshot(compressor: Compressor, columns: readonly Float64Array[], at: number, baseline: number): SeriesSnapshot | undefined {
  const h0 = Math.max(0, at - baseline);
  const mid = h0 + Math.floor((at - h0) / 2);
  const dictEnd = at - SERIES_CONTEXT; // exclusive
  const calFirst = h0 + SERIES_CONTEXT - 1;
  if (dictEnd - mid < 2 * SERIES_CONTEXT || mid - calFirst < 2 * SERIES_CONTEXT) return undefined;
  const quantisers = columns.map((v) => quantiserOf(v.subarray(h0, at)));
  const levelDicts: DictionaryCompressor[] = [];
  const deltaDicts: DictionaryCompressor[] = [];
  let referenceBytes: Uint8Array = new Uint8Array(0);
  columns.forEach((values, c) => {
    const code = encodeColumn(values, quantisers[c]!, mid, dictEnd - 1);
    levelDicts.push(compressor.withDictionary(code.levels));
    deltaDicts.push(compressor.withDictionary(code.deltas));
    if (c === 0) referenceBytes = code.levels;
  });
  const snap: SeriesSnapshot = {
    quantisers,
    levelDicts,
    deltaDicts,
    referenceBytes,
    calibration: new Float64Array(0),
    sortedCalibration: new Float64Array(0),
    reference: [mid, dictEnd - 1],
    calibrationRows: [calFirst, mid - 1],
  };
  const cal = new Float64Array(mid - calFirst);
  for (let r = calFirst; r < mid; r++) cal[r - calFirst] = rowCost(columns, snap, r);
  snap.calibration = cal;
  snap.sortedCalibration = Float64Array.from(cal).sort();
  return snap;
}

/** Calibration costs at or above `bits`, by binary search on the sorted calibration. */
function countAtLeast(sorted: Float64Array, bits: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < bits) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

export interface SeriesAnalysis {
  /** One score per row, causal: row i's score uses rows 0..i only. */
  rows: EventScore[];
  windows: WindowResult[];
}

/**
 * The format-aware path for numeric series (DESIGN.md §4). Every
 * SERIES_REFRESH rows a baseline is rebuilt from the preceding rows only:
 * values are quantised on the baseline's own grid (quantiserOf), coded as a
 * level column and a delta column (zig-zag varints), and each column is a
 * compression dictionary of its own. A row costs
 *   c_i = Σ_columns 8·(C(levels_{i−7..i} | D_lev) + C(deltas_{i−7..i} | D_Δ) − framing),
 * the bits its last eight rows need given the recent baseline; its score is
 * 1 − p_i with the conformal p_i = (1 + #{calibration costs ≥ c_i}) / (1 + N)
 * against the costs of the baseline's older half. Rows without enough history
 * score 0. Windows of rows are then tested like log windows (excessTest on
 * row costs, Benjamini–Hochberg across this series' windows); a row is anomalous when its
 * window is flagged and its cost passes that window's excess threshold.
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

  const costs = new Float64Array(n);
  const scores = new Float64Array(n);
  const snapOf: (SeriesSnapshot | undefined)[] = new Array<SeriesSnapshot | undefined>(n);
  let snap: SeriesSnapshot | undefined;
  for (let i = 0; i < n; i++) {
    if (i % SERIES_REFRESH === 0) snap = buildSeriesSnapshot(compressor, columns, i, w.baseline) ?? snap;
    if (!snap) continue;
    snapOf[i] = snap;
    const bits = rowCost(columns, snap, i);
    costs[i] = bits;
    const p = (1 + countAtLeast(snap.sortedCalibration, bits)) / (1 + snap.calibration.length);
    scores[i] = 1 - p;
  }

  const windows = seriesWindows(stream, columns, params, compressor, costs, snapOf, timestamps);
  decideBatch(windows, params.profile);
  const rows: EventScore[] = [];
  for (let i = 0; i < n; i++) {
    const t = timestamps?.[i];
    rows.push({
      stream,
      index: i,
      ...(t !== undefined ? { timestamp: t } : {}),
      bits: costs[i]!,
      score: scores[i]!,
      anomaly: false,
    });
  }
  for (const win of windows) {
    if (!win.anomaly) continue;
    const threshold = windowThresholds.get(win) ?? Infinity;
    for (let i = win.firstEvent; i <= win.lastEvent; i++) if (costs[i]! > threshold) rows[i]!.anomaly = true;
  }
  return { rows, windows };
}

const windowThresholds = new WeakMap<WindowResult, number>();

function seriesWindows(
  stream: string,
  columns: readonly Float64Array[],
  params: AnalysisParams,
  compressor: Compressor,
  costs: Float64Array,
  snapOf: readonly (SeriesSnapshot | undefined)[],
  timestamps?: readonly (number | undefined)[],
): WindowResult[] {
  const w = params.windowing;
  if (w.kind !== 'count') return [];
  const n = costs.length;
  const out: WindowResult[] = [];
  for (let k = 0; k * w.hop < n; k++) {
    const first = k * w.hop;
    const last = Math.min(n - 1, first + w.window - 1);
    const snap = snapOf[first];
    if (!snap) continue;
    const windowCosts = costs.slice(first, last + 1);
    const test = excessTest(snap.calibration, windowCosts, params.permutations, windowRng(params.seed, stream, k), snap.sortedCalibration);
    const code = encodeColumn(columns[0]!, snap.quantisers[0]!, first, last);
    const m = ncdAgainst(compressor, code.levels, snap.referenceBytes);
    const conditional = snap.levelDicts[0]!.size(code.levels);
    let mean = 0;
    for (const c of windowCosts) mean += c;
    mean /= windowCosts.length;
    let calMean = 0;
    for (const c of snap.calibration) calMean += c;
    calMean /= snap.calibration.length;
    const order = Array.from(windowCosts.keys()).sort((a, b) => windowCosts[b]! - windowCosts[a]! || a - b);
    const st = timestamps?.[first];
    const et = timestamps?.[last];
    const result: WindowResult = {
      stream,
      window: k,
      firstEvent: first,
      lastEvent: last,
      n: last - first + 1,
      ...(st !== undefined ? { startTime: st } : {}),
      ...(et !== undefined ? { endTime: et } : {}),
      cr: compressionRatio(m.cx, code.levels.length),
      crBaseline: m.ref.length > 0 ? compressionRatio(m.cRef, m.ref.length) : NaN,
      deltaBits: m.ref.length > 0 ? deltaBits(m.cx, m.cRef, code.levels.length) : NaN,
      entropy: byteEntropy(code.levels),
      ncd: m.ncd,
      novelty: novelty(conditional, m.cx),
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
      suspect: test.pValue <= PROFILES[params.profile].alpha && test.excessBits >= PROFILES[params.profile].minExcessBits,
      explanation: '',
      topEvents: order.slice(0, params.topEvents).map((i) => ({
        index: first + i,
        bits: windowCosts[i]!,
        text: columns.map((c) => String(c[first + i])).join(','),
      })),
      baseline: { reference: [snap.reference], calibration: [snap.calibrationRows] },
      baselineRange: {
        cr: { p05: NaN, median: NaN, p95: NaN },
        ncd: { p05: NaN, median: NaN, p95: NaN },
        meanBits: {
          p05: quantileSorted(snap.sortedCalibration, 0.05),
          median: quantileSorted(snap.sortedCalibration, 0.5),
          p95: quantileSorted(snap.sortedCalibration, 0.95),
        },
      },
    };
    windowThresholds.set(result, test.threshold);
    out.push(result);
  }
  return out;
}
