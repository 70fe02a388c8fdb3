import { createCompressor, type AnalysisParams } from '../../core';
import type { AnalysisReply, StreamJobSummary } from '../../shared/analysis-messages';
import { APP_VERSION, type CaseStore, type StreamCommit } from '../store';
import type { AnalysisPool } from './analysis-pool';
import { decideAnalysis } from './decide-analysis';
import { AUDIT_ACTIONS } from '../audit/audit-actions';

export interface AnalysisProgress {
  streams: number;
  /** Events analysed so far over all streams. */
  events: number;
  windows: number;
}

export interface AnalysisOutcome {
  analysisId: number;
  streams: number;
  events: number;
  windows: number;
  anomalies: number;
  /** Per stream notes (no windows, skipped windows). */
  notes: { stream: string; note: string }[];
  /** Stream jobs restarted after a worker crashed. */
  retries: number;
}

interface StreamState {
  key: string;
  committed: number;
  final: boolean;
  events: number;
  windows: number;
  send: (committed: number, final: boolean) => void;
  result: Promise<AnalysisReply>;
}

/**
 * One analysis of a case: a job per stream on the worker pool (streams are
 * independent; windows within a stream are sequential), provisional windows
 * written through the store as they arrive, then the batch decision over all
 * of them. Streams can be followed while an import is still appending.
 */
export class AnalysisRun {
  readonly analysisId: number;
  private readonly streams = new Map<number, StreamState>();
  private readonly controller = new AbortController();
  private finished = false;
  private retries = 0;

  constructor(
    private readonly store: CaseStore,
    private readonly pool: AnalysisPool,
    readonly params: AnalysisParams,
    private readonly options: { signal?: AbortSignal; onProgress?: (p: AnalysisProgress) => void; actor?: string } = {},
  ) {
    const pin = createCompressor(params.compressor).pin;
    this.analysisId = store.transaction(() => store.analyses.create(params, pin, APP_VERSION, store.now()));
    options.signal?.addEventListener('abort', () => this.controller.abort(), { once: true });
  }

  /** A stream has `committed` events now (more may follow until `finish`). */
  follow(c: StreamCommit, final = false): void {
    if (this.finished) throw new Error('AnalysisRun.follow after finish');
    const s = this.streams.get(c.streamId);
    if (s) {
      if (c.committed > s.committed || (final && !s.final)) {
        s.committed = Math.max(s.committed, c.committed);
        s.final ||= final;
        s.send(s.committed, s.final);
      }
      return;
    }
    this.start(c, final);
  }

  private start(c: StreamCommit, final: boolean): void {
    const { store, analysisId } = this;
    store.transaction(() => store.analyses.addStream(analysisId, c.streamId));
    const state = { key: c.key, committed: c.committed, final, events: 0, windows: 0 } as StreamState;
    const handle = this.pool.submit(
      (seq, attempt) => ({
        type: 'analyze-stream',
        seq,
        attempt,
        job: { dbPath: store.path, streamId: c.streamId, streamKey: c.key, params: this.params, committed: state.committed, final: state.final },
      }),
      {
        onMessage: (reply) => {
          if (reply.type === 'windows') store.transaction(() => store.windows.insert(analysisId, c.streamId, reply.windows));
          else if (reply.type === 'progress') {
            state.events = reply.events;
            state.windows = reply.windows;
            this.reportProgress();
          }
        },
        // The retried job starts from event 0: drop what the crashed attempt wrote.
        onRetry: () => {
          this.retries++;
          store.transaction(() => store.windows.deleteForStream(analysisId, c.streamId));
        },
      },
      this.controller.signal,
    );
    // Not replayed on a retry: the start message already carries the current
    // count, and keeping one follow-up per committed batch would grow with the file.
    state.send = (committed, isFinal) => handle.send({ type: 'events-committed', seq: handle.seq, committed, final: isFinal }, false);
    state.result = handle.result;
    state.result.catch(() => {}); // observed in finish()
    this.streams.set(c.streamId, state);
  }

  private lastProgress = 0;
  private reportProgress(): void {
    const now = performance.now();
    if (!this.options.onProgress || now - this.lastProgress < 250) return;
    this.lastProgress = now;
    let events = 0;
    let windows = 0;
    for (const s of this.streams.values()) {
      events += s.events;
      windows += s.windows;
    }
    this.options.onProgress({ streams: this.streams.size, events, windows });
  }

  /**
   * No more events: let every stream finish, decide the batch, and mark the
   * analysis complete. On failure or cancel the analysis is marked so and
   * the error is thrown.
   */
  async finish(): Promise<AnalysisOutcome> {
    this.finished = true;
    const { store, analysisId } = this;
    for (const s of this.streams.values()) {
      if (!s.final) {
        s.final = true;
        s.send(s.committed, true);
      }
    }
    const entries = [...this.streams.entries()];
    const settled = await Promise.allSettled(entries.map(([, s]) => s.result));
    const failures: string[] = [];
    const notes: { stream: string; note: string }[] = [];
    let events = 0;
    settled.forEach((r, i) => {
      const [streamId, s] = entries[i]!;
      if (r.status === 'fulfilled' && r.value.type === 'done') {
        const summary: StreamJobSummary = r.value.summary;
        store.transaction(() => store.analyses.finishStream(analysisId, streamId, summary));
        events += summary.events;
        if (summary.note) notes.push({ stream: s.key, note: summary.note });
      } else {
        const reason = r.status === 'rejected' ? (r.reason as Error).message : 'unexpected reply';
        store.transaction(() => store.analyses.failStream(analysisId, streamId, reason));
        failures.push(reason);
      }
    });
    if (failures.length > 0) {
      const cancelled = this.controller.signal.aborted;
      store.transaction(() => store.analyses.end(analysisId, cancelled ? 'cancelled' : 'failed', failures[0]!, store.now()));
      const err = new Error(cancelled ? `analysis ${analysisId} cancelled` : `analysis ${analysisId} failed: ${failures.join('; ')}`);
      if (cancelled) err.name = 'AbortError';
      throw err;
    }
    const streamIds = entries.map(([id]) => id);
    const decided = store.transaction(() => {
      const d = decideAnalysis(store, analysisId, this.params.profile);
      store.analyses.complete(analysisId, store.sources.policiesForStreams(streamIds), store.now());
      store.audit.append({
        actor: this.options.actor ?? 'driftlock',
        action: AUDIT_ACTIONS.analysisCompleted,
        subject: `analysis:${analysisId}`,
        details: { streams: streamIds.length, events, windows: d.windows, anomalies: d.anomalies, params: this.params },
      });
      return d;
    });
    return { analysisId, streams: streamIds.length, events, windows: decided.windows, anomalies: decided.anomalies, notes, retries: this.retries };
  }

  /** Stop every job now; `finish` then reports the analysis cancelled. */
  cancel(): void {
    this.controller.abort();
  }
}
