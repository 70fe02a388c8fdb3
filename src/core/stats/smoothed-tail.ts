/**
 * Smoothed tail probability of x under a calibration sample: each value c
 * stands for an exponential spread of scale h above (or below) it,
 *   upper: p(x) = (1/N)·Σ_c S((x − c)/h),  lower: p(x) = (1/N)·Σ_c S((c − x)/h),
 * with S(d) = 1 for d ≤ 0 and e^(−d) for d > 0. Unlike a rank it is
 * continuous, does not jump at tied values (byte-granular compressed sizes
 * tie a lot) and keeps ordering far beyond the sample's extremes; h is the
 * resolution below which a difference means nothing.
 *
 * @param sorted calibration values, ascending, N ≥ 1
 * @param h kernel scale, > 0
 * @example smoothedTail(Float64Array.of(10, 10, 10, 10), 18, 8, 'upper') // e^(−1) ≈ 0.368
 */
export function smoothedTail(sorted: Float64Array, x: number, h: number, side: 'upper' | 'lower'): number {
  const n = sorted.length;
  if (n === 0) throw new Error('smoothedTail: empty calibration');
  if (!(h > 0)) throw new Error(`smoothedTail: scale must be positive, got ${h}`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = side === 'upper' ? x - sorted[i]! : sorted[i]! - x;
    sum += d <= 0 ? 1 : Math.exp(-d / h);
  }
  return sum / n;
}
