import { Transform, type TransformCallback } from 'node:stream';
import { xxh32, Xxh32 } from './xxh32';

const FRAME_MAGIC = 0x184d2204;
const LEGACY_MAGIC = 0x184c2102;
const LEGACY_BLOCK = 8 << 20;
const HISTORY = 64 << 10;
const BLOCK_SIZES: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };

const u32 = (b: Uint8Array, i: number): number => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

/**
 * Decode one LZ4 block (the LZ77 sequence format) into `out` at `outPos`;
 * matches may reach back into the history already in `out`.
 *
 * @returns the new end of output
 */
export function decodeLz4Block(src: Uint8Array, out: Uint8Array, outPos: number, outLimit: number): number {
  let i = 0;
  let o = outPos;
  const end = src.length;
  for (;;) {
    if (i >= end) throw new Error('lz4 block ends inside a sequence');
    const token = src[i++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (i >= end) throw new Error('lz4 block ends inside a literal length');
        b = src[i++]!;
        lit += b;
      } while (b === 255);
    }
    if (i + lit > end || o + lit > outLimit) throw new Error('lz4 literals run past the block');
    out.set(src.subarray(i, i + lit), o);
    i += lit;
    o += lit;
    if (i === end) return o; // the last sequence has literals only
    if (i + 2 > end) throw new Error('lz4 block ends inside a match offset');
    const offset = src[i]! | (src[i + 1]! << 8);
    i += 2;
    if (offset === 0 || offset > o) throw new Error(`lz4 match offset ${offset} reaches before the data`);
    let len = token & 15;
    if (len === 15) {
      let b: number;
      do {
        if (i >= end) throw new Error('lz4 block ends inside a match length');
        b = src[i++]!;
        len += b;
      } while (b === 255);
    }
    len += 4;
    if (o + len > outLimit) throw new Error('lz4 match runs past the block size');
    let from = o - offset;
    if (offset >= len) {
      out.copyWithin(o, from, from + len);
      o += len;
    } else {
      for (let k = 0; k < len; k++) out[o++] = out[from++]!;
    }
  }
}

type State =
  | { at: 'magic' }
  | { at: 'header'; legacy: false }
  | { at: 'block' }
  | { at: 'content-checksum' }
  | { at: 'skip'; left: number }
  | { at: 'legacy-block' };

/**
 * Streaming decoder of LZ4 frames (the `lz4` command's format, concatenated
 * frames and skippable frames included) and of the legacy format (`lz4 -l`).
 * Memory: one block of input plus one block and 64 KiB of output history.
 * Block and content checksums are verified when the frame carries them.
 * A stream that ends inside a frame fails with "truncated".
 */
export class Lz4FrameDecoder extends Transform {
  private input: Buffer = Buffer.alloc(0);
  private state: State = { at: 'magic' };
  private frames = 0;
  private blockMax = 0;
  private independent = true;
  private blockChecksum = false;
  private contentChecksum = false;
  private content: Xxh32 | undefined;
  private window = new Uint8Array(0);
  private windowLen = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
    try {
      this.parse();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    const inFrame = this.state.at !== 'magic' || this.input.length > 0;
    if (this.frames === 0 && this.input.length === 0 && this.state.at === 'magic') return done(new Error('lz4: empty input'));
    if (this.state.at === 'legacy-block' && this.input.length === 0) return done();
    done(inFrame ? new Error('lz4: truncated input (the stream ends inside a frame)') : undefined);
  }

  private consume(n: number): Buffer | undefined {
    if (this.input.length < n) return undefined;
    const out = this.input.subarray(0, n);
    this.input = this.input.subarray(n);
    return out;
  }

