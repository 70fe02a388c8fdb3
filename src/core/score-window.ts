import type { BaselineSnapshot, HeldEvent } from './baseline';
import { ncdAgainst } from './baseline';
import type { Compressor } from './compressors/compressor';
import { compressionRatio } from './metrics/compression-ratio';
import { deltaBits } from './metrics/delta-bits';
import { byteEntropy } from './metrics/entropy';
import { eventCostBits } from './metrics/event-cost';
import { novelty } from './metrics/novelty';
import { PROFILES } from './profiles';
import { permutationTailBound } from './stats/hypergeometric-bound';
import { normalUpperTail } from './stats/normal';
import { countExceedances, permutationPValue, samplingMoments } from './stats/permutation-test';
import { windowRng } from './stats/seeded-rng';
import type { AnalysisParams, TopEvent, WindowResult } from './types';

/**
 * Refinement stages for p-values at the resolution floor: a window that no
 * permutation matched is re-tested with 10x, then 100x the permutations
 * (continuing the same random sequence), because Benjamini–Hochberg over M
 * windows needs p-values near α/M, below 1/(1 + N) for N = 1000.
 */
export const FLOOR_REFINEMENT = [10, 100] as const;

/**
 * Refinement sampling is skipped when (extra permutations)·(tail bound) is
 * below this: they would find no exceedance except with this probability.
 */
const NEGLIGIBLE = 1e-9;

/**
 * The excess threshold's quantile level in the pool. It sits below the share
 * of the pool a window fills (n/M), so a window made entirely of new events
 * still finds the threshold among ordinary costs and stands out.
 */
export function excessLevel(n: number, pool: number): number {
  return Math.min(0.95, Math.max(0.5, 0.95 - (1.5 * n) / pool));
}

/** Map a standardized excess to [0, 1]: 0.5 at three standard deviations. */
export function zToScore(z: number): number {
  return 1 / (1 + Math.exp(-(z - 3) / 2));
}

/**
 * Events per chunk when measuring the baseline's usual range: the window size
 * for count windows; for time windows, whose sizes vary, a fixed 32.
 */
export function rangeChunkSize(params: AnalysisParams): number {
  return params.windowing.kind === 'count' ? params.windowing.window : 32;
}

export interface WindowInput {
  stream: string;
  window: number;
  /** The window's events in stream order. */
  events: readonly HeldEvent[];
  startTime?: number;
  endTime?: number;
}

export interface ScoredWindow {
  result: WindowResult;
  /** Per-event costs of the window's events, bits. */
  costs: Float64Array;
  /** The excess threshold (bits) the test applied. */
  threshold: number;
}

/**
 * Score one window against a baseline snapshot: the compression metrics, the
 * permutation test on per-event conditional costs, and the provisional
 * decision (`suspect`). A pure function of (snapshot events, window events,
 * params, stream, window number): this is what a verifier re-runs.
 */
