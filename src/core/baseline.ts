import type { Compressor, DictionaryCompressor } from './compressors/compressor';
import { compressionRatio } from './metrics/compression-ratio';
import { eventCostBits } from './metrics/event-cost';
import { ncd } from './metrics/ncd';
import { quantileSorted, sortedCopy } from './stats/quantile';
import type { IndexRange, MetricRange } from './types';

/** An event as the analyzer holds it. */
export interface HeldEvent {
  position: number;
  index: number;
  text: string;
  /** Canonical UTF-8 bytes with a trailing newline. */
  bytes: Uint8Array;
  timestamp?: number;
  suspect: boolean;
  /** Cost against the snapshot `costSnapshot`, bits. */
  cost: number;
  costSnapshot: number;
}

/** zstd's window (windowLog 20): dictionary content beyond it is never reached. */
export const MAX_DICTIONARY_BYTES = 1 << 20;

/**
 * A baseline ready to score windows against. The baseline's events are split
 * in index order: the recent half is the compression dictionary (reference);
 * the older half's per-event costs against that dictionary calibrate the
 * permutation test. Window events are costed against the same dictionary, so
 * under "nothing changed" calibration and window costs are exchangeable.
 */
export interface BaselineSnapshot {
  id: number;
  /** Built from history only (reusable for later windows) or borrowed from the future. */
  kind: 'history' | 'borrowed';
  size: number;
  primed: DictionaryCompressor;
  /** Calibration costs, bits (integers). */
  calibrationCosts: Float64Array;
  calibrationMedian: number;
  /** Robust scale of calibration costs: 1.4826·MAD, floored at one byte. */
  calibrationScale: number;
  /** The reference half's bytes (the dictionary); B_ref is taken from its tail. */
  referenceBytes: Uint8Array;
  reference: IndexRange[];
  calibration: IndexRange[];
  range: { cr: MetricRange; ncd: MetricRange; meanBits: MetricRange };
}

function concatBytes(events: readonly HeldEvent[], maxBytes = Infinity): Uint8Array {
  let total = 0;
  let from = events.length;
  while (from > 0 && total + events[from - 1]!.bytes.length <= maxBytes) {
    from--;
    total += events[from]!.bytes.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = from; i < events.length; i++) {
    out.set(events[i]!.bytes, at);
    at += events[i]!.bytes.length;
  }
  return out;
}

/** Inclusive index ranges covering the events' indexes (sorted input). */
export function toRanges(indexes: readonly number[]): IndexRange[] {
  const out: IndexRange[] = [];
  for (const i of indexes) {
    const last = out[out.length - 1];
    if (last && i === last[1] + 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

function metricRange(values: number[]): MetricRange {
  if (values.length === 0) return { p05: NaN, median: NaN, p95: NaN };
  const s = sortedCopy(values);
  return { p05: quantileSorted(s, 0.05), median: quantileSorted(s, 0.5), p95: quantileSorted(s, 0.95) };
}

/** The last `n` bytes of `bytes` (all of it when shorter). */
export function tail(bytes: Uint8Array, n: number): Uint8Array {
  return bytes.subarray(Math.max(0, bytes.length - n));
}

/** NCD of x against the equal-size tail of the baseline. */
export function ncdAgainst(compressor: Compressor, x: Uint8Array, baselineBytes: Uint8Array): { ncd: number; cRef: number; ref: Uint8Array; cx: number } {
  const ref = tail(baselineBytes, x.length);
  const cx = compressor.size(x);
  const cRef = compressor.size(ref);
  const joined = new Uint8Array(x.length + ref.length);
  joined.set(x);
  joined.set(ref, x.length);
  return { ncd: ncd(cx, cRef, compressor.size(joined)), cRef, ref, cx };
}

let nextSnapshotId = 1;

/**
 * Build a snapshot from baseline events in index order (at least 2).
 *
 * @param windowSize events per window: the calibration half is cut into
 *   chunks of this size to give the baseline's usual range of each metric
 */
export function buildSnapshot(
  compressor: Compressor,
  events: readonly HeldEvent[],
  kind: BaselineSnapshot['kind'],
  windowSize: number,
): BaselineSnapshot {
  if (events.length < 2) throw new Error(`buildSnapshot: a baseline needs at least 2 events, got ${events.length}`);
  const half = Math.floor(events.length / 2);
  const calibration = events.slice(0, half);
  const reference = events.slice(half);
  const dictionary = concatBytes(reference, MAX_DICTIONARY_BYTES);
  const primed = compressor.withDictionary(dictionary);
  const id = nextSnapshotId++;
  const costs = new Float64Array(calibration.length);
  for (let i = 0; i < calibration.length; i++) costs[i] = eventCostBits(primed, calibration[i]!.bytes);
  const sorted = sortedCopy(costs);
  const median = quantileSorted(sorted, 0.5);
  const deviations = sortedCopy(Array.from(costs, (c) => Math.abs(c - median)));
  const scale = Math.max(8, 1.4826 * quantileSorted(deviations, 0.5));

  // The usual range: the same metrics over window-sized chunks of the
  // calibration half, each against the reference tail of its own size.
  const cr: number[] = [];
  const ncds: number[] = [];
  const meanBits: number[] = [];
  const chunk = Math.max(1, Math.min(windowSize, calibration.length));
  for (let from = 0; from + chunk <= calibration.length; from += chunk) {
    const part = calibration.slice(from, from + chunk);
    const bytes = concatBytes(part);
    if (bytes.length === 0) continue;
    const m = ncdAgainst(compressor, bytes, dictionary);
    cr.push(compressionRatio(m.cx, bytes.length));
    ncds.push(m.ncd);
    let s = 0;
    for (let i = from; i < from + chunk; i++) s += costs[i]!;
    meanBits.push(s / chunk);
  }

  return {
    id,
    kind,
    size: events.length,
    primed,
    calibrationCosts: costs,
    calibrationMedian: median,
    calibrationScale: scale,
    referenceBytes: dictionary,
    reference: toRanges(reference.map((e) => e.index)),
    calibration: toRanges(calibration.map((e) => e.index)),
    range: { cr: metricRange(cr), ncd: metricRange(ncds), meanBits: metricRange(meanBits) },
  };
}
