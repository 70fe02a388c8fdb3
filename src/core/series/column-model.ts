import { seasonalProfile } from './period';
import { level, QUANT_LEVELS, type Quantiser } from './quantiser';

/**
 * One column's code under a baseline: the frequencies of its level symbols
 * and of its context symbols over the rows counted so far. The context
 * symbol is the level's change from the previous row, or, when the baseline
 * found a period P (detectPeriod), its deviation from the same phase of the
 * previous cycles (seasonalProfile): they predict a periodic series (its
 * regular steps included) better than the previous row does. The ideal
 * code length of a symbol is what an arithmetic coder driven by these counts
 * would spend on it: the entropy stage of a compressor, with the baseline as
 * its model.
 */
export interface ColumnModel {
  quantiser: Quantiser;
  /** Rows per cycle of the seasonal context, 0 = none (the context is the previous row). */
  period: number;
  levels: Map<number, number>;
  contexts: Map<number, number>;
  rows: number;
}

/**
 * The level of row r and its context symbol: l[r] − l[r − 1] without a
 * period (0 for the first row), l[r] − seasonalProfile(r) with one
 * (undefined for the first P rows, which have no previous cycle).
 */
export function symbolsAt(values: Float64Array, q: Quantiser, period: number, r: number): [number, number | undefined] {
  const l = level(q, values[r]!);
  if (period > 0) return [l, r >= period ? l - seasonalProfile((k) => level(q, values[k]!), r, period) : undefined];
  return [l, r > 0 ? l - level(q, values[r - 1]!) : 0];
}

/** An empty model on a grid and a seasonal context. */
export function emptyColumnModel(quantiser: Quantiser, period: number): ColumnModel {
  return { quantiser, period, levels: new Map(), contexts: new Map(), rows: 0 };
}

/** Counts row r's symbols into the model (the model learns the row). */
export function countRow(values: Float64Array, model: ColumnModel, r: number): void {
  const [l, c] = symbolsAt(values, model.quantiser, model.period, r);
  model.levels.set(l, (model.levels.get(l) ?? 0) + 1);
  if (c !== undefined) model.contexts.set(c, (model.contexts.get(c) ?? 0) + 1);
  model.rows++;
}

/** Counts the symbols of rows [from, to) of a column on the quantiser's grid. */
export function columnModel(values: Float64Array, quantiser: Quantiser, period: number, from: number, to: number): ColumnModel {
  const model = emptyColumnModel(quantiser, period);
  for (let r = from; r < to; r++) countRow(values, model, r);
  return model;
}

/** Symbols a baseline's grid usually spans (levels within twice its central range), for smoothing. */
const ALPHABET = 4 * QUANT_LEVELS + 1;

/**
 * Ideal code length of symbol v under baseline counts, bits:
 *   −log2((count(v) + ½) / (rows + ½·A))  (Krichevsky–Trofimov smoothing over A symbols),
 * plus 2·log2(1 + |v|) escape bits for a symbol the baseline never saw (an
 * Elias-gamma-like price for its magnitude), so a value far off the grid
 * costs more than one just beyond it.
 *
 * @example codeLength(new Map([[0, 99]]), 99, 0) // ≈ 0.55 bits; an unseen 40 costs ≈ 23 bits
 */
export function codeLength(counts: Map<number, number>, rows: number, v: number): number {
  const c = counts.get(v) ?? 0;
  const bits = -Math.log2((c + 0.5) / (rows + 0.5 * ALPHABET));
  return c > 0 ? bits : bits + 2 * Math.log2(1 + Math.abs(v));
}

/** Bits of row r of a column under its model: level code plus context code (the level alone when the row has no context). */
export function rowBits(values: Float64Array, model: ColumnModel, r: number): number {
  const [l, c] = symbolsAt(values, model.quantiser, model.period, r);
  const bits = codeLength(model.levels, model.rows, l);
  return c === undefined ? bits : bits + codeLength(model.contexts, model.rows, c);
}
