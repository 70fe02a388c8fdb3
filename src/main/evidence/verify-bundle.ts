import { readFile } from 'node:fs/promises';
import { createCompressor, type Compressor, type CompressorName, type WindowResult } from '../../core';
import type { ReproducedWindow, VerifyCheck, VerifyResult } from '../../shared/evidence';
import { checkAuditSlice } from '../audit/audit-slice';
import {
  ANOMALIES_FILE,
  AUDIT_FILE,
  MANIFEST_FILE,
  SIGNATURE_FILE,
  type AnomaliesFile,
  type BundleManifest,
  type BundleSignature,
  type DataEvent,
} from './bundle-format';
import { parseAnomalies, parseAuditRows, parseDataEvents, parseManifest, parseSignature } from './bundle-parse';
import { signatureProblem } from './bundle-signature';
import { sha256Hex } from './build-bundle';
import { normalizeFingerprint, shortFingerprint } from './signing-key';
import { checkDecision, pinMismatches, reproduceRecorded } from './verify-windows';
import { ZipReader, ZipUnreadableError } from './zip-reader';

export interface VerifyOptions {
  /** Expected signer: the full fingerprint, or at least its first 16 hex digits. */
  expectedFingerprint?: string;
  /** Compressors to re-compute with (tests); by default the pinned ones on this machine. */
  compressors?: Partial<Record<CompressorName, Compressor>>;
}

/** Collects checks; each step adds one or more. */
class Report {
  readonly checks: VerifyCheck[] = [];
  add(name: string, ok: boolean, detail: string): boolean {
    this.checks.push({ name, ok, detail });
    return ok;
  }
  /** Runs a step; an exception fails the step with its message instead of ending the verification. */
  attempt<T>(name: string, step: () => T): T | undefined {
    try {
      return step();
    } catch (err) {
      this.add(name, false, (err as Error).message);
      return undefined;
    }
  }
}

function unreadable(report: Report, detail: string): VerifyResult {
  report.add('bundle', false, detail);
  return { ok: false, readable: false, checks: report.checks, keyPinned: false, windows: [] };
}

function checkSigner(report: Report, manifest: BundleManifest | undefined, sig: BundleSignature, expected: string | undefined): void {
  if (manifest && manifest.signer.fingerprint !== sig.fingerprint) {
    report.add(
      'signer',
      false,
      `signature.json is by key ${shortFingerprint(sig.fingerprint)}, the manifest names key ${shortFingerprint(manifest.signer.fingerprint)}: signature.json was replaced`,
    );
    return;
  }
  if (expected === undefined) {
    report.add('signer', true, `not pinned: signed by ${sig.fingerprint}; pass --key with your organisation's fingerprint to require it`);
    return;
  }
  const want = normalizeFingerprint(expected);
  if (!/^[0-9a-f]{16,64}$/.test(want)) {
    report.add('signer', false, `--key "${expected}" is not a fingerprint (16 to 64 hex digits)`);
    return;
  }
  report.add(
    'signer',
    sig.fingerprint.startsWith(want),
    sig.fingerprint.startsWith(want)
      ? `signed by the expected key ${shortFingerprint(sig.fingerprint)}`
      : `signed by ${sig.fingerprint}, expected a key starting ${want}`,
  );
}

function checkFileList(report: Report, zip: ZipReader, manifest: BundleManifest): void {
  const listed = new Set(manifest.files.map((f) => f.path));
  const expected = new Set([MANIFEST_FILE, SIGNATURE_FILE, ...listed]);
  const extra = zip.paths().filter((p) => !expected.has(p));
  const missing = [...expected].filter((p) => !zip.has(p));
  const repeated = manifest.files.length !== listed.size;
  const problems = [
    ...(extra.length ? [`not in the manifest: ${extra.join(', ')}`] : []),
    ...(missing.length ? [`missing: ${missing.join(', ')}`] : []),
    ...(repeated ? ['the manifest lists a file twice'] : []),
  ];
  report.add('files', problems.length === 0, problems.length === 0 ? `${zip.paths().length} files, exactly those the manifest lists` : problems.join('; '));
}

function checkHashes(report: Report, zip: ZipReader, manifest: BundleManifest): void {
  for (const f of manifest.files) {
    if (!zip.has(f.path)) continue; // reported by the file list
    const name = `hash ${f.path}`;
    report.attempt(name, () => {
      const data = zip.read(f.path);
      const actual = sha256Hex(data);
      if (actual !== f.sha256) report.add(name, false, `SHA-256 is ${actual}, the manifest says ${f.sha256}: the file was changed`);
      else if (data.length !== f.size) report.add(name, false, `${data.length} bytes, the manifest says ${f.size}`);
      else report.add(name, true, `SHA-256 and size (${data.length} bytes) match`);
    });
  }
}

