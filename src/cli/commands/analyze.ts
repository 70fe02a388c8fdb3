import { parseArgs } from 'node:util';
import {
  analyzeStreams,
  canonicalize,
  COMPRESSOR_NAMES,
  DEFAULT_PARAMS,
  PROFILE_NAMES,
  type AnalysisParams,
  type EngineEvent,
  type EventScore,
  type WindowResult,
} from '../../core';
import { readLines } from '../../main/ingest/line-reader';
import { streamNameForFile } from '../../main/ingest/stream-name';
import { enumOption, intOption, UsageError } from '../usage-error';

export const ANALYZE_USAGE = `driftlock analyze <file...> [--baseline N] [--window N] [--hop N] [--permutations N]
    [--seed N] [--profile sensitive|balanced|strict] [--compressor zstd|lz4|deflate]
    [--per-event] [--format jsonl|table]`;

/** The stable JSON shape of one window on stdout (key order fixed). */
function windowJson(w: WindowResult): string {
  return JSON.stringify({
    stream: w.stream,
    window: w.window,
    firstEvent: w.firstEvent,
    lastEvent: w.lastEvent,
    n: w.n,
    cr: w.cr,
    crBaseline: w.crBaseline,
    deltaBits: w.deltaBits,
    entropy: w.entropy,
    ncd: w.ncd,
    novelty: w.novelty,
    pValue: w.pValue,
    score: w.score,
    anomaly: w.anomaly,
    explanation: w.explanation,
    topEvents: w.topEvents.map((e) => ({ index: e.index, bits: e.bits, text: e.text })),
  });
}

function eventJson(e: EventScore): string {
  return JSON.stringify({ stream: e.stream, index: e.index, score: e.score, anomaly: e.anomaly });
}

function windowRow(w: WindowResult): string {
  const cells = [
    w.stream,
    String(w.window),
    `${w.firstEvent}-${w.lastEvent}`,
    w.ncd.toFixed(3),
    w.novelty.toFixed(3),
    w.pValue.toExponential(2),
    w.score.toFixed(3),
    w.anomaly ? 'ANOMALY' : '',
  ];
  return cells.join('\t');
}

export interface AnalyzeOptions {
  files: string[];
  params: AnalysisParams;
  perEvent: boolean;
  format: 'jsonl' | 'table';
}

export function parseAnalyzeArgs(args: string[]): AnalyzeOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        baseline: { type: 'string' },
        window: { type: 'string' },
        hop: { type: 'string' },
        permutations: { type: 'string' },
        seed: { type: 'string' },
        profile: { type: 'string' },
        compressor: { type: 'string' },
        'per-event': { type: 'boolean' },
        format: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const v = parsed.values;
  if (parsed.positionals.length === 0) throw new UsageError('analyze needs at least one input file');
  const defaults = DEFAULT_PARAMS.windowing;
  if (defaults.kind !== 'count') throw new Error('analyze: default windowing must be count-based');
  const window = intOption('window', v.window, defaults.window, 1);
  const params: AnalysisParams = {
    ...DEFAULT_PARAMS,
    windowing: {
      kind: 'count',
      baseline: intOption('baseline', v.baseline, defaults.baseline, 2),
      window,
      hop: intOption('hop', v.hop, window, 1),
    },
    permutations: intOption('permutations', v.permutations, DEFAULT_PARAMS.permutations),
    seed: intOption('seed', v.seed, DEFAULT_PARAMS.seed),
    profile: enumOption('profile', v.profile, PROFILE_NAMES, DEFAULT_PARAMS.profile),
    compressor: enumOption('compressor', v.compressor, COMPRESSOR_NAMES, DEFAULT_PARAMS.compressor),
  };
  if (params.seed > 0xffffffff) throw new UsageError(`--seed must be below 2^32, got ${params.seed}`);
  return {
    files: parsed.positionals,
    params,
    perEvent: v['per-event'] ?? false,
    format: enumOption('format', v.format, ['jsonl', 'table'] as const, 'jsonl'),
  };
}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function runAnalyze(args: string[], io: Io): Promise<number> {
  const opts = parseAnalyzeArgs(args);
  const streams = new Map<string, EngineEvent[]>();
  const started = performance.now();
  const seen = new Set<string>();
  for (const file of opts.files) {
    if (seen.has(file)) throw new UsageError(`${file} is given twice`);
    seen.add(file);
    const events: EngineEvent[] = [];
    const lines = await readLines(file, (line, index) => events.push({ index, text: canonicalize(line) }));
    const stream = streamNameForFile(file, new Set(streams.keys()));
    io.err(`read ${file}: ${lines} lines (stream ${stream})`);
    streams.set(stream, events);
  }
  const result = analyzeStreams(streams, opts.params, { perEvent: opts.perEvent });
  for (const s of result.streams) if (s.note) io.err(`${s.stream}: ${s.note}`);
  if (opts.perEvent) {
    if (opts.format === 'table') io.out(['stream', 'index', 'score', 'anomaly'].join('\t'));
    for (const e of result.events ?? []) {
      io.out(opts.format === 'jsonl' ? eventJson(e) : [e.stream, e.index, e.score.toFixed(4), e.anomaly ? 'ANOMALY' : ''].join('\t'));
    }
  } else {
    if (opts.format === 'table') io.out(['stream', 'window', 'events', 'ncd', 'novelty', 'p', 'score', 'flag'].join('\t'));
    for (const w of result.windows) io.out(opts.format === 'jsonl' ? windowJson(w) : windowRow(w));
  }
  const flagged = result.windows.filter((w) => w.anomaly).length;
  const events = result.streams.reduce((s, x) => s + x.events, 0);
  const seconds = (performance.now() - started) / 1000;
  io.err(
    `analysed ${events} events in ${result.windows.length} windows: ${flagged} anomalous ` +
      `(profile ${opts.params.profile}, ${opts.params.permutations} permutations, seed ${opts.params.seed}) in ${seconds.toFixed(2)} s`,
  );
  return 0;
}
