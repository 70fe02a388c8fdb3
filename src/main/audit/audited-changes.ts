// The triage and suppression changes a regulator would ask about, each made
// together with its audit row in one transaction: the change and its record
// commit together or not at all. The app and the CLI change triage state
// through these, never through the repositories directly.
import type { AnomalyRow, SuppressionRow, TriageStatus } from '../../shared/case-types';
import type { CaseStore } from '../store';
import type { NewSuppression } from '../store/triage-repo';
import { AUDIT_ACTIONS } from './audit-actions';

/**
 * Sets an anomaly's triage status (confirm, dismiss, reopen) and note.
 * A change of status is `anomaly.triaged`; a note alone is `anomaly.noted`.
 */
export function triageAnomaly(store: CaseStore, id: number, change: { status?: TriageStatus; note?: string | null }, actor: string): AnomalyRow {
  return store.transaction(() => {
    const before = store.triage.get(id);
    const status = change.status ?? before.status;
    const note = change.note !== undefined ? change.note : before.note;
    const after = store.triage.setStatus(id, status, note, actor, store.now());
    const statusChanged = status !== before.status;
    store.audit.append({
      actor,
      action: statusChanged ? AUDIT_ACTIONS.anomalyTriaged : AUDIT_ACTIONS.anomalyNoted,
      subject: `anomaly:${id}`,
      details: {
        ...(statusChanged ? { from: before.status, to: status } : { status }),
        note,
        window: before.windowId,
        analysis: before.analysisId,
      },
    });
    return after;
  });
}

/** Adds a suppression rule ("suppress similar"). */
export function addSuppression(store: CaseStore, rule: NewSuppression): SuppressionRow {
  return store.transaction(() => {
    const row = store.triage.addSuppression(rule, store.now());
    store.audit.append({
      actor: rule.createdBy,
      action: AUDIT_ACTIONS.suppressionAdded,
      subject: `suppression:${row.id}`,
      details: { kind: row.kind, pattern: row.pattern, stream: row.streamId, note: row.note },
    });
    return row;
  });
}

/** Turns a suppression rule on or off. */
export function setSuppressionActive(store: CaseStore, id: number, active: boolean, actor: string): void {
  store.transaction(() => {
    const rule = store.triage.suppressions().find((s) => s.id === id);
    if (!rule) throw new Error(`no suppression rule #${id}`);
    if (rule.active === active) return;
    store.triage.setSuppressionActive(id, active);
    store.audit.append({
      actor,
      action: active ? AUDIT_ACTIONS.suppressionEnabled : AUDIT_ACTIONS.suppressionDisabled,
      subject: `suppression:${id}`,
      details: { pattern: rule.pattern, stream: rule.streamId },
    });
  });
}
