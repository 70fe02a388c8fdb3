/**
 * NAB: 18 series (timestamp,value), causal per-row scores from
 * `analyze FILE.csv --per-event`, scored by the official NAB scorer in
 * ../shared/tools/nab (threshold optimised by NAB's own procedure), plus
 * row-level figures after the probationary period and the flagged share of
 * windows on the anomaly-free series.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { commandLine, jsonLines, runCli } from '../cli';
import { DATA, dataFile, NAB_TOOL, readLinesSync, WORK } from '../data';
import { aucRoc, classify, detectionDelay } from '../metrics';
import type { EvalRow, SetReport } from '../row';

const run = promisify(execFile);
export const NAB_DETECTOR = 'driftlock';

interface RowOut {
  index: number;
  timestamp: string;
  score: number;
  anomaly: boolean;
}
interface WindowOut {
  anomaly: boolean;
}

/** NAB's probationary period: the first 15 % of a file, at most 750 rows, is not scored. */
export function probation(rows: number): number {
  return Math.min(750, Math.floor(0.15 * rows));
}

const PUBLISHED =
  'published detectors on these 18 series, official scorer, threshold optimised on them (standard): ARTime 67.1, numenta HTM 61.3, htmjava 59.3, numentaTM 54.9, contextOSE 50.5, relativeEntropy 50.0, randomCutForest 47.1, knncad 43.7, random 27.8.';

/** Parses the scorer's "Final score for 'X' detector on 'P' profile = S" lines. */
export function parseNabScores(text: string, detector: string): Record<string, number> {
  const out: Record<string, number> = {};
  const re = new RegExp(`Final score for '${detector}' detector on '(\\w+)' profile = (-?[\\d.]+)`, 'g');
  for (const m of text.matchAll(re)) out[m[1]!] = Number(m[2]);
  return out;
}

/** One table line: the maximum score outside windows and, per window, its maximum and where it first occurs. */
function seriesLine(name: string, rows: readonly RowOut[], windows: readonly (readonly [string, string])[]): string {
  const inside = (t: string): boolean => windows.some(([a, b]) => t >= a && t <= b);
  let outside = 0;
  for (let i = probation(rows.length); i < rows.length; i++) if (!inside(rows[i]!.timestamp)) outside = Math.max(outside, rows[i]!.score);
  const cells = windows.map(([a, b]) => {
    const idx = rows.flatMap((r, i) => (r.timestamp >= a && r.timestamp <= b ? [i] : []));
    let best = -1;
    for (const i of idx) if (best < 0 || rows[i]!.score > rows[best]!.score) best = i;
    if (best < 0) return '–';
    const mark = rows[best]!.score > outside ? '**' : '';
    return `${mark}${rows[best]!.score.toFixed(3)}${mark} (${Math.round((100 * (best - idx[0]!)) / idx.length)} %)`;
  });
  return `| ${name} | ${outside.toFixed(3)} | ${cells.join(', ') || 'no windows'} |`;
}

