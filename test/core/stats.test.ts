import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  chernoffBound,
  countExceedances,
  hypergeometricUpperTail,
  logChoose,
  logGamma,
  normalUpperTail,
  permutationPValue,
  permutationTailBound,
  quantileSorted,
  samplingMoments,
  uniformBelow,
  windowRng,
} from '../../src/core';

/** All k-subsets of [0, n). */
function* subsets(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield acc;
    return;
  }
  for (let i = start; i < n; i++) yield* subsets(n, k, i + 1, [...acc, i]);
}

describe('benjaminiHochberg', () => {
  it('matches a hand-computed vector', () => {
    // sorted: 0.005(1) 0.01(2) 0.03(3) 0.04(4); p·m/rank = .02 .02 .04 .04
    expect(Array.from(benjaminiHochberg([0.01, 0.04, 0.03, 0.005]))).toEqual([0.02, 0.04, 0.04, 0.02]);
  });
  it('is monotone in p and never below p', () => {
    const p = [0.2, 0.001, 0.5, 0.03, 0.03, 0.9, 0.0001];
    const q = benjaminiHochberg(p);
    p.forEach((pi, i) => expect(q[i]).toBeGreaterThanOrEqual(pi));
    const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
    for (let i = 1; i < order.length; i++) expect(q[order[i]!]).toBeGreaterThanOrEqual(q[order[i - 1]!]!);
  });
  it('rejects p-values outside [0, 1]', () => {
    expect(() => benjaminiHochberg([0.5, 1.5])).toThrow(/not in \[0, 1\]/);
  });
});

describe('permutation p-value', () => {
  it('is bounded by 1/(1+N) and 1', () => {
    expect(permutationPValue(0, 1000)).toBeCloseTo(1 / 1001, 15);
    expect(permutationPValue(1000, 1000)).toBe(1);
  });

  it('equals 1 when the window is the whole pool (every permutation ties)', () => {
    const pool = Float64Array.from([3, 1, 4, 1, 5]);
    expect(countExceedances(pool, 5, 14, 200, windowRng(1, 's', 0))).toBe(200);
  });

  it('estimates the exact tail probability of a small pool', () => {
    const values = [0, 0, 0, 8, 8, 16, 24, 40];
    const n = 3;
    const observed = 40; // e.g. the window holds {0, 16, 24}
    let hits = 0;
    let total = 0;
    for (const s of subsets(values.length, n)) {
      total++;
      if (s.reduce((a, i) => a + values[i]!, 0) >= observed) hits++;
    }
    const exact = hits / total;
    const N = 200_000;
    const count = countExceedances(Float64Array.from(values), n, observed, N, windowRng(7, 'exact', 3));
    // Binomial sd at N = 2e5 is below 0.0012; allow 5 sd.
    expect(Math.abs(count / N - exact)).toBeLessThan(0.006);
  });

  it.each([
    [[0, 0, 0, 0, 0, 8, 16, 16, 40, 64], 6, 64],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 24, 24, 80], 2, 48],
    [[5, 9, 13, 21, 34, 55, 89], 4, 150],
  ])('matches enumeration for pool %j, n = %i, T_obs = %i', (values, n, observed) => {
    let hits = 0;
    let total = 0;
    for (const s of subsets(values.length, n)) {
      total++;
      if (s.reduce((a, i) => a + values[i]!, 0) >= observed) hits++;
    }
    const N = 200_000;
    const count = countExceedances(Float64Array.from(values), n, observed, N, windowRng(1, 'enum', n));
    expect(Math.abs(count / N - hits / total)).toBeLessThan(0.006);
  });

  it('is deterministic per (seed, stream, window) and differs between windows', () => {
    const pool = Float64Array.from({ length: 60 }, (_, i) => (i * 37) % 11);
    const a = countExceedances(Float64Array.from(pool), 10, 60, 2000, windowRng(5, 'x', 1));
    const b = countExceedances(Float64Array.from(pool), 10, 60, 2000, windowRng(5, 'x', 1));
    expect(a).toBe(b);
    const draws = (w: number): number[] => {
      const r = windowRng(5, 'x', w);
      return [r.next(), r.next(), r.next()];
    };
    expect(draws(1)).not.toEqual(draws(2));
    expect(draws(1)).toEqual(draws(1));
  });

  it('gives exact sampling moments (checked by enumeration)', () => {
    const values = [1, 2, 4, 8, 16, 32];
    const n = 2;
    const sums = [...subsets(6, n)].map((s) => s.reduce((a, i) => a + values[i]!, 0));
    const mean = sums.reduce((a, b) => a + b, 0) / sums.length;
    const sd = Math.sqrt(sums.reduce((a, b) => a + (b - mean) ** 2, 0) / sums.length);
    const m = samplingMoments(values, n);
    expect(m.mean).toBeCloseTo(mean, 12);
    expect(m.sd).toBeCloseTo(sd, 12);
  });
});

