import type { AnalysisParams, CompressorPin } from '../../core/types';
import type { AnalysisMode, AnalysisRow, AnalysisStatus, AnalysisStreamRow } from '../../shared/case-types';
import type { StreamJobSummary } from '../../shared/analysis-messages';
import type { RedactionPolicy } from '../../shared/redaction-policy';
import type { Db } from './open-database';

interface RawAnalysisRow {
  id: number;
  created_at: number;
  completed_at: number | null;
  status: AnalysisStatus;
  params: string;
  compressor_pin: string;
  seed: number;
  profile: string;
  redaction_policies: string;
  app_version: string;
  error: string | null;
  mode: AnalysisMode;
  decide_ms: number | null;
}

function analysisFromRow(r: RawAnalysisRow): AnalysisRow {
  return {
    id: r.id,
    createdAt: r.created_at,
    completedAt: r.completed_at,
    status: r.status,
    params: JSON.parse(r.params) as AnalysisParams,
    compressorPin: JSON.parse(r.compressor_pin) as CompressorPin,
    seed: r.seed,
    redactionPolicies: JSON.parse(r.redaction_policies) as RedactionPolicy[],
    appVersion: r.app_version,
    error: r.error,
    mode: r.mode,
    decideMs: r.decide_ms,
  };
}

/** Analysis runs and the streams each one covers. */
export class AnalysesRepo {
  constructor(private readonly db: Db) {}

  /**
   * @param live for an analysis of data as it arrives (driftlock serve),
   *   whose windows are stored only once decided: its decision period
   */
  create(params: AnalysisParams, pin: CompressorPin, appVersion: string, now: number, live?: { decideMs: number }): number {
    return this.db
      .prepare<unknown[], { id: number }>(
        `INSERT INTO analyses (created_at, status, params, compressor_pin, seed, profile, app_version, mode, decide_ms)
         VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(now, JSON.stringify(params), JSON.stringify(pin), params.seed, params.profile, appVersion, live ? 'live' : 'batch', live?.decideMs ?? null)!.id;
  }

  get(id: number): AnalysisRow {
    const row = this.db.prepare('SELECT * FROM analyses WHERE id = ?').get(id) as RawAnalysisRow | undefined;
    if (!row) throw new Error(`no analysis #${id}`);
    return analysisFromRow(row);
  }

  list(): AnalysisRow[] {
    return (this.db.prepare('SELECT * FROM analyses ORDER BY id').all() as RawAnalysisRow[]).map(analysisFromRow);
  }

  addStream(analysisId: number, streamId: number): void {
    this.db
      .prepare("INSERT OR IGNORE INTO analysis_streams (analysis_id, stream_id, status) VALUES (?, ?, 'running')")
      .run(analysisId, streamId);
  }

  finishStream(analysisId: number, streamId: number, s: StreamJobSummary): void {
    this.db
      .prepare(
        `UPDATE analysis_streams SET status = 'complete', events = ?, windows = ?, skipped_windows = ?, note = ?
         WHERE analysis_id = ? AND stream_id = ?`,
      )
      .run(s.events, s.windows, s.skippedWindows, s.note, analysisId, streamId);
  }

  failStream(analysisId: number, streamId: number, note: string): void {
    this.db
      .prepare("UPDATE analysis_streams SET status = 'failed', note = ? WHERE analysis_id = ? AND stream_id = ?")
      .run(note, analysisId, streamId);
  }

  streams(analysisId: number): AnalysisStreamRow[] {
    return (
      this.db.prepare('SELECT * FROM analysis_streams WHERE analysis_id = ? ORDER BY stream_id').all(analysisId) as {
        analysis_id: number;
        stream_id: number;
        status: AnalysisStreamRow['status'];
        events: number;
        windows: number;
        skipped_windows: number;
        note: string | null;
      }[]
    ).map((r) => ({
      analysisId: r.analysis_id,
      streamId: r.stream_id,
      status: r.status,
      events: r.events,
      windows: r.windows,
      skippedWindows: r.skipped_windows,
      note: r.note,
    }));
  }

  complete(id: number, policies: RedactionPolicy[], now: number): void {
    this.db
      .prepare("UPDATE analyses SET status = 'complete', completed_at = ?, redaction_policies = ? WHERE id = ?")
      .run(now, JSON.stringify(policies), id);
  }

  /** A note on an analysis that completed with a problem (a live stream that could not be followed to its end). */
  setError(id: number, error: string): void {
    this.db.prepare('UPDATE analyses SET error = ? WHERE id = ?').run(error, id);
  }

  end(id: number, status: 'failed' | 'cancelled', error: string, now: number): void {
    this.db.prepare('UPDATE analyses SET status = ?, completed_at = ?, error = ? WHERE id = ?').run(status, now, error, id);
  }

  /**
   * Analyses left `running` by a process that died. Only the one writer
   * starts analyses, so at open time every running one is orphaned. A batch
   * analysis's windows are provisional: it is deleted (the streams are
   * analysed again). A live analysis stores only decided windows: it is
   * closed as complete with a note, keeping its findings and their triage;
   * its streams stay `running`, so they count as needing analysis.
   *
   * @returns the ids of the batch analyses discarded
   */
  discardOrphans(now: number): number[] {
    const orphans = this.db.prepare("SELECT id, mode FROM analyses WHERE status = 'running'").all() as { id: number; mode: AnalysisMode }[];
    const del = this.db.prepare('DELETE FROM analyses WHERE id = ?');
    const close = this.db.prepare("UPDATE analyses SET status = 'complete', completed_at = ?, error = ? WHERE id = ?");
    const discarded: number[] = [];
    for (const { id, mode } of orphans) {
      if (mode === 'live') {
        close.run(now, 'interrupted: the serving process ended without shutting down; windows decided before then are kept, open windows were not scored', id);
      } else {
        del.run(id);
        discarded.push(id);
      }
    }
    return discarded;
  }

  /**
   * Streams with events that no complete analysis has seen: new streams, and
   * streams that grew or whose analysis was interrupted.
   */
  streamsNeedingAnalysis(): { id: number; key: string; events: number }[] {
    return this.db
      .prepare(
        `SELECT s.id, s.key, s.events FROM streams s
         WHERE s.events > COALESCE((
           SELECT MAX(x.events) FROM analysis_streams x JOIN analyses a ON a.id = x.analysis_id
           WHERE x.stream_id = s.id AND a.status = 'complete' AND x.status = 'complete'), 0)
         ORDER BY s.id`,
      )
      .all() as { id: number; key: string; events: number }[];
  }
}
