import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createDecoder, detectCompression } from './decompress';

/** A problem with an input, named by file and (when known) line. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = 'InputError';
  }
}

/** The first bytes of a file, with a one-line error naming it when it cannot be read. */
export async function sniff(path: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new InputError(path, reason);
  }
  try {
    const head = new Uint8Array(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Opens a file as a byte stream, decompressing when its first bytes say gzip, zstd or lz4. */
export async function openDecoded(path: string): Promise<Readable> {
  const head = await sniff(path);
  const raw = createReadStream(path);
  const decoder = createDecoder(detectCompression(head));
  if (!decoder) return raw;
  raw.on('error', (err) => decoder.destroy(err));
  return raw.pipe(decoder);
}

/**
 * Calls `onLine` for every line of a plain or gzip file, in order, 0-based.
 * Lines end at LF; a CR before the LF is dropped (Loghub files are CRLF). A
 * final line without newline counts; an empty file has no lines. Bytes that
 * are not UTF-8 decode as U+FFFD rather than stopping the read.
 */
export async function readLines(path: string, onLine: (line: string, index: number) => void): Promise<number> {
  const stream = await openDecoded(path);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let carry = '';
  let index = 0;
  const emit = (line: string): void => {
    onLine(line.endsWith('\r') ? line.slice(0, -1) : line, index++);
  };
  try {
    for await (const chunk of stream) {
      const text = carry + decoder.decode(chunk as Uint8Array, { stream: true });
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        emit(text.slice(start, nl));
        start = nl + 1;
      }
      carry = text.slice(start);
    }
  } catch (err) {
    throw new InputError(path, `read failed after line ${index}: ${(err as Error).message}`);
  }
  carry += decoder.decode();
  if (carry.length > 0) emit(carry);
  return index;
}

/** Line flag: the line's bytes were not valid UTF-8 (decoded with U+FFFD). */
export const LINE_INVALID_UTF8 = 1;
/** Line flag: the line was longer than the limit and was cut there. */
export const LINE_TRUNCATED = 2;

/**
 * Receives each line: its text (no LF, no trailing CR), 1-based number,
 * flags, and the decoded bytes consumed through its end (LF included).
 */
export type LineSink = (text: string, lineNo: number, flags: number, bytesThrough: number) => void;

const LF = 10;

/**
 * Splits a byte stream into lines with bounded memory: a line longer than
 * `maxLineBytes` is cut (flag LINE_TRUNCATED) and the rest of it skipped.
 * Lines that are not UTF-8 are flagged and decoded with U+FFFD. Lines up to
 * `skipThrough` are counted but not decoded (resuming an import).
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryLen = 0;
  private carryCut = false;
  private line = 0;
  private consumed = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly options: { maxLineBytes?: number; skipThrough?: number } = {},
  ) {}

  /** Lines seen so far (complete ones, plus the final one after `end`). */
  get lines(): number {
    return this.line;
  }

  /** Decoded bytes consumed through the last line. */
  get bytes(): number {
    return this.consumed;
  }

  private get max(): number {
    return this.options.maxLineBytes ?? 1 << 20;
  }

  private emit(bytes: Buffer, flags: number, byteLength: number): void {
    const lineNo = ++this.line;
    this.consumed += byteLength;
    if (lineNo <= (this.options.skipThrough ?? 0)) return;
    let f = flags;
    let b = bytes;
    if (b.length > this.max) {
      b = b.subarray(0, this.max);
      f |= LINE_TRUNCATED;
    }
    if (!isUtf8(b)) f |= LINE_INVALID_UTF8;
    let text = b.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.sink(text, lineNo, f, this.consumed);
  }

  private appendCarry(piece: Buffer): void {
    if (this.carryCut) return;
    const room = this.max + 1 - this.carryLen;
    if (piece.length > room) {
      this.carry.push(Buffer.from(piece.subarray(0, room)));
      this.carryLen += room;
      this.carryCut = true;
      return;
    }
    this.carry.push(Buffer.from(piece));
    this.carryLen += piece.length;
  }

  private takeCarry(): { bytes: Buffer; flags: number } {
    const bytes = this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry, this.carryLen);
    const flags = this.carryCut ? LINE_TRUNCATED : 0;
    this.carry = [];
    this.carryLen = 0;
    this.carryCut = false;
    return { bytes, flags };
  }

  push(chunk: Buffer): void {
    let start = 0;
    const last = chunk.lastIndexOf(LF);
    if (last < 0) {
      this.pendingBytes += chunk.length;
      this.appendCarry(chunk);
      return;
    }
    if (this.carryLen > 0 || this.carryCut) {
      const nl = chunk.indexOf(LF);
      this.appendCarry(chunk.subarray(0, nl));
      const { bytes, flags } = this.takeCarry();
      this.emit(bytes, flags, this.pendingBytes + nl + 1);
      this.pendingBytes = 0;
      start = nl + 1;
    }
    this.region(chunk, start, last);
    this.pendingBytes = chunk.length - (last + 1);
    if (last + 1 < chunk.length) this.appendCarry(chunk.subarray(last + 1));
  }

  /** Bytes of the unfinished line held in carry (for byte accounting). */
  private pendingBytes = 0;

  /** Lines in chunk[start, last], each ending at an LF; last is an LF. */
  private region(chunk: Buffer, start: number, last: number): void {
    const skip = this.options.skipThrough ?? 0;
    let at = start;
    // Resuming: count skipped lines without decoding them.
    while (this.line < skip && at <= last) {
      const nl = chunk.indexOf(LF, at);
      this.line++;
      this.consumed += nl + 1 - at;
      at = nl + 1;
    }
    if (at > last) return;
    const bytes = chunk.subarray(at, last);
    if (bytes.length <= this.max * 4 && isUtf8(bytes)) {
      // Fast path: one decode for the whole region; ASCII lines need no byte counting.
      const text = bytes.toString('utf8');
      const ascii = text.length === bytes.length;
      let from = 0;
      for (;;) {
        const nl = text.indexOf('\n', from);
        const end = nl < 0 ? text.length : nl;
        const lineText = text.slice(from, end);
        const byteLength = (ascii ? lineText.length : Buffer.byteLength(lineText)) + 1;
        if (byteLength - 1 > this.max) {
          this.emit(Buffer.from(lineText), 0, byteLength);
        } else {
          const lineNo = ++this.line;
          this.consumed += byteLength;
          this.sink(lineText.endsWith('\r') ? lineText.slice(0, -1) : lineText, lineNo, 0, this.consumed);
        }
        if (nl < 0) break;
        from = nl + 1;
      }
      return;
    }
    for (let from = at; from <= last; ) {
      const nl = chunk.indexOf(LF, from);
      this.emit(chunk.subarray(from, nl), 0, nl + 1 - from);
      from = nl + 1;
    }
  }

  /**
   * The input ended: the unfinished last line (no LF) is emitted unless
   * `dropPartial` (a truncated archive, whose last line is cut).
   *
   * @returns whether there was an unfinished line
   */
  end(dropPartial = false): boolean {
    if (this.carryLen === 0 && !this.carryCut) return false;
    const { bytes, flags } = this.takeCarry();
    if (dropPartial) {
      this.line++;
      this.consumed += this.pendingBytes;
    } else {
      this.emit(bytes, flags, this.pendingBytes);
    }
    this.pendingBytes = 0;
    return true;
  }
}
