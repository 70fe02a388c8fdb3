/**
 * A protobuf wire-format reader for hand-written decoders. It reads what
 * protobufjs reads, with the same limits (a field never runs past the end of
 * its enclosing message, strings are strict UTF-8), and calls `fail` (which
 * must throw) where protobufjs would throw or where the caller's fast path
 * does not go (varints longer than a field's type allows, groups).
 */

import { nanosHalvesToMs } from './otlp-values';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const HEX = '0123456789abcdef';

/** Short strings (attribute keys, levels, routes) repeat: a string seen before is returned again rather than allocated. */
const CACHED_MAX_BYTES = 32;
const CACHE_SLOTS = 1024;

/** Buffer's own slice-to-string (what buf.toString('latin1', …) calls after checking its arguments). */
interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}

export class WireReader {
  private readonly buf: Buffer;
  private pos = 0;
  /** End of the message being read. */
  private limit: number;
  /** The halves of the last 64-bit varint read. */
  lo = 0;
  hi = 0;
  /** Where each cached string's bytes are in this request (so nothing is copied), its length (0: empty slot) and the string. */
  private readonly cacheStart = new Int32Array(CACHE_SLOTS);
  private readonly cacheLength = new Int32Array(CACHE_SLOTS);
  private readonly cacheStrings: string[] = new Array<string>(CACHE_SLOTS).fill('');

  constructor(
    bytes: Uint8Array,
    private readonly fail: () => never,
  ) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.limit = this.buf.length;
  }

  /** Whether the current message has more fields. */
  more(): boolean {
    return this.pos < this.limit;
  }

  /** A varint of at most 32 bits (5 bytes), as an unsigned number. */
  uint32(): number {
    const { buf, limit } = this;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= limit) this.fail();
      const b = buf[pos++]!;
      value |= (b & 127) << shift;
      if (b < 128) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    if (pos >= limit) this.fail();
    const b = buf[pos++]!;
    if (b >= 128) this.fail();
    this.pos = pos;
    return (value | ((b & 15) << 28)) >>> 0;
  }

  /** A field tag; field number 0 and the group wire types fail. */
  tag(): number {
    const tag = this.uint32();
    if (tag >>> 3 === 0) this.fail();
    return tag;
  }

  /** A varint of up to 64 bits into `lo` and `hi` (unsigned halves). */
  varint64(): void {
    const { buf, limit } = this;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= limit) this.fail();
      const b = buf[pos++]! & 255;
      const bits = b & 127;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 128) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    this.fail();
  }

  /** A fixed64 nanosecond timestamp as exact whole milliseconds (see nanosHalvesToMs). */
  fixed64NanosAsMs(): number {
    const pos = this.pos;
    if (pos + 8 > this.limit) this.fail();
    this.pos = pos + 8;
    return nanosHalvesToMs(this.buf.readUInt32LE(pos), this.buf.readUInt32LE(pos + 4));
  }

  double(): number {
    const pos = this.pos;
    if (pos + 8 > this.limit) this.fail();
    this.pos = pos + 8;
    return this.buf.readDoubleLE(pos);
  }

  skipBytes(n: number): void {
    if (this.pos + n > this.limit) this.fail();
    this.pos += n;
  }

  /** Enters a length-delimited field: returns the enclosing message's end, for `leave`. */
  enter(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.limit) this.fail();
    const outer = this.limit;
    this.limit = end;
    return outer;
  }

  /** Back in the enclosing message after the field entered last. */
  leave(outer: number): void {
    this.limit = outer;
  }

  /** Start of the field `span` passed over last. */
  private spanStart = 0;

  /** Passes over a length-delimited field: its bytes are spanStart up to the returned end. */
  private span(): number {
    const len = this.uint32();
    const start = this.pos;
    const end = start + len;
    if (end > this.limit) this.fail();
    this.pos = end;
    this.spanStart = start;
    return end;
  }

  /** A string field (strict UTF-8: invalid bytes fail). */
  string(): string {
    const end = this.span();
    const start = this.spanStart;
    return this.text(start, end);
  }

  /**
   * A string field that often repeats within a request (attribute keys,
   * levels, routes): a short one seen before in this request is returned
   * again rather than decoded and allocated anew.
   */
  shortString(): string {
    const end = this.span();
    const start = this.spanStart;
    const n = end - start;
    if (n === 0 || n > CACHED_MAX_BYTES) return this.text(start, end);
    const { buf } = this;
    let h = n;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + buf[i]!) | 0;
    const slot = (h >>> 0) % CACHE_SLOTS;
    if (this.cacheLength[slot] === n) {
      const at = this.cacheStart[slot]! - start;
      let same = true;
      for (let i = start; i < end; i++) {
        if (buf[i] !== buf[i + at]) {
          same = false;
          break;
        }
      }
      if (same) return this.cacheStrings[slot]!;
    }
    const s = this.text(start, end);
    this.cacheStart[slot] = start;
    this.cacheLength[slot] = n;
    this.cacheStrings[slot] = s;
    return s;
  }

  private text(start: number, end: number): string {
    const { buf } = this;
    for (let i = start; i < end; i++) {
      if (buf[i]! >= 128) {
        try {
          return STRICT_UTF8.decode(buf.subarray(start, end));
        } catch {
          return this.fail();
        }
      }
    }
    // ASCII: latin1 gives the same string without the UTF-8 decoder's call cost.
    return (buf as unknown as Latin1Slicer).latin1Slice(start, end);
  }

  /** A bytes field as base64. */
  base64(): string {
    const end = this.span();
    const start = this.spanStart;
    return this.buf.toString('base64', start, end);
  }

  /** A trace or span id as lower-case hex: '' when empty, failing when not `size` bytes. */
  hexId(size: number): string {
    const end = this.span();
    const start = this.spanStart;
    if (end === start) return '';
    if (end - start !== size) this.fail();
    const { buf } = this;
    let s = '';
    for (let i = start; i < end; i++) s += HEX[buf[i]! >> 4]! + HEX[buf[i]! & 15]!;
    return s;
  }

  /**
   * Skips a field the decoder does not read. A field numbered up to
   * `maxKnown` is one of the message's own with an unexpected wire type:
   * that fails (protobufjs would skip it; the general path decides).
   */
  skipUnknown(tag: number, maxKnown: number): void {
    if (tag >>> 3 <= maxKnown) this.fail();
    switch (tag & 7) {
      case 0:
        this.varint64();
        break;
      case 1:
        this.skipBytes(8);
        break;
      case 2:
        this.span();
        break;
      case 5:
        this.skipBytes(4);
        break;
      default:
        this.fail();
    }
  }
}
