/**
 * The case file's rows as the rest of the app sees them: declared once here,
 * produced by src/main/store, read by the CLI, the UI and the evidence code.
 */
import type { AnalysisParams, CompressorPin, WindowResult } from '../core/types';
import type { RedactionCounts, RedactionPolicy } from './redaction-policy';

/** Sources read from files. */
export const FILE_SOURCE_KINDS = ['text', 'jsonl', 'otlp-json', 'csv'] as const;
/**
 * Sources written live by `driftlock serve`, one per transport and session:
 * OTLP/HTTP, OTLP/gRPC, and events posted to the REST API.
 */
export const LIVE_SOURCE_KINDS = ['otlp-http', 'otlp-grpc', 'rest'] as const;
/** How a source's records arrive. */
export const SOURCE_KINDS = [...FILE_SOURCE_KINDS, ...LIVE_SOURCE_KINDS] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export type LiveSourceKind = (typeof LIVE_SOURCE_KINDS)[number];

export const COMPRESSIONS = ['none', 'gzip', 'zstd', 'lz4'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** `importing` until its last batch commits; an interrupted import resumes from `linesDone`. */
export type SourceStatus = 'importing' | 'complete';

export interface SourceRow {
  id: number;
  path: string;
  sha256: string;
  kind: SourceKind;
  compression: Compression;
  /** File size in bytes (as stored, before decompression). */
  size: number;
  /** Stream of events whose format names none: the file's base name (see stream-name.ts). */
  defaultStream: string;
  startedAt: number;
  importedAt: number | null;
  status: SourceStatus;
  /** Input lines (records) whose events are committed. */
  linesDone: number;
  /** Decoded bytes consumed by those lines. */
  bytesDone: number;
  events: number;
  /** Events not stored because a `drop` redaction rule matched. */
  dropped: number;
  /** Lines that were skipped or repaired (see source problems). */
  problems: number;
  redactionPolicy: RedactionPolicy;
  redactionCounts: RedactionCounts;
}

/** A line that could not be imported as is: skipped, or repaired and imported. */
export interface SourceProblem {
  sourceId: number;
  /** 1-based line (record) number in the decoded input. */
  line: number;
  reason: string;
}

export interface StreamRow {
  id: number;
  key: string;
  /** Events in the stream; also the next sequence number. */
  events: number;
  firstTs: number | null;
  lastTs: number | null;
}

export interface EventRow {
  id: number;
  streamId: number;
  /** 0-based position in its stream: the engine's event index. */
  seq: number;
  sourceId: number | null;
  line: number | null;
  /** Milliseconds since the Unix epoch. */
  timestamp: number | null;
  /** What the engine compresses (redacted, then canonicalised). */
  canonical: string;
  /** What people read (redacted). */
  original: string;
  fields: Record<string, unknown> | null;
}

export type AnalysisStatus = 'running' | 'complete' | 'failed' | 'cancelled';

/** `batch`: a run over stored events (import, analyze); `live`: follows data as driftlock serve receives it. */
export type AnalysisMode = 'batch' | 'live';

export interface AnalysisRow {
  id: number;
  createdAt: number;
  completedAt: number | null;
  status: AnalysisStatus;
  params: AnalysisParams;
  compressorPin: CompressorPin;
  seed: number;
  /** Distinct redaction policies of the sources whose events were analysed. */
  redactionPolicies: RedactionPolicy[];
  appVersion: string;
  error: string | null;
  mode: AnalysisMode;
  /**
   * Live analyses: the decision period, ms of data time. Windows of one
   * stream whose end falls in one period, floor(endTime / decideMs), form
   * one Benjamini–Hochberg family (docs/METHOD.md); null for batch analyses,
   * whose family is every window of the analysis.
   */
  decideMs: number | null;
}

export interface AnalysisStreamRow {
  analysisId: number;
  streamId: number;
  status: 'running' | 'complete' | 'failed';
  events: number;
  windows: number;
  skippedWindows: number;
  note: string | null;
}

export interface StoredWindow {
  id: number;
  analysisId: number;
  streamId: number;
  result: WindowResult;
}

export const TRIAGE_STATUSES = ['open', 'confirmed', 'dismissed'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];

/** A flagged window and what an analyst decided about it. */
export interface AnomalyRow {
  id: number;
  windowId: number;
  analysisId: number;
  streamId: number;
  status: TriageStatus;
  note: string | null;
  triagedBy: string | null;
  triagedAt: number | null;
}

/**
 * An anomaly with what a list shows of it: its triage row, its stream and the
 * window's headline figures (the full window is a StoredWindow). Names match
 * WindowResult's; figures the engine could not compute are null.
 */
export interface AnomalyView extends AnomalyRow {
  stream: string;
  window: number;
  firstEvent: number;
  lastEvent: number;
  startTime: number | null;
  endTime: number | null;
  score: number | null;
  pValue: number;
  qValue: number;
  ncd: number | null;
  excessBits: number | null;
  explanation: string;
}

export interface SuppressionRow {
  id: number;
  createdAt: number;
  createdBy: string;
  /** Null: every stream. */
  streamId: number | null;
  /** How `pattern` is matched; only `canonical-regex` (over window top events) so far. */
  kind: string;
  pattern: string;
  note: string | null;
  active: boolean;
}

/** One entry of the hash-chained audit log. */
export interface AuditRow {
  id: number;
  ts: number;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  /** Hash of the previous entry (64 zeros for the first). */
  prevHash: string;
  /** SHA-256 (hex) of the canonical JSON of this entry's other fields. */
  hash: string;
}

/** `driftlock stats --format json` prints exactly this shape. */
export interface CaseStats {
  sources: number;
  streams: number;
  events: number;
  /** Windows of each stream's latest complete analysis. */
  windows: number;
  /** Flagged windows among those. */
  anomalies: number;
}
