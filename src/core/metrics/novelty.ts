/**
 * Novelty = K(W|B) / C(W), where K(W|B) = C(B·W) − C(B) is the conditional
 * cost of the window given the baseline (in practice W compressed with B as
 * the dictionary). Near 0: the baseline explains the window; near 1: it
 * explains nothing.
 *
 * @param conditionalBytes K(W|B), bytes
 * @param compressedBytes C(W), bytes (> 0)
 * @throws when compressedBytes is not positive
 * @example novelty(30, 120) // 0.25
 */
export function novelty(conditionalBytes: number, compressedBytes: number): number {
  if (!(compressedBytes > 0)) throw new Error(`novelty: C(W) must be positive, got ${compressedBytes}`);
  return conditionalBytes / compressedBytes;
}
