import type { HeldEvent } from './baseline';
import { buildSnapshot } from './baseline';
import { createCompressor } from './compressors/create-compressor';
import type { Compressor } from './compressors/compressor';
import { rangeChunkSize, scoreWindow } from './score-window';
import { encodeEvent } from './stream-analyzer';
import type { AnalysisParams, EngineEvent, WindowResult } from './types';

function hold(e: EngineEvent, position: number): HeldEvent {
  return {
    position,
    index: e.index,
    text: e.text,
    bytes: encodeEvent(e.text),
    ...(e.timestamp !== undefined ? { timestamp: e.timestamp } : {}),
    suspect: false,
    cost: 0,
    costSnapshot: 0,
  };
}

/**
 * Re-compute one window from nothing but its baseline events, its window
 * events and the parameters: what `driftlock verify` does with a bundle's
 * data/ files. The result equals the analysis's own (provisional) result for
 * that window; q-values and flags come from the batch and are checked apart.
 *
 * @param baseline the window's baseline events (reference and calibration), any order
 * @param window the window's events in stream order
 */
export function reproduceWindow(
  params: AnalysisParams,
  stream: string,
  windowNumber: number,
  baseline: readonly EngineEvent[],
  window: readonly EngineEvent[],
  options: { compressor?: Compressor; startTime?: number; endTime?: number } = {},
): WindowResult {
  const compressor = options.compressor ?? createCompressor(params.compressor);
  const sorted = [...baseline].sort((a, b) => a.index - b.index);
  const snap = buildSnapshot(compressor, sorted.map(hold), 'borrowed', rangeChunkSize(params));
  return scoreWindow(compressor, snap, params, {
    stream,
    window: windowNumber,
    events: window.map(hold),
    ...(options.startTime !== undefined ? { startTime: options.startTime } : {}),
    ...(options.endTime !== undefined ? { endTime: options.endTime } : {}),
  }).result;
}
