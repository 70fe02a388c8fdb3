/**
 * Shannon entropy of the byte distribution, H(x) = −Σ p_i log2 p_i, in bits
 * per byte: 0 for a constant string, 8 for uniformly distributed bytes.
 *
 * @throws on empty input (the distribution is undefined)
 * @example byteEntropy(new TextEncoder().encode('abab')) // 1
 */
export function byteEntropy(data: Uint8Array): number {
  if (data.length === 0) throw new Error('byteEntropy: empty input has no byte distribution');
  const counts = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) counts[data[i]!]!++;
  const n = data.length;
  let h = 0;
  for (let b = 0; b < 256; b++) {
    const c = counts[b]!;
    if (c > 0) {
      const p = c / n;
      h -= p * Math.log2(p);
    }
  }
  // −0 and tiny negative rounding for a constant input read as 0.
  return h > 0 ? h : 0;
}
