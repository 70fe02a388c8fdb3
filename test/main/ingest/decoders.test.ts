// Streaming decoders: LZ4 frames against the real lz4 tool and lz4js, zstd
// (both backends) and gzip against node:zlib, and the line splitter against
// a plain split of the whole text.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createDecoder, detectCompression } from '../../../src/main/ingest/decompress';
import { LINE_INVALID_UTF8, LINE_TRUNCATED, LineSplitter } from '../../../src/main/ingest/line-reader';
import { Lz4FrameDecoder } from '../../../src/main/ingest/lz4-frame-decoder';
import { xxh32 } from '../../../src/main/ingest/xxh32';
import { useTempDir } from '../../helpers/temp-dir';

const requireCjs = createRequire(import.meta.url);
const lz4js = requireCjs('lz4js') as { compress(b: Uint8Array): Uint8Array };
const lz4jsXxh = requireCjs('lz4js/xxh32.js') as { hash(seed: number, b: Uint8Array, i: number, n: number): number };
const tmp = useTempDir();
const hasLz4Tool = spawnSync('lz4', ['--version']).status === 0;

const sample = Buffer.from(
  Array.from({ length: 40_000 }, (_, i) => `2026-01-05T08:00:${String(i % 60).padStart(2, '0')}Z svc-${i % 7} request ${i} took ${(i * 7919) % 1000} ms`).join('\n') + '\n',
);

async function decode(decoder: Transform, data: Buffer, chunk = 7777): Promise<Buffer> {
  const parts: Buffer[] = [];
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunk) chunks.push(data.subarray(i, i + chunk));
  await pipeline(Readable.from(chunks), decoder, new Writable({ write: (c: Buffer, _e, cb) => (parts.push(c), cb()) }));
  return Buffer.concat(parts);
}

describe('xxh32', () => {
  it('matches lz4js at every length up to 64 and for large inputs', () => {
    for (let n = 0; n <= 64; n++) expect(xxh32(sample.subarray(0, n))).toBe(lz4jsXxh.hash(0, sample, 0, n) >>> 0);
    expect(xxh32(sample)).toBe(lz4jsXxh.hash(0, sample, 0, sample.length) >>> 0);
  });
});

describe('LZ4 frame decoder', () => {
  it('decodes lz4js frames', async () => {
    expect((await decode(new Lz4FrameDecoder(), Buffer.from(lz4js.compress(sample)))).equals(sample)).toBe(true);
  });

  it.skipIf(!hasLz4Tool)('decodes every frame option of the lz4 tool (and the legacy format)', async () => {
    const src = join(tmp(), 'in.txt');
    writeFileSync(src, sample);
    for (const flags of [[], ['-BD'], ['--content-size', '--no-frame-crc'], ['-BX', '-B4'], ['-9', '-BD', '-B4'], ['-l']]) {
      const out = join(tmp(), 'out.lz4');
      execFileSync('lz4', ['-f', '-q', ...flags, src, out]);
      const decoded = await decode(new Lz4FrameDecoder(), readFileSync(out), 1000 + flags.length * 997);
      expect(decoded.equals(sample), flags.join(' ')).toBe(true);
    }
  });

  it('decodes concatenated frames and skips skippable frames', async () => {
    const frame = Buffer.from(lz4js.compress(sample.subarray(0, 5000)));
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    const decoded = await decode(new Lz4FrameDecoder(), Buffer.concat([frame, skippable, frame]), 333);
    expect(decoded.equals(Buffer.concat([sample.subarray(0, 5000), sample.subarray(0, 5000)]))).toBe(true);
  });

  it('fails on truncated input and on corruption, after the good blocks', async () => {
    const full = Buffer.from(lz4js.compress(sample));
    await expect(decode(new Lz4FrameDecoder(), full.subarray(0, full.length - 50))).rejects.toThrow(/truncated/);
    const bad = Buffer.from(full);
    bad[4] = bad[4]! ^ 0x20; // block-independence flag: the header checksum no longer matches
    await expect(decode(new Lz4FrameDecoder(), bad)).rejects.toThrow(/header checksum/);
    await expect(decode(new Lz4FrameDecoder(), Buffer.from('not lz4 at all'))).rejects.toThrow(/bad magic/);
  });
});

