/**
 * The analysis worker protocol: main thread <-> `analysis.worker.ts`. Every
 * message carries `type` and the `seq` of the job it belongs to; replies are
 * matched by that number. Errors travel as data.
 */
import type { AnalysisParams, WindowResult } from '../core/types';

/** Analyse one stream of a case file, reading its events in seq order. */
export interface StreamJob {
  dbPath: string;
  streamId: number;
  streamKey: string;
  params: AnalysisParams;
  /** Events with seq < committed are readable now. */
  committed: number;
  /** No events will be added beyond `committed`. */
  final: boolean;
}

export interface WorkerErrorData {
  name: string;
  message: string;
}

/** What a finished stream job reports. */
export interface StreamJobSummary {
  events: number;
  windows: number;
  skippedWindows: number;
  /** Why a stream has no windows, when it has none. */
  note: string | null;
}

export type AnalysisRequest =
  /** `attempt` is 1, or 2 when a crashed worker's job is retried. */
  | { type: 'analyze-stream'; seq: number; attempt: number; job: StreamJob }
  /** The stream grew (an import committed a batch) or is now complete. */
  | { type: 'events-committed'; seq: number; committed: number; final: boolean };

export type AnalysisReply =
  | { type: 'progress'; seq: number; events: number; windows: number }
  /** Provisional windows (before the batch decision), in window order. */
  | { type: 'windows'; seq: number; windows: WindowResult[] }
  | { type: 'done'; seq: number; summary: StreamJobSummary }
  | { type: 'error'; seq: number; error: WorkerErrorData };
