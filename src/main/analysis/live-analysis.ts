import { createCompressor, decideBatch, DEFAULT_PARAMS, type AnalysisParams, type TimeWindowing, type WindowResult } from '../../core';
import type { AnalysisReply, LiveStream, LiveStreamSummary } from '../../shared/analysis-messages';
import { AUDIT_ACTIONS } from '../audit/audit-actions';
import { APP_VERSION, type CaseStore, type StreamCommit } from '../store';
import type { AnalysisPool } from './analysis-pool';

/**
 * Live defaults: one-minute tumbling windows against the last 1000 clean
 * events of the stream (causal: only earlier events), 1000 permutations,
 * balanced profile; windows decided in five-minute periods of data time.
 */
export const LIVE_DEFAULT_PARAMS: Readonly<AnalysisParams> = Object.freeze({
  ...DEFAULT_PARAMS,
  windowing: Object.freeze({ kind: 'time', windowMs: 60_000, hopMs: 60_000, baseline: 1000 } as const),
  causal: true,
});
export const LIVE_DEFAULT_DECIDE_MS = 300_000;

/** A stream grew by `added` events in one commit (its first new event is committed − added). */
export type LiveCommit = StreamCommit & { added: number };

export interface LiveAnalysisOptions {
  /**
   * Decision period, ms of data time: the windows of one stream whose end
   * falls in the same period form one Benjamini–Hochberg family (see
   * docs/METHOD.md "Live analysis").
   */
  decideMs: number;
  actor: string;
  /** Events before a stream's first event of this session read to warm its baseline up; default the baseline size. */
  warmup?: number;
  /** New anomalies were committed. */
  onAnomalies?: (count: number) => void;
  onError?: (err: Error) => void;
  /** Wall clock for the lag gauge (tests pin it). */
  clock?: () => number;
}

export interface LiveStats {
  analysisId: number | null;
  streams: number;
  /** Committed events the workers have not read yet. */
  lagEvents: number;
  /** Age of the oldest commit not yet read, seconds (0 when caught up). */
  lagSeconds: number;
  windowsDecided: number;
  anomaliesFound: number;
  workersUp: boolean;
}

export interface LiveOutcome {
  analysisId: number;
  streams: number;
  windows: number;
  anomalies: number;
  failures: string[];
}

interface Family {
  period: number;
  windows: WindowResult[];
}

interface StreamState {
  id: number;
  key: string;
  shard: Shard;
  from: number;
  emitFrom: number;
  committed: number;
  analysed: number;
  /** Windows below this number are decided or waiting: a retried job's repeats are ignored. */
  nextWindow: number;
  family: Family | null;
  /** (committed, wall time) of commits not yet read, oldest first. */
  commits: { committed: number; at: number }[];
  stored: number;
  summary: LiveStreamSummary | null;
}

interface Shard {
  index: number;
  streams: Set<StreamState>;
  started: boolean;
  restarts: number;
  seq: number;
  send: (msg: Parameters<ReturnType<AnalysisPool['submit']>['send']>[0], replay?: boolean) => void;
  result: Promise<AnalysisReply>;
  failure: string | null;
}

/** A shard whose worker keeps dying is given up after this many fresh starts. */
const MAX_RESTARTS = 3;

/**
 * The live analysis of a `driftlock serve` session: the streams the session
 * writes are followed by long-lived jobs on the worker pool (one per
 * thread; streams spread by id), windows are cut by time as events arrive,
 * and each stream's windows are decided per decision period of data time
 * (Benjamini–Hochberg over the period's windows, then the profile's effect
 * bar: decideBatch, the rule every analysis uses) and written, with their
 * anomalies, through the store in one transaction. Only decided windows are
 * stored, so the analysis's rows are final while it runs.
 */
export class LiveAnalysis {
  private analysisId: number | null = null;
  private readonly shards: Shard[] = [];
  private readonly streams = new Map<number, StreamState>();
  private readonly windowing: TimeWindowing;
  private readonly warmup: number;
  private readonly clock: () => number;
  private closing = false;
  private windowsDecided = 0;
  private anomaliesFound = 0;

  constructor(
    private readonly store: CaseStore,
    private readonly pool: AnalysisPool,
    readonly params: AnalysisParams,
    private readonly options: LiveAnalysisOptions,
  ) {
    if (params.windowing.kind !== 'time') throw new Error('live analysis needs time windows');
    if (!params.causal) throw new Error('live analysis needs causal baselines (no borrowing from events not yet received)');
    if (!(options.decideMs > 0)) throw new Error(`live analysis: decision period must be positive, got ${options.decideMs}`);
    this.windowing = params.windowing;
    this.warmup = options.warmup ?? params.windowing.baseline;
    this.clock = options.clock ?? Date.now;
    // Start every worker now: readiness means the threads are up.
    for (let i = 0; i < pool.size; i++) this.shards.push(this.startShard({ index: i, streams: new Set(), started: false, restarts: 0, failure: null } as Shard));
  }

