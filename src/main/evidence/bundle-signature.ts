import { sign, verify } from 'node:crypto';
import { canonicalJsonBytes } from '../../shared/canonical-json';
import type { BundleManifest, BundleSignature } from './bundle-format';
import { MANIFEST_FILE } from './bundle-format';
import { keyFingerprint, publicKeyFromRaw, type SigningKey } from './signing-key';

/** signature.json for a manifest: Ed25519 over its RFC 8785 canonical bytes. */
export function signManifest(manifest: BundleManifest, key: SigningKey): BundleSignature {
  const signature = sign(null, canonicalJsonBytes(manifest), key.privateKey);
  return {
    algorithm: 'Ed25519',
    canonicalization: 'RFC 8785',
    signedFile: MANIFEST_FILE,
    publicKey: Buffer.from(key.publicKeyRaw).toString('base64'),
    fingerprint: key.fingerprint,
    signature: signature.toString('base64'),
  };
}

/**
 * Checks signature.json against the canonical manifest bytes. Returns the
 * problem in words, or undefined when the signature holds. Does not decide
 * whether the key is the right one (see the signer checks in verify).
 */
export function signatureProblem(canonicalManifest: Uint8Array, sig: BundleSignature): string | undefined {
  if (sig.algorithm !== 'Ed25519') return `algorithm is "${sig.algorithm}", expected Ed25519`;
  if (sig.canonicalization !== 'RFC 8785') return `canonicalization is "${sig.canonicalization}", expected RFC 8785`;
  if (sig.signedFile !== MANIFEST_FILE) return `signedFile is "${sig.signedFile}", expected ${MANIFEST_FILE}`;
  const raw = Buffer.from(sig.publicKey, 'base64');
  if (raw.length !== 32 || raw.toString('base64') !== sig.publicKey) return 'publicKey is not a base64 32-byte Ed25519 key';
  if (keyFingerprint(raw) !== sig.fingerprint) return 'fingerprint is not the SHA-256 of publicKey';
  const bytes = Buffer.from(sig.signature, 'base64');
  if (bytes.length !== 64 || bytes.toString('base64') !== sig.signature) return 'signature is not a base64 64-byte Ed25519 signature';
  let ok: boolean;
  try {
    ok = verify(null, canonicalManifest, publicKeyFromRaw(raw), bytes);
  } catch (err) {
    return `the signature could not be checked (${(err as Error).message})`;
  }
  return ok ? undefined : `the Ed25519 signature does not match ${MANIFEST_FILE} (the manifest was changed or signed by another key)`;
}
