import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisParams } from '../../core';
import type { RedactionPolicy } from '../../shared/redaction-policy';
import { createAnalysisPool, type AnalysisPool } from '../analysis';
import { LiveAnalysis } from '../analysis/live-analysis';
import { AnomaliesQuery, CaseStore } from '../store';
import { AnomalyFeed } from './anomaly-feed';
import { anomalyRoutes, type EvidenceExporter } from './anomaly-routes';
import { CaseSink } from './case-sink';
import { HttpError } from './http-body';
import type { EventSink, Transport } from './event-sink';
import type { ReceiverContext } from './otlp-ingest';
import type { Receiver } from './otlp-receiver';
import type { RestBackend, Route } from './rest-api';

/** What `driftlock serve` runs on: the sink for received events and the REST backend, from the case file. */
export interface ServeServices {
  /** The case's one writer, for modes layered on serve: never open a second one. */
  store: CaseStore;
  anomalies: AnomaliesQuery;
  /** Calls `listener` with their count whenever new anomalies are committed; returns the unsubscribe function. */
  onAnomalies(listener: (count: number) => void): () => void;
  sink: EventSink;
  backend: RestBackend;
  /** The REST routes beyond the receiver's own (anomalies, evidence). */
  routes: (ctx: ReceiverContext) => Route[];
  /** Wires what needs the running receiver: source paths, metrics gauges. */
  attach(receiver: Receiver): void;
  /** Shutdown has begun: end long-lived responses (event streams). */
  stopping(): void;
  /** After the receiver has drained: finish the live analysis, close the sources, and the case file when it was opened here. */
  close(): Promise<ServeSummary>;
}

export interface ServeSummary {
  analysisId: number | null;
  windows: number;
  anomalies: number;
  failures: string[];
}

/** The case serve writes into. */
export type ServeCase =
  /** The case file, created if absent; opened here and closed by close(). */
  | { db: string; store?: never }
  /**
   * The case's one writer, opened by its owner (the app's open case): used
   * as it is (never a second writer on the file) and left open by close().
   */
  | { store: CaseStore; db?: never };

export type ServeServiceOptions = ServeCase & {
  version: string;
  redaction: RedactionPolicy;
  /** Live analysis parameters (time windows, causal), or null for ingest only. */
  params: AnalysisParams | null;
  /** Decision period of the live analysis, ms of data time. */
  decideMs: number;
  workers?: number;
  /** Heap limit of each analysis worker, MB: a stream too large for it stops its worker's analysis, never ingest. */
  analysisHeapMb: number;
  /**
   * SQLite synchronous level for this session: `full` (default) makes every
   * acknowledged request survive power loss; `normal` survives a crash of
   * the process only, and is faster.
   */
  sync: 'full' | 'normal';
  actor: string;
  /**
   * The user data directory holding the evidence signing key (created there
   * on first use, shared with the app and `driftlock export`); GET
   * /v1/evidence answers 501 without it.
   */
  evidenceDataDir?: string;
  onError: (err: Error) => void;
};

/**
 * GET /v1/evidence: the signed bundle of one anomaly, built like `driftlock
 * export --anomaly ID` (and audited the same way) into a temporary file that
 * is read back and removed.
 */
