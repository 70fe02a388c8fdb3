import path from 'node:path';

const COMPRESSION_SUFFIX = /\.(gz|zst|lz4)$/i;

/**
 * The stream key of a file: its base name without a compression suffix, so
 * `app.log` and `app.log.gz` are the same stream and results (p-values are
 * seeded by stream name) do not depend on where the file sits. When two inputs
 * share a base name, the later ones get their parent folder as a prefix.
 */
export function streamNameForFile(file: string, taken: ReadonlySet<string>): string {
  const base = path.basename(file).replace(COMPRESSION_SUFFIX, '');
  if (!taken.has(base)) return base;
  const withParent = `${path.basename(path.dirname(path.resolve(file)))}/${base}`;
  if (!taken.has(withParent)) return withParent;
  for (let i = 2; ; i++) if (!taken.has(`${withParent}#${i}`)) return `${withParent}#${i}`;
}
