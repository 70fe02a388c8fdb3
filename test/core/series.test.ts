// The format-aware series path: its codes on hand-computed values, the tail
// probabilities on hand-computed samples, and the properties NAB relies on
// (causal scores, determinism, a spike outranks everything).
import { describe, expect, it } from 'vitest';
import {
  analyzeSeries,
  codeLength,
  createZstd,
  DEFAULT_PARAMS,
  kthOfUnion,
  level,
  quantiserOf,
  seriesRowScores,
  smoothedTail,
  tailPValue,
  writeZigzagVarint,
  type AnalysisParams,
} from '../../src/core';

function zz(q: number): number[] {
  const out = new Uint8Array(8);
  return Array.from(out.subarray(0, writeZigzagVarint(q, out, 0)));
}

describe('writeZigzagVarint', () => {
  it('codes small magnitudes of either sign in one byte', () => {
    expect(zz(0)).toEqual([0]);
    expect(zz(-1)).toEqual([1]);
    expect(zz(1)).toEqual([2]);
    expect(zz(63)).toEqual([126]);
    expect(zz(-64)).toEqual([127]);
  });
  it('continues in 7-bit groups, least significant first', () => {
    expect(zz(64)).toEqual([0x80, 0x01]); // zz = 128
    expect(zz(300)).toEqual([0xd8, 0x04]); // zz = 600 = 4·128 + 88; 88 | 0x80 = 0xd8
  });
  it('clamps to 2^30 so a code never exceeds 5 bytes', () => {
    expect(zz(1e15).length).toBe(5);
    expect(zz(-1e15).length).toBe(5);
  });
});

describe('quantiserOf and level', () => {
  it('puts the central 98 % of the baseline on 16 levels around its median', () => {
    const q = quantiserOf(Array.from({ length: 101 }, (_, i) => i)); // 0..100
    expect(q.center).toBe(50);
    expect(q.step).toBeCloseTo((99 - 1) / 16, 12); // q99 = 99, q01 = 1
    expect(level(q, 50)).toBe(0);
    expect(level(q, 100)).toBe(8); // round(50 / 6.125) = round(8.16)
    expect(level(q, 0)).toBe(-8);
  });
  it('gives a constant baseline a tiny step, so any change shows', () => {
    const q = quantiserOf([5, 5, 5]);
    expect(q.step).toBeCloseTo(5e-6, 15);
    expect(level(q, 5)).toBe(0);
    expect(Math.abs(level(q, 5.001))).toBeGreaterThan(100);
  });
});

describe('codeLength', () => {
  // A = 4·16 + 1 = 65 symbols; KT: (count + ½) / (rows + ½·65)
  it('prices a familiar symbol by its smoothed frequency', () => {
    const counts = new Map([
      [0, 99],
      [1, 1],
    ]);
    expect(codeLength(counts, 100, 0)).toBeCloseTo(-Math.log2(99.5 / 132.5), 12); // ≈ 0.413 bits
    expect(codeLength(counts, 100, 1)).toBeCloseTo(-Math.log2(1.5 / 132.5), 12); // ≈ 6.46 bits
  });
  it('adds escape bits for an unseen symbol that grow with its magnitude', () => {
    const counts = new Map([[0, 99]]);
    expect(codeLength(counts, 99, 40)).toBeCloseTo(-Math.log2(0.5 / 131.5) + 2 * Math.log2(41), 12); // ≈ 18.75
    expect(codeLength(counts, 99, 400)).toBeGreaterThan(codeLength(counts, 99, 40));
  });
});

describe('smoothedTail', () => {
  const tied = Float64Array.of(10, 10, 10, 10);
  it('is 1 at or below the sample and e^(−d/h) above a tied sample', () => {
    expect(smoothedTail(tied, 10, 8, 'upper')).toBe(1);
    expect(smoothedTail(tied, 18, 8, 'upper')).toBeCloseTo(Math.exp(-1), 12);
    expect(smoothedTail(tied, 2, 8, 'lower')).toBeCloseTo(Math.exp(-1), 12);
  });
  it('averages the kernels of a spread sample', () => {
    // values 0 and 10, x = 5, h = 5: (e^(−1) + 1) / 2
    expect(smoothedTail(Float64Array.of(0, 10), 5, 5, 'upper')).toBeCloseTo((Math.exp(-1) + 1) / 2, 12);
  });
  it('rejects an empty sample and a non-positive scale by name', () => {
    expect(() => smoothedTail(new Float64Array(0), 1, 1, 'upper')).toThrow(/smoothedTail/);
    expect(() => smoothedTail(tied, 1, 0, 'upper')).toThrow(/smoothedTail/);
  });
});

describe('tailPValue', () => {
  const sample = Float64Array.from({ length: 100 }, (_, i) => i); // 0..99
  it('is the conformal rank below the 90th percentile', () => {
    expect(tailPValue(sample, 50)).toBeCloseTo(51 / 101, 12); // (1 + #{c ≥ 50}) / (1 + N)
    expect(tailPValue(sample, -1)).toBe(1);
  });
  it('is an exponential tail fitted to the median excess beyond it', () => {
    // u = 89.1 (type 7: 99·0.9), above = 10 values (90..99), median excess 94.5 − 89.1 = 5.4, β = 5.4 / ln 2
    const beta = 5.4 / Math.LN2;
    expect(tailPValue(sample, 200)).toBeCloseTo((11 / 101) * Math.exp(-(200 - 89.1) / beta), 15);
    expect(tailPValue(sample, 95)).toBeCloseTo((11 / 101) * Math.exp(-(95 - 89.1) / beta), 12);
  });
});

