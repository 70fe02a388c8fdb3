import { mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { ExportResult } from '../../shared/evidence';
import { writeFileAtomic } from './atomic-write';
import { buildBundle, sha256Hex } from './build-bundle';
import type { BundleInput } from './bundle-input';
import type { ReportOptions } from './report/render-report';
import type { SigningKey } from './signing-key';

export interface WriteBundleOptions extends ReportOptions {
  /** Where the zip goes; replaced atomically if it exists. */
  out: string;
  key: SigningKey;
  /** Whether the key was generated for this export (reported back). */
  keyCreated?: boolean;
}

/**
 * Builds the bundle and writes it atomically (temp file in the target
 * directory, fsync, rename): a crash leaves the old file or the whole new
 * one, never a partial zip.
 */
export async function writeBundle(input: BundleInput, options: WriteBundleOptions): Promise<ExportResult> {
  const built = await buildBundle(input, options.key, options);
  const path = resolve(options.out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, built.bytes);
  return {
    path,
    fileName: basename(path),
    bytes: built.bytes.length,
    sha256: sha256Hex(built.bytes),
    keyFingerprint: options.key.fingerprint,
    shortFingerprint: options.key.shortFingerprint,
    keyCreated: options.keyCreated ?? false,
    anomalies: input.anomalies.length,
    files: built.manifest.files.length + 2,
    createdAt: built.manifest.createdAt,
  };
}
