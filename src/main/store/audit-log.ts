import { createHash } from 'node:crypto';
import type { AuditRow } from '../../shared/case-types';
import { canonicalJson } from '../../shared/canonical-json';
import type { Db } from './open-database';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  actor: string;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

/**
 * hash = SHA-256 (hex) over the canonical JSON (RFC 8785 key order) of
 * {id, ts, actor, action, subject, details, prevHash}: changing, inserting,
 * removing or reordering any entry breaks every hash after it.
 */
export function auditEntryHash(row: Omit<AuditRow, 'hash'>): string {
  const body = canonicalJson({
    id: row.id,
    ts: row.ts,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: row.details,
    prevHash: row.prevHash,
  });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

interface RawAuditRow {
  id: number;
  ts: number;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

function auditFromRow(r: RawAuditRow): AuditRow {
  return {
    id: r.id,
    ts: r.ts,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    details: JSON.parse(r.details) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export type AuditVerification = { ok: true; entries: number } | { ok: false; entries: number; firstBad: number; reason: string };

/** The append-only, hash-chained audit log (triggers refuse UPDATE and DELETE). */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  append(entry: AuditEntry): AuditRow {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
      const row: Omit<AuditRow, 'hash'> = {
        id: (last?.id ?? 0) + 1,
        ts: this.now(),
        actor: entry.actor,
        action: entry.action,
        subject: entry.subject ?? null,
        details: entry.details ?? {},
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const hash = auditEntryHash(row);
      this.db
        .prepare('INSERT INTO audit (id, ts, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(row.id, row.ts, row.actor, row.action, row.subject, canonicalJson(row.details), row.prevHash, hash);
      return { ...row, hash };
    })();
  }

  entries(fromId = 1, limit = 1000): AuditRow[] {
    return (
      this.db.prepare('SELECT * FROM audit WHERE id >= ? ORDER BY id LIMIT ?').all(fromId, limit) as RawAuditRow[]
    ).map(auditFromRow);
  }

  /** Entries about one subject (`anomaly:12`, `analysis:3`), oldest first. */
  forSubject(subject: string, limit = 1000): AuditRow[] {
    return (this.db.prepare('SELECT * FROM audit WHERE subject = ? ORDER BY id LIMIT ?').all(subject, limit) as RawAuditRow[]).map(auditFromRow);
  }

  /** The latest entry about one subject. */
  lastFor(subject: string): AuditRow | undefined {
    const row = this.db.prepare('SELECT * FROM audit WHERE subject = ? ORDER BY id DESC LIMIT 1').get(subject) as RawAuditRow | undefined;
    return row && auditFromRow(row);
  }

  /** Re-compute the chain from the first entry. */
  verify(): AuditVerification {
    let prev = GENESIS_HASH;
    let expectedId = 1;
    let count = 0;
    for (const raw of this.db.prepare('SELECT * FROM audit ORDER BY id').iterate() as IterableIterator<RawAuditRow>) {
      const row = auditFromRow(raw);
      count++;
      const bad = (reason: string): AuditVerification => ({ ok: false, entries: count, firstBad: row.id, reason });
      if (row.id !== expectedId) return bad(`entry ${expectedId} is missing`);
      if (row.prevHash !== prev) return bad('prev_hash does not match the previous entry');
      if (auditEntryHash(row) !== row.hash) return bad('hash does not match the entry');
      prev = row.hash;
      expectedId++;
    }
    return { ok: true, entries: count };
  }
}
