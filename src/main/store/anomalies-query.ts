import type { AnomalyView, StoredWindow, TriageStatus } from '../../shared/case-types';
import { anomalyFromRow, type RawAnomalyRow } from './triage-repo';
import type { Db } from './open-database';
import { windowFromRow, type WindowDbRow } from './window-row';

/** Which anomalies to list; every filter is optional. */
export interface AnomalyFilter {
  /** Stream key, exact. */
  stream?: string;
  status?: TriageStatus;
  /** Windows that overlap [from, to) in ms since the epoch; windows without times never match a time filter. */
  from?: number;
  to?: number;
  /** One analysis; default the current results (latest batch analysis per stream, and live analyses after it). */
  analysisId?: number;
  /** Anomalies with a larger id only (what is new since a known one). */
  afterId?: number;
}

export interface AnomalyPage {
  anomalies: AnomalyView[];
  /** Anomalies matching the filter, all pages. */
  total: number;
  /** Pass as `beforeId` for the next (older) page; null on the last page. */
  nextBeforeId: number | null;
}

interface RawView extends RawAnomalyRow {
  stream_key: string;
  window: number;
  first_event: number;
  last_event: number;
  start_time: number | null;
  end_time: number | null;
  score: number | null;
  p_value: number;
  q_value: number;
  ncd: number | null;
  excess_bits: number | null;
  explanation: string;
}

function viewFromRow(r: RawView): AnomalyView {
  return {
    ...anomalyFromRow(r),
    stream: r.stream_key,
    window: r.window,
    firstEvent: r.first_event,
    lastEvent: r.last_event,
    startTime: r.start_time,
    endTime: r.end_time,
    score: r.score,
    pValue: r.p_value,
    qValue: r.q_value,
    ncd: r.ncd,
    excessBits: r.excess_bits,
    explanation: r.explanation,
  };
}

const VIEW_COLUMNS = `a.*, s.key AS stream_key, w.window, w.first_event, w.last_event, w.start_time, w.end_time,
  w.score, w.p_value, w.q_value, w.ncd, w.excess_bits, w.explanation`;

/** Reads over anomalies for lists and APIs; works on the writer's connection or a read-only one. */
export class AnomaliesQuery {
  constructor(private readonly db: Db) {}

  private where(f: AnomalyFilter): { from: string; where: string; args: unknown[] } {
    const clauses: string[] = [];
    const args: unknown[] = [];
    let from = 'anomalies a JOIN windows w ON w.id = a.window_id JOIN streams s ON s.id = a.stream_id';
    if (f.analysisId !== undefined) {
      clauses.push('a.analysis_id = ?');
      args.push(f.analysisId);
    } else {
      from += ' JOIN current_analysis_streams c ON c.stream_id = a.stream_id AND c.analysis_id = a.analysis_id';
    }
    if (f.stream !== undefined) {
      clauses.push('s.key = ?');
      args.push(f.stream);
    }
    if (f.status !== undefined) {
      clauses.push('a.status = ?');
      args.push(f.status);
    }
    if (f.from !== undefined) {
      clauses.push('w.end_time > ?');
      args.push(f.from);
    }
    if (f.to !== undefined) {
      clauses.push('w.start_time < ?');
      args.push(f.to);
    }
    if (f.afterId !== undefined) {
      clauses.push('a.id > ?');
      args.push(f.afterId);
    }
    return { from, where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
  }

  /** Newest first, `limit` at a time; `beforeId` continues a listing (ids are stable, so pages never repeat or skip rows as anomalies are added). */
  page(filter: AnomalyFilter, limit: number, beforeId?: number): AnomalyPage {
    const q = this.where(filter);
    const total = (this.db.prepare(`SELECT count(*) AS n FROM ${q.from} ${q.where}`).get(...q.args) as { n: number }).n;
    const pageWhere = beforeId === undefined ? q.where : `${q.where ? `${q.where} AND` : 'WHERE'} a.id < ?`;
    const pageArgs = beforeId === undefined ? q.args : [...q.args, beforeId];
    const rows = this.db
      .prepare(`SELECT ${VIEW_COLUMNS} FROM ${q.from} ${pageWhere} ORDER BY a.id DESC LIMIT ?`)
      .all(...pageArgs, limit + 1) as RawView[];
    const more = rows.length > limit;
    const anomalies = rows.slice(0, limit).map(viewFromRow);
    return { anomalies, total, nextBeforeId: more ? anomalies[anomalies.length - 1]!.id : null };
  }

  /** Anomalies after `afterId` in id order (oldest first): what a live feed sends next. */
  since(filter: AnomalyFilter, afterId: number, limit: number): AnomalyView[] {
    const q = this.where({ ...filter, afterId });
    return (this.db.prepare(`SELECT ${VIEW_COLUMNS} FROM ${q.from} ${q.where} ORDER BY a.id LIMIT ?`).all(...q.args, limit) as RawView[]).map(viewFromRow);
  }

  /** The largest anomaly id in the case (0 when there is none). */
  lastId(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM anomalies').get() as { n: number }).n;
  }

  /** One anomaly and its full window, whether current or not. */
  get(id: number): { anomaly: AnomalyView; window: StoredWindow } | undefined {
    const row = this.db
      .prepare(`SELECT ${VIEW_COLUMNS} FROM anomalies a JOIN windows w ON w.id = a.window_id JOIN streams s ON s.id = a.stream_id WHERE a.id = ?`)
      .get(id) as RawView | undefined;
    if (!row) return undefined;
    const w = this.db.prepare('SELECT * FROM windows WHERE id = ?').get(row.window_id) as WindowDbRow;
    return {
      anomaly: viewFromRow(row),
      window: { id: w.id, analysisId: w.analysis_id, streamId: w.stream_id, result: windowFromRow(w, row.stream_key) },
    };
  }
}
