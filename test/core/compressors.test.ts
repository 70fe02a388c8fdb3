import { describe, expect, it } from 'vitest';
import { createDeflate, createLz4, createZstd, ZSTD_PARAMS, type Compressor } from '../../src/core';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A fixed, varied text: 200 templated lines (no randomness, so sizes are stable). */
const SAMPLE = enc(
  Array.from({ length: 200 }, (_, i) => `2026-01-0${(i % 9) + 1} api INFO request id=${(i * 7919) % 10007} path=/v1/${['a', 'bb', 'ccc'][i % 3]} status=${i % 13 === 0 ? 500 : 200}`).join('\n'),
);
const DICT = SAMPLE.subarray(0, 6000);
const PROBE = enc('2026-01-03 api INFO request id=4242 path=/v1/bb status=200\n');

describe('zstd', () => {
  const native = createZstd('native');
  const fallback = createZstd('node-zlib');

  it('pins every parameter that changes output', () => {
    expect(native.pin).toMatchObject({ name: 'zstd', formatVersion: '1.5.7', level: 3, library: 'zstd-napi' });
    expect(fallback.pin.library).toBe('node:zlib');
    for (const key of ['windowLog', 'chainLog', 'hashLog', 'searchLog', 'minMatch', 'targetLength', 'strategy']) {
      expect(native.pin.params[key]).toBe(ZSTD_PARAMS[key as keyof typeof ZSTD_PARAMS]);
    }
  });

  it('frames an empty input in 9 bytes (RFC 8878: magic 4 + header 1 + window 1 + empty last block 3)', () => {
    expect(native.size(new Uint8Array(0))).toBe(9);
    expect(native.withDictionary(DICT).overhead).toBe(9);
  });

  it('gives the same sizes on the native addon and node:zlib, with and without a dictionary', () => {
    for (const n of [0, 1, 17, 100, 1000, 5000, SAMPLE.length]) {
      const x = SAMPLE.subarray(0, n);
      expect(fallback.size(x), `size of ${n} bytes`).toBe(native.size(x));
    }
    const a = native.withDictionary(DICT);
    const b = fallback.withDictionary(DICT);
    for (let i = 0; i < 50; i++) {
      const x = SAMPLE.subarray(i * 97, i * 97 + 40 + i);
      expect(b.size(x)).toBe(a.size(x));
    }
  });

  it('golden sizes: pinned values both backends produced (a change means the pin changed)', () => {
    expect(native.size(SAMPLE)).toBe(GOLDEN.zstd.sample);
    expect(native.withDictionary(DICT).size(PROBE)).toBe(GOLDEN.zstd.probeGivenDict);
  });
});

describe('lz4 (lz4js block format)', () => {
  const lz4 = createLz4();
  it('matches hand-encoded blocks', () => {
    // 100 × 'a': token(1 literal, match 15+) · 'a' · offset(2) · 75 · token(5 literals) · 5 × 'a' = 11 bytes.
    expect(lz4.size(new Uint8Array(100).fill(97))).toBe(11);
    // Too short to match: token + literals.
    expect(lz4.size(enc('hello'))).toBe(6);
    expect(lz4.size(new Uint8Array(0))).toBe(1);
  });
  it('uses the dictionary as a prefix: a line the dictionary holds costs less than alone', () => {
    const primed = lz4.withDictionary(DICT);
    expect(primed.size(PROBE)).toBeLessThan(lz4.size(PROBE));
    expect(primed.size(PROBE)).toBe(primed.size(PROBE)); // no state leaks between calls
  });
  it('golden sizes', () => {
    expect(lz4.size(SAMPLE)).toBe(GOLDEN.lz4.sample);
  });
});

describe('deflate', () => {
  const zlib = createDeflate('node-zlib');
  const pako = createDeflate('pako');
  it('encodes an empty input as one empty fixed block (2 bytes: 03 00)', () => {
    expect(zlib.size(new Uint8Array(0))).toBe(2);
  });
  it('node:zlib and pako give the same sizes, with and without a dictionary', () => {
    for (const n of [0, 1, 100, 1000, SAMPLE.length]) expect(pako.size(SAMPLE.subarray(0, n))).toBe(zlib.size(SAMPLE.subarray(0, n)));
    expect(pako.withDictionary(DICT).size(PROBE)).toBe(zlib.withDictionary(DICT).size(PROBE));
  });
  it('golden sizes', () => {
    expect(zlib.size(SAMPLE)).toBe(GOLDEN.deflate.sample);
  });
});

describe('every compressor', () => {
  const all: Compressor[] = [createZstd(), createLz4(), createDeflate()];
  it.each(all.map((c) => [c.pin.name, c] as const))('%s is deterministic and sees redundancy', (_name, c) => {
    expect(c.size(SAMPLE)).toBe(c.size(SAMPLE));
    expect(c.size(SAMPLE)).toBeLessThan(SAMPLE.length / 2);
  });
});

// Sizes recorded from both backends at the time the pin was set.
const GOLDEN = {
  zstd: { sample: 1113, probeGivenDict: 21 },
  lz4: { sample: 2776 },
  deflate: { sample: 1095 },
};
