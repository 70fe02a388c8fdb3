const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
const round = (acc: number, lane: number): number => Math.imul(rotl((acc + Math.imul(lane, P2)) >>> 0, 13), P1) >>> 0;
const u32 = (b: Uint8Array, i: number): number => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

/**
 * Streaming XXH32 (the checksum of LZ4 frames): `update` any number of
 * times, then `digest`. Matches the reference implementation's output.
 */
export class Xxh32 {
  private v = [0, 0, 0, 0];
  private readonly buf = new Uint8Array(16);
  private bufLen = 0;
  private total = 0;

  constructor(private readonly seed = 0) {
    this.v = [(seed + P1 + P2) >>> 0, (seed + P2) >>> 0, seed >>> 0, (seed - P1) >>> 0];
  }

  update(data: Uint8Array): this {
    let i = 0;
    this.total += data.length;
    if (this.bufLen > 0) {
      const take = Math.min(16 - this.bufLen, data.length);
      this.buf.set(data.subarray(0, take), this.bufLen);
      this.bufLen += take;
      i = take;
      if (this.bufLen < 16) return this;
      this.stripe(this.buf, 0);
      this.bufLen = 0;
    }
    for (; i + 16 <= data.length; i += 16) this.stripe(data, i);
    this.buf.set(data.subarray(i), 0);
    this.bufLen = data.length - i;
    return this;
  }

  private stripe(b: Uint8Array, i: number): void {
    const v = this.v;
    v[0] = round(v[0]!, u32(b, i));
    v[1] = round(v[1]!, u32(b, i + 4));
    v[2] = round(v[2]!, u32(b, i + 8));
    v[3] = round(v[3]!, u32(b, i + 12));
  }

  digest(): number {
    const v = this.v;
    let h =
      this.total >= 16
        ? (rotl(v[0]!, 1) + rotl(v[1]!, 7) + rotl(v[2]!, 12) + rotl(v[3]!, 18)) >>> 0
        : (this.seed + P5) >>> 0;
    h = (h + this.total) >>> 0;
    let i = 0;
    for (; i + 4 <= this.bufLen; i += 4) h = Math.imul(rotl((h + Math.imul(u32(this.buf, i), P3)) >>> 0, 17), P4) >>> 0;
    for (; i < this.bufLen; i++) h = Math.imul(rotl((h + Math.imul(this.buf[i]!, P5)) >>> 0, 11), P1) >>> 0;
    h = Math.imul(h ^ (h >>> 15), P2) >>> 0;
    h = Math.imul(h ^ (h >>> 13), P3) >>> 0;
    return (h ^ (h >>> 16)) >>> 0;
  }
}

/** One-shot XXH32. */
export function xxh32(data: Uint8Array, seed = 0): number {
  return new Xxh32(seed).update(data).digest();
}
