// A real `driftlock serve` child process on loopback, with a fresh case file;
// events are counted in that file with a read-only SQLite connection.
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cliNodeFlags } from '../../../scripts/lib/cli-node-flags';

export const ROOT = resolve(import.meta.dirname, '../../..');

export interface ServeHandle {
  httpBase: string;
  grpcBase: string;
  db: string;
  pid: number;
  maxBodyBytes: number;
  /** Events in the case file (optionally of one stream, or streams matching a LIKE pattern). */
  countEvents(streamLike?: string): Promise<number>;
  alive(): boolean;
  /** stderr so far. */
  log(): string;
  /** SIGTERM, then the exit code; the case file's folder is removed unless `keep`. */
  stop(opts?: { keep?: boolean }): Promise<number | null>;
  /** SIGKILL (a crash), then the exit signal; the case file stays. */
  crash(): Promise<void>;
  /** Removes the case file's folder. */
  cleanup(): void;
}

/** The node flags `npm run driftlock` uses (package.json is their one source; see cli-node-flags.ts for why). */
export const CLI_NODE_FLAGS = cliNodeFlags();

/** Spawns `driftlock serve` as `npm run driftlock` runs it (node + tsx loader, without npm/tsx in between, so signals reach it directly). */
export function spawnServe(args: string[]): ChildProcess {
  return spawn(process.execPath, [...CLI_NODE_FLAGS, '--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DRIFTLOCK_TOKEN: '' },
  });
}

/** Waits for the process to exit; its code and all of stderr. */
export function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

export interface ServeStartOptions {
  token?: string;
  maxBodyMb?: number;
  queueEvents?: number;
  /** Further `serve` options (analysis parameters, --no-analyze, ...). */
  args?: string[];
  /** An existing case file (default: a new one in a fresh folder). */
  db?: string;
}

export async function startServe(opts: ServeStartOptions = {}): Promise<ServeHandle> {
  const dir = opts.db ? undefined : mkdtempSync(join(tmpdir(), 'driftlock-serve-'));
  const db = opts.db ?? join(dir!, 'case.sqlite');
  const maxBodyMb = opts.maxBodyMb ?? 4;
  const args = ['--db', db, '--otlp-http', '0', '--otlp-grpc', '0', '--max-body-mb', String(maxBodyMb), ...(opts.args ?? [])];
  if (opts.token) args.push('--token', opts.token);
  if (opts.queueEvents) args.push('--queue-events', String(opts.queueEvents));
  const child = spawnServe(args);
  let stderr = '';
  let exitCode: number | null | undefined;
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve((exitCode = code))));
  const ready = new Promise<{ http: string; grpc: string }>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const http = /OTLP\/HTTP and REST on (http:\/\/\S+)/.exec(stderr);
      const grpc = /OTLP\/gRPC (?:on (\S+)|off)/.exec(stderr);
      if (http && grpc) resolve({ http: http[1]!, grpc: grpc[1] ? `http://${grpc[1]}` : '' });
    });
    void exit.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${stderr}`)));
  });
  const { http, grpc } = await ready;
  return {
    httpBase: http,
    grpcBase: grpc,
    db,
    pid: child.pid!,
    maxBodyBytes: maxBodyMb * 1024 * 1024,
    countEvents: async (streamLike) => {
      const conn = new Database(db, { readonly: true, fileMustExist: true });
      try {
        const row = streamLike
          ? conn.prepare('SELECT count(*) AS n FROM events JOIN streams ON streams.id = events.stream_id WHERE streams.key LIKE ?').get(streamLike)
          : conn.prepare('SELECT count(*) AS n FROM events').get();
        return (row as { n: number }).n;
      } finally {
        conn.close();
      }
    },
    alive: () => exitCode === undefined,
    log: () => stderr,
    stop: async (o) => {
      if (exitCode === undefined) child.kill('SIGTERM');
      const code = await exit;
      if (!o?.keep && dir) rmSync(dir, { recursive: true, force: true });
      return code;
    },
    crash: async () => {
      if (exitCode === undefined) child.kill('SIGKILL');
      await exit;
    },
    cleanup: () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
