/**
 * The composition root shared by the Electron entry and `serve --ui`: the
 * real case store, evidence and the OTLP listener behind one AppServices.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Transport } from '../../shared/dto';
import { createAppServices, type AppServices } from './app-services';
import { createAnalysisPool, type AnalysisPool } from '../analysis';
import { evidencePort } from './evidence-port';
import { otlpListener } from './otlp-listener';
import { storeCaseOpener } from './store-case';
import type { DialogPort } from './service-ports';

/** The repository (or app.asar) root: src/main/api -> ../../.., out/main -> ../.. */
export function appRoot(from: string): string {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`package.json not found above ${from}`);
}

export function appVersion(root: string): string {
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

export const SAMPLE_LOG = 'resources/sample/checkout-incident.log';

export interface WireOptions {
  transport: Transport;
  dataDir: string;
  /** Where resources/ lives (the repo root, or process.resourcesPath in a packaged app). */
  resourcesRoot: string;
  version: string;
  dialogs?: DialogPort;
}

export function wireAppServices(options: WireOptions): AppServices {
  const sample = path.join(options.resourcesRoot, SAMPLE_LOG);
  const fonts = path.join(options.resourcesRoot, 'resources', 'fonts');
  const fontsDir = existsSync(fonts) ? fonts : undefined;
  let pool: AnalysisPool | null = null;
  return createAppServices({
    version: options.version,
    transport: options.transport,
    opener: storeCaseOpener(() => (pool ??= createAnalysisPool()), fontsDir),
    evidence: evidencePort(options.dataDir),
    listener: otlpListener({ version: options.version, dataDir: options.dataDir }),
    onDispose: async () => {
      await pool?.close();
    },
    dataDir: options.dataDir,
    sampleLog: existsSync(sample) ? sample : null,
    ...(options.dialogs && { dialogs: options.dialogs }),
  });
}
