/** Verification and the signing key for the app, over src/main/evidence. */
import type { KeyInfo } from '../../shared/dto';
import { AUDIT_ACTIONS } from '../audit/audit-actions';
import { importSigningKey, keyInfo } from '../evidence/signing-key';
import { verifyBundle } from '../evidence/verify-bundle';
import type { EvidencePort } from './service-ports';

export function evidencePort(userDataDir: string): EvidencePort {
  return {
    verifyBundle: (path) => verifyBundle(path),
    keyInfo: async (): Promise<KeyInfo> => keyInfo(userDataDir),
    async importKey(pem, casePort, actor) {
      const { key, replaced } = importSigningKey(userDataDir, pem, { source: 'the settings screen' });
      casePort?.recordAudit({
        actor,
        action: AUDIT_ACTIONS.keyImported,
        subject: `key:${key.fingerprint}`,
        details: { algorithm: 'Ed25519', fingerprint: key.fingerprint, ...(replaced && { replaced }) },
      });
      return keyInfo(userDataDir);
    },
  };
}
