// The seasonal context of the series path: the two-part histogram code, the
// median-of-cycles prediction and the period choice, on hand-computed cases;
// the symbols and adaptive counts of a column model with a period.
import { describe, expect, it } from 'vitest';
import {
  codeLength,
  columnModel,
  countRow,
  detectPeriod,
  empiricalBits,
  level,
  quantiserOf,
  rowBits,
  seasonalProfile,
  symbolsAt,
  type Quantiser,
} from '../../src/core';

/** A square wave: `period` rows per cycle, the first half at `high`, the rest at 0. */
function square(period: number, cycles: number, high = 8): Int32Array {
  return Int32Array.from({ length: period * cycles }, (_, i) => (i % period < period / 2 ? high : 0));
}

/** Deterministic uniform levels 0..9 (a Park–Miller generator). */
function noise(rows: number): Int32Array {
  let x = 7;
  return Int32Array.from({ length: rows }, () => (x = (x * 48271) % 2147483647) % 10);
}

describe('empiricalBits', () => {
  it('is the entropy of the counts plus half log2(n) bits per distinct symbol', () => {
    // counts 2, 2 of n = 4: 4·1 bit, model 2·½·log2 4 = 2
    expect(empiricalBits([0, 0, 1, 1])).toBeCloseTo(6, 12);
    // one symbol: no data bits, model ½·log2 3
    expect(empiricalBits([5, 5, 5])).toBeCloseTo(0.5 * Math.log2(3), 12);
    // counts 3, 1 of n = 4: 3·log2(4/3) + 1·log2 4 + 2·½·2
    expect(empiricalBits([1, 1, 2, 1])).toBeCloseTo(3 * Math.log2(4 / 3) + 2 + 2, 12);
    expect(empiricalBits([])).toBe(0);
  });
});

describe('seasonalProfile', () => {
  const levels = [5, 9, 6, 0];
  const at = (r: number): number => levels[r]!;
  it('is the median of the last three cycles when they exist', () => {
    expect(seasonalProfile(at, 3, 1)).toBe(6); // median(6, 9, 5)
  });
  it('averages two cycles (rounded) and takes one as it is', () => {
    expect(seasonalProfile(at, 2, 1)).toBe(7); // round((9 + 5) / 2)
    expect(seasonalProfile(at, 1, 1)).toBe(5);
    expect(seasonalProfile(at, 3, 2)).toBe(9); // only r − 2 = 1 exists
  });
  it('ignores one anomalous cycle', () => {
    const l = [1, 1, 1, 40, 1, 1];
    expect(seasonalProfile((r) => l[r]!, 5, 1)).toBe(1); // median(1, 40, 1)
  });
});

describe('detectPeriod', () => {
  it('finds the period of a square wave (not a multiple of it)', () => {
    // Seasonal residual 0 everywhere (≈ 0 bits a row) against changes of ±8 twice a cycle.
    expect(detectPeriod(square(24, 30), 0)).toBe(24);
  });
  it('keeps the period in use when it codes as well as the best', () => {
    expect(detectPeriod(square(24, 30), 48)).toBe(48);
  });
  it('finds none in noise, in a constant, or in a history shorter than three cycles', () => {
    expect(detectPeriod(noise(3000), 0)).toBe(0);
    expect(detectPeriod(new Int32Array(500).fill(3), 0)).toBe(0);
    expect(detectPeriod(square(24, 30).subarray(0, 60), 0)).toBe(0); // lags up to 20 only
  });
  it('prefers the previous row for a random walk', () => {
    // Steps of ±1 (1 bit a row); a lag's residual spreads over many levels.
    const steps = noise(3000);
    let l = 0;
    expect(detectPeriod(Int32Array.from(steps, (x) => (l += x < 5 ? -1 : 1)), 0)).toBe(0);
  });
});

describe('column model with a period', () => {
  const q: Quantiser = { center: 0, step: 1 };
  const values = Float64Array.from([0, 4, 0, 4, 0, 9]);
  it('codes the deviation from the previous cycles, none for the first cycle', () => {
    expect(symbolsAt(values, q, 2, 0)).toEqual([0, undefined]);
    expect(symbolsAt(values, q, 2, 3)).toEqual([4, 0]); // 4 − l[1]
    expect(symbolsAt(values, q, 2, 5)).toEqual([9, 5]); // 9 − median(l[3], l[1]) = 9 − round(4)
    expect(symbolsAt(values, q, 0, 5)).toEqual([9, 9]); // no period: the change from row 4
  });
  it('learns a row it counts', () => {
    const model = columnModel(values, q, 2, 0, 5);
    expect(model.rows).toBe(5);
    expect(model.levels.get(4)).toBe(2);
    expect(model.contexts.get(0)).toBe(3); // rows 2, 3, 4
    const before = rowBits(values, model, 5); // level 9 and context 5 unseen
    expect(before).toBeCloseTo(codeLength(new Map(), 5, 9) + codeLength(new Map(), 5, 5), 12);
    countRow(values, model, 5);
    expect(model.rows).toBe(6);
    expect(rowBits(values, model, 5)).toBeCloseTo(2 * -Math.log2(1.5 / (6 + 0.5 * 65)), 12);
    expect(rowBits(values, model, 5)).toBeLessThan(before);
  });
});

describe('detectPeriod keeps the period in use through an anomalous stretch', () => {
  // A noisy sine of 96 rows a cycle codes about as cheaply by its changes as
  // by its cycles; a 60-row level shift tips a fresh search to "no period",
  // while the period in use stays (within TIE of the change code).
  let s = 12345;
  const values = Float64Array.from({ length: 2048 }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return 50 + 20 * Math.sin((2 * Math.PI * i) / 96) + (s / 2147483648 - 0.5) * 4 - (i >= 1500 && i < 1560 ? 30 : 0);
  });
  const q = quantiserOf(values);
  const levels = Int32Array.from(values, (x) => level(q, x));
  it('is not switched off by one shift', () => {
    expect(detectPeriod(levels, 0)).toBe(0);
    expect(detectPeriod(levels, 96)).toBe(96);
  });
});
