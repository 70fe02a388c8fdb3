import type { BaselineSnapshot, HeldEvent } from './baseline';
import { windowMetrics } from './metrics/window-metrics';
import type { Compressor } from './compressors/compressor';
import { eventCostBits } from './metrics/event-cost';
import { PROFILES } from './profiles';
import { zToScore } from './stats/excess-test';
import { twoLookTest } from './stats/two-look-test';
import { windowRng } from './stats/seeded-rng';
import type { AnalysisParams, TopEvent, WindowResult } from './types';

/**
 * Events per chunk when measuring the baseline's usual range: the window size
 * for count windows; for time windows, whose sizes vary, a fixed 32.
 */
export function rangeChunkSize(params: AnalysisParams): number {
  return params.windowing.kind === 'count' ? params.windowing.window : 32;
}

export { excessLevel, FLOOR_REFINEMENT, zToScore } from './stats/excess-test';

export interface WindowInput {
  stream: string;
  window: number;
  /** The window's events in stream order. */
  events: readonly HeldEvent[];
  startTime?: number;
  endTime?: number;
}

export interface ScoredWindow {
  result: WindowResult;
  /** Per-event costs of the window's events, bits. */
  costs: Float64Array;
  /** The excess threshold (bits) the test applied. */
  threshold: number;
}

/**
 * Score one window against a baseline snapshot: the compression metrics, the
 * permutation test on per-event conditional costs, and the provisional
 * decision (`suspect`). A pure function of (snapshot events, window events,
 * params, stream, window number): this is what a verifier re-runs.
 */
export function scoreWindow(
  compressor: Compressor,
  snap: BaselineSnapshot,
  params: AnalysisParams,
  input: WindowInput,
): ScoredWindow {
  const events = input.events;
  const n = events.length;
  if (n === 0) throw new Error(`scoreWindow: window ${input.window} of ${input.stream} has no events`);
  const costs = new Float64Array(n);
  let bytesLength = 0;
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    if (e.costSnapshot !== snap.id) {
      e.cost = eventCostBits(snap.primed, e.bytes);
      e.costSnapshot = snap.id;
    }
    costs[i] = e.cost;
    bytesLength += e.bytes.length;
  }
  const windowBytes = new Uint8Array(bytesLength);
  for (let i = 0, at = 0; i < n; i++) {
    windowBytes.set(events[i]!.bytes, at);
    at += events[i]!.bytes.length;
  }

  const conditional = snap.primed.size(windowBytes);

  // The test: window bits above the pool's excess threshold (a few novel
  // events) or above its median (most events costlier), whichever stands out more.
  const cal = snap.calibrationCosts;
  const test = twoLookTest(cal, costs, params.permutations, windowRng(params.seed, input.stream, input.window));
  const { threshold, statistic: observed, excessBits, z, novelEvents, pValue, permutations, pBound } = test;

  const profile = PROFILES[params.profile];
  const suspect = pValue <= profile.alpha && excessBits >= profile.minExcessBits;
  let windowMean = 0;
  for (let i = 0; i < n; i++) windowMean += costs[i]!;
  windowMean /= n;
  let calMean = 0;
  for (let i = 0; i < cal.length; i++) calMean += cal[i]!;
  calMean = cal.length > 0 ? calMean / cal.length : 0;

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => costs[b]! - costs[a]! || a - b);
  const topEvents: TopEvent[] = order.slice(0, params.topEvents).map((i) => ({
    index: events[i]!.index,
    bits: costs[i]!,
    text: events[i]!.text,
  }));

  const first = events[0]!;
  const last = events[n - 1]!;
  const startTime = input.startTime ?? first.timestamp;
  const endTime = input.endTime ?? last.timestamp;
  const result: WindowResult = {
    stream: input.stream,
    window: input.window,
    firstEvent: first.index,
    lastEvent: last.index,
    n,
    ...(startTime !== undefined ? { startTime } : {}),
    ...(endTime !== undefined ? { endTime } : {}),
    ...windowMetrics(compressor, windowBytes, snap.referenceBytes, conditional),
    meanBits: windowMean,
    baselineMeanBits: calMean,
    statistic: observed,
    excessBits,
    novelEvents,
    pValue,
    permutations,
    ...(pBound !== undefined ? { pBound } : {}),
    qValue: pValue,
    score: zToScore(z),
    anomaly: suspect,
    suspect,
    explanation: '',
    topEvents,
    baseline: { reference: snap.reference, calibration: snap.calibration },
    baselineRange: snap.range,
  };
  return { result, costs, threshold };
}
