import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import type { KeyInfo } from '../../shared/evidence';
import { join } from 'node:path';
import { writeFileAtomic, writeFileSyncDurable } from './atomic-write';

/** The Ed25519 key that signs evidence bundles. */
export interface SigningKey {
  privateKey: KeyObject;
  /** The raw 32-byte Ed25519 public key. */
  publicKeyRaw: Uint8Array;
  /** SHA-256 of publicKeyRaw, 64 lowercase hex digits. */
  fingerprint: string;
  /** First 16 hex digits of the fingerprint in groups of four (display). */
  shortFingerprint: string;
  /** Where the private key lives on disk. */
  path: string;
}

/** Key problems a user can act on (bad PEM, unsafe permissions). */
export class KeyError extends Error {
  override name = 'KeyError';
}

const KEY_DIR = 'keys';
const KEY_FILE = 'evidence-signing-key.pem';
/** Where the key came from (`{"source":"imported"}`); absent for a generated key. */
const ORIGIN_FILE = 'evidence-signing-key.origin.json';
const RETIRED_DIR = 'retired';

/**
 * Fingerprint of an Ed25519 public key: SHA-256 over the raw 32 key bytes
 * (not the SPKI wrapping), hex. Example: the RFC 8032 test-1 key
 * d75a98…511a gives 21fe31df…
 */
export function keyFingerprint(publicKeyRaw: Uint8Array): string {
  if (publicKeyRaw.length !== 32) throw new KeyError(`keyFingerprint: an Ed25519 public key has 32 bytes, got ${publicKeyRaw.length}`);
  return createHash('sha256').update(publicKeyRaw).digest('hex');
}

/** "1a2b 3c4d 5e6f 7081": the first 64 bits, enough to tell keys apart by eye. */
export function shortFingerprint(fingerprint: string): string {
  return (fingerprint.slice(0, 16).match(/.{4}/g) ?? []).join(' ');
}

/** Normalises a fingerprint typed by a user (spaces, colons, case) to hex. */
export function normalizeFingerprint(text: string): string {
  return text.replace(/[\s:-]/g, '').toLowerCase();
}

/** Raw 32-byte public key of an Ed25519 key object (private or public). */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new KeyError('rawPublicKey: not an Ed25519 key');
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}

