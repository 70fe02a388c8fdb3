import type { AnomalyRow, AuditRow, TriageStatus } from '../../shared/case-types';
import type { CaseStore } from './case-store';
import { NotFoundError } from './not-found';

/** What a reviewer decides about an anomaly: a new status, a note, or both. */
export interface TriageDecision {
  /** Absent: the status stays. */
  status?: TriageStatus;
  /** Absent: the note stays; null or '' clears it. */
  note?: string | null;
}

/**
 * Triage of one anomaly (confirm, dismiss, reopen, annotate), the same for
 * every front end: the anomaly row and its hash-chained audit entry
 * (`anomaly.triaged`, with the status before and after) commit together, so
 * no decision exists without its audit record.
 *
 * @throws NotFoundError when there is no such anomaly
 */
export function recordTriage(store: CaseStore, id: number, decision: TriageDecision, actor: string): { anomaly: AnomalyRow; audit: AuditRow } {
  return store.transaction(() => {
    const before = store.triage.find(id);
    if (!before) throw new NotFoundError(`no anomaly #${id}`);
    const status = decision.status ?? before.status;
    const note = decision.note === undefined ? before.note : decision.note === '' ? null : decision.note;
    const anomaly = store.triage.setStatus(id, status, note, actor, store.now());
    const audit = store.audit.append({
      actor,
      action: 'anomaly.triaged',
      subject: `anomaly:${id}`,
      details: {
        window: before.windowId,
        analysis: before.analysisId,
        statusBefore: before.status,
        status,
        ...(decision.note !== undefined ? { note } : {}),
      },
    });
    return { anomaly, audit };
  });
}
