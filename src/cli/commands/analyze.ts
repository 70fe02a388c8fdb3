import { parseArgs } from 'node:util';
import {
  analyzeSeries,
  analyzeStreams,
  canonicalize,
  createCompressor,
  DEFAULT_SERIES_BASELINE,
  scoreGroups,
  COMPRESSOR_NAMES,
  DEFAULT_PARAMS,
  PROFILE_NAMES,
  type AnalysisParams,
  type EngineEvent,
  type EventScore,
  type WindowResult,
} from '../../core';
import { isCsvPath, readCsvSeries } from '../../main/ingest/csv-series';
import { readLines } from '../../main/ingest/line-reader';
import { streamNameForFile } from '../../main/ingest/stream-name';
import { enumOption, intOption, UsageError } from '../usage-error';
import { analyzeCase } from './analyze-case';

export const ANALYZE_USAGE = `driftlock analyze <file...> [--baseline N] [--window N] [--hop N] [--permutations N]
    [--seed N] [--profile sensitive|balanced|strict] [--compressor zstd|lz4|deflate]
    [--per-event] [--format jsonl|table] [--skip-fields N] [--group-by REGEX] [--db PATH]
    (a .csv file is a metric series: a header row, then timestamp and numeric columns;
     its --baseline counts rows, default ${DEFAULT_SERIES_BASELINE})`;

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
  /** Leading whitespace-separated fields dropped from every line before analysis (e.g. a label column). */
  skipFields: number;
  /** Sessions: every match of this (global) regex in a line names a group the line joins. */
  groupBy?: RegExp;
  /** Case file to read from / write the analysis to. */
  db?: string;
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
        'skip-fields': { type: 'string' },
        'group-by': { type: 'string' },
        db: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const v = parsed.values;
  if (parsed.positionals.length === 0 && !v.db) throw new UsageError('analyze needs at least one input file (or --db PATH)');
  if (v.db && v['per-event']) throw new UsageError('--per-event cannot be combined with --db');
  const defaults = DEFAULT_PARAMS.windowing;
  if (defaults.kind !== 'count') throw new Error('analyze: default windowing must be count-based');
  const window = intOption('window', v.window, defaults.window, 1);
  const seriesInput = !v.db && parsed.positionals.length > 0 && parsed.positionals.every(isCsvPath);
  const params: AnalysisParams = {
    ...DEFAULT_PARAMS,
    windowing: {
      kind: 'count',
      baseline: intOption('baseline', v.baseline, seriesInput ? DEFAULT_SERIES_BASELINE : defaults.baseline, 2),
      window,
      hop: intOption('hop', v.hop, window, 1),
    },
    permutations: intOption('permutations', v.permutations, DEFAULT_PARAMS.permutations),
    seed: intOption('seed', v.seed, DEFAULT_PARAMS.seed),
    profile: enumOption('profile', v.profile, PROFILE_NAMES, DEFAULT_PARAMS.profile),
    compressor: enumOption('compressor', v.compressor, COMPRESSOR_NAMES, DEFAULT_PARAMS.compressor),
  };
  if (params.seed > 0xffffffff) throw new UsageError(`--seed must be below 2^32, got ${params.seed}`);
  const options: AnalyzeOptions = {
    files: parsed.positionals,
    params,
    perEvent: v['per-event'] ?? false,
    format: enumOption('format', v.format, ['jsonl', 'table'] as const, 'jsonl'),
    skipFields: intOption('skip-fields', v['skip-fields'], 0),
    ...(v.db ? { db: v.db } : {}),
  };
  if (v.db && (v['group-by'] !== undefined || v['skip-fields'] !== undefined)) {
    throw new UsageError('--group-by and --skip-fields read files; with --db the events come from the case');
  }
  if (v['group-by'] !== undefined) {
    options.groupBy = groupRegex(v['group-by']);
    if (options.perEvent) throw new UsageError('--group-by scores whole sessions; it cannot be combined with --per-event');
  }
  return options;
}

function groupRegex(source: string): RegExp {
  let re: RegExp;
  try {
    re = new RegExp(source, 'g');
  } catch (err) {
    throw new UsageError(`--group-by is not a valid regular expression: ${(err as Error).message}`);
  }
  if (re.test('')) throw new UsageError(`--group-by "${source}" matches the empty string; it must match an id`);
  return re;
}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Writes buffered stdout now (long-running commands print a line and keep running). */
  flush?: () => void;
}

/** Drops the first `n` whitespace-separated fields of a line (and the space after them). */
export function skipFields(line: string, n: number): string {
  let at = 0;
  for (let k = 0; k < n; k++) {
    while (at < line.length && (line[at] === ' ' || line[at] === '\t')) at++;
    while (at < line.length && line[at] !== ' ' && line[at] !== '\t') at++;
  }
  while (at < line.length && (line[at] === ' ' || line[at] === '\t')) at++;
  return at === 0 ? line : line.slice(at);
}

/** Placeholder that stands for the session id inside a grouped line. */
const GROUP_MASK = '<GROUP>';

export async function runAnalyze(args: string[], io: Io): Promise<number> {
  const opts = parseAnalyzeArgs(args);
  const seen = new Set<string>();
  for (const file of opts.db ? [] : opts.files) {
    if (seen.has(file)) throw new UsageError(`${file} is given twice`);
    seen.add(file);
  }
  // With --db the positionals name streams of the case, not files.
  const csv = opts.db ? [] : opts.files.filter(isCsvPath);
  if (csv.length > 0) {
    if (csv.length !== opts.files.length) throw new UsageError('metric series (.csv) and log files cannot be analysed in one run');
    if (opts.groupBy) throw new UsageError('--group-by applies to log lines, not to .csv metric series');
    return runSeries(opts, io);
  }
  if (opts.groupBy) return runGroups(opts, opts.groupBy, io);
  return runLines(opts, io);
}

