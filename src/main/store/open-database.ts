import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './migrations';

/** A case file that cannot be opened: not SQLite, not ours, or too new. */
export class CaseFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'CaseFileError';
  }
}

export type Db = Database.Database;

function pragmaNumber(db: Db, name: string): number {
  return db.pragma(name, { simple: true }) as number;
}

/**
 * Bring the schema to SCHEMA_VERSION, one migration per transaction, so a
 * crash mid-upgrade leaves the file at the last complete version.
 */
export function migrate(db: Db, path: string): void {
  const from = pragmaNumber(db, 'user_version');
  if (from > SCHEMA_VERSION) {
    throw new CaseFileError(path, `case file has schema version ${from}; this build of Driftlock reads up to ${SCHEMA_VERSION}`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}

/**
 * The one writable connection to a case file: WAL (readers in worker threads
 * never block the writer), foreign keys on, synchronous NORMAL (in WAL a
 * crash loses at most the last commits, never consistency).
 *
 * @param create make a new case when the file does not exist
 */
export function openWritable(path: string, create: boolean): Db {
  const exists = existsSync(path);
  if (!exists && !create) throw new CaseFileError(path, 'no such case file');
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: !create });
  } catch (err) {
    throw new CaseFileError(path, (err as Error).message);
  }
  try {
    const appId = pragmaNumber(db, 'application_id');
    if (appId !== 0 && appId !== APPLICATION_ID) {
      throw new CaseFileError(path, `not a Driftlock case file (application_id 0x${appId.toString(16)})`);
    }
    if (appId === 0 && pragmaNumber(db, 'user_version') === 0) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
      if (tables.n > 0) throw new CaseFileError(path, 'not a Driftlock case file (an SQLite database with other tables)');
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 16 MiB of page cache: the pages being appended to stay hot; more buys
    // little and counts against the import's memory bound.
    db.pragma('cache_size = -16384');
    if (appId === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(db, path);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof CaseFileError) throw err;
    // "file is not a database" and friends.
    throw new CaseFileError(path, (err as Error).message);
  }
}

/**
 * A read-only connection for worker threads and readers. It never migrates:
 * the writer has already brought the file up to date.
 */
export function openReadOnly(path: string): Db {
  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new CaseFileError(path, (err as Error).message);
  }
  db.pragma('busy_timeout = 5000');
  // Readers stream events in order; a small cache is enough.
  db.pragma('cache_size = -4096');
  const version = pragmaNumber(db, 'user_version');
  if (version !== SCHEMA_VERSION) {
    db.close();
    throw new CaseFileError(path, `case file has schema version ${version}, expected ${SCHEMA_VERSION} (open it for writing first)`);
  }
  return db;
}
