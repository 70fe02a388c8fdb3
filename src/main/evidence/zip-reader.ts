import { crc32, inflateRawSync } from 'node:zlib';

/**
 * The archive as a whole cannot be read (not a zip, truncated, an unsupported
 * zip feature): `driftlock verify` exits 2 for it.
 */
export class ZipUnreadableError extends Error {
  override name = 'ZipUnreadableError';
}

/** One entry's bytes cannot be recovered (bad CRC, broken deflate data). */
export class ZipEntryError extends Error {
  override name = 'ZipEntryError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

interface CentralEntry {
  path: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's data (after its local header). */
  dataOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const FLAG_ENCRYPTED = 1;
const FLAG_UTF8 = 1 << 11;

/**
 * A strict reader for the zips evidence bundles are: a single disk, no
 * ZIP64, no encryption, entries stored or deflated. It is a security
 * boundary, so it refuses what a lenient reader would paper over: duplicate
 * names (two readers could pick different copies), unsafe paths, local
 * headers that disagree with the central directory, overlapping data.
 * Entry bytes are checked against their CRC-32 and declared size when read.
 */
export class ZipReader {
  private readonly entries = new Map<string, CentralEntry>();

  constructor(private readonly bytes: Uint8Array) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const eocd = findEocd(bytes, view);
    const disk = view.getUint16(eocd + 4, true);
    const cdDisk = view.getUint16(eocd + 6, true);
    const count = view.getUint16(eocd + 10, true);
    const cdSize = view.getUint32(eocd + 12, true);
    const cdOffset = view.getUint32(eocd + 16, true);
    if (disk !== 0 || cdDisk !== 0 || count !== view.getUint16(eocd + 8, true)) throw new ZipUnreadableError('multi-disk zips are not supported');
    if (cdOffset === 0xffffffff || count === 0xffff) throw new ZipUnreadableError('ZIP64 archives are not supported');
    if (cdOffset + cdSize > eocd) throw new ZipUnreadableError('the central directory runs past the end of the file (truncated?)');
    let at = cdOffset;
    const spans: [number, number, string][] = [];
    for (let i = 0; i < count; i++) {
      if (at + 46 > cdOffset + cdSize || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
        throw new ZipUnreadableError(`central directory entry ${i + 1} of ${count} is damaged`);
      }
      const flags = view.getUint16(at + 8, true);
      const method = view.getUint16(at + 10, true);
      const crc = view.getUint32(at + 16, true);
      const compressedSize = view.getUint32(at + 20, true);
      const size = view.getUint32(at + 24, true);
      const nameLength = view.getUint16(at + 28, true);
      const extraLength = view.getUint16(at + 30, true);
      const commentLength = view.getUint16(at + 32, true);
      const localOffset = view.getUint32(at + 42, true);
      const path = decodeName(bytes.subarray(at + 46, at + 46 + nameLength), flags, i);
      at += 46 + nameLength + extraLength + commentLength;
      if (flags & FLAG_ENCRYPTED) throw new ZipUnreadableError(`${path}: encrypted entries are not supported`);
      if (method !== METHOD_STORED && method !== METHOD_DEFLATE) throw new ZipUnreadableError(`${path}: compression method ${method} is not supported`);
      if (this.entries.has(path)) throw new ZipUnreadableError(`"${path}" appears twice in the archive`);
      if (path.startsWith('/') || path.includes('\\') || path.split('/').some((p) => p === '..' || p === '')) {
        throw new ZipUnreadableError(`"${path}" is not a safe relative path`);
      }
      if (localOffset + 30 > cdOffset || view.getUint32(localOffset, true) !== LOCAL_SIGNATURE) {
        throw new ZipUnreadableError(`${path}: local header missing or damaged`);
      }
      const localNameLength = view.getUint16(localOffset + 26, true);
      const localExtraLength = view.getUint16(localOffset + 28, true);
      const localName = decodeName(bytes.subarray(localOffset + 30, localOffset + 30 + localNameLength), flags, i);
      if (localName !== path) throw new ZipUnreadableError(`${path}: local header names "${localName}"`);
      const dataOffset = localOffset + 30 + localNameLength + localExtraLength;
      if (dataOffset + compressedSize > cdOffset) throw new ZipUnreadableError(`${path}: data runs into the central directory (truncated?)`);
      spans.push([localOffset, dataOffset + compressedSize, path]);
      this.entries.set(path, { path, method, crc, compressedSize, size, dataOffset });
    }
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) {
      if (spans[i]![0] < spans[i - 1]![1]) throw new ZipUnreadableError(`${spans[i]![2]} overlaps ${spans[i - 1]![2]}`);
    }
  }

  /** Entry paths in central-directory order. */
  paths(): string[] {
    return [...this.entries.keys()];
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  /** The entry's bytes, CRC-checked; throws ZipEntryError when they are damaged. */
  read(path: string): Uint8Array {
    const e = this.entries.get(path);
    if (!e) throw new ZipEntryError(path, 'not in the archive');
    const raw = this.bytes.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
    let data: Uint8Array;
    if (e.method === METHOD_STORED) {
      data = raw;
    } else {
      try {
        // maxOutputLength bounds a zip bomb at the declared size (+1 to notice a lie).
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size + 1) });
      } catch (err) {
        throw new ZipEntryError(path, `compressed data is damaged (${(err as Error).message})`);
      }
    }
    if (data.length !== e.size) throw new ZipEntryError(path, `holds ${data.length} bytes, its header says ${e.size}`);
    if (crc32(data) !== e.crc) throw new ZipEntryError(path, 'CRC-32 does not match its header (the bytes were altered or damaged)');
    return data;
  }
}

function findEocd(bytes: Uint8Array, view: DataView): number {
  if (bytes.length < EOCD_MIN) throw new ZipUnreadableError(`${bytes.length} bytes is too short for a zip archive`);
  const stop = Math.max(0, bytes.length - EOCD_MIN - MAX_COMMENT);
  for (let at = bytes.length - EOCD_MIN; at >= stop; at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE && at + EOCD_MIN + view.getUint16(at + 20, true) === bytes.length) return at;
  }
  const head = view.getUint32(0, true);
  throw new ZipUnreadableError(
    head === LOCAL_SIGNATURE
      ? 'the zip is truncated (no end-of-central-directory record)'
      : 'not a zip archive (no end-of-central-directory record)',
  );
}

function decodeName(raw: Uint8Array, flags: number, i: number): string {
  try {
    // Names without the UTF-8 flag are CP437 by the spec; bundles use ASCII
    // names, for which both agree, and anything else is refused below.
    const name = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    if (!(flags & FLAG_UTF8) && /[^\x20-\x7e]/.test(name)) throw new Error('non-ASCII');
    return name;
  } catch {
    throw new ZipUnreadableError(`entry ${i + 1} has an undecodable name`);
  }
}
