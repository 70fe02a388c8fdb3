import { logChoose } from './log-gamma';

/**
 * Upper tail of the hypergeometric distribution: P(X ≥ j) for X the number
 * of marked items among n drawn without replacement from M items of which K
 * are marked.
 */
export function hypergeometricUpperTail(M: number, K: number, n: number, j: number): number {
  const hi = Math.min(K, n);
  const lo = Math.max(j, 0, n - (M - K));
  if (lo > hi) return 0;
  const logTotal = logChoose(M, n);
  let logPmf = logChoose(K, lo) + logChoose(M - K, n - lo) - logTotal;
  let pmf = Math.exp(logPmf);
  let sum = pmf;
  for (let x = lo; x < hi; x++) {
    // pmf(x + 1) / pmf(x) = (K − x)(n − x) / ((x + 1)(M − K − n + x + 1))
    logPmf += Math.log(((K - x) * (n - x)) / ((x + 1) * (M - K - n + x + 1)));
    pmf = Math.exp(logPmf);
    sum += pmf;
    if (pmf < sum * 1e-17) break;
  }
  return Math.min(1, sum);
}

/**
 * A rigorous upper bound on the exact permutation tail P(T_perm ≥ T_obs),
 * where T_perm is the sum of n values drawn without replacement from the pool.
 * For any K, a subset reaching T_obs must hold at least j_K of the pool's K
 * largest values, where j_K is the least j with
 * (sum of the j largest) + (n − j)·v_(K+1) ≥ T_obs; the hypergeometric tail
 * bounds that. The minimum over K is tight for windows whose excess comes
 * from a few very novel events, where plain permutation sampling would need
 * astronomically many draws to see one exceedance.
 *
 * @param sortedDesc pool values, largest first
 */
export function permutationTailBound(sortedDesc: ArrayLike<number>, n: number, observed: number): number {
  const M = sortedDesc.length;
  const prefix = new Float64Array(Math.min(M, n) + 1);
  for (let j = 1; j < prefix.length; j++) prefix[j] = prefix[j - 1]! + sortedDesc[j - 1]!;
  let best = 1;
  const maxK = Math.min(M - 1, 4 * n);
  for (let K = 1; K <= maxK; K++) {
    const next = sortedDesc[K]!;
    const top = Math.min(K, n);
    // Smallest j with prefix[j] + (n − j)·next ≥ observed; nondecreasing in j.
    let j = -1;
    let lo = 0;
    let hi = top;
    if (prefix[top]! + (n - top) * next >= observed) {
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (prefix[mid]! + (n - mid) * next >= observed) hi = mid;
        else lo = mid + 1;
      }
      j = lo;
    }
    if (j < 0) return 0; // even the K largest cannot reach it: impossible
    if (j === 0) continue;
    const b = hypergeometricUpperTail(M, K, n, j);
    if (b < best) best = b;
  }
  return best;
}
