/**
 * Zig-zag varint coding of a signed integer: zz(q) = 2q for q ≥ 0 and
 * −2q − 1 for q < 0 (small magnitudes of either sign give small codes), then
 * LEB128: 7 bits per byte, least significant first, high bit = "more follows".
 * Magnitudes are clamped to 2^30 so every code fits in 5 bytes.
 *
 * @param q the integer to code
 * @param out destination, at least 5 bytes from `at`
 * @returns the offset after the code
 * @example writeZigzagVarint(-1, buf, 0) // 1 (buf[0] = 1); writeZigzagVarint(64, buf, 0) // 2 (0x80, 0x01)
 */
export function writeZigzagVarint(q: number, out: Uint8Array, at: number): number {
  const clamped = Math.max(-(2 ** 30), Math.min(2 ** 30, Math.trunc(q)));
  let zz = clamped >= 0 ? 2 * clamped : -2 * clamped - 1;
  while (zz >= 0x80) {
    out[at++] = (zz & 0x7f) | 0x80;
    zz = Math.floor(zz / 128);
  }
  out[at++] = zz;
  return at;
}
