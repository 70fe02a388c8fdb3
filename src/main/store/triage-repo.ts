import type { AnomalyRow, SuppressionRow, TriageStatus } from '../../shared/case-types';
import { NotFoundError } from './not-found';
import type { Db } from './open-database';

/** The `anomalies` table row (snake_case columns). */
export interface RawAnomalyRow {
  id: number;
  window_id: number;
  analysis_id: number;
  stream_id: number;
  status: TriageStatus;
  note: string | null;
  triaged_by: string | null;
  triaged_at: number | null;
}

export function anomalyFromRow(r: RawAnomalyRow): AnomalyRow {
  return {
    id: r.id,
    windowId: r.window_id,
    analysisId: r.analysis_id,
    streamId: r.stream_id,
    status: r.status,
    note: r.note,
    triagedBy: r.triaged_by,
    triagedAt: r.triaged_at,
  };
}

export interface NewSuppression {
  createdBy: string;
  streamId: number | null;
  kind?: string;
  pattern: string;
  note?: string | null;
}

/** Flagged windows with their triage state, and suppression rules. */
export class TriageRepo {
  private readonly openStmt;

  constructor(private readonly db: Db) {
    this.openStmt = db.prepare('INSERT OR IGNORE INTO anomalies (window_id, analysis_id, stream_id) VALUES (?, ?, ?)');
  }

  /** Record a flagged window as an open anomaly (idempotent). */
  open(windowId: number, analysisId: number, streamId: number): void {
    this.openStmt.run(windowId, analysisId, streamId);
  }

  get(id: number): AnomalyRow {
    const row = this.find(id);
    if (!row) throw new NotFoundError(`no anomaly #${id}`);
    return row;
  }

  find(id: number): AnomalyRow | undefined {
    const row = this.db.prepare('SELECT * FROM anomalies WHERE id = ?').get(id) as RawAnomalyRow | undefined;
    return row && anomalyFromRow(row);
  }

  /** Anomalies of each stream's current analyses (see current_analysis_streams), or of one analysis. */
  list(analysisId?: number): AnomalyRow[] {
    const rows =
      analysisId === undefined
        ? this.db
            .prepare(
              `SELECT a.* FROM anomalies a JOIN current_analysis_streams c
               ON c.stream_id = a.stream_id AND c.analysis_id = a.analysis_id ORDER BY a.id`,
            )
            .all()
        : this.db.prepare('SELECT * FROM anomalies WHERE analysis_id = ? ORDER BY id').all(analysisId);
    return (rows as RawAnomalyRow[]).map(anomalyFromRow);
  }

  setStatus(id: number, status: TriageStatus, note: string | null, who: string, now: number): AnomalyRow {
    const info = this.db
      .prepare('UPDATE anomalies SET status = ?, note = ?, triaged_by = ?, triaged_at = ? WHERE id = ?')
      .run(status, note, who, now, id);
    if (info.changes === 0) throw new NotFoundError(`no anomaly #${id}`);
    return this.get(id);
  }

  addSuppression(s: NewSuppression, now: number): SuppressionRow {
    const { id } = this.db
      .prepare<unknown[], { id: number }>(
        'INSERT INTO suppressions (created_at, created_by, stream_id, kind, pattern, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      )
      .get(now, s.createdBy, s.streamId, s.kind ?? 'canonical-regex', s.pattern, s.note ?? null)!;
    return this.suppressions().find((x) => x.id === id)!;
  }

  setSuppressionActive(id: number, active: boolean): void {
    this.db.prepare('UPDATE suppressions SET active = ? WHERE id = ?').run(active ? 1 : 0, id);
  }

  suppressions(): SuppressionRow[] {
    return (
      this.db.prepare('SELECT * FROM suppressions ORDER BY id').all() as {
        id: number;
        created_at: number;
        created_by: string;
        stream_id: number | null;
        kind: string;
        pattern: string;
        note: string | null;
        active: number;
      }[]
    ).map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      createdBy: r.created_by,
      streamId: r.stream_id,
      kind: r.kind,
      pattern: r.pattern,
      note: r.note,
      active: r.active === 1,
    }));
  }
}
