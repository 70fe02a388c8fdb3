/**
 * `driftlock serve --ui PORT`: the app's renderer and the same AppServices as
 * the desktop window, over loopback HTTP (src/main/ui-server). The first line
 * on stdout is the URL to open, with this run's token.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { appRoot, appVersion, wireAppServices } from '../../main/api/wire-services';
import { isLoopback } from '../../main/otlp/access-policy';
import { startUiServer } from '../../main/ui-server/ui-server';
import { intOption, UsageError } from '../usage-error';
import { userDataDir } from '../data-dir';
import type { Io } from './analyze';
import type { ServeOptions } from './serve';

export const SERVE_UI_USAGE = `serves the app's UI on http://127.0.0.1:PORT (0 = any free port) for a browser;
    the first line on stdout is the URL to open, with this run's token`;

/** Resolves when SIGINT or SIGTERM arrives. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

export async function runServeUi(opts: ServeOptions, io: Io): Promise<number> {
  const uiPort = intOption('ui', opts.raw.ui as string, 0);
  if (uiPort > 65535) throw new UsageError(`--ui must be a port number (0-65535), got ${uiPort}`);
  if (!isLoopback(opts.host)) throw new UsageError(`--ui serves 127.0.0.1 only; --host ${opts.host} is not allowed with it`);
  // The same folder the CLI's export and key commands use, so the signing key is shared.
  const dataDir = path.resolve(userDataDir(opts.raw['data-dir'] as string | undefined));
  const root = appRoot(import.meta.dirname);
  await mkdir(dataDir, { recursive: true });
  const services = wireAppServices({ transport: 'http', dataDir, resourcesRoot: root, version: appVersion(root) });
  try {
    if (opts.db) await services.newCase({ path: opts.db });
    const server = await startUiServer({ services, port: uiPort, rendererDir: path.join(root, 'out', 'renderer') });
    io.out(server.url);
    io.flush?.();
    io.err(`driftlock serve: UI on 127.0.0.1:${server.port}${opts.db ? `, case ${path.resolve(opts.db)}` : ''}; Ctrl-C stops`);
    const signal = await untilSignal();
    io.err(`driftlock serve: ${signal}, shutting down`);
    await server.close();
  } finally {
    await services.dispose();
  }
  return 0;
}
