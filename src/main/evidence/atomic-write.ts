import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Creates `path` (must not exist), writes `data` and fsyncs it before closing. */
export function writeFileSyncDurable(path: string, data: string | Uint8Array, mode = 0o644): void {
  const fd = openSync(path, 'wx', mode);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDirectory(dir: string): void {
  // Makes the rename itself durable. Windows cannot open directories for
  // fsync; there the rename is as durable as the filesystem makes it.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` with `data` atomically: readers see the old file or the
 * whole new one, never a part. The bytes go to a temp file in the same
 * directory (rename is atomic only within a filesystem), are fsynced, renamed
 * over the target, and the directory is fsynced. On any error the temp file
 * is removed and the target is left as it was.
 */
export function writeFileAtomic(path: string, data: Uint8Array, mode = 0o644): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSyncDurable(temp, data, mode);
    renameSync(temp, path);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // The temp file was never created or is already gone.
    }
    throw err;
  }
  fsyncDirectory(dirname(path));
}