describe('tail bound', () => {
  it('hypergeometric tail equals the enumerated probability', () => {
    // M = 10 items, K = 4 marked, n = 5 drawn: P(X ≥ 3) by enumeration.
    let hit = 0;
    let total = 0;
    for (const s of subsets(10, 5)) {
      total++;
      if (s.filter((i) => i < 4).length >= 3) hit++;
    }
    expect(hypergeometricUpperTail(10, 4, 5, 3)).toBeCloseTo(hit / total, 12);
  });

  it('never falls below the exact permutation tail', () => {
    let seed = 11;
    const rand = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let trial = 0; trial < 40; trial++) {
      const M = 9;
      const n = 1 + Math.floor(rand() * 4);
      const values = Array.from({ length: M }, () => Math.floor(rand() * 5) * 8 * (rand() < 0.4 ? 4 : 1));
      const sums = [...subsets(M, n)].map((s) => s.reduce((a, i) => a + values[i]!, 0));
      const observed = sums[Math.floor(rand() * sums.length)]!;
      const exact = sums.filter((x) => x >= observed).length / sums.length;
      const bound = permutationTailBound([...values].sort((a, b) => b - a), n, observed);
      expect(bound).toBeGreaterThanOrEqual(exact - 1e-12);
    }
  });

  it('Chernoff: never below the exact tail, and close to the binomial tail it bounds', () => {
    let seed = 5;
    const rand = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let trial = 0; trial < 40; trial++) {
      const M = 10;
      const n = 1 + Math.floor(rand() * 5);
      const values = Array.from({ length: M }, () => Math.floor(rand() * 6) * 8);
      const sums = [...subsets(M, n)].map((s) => s.reduce((a, i) => a + values[i]!, 0));
      const observed = sums[Math.floor(rand() * sums.length)]!;
      const exact = sums.filter((x) => x >= observed).length / sums.length;
      expect(chernoffBound(values, n, observed)).toBeGreaterThanOrEqual(exact - 1e-12);
    }
    // 34 values of 300 bits among 600, 100 draws, T = 9,000: the with-replacement
    // binomial tail P(Bin(100, 34/600) ≥ 30) ≈ 2e-14; Chernoff is within a small factor of it.
    const pool = [...Array<number>(34).fill(300), ...Array<number>(566).fill(0)];
    let binomialTail = 0;
    for (let k = 30; k <= 100; k++) binomialTail += Math.exp(logChoose(100, k) + k * Math.log(34 / 600) + (100 - k) * Math.log(566 / 600));
    expect(chernoffBound(pool, 100, 9_000)).toBeGreaterThanOrEqual(binomialTail);
    expect(chernoffBound(pool, 100, 9_000)).toBeLessThan(100 * binomialTail);
  });

  it('is tiny when the window holds all of the pool’s large values', () => {
    const pool = [...Array<number>(10).fill(400), ...Array<number>(590).fill(0)];
    // 10 of 10 large values among 100 draws from 600: C(590,90)/C(600,100) ≈ 1.5e-8.
    const expected = Math.exp(logChoose(590, 90) - logChoose(600, 100));
    expect(permutationTailBound(pool, 100, 4000)).toBeCloseTo(expected, 15);
  });
});

describe('small numeric helpers', () => {
  it('logGamma matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(() => logGamma(0)).toThrow(/logGamma/);
  });
  it('normal upper tail at known points', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(-1.644854)).toBeCloseTo(0.95, 6);
  });
  it('quantile type 7', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46, 12);
    expect(() => quantileSorted([], 0.5)).toThrow(/empty/);
  });
  it('uniformBelow stays in range and is close to uniform', () => {
    const rng = windowRng(3, 'u', 0);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[uniformBelow(rng, 3)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    for (let i = 0; i < 1000; i++) {
      const v = uniformBelow(rng, 600);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(600);
    }
  });
});
