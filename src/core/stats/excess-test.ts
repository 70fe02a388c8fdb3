import { chernoffBound } from './chernoff-bound';
import { permutationTailBound } from './hypergeometric-bound';
import { normalUpperTail } from './normal';
import { countExceedances, permutationPValue, samplingMoments } from './permutation-test';
import type { Rng } from './seeded-rng';

/**
 * Refinement stages for p-values at the resolution floor: a unit that no
 * permutation matched is re-tested with 10x, then 100x the permutations
 * (continuing the same random sequence), because Benjamini–Hochberg over M
 * units needs p-values near α/M, below 1/(1 + N) for N = 1000.
 */
export const FLOOR_REFINEMENT = [10, 100] as const;

/**
 * Permutations are settled without sampling when (extra permutations)·(tail
 * bound) is below this: the expected number of exceedances among them, so
 * sampling them would find none except with at most this probability.
 */
const NEGLIGIBLE = 1e-6;

/**
 * How far a tail bound may settle the floor: up to N·10^6 permutations
 * (p ≈ 1e-9 for N = 1000). Sampling can never reach that, yet a batch of a
 * million windows (a 100 M-line case) needs p near α/M to flag anything;
 * the bound does it for windows whose excess no plausible permutation matches.
 */
const MAX_SETTLED_FACTOR = 1_000_000;

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

export interface ExcessTest {
  /** The excess threshold (bits): the pool's excessLevel quantile. */
  threshold: number;
  /** T_obs: the unit's bits above the threshold, summed. */
  statistic: number;
  /** Effect size: T_obs minus its exact mean under permutation, bits. */
  excessBits: number;
  /** excessBits over the exact permutation standard deviation. */
  z: number;
  /** Unit events whose cost is above the threshold. */
  novelEvents: number;
  pValue: number;
  /** Permutations behind pValue (0 when the test is off). */
  permutations: number;
  /** Set when the floor refinement was replaced by the rigorous tail bound. */
  pBound?: number;
}

/**
 * The engine's test of "these n events cost more than exchangeable draws
 * from the calibration": pool = calibration ∪ unit costs; threshold t = the
 * pool's excessLevel(n, M) quantile; each value becomes max(0, c − t);
 * T_obs = the unit's sum; p = (1 + #{T_perm ≥ T_obs}) / (1 + N) over N
 * draws of n values without replacement (refined at the floor, or bounded by
 * the hypergeometric tail bound); with N = 0 the normal approximation of
 * the exact permutation moments. Metric-series windows use it; log windows
 * use twoLookTest, which adds a second look above the pool median.
 *
 * @param calibration baseline costs, bits (integers)
 * @param costs the unit's costs, bits (integers), n ≥ 1
 * @param rng the unit's own generator (see windowRng)
 * @param sortedCalibration the calibration sorted ascending, when many units share
 *   one calibration: the threshold is then selected in O(n log M) instead of a sort
 * @example excessTest(cal, Float64Array.of(400, 380), 1000, rng).pValue // ≈ 1e-5 when cal holds ordinary 40-bit lines
 */
export function excessTest(
  calibration: Float64Array,
  costs: Float64Array,
  permutations: number,
  rng: Rng,
  sortedCalibration?: Float64Array,
): ExcessTest {
  const n = costs.length;
  if (n === 0) throw new Error('excessTest: the unit has no events');
  const pool = new Float64Array(calibration.length + n);
  pool.set(calibration);
  pool.set(costs, calibration.length);
  const k = Math.floor(excessLevel(n, pool.length) * (pool.length - 1));
  const threshold = sortedCalibration
    ? kthOfUnion(sortedCalibration, Float64Array.from(costs).sort(), k)
    : Float64Array.from(pool).sort()[k]!;
  for (let i = 0; i < pool.length; i++) pool[i] = Math.max(0, pool[i]! - threshold);
  let observed = 0;
  let novelEvents = 0;
  for (let i = calibration.length; i < pool.length; i++) {
    observed += pool[i]!;
    if (pool[i]! > 0) novelEvents++;
  }
  const moments = samplingMoments(pool, n);
  const excessBits = observed - moments.mean;
  const z = moments.sd > 0 ? excessBits / moments.sd : excessBits > 0 ? 50 : 0;

  if (permutations === 0) {
    return { threshold, statistic: observed, excessBits, z, novelEvents, pValue: normalUpperTail(z), permutations: 0 };
  }
  const floor = refineAtFloor(
    permutations,
    (draws) => countExceedances(pool, n, observed, draws, rng),
    // Two rigorous upper bounds on the exact tail; each is tight in its own regime.
    () => Math.min(permutationTailBound(Float64Array.from(pool).sort().reverse(), n, observed), chernoffBound(pool, n, observed)),
  );
  return { threshold, statistic: observed, excessBits, z, novelEvents, ...floor };
}

