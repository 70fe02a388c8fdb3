/**
 * The audit vocabulary: every state change a regulator would ask about has
 * one action name. The subject says what it concerns, as `kind:id`
 * (`source:2`, `analysis:3`, `anomaly:12`, `suppression:4`, `key:<fingerprint>`).
 */
export const AUDIT_ACTIONS = {
  sourceImported: 'source.imported',
  sourceImportResumed: 'source.import-resumed',
  /** A live source (a transport of a driftlock serve session) closed: what it received. */
  sourceReceived: 'source.received',
  /** A live analysis began (its parameters and decision period); it completes when the serve session ends. */
  analysisStarted: 'analysis.started',
  analysisCompleted: 'analysis.completed',
  anomalyTriaged: 'anomaly.triaged',
  anomalyNoted: 'anomaly.noted',
  suppressionAdded: 'suppression.added',
  suppressionEnabled: 'suppression.enabled',
  suppressionDisabled: 'suppression.disabled',
  evidenceExported: 'evidence.exported',
  keyCreated: 'key.created',
  keyImported: 'key.imported',
  /** The case's analysis or redaction settings changed (the app's settings screen). */
  settingsChanged: 'settings.changed',
} as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];
