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
  /** The append that last touched the stream (to list each touched stream once without a Map write per event). */
  appended: number;
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

const EVENT_COLUMNS = '(stream_id, seq, source_id, line, ts, canonical, original, fields)';
const EVENT_VALUES = '(?, ?, ?, ?, ?, ?, ?, ?)';
const EVENT_FIELDS = 8;
/**
 * Events per INSERT statement: one statement per row spends much of an
 * append in the per-call work of the driver (bind, step, reset, result);
 * 32 rows (256 values) per call is measured ~20 % cheaper, the rows and
 * their ids the same.
 */
const ROWS_PER_INSERT = 32;

/** Settings key of the full-text index's watermark: events with id ≤ it are indexed. */
export const FTS_WATERMARK_KEY = 'fts.indexed_through';

/**
 * Streams and their events. Sequence numbers are allocated here, by the one
 * writer, so every appender (file import, OTLP receiver) shares them. Call
 * `append` inside `CaseStore.transaction`: the stream counters, the
 * full-text index and the caller's own progress then commit together.
 *
 * The full-text index follows the events up to a watermark kept in the same
 * transactions. An appender that answers clients while it writes (the OTLP
 * receiver) may defer indexing (`append(…, { index: false })`) and index
 * when it is idle (`indexPending`): indexing is about half the cost of an
 * append. Events above the watermark are stored, only not yet searchable;
 * the next indexing append, or `indexPending`, catches up.
 */
export class EventsRepo {
  private readonly streams = new Map<string, StreamState>();
  private readonly insertEvent;
  private readonly insertEvents;
  /** Bound values of one multi-row insert. */
  private readonly rowValues = new Array<unknown>(ROWS_PER_INSERT * EVENT_FIELDS).fill(null);
  private readonly insertStream;
  private readonly updateStream;
  private readonly indexRange;
  private readonly getWatermark;
  private readonly setWatermark;
  private readonly maxId;
  /** Appends so far (numbers StreamState.appended). */
  private appends = 0;
  /** Cached watermark (undefined: read it from the settings row). */
  private watermark: number | undefined;
  private readonly linkSource;
  private readonly selectStream;

  constructor(private readonly db: Db) {
    this.insertEvent = db.prepare(`INSERT INTO events ${EVENT_COLUMNS} VALUES ${EVENT_VALUES}`);
    this.insertEvents = db.prepare(`INSERT INTO events ${EVENT_COLUMNS} VALUES ${Array<string>(ROWS_PER_INSERT).fill(EVENT_VALUES).join(', ')}`);
    this.insertStream = db.prepare<[string], { id: number }>('INSERT INTO streams (key) VALUES (?) RETURNING id');
    this.updateStream = db.prepare('UPDATE streams SET events = ?, first_ts = ?, last_ts = ? WHERE id = ?');
    this.indexRange = db.prepare('INSERT INTO events_fts (rowid, original) SELECT id, original FROM events WHERE id BETWEEN ? AND ?');
    this.getWatermark = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.setWatermark = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.maxId = db.prepare<[], { n: number }>('SELECT COALESCE(MAX(id), 0) AS n FROM events');
    this.linkSource = db.prepare('INSERT OR IGNORE INTO source_streams (source_id, stream_id) VALUES (?, ?)');
    this.selectStream = db.prepare<[string], { id: number; events: number; first_ts: number | null; last_ts: number | null }>(
      'SELECT id, events, first_ts, last_ts FROM streams WHERE key = ?',
    );
  }

  /** Forget cached counters (after a rolled-back transaction). */
  invalidate(): void {
    this.streams.clear();
    this.watermark = undefined;
  }

  private indexedThrough(): number {
    this.watermark ??= Number(this.getWatermark.get(FTS_WATERMARK_KEY)?.value ?? 0);
    return this.watermark;
  }

  /** Events stored but not yet in the full-text index. */
  get unindexed(): number {
    return Math.max(0, this.maxId.get()!.n - this.indexedThrough());
  }

  /**
   * Adds events above the watermark to the full-text index, at most `limit`
   * of them. Must run inside a transaction.
   *
   * @returns how many were indexed
   */
  indexPending(limit = Infinity): number {
    if (!this.db.inTransaction) throw new Error('EventsRepo.indexPending: call it inside CaseStore.transaction');
    const from = this.indexedThrough() + 1;
    const to = Math.min(this.maxId.get()!.n, from - 1 + limit);
    if (to < from) return 0;
    this.indexRange.run(from, to);
    this.setWatermark.run(FTS_WATERMARK_KEY, String(to));
    this.watermark = to;
    return to - from + 1;
  }

  private state(key: string): StreamState {
    let s = this.streams.get(key);
    if (s) return s;
    const row = this.selectStream.get(key);
    s = row
      ? { id: row.id, appended: 0, events: row.events, firstTs: row.first_ts, lastTs: row.last_ts }
      : { id: this.insertStream.get(key)!.id, appended: 0, events: 0, firstTs: null, lastTs: null };
    this.streams.set(key, s);
    return s;
  }

  /**
   * Append events in order; each gets the next seq of its stream. Must run
   * inside a transaction. `events` may be produced as they are stored (a
   * generator): then only the rows of one insert statement are alive at a
   * time, not the whole batch.
   *
   * @param options.index false: leave the full-text index to a later
   *   `indexPending` (default true: index these and any pending events now)
   * @returns the streams touched, with their new committed length
   */
  append(events: Iterable<NewEvent>, options: { index?: boolean } = {}): StreamCommit[] {
    if (!this.db.inTransaction) throw new Error('EventsRepo.append: call it inside CaseStore.transaction');
    const touched: [string, StreamState][] = [];
    const append = ++this.appends;
    const links = new Map<number, Set<number>>();
    const values = this.rowValues;
    let pending = 0;
    for (const e of events) {
      const s = this.state(e.stream);
      if (s.appended !== append) {
        s.appended = append;
        touched.push([e.stream, s]);
      }
      let v = pending * EVENT_FIELDS;
      values[v++] = s.id;
      values[v++] = s.events;
      values[v++] = e.sourceId;
      values[v++] = e.line;
      values[v++] = e.timestamp;
      values[v++] = e.canonical;
      values[v++] = e.original;
      values[v] = e.fields === null ? null : JSON.stringify(e.fields);
      if (++pending === ROWS_PER_INSERT) {
        this.insertEvents.run(values);
        pending = 0;
      }
      s.events++;
      if (e.timestamp !== null) {
        if (s.firstTs === null || e.timestamp < s.firstTs) s.firstTs = e.timestamp;
        if (s.lastTs === null || e.timestamp > s.lastTs) s.lastTs = e.timestamp;
      }
      if (e.sourceId !== null) {
        let streams = links.get(e.sourceId);
        if (!streams) links.set(e.sourceId, (streams = new Set()));
        streams.add(s.id);
      }
    }
    // The last rows one by one, in order: ids follow the events' order either way.
    for (let r = 0; r < pending; r++) {
      const v = r * EVENT_FIELDS;
      this.insertEvent.run(values[v], values[v + 1], values[v + 2], values[v + 3], values[v + 4], values[v + 5], values[v + 6], values[v + 7]);
    }
    values.fill(null);
    if (touched.length === 0) return [];
    if (options.index ?? true) this.indexPending();
    for (const [source, streams] of links) for (const stream of streams) this.linkSource.run(source, stream);
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
