import { parseArgs } from 'node:util';
import { ExportError } from '../../main/evidence/case-evidence';
import { exportBundle } from '../../main/evidence/export-bundle';
import { CaseStore } from '../../main/store';
import type { ExportScope } from '../../shared/evidence';
import { cliActor } from '../cli-actor';
import { userDataDir } from '../data-dir';
import { UsageError } from '../usage-error';
import type { Io } from './analyze';

export const EXPORT_USAGE = `driftlock export --db PATH (--anomaly ID... | --all | --from ISO --to ISO) --out FILE.zip
    [--incident-id TEXT] [--classification TEXT] [--reporter TEXT] [--created-at ISO] [--data-dir DIR]`;

function scopeOf(v: { anomaly?: string[]; all?: boolean; from?: string; to?: string }): ExportScope {
  const chosen = [v.anomaly !== undefined, v.all === true, v.from !== undefined || v.to !== undefined].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('export needs exactly one of --anomaly ID, --all, or --from T --to T');
  if (v.anomaly) return { kind: 'anomalies', ids: v.anomaly };
  if (v.all) return { kind: 'all' };
  if (v.from === undefined || v.to === undefined) throw new UsageError('--from and --to go together');
  return { kind: 'range', from: v.from, to: v.to };
}

export async function runExport(args: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      options: {
        db: { type: 'string' },
        anomaly: { type: 'string', multiple: true },
        all: { type: 'boolean' },
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        'incident-id': { type: 'string' },
        classification: { type: 'string' },
        reporter: { type: 'string' },
        'created-at': { type: 'string' },
        'data-dir': { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const v = parsed.values;
  if (!v.db) throw new UsageError('export needs --db PATH (the case file)');
  if (!v.out) throw new UsageError('export needs --out FILE.zip');
  const scope = scopeOf(v);
  let createdAt: Date | undefined;
  if (v['created-at'] !== undefined) {
    createdAt = new Date(v['created-at']);
    if (Number.isNaN(createdAt.getTime())) throw new UsageError(`--created-at "${v['created-at']}" is not an ISO 8601 time`);
  }
  const analyst = {
    ...(v['incident-id'] !== undefined ? { incidentId: v['incident-id'] } : {}),
    ...(v.classification !== undefined ? { classification: v.classification } : {}),
    ...(v.reporter !== undefined ? { reporter: v.reporter } : {}),
  };
  const started = performance.now();
  const store = CaseStore.open(v.db);
  try {
    const result = await exportBundle(store, {
      scope,
      out: v.out,
      userDataDir: userDataDir(v['data-dir']),
      analyst,
      ...(createdAt ? { createdAt } : {}),
      actor: cliActor(),
    });
    if (result.keyCreated) io.err(`generated a signing key (first use): ${result.keyFingerprint}`);
    io.out(
      `wrote ${result.path}: ${result.anomalies} anomalies, ${result.files} files, ${result.bytes.toLocaleString('en-US')} bytes, ` +
        `sha256 ${result.sha256}, signed by ${result.keyFingerprint} (${((performance.now() - started) / 1000).toFixed(2)} s)`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ExportError) throw new UsageError(err.message);
    throw err;
  } finally {
    store.close();
  }
}
