/**
 * What the UI receives: reply and event payloads of the DriftlockApi. Engine
 * types are re-exported from src/core/types.ts (type-only), so a window's
 * metrics are declared once for the engine, the store and the screens.
 */
import type { CompressorName, Profile, WindowResult } from '../core/types';
import type { TriageStatus } from './case-types';

/** Evidence results are declared once, with the evidence code (src/shared/evidence.ts). */
export type { AnalystFields, ExportResult, KeyInfo, VerifyCheck, VerifyResult } from './evidence';

export type { CompressorName, MetricRange, Profile, WindowResult, TopEvent, AnalysisParams, CompressorPin } from '../core/types';

export type Transport = 'electron' | 'http';

export interface CaseInfo {
  /** Absolute path of the case file (the SQLite database). */
  path: string;
  /** File name without directory, for titles. */
  name: string;
  sources: number;
  streams: number;
  events: number;
  windows: number;
  anomalies: number;
  /** Anomalies still awaiting triage. */
  openAnomalies: number;
}

export interface AppInfo {
  version: string;
  transport: Transport;
  /** Native open/save dialogs exist (Electron); in a browser the UI asks for paths. */
  nativeDialogs: boolean;
  case: CaseInfo | null;
  /** Path of the bundled sample log, null when resources are missing. */
  sampleLog: string | null;
  /** Directory where exports go when no path is given. */
  defaultExportDir: string | null;
}

export interface StreamSummary {
  id: number;
  name: string;
  /** Where the stream came from: a file, OTLP logs/spans/metrics, ... */
  kind: string;
  events: number;
  windows: number;
  anomalies: number;
  /** Highest window score in the stream (0 when it has no windows). */
  maxScore: number;
  firstTime: number | null;
  lastTime: number | null;
}

/** Triage states are the store's; a suppressed anomaly is a dismissed one whose decision came from a rule (suppressedBy). */
export type { TriageStatus };

/** One row of the anomaly list. */
export interface AnomalySummary {
  id: number;
  streamId: number;
  stream: string;
  window: number;
  firstEvent: number;
  lastEvent: number;
  startTime: number | null;
  endTime: number | null;
  score: number;
  pValue: number;
  qValue: number;
  ncd: number;
  status: TriageStatus;
  note: string | null;
  /** The suppression rule that dismissed this anomaly, if one did. */
  suppressedBy: number | null;
  explanation: string;
}

/** One window as the timeline draws it (the full result is fetched on demand). */
export interface WindowPoint {
  window: number;
  firstEvent: number;
  lastEvent: number;
  startTime: number | null;
  cr: number;
  ncd: number;
  pValue: number;
  score: number;
  anomaly: boolean;
  /** The baseline's usual NCD range for this window (p05..p95). */
  ncdLow: number;
  ncdHigh: number;
  anomalyId: number | null;
}

export interface WindowPage {
  streamId: number;
  total: number;
  offset: number;
  windows: WindowPoint[];
}

export type HeatmapMetric = 'ncd' | 'score';

export interface HeatmapCell {
  /** Highest metric value among the windows in the cell. */
  value: number;
  /** The window holding that value: a click opens it. */
  window: number;
  /** Windows aggregated into this cell. */
  windows: number;
  anomalies: number;
}

export interface Heatmap {
  metric: HeatmapMetric;
  /** 'time' when every stream has timestamps, else window index. */
  axis: 'time' | 'window';
  /** Column boundaries: times (ms) or window indexes; columns + 1 entries. */
  edges: number[];
  rows: Array<{ streamId: number; stream: string; cells: Array<HeatmapCell | null> }>;
}

export interface Token {
  text: string;
  /** The token never occurs in the window's baseline reference. */
  novel: boolean;
}

export interface NovelEvent {
  index: number;
  bits: number;
  /** Canonical text, split into tokens with the novel ones marked. */
  tokens: Token[];
  /** Original line (before masking), when the store kept it. */
  original: string | null;
  /** The closest baseline line by shared tokens, with its event index. */
  nearest: { index: number; text: string; similarity: number } | null;
}

