/**
 * Engine throughput at defaults: the 100,000-line templated log with four
 * bursts (the issue-3 acceptance log), canonicalised and analysed in one
 * process on one core with DEFAULT_PARAMS (1000 permutations). Indicative
 * only: the machine is shared. Prints one JSON line.
 */
import { analyzeStreams, canonicalize, DEFAULT_PARAMS } from '../../src/core';
import { templatedLog } from '../lib/templated-log';

export interface SpeedFigure {
  lines: number;
  seconds: number;
  linesPerSecond: number;
  flaggedWindows: number;
}

export function measureSpeed(lines = 100_000): SpeedFigure {
  const log = templatedLog({ lines, bursts: [20_000, 45_210, 70_033, 90_077], burstLength: 50, seed: 7 });
  const started = performance.now();
  const events = log.lines.map((text, index) => ({ index, text: canonicalize(text) }));
  const { windows } = analyzeStreams(new Map([['service.log', events]]), { ...DEFAULT_PARAMS });
  const seconds = (performance.now() - started) / 1000;
  return { lines, seconds, linesPerSecond: lines / seconds, flaggedWindows: windows.filter((w) => w.anomaly).length };
}

if (process.argv[1]?.endsWith('speed.ts')) {
  const runs = Number(process.argv[2] ?? 3);
  const figures = Array.from({ length: runs }, () => measureSpeed());
  const best = figures.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
  console.log(JSON.stringify({ best, all: figures.map((f) => Number(f.seconds.toFixed(3))) }));
}
