import Database from 'better-sqlite3';
import { canonicalize } from '../../core';
import type { EventSink, ReceivedEvent } from './event-sink';
import type { Receiver } from './otlp-receiver';
import type { RestBackend, Route } from './rest-api';

/** What `driftlock serve` runs on: the sink for received events and the REST backend, from the case file. */
export interface ServeServices {
  sink: EventSink;
  backend: RestBackend;
  routes: Route[];
  /** Wires anything that needs the running receiver (metrics gauges, live analysis). */
  attach?(receiver: Receiver): void;
  /** Called after the receiver has drained: stop analysis, close the case file. */
  close(): Promise<void>;
}

/**
 * INTERIM, until the case store (issue 4, src/main/store) is merged: events
 * go to `streams`/`events` tables with the store's column layout, one
 * transaction per queue batch, WAL with synchronous=NORMAL (the store's
 * setting). Replaced by a sink over CaseStore when the store lands; nothing
 * else in serve changes.
 */
class InterimSqliteSink implements EventSink {
  private readonly db: Database.Database;
  private readonly streamIds = new Map<string, { id: number; events: number }>();
  private readonly write: (events: readonly ReceivedEvent[]) => void;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS streams (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, events INTEGER NOT NULL DEFAULT 0) STRICT;
      CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY, stream_id INTEGER NOT NULL REFERENCES streams(id), seq INTEGER NOT NULL,
        ts INTEGER, canonical TEXT NOT NULL, original TEXT NOT NULL, fields TEXT, UNIQUE (stream_id, seq)) STRICT;`);
    const insert = this.db.prepare('INSERT INTO events (stream_id, seq, ts, canonical, original, fields) VALUES (?, ?, ?, ?, ?, ?)');
    const selectStream = this.db.prepare<[string], { id: number; events: number }>('SELECT id, events FROM streams WHERE key = ?');
    const insertStream = this.db.prepare<[string], { id: number }>('INSERT INTO streams (key) VALUES (?) RETURNING id');
    const updateStream = this.db.prepare('UPDATE streams SET events = ? WHERE id = ?');
    this.write = this.db.transaction((events: readonly ReceivedEvent[]) => {
      const touched = new Set<{ id: number; events: number }>();
      for (const e of events) {
        let s = this.streamIds.get(e.stream);
        if (!s) {
          s = selectStream.get(e.stream) ?? { id: insertStream.get(e.stream)!.id, events: 0 };
          this.streamIds.set(e.stream, s);
        }
        insert.run(s.id, s.events++, Math.trunc(e.timestamp), canonicalize(e.text), e.text, JSON.stringify(e.fields));
        touched.add(s);
      }
      for (const s of touched) updateStream.run(s.events, s.id);
    });
  }

  async append(events: readonly ReceivedEvent[]): Promise<void> {
    try {
      this.write(events);
    } catch (err) {
      this.streamIds.clear();
      throw err;
    }
  }

  async close(): Promise<void> {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}

export async function openServeServices(opts: { db: string; version?: string }): Promise<ServeServices> {
  const sink = new InterimSqliteSink(opts.db);
  return {
    sink,
    backend: { version: opts.version ?? '0.0.0', readiness: () => ({ ready: true, store: true, workers: false, reason: 'live analysis needs the case store (issue 4)' }) },
    routes: [],
    close: () => sink.close(),
  };
}