export interface AnomalyDetail {
  anomaly: AnomalySummary;
  result: WindowResult;
  novelEvents: NovelEvent[];
  triage: { status: TriageStatus; note: string | null; by: string | null; at: string | null };
}

export interface LogEvent {
  seq: number;
  timestamp: number | null;
  text: string;
  /** Window that covers the event (first one when windows overlap), null if none. */
  window: number | null;
}

export interface EventPage {
  streamId: number;
  total: number;
  events: LogEvent[];
}

export interface SearchHit extends LogEvent {
  streamId: number;
  stream: string;
  /** [start, end) character ranges of the matched terms in `text`. */
  highlights: Array<[number, number]>;
}

export interface SearchResult {
  query: string;
  total: number;
  hits: SearchHit[];
}

export interface SuppressionRule {
  id: number;
  /** Stream the rule is limited to, null for every stream. */
  streamId: number | null;
  /** Regular expression over the canonical text of an anomaly's leading event. */
  pattern: string;
  createdAt: string;
  reason: string | null;
}

export type ImportState = 'queued' | 'reading' | 'analysing' | 'done' | 'skipped' | 'failed' | 'cancelled';

export interface ImportFileProgress {
  path: string;
  state: ImportState;
  bytesRead: number;
  bytesTotal: number;
  events: number;
  /** Lines that could not be read, with their numbers (first few). */
  problems: Array<{ line: number; reason: string }>;
  /** Why the file failed or was skipped. */
  message: string | null;
}

export interface ImportProgress {
  jobId: string;
  /** Empty for a re-analysis of the case. */
  files: ImportFileProgress[];
  done: boolean;
  /** Why the job as a whole did not finish (a failed or cancelled re-analysis); per-file problems are in `files`. */
  error?: string;
}




/** `stopping`: not accepting; the queue drains and the live analysis decides its open windows. */
export type ListenerState = 'stopped' | 'starting' | 'listening' | 'stopping' | 'error';

/** The local OTLP receiver of the open case. Counts are the current (or, once stopped, the last) session's. */
export interface ListenerStatus {
  state: ListenerState;
  /** The ports actually bound (a requested 0 becomes the free port chosen); null unless listening or stopping. */
  httpPort: number | null;
  grpcPort: number | null;
  /** Records (log records, spans, metric data points, posted events) in requests that were decoded. */
  received: number;
  /** Records refused inside accepted requests (partial success). */
  rejected: number;
  /** Whole requests refused (queue full, malformed, shutting down, store error): the client was told, and retries where it may. */
  rejectedRequests: number;
  /** Events committed to the case file. */
  stored: number;
  /** Records received per second over the last few seconds. */
  ratePerSec: number;
  /** Events accepted and not yet committed. */
  queueDepth: number;
  /** Why it could not start (a port in use), or the last problem while it runs. */
  error: string | null;
}

/**
 * Built-in redaction presets (src/main/ingest/redaction): `default`
 * pseudonymises identities and masks payment data and secrets, `strict`
 * masks everything, `none` redacts nothing.
 */
export type RedactionPreset = 'default' | 'strict' | 'none';

export interface Settings {
  profile: Profile;
  baseline: number;
  window: number;
  hop: number;
  permutations: number;
  seed: number;
  compressor: CompressorName;
  /** Applied at import; extra patterns are masked as <CUSTOM1>, <CUSTOM2>, ... */
  redaction: { preset: RedactionPreset; customPatterns: string[] };
  otlp: { httpPort: number; grpcPort: number };
  analyst: string;
}


export interface CaseChanged {
  case: CaseInfo | null;
}

export interface AnomaliesAdded {
  count: number;
  newest: AnomalySummary[];
}

/** Commands from the native menu, forwarded to the screens. */
export type MenuCommand =
  | 'open-case'
  | 'new-case'
  | 'import'
  | 'export-evidence'
  | 'verify-evidence'
  | 'go-overview'
  | 'go-anomalies'
  | 'go-logs'
  | 'go-live'
  | 'go-settings'
  | 'search';

