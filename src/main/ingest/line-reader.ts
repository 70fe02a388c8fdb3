import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

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

const GZIP_MAGIC = [0x1f, 0x8b];

async function sniff(path: string): Promise<Uint8Array> {
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

/** Opens a file as a byte stream, gunzipping when its first bytes say gzip. */
export async function openDecoded(path: string): Promise<Readable> {
  const head = await sniff(path);
  const raw = createReadStream(path);
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return raw.pipe(createGunzip());
  return raw;
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
