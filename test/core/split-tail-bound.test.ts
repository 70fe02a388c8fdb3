import { describe, expect, it } from 'vitest';
import { chernoffBound, hypergeometricUpperTail, permutationTailBound } from '../../src/core';
import { splitTailBound } from '../../src/core/stats/split-tail-bound';

/** Exact P(sum of an n-subset ≥ t) by enumerating every subset. */
function exactTail(pool: number[], n: number, t: number): number {
  let hits = 0;
  let all = 0;
  const walk = (from: number, left: number, sum: number): void => {
    if (left === 0) {
      all++;
      if (sum >= t) hits++;
      return;
    }
    for (let i = from; i <= pool.length - left; i++) walk(i + 1, left - 1, sum + pool[i]!);
  };
  walk(0, n, 0);
  return hits / all;
}

describe('splitTailBound', () => {
  it('is exact on the documented example: both 10s among 2 of 8', () => {
    expect(splitTailBound(Float64Array.of(10, 10, 1, 1, 0, 0, 0, 0), 2, 20)).toBeCloseTo(1 / 28, 12);
  });

  it('never falls below the exact tail (enumerated small pools)', () => {
    let s = 17;
    const rand = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 25; trial++) {
      const pool = Array.from({ length: 16 }, () => (rand() < 0.7 ? Math.floor(4 * rand()) : Math.floor(40 * rand())));
      const desc = Float64Array.from(pool).sort().reverse();
      const n = 3 + (trial % 4);
      const total = pool.reduce((a, b) => a + b, 0);
      for (const q of [0.3, 0.5, 0.8, 0.95]) {
        const t = Math.round((q * total * n) / 4);
        expect(splitTailBound(desc, n, t)).toBeGreaterThanOrEqual(exactTail(pool, n, t) - 1e-12);
      }
    }
  });

  it('is far tighter than the other bounds for a burst, and above a lower bound on the exact tail', () => {
    // 30 burst values of 600 among 570 ordinary ones (every fifth is 40, the
    // rest 0); n = 100, t = 15,000. Drawing J bursts reaches t only if
    // 600·J + 40·(100 − J) ≥ 15,000, i.e. J ≥ 20; and J ≥ 25 reaches it alone.
    // So P(J ≥ 25) ≤ exact tail ≤ P(J ≥ 20), J ~ Hypergeometric(600, 30, 100).
    const pool = [...new Array<number>(30).fill(600), ...Array.from({ length: 570 }, (_, i) => (i % 5 === 0 ? 40 : 0))];
    const desc = Float64Array.from(pool).sort().reverse();
    const n = 100;
    const t = 15_000;
    const b = splitTailBound(desc, n, t);
    expect(b).toBeGreaterThanOrEqual(hypergeometricUpperTail(600, 30, n, 25));
    expect(b).toBeLessThan(hypergeometricUpperTail(600, 30, n, 20) / 100);
    expect(b).toBeLessThan(permutationTailBound(desc, n, t) / 100);
    expect(b).toBeLessThan(chernoffBound(pool, n, t) / 100);
  });
});
