import { existsSync } from 'node:fs';
import type { CaseStats } from '../../shared/case-types';
import { AnalysesRepo } from './analyses-repo';
import { AuditLog } from './audit-log';
import { caseStats } from './case-stats';
import { EventsRepo } from './events-repo';
import { CaseFileError, openWritable, type Db } from './open-database';
import { SettingsRepo } from './settings-repo';
import { SourcesRepo } from './sources-repo';
import { TriageRepo } from './triage-repo';
import { WindowsRepo } from './windows-repo';
import { acquireWriterLock } from './writer-lock';

export interface OpenCaseOptions {
  /** Create the case when the file does not exist (new case). */
  create?: boolean;
  /** Clock for stored times (tests pin it). */
  now?: () => number;
}

/**
 * A case: one SQLite file holding sources, events, analyses, results,
 * triage and the audit log. The store owns the only writable connection
 * to it (and a lock file keeps other processes from opening a second one);
 * workers read through `openReadOnly`.
 */
export class CaseStore {
  readonly settings: SettingsRepo;
  readonly sources: SourcesRepo;
  readonly events: EventsRepo;
  readonly analyses: AnalysesRepo;
  readonly windows: WindowsRepo;
  readonly triage: TriageRepo;
  readonly audit: AuditLog;
  /** Batch analyses a dead process left running, discarded when this store opened (live ones are kept, see discardOrphans). */
  readonly discardedAnalyses: number[];
  private closed = false;

  private constructor(
    readonly path: string,
    /** The connection, for repositories other services add; write only inside `transaction`. */
    readonly db: Db,
    readonly now: () => number,
    private readonly releaseLock: () => void,
  ) {
    this.settings = new SettingsRepo(db);
    this.sources = new SourcesRepo(db);
    this.events = new EventsRepo(db);
    this.analyses = new AnalysesRepo(db);
    this.windows = new WindowsRepo(db);
    this.triage = new TriageRepo(db);
    this.audit = new AuditLog(db, now);
    this.settings.initialise(now());
    this.discardedAnalyses = this.analyses.discardOrphans(now());
  }

  static open(path: string, options: OpenCaseOptions = {}): CaseStore {
    if (!options.create && !existsSync(path)) throw new CaseFileError(path, 'no such case file');
    const release = acquireWriterLock(path);
    try {
      const db = openWritable(path, options.create ?? false);
      return new CaseStore(path, db, options.now ?? Date.now, release);
    } catch (err) {
      release();
      throw err;
    }
  }

  /**
   * Run `fn` in one IMMEDIATE transaction. On failure it rolls back and the
   * cached stream counters are dropped, so they never run ahead of the file.
   */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (err) {
      this.events.invalidate();
      throw err;
    }
  }

  stats(): CaseStats {
    return caseStats(this.db);
  }

  /** Write a consistent copy of the case to `dest` (save as); this store stays on its file. */
  saveAs(dest: string): void {
    if (existsSync(dest)) throw new CaseFileError(dest, 'already exists');
    this.db.prepare('VACUUM INTO ?').run(dest);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
      this.releaseLock();
    }
  }
}
