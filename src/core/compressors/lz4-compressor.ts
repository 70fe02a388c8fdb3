import { createRequire } from 'node:module';
import type { CompressorPin } from '../types';
import type { Compressor, DictionaryCompressor } from './compressor';
import { ScratchBuffer } from './compressor';

interface Lz4js {
  compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number;
  compressBound(n: number): number;
}

// Not named `require`: electron-vite's ESM shim declares that name in the bundle.
const requireCjs = createRequire(import.meta.url);
const lz4 = requireCjs('lz4js') as Lz4js;
const LZ4_VERSION = (requireCjs('lz4js/package.json') as { version: string }).version;

/** LZ4 matches reach back at most 64 KiB, so only the dictionary's tail matters. */
const LZ4_WINDOW = 65535;
/** lz4js uses a 16-bit hash of every 4-byte sequence. */
const HASH_SIZE = 1 << 16;

/**
 * Size of an LZ4 block holding only literals: token, length bytes, literals.
 * lz4js returns 0 for inputs it could not compress at all (shorter than its
 * 13-byte minimum, or no match found); the format still needs these bytes.
 */
function literalBlockSize(n: number): number {
  return 1 + (n >= 15 ? Math.floor((n - 15) / 255) + 1 : 0) + n;
}

/**
 * LZ4 block format via lz4js (pure JS, so the same bytes everywhere). C(x) is
 * the size of one LZ4 block, without frame header. With a dictionary, the
 * block is compressed after the dictionary tail in one buffer with the hash
 * table primed by the tail: LZ4's own prefix-dictionary mode.
 */
class Lz4Compressor implements Compressor {
  readonly pin: CompressorPin = {
    name: 'lz4',
    library: 'lz4js',
    libraryVersion: LZ4_VERSION,
    formatVersion: 'lz4-block',
    level: 1,
    params: { minMatch: 4, hashBits: 16, maxOffset: LZ4_WINDOW, searchLimit: 5, skipTrigger: 6 },
  };
  private readonly scratch = new ScratchBuffer();
  private readonly hash = new Uint32Array(HASH_SIZE);

  size(data: Uint8Array): number {
    if (data.length === 0) return literalBlockSize(0);
    this.hash.fill(0);
    const dst = this.scratch.get(lz4.compressBound(data.length));
    const n = lz4.compressBlock(data, dst, 0, data.length, this.hash);
    return n > 0 ? n : literalBlockSize(data.length);
  }

  withDictionary(dictionary: Uint8Array): DictionaryCompressor {
    const tail = dictionary.subarray(Math.max(0, dictionary.length - LZ4_WINDOW));
    const primed = new Uint32Array(HASH_SIZE);
    const scratchDst = new ScratchBuffer();
    if (tail.length > 0) lz4.compressBlock(tail, scratchDst.get(lz4.compressBound(tail.length)), 0, tail.length, primed);
    const work = new Uint32Array(HASH_SIZE);
    let joined = new Uint8Array(tail.length + 4096);
    joined.set(tail);
    const size = (data: Uint8Array): number => {
      if (data.length === 0) return literalBlockSize(0);
      if (joined.length < tail.length + data.length) {
        joined = new Uint8Array(tail.length + data.length * 2);
        joined.set(tail);
      }
      joined.set(data, tail.length);
      work.set(primed);
      const src = joined.subarray(0, tail.length + data.length);
      const n = lz4.compressBlock(src, scratchDst.get(lz4.compressBound(data.length)), tail.length, data.length, work);
      return n > 0 ? n : literalBlockSize(data.length);
    };
    return { size, overhead: literalBlockSize(0) };
  }
}

export function createLz4(): Compressor {
  return new Lz4Compressor();
}
