import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, logChoose, windowRng } from '../../src/core';
import { excessTest } from '../../src/core/stats/excess-test';

describe('excessTest at the resolution floor', () => {
  // 590 ordinary 40-bit events and a window of 10 events at 4,000 bits each.
  const calibration = new Float64Array(590).fill(40);
  const window = new Float64Array(10).fill(4000);
  const t = excessTest(calibration, window, 1000, windowRng(1, 'floor', 0));

  it('settles an unmatched extreme window with the tail bound, down to p ≈ 1e-9', () => {
    // Only the window's own 10 values reach T_obs: P = 1/C(600, 10) ≈ 6.6e-21.
    expect(t.pBound).toBeCloseTo(Math.exp(-logChoose(600, 10)), 25);
    expect(t.permutations).toBe(1_000_000_000);
    expect(t.pValue).toBe(1 / (1 + 1_000_000_000));
  });

  it('lets such a window pass Benjamini–Hochberg among 1,000,000 ordinary windows', () => {
    const p = new Array<number>(1_000_000).fill(0.5);
    p[123] = t.pValue;
    expect(benjaminiHochberg(p)[123]).toBeLessThanOrEqual(0.01);
  });

  it('samples (and does not settle) a window whose excess permutations can plausibly match', () => {
    const mild = excessTest(calibration.map((v, i) => (i % 50 === 0 ? 90 : v)), Float64Array.of(95, 40, 40, 40, 40, 40, 40, 40, 40, 40), 1000, windowRng(1, 'floor', 1));
    expect(mild.pBound).toBeUndefined();
    expect(mild.permutations).toBeLessThanOrEqual(100_000);
  });
});