function readEntry(zip: ZipReader, path: string): Uint8Array {
  if (!zip.has(path)) throw new Error(`${path} is missing from the bundle`);
  return zip.read(path);
}

function checkAnomalyList(report: Report, manifest: BundleManifest, file: AnomaliesFile): void {
  const want = manifest.anomalies.map((a) => `${a.id}|${a.analysisId}|${a.stream}|${a.window}`);
  const have = file.anomalies.map((a) => `${a.id}|${a.analysisId}|${a.result.stream}|${a.result.window}`);
  const ok = want.length === have.length && want.every((w, i) => w === have[i]);
  report.add(
    ANOMALIES_FILE,
    ok,
    ok ? `${have.length} anomalies, as the manifest lists them` : `the anomalies (${have.join(', ')}) are not those the manifest lists (${want.join(', ')})`,
  );
}

function checkAudit(report: Report, zip: ZipReader, manifest: BundleManifest): void {
  report.attempt('audit', () => {
    const rows = parseAuditRows(readEntry(zip, AUDIT_FILE), AUDIT_FILE);
    const head = manifest.audit.head;
    if (head === null) {
      report.add('audit', rows.length === 0, rows.length === 0 ? 'no audit trail (the bundle was not made from a case)' : `${rows.length} rows but the manifest names no chain head`);
      return;
    }
    const problems = checkAuditSlice(rows, head);
    if (rows.length !== manifest.audit.rows) problems.push(`${rows.length} rows, the manifest says ${manifest.audit.rows}`);
    report.add(
      'audit',
      problems.length === 0,
      problems.length === 0 ? `${rows.length} rows hash-chained up to head ${head.id} (${head.hash.slice(0, 16)}…)` : problems.join('; '),
    );
  });
}

/**
 * Verifies an evidence bundle with nothing but the bundle: the signature,
 * the signer, the file list and every hash, the audit slice, and every
 * window's metrics re-computed from data/ with the pinned compressor, then
 * the batch decision. Never throws for a bad bundle: problems are checks
 * that failed; `readable` is false when the input is not a zip at all.
 */
export async function verifyBundle(source: string | Uint8Array, options: VerifyOptions = {}): Promise<VerifyResult> {
  const report = new Report();
  const path = typeof source === 'string' ? { path: source } : {};
  const result = await verify(source, options, report);
  return { ...path, ...result };
}

async function verify(source: string | Uint8Array, options: VerifyOptions, report: Report): Promise<VerifyResult> {
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    try {
      bytes = await readFile(source);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return unreadable(report, `${source}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message}`);
    }
  } else {
    bytes = source;
  }
  let zip: ZipReader;
  try {
    zip = new ZipReader(bytes);
  } catch (err) {
    if (err instanceof ZipUnreadableError) return unreadable(report, err.message);
    throw err;
  }
  report.add('bundle', true, `zip with ${zip.paths().length} entries, ${bytes.length} bytes`);

  const manifestBytes = report.attempt(MANIFEST_FILE, () => readEntry(zip, MANIFEST_FILE));
  const manifest = manifestBytes ? report.attempt(MANIFEST_FILE, () => parseManifest(manifestBytes)) : undefined;
  if (manifest) report.add(MANIFEST_FILE, true, `schema ${manifest.schema} ${manifest.schemaVersion}, case ${manifest.case.id}, created ${manifest.createdAt}`);

  const sig = report.attempt(SIGNATURE_FILE, () => parseSignature(readEntry(zip, SIGNATURE_FILE)));
  if (sig && manifestBytes) {
    const problem = signatureProblem(manifestBytes, sig);
    report.add('signature', problem === undefined, problem ?? `Ed25519 signature over ${MANIFEST_FILE} holds (key ${shortFingerprint(sig.fingerprint)})`);
    checkSigner(report, manifest, sig, options.expectedFingerprint);
  } else {
    report.add('signature', false, 'cannot be checked without a readable manifest.json and signature.json');
  }

  const windows: ReproducedWindow[] = [];
  if (manifest) {
    checkFileList(report, zip, manifest);
    checkHashes(report, zip, manifest);
    checkAudit(report, zip, manifest);
    const anomalies = report.attempt(ANOMALIES_FILE, () => parseAnomalies(readEntry(zip, ANOMALIES_FILE)));
    if (anomalies) {
      checkAnomalyList(report, manifest, anomalies);
      windows.push(...checkWindows(report, zip, manifest, anomalies, options));
    }
  }

  const ok = report.checks.every((c) => c.ok);
  return {
    ok,
    readable: true,
    checks: report.checks,
    ...(sig ? { fingerprint: sig.fingerprint } : {}),
    keyPinned: options.expectedFingerprint !== undefined,
    windows,
    ...(manifest
      ? {
          summary: {
            caseId: manifest.case.id,
            createdAt: manifest.createdAt,
            appVersion: manifest.app.version,
            anomalies: manifest.anomalies.length,
            ...(manifest.analyst.incidentId !== undefined ? { incidentId: manifest.analyst.incidentId } : {}),
          },
        }
      : {}),
  };
}