describe('compression by magic bytes', () => {
  it('detects gzip, zstd, lz4 and plain', () => {
    expect(detectCompression(zlib.gzipSync(sample))).toBe('gzip');
    expect(detectCompression(zlib.zstdCompressSync(sample))).toBe('zstd');
    expect(detectCompression(lz4js.compress(sample))).toBe('lz4');
    expect(detectCompression(sample)).toBe('none');
    expect(detectCompression(new Uint8Array(0))).toBe('none');
  });

  it.each(['native', 'js'] as const)('zstd (%s) decodes multi-frame files and rejects truncated ones', async (backend) => {
    const frame = zlib.zstdCompressSync(sample);
    const two = await decode(createDecoder('zstd', { zstd: backend })!, Buffer.concat([frame, frame]));
    expect(two.equals(Buffer.concat([sample, sample]))).toBe(true);
    await expect(decode(createDecoder('zstd', { zstd: backend })!, frame.subarray(0, frame.length - 20))).rejects.toThrow();
  });

  it('gzip decodes multi-member files', async () => {
    const gz = Buffer.concat([zlib.gzipSync(sample.subarray(0, 1000)), zlib.gzipSync(sample.subarray(1000))]);
    expect((await decode(createDecoder('gzip')!, gz)).equals(sample)).toBe(true);
  });
});

describe('LineSplitter', () => {
  const split = (data: Buffer, chunk: number, options = {}) => {
    const lines: { text: string; no: number; flags: number; bytes: number }[] = [];
    const s = new LineSplitter((text, no, flags, bytes) => lines.push({ text, no, flags, bytes }), options);
    for (let i = 0; i < data.length; i += chunk) s.push(data.subarray(i, i + chunk));
    s.end();
    return { lines, splitter: s };
  };

  it('equals a whole-text split for any chunking (CRLF, multi-byte, no final newline)', () => {
    const text = 'héllo wörld\r\nplain\n\n日本語のテキスト\n' + 'x'.repeat(300) + '\nlast line without newline';
    const data = Buffer.from(text);
    const expected = text.split('\n').map((l) => l.replace(/\r$/, ''));
    for (const chunk of [1, 2, 3, 5, 17, 64, 4096]) {
      const { lines, splitter } = split(data, chunk);
      expect(lines.map((l) => l.text), `chunk ${chunk}`).toEqual(expected);
      expect(lines.map((l) => l.no)).toEqual(expected.map((_, i) => i + 1));
      expect(lines.every((l) => l.flags === 0)).toBe(true);
      expect(splitter.bytes).toBe(data.length);
      // bytes through each line = byte length of the text up to and including its LF
      const ends = [] as number[];
      let at = 0;
      for (const l of text.split('\n')) ends.push((at += Buffer.byteLength(l) + 1));
      ends[ends.length - 1]! -= 1;
      expect(lines.map((l) => l.bytes)).toEqual(ends);
    }
  });

  it('flags invalid UTF-8 and over-long lines without losing the next line', () => {
    const data = Buffer.concat([Buffer.from('ok\n'), Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a]), Buffer.from('y'.repeat(100) + '\nafter\n')]);
    for (const chunk of [1, 7, 1000]) {
      const { lines } = split(data, chunk, { maxLineBytes: 50 });
      expect(lines.map((l) => [l.no, l.flags])).toEqual([
        [1, 0],
        [2, LINE_INVALID_UTF8],
        [3, LINE_TRUNCATED],
        [4, 0],
      ]);
      expect(lines[1]!.text).toBe('a\uFFFD\uFFFDb');
      expect(lines[2]!.text).toBe('y'.repeat(50));
      expect(lines[3]!.text).toBe('after');
    }
  });

  it('skips (without decoding) the lines a resumed import already committed', () => {
    const data = Buffer.from('a\nb\nc\nd\n');
    const { lines, splitter } = split(data, 3, { skipThrough: 2 });
    expect(lines.map((l) => [l.no, l.text])).toEqual([
      [3, 'c'],
      [4, 'd'],
    ]);
    expect(splitter.lines).toBe(4);
  });
});
