import { noteFor, StreamAnalyzer, type WindowResult } from '../../core';
import type { AnalysisReply, StreamJob } from '../../shared/analysis-messages';
import { caseConnection, threadCompressor } from './worker-resources';

/** Events read per query: bounded memory, and a chance to receive messages between reads. */
const READ_BATCH = 4096;

/**
 * Analyses one stream of a case file: reads its events in seq order from a
 * read-only connection, feeds them to a StreamAnalyzer, and posts windows
 * and progress as it goes. While an import is still appending to the
 * stream, it waits for `extend` to say more events are committed.
 */
export class StreamJobRunner {
  private committed: number;
  private final: boolean;
  private wake: (() => void) | undefined;

  constructor(
    readonly seq: number,
    private readonly job: StreamJob,
    private readonly post: (reply: AnalysisReply) => void,
  ) {
    this.committed = job.committed;
    this.final = job.final;
  }

  /** More events are committed (never fewer), or the stream is complete. */
  extend(committed: number, final: boolean): void {
    this.committed = Math.max(this.committed, committed);
    this.final ||= final;
    this.wake?.();
  }

  async run(): Promise<void> {
    try {
      await this.analyse();
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.post({ type: 'error', seq: this.seq, error: { name: e.name, message: `stream ${this.job.streamKey}: ${e.message}` } });
    }
  }

  private async analyse(): Promise<void> {
    const { streamId, streamKey, params } = this.job;
    const read = caseConnection(this.job.dbPath)
      .prepare('SELECT seq, ts, canonical FROM events WHERE stream_id = ? AND seq >= ? AND seq < ? ORDER BY seq LIMIT ?')
      .raw();
    let pending: WindowResult[] = [];
    let windows = 0;
    const analyzer = new StreamAnalyzer(streamKey, params, threadCompressor(params.compressor), (w) => pending.push(w));
    const flush = (): void => {
      if (pending.length > 0) {
        windows += pending.length;
        this.post({ type: 'windows', seq: this.seq, windows: pending });
        pending = [];
      }
      this.post({ type: 'progress', seq: this.seq, events: analyzer.eventCount, windows });
    };
    let next = 0;
    for (;;) {
      if (next < this.committed) {
        const rows = read.all(streamId, next, this.committed, READ_BATCH) as [number, number | null, string][];
        if (rows.length === 0) throw new Error(`events ${next}–${this.committed - 1} are missing from the case`);
        for (const [seq, ts, text] of rows) {
          if (seq !== next) throw new Error(`event ${next} is missing from the case (found ${seq})`);
          analyzer.push(ts === null ? { index: seq, text } : { index: seq, text, timestamp: ts });
          next++;
        }
        flush();
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      if (this.final) break;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    analyzer.finish();
    flush();
    this.post({
      type: 'done',
      seq: this.seq,
      summary: { events: analyzer.eventCount, windows, skippedWindows: analyzer.skippedWindows, note: noteFor(analyzer, windows).note ?? null },
    });
  }
}
