import { createCompressor } from './compressors/create-compressor';
import type { Compressor } from './compressors/compressor';
import { decideBatch, scoreEvents } from './decide';
import { StreamAnalyzer } from './stream-analyzer';
import type { AnalysisParams, EngineEvent, EventScore, StreamAnalysis, WindowResult } from './types';

/** Defaults for batch analysis of files: count windows, balanced profile. */
export const DEFAULT_PARAMS: Readonly<AnalysisParams> = Object.freeze({
  windowing: Object.freeze({ kind: 'count', baseline: 1000, window: 100, hop: 100 }),
  permutations: 1000,
  seed: 1,
  profile: 'balanced',
  compressor: 'zstd',
  topEvents: 5,
  causal: false,
} as const);

export interface BatchResult {
  streams: StreamAnalysis[];
  /** Every window of every stream, decided (q-values, flags, explanations). */
  windows: WindowResult[];
  /** Line-level scores, when asked for, in stream order then event order. */
  events?: EventScore[];
}

/**
 * Analyse whole streams held in memory (tests, the CLI on small inputs,
 * bundle verification). Streams are independent; windows are decided together.
 */
export function analyzeStreams(
  streams: ReadonlyMap<string, readonly EngineEvent[]>,
  params: AnalysisParams,
  options: { perEvent?: boolean; compressor?: Compressor } = {},
): BatchResult {
  const compressor = options.compressor ?? createCompressor(params.compressor);
  const out: StreamAnalysis[] = [];
  const all: WindowResult[] = [];
  const analyzers: StreamAnalyzer[] = [];
  for (const [stream, events] of streams) {
    const windows: WindowResult[] = [];
    const analyzer = new StreamAnalyzer(stream, params, compressor, (w) => windows.push(w), {
      collectEvents: options.perEvent ?? false,
    });
    for (const e of events) analyzer.push(e);
    analyzer.finish();
    analyzers.push(analyzer);
    all.push(...windows);
    out.push({ stream, events: events.length, windows, ...noteFor(analyzer, windows.length) });
  }
  decideBatch(all, params.profile);
  const result: BatchResult = { streams: out, windows: all };
  if (options.perEvent) {
    result.events = analyzers.flatMap((a) => scoreEvents(a.stream, a.eventCosts(), all));
  }
  return result;
}

/** Why a stream has no (or fewer) windows, for the analysis summary; {} when nothing to say. */
export function noteFor(a: StreamAnalyzer, windows: number): { note?: string } {
  if (a.eventCount === 0) return { note: 'no events' };
  if (windows === 0) {
    return { note: `${a.eventCount} event(s) are too few for a baseline and a window; nothing was scored` };
  }
  if (a.skippedWindows > 0) return { note: `${a.skippedWindows} window(s) had too little baseline and were not scored` };
  return {};
}
