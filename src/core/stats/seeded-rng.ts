import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/** 32-bit FNV-1a over a string's UTF-16 code units. */
function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** splitmix32 finaliser: spreads a 32-bit value over all bits. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export interface Rng {
  /** Next uniform 32-bit integer (signed representation). */
  next(): number;
}

/**
 * The generator for one window's permutations: xoroshiro128+ (pure-rand),
 * its 128-bit state derived from (seed, stream, window) alone. So a window
 * reproduces by itself, in any order and any worker, and two windows never
 * share a sequence.
 */
export function windowRng(seed: number, stream: string, window: number): Rng {
  const key = `${seed >>> 0}\u0000${stream}\u0000${window}`;
  const h1 = fnv1a(key, 0x811c9dc5);
  const h2 = fnv1a(key, 0x01000193 ^ 0x5bd1e995);
  const state: number[] = [mix32(h1), mix32(h2), mix32(h1 ^ 0x68e31da4), mix32(h2 ^ 0xb5297a4d)];
  // xoroshiro's all-zero state is a fixed point.
  if (!state.some((s) => s !== 0)) state[0] = 1;
  return xoroshiro128plusFromState(state.map((s) => s | 0));
}

/**
 * Uniform integer in [0, bound) by Lemire's multiply-and-reject: exact (no
 * modulo bias), and the modulo is only paid on the rare near-boundary draw.
 * bound < 2^21 keeps x·bound below 2^53, so the high word is exact.
 */
export function uniformBelow(rng: Rng, bound: number): number {
  for (;;) {
    const x = rng.next() >>> 0;
    const low = Math.imul(x, bound) >>> 0;
    if (low >= bound || low >= (0x100000000 - bound) % bound) return Math.floor((x * bound) / 0x100000000);
  }
}
