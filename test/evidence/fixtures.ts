// Bundle inputs built from a real log analysed in memory (src/core
// analyzeStreams), the same shape the case store's export produces.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeStreams, canonicalize, createCompressor, DEFAULT_PARAMS, type AnalysisParams, type IndexRange, type WindowResult } from '../../src/core';
import { nextAuditRow, type AuditRow } from '../../src/main/audit/audit-chain';
import type { BatchWindow, DataEvent } from '../../src/main/evidence/bundle-format';
import type { BundleInput, EvidenceAnomaly } from '../../src/main/evidence/bundle-input';
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

function inRanges(ranges: readonly IndexRange[], events: readonly DataEvent[]): DataEvent[] {
  return ranges.flatMap(([a, b]) => events.slice(a, b + 1));
}

export function batchWindow(w: WindowResult): BatchWindow {
  return {
    stream: w.stream,
    window: w.window,
    firstEvent: w.firstEvent,
    lastEvent: w.lastEvent,
    ...(w.startTime !== undefined ? { startTime: w.startTime } : {}),
    ...(w.endTime !== undefined ? { endTime: w.endTime } : {}),
    pValue: w.pValue,
    excessBits: w.excessBits,
    score: w.score,
    anomaly: w.anomaly,
  };
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

/** A bundle input for every flagged window of an analysed log, with a small audit chain. */
export function bundleInputFor(log: AnalysedLog, options: { createdAt?: Date; select?: (w: WindowResult) => boolean } = {}): BundleInput {
  const select = options.select ?? ((w: WindowResult) => w.anomaly);
  const anomalies: EvidenceAnomaly[] = log.windows.filter(select).map((w) => ({
    id: `a${w.window}`,
    analysisId: 'run-1',
    streamKind: 'log',
    result: w,
    triage: w.window % 2 === 0 ? { status: 'confirmed', by: 'analyst', at: '2025-02-02T09:00:00.000Z', note: 'Node card failures on several midplanes.' } : { status: 'open' },
    notes: [],
    baselineEvents: inRanges([...w.baseline.reference, ...w.baseline.calibration], log.events),
    windowEvents: log.events.slice(w.firstEvent, w.lastEvent + 1),
  }));
  const audit: AuditRow[] = [];
  const append = (entry: Omit<AuditRow, 'seq' | 'prevHash' | 'hash'>): void => {
    audit.push(nextAuditRow(audit[audit.length - 1], entry));
  };
  append({ at: '2025-02-01T08:00:00.000Z', actor: 'analyst', action: 'source.import', subject: 'source:1', details: { name: log.stream, sha256: log.sha256, events: log.events.length } });
  append({ at: '2025-02-01T08:00:05.000Z', actor: 'analyst', action: 'analysis.run', subject: 'analysis:run-1', details: { seed: log.params.seed, profile: log.params.profile } });
  for (const a of anomalies.filter((x) => x.triage.status !== 'open')) {
    append({ at: a.triage.at!, actor: 'analyst', action: 'anomaly.triage', subject: `anomaly:${a.id}`, details: { status: a.triage.status } });
  }
  return {
    caseId: 'case-bgl',
    createdAt: options.createdAt ?? FIXED_CREATED_AT,
    appVersion: '0.1.0',
    scope: { kind: 'all' },
    analyst: { incidentId: 'INC-2025-0042', classification: 'major (provisional)', reporter: 'A. Analyst' },
    sources: [{ id: '1', name: log.stream, sha256: log.sha256, size: log.size, kind: 'log' }],
    analyses: [
      {
        id: 'run-1',
        params: log.params,
        compressor: createCompressor(log.params.compressor).pin,
        redactionPolicy: null,
        batch: log.windows.map(batchWindow),
      },
    ],
    anomalies,
    audit,
  };
}
