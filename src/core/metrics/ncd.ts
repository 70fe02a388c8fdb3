/**
 * Normalized compression distance
 * NCD(X,Y) = (C(XY) − min(C(X),C(Y))) / max(C(X),C(Y)).
 * About 0 when Y adds nothing to X, about 1 when they share nothing (it can
 * slightly exceed 1 with real compressors). Compare inputs of similar size:
 * against a much larger Y every window looks distant.
 *
 * @param cx C(X), cy C(Y), cxy C(XY), all in bytes
 * @throws when both sizes are zero
 * @example ncd(100, 100, 110) // 0.1
 */
export function ncd(cx: number, cy: number, cxy: number): number {
  const max = Math.max(cx, cy);
  if (!(max > 0)) throw new Error('ncd: both compressed sizes are zero');
  return (cxy - Math.min(cx, cy)) / max;
}
