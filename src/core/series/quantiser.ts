import { quantileSorted, sortedCopy } from '../stats/quantile';

/** Levels across the baseline's central 98 % range: the resolution of the format-aware series path (16 measured best of 8/16/32/64 on NAB). */
export const QUANT_LEVELS = 16;

/** A value grid fixed by the baseline's own scale. */
export interface Quantiser {
  center: number;
  step: number;
}

/**
 * The quantiser of a baseline: center = median, step = (q99 − q01) / levels,
 * so the baseline's central 98 % spans about `levels` integer levels whatever
 * the series' units, and a value far outside it becomes a large level. A
 * constant baseline gets a step of 1e-6 of its magnitude (or 1e-9), so any
 * change at all shows as a new level.
 *
 * @example quantiserOf([0, 10, 20, ...]).step // ≈ (range of the middle 98 %) / 32
 */
export function quantiserOf(values: ArrayLike<number>, levels = QUANT_LEVELS): Quantiser {
  if (values.length === 0) throw new Error('quantiserOf: empty baseline');
  const s = sortedCopy(Array.from(values));
  const center = quantileSorted(s, 0.5);
  const spread = quantileSorted(s, 0.99) - quantileSorted(s, 0.01);
  const step = spread > 0 ? spread / levels : Math.max(Math.abs(center) * 1e-6, 1e-9);
  return { center, step };
}

/** The integer level of a value on the grid: round((v − center) / step). */
export function level(q: Quantiser, v: number): number {
  return Math.round((v - q.center) / q.step);
}
