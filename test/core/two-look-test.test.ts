import { describe, expect, it } from 'vitest';
import { excessTest, twoLookTest, windowRng } from '../../src/core';

/**
 * Reference implementation of T for one subset, straight from the
 * definition (pool quantiles by order statistic, exact moments by
 * enumeration instead of the closed form), for brute-force p-values.
 */
function enumerateT(pool: number[], n: number): { tOf: (subset: number[]) => number; subsets: number[][] } {
  const M = pool.length;
  const sorted = [...pool].sort((a, b) => a - b);
  const level = Math.min(0.95, Math.max(0.5, 0.95 - (1.5 * n) / M));
  const thresholds = [sorted[Math.floor(level * (M - 1))]!, sorted[Math.floor(0.5 * (M - 1))]!];
  const subsets: number[][] = [];
  const pick = (from: number, acc: number[]): void => {
    if (acc.length === n) {
      subsets.push([...acc]);
      return;
    }
    for (let i = from; i <= M - (n - acc.length); i++) pick(i + 1, [...acc, i]);
  };
  pick(0, []);
  const sums = thresholds.map((t) => subsets.map((s) => s.reduce((a, i) => a + Math.max(0, pool[i]! - t), 0)));
  const moments = sums.map((xs) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    return { mean, sd };
  });
  const tOf = (subset: number[]): number =>
    Math.max(
      ...thresholds.map((t, k) => {
        const s = subset.reduce((a, i) => a + Math.max(0, pool[i]! - t), 0);
        return (s - moments[k]!.mean) / moments[k]!.sd;
      }),
    );
  return { tOf, subsets };
}

describe('twoLookTest', () => {
  // 26 calibration costs: ordinary, middling and costly lines; windows of 4
  // (C(30, 4) = 27,405 subsets). The two looks' thresholds differ (pool
  // ranks 21 and 14), and for these windows a permutation can reach T_obs
  // through either look, so ignoring the other look would lower p by 3–5 %.
  const calibration = Float64Array.from([
    40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 104, 104, 104, 112, 112, 112, 120, 120, 280, 320, 360, 400,
  ]);

  for (const [name, window] of [
    ['one very costly event', [40, 40, 48, 640]],
    ['a costly event among middling ones', [40, 112, 120, 440]],
    ['middling events only', [104, 112, 120, 128]],
  ] as const) {
    it(`matches the exact permutation p-value by enumeration: ${name}`, () => {
      const pool = [...calibration, ...window];
      const { tOf, subsets } = enumerateT(pool, 4);
      const tObs = tOf([26, 27, 28, 29]);
      // Exact tail; a tiny tolerance absorbs floating ties between equal sums.
      const exact = subsets.filter((s) => tOf(s) >= tObs - 1e-9).length / subsets.length;
      const N = 200_000;
      const t = twoLookTest(calibration, Float64Array.from(window), N, windowRng(5, 'enum', window[3]!));
      expect(t.z).toBeCloseTo(tObs, 9);
      // Monte Carlo p = (1 + X) / (1 + N), X ~ Binomial(N, exact): within 3.5 standard errors.
      const se = Math.sqrt((exact * (1 - exact)) / N);
      expect(Math.abs(t.pValue - exact)).toBeLessThan(3.5 * se + 2 / N);
    });
  }

  it('keeps its level under the null: windows drawn like the calibration', () => {
    let s = 99;
    const draw = (): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const u = s / 2 ** 32;
      // Log-like costs: mostly ordinary lines, a tail of rarer ones (multiples of 8 bits).
      return 8 * Math.round(u < 0.8 ? 10 + 4 * u : u < 0.97 ? 30 + 60 * u : 200 * u);
    };
    const trials = 300;
    let at05 = 0;
    let at20 = 0;
    for (let k = 0; k < trials; k++) {
      const cal = Float64Array.from({ length: 300 }, draw);
      const win = Float64Array.from({ length: 60 }, draw);
      const p = twoLookTest(cal, win, 200, windowRng(7, 'null', k)).pValue;
      if (p <= 0.05) at05++;
      if (p <= 0.2) at20++;
    }
    // P(p ≤ α) ≤ α for a valid test; allow three binomial standard errors.
    expect(at05 / trials).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / trials));
    expect(at20 / trials).toBeLessThanOrEqual(0.2 + 3 * Math.sqrt((0.2 * 0.8) / trials));
  });

  it('finds a run of one moderately costly line that the high-quantile look alone misses', () => {
    // 350 ordinary 100-bit lines and 150 costlier ones (300–556 bits); the
    // window is 85 lines of 300 bits: above the median, but the run itself
    // fills the top of the pool, so the 70 % quantile sits at its own cost.
    const cal = Float64Array.from({ length: 500 }, (_, i) => (i < 350 ? 100 : 300 + 8 * ((i * 7) % 33)));
    const win = Float64Array.from({ length: 100 }, (_, i) => (i < 85 ? 300 : 100));
    const alone = excessTest(cal, win, 1000, windowRng(1, 'run', 0));
    const both = twoLookTest(cal, win, 1000, windowRng(1, 'run', 0));
    expect(alone.pValue).toBeGreaterThan(0.2);
    expect(both.look).toBe('shift');
    expect(both.pValue).toBeLessThan(1e-3);
    // The shift look's threshold is the pool median (100 bits): the 85 costly lines are behind it.
    expect(both.threshold).toBe(100);
    expect(both.novelEvents).toBe(85);
  });

  it('settles an unmatched extreme window with the union of both looks’ tail bounds', () => {
    const cal = new Float64Array(590).fill(40);
    const win = new Float64Array(10).fill(4000);
    const t = twoLookTest(cal, win, 1000, windowRng(1, 'floor', 0));
    expect(t.look).toBe('novel');
    expect(t.permutations).toBe(1_000_000_000);
    expect(t.pValue).toBe(1 / (1 + 1_000_000_000));
    // Both looks see the same 10 values; each bound is 1/C(600, 10) ≈ 6.6e-21.
    expect(t.pBound).toBeLessThan(1e-19);
  });

  it('is deterministic for a generator and throws on an empty window', () => {
    const win = Float64Array.of(40, 112, 120, 440);
    const a = twoLookTest(calibration, win, 500, windowRng(3, 's', 1));
    const b = twoLookTest(calibration, win, 500, windowRng(3, 's', 1));
    expect(b).toEqual(a);
    expect(() => twoLookTest(calibration, new Float64Array(0), 10, windowRng(3, 's', 1))).toThrow(/twoLookTest: the unit has no events/);
  });
});
