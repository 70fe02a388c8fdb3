import type { CompressorPin } from '../types';

/**
 * A compressor measures C(x), the compressed size of x in bytes, and the
 * conditional size of x given a dictionary (the baseline). Implementations
 * are deterministic: the same bytes and pin give the same sizes everywhere.
 */
export interface Compressor {
  readonly pin: CompressorPin;
  /** C(x) in bytes, frame/format overhead included. */
  size(data: Uint8Array): number;
  /**
   * A context primed with `dictionary` as prior content. Build it once per
   * baseline and ask it for many sizes; it is the expensive part.
   */
  withDictionary(dictionary: Uint8Array): DictionaryCompressor;
}

export interface DictionaryCompressor {
  /** Compressed size of x given the dictionary, bytes. */
  size(data: Uint8Array): number;
  /** Size of an empty input given the dictionary: the constant framing cost. */
  readonly overhead: number;
}

/** Grows a scratch buffer to at least `n` bytes (powers of two, never shrinks). */
export class ScratchBuffer {
  private buf = new Uint8Array(1 << 16);
  get(n: number): Uint8Array {
    if (this.buf.length < n) {
      let size = this.buf.length;
      while (size < n) size *= 2;
      this.buf = new Uint8Array(size);
    }
    return this.buf;
  }
}
