import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import {
  ANOMALIES_FILE,
  AUDIT_FILE,
  BUNDLE_SCHEMA,
  BUNDLE_SCHEMA_VERSION,
  DATA_DIR,
  MANIFEST_FILE,
  REPORT_FILE,
  SIGNATURE_FILE,
  type AnomaliesFile,
  type BundleManifest,
  type BundleSignature,
  type DataEvent,
  type ManifestFile,
} from './bundle-format';
import type { BundleInput } from './bundle-input';
import { signManifest } from './bundle-signature';
import { renderReport, type ReportOptions } from './report/render-report';
import type { SigningKey } from './signing-key';
import { APP_NAME } from '../store/app-version';
import { writeZip, type ZipEntry } from './zip-writer';

export interface BuiltBundle {
  bytes: Uint8Array;
  manifest: BundleManifest;
  signature: BundleSignature;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Deep copy with NaN and ±Infinity as null: how JSON holds "no value". */
export function finiteOrNull<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Indented JSON with keys in canonical order: readable, and stable whatever order objects were built in. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(finiteOrNull(value))), null, 2)}\n`;
}

function jsonLines(rows: readonly unknown[]): Uint8Array {
  return new TextEncoder().encode(rows.map((r) => `${canonicalJson(r)}\n`).join(''));
}

/** A directory name for an anomaly id: safe in every zip tool and filesystem. */
export function anomalyDataDir(id: string): string {
  return `${DATA_DIR}/anomaly-${id.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

function dataEvent(e: DataEvent): DataEvent {
  return {
    index: e.index,
    text: e.text,
    ...(e.timestamp !== undefined ? { timestamp: e.timestamp } : {}),
    ...(e.original !== undefined && e.original !== e.text ? { original: e.original } : {}),
  };
}

function checkInput(input: BundleInput): void {
  if (Number.isNaN(input.createdAt.getTime())) throw new Error('buildBundle: createdAt is not a valid date');
  if (input.anomalies.length === 0) throw new Error('buildBundle: there are no anomalies to export');
  const analyses = new Set(input.analyses.map((a) => a.id));
  const dirs = new Map<string, string>();
  for (const a of input.anomalies) {
    if (!analyses.has(a.analysisId)) throw new Error(`buildBundle: anomaly ${a.id} names analysis ${a.analysisId}, which is not in the input`);
    const dir = anomalyDataDir(a.id);
    const other = dirs.get(dir);
    if (other !== undefined) throw new Error(`buildBundle: anomalies ${other} and ${a.id} map to the same data directory ${dir}`);
    dirs.set(dir, a.id);
    if (a.windowEvents.length !== a.result.n) throw new Error(`buildBundle: anomaly ${a.id} has ${a.windowEvents.length} window events, its result says ${a.result.n}`);
  }
}

/**
 * Builds a signed bundle in memory. The zip holds, in this order:
 * manifest.json, signature.json, anomalies.json, report.pdf, audit.jsonl and
 * the data/ files; its bytes depend only on the input and the key.
 */
export async function buildBundle(input: BundleInput, key: SigningKey, options: ReportOptions = {}): Promise<BuiltBundle> {
  checkInput(input);
  // Data files per anomaly. Windows of a stream often share one baseline
  // (flagged windows are kept out of it): an identical baseline is stored
  // once and the later anomalies point to the first copy.
  const dataFiles: ZipEntry[] = [];
  const baselineByHash = new Map<string, string>();
  const dataPaths = input.anomalies.map((a) => {
    const dir = anomalyDataDir(a.id);
    const baseline = jsonLines([...a.baselineEvents].sort((x, y) => x.index - y.index).map(dataEvent));
    const hash = sha256Hex(baseline);
    let baselinePath = baselineByHash.get(hash);
    if (baselinePath === undefined) {
      baselinePath = `${dir}/baseline.jsonl`;
      baselineByHash.set(hash, baselinePath);
      dataFiles.push({ path: baselinePath, data: baseline, compress: true });
    }
    const windowPath = `${dir}/window.jsonl`;
    dataFiles.push({ path: windowPath, data: jsonLines(a.windowEvents.map(dataEvent)), compress: true });
    return { baseline: baselinePath, window: windowPath };
  });

  const files: ZipEntry[] = [];
  const anomalies: AnomaliesFile = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    anomalies: input.anomalies.map(({ baselineEvents: _b, windowEvents: _w, ...a }, i) => ({ ...a, data: dataPaths[i]! })),
    batches: input.analyses.map((a) => ({ analysisId: a.id, windows: a.batch })),
  };
  files.push({ path: ANOMALIES_FILE, data: new TextEncoder().encode(stableJson(anomalies)), compress: true });
  const report = await renderReport(input, key, options);
  files.push({ path: REPORT_FILE, data: report, compress: false });
  files.push({ path: AUDIT_FILE, data: jsonLines(input.audit), compress: true });
  files.push(...dataFiles);

  const head = input.audit[input.audit.length - 1];
  const manifest: BundleManifest = {
    schema: BUNDLE_SCHEMA,
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    app: { name: APP_NAME, version: input.appVersion },
    createdAt: input.createdAt.toISOString(),
    case: { id: input.caseId },
    scope: input.scope,
    analyst: input.analyst,
    signer: { algorithm: 'Ed25519', fingerprint: key.fingerprint },
    analyses: input.analyses.map(({ batch: _batch, ...a }) => a),
    sources: input.sources,
    anomalies: input.anomalies.map((a) => ({ id: a.id, analysisId: a.analysisId, stream: a.result.stream, window: a.result.window })),
    audit: { rows: input.audit.length, head: head ? { id: head.id, hash: head.hash } : null },
    files: files.map((f): ManifestFile => ({ path: f.path, sha256: sha256Hex(f.data), size: f.data.length })),
  };
  // canonicalJson throws on NaN: parameters and pins are finite by construction.
  const manifestBytes = new TextEncoder().encode(canonicalJson(manifest));
  const signature = signManifest(manifest, key);
  const bytes = writeZip([
    { path: MANIFEST_FILE, data: manifestBytes, compress: true },
    { path: SIGNATURE_FILE, data: new TextEncoder().encode(stableJson(signature)), compress: true },
    ...files,
  ]);
  return { bytes, manifest, signature };
}
