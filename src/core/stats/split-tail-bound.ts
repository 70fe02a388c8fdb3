import { logChoose } from './log-gamma';

/** Sizes of the top group tried (K, capped below the pool size and at 4n). */
const TOP_SIZES = [2, 4, 8, 16, 32, 64, 128, 256, 512];
/** Tilts tried for the rest's Chernoff bound, as multiples of 1/spread (any tilt gives a valid bound). */
const TILTS = Array.from({ length: 40 }, (_, g) => 2 ** (g / 2 - 8));

/**
 * A rigorous upper bound on P(S ≥ t), S the sum of n values drawn without
 * replacement from the pool, for units whose excess comes from many large
 * values (a burst) rather than a few: split the pool into its K largest
 * values and the rest. With J ~ Hypergeometric(M, K, n) of the draws in the
 * top group, S ≤ (sum of the J largest values) + S_rest, and given J = j the
 * rest's n − j draws are a uniform subset of the rest, so
 *
 *   P(S ≥ t) ≤ Σ_j P(J = j) · min(1, inf_λ exp(−λ·t_j + (n − j)·log E_rest e^{λX})),
 *   t_j = t − (sum of the j largest values),
 *
 * where the Chernoff factor holds for sampling without replacement by
 * Hoeffding's comparison (1963, Thm. 4), as in chernoffBound. The minimum
 * over several K is returned. permutationTailBound bounds the rest by its
 * largest value times n − j, which is loose when the rest is many middling
 * values; chernoffBound alone does not see that the top values are few.
 *
 * @param sortedDesc the pool's values, largest first
 * @param n draws, 1 ≤ n ≤ pool size
 * @param t the threshold (T_obs)
 * @returns a bound in [0, 1]
 * @example splitTailBound(Float64Array.of(10, 10, 1, 1, 0, 0, 0, 0), 2, 20) // ≤ P(both 10s drawn) = 1/28, plus nothing from the rest
 */
export function splitTailBound(sortedDesc: Float64Array, n: number, t: number): number {
  const M = sortedDesc.length;
  if (!(n >= 1 && n <= M)) throw new Error(`splitTailBound: n = ${n} not in [1, ${M}]`);
  const prefix = new Float64Array(Math.min(M, n) + 1);
  for (let j = 1; j < prefix.length; j++) prefix[j] = prefix[j - 1]! + sortedDesc[j - 1]!;
  const logTotal = logChoose(M, n);
  let best = 1;
  for (const K of TOP_SIZES) {
    if (K >= M || K > 4 * n) break;
    const rest = sortedDesc.subarray(K);
    const restMax = rest[0]!;
    let restMean = 0;
    for (let i = 0; i < rest.length; i++) restMean += rest[i]!;
    restMean /= rest.length;
    const spread = Math.max(1, restMax - restMean);
    // log E e^{λX} over the rest at each tilt, by log-sum-exp shifted at the max.
    const lambdas = TILTS.map((c) => c / spread);
    const logMgf = lambdas.map((lambda) => {
      let s = 0;
      for (let i = 0; i < rest.length; i++) s += Math.exp(lambda * (rest[i]! - restMax));
      return lambda * restMax + Math.log(s / rest.length);
    });
    let total = 0;
    for (let j = Math.max(0, n - (M - K)); j <= Math.min(K, n); j++) {
      const logP = logChoose(K, j) + logChoose(M - K, n - j) - logTotal;
      const m = n - j;
      const need = t - prefix[j]!;
      let logB = 0;
      if (need > 0) {
        if (m === 0 || need > m * restMax) continue; // the rest cannot reach it
        for (let g = 0; g < lambdas.length; g++) logB = Math.min(logB, -lambdas[g]! * need + m * logMgf[g]!);
      }
      total += Math.exp(logP + logB);
    }
    if (total < best) best = total;
  }
  return Math.min(1, best);
}
