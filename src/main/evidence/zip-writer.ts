import { zipSync, type ZipOptions, type Zippable } from 'fflate';

export interface ZipEntry {
  /** Path inside the archive, `/`-separated, no leading slash. */
  path: string;
  data: Uint8Array;
  /** Deflate the entry (JSON, text) or store it (already-compressed bytes such as PDF streams). */
  compress: boolean;
}

// Reproducible-build convention: every entry carries the same DOS timestamp,
// 1980-01-01 00:00:00, the earliest a zip can express. fflate reads the date
// with local-time getters, so the Date is built from local-time fields: the
// bytes do not depend on the machine's time zone.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** "Made by" Unix, so the external attributes below mean file mode 0644. */
const OS_UNIX = 3;
const REGULAR_FILE_0644 = (0o100644 << 16) >>> 0;

/**
 * A zip whose bytes depend only on the entries and their order: fixed
 * timestamps and attributes, no extra fields, fixed deflate level. Entry
 * paths must be unique.
 */
export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  const files: Zippable = {};
  for (const e of entries) {
    if (Object.hasOwn(files, e.path)) throw new Error(`writeZip: "${e.path}" appears twice`);
    if (e.path.startsWith('/') || e.path.split('/').includes('..')) throw new Error(`writeZip: unsafe path "${e.path}"`);
    const options: ZipOptions = { level: e.compress ? 6 : 0, mtime: FIXED_MTIME, os: OS_UNIX, attrs: REGULAR_FILE_0644 };
    files[e.path] = [e.data, options];
  }
  return zipSync(files);
}
