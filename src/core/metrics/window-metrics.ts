import { ncdAgainst } from '../baseline';
import type { Compressor } from '../compressors/compressor';
import type { WindowResult } from '../types';
import { compressionRatio } from './compression-ratio';
import { deltaBits } from './delta-bits';
import { byteEntropy } from './entropy';
import { novelty } from './novelty';

/**
 * The compression view of a window every path reports: CR(W), CR(B_ref),
 * Δbits, byte entropy, NCD(W, B_ref) against the equal-size tail of the
 * reference, and novelty K(W|B)/C(W).
 *
 * @param windowBytes the window's bytes (non-empty)
 * @param referenceBytes the baseline's reference bytes (B_ref is their tail)
 * @param conditional K(W|B): C(W) with the reference as dictionary, bytes
 * @example windowMetrics(zstd, w, ref, zstd.withDictionary(ref).size(w)).ncd
 */
export function windowMetrics(
  compressor: Compressor,
  windowBytes: Uint8Array,
  referenceBytes: Uint8Array,
  conditional: number,
): Pick<WindowResult, 'cr' | 'crBaseline' | 'deltaBits' | 'entropy' | 'ncd' | 'novelty'> {
  const m = ncdAgainst(compressor, windowBytes, referenceBytes);
  return {
    cr: compressionRatio(m.cx, windowBytes.length),
    crBaseline: m.ref.length > 0 ? compressionRatio(m.cRef, m.ref.length) : NaN,
    deltaBits: m.ref.length > 0 ? deltaBits(m.cx, m.cRef, windowBytes.length) : NaN,
    entropy: byteEntropy(windowBytes),
    ncd: m.ncd,
    novelty: novelty(conditional, m.cx),
  };
}