describe('kthOfUnion', () => {
  it('equals sorting the union', () => {
    let x = 7;
    const next = (): number => (x = (x * 48271) % 2147483647) % 50;
    for (let trial = 0; trial < 50; trial++) {
      const a = Float64Array.from({ length: 30 + (trial % 7) }, next).sort();
      const b = Float64Array.from({ length: 1 + (trial % 5) }, next).sort();
      const all = Float64Array.from([...a, ...b]).sort();
      for (let k = 0; k < all.length; k++) expect(kthOfUnion(a, b, k)).toBe(all[k]);
    }
  });
});

/** A daily-periodic series (96 rows a day) with deterministic noise. */
function seasonal(rows: number): Float64Array {
  let s = 12345;
  return Float64Array.from({ length: rows }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return 50 + 20 * Math.sin((2 * Math.PI * i) / 96) + (s / 2147483648 - 0.5) * 4;
  });
}

const params: AnalysisParams = { ...DEFAULT_PARAMS, windowing: { kind: 'count', baseline: 5000, window: 100, hop: 100 }, permutations: 200 };

describe('analyzeSeries', () => {
  const zstd = createZstd();

  it('scores causally: a prefix gets the same row scores as the whole series', () => {
    const full = seasonal(1500);
    full[1200] = 400;
    const whole = analyzeSeries('s', [full], params, zstd).rows;
    const prefix = analyzeSeries('s', [full.slice(0, 1000)], params, zstd).rows;
    expect(prefix.map((r) => r.score)).toEqual(whole.slice(0, 1000).map((r) => r.score));
  });

  it('scores causally at every cut: truncating after row k changes no score or cost of rows ≤ k', () => {
    // Cuts on and beside the baseline refresh (32 rows) and the period search (512 rows).
    const full = seasonal(2200);
    full[1100] = 300;
    for (let i = 1500; i < 1600; i++) full[i]! -= 30;
    const whole = seriesRowScores([full], 5000);
    for (const k of [100, 511, 512, 513, 1023, 1024, 1101, 1550, 2047]) {
      const prefix = seriesRowScores([full.slice(0, k + 1)], 5000);
      expect(Array.from(prefix.scores)).toEqual(Array.from(whole.scores.subarray(0, k + 1)));
      expect(Array.from(prefix.costs)).toEqual(Array.from(whole.costs.subarray(0, k + 1)));
    }
    // The cuts cross rows coded with the seasonal context (the sine's 96 rows, or a multiple).
    expect([96, 192, 288]).toContain(whole.snapOf[1400]!.models[0]!.period);
  });

  it('gives one score per row in [0, 1], the first rows (no history) 0', () => {
    const rows = analyzeSeries('s', [seasonal(800)], params, zstd).rows;
    expect(rows.length).toBe(800);
    expect(rows.map((r) => r.index)).toEqual(Array.from({ length: 800 }, (_, i) => i));
    for (const r of rows) expect(r.score >= 0 && r.score <= 1).toBe(true);
    expect(rows.slice(0, 32).every((r) => r.score === 0)).toBe(true);
  });

  it('puts its highest score on a spike and its lowest p-value on the spike\'s window', () => {
    const values = seasonal(3000);
    values[2500] = 200;
    const balanced = analyzeSeries('s', [values], params, zstd);
    const best = balanced.rows.reduce((a, b) => (b.score > a.score ? b : a));
    expect(best.index).toBe(2500);
    const lowest = balanced.windows.reduce((a, b) => (b.pValue < a.pValue ? b : a));
    expect(lowest.window).toBe(25);
  });

  it('flags a burst of three spikes at the sensitive profile, not at the balanced one', () => {
    // The seasonal context codes each spike row alone (the row after it is
    // predicted by the previous cycles, not by the spike): ~30 bits of
    // excess a spike, so three are ~85 bits, above sensitive's half bit per
    // row (50 bits in 100 rows) and below balanced's one bit (100).
    const values = seasonal(3000);
    for (const i of [2500, 2502, 2504]) values[i] = 200;
    expect(analyzeSeries('s', [values], params, zstd).windows.filter((w) => w.anomaly)).toEqual([]);
    const sensitive = analyzeSeries('s', [values], { ...params, profile: 'sensitive' }, zstd);
    expect(sensitive.windows.filter((w) => w.anomaly).map((w) => w.window)).toEqual([25]);
    expect(sensitive.rows[2500]!.anomaly).toBe(true);
  });

  it('flags the windows of a level shift at the balanced profile', () => {
    const values = seasonal(3000);
    for (let i = 2410; i < 2490; i++) values[i]! += 60;
    const { windows } = analyzeSeries('s', [values], params, zstd);
    expect(windows.filter((w) => w.anomaly).map((w) => w.window)).toEqual([24]);
  });

  it('flags no window of a series without anomalies', () => {
    const { windows } = analyzeSeries('s', [seasonal(4000)], params, zstd);
    expect(windows.length).toBeGreaterThan(25);
    expect(windows.filter((w) => w.anomaly)).toEqual([]);
  });

  it('is deterministic', () => {
    const values = seasonal(2000);
    values[1500] = -100;
    const a = JSON.stringify(analyzeSeries('s', [values], params, zstd));
    const b = JSON.stringify(analyzeSeries('s', [values], params, zstd));
    expect(a).toBe(b);
  });
});
