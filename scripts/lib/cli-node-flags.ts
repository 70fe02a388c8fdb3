import { readFileSync } from 'node:fs';
import path from 'node:path';

const PACKAGE_JSON = path.resolve(import.meta.dirname, '../../package.json');

/**
 * The node flags the `driftlock` npm script starts the CLI with (read from
 * package.json, the one place they are set), so a benchmark or test that
 * spawns node directly runs the command users run.
 *
 * Today that is a 16 MB nursery (`--max-semi-space-size=16`): V8's default
 * grows it to 64 MB and more on this machine, which a long import or
 * receiver keeps resident; at 8 MB a request's events (about 1 MB alive
 * while stored) survive scavenges and are promoted. 16 MB measured the
 * lowest peak RSS and ~20 % less server CPU under the OTLP bench.
 */
export function cliNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts.driftlock?.trim().split(/\s+/) ?? [];
  const entry = words.indexOf('src/cli/main.ts');
  if (words[0] !== 'tsx' || entry < 0) throw new Error(`cliNodeFlags: unexpected "driftlock" script in package.json: ${pkg.scripts.driftlock}`);
  return words.slice(1, entry);
}
