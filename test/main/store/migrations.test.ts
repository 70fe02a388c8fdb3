// Schema migrations keyed on PRAGMA user_version: a case file written at
// version 1 (from the v1 DDL kept in the migration list) upgrades in place,
// and files that are not ours, or too new, are refused with a clear reason.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, CaseFileError, CaseStore, MIGRATIONS, SCHEMA_VERSION } from '../../../src/main/store';
import { useTempDir } from '../../helpers/temp-dir';

const tmp = useTempDir();

function writeV1Case(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(MIGRATIONS.find((m) => m.version === 1)!.sql);
  db.pragma('user_version = 1');
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.exec(`
    INSERT INTO sources (id, path, sha256, kind, compression, size, default_stream, started_at, imported_at, status, lines_done, events, redaction_policy)
      VALUES (1, '/logs/old.log', '${'a'.repeat(64)}', 'text', 'none', 100, 'old.log', 1, 2, 'complete', 3, 3, '{"name":"none","rules":[]}');
    INSERT INTO streams (id, key, events) VALUES (1, 'old.log', 3);
    INSERT INTO events (stream_id, seq, source_id, line, canonical, original) VALUES
      (1, 0, 1, 1, 'disk <NUM> ok', 'disk 7 ok'),
      (1, 1, 1, 2, 'kernel panic on cpu <NUM>', 'kernel panic on cpu 3'),
      (1, 2, 1, 3, 'disk <NUM> ok', 'disk 9 ok');
  `);
  db.close();
}

describe('migrations', () => {
  it('versions are consecutive from 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1));
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  });

  it('upgrades a version-1 case file and keeps its data', () => {
    const path = join(tmp(), 'v1.db');
    writeV1Case(path);
    const store = CaseStore.open(path);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(store.stats()).toEqual({ sources: 1, streams: 1, events: 3, windows: 0, anomalies: 0 });
      // The v2 full-text index was built over the events that were already there.
      expect(store.events.search('panic').map((e) => e.original)).toEqual(['kernel panic on cpu 3']);
      expect(store.events.search('disk').length).toBe(2);
      // New events continue the stream's sequence and are indexed too.
      store.transaction(() =>
        store.events.append([{ stream: 'old.log', sourceId: 1, line: 4, timestamp: null, canonical: 'x', original: 'panic again' }].map((e) => ({ ...e, fields: null }))),
      );
      expect(store.events.range(1, 3, 4)[0]!.seq).toBe(3);
      expect(store.events.search('panic').length).toBe(2);
    } finally {
      store.close();
    }
  });

  it('refuses a case file from a newer schema', () => {
    const path = join(tmp(), 'future.db');
    const db = new Database(path);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => CaseStore.open(path)).toThrow(CaseFileError);
    expect(() => CaseStore.open(path)).toThrow(new RegExp(`schema version ${SCHEMA_VERSION + 1}`));
  });

  it('refuses files that are not Driftlock cases', () => {
    const other = join(tmp(), 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => CaseStore.open(other)).toThrow(/not a Driftlock case file/);
    const text = join(tmp(), 'notes.txt');
    writeFileSync(text, 'this is not sqlite at all, just some text that is long enough to fill a header page........');
    expect(() => CaseStore.open(text)).toThrow(CaseFileError);
    expect(() => CaseStore.open(join(tmp(), 'missing.db'))).toThrow(/no such case file/);
  });
});
