/**
 * Chernoff bound on the upper tail of a sum of n values drawn without
 * replacement from a finite pool: for every λ ≥ 0,
 * P(S ≥ t) ≤ exp(−λt)·(E e^{λX})^n, X uniform over the pool.
 * Sampling without replacement is dominated by sampling with replacement for
 * convex functions (Hoeffding 1963, Thm. 4), so the with-replacement moment
 * generating function bounds it. The best λ solves E_λ[X] = t/n (the tilted
 * mean), found by bisection; the result is a rigorous bound that uses the
 * whole pool distribution, far tighter than range-based inequalities when a
 * few values are large.
 *
 * @param pool the pool's values
 * @param n draws, 1 ≤ n ≤ pool size
 * @param t the threshold (T_obs)
 * @returns a bound in [0, 1]
 * @example chernoffBound([0, 0, 0, 10], 2, 20) // 1/16 = (1/4)² is the with-replacement probability; the bound is ≥ it
 */
export function chernoffBound(pool: ArrayLike<number>, n: number, t: number): number {
  const m = pool.length;
  if (!(n >= 1 && n <= m)) throw new Error(`chernoffBound: n = ${n} not in [1, ${m}]`);
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const v = pool[i]!;
    if (v > max) max = v;
    sum += v;
  }
  const target = t / n;
  if (target <= sum / m) return 1;
  if (target > max) return 0;

  // log E e^{λX} by log-sum-exp (values shifted by the max), and the tilted mean.
  const logMgf = (lambda: number): number => {
    let s = 0;
    for (let i = 0; i < m; i++) s += Math.exp(lambda * (pool[i]! - max));
    return lambda * max + Math.log(s / m);
  };
  const tiltedMean = (lambda: number): number => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < m; i++) {
      const w = Math.exp(lambda * (pool[i]! - max));
      num += w * pool[i]!;
      den += w;
    }
    return num / den;
  };
  let lo = 0;
  let hi = 1 / Math.max(1e-12, max - sum / m);
  for (let i = 0; i < 200 && tiltedMean(hi) < target; i++) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (tiltedMean(mid) < target) lo = mid;
    else hi = mid;
  }
  // Any λ gives a valid bound; take the better end of the bracket.
  const bound = (lambda: number): number => Math.exp(-lambda * t + n * logMgf(lambda));
  return Math.min(1, bound(lo), bound(hi));
}
