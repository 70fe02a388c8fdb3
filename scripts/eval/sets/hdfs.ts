/**
 * HDFS sessions (blocks): raw text of a 2 % block sample, and HDFS_100k as
 * Drain template sequences written out as one line per event
 * ("<BlockId> <template text>"), so both go through the same
 * `analyze --group-by` path. Labels are per block and only read here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { commandLine, jsonLines, runCli } from '../cli';
import { blockLabels, dataFile, readLinesSync, WORK } from '../data';
import { aucRoc, classify } from '../metrics';
import type { EvalRow, SetReport } from '../row';

interface GroupOut {
  group: string;
  n: number;
  score: number;
  pValue: number;
  anomaly: boolean;
}

export const BLOCK_REGEX = 'blk_-?\\d+';

const LOGLIZER = 'loglizer, full HDFS_v1 (575k blocks), unsupervised F1: PCA 0.769, IsolationForest 0.802, LogClustering 0.837, Invariants Mining 0.915.';

/** Writes HDFS_100k's block sequences as a log, one line per event; returns its path and the block sequences. */
export function writeHdfs100kLog(): { path: string; sequences: Map<string, string> } {
  const templates = new Map<string, string>();
  for (const line of readLinesSync(dataFile('hdfs', 'HDFS_100k.templates.csv')).slice(1)) {
    const comma = line.indexOf(',');
    const last = line.lastIndexOf(',');
    templates.set(line.slice(0, comma), line.slice(comma + 1, last));
  }
  const out: string[] = [];
  const sequences = new Map<string, string>();
  for (const line of readLinesSync(dataFile('hdfs', 'HDFS_100k.block_sequences.csv')).slice(1)) {
    // BlockId,Label,Length,TemplateSequence: the label is not written out.
    const [block, , , sequence] = line.split(',');
    sequences.set(block!, sequence!);
    for (const id of sequence!.split(' ')) {
      const text = templates.get(id);
      if (text === undefined) throw new Error(`HDFS_100k: unknown template ${id} in block ${block}`);
      out.push(`${block} ${text}`);
    }
  }
  mkdirSync(WORK, { recursive: true });
  const path = resolve(WORK, 'HDFS_100k.events.log');
  writeFileSync(path, `${out.join('\n')}\n`);
  return { path, sequences };
}

/**
 * The best F1 any detector that sees only a block's template sequence can
 * reach: blocks with identical sequences must get the same answer, so flag
 * whole classes; the best set is a top-k of classes by anomaly share (the
 * F-measure's optimal set is a prefix by that ratio). Uses labels: it bounds
 * what is possible, it fits nothing.
 */
export function sequenceCeilingF1(sequences: Map<string, string>, labels: Map<string, boolean>): number {
  const classes = new Map<string, { pos: number; all: number }>();
  let positives = 0;
  for (const [block, seq] of sequences) {
    const c = classes.get(seq) ?? { pos: 0, all: 0 };
    c.all++;
    if (labels.get(block)) {
      c.pos++;
      positives++;
    }
    classes.set(seq, c);
  }
  const sorted = [...classes.values()].sort((a, b) => b.pos / b.all - a.pos / a.all);
  let tp = 0;
  let flagged = 0;
  let best = 0;
  for (const c of sorted) {
    tp += c.pos;
    flagged += c.all;
    best = Math.max(best, (2 * tp) / (flagged + positives));
  }
  return best;
}

async function blockRow(set: string, log: string, labels: Map<string, boolean>): Promise<{ row: EvalRow; groups: GroupOut[] }> {
  const args = ['analyze', log, '--group-by', BLOCK_REGEX];
  const run = await runCli(args);
  const groups = jsonLines<GroupOut>(run);
  const truth = groups.map((g) => {
    const label = labels.get(g.group);
    if (label === undefined) throw new Error(`${set}: block ${g.group} has no label`);
    return label;
  });
  if (groups.length !== labels.size) throw new Error(`${set}: ${groups.length} sessions scored, ${labels.size} labelled`);
  return {
    groups,
    row: {
      set,
      level: 'block (session; flagged = q ≤ α and effect over the profile minimum)',
      commands: [commandLine(args)],
      settings: 'defaults',
      items: groups.length,
      positives: truth.filter(Boolean).length,
      cls: classify(
        groups.map((g) => g.anomaly),
        truth,
      ),
      auc: aucRoc(
        groups.map((g) => g.score),
        truth,
      ),
      seconds: run.seconds,
    },
  };
}

export async function evalHdfsSample(): Promise<SetReport> {
  const labels = blockLabels(dataFile('hdfs', 'HDFS_v1_sample_labels.csv'));
  const { row } = await blockRow('HDFS_v1_sample', dataFile('hdfs', 'HDFS_v1_sample.log'), labels);
  return {
    title: 'HDFS_v1 sample (raw text, sessions)',
    about: 'Raw HDFS_v1 lines of a 2 % block sample: 113,518 lines, 5,835 blocks, 172 anomalous. Each block is a session (`--group-by` the block id); a line naming several blocks joins each.',
    rows: [row],
    anchors: LOGLIZER,
  };
}

export async function evalHdfs100k(): Promise<SetReport> {
  const labels = blockLabels(dataFile('hdfs', 'anomaly_label.csv'));
  const { path, sequences } = writeHdfs100kLog();
  const { row } = await blockRow('HDFS_100k', path, labels);
  const ceiling = sequenceCeilingF1(sequences, labels);
  row.extra = { 'sequence ceiling F1': ceiling.toFixed(3) };
  return {
    title: 'HDFS_100k (template sequences, sessions)',
    about:
      `loglizer’s HDFS_100k blocks as Drain template sequences (7,940 blocks, 313 anomalous), written by the harness as \`${'<BlockId> <template text>'}\` lines to out/eval/HDFS_100k.events.log (label not written). ` +
      `The sequence ceiling is the best F1 any detector that sees only the template sequence can reach: HDFS_100k is a 100k-line excerpt of HDFS_v1, so blocks are cut at its edges, and about half of the anomalous blocks have a template sequence that normal blocks also have.`,
    rows: [row],
    anchors: LOGLIZER,
  };
}
