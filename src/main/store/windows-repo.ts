import type { WindowResult } from '../../core/types';
import type { StoredWindow } from '../../shared/case-types';
import type { Db } from './open-database';
import { WINDOW_COLUMNS, windowFromRow, windowParams, type WindowDbRow } from './window-row';

type Row = WindowDbRow & { stream_key: string };

function stored(r: Row): StoredWindow {
  return { id: r.id, analysisId: r.analysis_id, streamId: r.stream_id, result: windowFromRow(r, r.stream_key) };
}

export interface WindowQuery {
  analysisId?: number;
  streamId?: number;
  /** Only windows of each stream's latest complete analysis. */
  current?: boolean;
  anomaliesOnly?: boolean;
}

/** Window results: written provisionally while streams are analysed, then decided. */
export class WindowsRepo {
  private readonly insertStmt;
  private readonly decideStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO windows (${WINDOW_COLUMNS.join(', ')}) VALUES (${WINDOW_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.decideStmt = db.prepare('UPDATE windows SET q_value = ?, anomaly = ?, explanation = ? WHERE id = ?');
  }

  /** @returns the new rows' ids, in the order of `windows` */
  insert(analysisId: number, streamId: number, windows: readonly WindowResult[]): number[] {
    return this.db.transaction(() => windows.map((w) => Number(this.insertStmt.run(...windowParams(analysisId, streamId, w)).lastInsertRowid)))();
  }

  deleteForStream(analysisId: number, streamId: number): void {
    this.db.prepare('DELETE FROM windows WHERE analysis_id = ? AND stream_id = ?').run(analysisId, streamId);
  }

  /**
   * Ids and raw p-values of every window of an analysis, in id order, as
   * 16 bytes per window: the batch decision holds them all, and a row
   * object per window would cost several times that. Call inside a
   * transaction (the count and the rows must agree).
   */
  pValues(analysisId: number): { ids: Float64Array; pValues: Float64Array } {
    const { n } = this.db.prepare('SELECT count(*) AS n FROM windows WHERE analysis_id = ?').get(analysisId) as { n: number };
    const ids = new Float64Array(n);
    const pValues = new Float64Array(n);
    let i = 0;
    const rows = this.db.prepare('SELECT id, p_value FROM windows WHERE analysis_id = ? ORDER BY id').raw().iterate(analysisId);
    for (const [id, p] of rows as IterableIterator<[number, number]>) {
      if (i === n) throw new Error(`WindowsRepo.pValues: analysis ${analysisId} gained windows while being read`);
      ids[i] = id;
      pValues[i++] = p;
    }
    if (i !== n) throw new Error(`WindowsRepo.pValues: analysis ${analysisId} lost windows while being read`);
    return { ids, pValues };
  }

  /** Windows of an analysis with id > afterId, at most `limit`, in id order. */
  page(analysisId: number, afterId: number, limit: number): StoredWindow[] {
    return (
      this.db
        .prepare(
          `SELECT w.*, s.key AS stream_key FROM windows w JOIN streams s ON s.id = w.stream_id
           WHERE w.analysis_id = ? AND w.id > ? ORDER BY w.id LIMIT ?`,
        )
        .all(analysisId, afterId, limit) as Row[]
    ).map(stored);
  }

  applyDecision(id: number, qValue: number, anomaly: boolean, explanation: string): void {
    this.decideStmt.run(qValue, anomaly ? 1 : 0, explanation, id);
  }

  /** Windows in (stream key, window) order. */
  list(q: WindowQuery = {}): StoredWindow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.analysisId !== undefined) {
      where.push('w.analysis_id = ?');
      args.push(q.analysisId);
    }
    if (q.streamId !== undefined) {
      where.push('w.stream_id = ?');
      args.push(q.streamId);
    }
    if (q.anomaliesOnly) where.push('w.anomaly = 1');
    const table = q.current ? 'current_windows' : 'windows';
    const sql = `SELECT w.*, s.key AS stream_key FROM ${table} w JOIN streams s ON s.id = w.stream_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.key, w.analysis_id, w.window`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(stored);
  }
}
