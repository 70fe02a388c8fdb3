import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { appRoot, appVersion, wireAppServices } from '../../main/api/wire-services';
import { startUiServer } from '../../main/ui-server/ui-server';
import { intOption, UsageError } from '../usage-error';
import type { Io } from './analyze';

export const SERVE_USAGE = `driftlock serve --db PATH --ui PORT [--data-dir DIR]
    serves the app's UI on http://127.0.0.1:PORT (0 = any free port) for a browser;
    the first line on stdout is the URL to open, with this run's token`;

function parseServeArgs(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      options: { db: { type: 'string' }, ui: { type: 'string' }, 'data-dir': { type: 'string' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const v = parsed.values;
  if (v.ui === undefined) throw new UsageError('serve needs --ui PORT (the OTLP listener is not on this branch yet)');
  return {
    db: v.db,
    uiPort: intOption('ui', v.ui, 0),
    dataDir: path.resolve(v['data-dir'] ?? path.join(os.homedir(), '.driftlock')),
  };
}

/** Resolves when SIGINT or SIGTERM arrives. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

export async function runServe(args: string[], io: Io): Promise<number> {
  const opts = parseServeArgs(args);
  if (opts.uiPort > 65535) throw new UsageError(`--ui must be a port number (0-65535), got ${opts.uiPort}`);
  const root = appRoot(import.meta.dirname);
  await mkdir(opts.dataDir, { recursive: true });
  const services = wireAppServices({ transport: 'http', dataDir: opts.dataDir, resourcesRoot: root, version: appVersion(root) });
  if (opts.db) await services.newCase({ path: opts.db });
  const server = await startUiServer({ services, port: opts.uiPort, rendererDir: path.join(root, 'out', 'renderer') });
  io.out(server.url);
  io.flush?.();
  io.err(`driftlock serve: UI on 127.0.0.1:${server.port}${opts.db ? `, case ${path.resolve(opts.db)}` : ''}; Ctrl-C stops`);
  const signal = await untilSignal();
  io.err(`driftlock serve: ${signal}, shutting down`);
  await server.close();
  await services.dispose();
  return 0;
}
