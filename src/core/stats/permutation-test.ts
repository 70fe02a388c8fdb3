import type { Rng } from './seeded-rng';
import { uniformBelow } from './seeded-rng';

const TWO_32 = 0x100000000;

/**
 * Cumulative hypergeometric distribution P(K ≤ k), k = 0…min(Z, n), for the
 * number K of marked items among n drawn without replacement from M items of
 * which Z are marked, scaled to [0, 2^32] for inversion with one 32-bit draw.
 */
export function hypergeometricCdf32(M: number, Z: number, n: number): Float64Array {
  const lo = Math.max(0, n - (M - Z));
  const hi = Math.min(Z, n);
  // log pmf up to a constant, by the ratio recurrence
  // pmf(k + 1) / pmf(k) = (Z − k)(n − k) / ((k + 1)(M − Z − n + k + 1)),
  // then shifted by its maximum so no term underflows to zero.
  const logPmf = new Float64Array(hi + 1);
  let max = 0;
  for (let k = lo; k < hi; k++) {
    logPmf[k + 1] = logPmf[k]! + Math.log(((Z - k) * (n - k)) / ((k + 1) * (M - Z - n + k + 1)));
    if (logPmf[k + 1]! > max) max = logPmf[k + 1]!;
  }
  const cdf = new Float64Array(hi + 1);
  let acc = 0;
  for (let k = lo; k <= hi; k++) {
    acc += Math.exp(logPmf[k]! - max);
    cdf[k] = acc;
  }
  for (let k = lo; k < hi; k++) cdf[k] = Math.round((cdf[k]! / acc) * TWO_32);
  cdf[hi] = TWO_32;
  return cdf;
}

/**
 * Permutation p-value for "the window's values are larger than exchangeable
 * draws from the pool": p = (1 + #{T_perm ≥ T_obs}) / (1 + N), where T is the
 * sum of n values and each permutation is a uniformly random n-subset of the
 * pool's M values (the pool includes the window).
 *
 * The pool's values are excess bits, mostly zero. Only the nonzero ones move
 * the sum, so a permutation is drawn in two exact steps: how many of the n
 * draws land on the Z nonzero values (hypergeometric, by inverting its CDF
 * with one 32-bit draw), then which ones (partial Fisher–Yates over the
 * nonzero values). Same distribution as drawing n of M, at about n·Z/M draws
 * instead of n.
 *
 * Values must be integers (bits) so sums are exact and ties are unambiguous.
 *
 * @param pool all M values ≥ 0 (calibration and window); reordered in place
 * @param n window size, 1 ≤ n ≤ M
 * @param observed T_obs
 * @param permutations N ≥ 0
 * @returns #{T_perm ≥ T_obs}
 */
export function countExceedances(
  pool: Float64Array,
  n: number,
  observed: number,
  permutations: number,
  rng: Rng,
): number {
  const m = pool.length;
  if (!(n >= 1 && n <= m)) throw new Error(`countExceedances: window size ${n} not in [1, ${m}]`);
  // Move the nonzero values to the front (deterministic: the pool order fixes the result).
  let z = 0;
  for (let i = 0; i < m; i++) {
    const v = pool[i]!;
    if (v < 0) throw new Error(`countExceedances: pool values must be ≥ 0, got ${v} at ${i}`);
    if (v !== 0) {
      pool[i] = pool[z]!;
      pool[z] = v;
      z++;
    }
  }
  if (z === 0) return observed <= 0 ? permutations : 0;
  const cdf = hypergeometricCdf32(m, z, n);
  const lo = Math.max(0, n - (m - z));
  let exceed = 0;
  for (let p = 0; p < permutations; p++) {
    // K: nonzero values among the n drawn.
    const u = rng.next() >>> 0;
    let k = lo;
    while (u >= cdf[k]!) k++;
    // Which K of the z nonzero values: partial Fisher–Yates.
    let sum = 0;
    for (let i = 0; i < k; i++) {
      const j = i + uniformBelow(rng, z - i);
      const v = pool[j]!;
      pool[j] = pool[i]!;
      pool[i] = v;
      sum += v;
    }
    if (sum >= observed) exceed++;
  }
  return exceed;
}

/** p = (1 + exceedances) / (1 + permutations). */
export function permutationPValue(exceedances: number, permutations: number): number {
  return (1 + exceedances) / (1 + permutations);
}

/**
 * Exact mean and standard deviation of the sum of n values drawn without
 * replacement from a pool of M: mean = n·μ, var = n·σ²·(M − n)/(M − 1).
 */
export function samplingMoments(pool: ArrayLike<number>, n: number): { mean: number; sd: number } {
  const m = pool.length;
  let s = 0;
  for (let i = 0; i < m; i++) s += pool[i]!;
  const mu = s / m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (pool[i]! - mu) ** 2;
  const variance = m > 1 ? (n * (ss / m) * (m - n)) / (m - 1) : 0;
  return { mean: n * mu, sd: Math.sqrt(Math.max(0, variance)) };
}