  private parse(): void {
    for (;;) {
      const s = this.state;
      if (s.at === 'magic' || (s.at === 'legacy-block' && this.input.length >= 4 && u32(this.input, 0) !== 0 && isMagic(u32(this.input, 0)))) {
        const head = this.consume(4);
        if (!head) return;
        const magic = u32(head, 0);
        if (magic === FRAME_MAGIC) this.state = { at: 'header', legacy: false };
        else if (magic === LEGACY_MAGIC) this.startLegacy();
        else if ((magic & 0xfffffff0) === 0x184d2a50) this.state = { at: 'skip', left: -1 };
        else throw new Error(`lz4: bad magic number 0x${magic.toString(16)} ${this.frames === 0 ? 'at the start' : 'after a frame'}`);
        continue;
      }
      if (s.at === 'skip') {
        if (s.left < 0) {
          const size = this.consume(4);
          if (!size) return;
          this.state = { at: 'skip', left: u32(size, 0) };
          continue;
        }
        const n = Math.min(s.left, this.input.length);
        this.input = this.input.subarray(n);
        s.left -= n;
        if (s.left > 0) return;
        this.state = { at: 'magic' };
        continue;
      }
      if (s.at === 'header') {
        if (this.input.length < 3) return;
        const flg = this.input[0]!;
        const len = 2 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0) + 1;
        const desc = this.consume(len);
        if (!desc) return;
        if (flg >>> 6 !== 1) throw new Error(`lz4: unsupported frame version ${flg >>> 6}`);
        if (flg & 0x01) throw new Error('lz4: frames that need an external dictionary are not supported');
        const bd = desc[1]!;
        const max = BLOCK_SIZES[(bd >>> 4) & 7];
        if (!max) throw new Error(`lz4: bad block size code ${(bd >>> 4) & 7}`);
        if (((xxh32(desc.subarray(0, len - 1)) >>> 8) & 0xff) !== desc[len - 1]) throw new Error('lz4: frame header checksum mismatch');
        this.blockMax = max;
        this.independent = (flg & 0x20) !== 0;
        this.blockChecksum = (flg & 0x10) !== 0;
        this.contentChecksum = (flg & 0x04) !== 0;
        this.content = this.contentChecksum ? new Xxh32() : undefined;
        this.resetWindow(max);
        this.state = { at: 'block' };
        continue;
      }
      if (s.at === 'block') {
        if (this.input.length < 4) return;
        const word = u32(this.input, 0);
        if (word === 0) {
          this.consume(4);
          this.state = this.contentChecksum ? { at: 'content-checksum' } : { at: 'magic' };
          if (!this.contentChecksum) this.frames++;
          continue;
        }
        const size = word & 0x7fffffff;
        if (size > this.blockMax) throw new Error(`lz4: block of ${size} bytes exceeds the frame's maximum ${this.blockMax}`);
        const need = 4 + size + (this.blockChecksum ? 4 : 0);
        const block = this.consume(need);
        if (!block) return;
        const data = block.subarray(4, 4 + size);
        if (this.blockChecksum && xxh32(data) !== u32(block, 4 + size)) throw new Error('lz4: block checksum mismatch');
        this.emitBlock(data, (word & 0x80000000) !== 0);
        continue;
      }
      if (s.at === 'content-checksum') {
        const sum = this.consume(4);
        if (!sum) return;
        if (this.content!.digest() !== u32(sum, 0)) throw new Error('lz4: content checksum mismatch');
        this.frames++;
        this.state = { at: 'magic' };
        continue;
      }
      // legacy blocks: size word, then a block that is always compressed and independent
      if (this.input.length < 4) return;
      const size = u32(this.input, 0);
      if (size > LEGACY_BLOCK + (LEGACY_BLOCK >>> 8) + 16) throw new Error(`lz4: legacy block of ${size} bytes is too large`);
      const block = this.consume(4 + size);
      if (!block) return;
      this.resetWindow(LEGACY_BLOCK);
      this.emitBlock(block.subarray(4), false);
    }
  }

  private startLegacy(): void {
    this.independent = true;
    this.blockMax = LEGACY_BLOCK;
    this.contentChecksum = false;
    this.frames++;
    this.state = { at: 'legacy-block' };
  }

  private resetWindow(blockMax: number): void {
    const need = HISTORY + blockMax;
    if (this.window.length < need) this.window = new Uint8Array(need);
    this.windowLen = 0;
  }

  private emitBlock(data: Uint8Array, stored: boolean): void {
    if (this.independent) this.windowLen = 0;
    const start = this.windowLen;
    let end: number;
    if (stored) {
      if (data.length > this.blockMax) throw new Error('lz4: stored block exceeds the block size');
      this.window.set(data, start);
      end = start + data.length;
    } else {
      end = decodeLz4Block(data, this.window, start, start + this.blockMax);
    }
    const out = Buffer.from(this.window.subarray(start, end));
    this.content?.update(out);
    if (!this.independent) {
      // Keep the last 64 KiB as history for the next block's matches.
      const keep = Math.min(HISTORY, end);
      this.window.copyWithin(0, end - keep, end);
      this.windowLen = keep;
    }
    if (out.length > 0) this.push(out);
  }
}

function isMagic(word: number): boolean {
  return word === FRAME_MAGIC || word === LEGACY_MAGIC || (word & 0xfffffff0) === 0x184d2a50;
}