/** An Ed25519 public key object from its raw 32 bytes. */
export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new KeyError(`an Ed25519 public key has 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

function describe(privateKey: KeyObject, path: string): SigningKey {
  const publicKeyRaw = rawPublicKey(privateKey);
  const fingerprint = keyFingerprint(publicKeyRaw);
  return { privateKey, publicKeyRaw, fingerprint, shortFingerprint: shortFingerprint(fingerprint), path };
}

function keyPath(userDataDir: string): string {
  return join(userDataDir, KEY_DIR, KEY_FILE);
}

function ensureKeyDir(userDataDir: string): string {
  const dir = join(userDataDir, KEY_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function checkPrivate(path: string): void {
  // POSIX permission bits mean nothing on Windows; there the ACLs of the
  // user profile directory protect the key.
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyError(`${path}: the signing key is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it`);
  }
}

function parsePrivatePem(pem: string, source: string, passphrase?: string): KeyObject {
  if (passphrase === undefined && /ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new KeyError(`${source}: the PEM key is encrypted; give its passphrase`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem', ...(passphrase !== undefined ? { passphrase } : {}) });
  } catch (err) {
    const message = (err as Error).message;
    if (/bad decrypt|passphrase/i.test(message)) throw new KeyError(`${source}: the PEM key could not be decrypted (wrong passphrase?)`);
    if (/PUBLIC KEY/.test(pem) && !/PRIVATE KEY/.test(pem)) {
      throw new KeyError(`${source}: this PEM holds a public key; signing needs the private key`);
    }
    throw new KeyError(`${source}: not a readable PEM private key (${message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new KeyError(`${source}: the key is ${key.asymmetricKeyType ?? 'unknown'}, evidence is signed with Ed25519 only`);
  }
  return key;
}

function pkcs8Pem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * Writes `pem` to `path` with mode 0600 without ever exposing a partly
 * written or world-readable key: a private temp file, fsync, then a hard
 * link, which (unlike rename) fails when another process created the key
 * first. Returns false in that case.
 */
function installKeyFile(path: string, pem: string): boolean {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSyncDurable(temp, pem, 0o600);
  try {
    chmodSync(temp, 0o600);
    linkSync(temp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(temp);
  }
}

/**
 * The signing key in `userDataDir`, generated on first use (Ed25519, PKCS#8
 * PEM, file mode 0600 in a 0700 directory). Refuses a key file other users
 * can read, rather than sign with a key that may have leaked.
 */
export function loadOrCreateSigningKey(userDataDir: string): { key: SigningKey; created: boolean } {
  const path = keyPath(userDataDir);
  let created = false;
  try {
    statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    ensureKeyDir(userDataDir);
    const { privateKey } = generateKeyPairSync('ed25519');
    created = installKeyFile(path, pkcs8Pem(privateKey));
  }
  checkPrivate(path);
  const key = parsePrivatePem(readFileSync(path, 'utf8'), path);
  return { key: describe(key, path), created };
}

/** The signing key in `userDataDir`, or undefined when none was made yet. */
export function loadSigningKey(userDataDir: string): SigningKey | undefined {
  const path = keyPath(userDataDir);
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  checkPrivate(path);
  return describe(parsePrivatePem(pem, path), path);
}

/**
 * Makes an organisation's Ed25519 key (PEM: PKCS#8, or encrypted PKCS#8 with
 * `passphrase`) the signing key. A previous key moves to keys/retired/
 * under its fingerprint, so nothing that signed earlier bundles is lost.
 *
 * @param source name of the PEM's origin for error messages (a file path)
 */
export function importSigningKey(
  userDataDir: string,
  pem: string,
  options: { source?: string; passphrase?: string } = {},
): { key: SigningKey; replaced?: string } {
  const imported = parsePrivatePem(pem, options.source ?? 'imported key', options.passphrase);
  const dir = ensureKeyDir(userDataDir);
  const path = keyPath(userDataDir);
  const previous = loadSigningKey(userDataDir);
  const incoming = describe(imported, path);
  if (previous?.fingerprint === incoming.fingerprint) return { key: incoming };
  if (previous) {
    const retired = join(dir, RETIRED_DIR);
    mkdirSync(retired, { recursive: true, mode: 0o700 });
    renameSync(path, join(retired, `${previous.fingerprint}.pem`));
  }
  if (!installKeyFile(path, pkcs8Pem(imported))) {
    throw new KeyError(`${path}: another process installed a signing key at the same moment; import again`);
  }
  writeFileAtomic(join(dir, ORIGIN_FILE), new TextEncoder().encode(`${JSON.stringify({ source: 'imported', fingerprint: incoming.fingerprint })}\n`), 0o600);
  return { key: incoming, ...(previous ? { replaced: previous.fingerprint } : {}) };
}

/** SPKI PEM of the key's public half: what an organisation publishes. */
export function publicKeyPem(key: SigningKey): string {
  return createPublicKey(key.privateKey).export({ format: 'pem', type: 'spki' }).toString();
}

/** The signing key for display, without creating one. */
export function keyInfo(userDataDir: string): KeyInfo {
  const key = loadSigningKey(userDataDir);
  if (!key) return { algorithm: 'Ed25519', fingerprint: '', shortFingerprint: '', source: 'none', publicKeyPem: null };
  let source: KeyInfo['source'] = 'generated';
  try {
    const origin = JSON.parse(readFileSync(join(userDataDir, KEY_DIR, ORIGIN_FILE), 'utf8')) as { source?: string; fingerprint?: string };
    if (origin.source === 'imported' && origin.fingerprint === key.fingerprint) source = 'imported';
  } catch {
    // No origin file: the key was generated here.
  }
  return { algorithm: 'Ed25519', fingerprint: key.fingerprint, shortFingerprint: key.shortFingerprint, source, publicKeyPem: publicKeyPem(key) };
}
