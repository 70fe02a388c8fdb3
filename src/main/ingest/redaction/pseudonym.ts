import { createHmac } from 'node:crypto';

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

  constructor(private readonly key: Uint8Array) {
    if (key.length < 16) throw new Error('Pseudonymizer: the key must be at least 16 bytes');
  }

  pseudonym(kind: string, value: string): string {
    const id = `${kind}\u0000${value}`;
    let out = this.cache.get(id);
    if (out !== undefined) return out;
    const mac = createHmac('sha256', this.key).update(id, 'utf8').digest();
    out = '';
    for (let i = 0; i < LENGTH; i++) out += ALPHABET[mac[i]! % ALPHABET.length];
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(id, out);
    return out;
  }
}
