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

/**
 * A stream a live analysis follows. The worker reads events from `from`
 * (earlier events warm the baseline up) and reports the windows that reach
 * `emitFrom` or later: a new serve session does not score again what an
 * earlier one did.
 */
export interface LiveStream {
  streamId: number;
  streamKey: string;
  from: number;
  emitFrom: number;
  /** Events with seq < committed are readable now. */
  committed: number;
}

/**
 * The streams of a live analysis that one worker follows (streams are
 * spread over the pool by id). Sent again, from current state, when a
 * crashed worker's job is retried.
 */
export interface LiveJob {
  dbPath: string;
  params: AnalysisParams;
  streams: LiveStream[];
  /** No events will be added: score what remains and reply done. */
  finish: boolean;
}

/** What a live job says about one stream at its end. */
export interface LiveStreamSummary extends StreamJobSummary {
  streamId: number;
  /** Events of the stream read through (seq < analysed), warm-up included. */
  analysed: number;
}

export type AnalysisRequest =
  /** `attempt` is 1, or 2 when a crashed worker's job is retried. */
  | { type: 'analyze-stream'; seq: number; attempt: number; job: StreamJob }
  /** The stream grew (an import committed a batch) or is now complete. */
  | { type: 'events-committed'; seq: number; committed: number; final: boolean }
  | { type: 'analyze-live'; seq: number; attempt: number; job: LiveJob }
  /** New streams for this worker, or streams that grew. */
  | { type: 'live-committed'; seq: number; streams: LiveStream[] }
  | { type: 'live-finish'; seq: number };

export type AnalysisReply =
  | { type: 'progress'; seq: number; events: number; windows: number }
  /** Provisional windows (before the batch decision), in window order. */
  | { type: 'windows'; seq: number; windows: WindowResult[] }
  /** A live job is running (its worker is up). */
  | { type: 'live-started'; seq: number }
  /** Closed windows of one live stream, in window order (undecided), and how far it has been read. */
  | { type: 'live-windows'; seq: number; streamId: number; windows: WindowResult[]; analysed: number }
  /** How far live streams have been read (sent when reading pauses). */
  | { type: 'live-progress'; seq: number; streams: { streamId: number; analysed: number }[] }
  | { type: 'done'; seq: number; summary: StreamJobSummary; streams?: LiveStreamSummary[] }
  | { type: 'error'; seq: number; error: WorkerErrorData };
