/**
 * What the app services need from an open case. The store (src/main/store)
 * is adapted to this port in store-case.ts; the services never touch SQLite
 * directly, so the same calls serve Electron IPC and the HTTP mode.
 */
import type { IndexRange, WindowResult } from '../../core/types';
import type {
  AnalystFields,
  AnomalySummary,
  ExportResult,
  CaseInfo,
  EventPage,
  SearchResult,
  Settings,
  StreamSummary,
  SuppressionRule,
  TriageStatus,
} from '../../shared/dto';

export interface TriageRecord {
  status: TriageStatus;
  note: string | null;
  by: string | null;
  at: string | null;
}

/** Compact per-window metrics of one stream, for the heatmap. */
export interface StreamMetrics {
  streamId: number;
  stream: string;
  window: Int32Array;
  startTime: Float64Array;
  ncd: Float64Array;
  score: Float64Array;
  anomaly: Uint8Array;
}

export interface FileImportProgress {
  bytesRead: number;
  bytesTotal: number;
  events: number;
}

export interface FileImportResult {
  events: number;
  /** The file was imported before (same sha256): nothing added. */
  skipped: boolean;
  problems: Array<{ line: number; reason: string }>;
  message: string | null;
}

export interface ImportHandlers {
  onProgress(path: string, progress: FileImportProgress): void;
  onFile(path: string, result: FileImportResult | { error: string }): void;
}

export interface EventText {
  index: number;
  /** Canonical text, as the engine compressed it. */
  text: string;
  original: string | null;
}

export interface CasePort {
  readonly path: string;
  info(): Omit<CaseInfo, 'path' | 'name'>;
  streams(): StreamSummary[];
  streamMetrics(): StreamMetrics[];
  windowCount(streamId: number): number;
  windows(streamId: number, offset: number, limit: number): Array<{ result: WindowResult; anomalyId: number | null }>;
  window(streamId: number, index: number): WindowResult | null;
  anomalies(query: { streamId?: number; status?: TriageStatus; sort: 'score' | 'time'; offset: number; limit: number }): {
    total: number;
    items: AnomalySummary[];
  };
  anomaly(id: number): { summary: AnomalySummary; result: WindowResult; triage: TriageRecord } | null;
  setTriage(id: number, patch: { status?: TriageStatus; note?: string | null }, by: string): AnomalySummary;
  events(streamId: number, from: number, limit: number): EventPage;
  eventTexts(streamId: number, ranges: readonly IndexRange[], limit: number): EventText[];
  search(query: string, streamId: number | undefined, offset: number, limit: number): SearchResult;
  /** Adds the rule and dismisses the open anomalies it matches (recorded as decided by the rule). */
  addSuppression(rule: { streamId: number | null; pattern: string; reason: string | null }, by: string): { rule: SuppressionRule; dismissed: number };
  suppressions(): SuppressionRule[];
  /** Deactivates the rule and reopens the anomalies it dismissed. */
  removeSuppression(id: number, by: string): { reopened: number };
  settings(): Settings;
  saveSettings(settings: Settings): void;
  /**
   * Imports the files in order and analyses what they add (analysis may
   * overlap the import). A file that fails is reported through onFile and the
   * others still import.
   */
  importFiles(paths: readonly string[], handlers: ImportHandlers, signal: AbortSignal): Promise<{ anomaliesAdded: number }>;
  /** Analyses every stream again with the current settings. */
  reanalyze(signal: AbortSignal): Promise<{ anomaliesAdded: number }>;
  /** Writes a signed bundle of these anomalies (signing key in userDataDir, created on first use); audited. */
  exportBundle(request: { anomalyIds: number[]; outPath: string; analyst: AnalystFields; userDataDir: string; actor: string }): Promise<ExportResult>;
  /** Appends a row to the case's audit chain (changes made outside the case, like a new signing key). */
  recordAudit(entry: { actor: string; action: string; subject: string; details: Record<string, unknown> }): void;
  close(): void;
}

export interface CaseOpener {
  open(path: string, options: { create: boolean }): Promise<CasePort>;
}
