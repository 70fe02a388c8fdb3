import { describe, expect, it } from 'vitest';
import { byteEntropy, compressionRatio, createZstd, deltaBits, ncd, novelty } from '../../src/core';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('byteEntropy', () => {
  it('is 0 for a constant input and 1 for two equiprobable bytes', () => {
    expect(byteEntropy(enc('aaaa'))).toBe(0);
    expect(byteEntropy(enc('abab'))).toBeCloseTo(1, 12);
  });
  it('is 8 bits for every byte value once', () => {
    expect(byteEntropy(Uint8Array.from({ length: 256 }, (_, i) => i))).toBeCloseTo(8, 12);
  });
  it('matches −Σp log2 p for a skewed distribution (2/3, 1/3)', () => {
    const expected = -((2 / 3) * Math.log2(2 / 3) + (1 / 3) * Math.log2(1 / 3));
    expect(byteEntropy(enc('aab'))).toBeCloseTo(expected, 12); // 0.9183 bits
  });
  it('rejects empty input by name', () => {
    expect(() => byteEntropy(new Uint8Array(0))).toThrow(/byteEntropy/);
  });
});

describe('ratios', () => {
  it('compression ratio, delta bits and novelty follow their formulas', () => {
    expect(compressionRatio(25, 100)).toBe(0.25);
    expect(deltaBits(60, 40, 200)).toBeCloseTo(0.8, 12); // 8·20/200
    expect(novelty(30, 120)).toBe(0.25);
    expect(() => compressionRatio(1, 0)).toThrow(/compressionRatio/);
    expect(() => deltaBits(1, 1, 0)).toThrow(/deltaBits/);
    expect(() => novelty(1, 0)).toThrow(/novelty/);
  });
});

describe('ncd', () => {
  it('follows (C(xy) − min) / max on hand values', () => {
    expect(ncd(100, 100, 110)).toBeCloseTo(0.1, 12);
    expect(ncd(50, 100, 150)).toBeCloseTo(1, 12);
    expect(() => ncd(0, 0, 0)).toThrow(/ncd/);
  });

  const zstd = createZstd();
  const C = (x: Uint8Array): number => zstd.size(x);
  const join = (a: Uint8Array, b: Uint8Array): Uint8Array => {
    const out = new Uint8Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  // A deterministic pseudo-random text: no repeats a compressor could use.
  function noise(seed: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    let s = seed >>> 0;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out[i] = s >>> 24;
    }
    return out;
  }

  it('is near 0 for identical inputs with the real compressor', () => {
    const x = noise(1, 20_000);
    expect(ncd(C(x), C(x), C(join(x, x)))).toBeLessThan(0.05);
  });
  it('is near 1 for unrelated random inputs', () => {
    const x = noise(1, 20_000);
    const y = noise(2, 20_000);
    expect(ncd(C(x), C(y), C(join(x, y)))).toBeGreaterThan(0.95);
  });
});
