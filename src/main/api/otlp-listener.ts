/**
 * The app's OTLP listener: the receiver `driftlock serve --db` runs (OTLP/HTTP
 * + REST, OTLP/gRPC, live analysis in serve's one-minute windows under the
 * case's settings), bound to loopback and writing into the case the app has
 * open through that case's one writer.
 * Counters are pushed as ListenerStatus once a second while they move.
 */
import { ApiError } from '../../shared/call-result';
import type { ListenerStatus } from '../../shared/dto';
import { LIVE_DEFAULT_DECIDE_MS } from '../analysis/live-analysis';
import { startReceiver, type Receiver } from '../otlp/otlp-receiver';
import { openServeServices, type ServeServices } from '../otlp/serve-services';
import type { CasePort } from './case-port';
import { LISTENER_STOPPED, type ListenerPort } from './service-ports';
import { caseStoreOf, liveParamsOf, redactionOf } from './store-case';

export interface OtlpListenerOptions {
  version: string;
  /** The user data folder with the signing key (GET /v1/evidence on the receiver). */
  dataDir: string;
  /** Live analysis worker threads (default: the pool's default size). */
  workers?: number;
  /** Where problems the status cannot hold go (a worker restart, a failed commit): stderr by default. */
  onError?: (err: Error) => void;
}

/** The status is sampled this often while listening; the rate is taken over RATE_SAMPLES of them. */
const TICK_MS = 1000;
const RATE_SAMPLES = 5;
/** serve's default heap limit per analysis worker (--analysis-heap-mb). */
const ANALYSIS_HEAP_MB = 2048;
const HOST = '127.0.0.1';

interface Session {
  casePort: CasePort;
  services: ServeServices;
  receiver: Receiver;
  timer: NodeJS.Timeout;
  /** (time ms, records received) once per tick, oldest first. */
  samples: Array<[number, number]>;
}

export function otlpListener(options: OtlpListenerOptions): ListenerPort {
  const statusListeners = new Set<(s: ListenerStatus) => void>();
  const anomalyListeners = new Set<(count: number) => void>();
  const onError = options.onError ?? ((err: Error) => process.stderr.write(`driftlock listener: ${err.message}\n`));
  let status: ListenerStatus = { ...LISTENER_STOPPED };
  let session: Session | null = null;
  // start and stop run one after the other: a stop during a start waits for it.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  function publish(next: ListenerStatus): ListenerStatus {
    status = next;
    for (const l of statusListeners) l({ ...next });
    return { ...next };
  }

  function counters(s: Session): Pick<ListenerStatus, 'received' | 'rejected' | 'rejectedRequests' | 'stored' | 'ratePerSec' | 'queueDepth'> {
    const { stats, queue: q } = s.receiver;
    const received = stats.received.total();
    const first = s.samples[0];
    const last = s.samples.at(-1);
    const seconds = first && last ? (last[0] - first[0]) / 1000 : 0;
    return {
      received,
      rejected: stats.rejectedRecords.total(),
      rejectedRequests: stats.rejectedRequests.total(),
      stored: q.stored,
      ratePerSec: seconds > 0 ? (last![1] - first![1]) / seconds : 0,
      queueDepth: q.depth,
    };
  }

  function tick(s: Session): void {
    s.samples.push([performance.now(), s.receiver.stats.received.total()]);
    if (s.samples.length > RATE_SAMPLES) s.samples.shift();
    const next = { ...status, ...counters(s) };
    const moved = (Object.keys(next) as Array<keyof ListenerStatus>).some((k) => next[k] !== status[k]);
    if (moved) publish(next);
  }

  async function start(casePort: CasePort, ports: { httpPort: number; grpcPort: number }): Promise<ListenerStatus> {
    if (session) {
      if (session.casePort === casePort) return { ...status };
      throw new ApiError('input', `The listener is receiving into ${session.casePort.path}; stop it first.`);
    }
    publish({ ...LISTENER_STOPPED, state: 'starting' });
    const settings = casePort.settings();
    const actor = settings.analyst || 'analyst';
    let services: ServeServices | null = null;
    try {
      services = await openServeServices({
        store: caseStoreOf(casePort),
        version: options.version,
        redaction: redactionOf(settings),
        params: liveParamsOf(settings),
        decideMs: LIVE_DEFAULT_DECIDE_MS,
        ...(options.workers !== undefined && { workers: options.workers }),
        analysisHeapMb: ANALYSIS_HEAP_MB,
        // serve's default: a success response means the data survives a power cut.
        sync: 'full',
        actor,
        evidenceDataDir: options.dataDir,
        onError: (err) => {
          onError(err);
          if (session) publish({ ...status, error: err.message });
        },
      });
      const opened = services;
      const receiver = await startReceiver({
        host: HOST,
        httpPort: ports.httpPort,
        grpcPort: ports.grpcPort,
        sink: opened.sink,
        backend: opened.backend,
        routes: opened.routes,
        onStopping: () => opened.stopping(),
        onError: (err) => {
          onError(err);
          if (session) publish({ ...status, error: err.message });
        },
      });
      opened.attach(receiver);
      opened.onAnomalies((count) => {
        for (const l of anomalyListeners) l(count);
      });
      const s: Session = { casePort, services: opened, receiver, samples: [], timer: setInterval(() => tick(s), TICK_MS) };
      s.timer.unref();
      session = s;
      s.samples.push([performance.now(), 0]);
      return publish({ ...LISTENER_STOPPED, state: 'listening', httpPort: receiver.httpPort, grpcPort: receiver.grpcPort, ...counters(s) });
    } catch (err) {
      // Nothing stays bound or open; the case is untouched but for the session's (empty) bookkeeping.
      await services?.close().catch(onError);
      const message = (err as Error).message;
      publish({ ...LISTENER_STOPPED, state: 'error', error: message });
      throw new ApiError('input', message);
    }
  }

  async function stop(): Promise<ListenerStatus> {
    const s = session;
    if (!s) return status.state === 'stopped' ? { ...status } : publish({ ...status, state: 'stopped', error: null });
    clearInterval(s.timer);
    publish({ ...status, ...counters(s), state: 'stopping' });
    let problem: string | null = null;
    try {
      await s.receiver.close();
      const summary = await s.services.close();
      if (summary.failures.length > 0) problem = `not analysed to the end: ${summary.failures.join('; ')}`;
    } catch (err) {
      problem = (err as Error).message;
      onError(err as Error);
    } finally {
      session = null;
    }
    return publish({ ...status, ...counters(s), ratePerSec: 0, queueDepth: 0, httpPort: null, grpcPort: null, state: 'stopped', error: problem });
  }

  return {
    status: () => ({ ...status }),
    start: (casePort, ports) => serial(() => start(casePort, ports)),
    stop: () => serial(stop),
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    onAnomalies(listener) {
      anomalyListeners.add(listener);
      return () => anomalyListeners.delete(listener);
    },
  };
}
