import { createHash } from 'node:crypto';
import { canonicalJson } from '../evidence/canonical-json';

/** The state changes a regulator would ask about. */
export type AuditAction =
  | 'source.import'
  | 'analysis.run'
  | 'anomaly.triage'
  | 'anomaly.note'
  | 'suppression.add'
  | 'suppression.remove'
  | 'evidence.export'
  | 'key.create'
  | 'key.import';

/** A JSON object (the details of an audit row). */
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** What a caller appends; the chain adds seq, prevHash and hash. */
export interface AuditEntry {
  /** When it happened, ISO 8601 UTC. */
  at: string;
  /** Who did it (the OS user, or the reporter named in a dialog). */
  actor: string;
  action: AuditAction;
  /**
   * What it concerns, as `kind:id` (`anomaly:12`, `analysis:3`, `source:2`,
   * `key:<fingerprint>`, `case`): an export selects rows by subject.
   */
  subject: string;
  details: JsonObject;
}

/** One row of the hash chain. */
export interface AuditRow extends AuditEntry {
  /** 1, 2, 3, … without gaps. */
  seq: number;
  /** hash of row seq − 1; GENESIS_HASH for row 1. */
  prevHash: string;
  /** SHA-256 (hex) of the RFC 8785 canonical JSON of every other field. */
  hash: string;
}

/** prevHash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The row's hash: SHA-256 over the canonical JSON (RFC 8785) of
 * {seq, at, actor, action, subject, details, prevHash}. Covering prevHash
 * makes each row commit to the whole history before it; covering seq stops
 * rows from being reordered.
 */
export function hashAuditRow(row: Omit<AuditRow, 'hash'>): string {
  const { seq, at, actor, action, subject, details, prevHash } = row;
  return createHash('sha256').update(canonicalJson({ seq, at, actor, action, subject, details, prevHash })).digest('hex');
}

/** The row that follows `prev` (or starts the chain when prev is undefined). */
export function nextAuditRow(prev: Pick<AuditRow, 'seq' | 'hash'> | undefined, entry: AuditEntry): AuditRow {
  const body = { ...entry, seq: prev ? prev.seq + 1 : 1, prevHash: prev ? prev.hash : GENESIS_HASH };
  return { ...body, hash: hashAuditRow(body) };
}

/** The first row where the chain does not hold, and why. */
export interface ChainBreak {
  seq: number;
  reason: string;
}

function rowProblem(row: AuditRow): string | undefined {
  let expected: string;
  try {
    expected = hashAuditRow(row);
  } catch (err) {
    return `its fields are not canonical JSON (${(err as Error).message})`;
  }
  return expected === row.hash ? undefined : `its hash does not match its contents (stored ${row.hash.slice(0, 12)}…, computed ${expected.slice(0, 12)}…): the row was altered`;
}

/**
 * Walks a whole chain in seq order and returns the first broken row:
 * a row whose contents do not match its hash (edited), whose prevHash is not
 * the previous row's hash (a row before it was edited or replaced), or a gap
 * in seq (rows deleted). Undefined when the chain is intact.
 */
export function findChainBreak(rows: Iterable<AuditRow>): ChainBreak | undefined {
  let prev: AuditRow | undefined;
  for (const row of rows) {
    const expectedSeq = prev ? prev.seq + 1 : 1;
    if (row.seq !== expectedSeq) {
      return { seq: row.seq, reason: prev ? `row ${row.seq} follows row ${prev.seq}: rows in between are missing` : `the chain starts at row ${row.seq}, not 1` };
    }
    const expectedPrev = prev ? prev.hash : GENESIS_HASH;
    if (row.prevHash !== expectedPrev) {
      return { seq: row.seq, reason: `its prevHash is not the hash of row ${row.seq - 1}: the chain was cut or rewritten here` };
    }
    const problem = rowProblem(row);
    if (problem) return { seq: row.seq, reason: problem };
    prev = row;
  }
  return undefined;
}

/**
 * Checks a slice of a chain (rows chosen by subject plus the head, so not
 * contiguous): every row matches its hash, rows with consecutive seq link,
 * seq only increases, and the last row is the expected head. Returns the
 * problems found, empty when the slice holds.
 */
export function checkAuditSlice(rows: readonly AuditRow[], head: { seq: number; hash: string }): string[] {
  const problems: string[] = [];
  let prev: AuditRow | undefined;
  for (const row of rows) {
    if (prev && row.seq <= prev.seq) problems.push(`row ${row.seq} comes after row ${prev.seq}: rows out of order or repeated`);
    if (prev && row.seq === prev.seq + 1 && row.prevHash !== prev.hash) problems.push(`row ${row.seq}: prevHash is not the hash of row ${prev.seq}`);
    if (row.seq === 1 && row.prevHash !== GENESIS_HASH) problems.push('row 1: prevHash is not the genesis hash');
    const problem = rowProblem(row);
    if (problem) problems.push(`row ${row.seq}: ${problem}`);
    prev = row;
  }
  if (!prev) problems.push('the slice is empty; it must end with the chain head');
  else if (prev.seq !== head.seq || prev.hash !== head.hash) {
    problems.push(`the last row is ${prev.seq} (${prev.hash.slice(0, 12)}…), the manifest names head ${head.seq} (${head.hash.slice(0, 12)}…)`);
  }
  return problems;
}