  /** Every worker has started its live job. */
  get workersUp(): boolean {
    return this.shards.every((s) => s.started || s.failure !== null) && this.shards.some((s) => s.started);
  }

  private liveStream(s: StreamState): LiveStream {
    return { streamId: s.id, streamKey: s.key, from: s.from, emitFrom: s.emitFrom, committed: s.committed };
  }

  private startShard(shard: Shard): Shard {
    const handle = this.pool.submit(
      (seq, attempt) => ({
        type: 'analyze-live',
        seq,
        attempt,
        job: { dbPath: this.store.path, params: this.params, streams: [...shard.streams].map((s) => this.liveStream(s)), finish: this.closing },
      }),
      {
        onMessage: (reply) => this.onReply(shard, reply),
        onRetry: (reason) => this.options.onError?.(new Error(`live analysis worker ${shard.index} restarted: ${reason}`)),
      },
    );
    shard.seq = handle.seq;
    shard.send = handle.send;
    shard.result = handle.result.then(
      (reply) => {
        if (reply.type === 'done') for (const summary of reply.streams ?? []) {
          const s = this.streams.get(summary.streamId);
          if (s) s.summary = summary;
        }
        return reply;
      },
      (err: Error) => {
        if (this.closing || shard.restarts >= MAX_RESTARTS) {
          shard.failure = err.message;
          throw err;
        }
        shard.restarts++;
        this.options.onError?.(new Error(`live analysis worker ${shard.index} failed (${err.message}); starting it again`));
        return this.startShard(shard).result;
      },
    );
    shard.result.catch(() => {}); // observed in close()
    return shard;
  }

  private ensureAnalysis(): number {
    if (this.analysisId === null) {
      const pin = createCompressor(this.params.compressor).pin;
      const { store } = this;
      this.analysisId = store.transaction(() => {
        const id = store.analyses.create(this.params, pin, APP_VERSION, store.now(), { decideMs: this.options.decideMs });
        // Recorded at the start: its findings are final (and exportable) while it runs.
        store.audit.append({
          actor: this.options.actor,
          action: AUDIT_ACTIONS.analysisStarted,
          subject: `analysis:${id}`,
          details: { mode: 'live', decideMs: this.options.decideMs, params: this.params, compressor: pin },
        });
        return id;
      });
    }
    return this.analysisId;
  }

  /** Streams grew (the sink committed a batch): follow them. */
  follow(commits: readonly LiveCommit[]): void {
    if (this.closing) throw new Error('LiveAnalysis.follow after close');
    if (commits.length === 0) return;
    const analysisId = this.ensureAnalysis();
    const now = this.clock();
    const byShard = new Map<Shard, LiveStream[]>();
    for (const c of commits) {
      let s = this.streams.get(c.streamId);
      if (!s) {
        const emitFrom = c.committed - c.added;
        const from = Math.max(0, emitFrom - this.warmup);
        const shard = this.shards[c.streamId % this.shards.length]!;
        s = { id: c.streamId, key: c.key, shard, from, emitFrom, committed: c.committed, analysed: from, nextWindow: 0, family: null, commits: [], stored: 0, summary: null };
        this.store.transaction(() => this.store.analyses.addStream(analysisId, c.streamId));
        this.streams.set(c.streamId, s);
        shard.streams.add(s);
      }
      s.committed = Math.max(s.committed, c.committed);
      s.commits.push({ committed: c.committed, at: now });
      const list = byShard.get(s.shard) ?? [];
      list.push(this.liveStream(s));
      byShard.set(s.shard, list);
    }
    // Not replayed on a retry: the retried job's start message carries the current state.
    for (const [shard, streams] of byShard) shard.send({ type: 'live-committed', seq: shard.seq, streams }, false);
  }

  private onReply(shard: Shard, reply: AnalysisReply): void {
    if (reply.type === 'live-started') shard.started = true;
    else if (reply.type === 'live-progress') {
      for (const p of reply.streams) this.advance(p.streamId, p.analysed);
    } else if (reply.type === 'live-windows') {
      const s = this.streams.get(reply.streamId);
      if (!s) return;
      for (const w of reply.windows) this.take(s, w);
      this.advance(reply.streamId, reply.analysed);
    }
  }

