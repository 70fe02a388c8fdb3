/** Where the labelled sets live: ../shared/data beside the repo (never copied into it). */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO } from './cli';

export const DATA = resolve(REPO, '../shared/data');
export const NAB_TOOL = resolve(REPO, '../shared/tools/nab');
/** Scratch output of a run (derived inputs, NAB result files); out/ is git-ignored. */
export const WORK = resolve(REPO, 'out/eval');

export function dataFile(...parts: string[]): string {
  const path = resolve(DATA, ...parts);
  if (!existsSync(path)) throw new Error(`eval: ${path} is missing (the labelled data must sit at ../shared/data beside the repo)`);
  return path;
}

/** Lines of a text file split on \r?\n, without a trailing empty line. */
export function readLinesSync(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** `BlockId,Label` CSV → map of id to "is anomalous". */
export function blockLabels(path: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  readLinesSync(path)
    .slice(1)
    .forEach((line) => {
      const [id, label] = line.split(',');
      out.set(id!, label === 'Anomaly');
    });
  return out;
}
