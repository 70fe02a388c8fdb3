import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  importSigningKey,
  keyFingerprint,
  keyInfo,
  loadOrCreateSigningKey,
  loadSigningKey,
  normalizeFingerprint,
  shortFingerprint,
} from '../../src/main/evidence/signing-key';
import { tempDir } from './fixtures';

const mode = (path: string): number => statSync(path).mode & 0o777;

/** The raw Ed25519 public key of a PEM private key, by openssl (an independent implementation). */
function opensslRawPublicKey(pemPath: string): Buffer {
  const der = execFileSync('openssl', ['pkey', '-in', pemPath, '-pubout', '-outform', 'DER']);
  return der.subarray(der.length - 32);
}

describe('signing keys', () => {
  it('fingerprints the RFC 8032 test-1 public key as sha256sum does', () => {
    // printf d75a…511a | xxd -r -p | sha256sum
    const raw = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
    expect(keyFingerprint(raw)).toBe('21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9');
    expect(shortFingerprint(keyFingerprint(raw))).toBe('21fe 31df a154 a261');
    expect(normalizeFingerprint('21FE 31DF:a154-a261')).toBe('21fe31dfa154a261');
    expect(() => keyFingerprint(raw.subarray(1))).toThrow(/32 bytes/);
  });

  it('generates a key on first use with 0600 permissions in a 0700 directory, then reuses it', () => {
    const dir = tempDir('keys');
    expect(loadSigningKey(dir)).toBeUndefined();
    expect(keyInfo(dir)).toMatchObject({ source: 'none', fingerprint: '', publicKeyPem: null });
    const first = loadOrCreateSigningKey(dir);
    expect(first.created).toBe(true);
    expect(keyInfo(dir)).toMatchObject({ source: 'generated', fingerprint: first.key.fingerprint });
    expect(mode(first.key.path)).toBe(0o600);
    expect(mode(join(dir, 'keys'))).toBe(0o700);
    expect(readdirSync(join(dir, 'keys'))).toEqual(['evidence-signing-key.pem']); // no temp file left
    // The published public key is what openssl derives from the private key file.
    expect(keyInfo(dir).publicKeyPem).toBe(execFileSync('openssl', ['pkey', '-in', first.key.path, '-pubout']).toString());
    const second = loadOrCreateSigningKey(dir);
    expect(second.created).toBe(false);
    expect(second.key.fingerprint).toBe(first.key.fingerprint);
    // The fingerprint is SHA-256 of the raw key openssl extracts from the file.
    expect(first.key.fingerprint).toBe(createHash('sha256').update(opensslRawPublicKey(first.key.path)).digest('hex'));
    // The stored key signs; its public half verifies.
    const message = Buffer.from('evidence');
    const signature = sign(null, message, second.key.privateKey);
    expect(verify(null, message, first.key.privateKey, signature)).toBe(true);
  });

  it('refuses a key file other users can read', () => {
    const dir = tempDir('keys-open');
    const { key } = loadOrCreateSigningKey(dir);
    chmodSync(key.path, 0o644);
    expect(() => loadOrCreateSigningKey(dir)).toThrow(/readable by other users \(mode 644\).*chmod 600/);
  });

  it('imports an organisation key made by openssl and retires the previous key', () => {
    const dir = tempDir('keys-import');
    const previous = loadOrCreateSigningKey(dir).key;
    const pemPath = join(dir, 'org.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', pemPath]);
    const expected = createHash('sha256').update(opensslRawPublicKey(pemPath)).digest('hex');
    const imported = importSigningKey(dir, readFileSync(pemPath, 'utf8'), { source: pemPath });
    expect(imported.key.fingerprint).toBe(expected);
    expect(imported.replaced).toBe(previous.fingerprint);
    expect(mode(imported.key.path)).toBe(0o600);
    expect(existsSync(join(dir, 'keys', 'retired', `${previous.fingerprint}.pem`))).toBe(true);
    expect(loadOrCreateSigningKey(dir).key.fingerprint).toBe(expected);
    expect(keyInfo(dir)).toMatchObject({ source: 'imported', fingerprint: expected });
    // Importing the same key again changes nothing.
    expect(importSigningKey(dir, readFileSync(pemPath, 'utf8')).replaced).toBeUndefined();
  });

  it('imports an encrypted PKCS#8 key with its passphrase', () => {
    const dir = tempDir('keys-enc');
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString();
    expect(() => importSigningKey(dir, pem, { source: 'org.pem' })).toThrow(/org\.pem: the PEM key is encrypted; give its passphrase/);
    expect(() => importSigningKey(dir, pem, { source: 'org.pem', passphrase: 'wrong' })).toThrow(/org\.pem: the PEM key could not be decrypted/);
    const { key } = importSigningKey(dir, pem, { passphrase: 'correct horse' });
    expect(key.privateKey.asymmetricKeyType).toBe('ed25519');
  });

  it('rejects keys that cannot sign evidence, naming the source', () => {
    const dir = tempDir('keys-bad');
    const rsa = join(dir, 'rsa.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', rsa], { stdio: 'pipe' });
    expect(() => importSigningKey(dir, readFileSync(rsa, 'utf8'), { source: rsa })).toThrow(/rsa\.pem: the key is rsa, evidence is signed with Ed25519 only/);
    const pub = join(dir, 'pub.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(dir, 'k.pem')]);
    execFileSync('openssl', ['pkey', '-in', join(dir, 'k.pem'), '-pubout', '-out', pub]);
    expect(() => importSigningKey(dir, readFileSync(pub, 'utf8'), { source: pub })).toThrow(/holds a public key; signing needs the private key/);
    writeFileSync(join(dir, 'junk.pem'), 'not a key');
    expect(() => importSigningKey(dir, 'not a key', { source: 'junk.pem' })).toThrow(/junk\.pem: not a readable PEM private key/);
    expect(existsSync(join(dir, 'keys', 'evidence-signing-key.pem'))).toBe(false);
  });
});
