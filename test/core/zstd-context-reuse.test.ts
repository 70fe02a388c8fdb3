// The native zstd backend reuses a few contexts for dictionaries (bounded
// native memory). A primed compressor whose context was taken over must
// re-prime itself: sizes must equal those of the node:zlib backend, which
// shares no state between calls.
import { describe, expect, it } from 'vitest';
import { createZstd } from '../../src/core';

const enc = new TextEncoder();
const dictionaries = Array.from({ length: 7 }, (_, d) =>
  enc.encode(Array.from({ length: 200 }, (_, i) => `svc${d} request ${i % (5 + d)} status=${200 + (d % 3)} path=/api/v${d}/items`).join('\n')),
);
const inputs = Array.from({ length: 12 }, (_, i) => enc.encode(`svc${i % 7} request ${i} status=${i % 2 ? 500 : 200} path=/api/v${i % 4}/items\n`));

describe('zstd dictionary contexts', () => {
  it('interleaved use of more primed compressors than contexts gives the reference sizes', () => {
    const native = createZstd('native');
    const reference = createZstd('node-zlib');
    const primed = dictionaries.map((d) => native.withDictionary(d));
    const expected = dictionaries.map((d) => reference.withDictionary(d));
    expect(primed.map((p) => p.overhead)).toEqual(expected.map((p) => p.overhead));
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < primed.length; k++) {
        const d = (k * 3 + round) % primed.length; // an order that keeps evicting contexts
        for (const x of inputs) expect(primed[d]!.size(x), `dictionary ${d}`).toBe(expected[d]!.size(x));
      }
    }
  });
});
