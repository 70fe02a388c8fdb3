// Bundle inputs built from a real log analysed in memory (src/core
// analyzeStreams), the same shape the case store's export produces.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeStreams, canonicalize, DEFAULT_PARAMS, type AnalysisParams, type WindowResult } from '../../src/core';
import { AUDIT_ACTIONS } from '../../src/main/audit/audit-actions';
import { auditEntryHash, GENESIS_HASH } from '../../src/main/store/audit-log';
import type { AuditRow } from '../../src/shared/case-types';
import { batchEvidence } from '../../src/main/evidence/batch-evidence';
import type { DataEvent } from '../../src/main/evidence/bundle-format';
import type { BundleInput } from '../../src/main/evidence/bundle-input';
import { readLines } from '../../src/main/ingest/line-reader';

export const DATA_ROOT = fileURLToPath(new URL('../../../shared/data', import.meta.url));
export const BGL_2K = join(DATA_ROOT, 'loghub', 'BGL_2k.log');
export const FIXED_CREATED_AT = new Date('2025-02-03T10:20:30.000Z');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `driftlock-${prefix}-`));
}

/** BGL's second field is the Unix time in seconds. */
function bglTimestamp(line: string): number | undefined {
  const seconds = Number(line.split(' ', 3)[1]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

export interface AnalysedLog {
  stream: string;
  events: DataEvent[];
  windows: WindowResult[];
  params: AnalysisParams;
  sha256: string;
  size: number;
}

export async function analyseLog(path: string, params: AnalysisParams = { ...DEFAULT_PARAMS }): Promise<AnalysedLog> {
  const events: DataEvent[] = [];
  await readLines(path, (line, index) => {
    const timestamp = bglTimestamp(line);
    events.push({ index, text: canonicalize(line), original: line, ...(timestamp !== undefined ? { timestamp } : {}) });
  });
  const stream = path.split('/').pop()!;
  const result = analyzeStreams(new Map([[stream, events]]), params);
  const bytes = readFileSync(path);
  return { stream, events, windows: result.windows, params, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

/** A bundle input for every flagged window of an analysed log, with triage on even windows and a small audit chain. */
export function bundleInputFor(log: AnalysedLog, options: { createdAt?: Date } = {}): BundleInput {
  const input = batchEvidence(new Map([[log.stream, log.events]]), log.params, { streams: [], windows: log.windows }, {
    caseId: 'case-bgl',
    createdAt: options.createdAt ?? FIXED_CREATED_AT,
    appVersion: '0.1.0',
    analyst: { incidentId: 'INC-2025-0042', classification: 'major (provisional)', reporter: 'A. Analyst' },
    sources: [{ id: '1', name: log.stream, sha256: log.sha256, size: log.size, kind: 'log' }],
    triage: (w) =>
      w.window % 2 === 0 ? { status: 'confirmed', by: 'analyst', at: '2025-02-02T09:00:00.000Z', note: 'Node card failures on several midplanes.' } : { status: 'open' },
  });
  const audit: AuditRow[] = input.audit;
  const append = (entry: Omit<AuditRow, 'id' | 'prevHash' | 'hash'>): void => {
    const prev = audit[audit.length - 1];
    const body = { ...entry, id: audit.length + 1, prevHash: prev ? prev.hash : GENESIS_HASH };
    audit.push({ ...body, hash: auditEntryHash(body) });
  };
  append({ ts: Date.parse('2025-02-01T08:00:00.000Z'), actor: 'analyst', action: AUDIT_ACTIONS.sourceImported, subject: 'source:1', details: { path: log.stream, sha256: log.sha256, events: log.events.length } });
  append({ ts: Date.parse('2025-02-01T08:00:05.000Z'), actor: 'analyst', action: AUDIT_ACTIONS.analysisCompleted, subject: 'analysis:1', details: { seed: log.params.seed, profile: log.params.profile } });
  for (const a of input.anomalies.filter((x) => x.triage.status !== 'open')) {
    append({ ts: Date.parse(a.triage.at!), actor: 'analyst', action: AUDIT_ACTIONS.anomalyTriaged, subject: `anomaly:${a.id}`, details: { status: a.triage.status } });
  }
  return input;
}