function evidenceExporter(store: CaseStore, dataDir: string): EvidenceExporter {
  return async (anomalyId) => {
    // Loaded on first use: the bundle writer and the PDF report are large, and most sessions never export.
    const [{ exportBundle }, { ExportError }] = await Promise.all([import('../evidence/export-bundle'), import('../evidence/case-evidence')]);
    const dir = await mkdtemp(join(tmpdir(), 'driftlock-evidence-'));
    try {
      const result = await exportBundle(store, {
        scope: { kind: 'anomalies', ids: [String(anomalyId)] },
        out: join(dir, `driftlock-anomaly-${anomalyId}.zip`),
        userDataDir: dataDir,
        actor: 'rest',
      });
      return { fileName: result.fileName, bytes: await readFile(result.path), sha256: result.sha256 };
    } catch (err) {
      if (err instanceof ExportError) throw new HttpError(409, `anomaly ${anomalyId}: ${err.message}`);
      throw err;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

/** Opens the case file (created if absent), or takes its owner's store, and the services serve runs on. */
export async function openServeServices(opts: ServeServiceOptions): Promise<ServeServices> {
  const owned = opts.store === undefined;
  const store = opts.store ?? CaseStore.open(opts.db, { create: true });
  // A borrowed connection gets its own level back when the session ends (the app's imports run at NORMAL).
  const syncBefore = store.db.pragma('synchronous', { simple: true }) as number;
  const release = (): void => {
    if (owned) store.close();
    else store.db.pragma(`synchronous = ${syncBefore}`);
  };
  let pool: AnalysisPool | null = null;
  try {
    store.db.pragma(`synchronous = ${opts.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    store.transaction(() => {
      store.sources.closeInterruptedLive(store.now());
      // Events a killed session stored without indexing them.
      store.events.indexPending();
    });
    pool = opts.params ? createAnalysisPool(opts.workers, opts.analysisHeapMb) : null;
    const anomalies = new AnomaliesQuery(store.db);
    const feed = new AnomalyFeed(anomalies);
    const listeners = new Set<(count: number) => void>([() => feed.notify()]);
    const notify = (count: number): void => {
      for (const l of listeners) l(count);
    };
    const live = pool && opts.params
      ? new LiveAnalysis(store, pool, opts.params, { decideMs: opts.decideMs, actor: opts.actor, onAnomalies: notify, onError: opts.onError })
      : null;
    const addresses = new Map<Transport, string>();
    const sink = new CaseSink(store, {
      redaction: opts.redaction,
      actor: opts.actor,
      sourcePath: (t) => addresses.get(t) ?? `${t}://`,
      ...(live ? { onCommit: (commits) => live.follow(commits) } : {}),
    });
    const deps = { store, anomalies, feed, ...(opts.evidenceDataDir ? { evidence: evidenceExporter(store, opts.evidenceDataDir) } : {}) };
    const backend: RestBackend = {
      version: opts.version,
      readiness: () => {
        if (!live) return { ready: true, store: true, workers: false, reason: 'live analysis is off (--analyze off): events are stored, not analysed' };
        const workers = live.workersUp;
        return workers ? { ready: true, store: true, workers } : { ready: false, store: true, workers, reason: 'analysis workers are starting' };
      },
    };
    const services: ServeServices = {
      store,
      anomalies,
      onAnomalies(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      sink,
      backend,
      routes: (ctx) => anomalyRoutes(ctx, deps),
      attach(receiver) {
        const host = receiver.host.includes(':') ? `[${receiver.host}]` : receiver.host;
        addresses.set('otlp-http', `otlp-http://${host}:${receiver.httpPort}`);
        addresses.set('rest', `http://${host}:${receiver.httpPort}/v1/events`);
        if (receiver.grpcPort !== null) addresses.set('otlp-grpc', `otlp-grpc://${host}:${receiver.grpcPort}`);
        sink.indexWhenIdle(() => receiver.queue.depth > 0);
        const r = receiver.stats.registry;
        const stats = () => live?.stats();
        r.gauge('driftlock_analysis_lag_events', 'Committed events the live analysis has not read yet.', () => stats()?.lagEvents ?? 0);
        r.gauge('driftlock_analysis_lag_seconds', 'Age of the oldest committed batch the live analysis has not read yet (0 when caught up).', () => stats()?.lagSeconds ?? 0);
        r.gauge('driftlock_analysis_streams', 'Streams the live analysis follows this session.', () => stats()?.streams ?? 0);
        r.gauge('driftlock_analysis_workers_up', 'Whether the analysis worker threads are running (0 when live analysis is off).', () => (live?.workersUp ? 1 : 0));
        r.counterFrom('driftlock_windows_decided_total', 'Windows scored and decided by the live analysis this session.', () => stats()?.windowsDecided ?? 0);
        r.counterFrom('driftlock_anomalies_found_total', 'Anomalies the live analysis found this session.', () => stats()?.anomaliesFound ?? 0);
        r.gauge('driftlock_anomalies', 'Anomalies in the case file\'s current results, by triage status.', () =>
          (store.db.prepare(`SELECT status, count(*) AS n FROM anomalies a JOIN current_analysis_streams c ON c.stream_id = a.stream_id AND c.analysis_id = a.analysis_id GROUP BY status`).all() as { status: string; n: number }[])
            .map((x) => ({ labels: { status: x.status }, value: x.n })),
        );
        r.gauge('driftlock_events_unindexed', 'Events stored but not yet in the full-text index (indexed when no request waits).', () => store.events.unindexed);
        r.gauge('driftlock_anomaly_stream_clients', 'Clients connected to GET /v1/anomalies/stream.', () => feed.size);
      },
      stopping() {
        feed.close();
      },
      async close() {
        let summary: ServeSummary = { analysisId: null, windows: 0, anomalies: 0, failures: [] };
        try {
          await sink.close();
          const outcome = await live?.close();
          if (outcome) summary = { analysisId: outcome.analysisId, windows: outcome.windows, anomalies: outcome.anomalies, failures: outcome.failures };
        } finally {
          feed.close();
          await pool?.close();
          release();
        }
        return summary;
      },
    };
    return services;
  } catch (err) {
    await pool?.close();
    release();
    throw err;
  }
}