async function runLines(opts: AnalyzeOptions, io: Io): Promise<number> {
  const streams = new Map<string, EngineEvent[]>();
  const started = performance.now();
  for (const file of opts.db ? [] : opts.files) {
    const events: EngineEvent[] = [];
    const lines = await readLines(file, (line, index) => events.push({ index, text: canonicalize(skipFields(line, opts.skipFields)) }));
    const stream = streamNameForFile(file, new Set(streams.keys()));
    io.err(`read ${file}: ${lines} lines (stream ${stream})`);
    streams.set(stream, events);
  }
  const result = opts.db
    ? await analyzeCase(opts.db, opts.files, opts.params, io)
    : analyzeStreams(streams, opts.params, { perEvent: opts.perEvent });
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
  summary(io, opts, started, `${events} events in ${result.windows.length} windows: ${flagged} anomalous`);
  return 0;
}

function summary(io: Io, opts: AnalyzeOptions, started: number, what: string): void {
  const seconds = (performance.now() - started) / 1000;
  io.err(
    `analysed ${what} (profile ${opts.params.profile}, ${opts.params.permutations} permutations, seed ${opts.params.seed}) in ${seconds.toFixed(2)} s`,
  );
}

/**
 * Sessions: every match of the regex in a line names a group; the line joins
 * each group it names (once per group), with the ids masked so the text says
 * what happened, not to which session. Groups keep first-seen order.
 */
async function runGroups(opts: AnalyzeOptions, regex: RegExp, io: Io): Promise<number> {
  const started = performance.now();
  const groups = new Map<string, EngineEvent[]>();
  let ungrouped = 0;
  let total = 0;
  for (const file of opts.files) {
    const lines = await readLines(file, (line, index) => {
      const text = skipFields(line, opts.skipFields);
      regex.lastIndex = 0;
      const keys = new Set<string>();
      for (const m of text.matchAll(regex)) if (m[0] !== '') keys.add(m[0]);
      if (keys.size === 0) {
        ungrouped++;
        return;
      }
      const event = { index, text: canonicalize(text.replace(regex, GROUP_MASK)) };
      for (const key of keys) {
        let g = groups.get(key);
        if (!g) groups.set(key, (g = []));
        g.push(event);
      }
    });
    total += lines;
    io.err(`read ${file}: ${lines} lines`);
  }
  if (ungrouped > 0) io.err(`${ungrouped} of ${total} lines match no --group-by id and belong to no session`);
  if (groups.size < 4) throw new UsageError(`--group-by found ${groups.size} session(s); scoring a session against the others needs at least 4`);
  const results = scoreGroups(
    [...groups].map(([key, events]) => ({ key, events })),
    opts.params,
    createCompressor(opts.params.compressor),
  );
  if (opts.format === 'table') io.out(['group', 'n', 'p', 'q', 'score', 'flag'].join('\t'));
  for (const g of results) {
    io.out(
      opts.format === 'jsonl'
        ? JSON.stringify({ group: g.group, n: g.n, score: g.score, pValue: g.pValue, anomaly: g.anomaly, explanation: g.explanation })
        : [g.group, g.n, g.pValue.toExponential(2), g.qValue.toExponential(2), g.score.toFixed(3), g.anomaly ? 'ANOMALY' : ''].join('\t'),
    );
  }
  summary(io, opts, started, `${groups.size} sessions: ${results.filter((g) => g.anomaly).length} anomalous`);
  return 0;
}

/**
 * Metric series: causal per-row scores (row i uses rows 0..i only) from the
 * format-aware path, or windows of rows.
 */
async function runSeries(opts: AnalyzeOptions, io: Io): Promise<number> {
  const started = performance.now();
  const compressor = createCompressor(opts.params.compressor);
  const multi = opts.files.length > 1;
  let windows = 0;
  let flagged = 0;
  let rows = 0;
  if (opts.format === 'table') io.out(opts.perEvent ? ['stream', 'index', 'timestamp', 'score', 'flag'].join('\t') : ['stream', 'window', 'events', 'ncd', 'novelty', 'p', 'score', 'flag'].join('\t'));
  const taken = new Set<string>();
  for (const file of opts.files) {
    const series = await readCsvSeries(file);
    const stream = streamNameForFile(file, taken);
    taken.add(stream);
    io.err(`read ${file}: ${series.timestamps.length} rows, columns ${series.names.join(', ')} (stream ${stream})`);
    const result = analyzeSeries(stream, series.columns, opts.params, compressor, series.times);
    rows += result.rows.length;
    windows += result.windows.length;
    flagged += result.windows.filter((w) => w.anomaly).length;
    if (opts.perEvent) {
      for (const r of result.rows) {
        const timestamp = series.timestamps[r.index]!;
        io.out(
          opts.format === 'jsonl'
            ? JSON.stringify({ ...(multi ? { stream } : {}), index: r.index, timestamp, score: r.score, anomaly: r.anomaly })
            : [stream, r.index, timestamp, r.score.toFixed(4), r.anomaly ? 'ANOMALY' : ''].join('\t'),
        );
      }
    } else {
      for (const w of result.windows) io.out(opts.format === 'jsonl' ? windowJson(w) : windowRow(w));
    }
  }
  summary(io, opts, started, `${rows} rows in ${windows} windows: ${flagged} anomalous`);
  return 0;
}