  private advance(streamId: number, analysed: number): void {
    const s = this.streams.get(streamId);
    if (!s) return;
    s.analysed = Math.max(s.analysed, analysed);
    while (s.commits.length > 0 && s.commits[0]!.committed <= s.analysed) s.commits.shift();
  }

  private period(w: WindowResult): number {
    return Math.floor(w.endTime! / this.options.decideMs);
  }

  /** A closed window joins its period's family; a family is decided as soon as no later window can fall in its period. */
  private take(s: StreamState, w: WindowResult): void {
    if (w.window < s.nextWindow) return;
    s.nextWindow = w.window + 1;
    const period = this.period(w);
    if (s.family && s.family.period !== period) this.decide(s);
    s.family ??= { period, windows: [] };
    s.family.windows.push(w);
    // The stream's next window ends at least one hop later.
    if (w.endTime! + this.windowing.hopMs >= (period + 1) * this.options.decideMs) this.decide(s);
  }

  private decide(s: StreamState): void {
    const family = s.family;
    s.family = null;
    if (!family || family.windows.length === 0) return;
    const analysisId = this.analysisId!;
    decideBatch(family.windows, this.params.profile);
    const found = this.store.transaction(() => {
      const ids = this.store.windows.insert(analysisId, s.id, family.windows);
      let n = 0;
      family.windows.forEach((w, i) => {
        if (!w.anomaly) return;
        this.store.triage.open(ids[i]!, analysisId, s.id);
        n++;
      });
      return n;
    });
    s.stored += family.windows.length;
    this.windowsDecided += family.windows.length;
    if (found > 0) {
      this.anomaliesFound += found;
      this.options.onAnomalies?.(found);
    }
  }

  stats(): LiveStats {
    const now = this.clock();
    let lagEvents = 0;
    let oldest = Infinity;
    for (const s of this.streams.values()) {
      lagEvents += Math.max(0, s.committed - s.analysed);
      if (s.commits.length > 0) oldest = Math.min(oldest, s.commits[0]!.at);
    }
    return {
      analysisId: this.analysisId,
      streams: this.streams.size,
      lagEvents,
      lagSeconds: oldest === Infinity ? 0 : Math.max(0, (now - oldest) / 1000),
      windowsDecided: this.windowsDecided,
      anomaliesFound: this.anomaliesFound,
      workersUp: this.workersUp,
    };
  }

  /**
   * No more events: every stream's remaining windows (the open ones
   * included) are scored and decided, and the analysis is marked complete.
   * Streams whose worker failed are marked failed; the analysis keeps what
   * was decided and says what is missing.
   */
  async close(): Promise<LiveOutcome | null> {
    if (this.closing) throw new Error('LiveAnalysis.close called twice');
    this.closing = true;
    for (const shard of this.shards) shard.send({ type: 'live-finish', seq: shard.seq }, false);
    await Promise.allSettled(this.shards.map((s) => s.result));
    if (this.analysisId === null) return null;
    const analysisId = this.analysisId;
    // Windows that reached the main thread are complete results even when their worker died later.
    for (const s of this.streams.values()) this.decide(s);
    const { store } = this;
    const failures: string[] = [];
    let anomalies = 0;
    store.transaction(() => {
      for (const s of this.streams.values()) {
        if (s.summary) {
          store.analyses.finishStream(analysisId, s.id, { events: s.summary.analysed, windows: s.stored, skippedWindows: s.summary.skippedWindows, note: s.summary.note });
        } else {
          const reason = s.shard.failure ?? 'the live analysis worker stopped';
          store.analyses.failStream(analysisId, s.id, reason);
          failures.push(`${s.key}: ${reason}`);
        }
      }
      const ids = [...this.streams.keys()];
      store.analyses.complete(analysisId, store.sources.policiesForStreams(ids), store.now());
      if (failures.length > 0) store.analyses.setError(analysisId, `not followed to the end: ${failures.join('; ')}`);
      anomalies = (store.db.prepare('SELECT count(*) AS n FROM anomalies WHERE analysis_id = ?').get(analysisId) as { n: number }).n;
      store.audit.append({
        actor: this.options.actor,
        action: AUDIT_ACTIONS.analysisCompleted,
        subject: `analysis:${analysisId}`,
        details: { mode: 'live', streams: ids.length, windows: this.windowsDecided, anomalies, decideMs: this.options.decideMs, params: this.params },
      });
    });
    return { analysisId, streams: this.streams.size, windows: this.windowsDecided, anomalies, failures };
  }
}
