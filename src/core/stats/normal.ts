/**
 * Upper tail of the standard normal, P(Z ≥ z), via erfc (Abramowitz–Stegun
 * 7.1.26, absolute error below 1.5e-7).
 *
 * @example normalUpperTail(0) // 0.5
 */
export function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-x * x);
  return x >= 0 ? erfc / 2 : 1 - erfc / 2;
}
