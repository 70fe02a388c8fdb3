/**
 * Δbits = 8·(C(W) − C(B_ref)) / |W|, bits per byte, where B_ref is a baseline
 * sample of the same byte length as W. Positive: the window needs more bits
 * than the baseline does for the same number of bytes.
 *
 * @throws when windowBytes is not positive
 * @example deltaBits(60, 40, 200) // 0.8
 */
export function deltaBits(compressedWindow: number, compressedReference: number, windowBytes: number): number {
  if (!(windowBytes > 0)) throw new Error(`deltaBits: window size must be positive, got ${windowBytes}`);
  return (8 * (compressedWindow - compressedReference)) / windowBytes;
}
