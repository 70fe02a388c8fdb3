import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { noteFor, StreamAnalyzer, type AnalysisParams, type WindowResult } from '../../core';
import type { AnalysisReply, LiveJob, LiveStream, LiveStreamSummary } from '../../shared/analysis-messages';
import { caseConnection, threadCompressor } from './worker-resources';

/** Events read per query: bounded memory, and a turn for the other streams and for messages. */
const READ_BATCH = 4096;
/** While reading a backlog, how often the main thread hears how far each stream is read (the lag gauge). */
const PROGRESS_EVERY_MS = 250;

interface Followed {
  stream: LiveStream;
  analyzer: StreamAnalyzer;
  /** Next seq to read. */
  next: number;
  /** Time given to events without one: the stream's last time (a live stream's windows are cut by time). */
  lastTs: number | undefined;
  /** Events skipped for want of any earlier time. */
  untimed: number;
  /** Events whose time was too far in the future. */
  future: number;
  pending: WindowResult[];
  reported: number;
}

/**
 * A time this far past the wall clock is a broken clock, not data: the event
 * counts at its predecessor's time, as a time that steps backwards does.
 * Otherwise one such event would hold its stream's window open, and its
 * analysis stalled, until that time came.
 */
const MAX_FUTURE_MS = 10 * 60_000;

/** Niceness of a live analysis thread: below the receiver's, so a burst of data is stored first and analysed after. */
const LIVE_NICE = 10;

/**
 * Lowers this thread's scheduling priority (Linux: a thread id is a pid for
 * setpriority, found through /proc/thread-self); elsewhere it does nothing.
 * Ingest answers clients waiting on it; analysis may lag, and says so in
 * the lag gauge.
 */
function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, LIVE_NICE);
  } catch {
    // Not Linux, or not allowed: the thread keeps its priority.
  }
}

/**
 * The worker side of a live analysis: follows many streams of a case file
 * at once (a live session has many, and the pool few threads), reading each
 * as its events are committed, in turns of at most READ_BATCH events, and
 * reports each window as soon as a later event closes it (undecided; the
 * main thread decides them). Memory per stream is the analyzer's: baseline,
 * open windows, and the events of the current time window.
 */
export class LiveJobRunner {
  private readonly streams = new Map<number, Followed>();
  private finishing: boolean;
  private wake: (() => void) | undefined;

  constructor(
    readonly seq: number,
    private readonly job: LiveJob,
    private readonly post: (reply: AnalysisReply) => void,
  ) {
    this.finishing = job.finish;
    this.extend(job.streams);
  }

  /** New streams to follow, or streams with more committed events (never fewer). */
  extend(streams: readonly LiveStream[]): void {
    for (const s of streams) {
      const f = this.streams.get(s.streamId);
      if (f) f.stream.committed = Math.max(f.stream.committed, s.committed);
      else this.streams.set(s.streamId, this.follow({ ...s }, this.job.params));
    }
    this.wake?.();
  }

  finish(): void {
    this.finishing = true;
    this.wake?.();
  }

  private follow(stream: LiveStream, params: AnalysisParams): Followed {
    const pending: WindowResult[] = [];
    const analyzer = new StreamAnalyzer(stream.streamKey, params, threadCompressor(params.compressor), (w) => {
      // Windows wholly before emitFrom were scored by an earlier session.
      if (w.lastEvent >= stream.emitFrom) f.pending.push(w);
    });
    const f: Followed = { stream, analyzer, next: stream.from, lastTs: undefined, untimed: 0, future: 0, pending, reported: 0 };
    return f;
  }

  async run(): Promise<void> {
    try {
      lowerThreadPriority();
      this.post({ type: 'live-started', seq: this.seq });
      await this.loop();
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.post({ type: 'error', seq: this.seq, error: { name: e.name, message: `live analysis: ${e.message}` } });
    }
  }

  private async loop(): Promise<void> {
    const db = caseConnection(this.job.dbPath);
    const read = db.prepare('SELECT seq, ts, canonical FROM events WHERE stream_id = ? AND seq >= ? AND seq < ? ORDER BY seq LIMIT ?').raw();
    let lastProgress = performance.now();
    const progress = (): void => {
      lastProgress = performance.now();
      this.post({ type: 'live-progress', seq: this.seq, streams: [...this.streams.values()].map((f) => ({ streamId: f.stream.streamId, analysed: f.next })) });
    };
    for (;;) {
      let busy = false;
      for (const f of this.streams.values()) {
        if (f.next >= f.stream.committed) continue;
        busy = true;
        this.readTurn(f, read.all(f.stream.streamId, f.next, f.stream.committed, READ_BATCH) as [number, number | null, string][]);
      }
      if (busy) {
        if (performance.now() - lastProgress >= PROGRESS_EVERY_MS) progress();
        // Let follow-up messages in between turns.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      progress();
      if (this.finishing) break;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    const summaries: LiveStreamSummary[] = [];
    for (const f of this.streams.values()) {
      f.analyzer.finish();
      this.flush(f);
      const notes = [
        f.untimed > 0 ? `${f.untimed} event(s) before the stream's first timestamp could not be placed in a time window` : '',
        f.future > 0 ? `${f.future} event(s) more than ${MAX_FUTURE_MS / 60_000} minutes in the future were placed at their predecessor's time` : '',
        noteFor(f.analyzer, f.reported).note ?? '',
      ].filter((n) => n !== '');
      const note = notes.length > 0 ? notes.join('; ') : null;
      summaries.push({ streamId: f.stream.streamId, analysed: f.next, events: f.analyzer.eventCount, windows: f.reported, skippedWindows: f.analyzer.skippedWindows, note });
    }
    const sum = (k: 'events' | 'windows' | 'skippedWindows'): number => summaries.reduce((s, x) => s + x[k], 0);
    this.post({
      type: 'done',
      seq: this.seq,
      summary: { events: sum('events'), windows: sum('windows'), skippedWindows: sum('skippedWindows'), note: null },
      streams: summaries,
    });
  }

  private readTurn(f: Followed, rows: [number, number | null, string][]): void {
    if (rows.length === 0) throw new Error(`stream ${f.stream.streamKey}: events ${f.next}–${f.stream.committed - 1} are missing from the case`);
    const latest = Date.now() + MAX_FUTURE_MS;
    for (const [seq, ts, text] of rows) {
      if (seq !== f.next) throw new Error(`stream ${f.stream.streamKey}: event ${f.next} is missing from the case (found ${seq})`);
      f.next++;
      let time = ts ?? f.lastTs;
      if (ts !== null && ts > latest) {
        f.future++;
        time = f.lastTs;
      }
      if (time === undefined) {
        f.untimed++;
        continue;
      }
      f.lastTs = time;
      f.analyzer.push({ index: seq, text, timestamp: time });
    }
    f.analyzer.poll();
    this.flush(f);
  }

  private flush(f: Followed): void {
    if (f.pending.length === 0) return;
    f.reported += f.pending.length;
    this.post({ type: 'live-windows', seq: this.seq, streamId: f.stream.streamId, windows: f.pending, analysed: f.next });
    f.pending = [];
  }
}
