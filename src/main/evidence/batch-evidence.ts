// A bundle input from an analysis held in memory (src/core analyzeStreams):
// what the tests and the benchmark export without a case file. The case
// export (case-evidence.ts) reads the same shapes from SQLite.
import { createCompressor, type AnalysisParams, type BatchResult, type IndexRange, type WindowResult } from '../../core';
import type { AnalystFields } from '../../shared/evidence';
import type { BatchWindow, DataEvent, ManifestSource, TriageState } from './bundle-format';
import type { BundleInput, EvidenceAnomaly } from './bundle-input';

export function batchWindow(w: WindowResult): BatchWindow {
  return {
    stream: w.stream,
    window: w.window,
    firstEvent: w.firstEvent,
    lastEvent: w.lastEvent,
    ...(w.startTime !== undefined ? { startTime: w.startTime } : {}),
    ...(w.endTime !== undefined ? { endTime: w.endTime } : {}),
    pValue: w.pValue,
    excessBits: w.excessBits,
    score: w.score,
    anomaly: w.anomaly,
  };
}

/** The events of `ranges` from a stream whose event i sits at position i. */
function inRanges(events: readonly DataEvent[], ranges: readonly IndexRange[]): DataEvent[] {
  return ranges.flatMap(([a, b]) => events.slice(a, b + 1));
}

export interface BatchEvidenceOptions {
  caseId: string;
  createdAt: Date;
  appVersion: string;
  analyst?: AnalystFields;
  sources: ManifestSource[];
  /** Which windows to export (default: the flagged ones). */
  select?: (w: WindowResult) => boolean;
  /** Triage state per window (default: open). */
  triage?: (w: WindowResult) => TriageState;
}

/**
 * Every selected window of a batch analysis as a bundle input (analysis id
 * "1", anomaly ids "a<window>" prefixed by the stream's position when there
 * are several streams; no audit trail). Events must be indexed by position.
 */
export function batchEvidence(
  streams: ReadonlyMap<string, readonly DataEvent[]>,
  params: AnalysisParams,
  result: BatchResult,
  options: BatchEvidenceOptions,
): BundleInput {
  const select = options.select ?? ((w: WindowResult) => w.anomaly);
  const streamNames = [...streams.keys()];
  const anomalies: EvidenceAnomaly[] = result.windows.filter(select).map((w) => {
    const events = streams.get(w.stream);
    if (!events) throw new Error(`batchEvidence: window ${w.window} names stream ${w.stream}, which is not given`);
    const prefix = streamNames.length > 1 ? `s${streamNames.indexOf(w.stream)}-` : '';
    return {
      id: `${prefix}a${w.window}`,
      analysisId: '1',
      streamKind: 'log',
      result: w,
      triage: options.triage?.(w) ?? { status: 'open' },
      notes: [],
      baselineEvents: inRanges(events, [...w.baseline.reference, ...w.baseline.calibration]),
      windowEvents: inRanges(events, [[w.firstEvent, w.lastEvent]]),
    };
  });
  return {
    caseId: options.caseId,
    createdAt: options.createdAt,
    appVersion: options.appVersion,
    scope: { kind: 'all' },
    analyst: options.analyst ?? {},
    sources: options.sources,
    analyses: [{ id: '1', params, compressor: createCompressor(params.compressor).pin, redactionPolicies: [], batch: result.windows.map(batchWindow) }],
    anomalies,
    audit: [],
  };
}
