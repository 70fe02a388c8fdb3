import { existsSync, rmSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PROFILE_NAMES, type AnalysisParams } from '../../core';
import { LIVE_DEFAULT_DECIDE_MS, LIVE_DEFAULT_PARAMS } from '../../main/analysis/live-analysis';
import { resolvePolicy } from '../../main/ingest/redaction';
import { checkBindPolicy } from '../../main/otlp/access-policy';
import { DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, DEFAULT_MAX_BODY_BYTES, startReceiver, type Receiver } from '../../main/otlp/otlp-receiver';
import { openServeServices } from '../../main/otlp/serve-services';
import type { RedactionPolicy } from '../../shared/redaction-policy';
import pkg from '../../../package.json' with { type: 'json' };
import { cliActor } from '../cli-actor';
import { userDataDir } from '../data-dir';
import { enumOption, intOption, UsageError } from '../usage-error';
import type { Io } from './analyze';
import { runServeUi, SERVE_UI_USAGE } from './serve-ui';

const LIVE_WINDOWS = LIVE_DEFAULT_PARAMS.windowing as { windowMs: number; hopMs: number; baseline: number };

export const SERVE_USAGE = `driftlock serve --db PATH [--otlp-http PORT] [--otlp-grpc PORT|off] [--host 127.0.0.1]
    [--token T] [--max-body-mb N] [--queue-events N] [--sync full|normal]
    [--redact default|strict|none|POLICY.json] [--no-analyze] [--workers N] [--analysis-heap-mb N]
    [--window-ms MS] [--hop-ms MS] [--baseline N] [--decide-ms MS]
    [--profile sensitive|balanced|strict] [--permutations N] [--seed N] [--data-dir DIR]
    OTLP/HTTP + REST on --otlp-http (default ${DEFAULT_HTTP_PORT}), OTLP/gRPC on --otlp-grpc (default ${DEFAULT_GRPC_PORT});
    port 0 picks a free port. A non-loopback --host needs --token (or DRIFTLOCK_TOKEN).
    Live analysis: time windows of --window-ms (default ${LIVE_WINDOWS.windowMs}) every --hop-ms (default ${LIVE_WINDOWS.hopMs})
    against the last --baseline events (default ${LIVE_WINDOWS.baseline}); each stream's windows are decided per
    --decide-ms of data time (default ${LIVE_DEFAULT_DECIDE_MS}).
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
  sync: { type: 'string' },
  redact: { type: 'string' },
  'no-analyze': { type: 'boolean' },
  workers: { type: 'string' },
  'analysis-heap-mb': { type: 'string' },
  'window-ms': { type: 'string' },
  'hop-ms': { type: 'string' },
  baseline: { type: 'string' },
  'decide-ms': { type: 'string' },
  profile: { type: 'string' },
  permutations: { type: 'string' },
  seed: { type: 'string' },
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
  sync: 'full' | 'normal';
  redaction: RedactionPolicy;
  /** Live analysis parameters, or null (--no-analyze). */
  params: AnalysisParams | null;
  decideMs: number;
  workers: number | undefined;
  analysisHeapMb: number;
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
  const windowMs = intOption('window-ms', v['window-ms'], LIVE_WINDOWS.windowMs, 1);
  const params: AnalysisParams = {
    ...LIVE_DEFAULT_PARAMS,
    windowing: {
      kind: 'time',
      windowMs,
      hopMs: intOption('hop-ms', v['hop-ms'], v['window-ms'] === undefined ? LIVE_WINDOWS.hopMs : windowMs, 1),
      baseline: intOption('baseline', v.baseline, LIVE_WINDOWS.baseline, 2),
    },
    profile: enumOption('profile', v.profile, PROFILE_NAMES, LIVE_DEFAULT_PARAMS.profile),
    permutations: intOption('permutations', v.permutations, LIVE_DEFAULT_PARAMS.permutations),
    seed: intOption('seed', v.seed, LIVE_DEFAULT_PARAMS.seed),
  };
  if (params.seed > 0xffffffff) throw new UsageError(`--seed must be below 2^32, got ${params.seed}`);
  const opts: ServeOptions = {
    db: v.db ?? '',
    host: v.host ?? '127.0.0.1',
    httpPort: port('otlp-http', v['otlp-http'], DEFAULT_HTTP_PORT),
    grpcPort: grpcOff ? null : port('otlp-grpc', v['otlp-grpc'], DEFAULT_GRPC_PORT),
    token: v.token ?? (env.DRIFTLOCK_TOKEN || undefined),
    maxBodyBytes: intOption('max-body-mb', v['max-body-mb'], DEFAULT_MAX_BODY_BYTES / (1024 * 1024), 1) * 1024 * 1024,
    queueEvents: intOption('queue-events', v['queue-events'], 100_000, 1000),
    sync: enumOption('sync', v.sync, ['full', 'normal'] as const, 'full'),
    redaction: resolvePolicy(v.redact ?? 'default'),
    params: v['no-analyze'] ? null : params,
    decideMs: intOption('decide-ms', v['decide-ms'], LIVE_DEFAULT_DECIDE_MS, 1),
    workers: v.workers === undefined ? undefined : intOption('workers', v.workers, 1, 1),
    analysisHeapMb: intOption('analysis-heap-mb', v['analysis-heap-mb'], 2048, 64),
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
    `driftlock serve: case file ${opts.db} (redaction ${opts.redaction.name}, synchronous=${opts.sync.toUpperCase()})`,
    `driftlock serve: OTLP/HTTP and REST on http://${host}:${receiver.httpPort} (/v1/logs /v1/traces /v1/metrics, /healthz /readyz /metrics /v1/...)`,
  ];
  lines.push(receiver.grpcPort === null ? 'driftlock serve: OTLP/gRPC off' : `driftlock serve: OTLP/gRPC on ${host}:${receiver.grpcPort}`);
  const p = opts.params;
  if (p && p.windowing.kind === 'time') {
    lines.push(
      `driftlock serve: live analysis: ${p.windowing.windowMs} ms windows every ${p.windowing.hopMs} ms, baseline ${p.windowing.baseline} events, ` +
        `decided per ${opts.decideMs} ms of data time (profile ${p.profile}, ${p.permutations} permutations, seed ${p.seed})`,
    );
  } else {
    lines.push('driftlock serve: live analysis off (--no-analyze)');
  }
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
  const newCase = !existsSync(opts.db);
  const services = await openServeServices({
    db: opts.db,
    version: pkg.version,
    redaction: opts.redaction,
    params: opts.params,
    decideMs: opts.decideMs,
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    analysisHeapMb: opts.analysisHeapMb,
    sync: opts.sync,
    actor: cliActor(),
    evidenceDataDir: userDataDir(opts.raw['data-dir'] as string | undefined),
    onError: (err) => io.err(`driftlock serve: ${err.message}`),
  });
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
      onStopping: () => services.stopping(),
      maxBodyBytes: opts.maxBodyBytes,
      queue: { maxEvents: opts.queueEvents, maxBatchEvents: Math.min(20_000, opts.queueEvents) },
      onError: (err) => io.err(`driftlock serve: ${err.message}`),
    });
  } catch (err) {
    await services.close();
    // Nothing was received: a case file this run created would only be an empty leftover.
    if (newCase) for (const suffix of ['', '-wal', '-shm']) rmSync(opts.db + suffix, { force: true });
    throw err;
  }
  services.attach(receiver);
  // Printed on stderr line by line at once: scripts and tests wait for the addresses.
  for (const line of describe(receiver, opts)) io.err(line);
  const signal = await shutdownSignal();
  io.err(`driftlock serve: ${signal}: not accepting new data; draining ${receiver.queue.depth} queued events`);
  await receiver.close();
  io.err(`driftlock serve: ${receiver.queue.stored} events stored this session; finishing the live analysis`);
  const summary = await services.close();
  if (summary.analysisId !== null) {
    io.err(`driftlock serve: analysis #${summary.analysisId}: ${summary.windows} windows decided, ${summary.anomalies} anomalous`);
    for (const f of summary.failures) io.err(`driftlock serve: not analysed to the end: ${f}`);
  }
  io.err('driftlock serve: stopped');
  return 0;
}
