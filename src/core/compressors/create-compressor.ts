import type { CompressorName } from '../types';
import type { Compressor } from './compressor';
import { createDeflate } from './deflate-compressor';
import { createLz4 } from './lz4-compressor';
import { createZstd } from './zstd-compressor';

export const COMPRESSOR_NAMES: readonly CompressorName[] = ['zstd', 'lz4', 'deflate'];

/** The pinned compressor of that name, on the fastest backend that loads here. */
export function createCompressor(name: CompressorName): Compressor {
  switch (name) {
    case 'zstd':
      return createZstd();
    case 'lz4':
      return createLz4();
    case 'deflate':
      return createDeflate();
  }
}
