import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checkBindPolicy } from '../../main/otlp/access-policy';
import { DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, DEFAULT_MAX_BODY_BYTES, startReceiver, type Receiver } from '../../main/otlp/otlp-receiver';
import { openServeServices } from '../../main/otlp/serve-services';
import pkg from '../../../package.json' with { type: 'json' };
import { intOption, UsageError } from '../usage-error';
import type { Io } from './analyze';
import { runServeUi, SERVE_UI_USAGE } from './serve-ui';

export const SERVE_USAGE = `driftlock serve --db PATH [--otlp-http PORT] [--otlp-grpc PORT|off] [--host 127.0.0.1]
    [--token T] [--max-body-mb N] [--queue-events N]
    OTLP/HTTP + REST on --otlp-http (default ${DEFAULT_HTTP_PORT}), OTLP/gRPC on --otlp-grpc (default ${DEFAULT_GRPC_PORT});
    port 0 picks a free port. A non-loopback --host needs --token (or DRIFTLOCK_TOKEN).
driftlock serve --ui PORT [--db PATH] [--data-dir DIR]
    ${SERVE_UI_USAGE}`;

/**
 * The option table: other modes (e.g. `--ui PORT`) add entries here and read
 * them from `ServeOptions.raw`, so parsing stays in one place.
 */
export const SERVE_OPTIONS = {
  db: { type: 'string' },
  'otlp-http': { type: 'string' },
  'otlp-grpc': { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  'max-body-mb': { type: 'string' },
  'queue-events': { type: 'string' },
  // The app's UI over loopback HTTP (serve-ui.ts).
  ui: { type: 'string' },
  'data-dir': { type: 'string' },
} satisfies ParseArgsConfig['options'];

export interface ServeOptions {
  /** The case file; '' in --ui mode when none is given (the UI opens or creates one). */
  db: string;
  host: string;
  httpPort: number;
  /** null: gRPC off. */
  grpcPort: number | null;
  token: string | undefined;
  maxBodyBytes: number;
  queueEvents: number;
  /** Every parsed option, for modes layered on serve. */
  raw: Record<string, string | boolean | undefined>;
}

function port(name: string, value: string | undefined, fallback: number): number {
  const p = intOption(name, value, fallback, 0);
  if (p > 65535) throw new UsageError(`--${name} must be a port number (0-65535), got ${value}`);
  return p;
}

export function parseServeArgs(args: string[], env: NodeJS.ProcessEnv = process.env): ServeOptions {
  let parsed;
  try {
    parsed = parseArgs({ args, strict: true, allowPositionals: false, options: SERVE_OPTIONS });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const v = parsed.values;
  if (!v.db && v.ui === undefined) throw new UsageError('serve needs --db PATH (the case file; created if absent)');
  const grpcOff = v['otlp-grpc'] === 'off';
  const opts: ServeOptions = {
    db: v.db ?? '',
    host: v.host ?? '127.0.0.1',
    httpPort: port('otlp-http', v['otlp-http'], DEFAULT_HTTP_PORT),
    grpcPort: grpcOff ? null : port('otlp-grpc', v['otlp-grpc'], DEFAULT_GRPC_PORT),
    token: v.token ?? (env.DRIFTLOCK_TOKEN || undefined),
    maxBodyBytes: intOption('max-body-mb', v['max-body-mb'], DEFAULT_MAX_BODY_BYTES / (1024 * 1024), 1) * 1024 * 1024,
    queueEvents: intOption('queue-events', v['queue-events'], 100_000, 1000),
    raw: v,
  };
  try {
    checkBindPolicy(opts.host, opts.token);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return opts;
}

function describe(receiver: Receiver, opts: ServeOptions): string[] {
  const host = receiver.host.includes(':') ? `[${receiver.host}]` : receiver.host;
  const lines = [
    `driftlock serve: case file ${opts.db}`,
    `driftlock serve: OTLP/HTTP and REST on http://${host}:${receiver.httpPort} (/v1/logs /v1/traces /v1/metrics, /healthz /readyz /metrics /v1/...)`,
  ];
  lines.push(receiver.grpcPort === null ? 'driftlock serve: OTLP/gRPC off' : `driftlock serve: OTLP/gRPC on ${host}:${receiver.grpcPort}`);
  if (opts.token) lines.push('driftlock serve: bearer token required on every route');
  return lines;
}

/** Resolves on the first SIGINT or SIGTERM. */
function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export async function runServe(args: string[], io: Io): Promise<number> {
  const opts = parseServeArgs(args);
  if (opts.raw.ui !== undefined) return runServeUi(opts, io);
  const services = await openServeServices({ db: opts.db, version: pkg.version });
  let receiver: Receiver;
  try {
    receiver = await startReceiver({
      host: opts.host,
      httpPort: opts.httpPort,
      grpcPort: opts.grpcPort,
      token: opts.token,
      sink: services.sink,
      backend: services.backend,
      routes: services.routes,
      maxBodyBytes: opts.maxBodyBytes,
      queue: { maxEvents: opts.queueEvents, maxBatchEvents: Math.min(20_000, opts.queueEvents) },
      onError: (err) => io.err(`driftlock serve: ${err.message}`),
    });
  } catch (err) {
    await services.close();
    throw err;
  }
  services.attach?.(receiver);
  // Printed on stderr line by line at once: scripts and tests wait for the addresses.
  for (const line of describe(receiver, opts)) io.err(line);
  const signal = await shutdownSignal();
  io.err(`driftlock serve: ${signal}: not accepting new data; draining ${receiver.queue.depth} queued events`);
  await receiver.close();
  await services.close();
  io.err(`driftlock serve: stopped; ${receiver.queue.stored} events stored this session`);
  return 0;
}