export function scoreWindow(
  compressor: Compressor,
  snap: BaselineSnapshot,
  params: AnalysisParams,
  input: WindowInput,
): ScoredWindow {
  const events = input.events;
  const n = events.length;
  if (n === 0) throw new Error(`scoreWindow: window ${input.window} of ${input.stream} has no events`);
  const costs = new Float64Array(n);
  let bytesLength = 0;
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    if (e.costSnapshot !== snap.id) {
      e.cost = eventCostBits(snap.primed, e.bytes);
      e.costSnapshot = snap.id;
    }
    costs[i] = e.cost;
    bytesLength += e.bytes.length;
  }
  const windowBytes = new Uint8Array(bytesLength);
  for (let i = 0, at = 0; i < n; i++) {
    windowBytes.set(events[i]!.bytes, at);
    at += events[i]!.bytes.length;
  }

  // Compression metrics against the equal-size tail of the reference.
  const m = ncdAgainst(compressor, windowBytes, snap.referenceBytes);
  const conditional = snap.primed.size(windowBytes);

  // The test statistic: bits of window events above the pool's excess threshold.
  const cal = snap.calibrationCosts;
  const pool = new Float64Array(cal.length + n);
  pool.set(cal);
  pool.set(costs, cal.length);
  const sorted = Float64Array.from(pool).sort();
  const threshold = sorted[Math.floor(excessLevel(n, pool.length) * (pool.length - 1))]!;
  for (let i = 0; i < pool.length; i++) pool[i] = Math.max(0, pool[i]! - threshold);
  let observed = 0;
  let novelEvents = 0;
  for (let i = cal.length; i < pool.length; i++) {
    observed += pool[i]!;
    if (pool[i]! > 0) novelEvents++;
  }
  const moments = samplingMoments(pool, n);
  const excessBits = observed - moments.mean;
  const z = moments.sd > 0 ? excessBits / moments.sd : excessBits > 0 ? 50 : 0;

  let pValue: number;
  let permutations = params.permutations;
  let pBound: number | undefined;
  if (permutations > 0) {
    const rng = windowRng(params.seed, input.stream, input.window);
    let exceed = countExceedances(pool, n, observed, permutations, rng);
    if (exceed === 0) {
      const maxPermutations = params.permutations * FLOOR_REFINEMENT[FLOOR_REFINEMENT.length - 1]!;
      const bound = permutationTailBound(Float64Array.from(pool).sort().reverse(), n, observed);
      if (bound * (maxPermutations - permutations) < NEGLIGIBLE) {
        permutations = maxPermutations;
        pBound = bound;
      } else {
        for (const factor of FLOOR_REFINEMENT) {
          if (exceed > 0) break;
          const more = params.permutations * factor - permutations;
          exceed += countExceedances(pool, n, observed, more, rng);
          permutations += more;
        }
      }
    }
    pValue = permutationPValue(exceed, permutations);
  } else {
    // Permutations off: the normal approximation with the exact moments.
    pValue = normalUpperTail(z);
  }

  const profile = PROFILES[params.profile];
  const suspect = pValue <= profile.alpha && excessBits >= profile.minExcessBits;
  let windowMean = 0;
  for (let i = 0; i < n; i++) windowMean += costs[i]!;
  windowMean /= n;
  let calMean = 0;
  for (let i = 0; i < cal.length; i++) calMean += cal[i]!;
  calMean = cal.length > 0 ? calMean / cal.length : 0;

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => costs[b]! - costs[a]! || a - b);
  const topEvents: TopEvent[] = order.slice(0, params.topEvents).map((i) => ({
    index: events[i]!.index,
    bits: costs[i]!,
    text: events[i]!.text,
  }));

  const first = events[0]!;
  const last = events[n - 1]!;
  const startTime = input.startTime ?? first.timestamp;
  const endTime = input.endTime ?? last.timestamp;
  const result: WindowResult = {
    stream: input.stream,
    window: input.window,
    firstEvent: first.index,
    lastEvent: last.index,
    n,
    ...(startTime !== undefined ? { startTime } : {}),
    ...(endTime !== undefined ? { endTime } : {}),
    cr: compressionRatio(m.cx, windowBytes.length),
    crBaseline: m.ref.length > 0 ? compressionRatio(m.cRef, m.ref.length) : NaN,
    deltaBits: m.ref.length > 0 ? deltaBits(m.cx, m.cRef, windowBytes.length) : NaN,
    entropy: byteEntropy(windowBytes),
    ncd: m.ncd,
    novelty: novelty(conditional, m.cx),
    meanBits: windowMean,
    baselineMeanBits: calMean,
    statistic: observed,
    excessBits,
    novelEvents,
    pValue,
    permutations: params.permutations > 0 ? permutations : 0,
    ...(pBound !== undefined ? { pBound } : {}),
    qValue: pValue,
    score: zToScore(z),
    anomaly: suspect,
    suspect,
    explanation: '',
    topEvents,
    baseline: { reference: snap.reference, calibration: snap.calibration },
    baselineRange: snap.range,
  };
  return { result, costs, threshold };
}
