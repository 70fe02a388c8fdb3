import { createRequire } from 'node:module';
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { Decompress as FzstdDecompress } from 'fzstd';
import type * as ZstdNapi from 'zstd-napi';
import type { Compression } from '../../shared/case-types';
import { Lz4FrameDecoder } from './lz4-frame-decoder';

/** Compression of a file from its first bytes (magic numbers), not its name. */
export function detectCompression(head: Uint8Array): Compression {
  const b = (i: number): number => head[i] ?? -1;
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip';
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return 'zstd';
  if ((b(0) === 0x04 && b(1) === 0x22 && b(2) === 0x4d && b(3) === 0x18) || (b(0) === 0x02 && b(1) === 0x21 && b(2) === 0x4c && b(3) === 0x18)) {
    return 'lz4';
  }
  return 'none';
}

/**
 * zstd in pure JavaScript (fzstd), for runtimes whose node:zlib has no zstd.
 * fzstd cannot tell a truncated stream from a complete one, so frame
 * completeness is checked here: the decoder reports `final` only at a frame end.
 */
class FzstdTransform extends Transform {
  private readonly decoder: FzstdDecompress;
  private complete = false;

  constructor() {
    super();
    this.decoder = new FzstdDecompress((data, final) => {
      if (data.length > 0) this.push(Buffer.from(data));
      this.complete = final === true;
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.complete = false;
      this.decoder.push(chunk);
      done();
    } catch (err) {
      done(new Error(`zstd: ${(err as Error).message}`));
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
    } catch (err) {
      return done(new Error(`zstd: ${(err as Error).message}`));
    }
    done(this.complete ? undefined : new Error('zstd: unexpected end of file (truncated)'));
  }
}

// Not named `require`: electron-vite's ESM shim declares that name in the bundle.
const requireCjs = createRequire(import.meta.url);

/** zstd-napi's streaming decoder, when the addon loads here. */
function nativeZstd(): Transform | null {
  try {
    const { DecompressStream } = requireCjs('zstd-napi') as typeof ZstdNapi;
    return new DecompressStream();
  } catch {
    return null;
  }
}

/**
 * The streaming decoder for a compression, or null for plain files.
 * zstd: the zstd-napi addon (about 2 GB/s), else fzstd (pure JS). Not
 * node:zlib's zstd: in Node 24 it stops silently after the first frame of
 * a multi-frame file.
 */
export function createDecoder(compression: Compression, options: { zstd?: 'native' | 'js' } = {}): Transform | null {
  switch (compression) {
    case 'none':
      return null;
    case 'gzip':
      return zlib.createGunzip();
    case 'zstd':
      return (options.zstd !== 'js' ? nativeZstd() : null) ?? new FzstdTransform();
    case 'lz4':
      return new Lz4FrameDecoder();
  }
}
