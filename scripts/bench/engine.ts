// Engine benchmark (issue 3): analysis throughput with and without the
// permutation test, the ratio to one plain pass of the pinned zstd, peak RSS,
// and detection of the injected bursts; plus window precision/recall on
// Loghub BGL_2k against its line labels.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeStreams, canonicalize, DEFAULT_PARAMS } from '../../src/core';
import { machine, writeSection } from './report';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

interface RunResult {
  seconds: number;
  lines: number;
  bytes: number;
  windows: number;
  positives: number;
  tp: number;
  fp: number;
  burstsHit: number;
  rssMb: number;
}

function child<T>(mode: string): T {
  const out = execFileSync(TSX, [path.join(import.meta.dirname, 'engine-run.ts'), mode], { encoding: 'utf8', cwd: ROOT });
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

/** Best of `n` runs: the machine is shared, the minimum is the least disturbed. */
function best(mode: string, n: number): RunResult {
  let result: RunResult | undefined;
  for (let i = 0; i < n; i++) {
    const r = child<RunResult>(mode);
    if (!result || r.seconds < result.seconds) result = r;
  }
  return result!;
}

function bglWindows(): { windows: number; positives: number; tp: number; fp: number; fn: number } | null {
  const file = path.resolve(ROOT, '../shared/data/loghub/BGL_2k.log');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'latin1').split(/\r?\n/).filter((l) => l.length > 0);
  const label = lines.map((l) => !l.startsWith('- '));
  // The first token is the label: the engine must not see it.
  const events = lines.map((l, index) => ({ index, text: canonicalize(l.slice(l.indexOf(' ') + 1)) }));
  const { windows } = analyzeStreams(new Map([['BGL_2k.log', events]]), { ...DEFAULT_PARAMS });
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let positives = 0;
  for (const w of windows) {
    const pos = label.slice(w.firstEvent, w.lastEvent + 1).some(Boolean);
    if (pos) positives++;
    if (w.anomaly && pos) tp++;
    else if (w.anomaly) fp++;
    else if (pos) fn++;
  }
  return { windows: windows.length, positives, tp, fp, fn };
}

const ratio = (a: number, b: number): string => (b === 0 ? 'n/a' : (a / b).toFixed(3));

export function benchEngine(): void {
  console.log('engine: 100,000 templated lines with 4 bursts of 50 (best of 3 runs each)…');
  const withPerm = best('1000', 3);
  const noPerm = best('0', 3);
  const pass = child<{ seconds: number; bytes: number; compressed: number; pin: unknown }>('zstd-pass');
  const lps = (r: RunResult): number => r.lines / r.seconds;
  const passBytesPerSec = pass.bytes / pass.seconds;
  const passLinesPerSec = withPerm.lines / pass.seconds;
  const bgl = bglWindows();
  const w = DEFAULT_PARAMS.windowing;
  const windowing = w.kind === 'count' ? `baseline ${w.baseline}, window ${w.window}, hop ${w.hop}` : 'time';

  const rows = [
    ['analysis, 1000 permutations (default)', `${Math.round(lps(withPerm)).toLocaleString('en-US')} lines/s`, `${(withPerm.bytes / withPerm.seconds / 1e6).toFixed(1)} MB/s`, `${withPerm.seconds.toFixed(2)} s`, `${Math.round(withPerm.rssMb)} MB`],
    ['analysis, permutations off', `${Math.round(lps(noPerm)).toLocaleString('en-US')} lines/s`, `${(noPerm.bytes / noPerm.seconds / 1e6).toFixed(1)} MB/s`, `${noPerm.seconds.toFixed(2)} s`, `${Math.round(noPerm.rssMb)} MB`],
    ['one plain pass of the pinned zstd', `${Math.round(passLinesPerSec).toLocaleString('en-US')} lines/s`, `${(passBytesPerSec / 1e6).toFixed(1)} MB/s`, `${pass.seconds.toFixed(3)} s`, '—'],
  ];
  const table = ['| measurement | lines/s | bytes/s | time | peak RSS |', '|---|---:|---:|---:|---:|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const headline = `Analysis with 1000-permutation p-values runs at **${ratio(lps(withPerm), passLinesPerSec)}×** the speed of one plain zstd pass over the same bytes (${ratio(passLinesPerSec, lps(withPerm))}× slower); without permutations ${ratio(lps(noPerm), passLinesPerSec)}×.`;
  const detection = `Injected bursts: ${withPerm.burstsHit} of 4 have a flagged window. Flagged windows: precision ${ratio(withPerm.tp, withPerm.tp + withPerm.fp)}, recall ${ratio(withPerm.tp, withPerm.positives)} (${withPerm.tp} true, ${withPerm.fp} false of ${withPerm.windows} windows; ${withPerm.positives} windows hold a burst line). Burst-free windows flagged: ${withPerm.fp} / ${withPerm.windows - withPerm.positives} = ${(100 * withPerm.fp / (withPerm.windows - withPerm.positives)).toFixed(2)} %.`;
  const bglText = bgl
    ? `Loghub BGL_2k (label token stripped, defaults: ${windowing}; a window is positive when it holds a line whose label is not \`-\`): ${bgl.windows} windows, ${bgl.positives} positive; flagged precision ${ratio(bgl.tp, bgl.tp + bgl.fp)}, recall ${ratio(bgl.tp, bgl.tp + bgl.fn)} (TP ${bgl.tp}, FP ${bgl.fp}, FN ${bgl.fn}). The evaluation harness (\`npm run eval\`, docs/EVALUATION.md) covers every labelled set.`
    : 'BGL_2k not found at ../shared/data (skipped).';
  const body = [
    `Machine: ${machine()}. One core (single thread, no worker pool). Defaults: ${windowing}, profile ${DEFAULT_PARAMS.profile}, compressor zstd (level 3, explicit parameters), seed ${DEFAULT_PARAMS.seed}.`,
    `Data: \`scripts/lib/templated-log.ts\`, 100,000 lines (${(withPerm.bytes / 1e6).toFixed(1)} MB), seed 7, bursts of 50 unusual lines at 20,000 / 45,210 / 70,033 / 90,077. Time covers canonicalisation and analysis (not generation); best of 3 runs.`,
    table,
    headline,
    detection,
    bglText,
  ].join('\n\n');
  writeSection('Engine', body);
  console.log(body);
}
