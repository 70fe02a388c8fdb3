// Reading a bundle's files back with errors that name the file, the line and
// the field. The verifier trusts nothing it reads: every shape is checked
// before use, and a problem becomes a failed check rather than a crash.
import type { AuditRow } from '../../shared/case-types';
import { canonicalJson } from '../../shared/canonical-json';
import {
  BUNDLE_SCHEMA,
  BUNDLE_SCHEMA_VERSION,
  type AnomaliesFile,
  type BundleManifest,
  type BundleSignature,
  type DataEvent,
} from './bundle-format';

/** A file in the bundle does not have the expected shape. */
export class BundleFormatError extends Error {
  override name = 'BundleFormatError';
}

type Obj = Record<string, unknown>;

function fail(where: string, reason: string): never {
  throw new BundleFormatError(`${where}: ${reason}`);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, where: string): Obj {
  if (!isObj(v)) fail(where, 'expected an object');
  return v;
}

function arr(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) fail(where, 'expected an array');
  return v;
}

function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${where}.${key}`, 'expected a string');
  return v;
}

function int(o: Obj, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(`${where}.${key}`, 'expected an integer');
  return v;
}

const HEX64 = /^[0-9a-f]{64}$/;

function hex64(o: Obj, key: string, where: string): string {
  const v = str(o, key, where);
  if (!HEX64.test(v)) fail(`${where}.${key}`, 'expected 64 lowercase hex digits');
  return v;
}

/** JSON text → value, with the file named on a syntax error. */
export function parseJson(bytes: Uint8Array, file: string): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(file, 'is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    fail(file, `is not valid JSON (${(err as Error).message})`);
  }
}

/**
 * manifest.json: must be canonical (RFC 8785) bytes, so the signed bytes and
 * the parsed object say the same thing, and must carry the fields the
 * verifier relies on.
 */
export function parseManifest(bytes: Uint8Array): BundleManifest {
  const file = 'manifest.json';
  const value = parseJson(bytes, file);
  const m = obj(value, file);
  let canonical: string;
  try {
    canonical = canonicalJson(value);
  } catch (err) {
    fail(file, (err as Error).message);
  }
  if (canonical !== new TextDecoder().decode(bytes)) fail(file, 'is not in RFC 8785 canonical form');
  if (m.schema !== BUNDLE_SCHEMA) fail(`${file}: schema`, `expected "${BUNDLE_SCHEMA}", got ${JSON.stringify(m.schema)}`);
  if (m.schemaVersion !== BUNDLE_SCHEMA_VERSION) {
    fail(`${file}: schemaVersion`, `this verifier reads version ${BUNDLE_SCHEMA_VERSION}, the bundle is version ${JSON.stringify(m.schemaVersion)}`);
  }
  str(m, 'createdAt', file);
  str(obj(m.case, `${file}.case`), 'id', `${file}.case`);
  str(obj(m.app, `${file}.app`), 'version', `${file}.app`);
  hex64(obj(m.signer, `${file}.signer`), 'fingerprint', `${file}.signer`);
  arr(m.analyses, `${file}.analyses`).forEach((a, i) => {
    const where = `${file}.analyses[${i}]`;
    const o = obj(a, where);
    str(o, 'id', where);
    obj(o.params, `${where}.params`);
    obj(o.compressor, `${where}.compressor`);
  });
  arr(m.sources, `${file}.sources`);
  arr(m.anomalies, `${file}.anomalies`).forEach((a, i) => {
    const where = `${file}.anomalies[${i}]`;
    const o = obj(a, where);
    str(o, 'id', where);
    str(o, 'analysisId', where);
  });
  arr(m.files, `${file}.files`).forEach((f, i) => {
    const where = `${file}.files[${i}]`;
    const o = obj(f, where);
    str(o, 'path', where);
    hex64(o, 'sha256', where);
    int(o, 'size', where);
  });
  const audit = obj(m.audit, `${file}.audit`);
  int(audit, 'rows', `${file}.audit`);
  if (audit.head !== null) {
    const head = obj(audit.head, `${file}.audit.head`);
    int(head, 'id', `${file}.audit.head`);
    hex64(head, 'hash', `${file}.audit.head`);
  }
  return value as BundleManifest;
}

export function parseSignature(bytes: Uint8Array): BundleSignature {
  const file = 'signature.json';
  const s = obj(parseJson(bytes, file), file);
  for (const key of ['algorithm', 'canonicalization', 'signedFile', 'publicKey', 'signature']) str(s, key, file);
  hex64(s, 'fingerprint', file);
  return s as unknown as BundleSignature;
}

export function parseAnomalies(bytes: Uint8Array): AnomaliesFile {
  const file = 'anomalies.json';
  const f = obj(parseJson(bytes, file), file);
  arr(f.anomalies, `${file}.anomalies`).forEach((a, i) => {
    const where = `${file}.anomalies[${i}]`;
    const o = obj(a, where);
    str(o, 'id', where);
    str(o, 'analysisId', where);
    const r = obj(o.result, `${where}.result`);
    str(r, 'stream', `${where}.result`);
    int(r, 'window', `${where}.result`);
    const data = obj(o.data, `${where}.data`);
    str(data, 'baseline', `${where}.data`);
    str(data, 'window', `${where}.data`);
  });
  arr(f.batches, `${file}.batches`).forEach((b, i) => {
    const where = `${file}.batches[${i}]`;
    const o = obj(b, where);
    str(o, 'analysisId', where);
    arr(o.windows, `${where}.windows`).forEach((w, j) => {
      const ww = obj(w, `${where}.windows[${j}]`);
      str(ww, 'stream', `${where}.windows[${j}]`);
      int(ww, 'window', `${where}.windows[${j}]`);
    });
  });
  return f as unknown as AnomaliesFile;
}

function lines(bytes: Uint8Array, file: string): string[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(file, 'is not valid UTF-8');
  }
  if (text.length > 0 && !text.endsWith('\n')) fail(file, 'the last line has no newline (file cut short?)');
  return text.length === 0 ? [] : text.slice(0, -1).split('\n');
}

function jsonLine(line: string, file: string, n: number): Obj {
  try {
    return obj(JSON.parse(line) as unknown, `${file}:${n}`);
  } catch (err) {
    if (err instanceof BundleFormatError) throw err;
    fail(`${file}:${n}`, `not valid JSON (${(err as Error).message})`);
  }
}

/** A data/ file: one event per line, {index, text, timestamp?, original?}. */
export function parseDataEvents(bytes: Uint8Array, file: string): DataEvent[] {
  return lines(bytes, file).map((line, i) => {
    const where = `${file}:${i + 1}`;
    const o = jsonLine(line, file, i + 1);
    const e: DataEvent = { index: int(o, 'index', where), text: str(o, 'text', where) };
    if (o.timestamp !== undefined) {
      if (typeof o.timestamp !== 'number' || !Number.isFinite(o.timestamp)) fail(`${where}.timestamp`, 'expected a number');
      e.timestamp = o.timestamp;
    }
    if (o.original !== undefined) e.original = str(o, 'original', where);
    return e;
  });
}

/** audit.jsonl: one AuditRow per line. */
export function parseAuditRows(bytes: Uint8Array, file: string): AuditRow[] {
  return lines(bytes, file).map((line, i) => {
    const where = `${file}:${i + 1}`;
    const o = jsonLine(line, file, i + 1);
    int(o, 'id', where);
    int(o, 'ts', where);
    for (const key of ['actor', 'action']) str(o, key, where);
    if (o.subject !== null) str(o, 'subject', where);
    hex64(o, 'prevHash', where);
    hex64(o, 'hash', where);
    obj(o.details, `${where}.details`);
    return o as unknown as AuditRow;
  });
}
