import type { DictionaryCompressor } from '../compressors/compressor';

/**
 * Per-event cost c_i: bits to encode event i given the baseline, i.e. the
 * event compressed with the baseline as dictionary, minus the constant
 * framing cost that every event pays. Ranks the lines that explain a finding.
 *
 * @param primed the compressor primed with the baseline
 * @param eventBytes the event's canonical bytes (newline included)
 * @returns bits, ≥ 0
 * @example eventCostBits(zstd.withDictionary(baseline), bytes) // 40 for a line the baseline knows
 */
export function eventCostBits(primed: DictionaryCompressor, eventBytes: Uint8Array): number {
  const bytes = primed.size(eventBytes) - primed.overhead;
  return bytes > 0 ? bytes * 8 : 0;
}
