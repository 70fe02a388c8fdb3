import { createHash, type Hash } from 'node:crypto';

// Letters only: canonicalisation masks digits, hex and base64 runs, so a
// letters-only pseudonym reaches the engine intact and equal values stay
// equal in the compressed text too.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
const LENGTH = 12;
const CACHE_LIMIT = 100_000;

/**
 * Keyed pseudonyms: HMAC-SHA256(key, kind NUL value) written as 12 letters
 * (~56 bits, so a collision among a million distinct values is unlikely:
 * ~1e12 / 2^57). Without the key the value cannot be recovered or tested.
 */
export class Pseudonymizer {
  private readonly cache = new Map<string, string>();
  private readonly inner: Hash;
  private readonly outer: Hash;

  constructor(key: Uint8Array) {
    if (key.length < 16 || key.length > 64) throw new Error('Pseudonymizer: the key must be 16 to 64 bytes');
    // HMAC (RFC 2104) with the padded-key hash states computed once and
    // copied per value: createHmac imports the key again on every call,
    // which cost more than the hashing itself.
    const ipad = Buffer.alloc(64, 0x36);
    const opad = Buffer.alloc(64, 0x5c);
    for (let i = 0; i < key.length; i++) {
      ipad[i]! ^= key[i]!;
      opad[i]! ^= key[i]!;
    }
    this.inner = createHash('sha256').update(ipad);
    this.outer = createHash('sha256').update(opad);
  }

  /** HMAC-SHA256(key, data). */
  mac(data: string): Buffer {
    const inner = this.inner.copy().update(data, 'utf8').digest();
    return this.outer.copy().update(inner).digest();
  }

  pseudonym(kind: string, value: string): string {
    const id = `${kind}\u0000${value}`;
    let out = this.cache.get(id);
    if (out !== undefined) return out;
    const mac = this.mac(id);
    out = '';
    for (let i = 0; i < LENGTH; i++) out += ALPHABET[mac[i]! % ALPHABET.length];
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(id, out);
    return out;
  }
}
