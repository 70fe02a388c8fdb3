import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import type { CompressorPin } from '../types';
import type { Compressor, DictionaryCompressor } from './compressor';

interface Pako {
  deflateRaw(data: Uint8Array, options: Record<string, unknown>): Uint8Array;
}

// Not named `require`: electron-vite's ESM shim declares that name in the bundle.
const requireCjs = createRequire(import.meta.url);

/** Raw deflate (no zlib header or checksum), level 6, 32 KiB window, default strategy. */
export const DEFLATE_PARAMS = { level: 6, windowBits: 15, memLevel: 8, strategy: 0 } as const;

/** Deflate's window: a preset dictionary longer than 32 KiB only uses its tail. */
const DEFLATE_WINDOW = 32768;

/**
 * Raw deflate. `node:zlib` (native zlib) is the fast path; pako, a port of
 * the same zlib, is the pure-JS fallback and gives the same bytes for these
 * parameters (test/core/compressors.test.ts checks it).
 */
class DeflateCompressor implements Compressor {
  readonly pin: CompressorPin;

  constructor(private readonly backend: 'node-zlib' | 'pako') {
    const version = backend === 'pako' ? (requireCjs('pako/package.json') as { version: string }).version : process.versions.zlib ?? 'unknown';
    this.pin = {
      name: 'deflate',
      library: backend === 'pako' ? 'pako' : 'node:zlib',
      libraryVersion: version,
      formatVersion: 'deflate-raw (RFC 1951)',
      level: DEFLATE_PARAMS.level,
      params: { ...DEFLATE_PARAMS },
    };
  }

  private compress(data: Uint8Array, dictionary?: Uint8Array): number {
    if (this.backend === 'pako') {
      const pako = requireCjs('pako') as Pako;
      return pako.deflateRaw(data, { ...DEFLATE_PARAMS, ...(dictionary ? { dictionary } : {}) }).length;
    }
    return zlib.deflateRawSync(data, { ...DEFLATE_PARAMS, ...(dictionary ? { dictionary } : {}) }).length;
  }

  size(data: Uint8Array): number {
    return this.compress(data);
  }

  withDictionary(dictionary: Uint8Array): DictionaryCompressor {
    const tail = dictionary.subarray(Math.max(0, dictionary.length - DEFLATE_WINDOW));
    const size = (data: Uint8Array): number => this.compress(data, tail);
    return { size, overhead: size(new Uint8Array(0)) };
  }
}

export function createDeflate(backend: 'node-zlib' | 'pako' = 'node-zlib'): Compressor {
  return new DeflateCompressor(backend);
}
