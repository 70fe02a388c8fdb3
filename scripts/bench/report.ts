// docs/BENCHMARKS.md is shared by several benchmark sections: each section
// owns one `## Heading` block and replaces only that block.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';

export const BENCHMARKS_MD = path.resolve(import.meta.dirname, '../../docs/BENCHMARKS.md');

const HEADER = `# Benchmarks

Written by \`npm run bench\` (each section replaces its own heading). Figures
are from the machine named in each section; they are measurements, not tests.
`;

/** Replace (or append) the `## title` section of docs/BENCHMARKS.md. */
export function writeSection(title: string, body: string): void {
  const text = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : HEADER;
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trim()}\n`;
  const start = text.indexOf(`${heading}\n`);
  let out: string;
  if (start < 0) {
    out = `${text.trimEnd()}\n\n${section}`;
  } else {
    const next = text.indexOf('\n## ', start + heading.length);
    out = `${text.slice(0, start)}${section}${next < 0 ? '' : `\n${text.slice(next + 1)}`}`;
  }
  writeFileSync(BENCHMARKS_MD, out.endsWith('\n') ? out : `${out}\n`);
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, Node ${process.versions.node}, zstd ${process.versions.zstd ?? '?'}`;
}

/** Peak resident set of this process so far, MB (Linux VmHWM). */
export function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss / (1 << 20);
}
