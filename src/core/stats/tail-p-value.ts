import { quantileSorted } from './quantile';

/** Share of the calibration above the tail threshold u (peaks over threshold). */
export const TAIL_SHARE = 0.1;

/**
 * Upper-tail p-value of x against a calibration sample, by peaks over
 * threshold: below u = the (1 − TAIL_SHARE) quantile, the conformal rank
 *   p = (1 + #{c ≥ x}) / (1 + N);
 * above it, the exponential tail fitted to the calibration's excesses over u,
 *   p = ((1 + #{c > u}) / (1 + N)) · exp(−(x − u)/β),  β = median(c − u | c > u) / ln 2,
 * which stays continuous at u and keeps ranking beyond the largest
 * calibration value, where a rank alone floors at 1/(1 + N) (too coarse for
 * Benjamini–Hochberg over thousands of units). An exponential tail is the
 * generalised Pareto tail with shape 0; β is estimated from the median
 * excess (for an exponential, median = β·ln 2) rather than the mean, so a
 * few incidents left in the calibration do not fatten the tail and hide
 * the others (the same reason robust scales use the MAD).
 *
 * @param sorted calibration values, ascending, at least 1
 * @param minScale the least β: differences below it mean nothing (a
 *   calibration of identical values would otherwise give every larger x
 *   the same p = 1/(1 + N), however far it lies)
 * @example tailPValue(Float64Array.from({ length: 100 }, (_, i) => i), 200) // ≈ 0.109·e^(−(200 − 89.1)/7.9)
 */
export function tailPValue(sorted: Float64Array, x: number, minScale = 0): number {
  const n = sorted.length;
  if (n === 0) throw new Error('tailPValue: empty calibration');
  const u = quantileSorted(sorted, 1 - TAIL_SHARE);
  const above = countAbove(sorted, u, false);
  if (x <= u) return (1 + countAbove(sorted, x, true)) / (1 + n);
  const fitted = above > 0 ? (quantileSorted(sorted.subarray(n - above), 0.5) - u) / Math.LN2 : 0;
  const beta = Math.max(fitted, minScale);
  const pu = (1 + above) / (1 + n);
  return beta > 0 ? pu * Math.exp(-(x - u) / beta) : 1 / (1 + n);
}

/** #{c ≥ x} (inclusive) or #{c > x}, by binary search. */
function countAbove(sorted: Float64Array, x: number, inclusive: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (inclusive ? sorted[mid]! < x : sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}
