// The part of a case's audit chain an evidence bundle carries, and how a
// verifier checks it without the case. The chain itself (append, full
// verification) is the store's: src/main/store/audit-log.ts.
import type { AuditRow } from '../../shared/case-types';
import { auditEntryHash, GENESIS_HASH } from '../store/audit-log';
import { AUDIT_ACTIONS } from './audit-actions';

/** What a slice must cover: the bundle's anomalies, analyses, sources and signing key. */
export interface SliceSubjects {
  anomalyIds: readonly number[];
  analysisIds: readonly number[];
  sourceIds: readonly number[];
  keyFingerprint: string;
}

/**
 * The rows of `rows` (the whole chain in id order) that concern these
 * subjects, as the case stood at `asOf` (ms): rows after it are left out,
 * and the slice ends with the chain head at that time. Export rows are not
 * case state and neither join the slice nor count as its head, so exporting
 * the same anomalies twice at the same creation time gives the same slice.
 */
export function selectAuditSlice(rows: Iterable<AuditRow>, subjects: SliceSubjects, asOf: number): AuditRow[] {
  const wanted = new Set([
    ...subjects.anomalyIds.map((id) => `anomaly:${id}`),
    ...subjects.analysisIds.map((id) => `analysis:${id}`),
    ...subjects.sourceIds.map((id) => `source:${id}`),
    `key:${subjects.keyFingerprint}`,
  ]);
  const out: AuditRow[] = [];
  let head: AuditRow | undefined;
  for (const row of rows) {
    if (row.ts > asOf) break;
    if (row.action === AUDIT_ACTIONS.evidenceExported) continue;
    head = row;
    // Suppression rules are case-wide: any of them may have hidden or reopened these anomalies.
    if ((row.subject !== null && wanted.has(row.subject)) || row.action.startsWith('suppression.')) out.push(row);
  }
  if (head && out[out.length - 1] !== head) out.push(head);
  return out;
}

/**
 * Checks a slice (rows chosen by subject plus the head, so not contiguous):
 * every row matches its hash, rows with consecutive ids link, ids only
 * increase, and the last row is the expected head. Returns the problems
 * found, empty when the slice holds.
 */
export function checkAuditSlice(rows: readonly AuditRow[], head: { id: number; hash: string }): string[] {
  const problems: string[] = [];
  let prev: AuditRow | undefined;
  for (const row of rows) {
    if (prev && row.id <= prev.id) problems.push(`row ${row.id} comes after row ${prev.id}: rows out of order or repeated`);
    if (prev && row.id === prev.id + 1 && row.prevHash !== prev.hash) problems.push(`row ${row.id}: prevHash is not the hash of row ${prev.id}`);
    if (row.id === 1 && row.prevHash !== GENESIS_HASH) problems.push('row 1: prevHash is not the genesis hash');
    let expected: string | undefined;
    try {
      expected = auditEntryHash(row);
    } catch (err) {
      problems.push(`row ${row.id}: its fields are not canonical JSON (${(err as Error).message})`);
    }
    if (expected !== undefined && expected !== row.hash) {
      problems.push(`row ${row.id}: its hash does not match its contents (stored ${row.hash.slice(0, 12)}…, computed ${expected.slice(0, 12)}…): the row was altered`);
    }
    prev = row;
  }
  if (!prev) problems.push('the slice is empty; it must end with the chain head');
  else if (prev.id !== head.id || prev.hash !== head.hash) {
    problems.push(`the last row is ${prev.id} (${prev.hash.slice(0, 12)}…), the manifest names head ${head.id} (${head.hash.slice(0, 12)}…)`);
  }
  return problems;
}