/** The p-value part of a permutation test once the floor is settled. */
export interface FloorRefined {
  pValue: number;
  /** Permutations behind pValue. */
  permutations: number;
  /** Set when a tail bound settled the floor instead of sampling. */
  pBound?: number;
}

/**
 * p = (1 + #{T_perm ≥ T_obs}) / (1 + N) with the floor rule every permutation
 * test of the engine shares: N permutations first; a unit that none matched
 * is settled by a rigorous tail bound on P(T_perm ≥ T_obs) when the bound
 * makes any exceedance among the next draws negligible (up to N·10^6
 * draws), else re-sampled with 10x, then 100x N (continuing the same
 * random sequence) and then settled again if still unmatched.
 *
 * @param sample counts exceedances among that many further permutations
 * @param tailBound a rigorous upper bound on the exact tail (called at most once)
 */
export function refineAtFloor(permutations: number, sample: (draws: number) => number, tailBound: () => number): FloorRefined {
  let done = permutations;
  let pBound: number | undefined;
  let exceed = sample(permutations);
  if (exceed === 0) {
    const bound = tailBound();
    const settle = (): number => {
      // The largest power-of-ten multiple of N (≥ what was sampled) the bound settles.
      let settled = 0;
      for (let f = FLOOR_REFINEMENT[FLOOR_REFINEMENT.length - 1]!; f <= MAX_SETTLED_FACTOR; f *= 10) {
        if (permutations * f <= done) continue;
        if (bound * (permutations * f - done) < NEGLIGIBLE) settled = f;
        else break;
      }
      return settled;
    };
    let settled = settle();
    if (settled === 0) {
      for (const factor of FLOOR_REFINEMENT) {
        if (exceed > 0) break;
        const more = permutations * factor - done;
        exceed += sample(more);
        done += more;
      }
      if (exceed === 0) settled = settle();
    }
    if (settled > 0) {
      done = permutations * settled;
      pBound = bound;
    }
  }
  return { pValue: permutationPValue(exceed, done), permutations: done, ...(pBound !== undefined ? { pBound } : {}) };
}

function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The k-th smallest (0-based) value of the union of two ascending arrays,
 * b short. If it comes from a, its index there lies in [k − |b|, k], so the
 * answer is among those values and b's: the first candidate (ascending)
 * with at least k + 1 union values ≤ it.
 *
 * @example kthOfUnion(Float64Array.of(1, 3, 5), Float64Array.of(2, 4), 3) // 4
 */
export function kthOfUnion(a: Float64Array, b: Float64Array, k: number): number {
  if (!(k >= 0 && k < a.length + b.length)) throw new Error(`kthOfUnion: k = ${k} outside [0, ${a.length + b.length})`);
  const candidates: number[] = Array.from(b);
  for (let i = Math.max(0, k - b.length); i <= Math.min(a.length - 1, k); i++) candidates.push(a[i]!);
  candidates.sort((x, y) => x - y);
  for (const v of candidates) if (upperBound(a, v) + upperBound(b, v) >= k + 1) return v;
  throw new Error('kthOfUnion: unreachable');
}
