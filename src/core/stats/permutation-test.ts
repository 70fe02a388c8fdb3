import type { Rng } from './seeded-rng';

/**
 * Permutation p-value for "the window's values are larger than exchangeable
 * draws from the pool": p = (1 + #{T_perm ≥ T_obs}) / (1 + N), where T is the
 * sum of n values and each permutation draws n of the pool's M values
 * without replacement (partial Fisher–Yates; the pool includes the window).
 * One permutation is n draws and n additions, so N = 1000 costs about 1000·n
 * operations and no compression at all.
 *
 * Values must be integers (bits) so sums are exact and ties are unambiguous.
 *
 * @param pool all M values (calibration and window); reordered in place
 * @param n window size, 1 ≤ n ≤ M
 * @param observed T_obs
 * @param permutations N ≥ 1
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
  // Draw the smaller side: the complement's sum determines the window's.
  const complement = n > m - n;
  const draws = complement ? m - n : n;
  let total = 0;
  for (let i = 0; i < m; i++) total += pool[i]!;
  let exceed = 0;
  for (let p = 0; p < permutations; p++) {
    let sum = 0;
    for (let i = 0; i < draws; i++) {
      // uniformBelow(rng, m - i), inlined: this loop is the engine's hot path.
      const bound = m - i;
      let x: number;
      let low: number;
      do {
        x = rng.next() >>> 0;
        low = Math.imul(x, bound) >>> 0;
      } while (low < bound && low < (0x100000000 - bound) % bound);
      const j = i + Math.floor((x * bound) / 0x100000000);
      const v = pool[j]!;
      pool[j] = pool[i]!;
      pool[i] = v;
      sum += v;
    }
    const t = complement ? total - sum : sum;
    if (t >= observed) exceed++;
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
  const variance = m > 1 ? ((n * (ss / m) * (m - n)) / (m - 1)) : 0;
  return { mean: n * mu, sd: Math.sqrt(Math.max(0, variance)) };
}

