import { level, QUANT_LEVELS, type Quantiser } from './quantiser';

/**
 * One column's code under a baseline: the frequencies of its level symbols
 * and of its level changes (the delta column) over the baseline's rows. The
 * ideal code length of a symbol is what an arithmetic coder driven by these
 * counts would spend on it: the entropy stage of a compressor, with the
 * baseline as its model.
 */
export interface ColumnModel {
  quantiser: Quantiser;
  levels: Map<number, number>;
  deltas: Map<number, number>;
  rows: number;
}

/** The level of row r and its change from row r − 1 (0 for the first row). */
export function symbolsAt(values: Float64Array, q: Quantiser, r: number): [number, number] {
  const l = level(q, values[r]!);
  return [l, r > 0 ? l - level(q, values[r - 1]!) : 0];
}

/** Counts the symbols of rows [from, to) of a column on the quantiser's grid. */
export function columnModel(values: Float64Array, quantiser: Quantiser, from: number, to: number): ColumnModel {
  const levels = new Map<number, number>();
  const deltas = new Map<number, number>();
  for (let r = from; r < to; r++) {
    const [l, d] = symbolsAt(values, quantiser, r);
    levels.set(l, (levels.get(l) ?? 0) + 1);
    deltas.set(d, (deltas.get(d) ?? 0) + 1);
  }
  return { quantiser, levels, deltas, rows: to - from };
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

/** Bits of row r of a column under its model: level code plus delta code. */
export function rowBits(values: Float64Array, model: ColumnModel, r: number): number {
  const [l, d] = symbolsAt(values, model.quantiser, r);
  return codeLength(model.levels, model.rows, l) + codeLength(model.deltas, model.rows, d);
}