function checkWindows(report: Report, zip: ZipReader, manifest: BundleManifest, file: AnomaliesFile, options: VerifyOptions): ReproducedWindow[] {
  const out: ReproducedWindow[] = [];
  const compressors = new Map<string, Compressor>();
  const usable = new Set<string>();
  for (const analysis of manifest.analyses) {
    const name = `compressor ${analysis.id}`;
    report.attempt(name, () => {
      const pinned = analysis.compressor;
      if (analysis.params.compressor !== pinned.name) throw new Error(`params.compressor is ${analysis.params.compressor}, the pin is ${pinned.name}`);
      const local = options.compressors?.[pinned.name] ?? createCompressor(pinned.name);
      compressors.set(analysis.id, local);
      const problems = pinMismatches(pinned, local.pin);
      if (problems.length === 0) usable.add(analysis.id);
      report.add(
        name,
        problems.length === 0,
        problems.length === 0
          ? `${pinned.name} ${pinned.formatVersion} level ${pinned.level} with the pinned parameters (here: ${local.pin.library} ${local.pin.libraryVersion})`
          : `this machine cannot honour the pin: ${problems.join('; ')}`,
      );
    });
  }

  const reproduced = new Map<string, WindowResult>();
  for (const record of file.anomalies) {
    const name = `window ${record.id}`;
    const analysis = manifest.analyses.find((a) => a.id === record.analysisId);
    const row: ReproducedWindow = { anomalyId: record.id, stream: record.result.stream, window: record.result.window, reproduced: false, mismatches: [] };
    out.push(row);
    if (!analysis) {
      report.add(name, false, `names analysis ${record.analysisId}, which the manifest does not list`);
      continue;
    }
    const compressor = compressors.get(analysis.id);
    if (!compressor || !usable.has(analysis.id)) {
      report.add(name, false, `not re-computed: the compressor pin of analysis ${analysis.id} cannot be honoured here`);
      continue;
    }
    report.attempt(name, () => {
      const baseline: DataEvent[] = parseDataEvents(readEntry(zip, record.data.baseline), record.data.baseline);
      const events: DataEvent[] = parseDataEvents(readEntry(zip, record.data.window), record.data.window);
      const check = reproduceRecorded(analysis.params, record, baseline, events, compressor);
      row.reproduced = check.reproduced;
      row.mismatches = check.mismatches;
      if (check.result) reproduced.set(record.id, check.result);
      const where = `window ${record.result.window} of ${record.result.stream}, events ${record.result.firstEvent}–${record.result.lastEvent}`;
      report.add(
        name,
        check.reproduced,
        check.reproduced
          ? `reproduced: ${where}; every metric equal from ${baseline.length} baseline and ${events.length} window events`
          : `not reproduced (${where}): anomalies.json differs from the re-computation in ${check.mismatches.join('; ')}`,
      );
    });
  }

  for (const analysis of manifest.analyses) {
    const name = `decision ${analysis.id}`;
    report.attempt(name, () => {
      const batch = file.batches.find((b) => b.analysisId === analysis.id);
      if (!batch) throw new Error(`${ANOMALIES_FILE} has no batch for analysis ${analysis.id}`);
      const records = file.anomalies.filter((a) => a.analysisId === analysis.id);
      const problems = checkDecision(analysis.params, batch.windows, records, reproduced);
      report.add(
        name,
        problems.length === 0,
        problems.length === 0
          ? `q-values (Benjamini–Hochberg over ${batch.windows.length} windows), flags and explanations follow for ${records.length} anomalies`
          : problems.join('; '),
      );
    });
  }
  return out;
}
