import { checkBindPolicy } from './access-policy';
import type { EventSink } from './event-sink';
import { startGrpcReceiver, type GrpcReceiver } from './grpc-server';
import { startHttpReceiver, type HttpReceiver } from './http-server';
import { DEFAULT_QUEUE_OPTIONS, IngestQueue, type IngestQueueOptions } from './ingest-queue';
import type { ReceiverContext } from './otlp-ingest';
import { loadOtlpProto } from './proto-root';
import { ReceiverStats } from './receiver-stats';
import { baseRoutes, type RestBackend, type Route } from './rest-api';

export const DEFAULT_HTTP_PORT = 4318;
export const DEFAULT_GRPC_PORT = 4317;
/** Same order as the Collector's OTLP receiver defaults (20 MiB HTTP, 4 MiB gRPC); one limit for both here. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface ReceiverOptions {
  host: string;
  httpPort: number;
  /** null: no gRPC listener. */
  grpcPort: number | null;
  token?: string;
  sink: EventSink;
  backend: RestBackend;
  /** Routes added by the store/analysis/UI layers (anomalies, evidence, UI), given the receiver's context. */
  routes?: (ctx: ReceiverContext) => Route[];
  /** Called when shutdown begins, before the listeners close (end long-lived responses). */
  onStopping?: () => void;
  /** Extra gauges and counters are registered on `stats.registry` by the caller. */
  maxBodyBytes?: number;
  queue?: IngestQueueOptions;
  onError?: (err: Error) => void;
}

export interface Receiver {
  host: string;
  httpPort: number;
  grpcPort: number | null;
  stats: ReceiverStats;
  queue: IngestQueue;
  context: ReceiverContext;
  /** Stops accepting, waits for requests in flight and drains the queue into the sink (the caller closes the sink). */
  close(): Promise<void>;
}

/** A port held by another program, said as what to do about it; other bind errors pass as they are. */
function bindFailure(err: Error, which: string, host: string, port: number): Error {
  if (!/EADDRINUSE|address already in use/i.test(err.message)) return err;
  return new Error(`${which} port ${port} on ${host} is already in use by another program (another collector or driftlock serve?). Stop it, or choose another port (0 = any free port).`);
}

/** Starts OTLP/HTTP + REST and OTLP/gRPC, after checking the bind policy. */
export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  checkBindPolicy(opts.host, opts.token);
  const queue = new IngestQueue(opts.sink, opts.queue ?? DEFAULT_QUEUE_OPTIONS);
  const stats = new ReceiverStats(queue);
  const onError = opts.onError ?? ((err: Error) => process.stderr.write(`driftlock serve: ${err.stack ?? err.message}\n`));
  const context: ReceiverContext = {
    proto: loadOtlpProto(),
    queue,
    stats,
    maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    stopping: false,
    now: () => Date.now(),
    onSinkError: onError,
  };
  const routes = [...baseRoutes(context, opts.backend), ...(opts.routes?.(context) ?? [])];
  let http: HttpReceiver | undefined;
  let grpc: GrpcReceiver | undefined;
  try {
    http = await startHttpReceiver(context, { host: opts.host, port: opts.httpPort, token: opts.token, routes, onError }).catch((err: Error) => {
      throw bindFailure(err, 'OTLP/HTTP', opts.host, opts.httpPort);
    });
    const grpcPort = opts.grpcPort;
    if (grpcPort !== null)
      grpc = await startGrpcReceiver(context, opts.host, grpcPort, opts.token).catch((err: Error) => {
        throw bindFailure(err, 'OTLP/gRPC', opts.host, grpcPort);
      });
  } catch (err) {
    await http?.close();
    throw err;
  }
  return {
    host: opts.host,
    httpPort: http.port,
    grpcPort: grpc?.port ?? null,
    stats,
    queue,
    context,
    close: async () => {
      context.stopping = true;
      opts.onStopping?.();
      await Promise.all([http.close(), grpc?.close()]);
      await queue.drain();
    },
  };
}
