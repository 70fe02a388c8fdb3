import type { AnalystFields, ExportResult, ExportScope } from '../../shared/evidence';
import { AUDIT_ACTIONS } from '../audit/audit-actions';
import type { CaseStore } from '../store';
import { APP_VERSION } from '../store/app-version';
import { readCaseEvidence } from './case-evidence';
import { loadOrCreateSigningKey } from './signing-key';
import { writeBundle } from './write-bundle';

export interface ExportBundleOptions {
  scope: ExportScope;
  /** Where the zip goes (replaced atomically when it exists). */
  out: string;
  /** The user data directory holding the signing key (created there on first use). */
  userDataDir: string;
  analyst?: AnalystFields;
  /** Fix it to reproduce a bundle byte for byte; default: now. */
  createdAt?: Date;
  /** Who exports, for the audit log. */
  actor: string;
  /** resources/fonts of a packaged app. */
  fontsDir?: string;
}

/**
 * Exports the anomalies `scope` selects from an open case as one signed
 * bundle: reads them (see readCaseEvidence), writes the zip atomically, and
 * records the export (and a key generated for it) in the case's audit log.
 */
export async function exportBundle(store: CaseStore, options: ExportBundleOptions): Promise<ExportResult> {
  const { key, created } = loadOrCreateSigningKey(options.userDataDir);
  if (created) {
    store.audit.append({
      actor: options.actor,
      action: AUDIT_ACTIONS.keyCreated,
      subject: `key:${key.fingerprint}`,
      details: { algorithm: 'Ed25519', fingerprint: key.fingerprint },
    });
  }
  const input = readCaseEvidence(store, {
    scope: options.scope,
    createdAt: options.createdAt ?? new Date(store.now()),
    appVersion: APP_VERSION,
    analyst: options.analyst ?? {},
    keyFingerprint: key.fingerprint,
  });
  const result = await writeBundle(input, {
    out: options.out,
    key,
    keyCreated: created,
    ...(options.fontsDir !== undefined ? { fontsDir: options.fontsDir } : {}),
  });
  store.audit.append({
    actor: options.actor,
    action: AUDIT_ACTIONS.evidenceExported,
    subject: 'case',
    details: {
      path: result.path,
      sha256: result.sha256,
      bytes: result.bytes,
      createdAt: result.createdAt,
      keyFingerprint: key.fingerprint,
      anomalies: input.anomalies.map((a) => Number(a.id)),
      ...(input.analyst.incidentId !== undefined ? { incidentId: input.analyst.incidentId } : {}),
    },
  });
  return result;
}
