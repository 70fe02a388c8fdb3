import { readFileSync } from 'node:fs';
import path from 'node:path';

const PACKAGE_JSON = path.resolve(import.meta.dirname, '../../package.json');

/**
 * The node flags the `driftlock` npm script starts the CLI with (read from
 * package.json, the one place they are set), so a benchmark that spawns
 * node directly measures the command users run.
 */
export function cliNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts.driftlock?.trim().split(/\s+/) ?? [];
  const entry = words.indexOf('src/cli/main.ts');
  if (words[0] !== 'tsx' || entry < 0) throw new Error(`cliNodeFlags: unexpected "driftlock" script in package.json: ${pkg.scripts.driftlock}`);
  return words.slice(1, entry);
}