export async function evalNab(): Promise<SetReport> {
  const windowsByFile = JSON.parse(readFileSync(dataFile('nab', 'labels', 'combined_windows.json'), 'utf8')) as Record<string, [string, string][]>;
  const resultsDir = resolve(WORK, 'nab');
  rmSync(resultsDir, { recursive: true, force: true });
  const scores: number[] = [];
  const truth: boolean[] = [];
  const predicted: boolean[] = [];
  const commands: string[] = [];
  const perSeries: string[] = [];
  let seconds = 0;
  const folders = readdirSync(resolve(DATA, 'nab', 'data')).sort();
  for (const folder of folders) {
    mkdirSync(resolve(resultsDir, folder), { recursive: true });
    for (const file of readdirSync(resolve(DATA, 'nab', 'data', folder)).sort()) {
      const path = dataFile('nab', 'data', folder, file);
      const args = ['analyze', path, '--per-event', '--format', 'jsonl'];
      const out = await runCli(args);
      seconds += out.seconds;
      commands.push(commandLine(args));
      const rows = jsonLines<RowOut>(out);
      const data = readLinesSync(path).slice(1);
      if (rows.length !== data.length) throw new Error(`${folder}/${file}: ${rows.length} scores for ${data.length} rows`);
      const csv = ['timestamp,value,anomaly_score'];
      rows.forEach((r, i) => {
        const [timestamp, value] = data[i]!.split(',');
        if (r.index !== i || r.timestamp !== timestamp) throw new Error(`${folder}/${file}: score ${i} is for row ${r.index} (${r.timestamp})`);
        csv.push(`${timestamp},${value},${r.score}`);
      });
      writeFileSync(resolve(resultsDir, folder, `${NAB_DETECTOR}_${file}`), `${csv.join('\n')}\n`);
      const windows = (windowsByFile[`${folder}/${file}`] ?? []).map(([a, b]) => [a.replace(/\.0+$/, ''), b.replace(/\.0+$/, '')] as const);
      perSeries.push(seriesLine(`${folder}/${file}`, rows, windows));
      for (let i = probation(rows.length); i < rows.length; i++) {
        const t = rows[i]!.timestamp;
        truth.push(windows.some(([a, b]) => t >= a && t <= b));
        scores.push(rows[i]!.score);
        predicted.push(rows[i]!.anomaly);
      }
    }
  }
  const scorer = await run('bash', [resolve(NAB_TOOL, 'nab_score.sh'), NAB_DETECTOR, resultsDir], { maxBuffer: 1 << 24 });
  const nab = parseNabScores(scorer.stdout, NAB_DETECTOR);
  for (const profile of ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']) {
    if (nab[profile] === undefined) throw new Error(`NAB scorer printed no ${profile} score:\n${scorer.stdout}\n${scorer.stderr}`);
  }

  // False positives on the anomaly-free series: flagged windows / all windows.
  let windowsAll = 0;
  let windowsFlagged = 0;
  const fpCommands: string[] = [];
  for (const file of readdirSync(resolve(DATA, 'nab', 'data', 'artificialNoAnomaly')).sort()) {
    const args = ['analyze', dataFile('nab', 'data', 'artificialNoAnomaly', file)];
    const out = await runCli(args);
    seconds += out.seconds;
    fpCommands.push(commandLine(args));
    const windows = jsonLines<WindowOut>(out);
    windowsAll += windows.length;
    windowsFlagged += windows.filter((w) => w.anomaly).length;
  }
  const allRows: EvalRow = {
    set: 'NAB (18 series)',
    level: 'row (after the probationary period; positive = inside a labelled window)',
    commands: [...commands.slice(0, 1), `… one such command per series (${commands.length}), then ${NAB_TOOL.replace(/.*\/shared\//, '../shared/')}/nab_score.sh ${NAB_DETECTOR} out/eval/nab`],
    settings: 'defaults',
    items: truth.length,
    positives: truth.filter(Boolean).length,
    cls: classify(predicted, truth),
    auc: aucRoc(scores, truth),
    delay: detectionDelay(predicted, truth),
    delayUnit: 'rows',
    extra: {
      'NAB standard': nab.standard!.toFixed(1),
      'NAB reward low FP': nab.reward_low_FP_rate!.toFixed(1),
      'NAB reward low FN': nab.reward_low_FN_rate!.toFixed(1),
    },
    seconds,
  };
  const fpRow: EvalRow = {
    set: 'NAB artificialNoAnomaly (5 series)',
    level: 'window (100 rows; every window is negative)',
    commands: fpCommands,
    settings: 'defaults',
    items: windowsAll,
    positives: 0,
    cls: classify(new Array<boolean>(windowsAll).fill(false).map((_, i) => i < windowsFlagged), new Array<boolean>(windowsAll).fill(false)),
    auc: NaN,
    seconds: 0,
  };
  return {
    title: 'NAB (metric series)',
    about:
      'Numenta Anomaly Benchmark, the 18 shared series (artificialNoAnomaly, artificialWithAnomaly, realKnownCause; 25 labelled windows). Each CSV goes through the format-aware series path with causal per-row scores; NAB’s scorer optimises its own threshold on the scores and reports its three profiles.',
    rows: [allRows, fpRow],
    anchors: PUBLISHED,
    notes: [
      'Per series: the highest score inside each labelled window (and where in the window it first occurs, 0 % = window start) against the highest score outside windows after the probationary period. A window whose maximum is below its file’s outside maximum cannot be caught at any threshold without a false positive in that file.',
      ['| series | highest outside windows | highest inside each window (position) |', '|---|---:|---|', ...perSeries].join('\n'),
    ],
  };
}
