import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import type { CompressorPin } from '../types';
import type { Compressor, DictionaryCompressor } from './compressor';
import { ScratchBuffer } from './compressor';

/**
 * zstd 1.5.7 at level 3 with every parameter that selects an algorithm set
 * explicitly. Without that, zstd picks its parameter table row from the input
 * size, so C(window) and C(baseline) would be measured by different
 * compressors. Checksums, dictionary ids and content sizes are off: they add
 * bytes that say nothing about the data.
 */
export const ZSTD_PARAMS = {
  compressionLevel: 3,
  windowLog: 20,
  chainLog: 16,
  hashLog: 17,
  searchLog: 1,
  minMatch: 5,
  targetLength: 0,
  strategy: 2, // ZSTD_dfast
  contentSizeFlag: 0,
  checksumFlag: 0,
  dictIDFlag: 0,
} as const;

const ZSTD_FORMAT_VERSION = '1.5.7';

type ParamName = keyof typeof ZSTD_PARAMS;

interface NativeCCtx {
  setParameter(param: number, value: number): void;
  loadDictionary(dict: Uint8Array): void;
  compress2(dst: Uint8Array, src: Uint8Array): number;
}
interface NativeBinding {
  CCtx: new () => NativeCCtx;
  CParameter: Record<ParamName, number>;
}

/** ZSTD_COMPRESSBOUND from zstd.h, computed here to spare a native call per input. */
export function zstdCompressBound(n: number): number {
  return n + (n >>> 8) + (n < 128 << 10 ? ((128 << 10) - n) >>> 11 : 0);
}

// Not named `require`: electron-vite's ESM shim declares that name in the bundle.
const requireCjs = createRequire(import.meta.url);

function loadNative(): { binding: NativeBinding; version: string } | null {
  try {
    const binding = requireCjs('zstd-napi/binding') as NativeBinding;
    const version = (requireCjs('zstd-napi/package.json') as { version: string }).version;
    return { binding, version };
  } catch {
    return null;
  }
}

/**
 * Contexts kept for dictionaries. zstd-napi frees a context (about 2 MB of
 * native memory here) only when V8 collects its small wrapper, which a
 * quiet JS heap may not do for millions of events: creating one per
 * baseline made a long stream's RSS grow without bound. So a few contexts
 * are reused round-robin; a primed compressor whose context was taken over
 * loads its dictionary again before its next use (same bytes: the
 * parameters are sticky and the dictionary is replaced, not merged).
 */
const DICTIONARY_CONTEXTS = 4;

interface DictionarySlot {
  cctx: NativeCCtx;
  owner: object | null;
}

/** zstd through the zstd-napi addon: one reused context, ~0.5 M small inputs/s. */
class NativeZstd implements Compressor {
  readonly pin: CompressorPin;
  private readonly cctx: NativeCCtx;
  private readonly scratch = new ScratchBuffer();
  private readonly slots: DictionarySlot[] = [];
  private nextSlot = 0;

  constructor(private readonly binding: NativeBinding, version: string) {
    this.pin = zstdPin('zstd-napi', version);
    this.cctx = this.newContext();
  }

  private newContext(): NativeCCtx {
    const cctx = new this.binding.CCtx();
    for (const name of Object.keys(ZSTD_PARAMS) as ParamName[]) {
      cctx.setParameter(this.binding.CParameter[name], ZSTD_PARAMS[name]);
    }
    return cctx;
  }

  size(data: Uint8Array): number {
    return this.cctx.compress2(this.scratch.get(zstdCompressBound(data.length)), data);
  }

  private prime(owner: object, dictionary: Uint8Array): DictionarySlot {
    let slot: DictionarySlot;
    if (this.slots.length < DICTIONARY_CONTEXTS) {
      slot = { cctx: this.newContext(), owner };
      this.slots.push(slot);
    } else {
      slot = this.slots[this.nextSlot]!;
      this.nextSlot = (this.nextSlot + 1) % DICTIONARY_CONTEXTS;
      slot.owner = owner;
    }
    // zstd digests the dictionary once here and reuses it for every later frame.
    slot.cctx.loadDictionary(dictionary);
    return slot;
  }

  withDictionary(dictionary: Uint8Array): DictionaryCompressor {
    const owner = {};
    let slot = this.prime(owner, dictionary);
    const scratch = new ScratchBuffer();
    const size = (data: Uint8Array): number => {
      if (slot.owner !== owner) slot = this.prime(owner, dictionary);
      return slot.cctx.compress2(scratch.get(zstdCompressBound(data.length)), data);
    };
    return { size, overhead: size(new Uint8Array(0)) };
  }
}

/**
 * zstd through node:zlib (Node ≥ 23.8 bundles zstd 1.5.7): byte-identical to
 * the addon when the output chunk is at least compressBound, so zstd sees the
 * whole input in one call. About 15x slower per small input; used where the
 * addon did not build (a verifier only needs correctness).
 */
class NodeZlibZstd implements Compressor {
  readonly pin: CompressorPin = zstdPin('node:zlib', process.versions.node);
  private readonly params: Record<number, number>;

  constructor() {
    const params: Record<number, number> = {};
    for (const name of Object.keys(ZSTD_PARAMS) as ParamName[]) {
      const key = `ZSTD_c_${name}` as keyof typeof zlib.constants;
      params[zlib.constants[key] as number] = ZSTD_PARAMS[name];
    }
    this.params = params;
  }

  private compress(data: Uint8Array, dictionary?: Uint8Array): number {
    const chunkSize = Math.max(64, zstdCompressBound(data.length));
    const opts: zlib.ZstdOptions & { dictionary?: Uint8Array } = { params: this.params, chunkSize };
    if (dictionary) opts.dictionary = dictionary;
    return zlib.zstdCompressSync(data, opts).length;
  }

  size(data: Uint8Array): number {
    return this.compress(data);
  }

  withDictionary(dictionary: Uint8Array): DictionaryCompressor {
    const size = (data: Uint8Array): number => this.compress(data, dictionary);
    return { size, overhead: size(new Uint8Array(0)) };
  }
}

function zstdPin(library: string, version: string): CompressorPin {
  return {
    name: 'zstd',
    library,
    libraryVersion: version,
    formatVersion: ZSTD_FORMAT_VERSION,
    level: ZSTD_PARAMS.compressionLevel,
    params: { ...ZSTD_PARAMS },
  };
}

export type ZstdBackend = 'native' | 'node-zlib' | 'auto';

/**
 * The pinned zstd. `auto` takes the addon when it loads, else node:zlib; both
 * give the same bytes (checked by test/core/zstd-backends.test.ts).
 */
export function createZstd(backend: ZstdBackend = 'auto'): Compressor {
  if (backend !== 'node-zlib') {
    const native = loadNative();
    if (native) return new NativeZstd(native.binding, native.version);
    if (backend === 'native') throw new Error('createZstd: the zstd-napi addon is not available');
  }
  if (process.versions.zstd !== ZSTD_FORMAT_VERSION) {
    throw new Error(
      `createZstd: node:zlib bundles zstd ${process.versions.zstd ?? 'none'}, the pin needs ${ZSTD_FORMAT_VERSION}`,
    );
  }
  return new NodeZlibZstd();
}
