/**
 * Compression ratio CR(x) = C(x) / |x| (lower = more redundant).
 *
 * @param compressedBytes C(x), bytes
 * @param rawBytes |x|, bytes (> 0)
 * @throws when rawBytes is not positive
 * @example compressionRatio(25, 100) // 0.25
 */
export function compressionRatio(compressedBytes: number, rawBytes: number): number {
  if (!(rawBytes > 0)) throw new Error(`compressionRatio: raw size must be positive, got ${rawBytes}`);
  return compressedBytes / rawBytes;
}
