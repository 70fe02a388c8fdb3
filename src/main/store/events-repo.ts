import type { EventRow, StreamRow } from '../../shared/case-types';
import type { Db } from './open-database';

/** An event on its way into the case (already redacted and canonicalised); seq is allocated here. */
export type NewEvent = Omit<EventRow, 'id' | 'streamId' | 'seq'> & { stream: string };

/** A stream's committed length after an append: events with seq < committed exist. */
export interface StreamCommit {
  streamId: number;
  key: string;
  committed: number;
}

interface StreamState {
  id: number;
  events: number;
  firstTs: number | null;
  lastTs: number | null;
}

interface RawEventRow {
  id: number;
  stream_id: number;
  seq: number;
  source_id: number | null;
  line: number | null;
  ts: number | null;
  canonical: string;
  original: string;
  fields: string | null;
}

interface RawStreamRow {
  id: number;
  key: string;
  events: number;
  first_ts: number | null;
  last_ts: number | null;
}

function streamFromRow(r: RawStreamRow): StreamRow {
  return { id: r.id, key: r.key, events: r.events, firstTs: r.first_ts, lastTs: r.last_ts };
}

function eventFromRow(r: RawEventRow): EventRow {
  return {
    id: r.id,
    streamId: r.stream_id,
    seq: r.seq,
    sourceId: r.source_id,
    line: r.line,
    timestamp: r.ts,
    canonical: r.canonical,
    original: r.original,
    fields: r.fields === null ? null : (JSON.parse(r.fields) as Record<string, unknown>),
  };
}

/**
 * Streams and their events. Sequence numbers are allocated here, by the one
 * writer, so every appender (file import, OTLP receiver) shares them. Call
 * `append` inside `CaseStore.transaction`: the stream counters, the
 * full-text index and the caller's own progress then commit together.
 */
export class EventsRepo {
  private readonly streams = new Map<string, StreamState>();
  private readonly insertEvent;
  private readonly insertStream;
  private readonly updateStream;
  private readonly indexRange;
  private readonly linkSource;
  private readonly selectStream;

  constructor(private readonly db: Db) {
    this.insertEvent = db.prepare(
      'INSERT INTO events (stream_id, seq, source_id, line, ts, canonical, original, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertStream = db.prepare<[string], { id: number }>('INSERT INTO streams (key) VALUES (?) RETURNING id');
    this.updateStream = db.prepare('UPDATE streams SET events = ?, first_ts = ?, last_ts = ? WHERE id = ?');
    this.indexRange = db.prepare('INSERT INTO events_fts (rowid, original) SELECT id, original FROM events WHERE id BETWEEN ? AND ?');
    this.linkSource = db.prepare('INSERT OR IGNORE INTO source_streams (source_id, stream_id) VALUES (?, ?)');
    this.selectStream = db.prepare<[string], { id: number; events: number; first_ts: number | null; last_ts: number | null }>(
      'SELECT id, events, first_ts, last_ts FROM streams WHERE key = ?',
    );
  }

  /** Forget cached counters (after a rolled-back transaction). */
  invalidate(): void {
    this.streams.clear();
  }

  private state(key: string): StreamState {
    let s = this.streams.get(key);
    if (s) return s;
    const row = this.selectStream.get(key);
    s = row
      ? { id: row.id, events: row.events, firstTs: row.first_ts, lastTs: row.last_ts }
      : { id: this.insertStream.get(key)!.id, events: 0, firstTs: null, lastTs: null };
    this.streams.set(key, s);
    return s;
  }

  /**
   * Append events in order; each gets the next seq of its stream. Must run
   * inside a transaction.
   *
   * @returns the streams touched, with their new committed length
   */
  append(events: readonly NewEvent[]): StreamCommit[] {
    if (!this.db.inTransaction) throw new Error('EventsRepo.append: call it inside CaseStore.transaction');
    if (events.length === 0) return [];
    const touched = new Map<string, StreamState>();
    const links = new Set<string>();
    let firstId = 0;
    let lastId = 0;
    for (const e of events) {
      const s = this.state(e.stream);
      touched.set(e.stream, s);
      const info = this.insertEvent.run(
        s.id,
        s.events,
        e.sourceId,
        e.line,
        e.timestamp,
        e.canonical,
        e.original,
        e.fields === null ? null : JSON.stringify(e.fields),
      );
      s.events++;
      if (e.timestamp !== null) {
        if (s.firstTs === null || e.timestamp < s.firstTs) s.firstTs = e.timestamp;
        if (s.lastTs === null || e.timestamp > s.lastTs) s.lastTs = e.timestamp;
      }
      const id = Number(info.lastInsertRowid);
      if (firstId === 0) firstId = id;
      lastId = id;
      if (e.sourceId !== null) links.add(`${e.sourceId}:${s.id}`);
    }
    this.indexRange.run(firstId, lastId);
    for (const link of links) {
      const [source, stream] = link.split(':');
      this.linkSource.run(Number(source), Number(stream));
    }
    const out: StreamCommit[] = [];
    for (const [key, s] of touched) {
      this.updateStream.run(s.events, s.firstTs, s.lastTs, s.id);
      out.push({ streamId: s.id, key, committed: s.events });
    }
    return out;
  }

  streamList(): StreamRow[] {
    return (this.db.prepare('SELECT * FROM streams ORDER BY id').all() as RawStreamRow[]).map(streamFromRow);
  }

  streamByKey(key: string): StreamRow | undefined {
    const row = this.db.prepare('SELECT * FROM streams WHERE key = ?').get(key) as RawStreamRow | undefined;
    return row && streamFromRow(row);
  }

  /** Events of a stream with from ≤ seq < to, in seq order. */
  range(streamId: number, from: number, to: number): EventRow[] {
    return (
      this.db
        .prepare('SELECT * FROM events WHERE stream_id = ? AND seq >= ? AND seq < ? ORDER BY seq')
        .all(streamId, from, to) as RawEventRow[]
    ).map(eventFromRow);
  }

  /**
   * Full-text search over the events' original (redacted) text, FTS5 query
   * syntax; best matches first.
   */
  search(query: string, limit = 100): EventRow[] {
    return (
      this.db
        .prepare(
          'SELECT e.* FROM events_fts f JOIN events e ON e.id = f.rowid WHERE events_fts MATCH ? ORDER BY f.rank LIMIT ?',
        )
        .all(query, limit) as RawEventRow[]
    ).map(eventFromRow);
  }
}
