import { LIVE_SOURCE_KINDS, type Compression, type SourceKind, type SourceProblem, type SourceRow } from '../../shared/case-types';
import type { RedactionCounts, RedactionPolicy } from '../../shared/redaction-policy';
import type { Db } from './open-database';

/** Problems kept per source; beyond this only the count grows (bounded case file). */
export const MAX_STORED_PROBLEMS = 10_000;

interface RawSourceRow {
  id: number;
  path: string;
  sha256: string;
  kind: SourceKind;
  compression: Compression;
  size: number;
  default_stream: string;
  started_at: number;
  imported_at: number | null;
  status: 'importing' | 'complete';
  lines_done: number;
  bytes_done: number;
  events: number;
  dropped: number;
  problems: number;
  redaction_policy: string;
  redaction_counts: string;
}

function sourceFromRow(r: RawSourceRow): SourceRow {
  return {
    id: r.id,
    path: r.path,
    sha256: r.sha256,
    kind: r.kind,
    compression: r.compression,
    size: r.size,
    defaultStream: r.default_stream,
    startedAt: r.started_at,
    importedAt: r.imported_at,
    status: r.status,
    linesDone: r.lines_done,
    bytesDone: r.bytes_done,
    events: r.events,
    dropped: r.dropped,
    problems: r.problems,
    redactionPolicy: JSON.parse(r.redaction_policy) as RedactionPolicy,
    redactionCounts: JSON.parse(r.redaction_counts) as RedactionCounts,
  };
}

export type NewSource = Pick<SourceRow, 'path' | 'sha256' | 'kind' | 'compression' | 'size' | 'defaultStream' | 'redactionPolicy'>;

/** What one committed batch adds to its source's progress. */
export interface SourceProgress {
  linesDone: number;
  bytesDone: number;
  eventsAdded: number;
  droppedAdded: number;
  problems: readonly Omit<SourceProblem, 'sourceId'>[];
  /** Running totals per rule (not increments). */
  redactionCounts: RedactionCounts;
}

/** Imported files: identity (sha256), progress for resuming, and what was redacted. */
export class SourcesRepo {
  private readonly progressStmt;
  private readonly problemStmt;
  private readonly storedProblems;

  constructor(private readonly db: Db) {
    this.progressStmt = db.prepare(
      `UPDATE sources SET lines_done = ?, bytes_done = ?, events = events + ?, dropped = dropped + ?,
         problems = problems + ?, redaction_counts = ? WHERE id = ?`,
    );
    this.problemStmt = db.prepare('INSERT INTO source_problems (source_id, line, reason) VALUES (?, ?, ?)');
    this.storedProblems = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM source_problems WHERE source_id = ?');
  }

  bySha256(sha256: string): SourceRow | undefined {
    const row = this.db.prepare('SELECT * FROM sources WHERE sha256 = ?').get(sha256) as RawSourceRow | undefined;
    return row && sourceFromRow(row);
  }

  get(id: number): SourceRow {
    const row = this.db.prepare('SELECT * FROM sources WHERE id = ?').get(id) as RawSourceRow | undefined;
    if (!row) throw new Error(`no source #${id}`);
    return sourceFromRow(row);
  }

  list(): SourceRow[] {
    return (this.db.prepare('SELECT * FROM sources ORDER BY id').all() as RawSourceRow[]).map(sourceFromRow);
  }

  create(s: NewSource, now: number): SourceRow {
    const { id } = this.db
      .prepare<unknown[], { id: number }>(
        `INSERT INTO sources (path, sha256, kind, compression, size, default_stream, started_at, status, redaction_policy)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'importing', ?) RETURNING id`,
      )
      .get(s.path, s.sha256, s.kind, s.compression, s.size, s.defaultStream, now, JSON.stringify(s.redactionPolicy))!;
    return this.get(id);
  }

  /** Record a committed batch; call in the same transaction as its events. */
  recordProgress(id: number, p: SourceProgress): void {
    this.progressStmt.run(p.linesDone, p.bytesDone, p.eventsAdded, p.droppedAdded, p.problems.length, JSON.stringify(p.redactionCounts), id);
    if (p.problems.length === 0) return;
    let room = MAX_STORED_PROBLEMS - this.storedProblems.get(id)!.n;
    for (const problem of p.problems) {
      if (room-- <= 0) break;
      this.problemStmt.run(id, problem.line, problem.reason);
    }
  }

  /**
   * The default stream for a file at `path`: the one an earlier import of
   * the same path used (a grown or rotated log continues its stream), else
   * a new name that no stream or source of the case uses yet.
   */
  defaultStreamFor(path: string, name: (taken: ReadonlySet<string>) => string): string {
    const previous = this.db.prepare('SELECT default_stream AS s FROM sources WHERE path = ? ORDER BY id DESC LIMIT 1').get(path) as
      | { s: string }
      | undefined;
    if (previous) return previous.s;
    const taken = this.db.prepare('SELECT key FROM streams UNION SELECT default_stream FROM sources').raw().all() as [string][];
    return name(new Set(taken.map((r) => r[0])));
  }

  /**
   * Live sources (driftlock serve) a dead process left `importing`: their
   * committed events are all there is, so they are complete.
   *
   * @returns how many were closed
   */
  closeInterruptedLive(now: number): number {
    return this.db
      .prepare(`UPDATE sources SET status = 'complete', imported_at = ? WHERE status = 'importing' AND kind IN (SELECT value FROM json_each(?))`)
      .run(now, JSON.stringify(LIVE_SOURCE_KINDS)).changes;
  }

  complete(id: number, now: number): void {
    this.db.prepare("UPDATE sources SET status = 'complete', imported_at = ? WHERE id = ?").run(now, id);
  }

  problems(id: number, limit = MAX_STORED_PROBLEMS): SourceProblem[] {
    return (
      this.db
        .prepare('SELECT source_id, line, reason FROM source_problems WHERE source_id = ? ORDER BY line, rowid LIMIT ?')
        .all(id, limit) as { source_id: number; line: number; reason: string }[]
    ).map((r) => ({ sourceId: r.source_id, line: r.line, reason: r.reason }));
  }

  /** Distinct redaction policies of the sources that fed these streams. */
  policiesForStreams(streamIds: readonly number[]): RedactionPolicy[] {
    if (streamIds.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT s.redaction_policy AS policy FROM sources s
         WHERE s.id IN (SELECT source_id FROM source_streams WHERE stream_id IN (SELECT value FROM json_each(?)))
         ORDER BY s.id`,
      )
      .all(JSON.stringify(streamIds)) as { policy: string }[];
    return [...new Set(rows.map((r) => r.policy))].map((p) => JSON.parse(p) as RedactionPolicy);
  }
}
