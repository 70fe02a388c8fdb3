/**
 * Benjamini–Hochberg adjusted p-values (q-values): q_(i) = min_{j ≥ i} p_(j)·m/j,
 * capped at 1. Rejecting every hypothesis with q ≤ α controls the false
 * discovery rate at α for independent or positively dependent tests.
 *
 * Works on typed arrays so a batch of a million windows costs 20 bytes per
 * test here (the p-values are the caller's): the order as 32-bit indexes
 * and the q-values as doubles.
 *
 * @param pValues one per test, in any order; the result keeps that order
 * @example benjaminiHochberg([0.01, 0.04, 0.03]) // Float64Array [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(pValues: ArrayLike<number>): Float64Array {
  const m = pValues.length;
  const order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  // Ties broken by position: a total order, so the ranks never depend on the sort's stability.
  order.sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const q = new Float64Array(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1]!;
    const p = pValues[i]!;
    if (!(p >= 0 && p <= 1)) throw new Error(`benjaminiHochberg: p-value ${p} at ${i} is not in [0, 1]`);
    running = Math.min(running, (p * m) / rank);
    q[i] = running;
  }
  return q;
}
