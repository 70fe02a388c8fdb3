import type { BaselineSnapshot, HeldEvent } from './baseline';
import { buildSnapshot } from './baseline';
import type { Compressor } from './compressors/compressor';
import { rangeChunkSize, scoreWindow } from './score-window';
import type { AnalysisParams, EngineEvent, WindowResult } from './types';
import { CountWindowPlanner } from './windows/count-windows';
import { TimeWindowPlanner } from './windows/time-windows';
import type { PlannedWindow, WindowPlanner } from './windows/window-planner';

/** Per-event record for line-level output (kept only when asked for). */
export interface EventCost {
  index: number;
  timestamp?: number;
  /** Conditional cost given the baseline of the first window that scored it, bits. */
  bits: number;
  /** Robust z of the cost against that baseline's calibration costs. */
  z: number;
  /** Windows (numbers) containing the event, with the excess threshold each applied. */
  windows: { window: number; threshold: number }[];
}

export interface StreamAnalyzerOptions {
  /** Keep per-event costs for line-level scores. */
  collectEvents?: boolean;
}

const encoder = new TextEncoder();
const NEWLINE = 10;
let encodeScratch = new Uint8Array(1 << 16);

/** UTF-8 bytes of the text plus a newline, in one right-sized allocation. */
export function encodeEvent(text: string): Uint8Array {
  if (encodeScratch.length < text.length * 3 + 1) encodeScratch = new Uint8Array(text.length * 3 + 1);
  const { written } = encoder.encodeInto(text, encodeScratch);
  encodeScratch[written] = NEWLINE;
  return encodeScratch.slice(0, written + 1);
}

/**
 * Scores one stream window by window as its events arrive; memory stays
 * bounded by baseline + window + hop events. Results are provisional until
 * the batch decision (Benjamini–Hochberg across all windows), see
 * `decideBatch`; `suspect` windows are already kept out of later baselines.
 */
export class StreamAnalyzer {
  private readonly planner: WindowPlanner;
  private readonly baselineSize: number;
  private readonly minBaseline: number;
  private readonly refreshEvery: number;
  private readonly windowEvents: number;
  /** Events not yet final, positions [bufStart, received). */
  private buf: HeldEvent[] = [];
  private bufStart = 0;
  private received = 0;
  /** Final, unflagged events, oldest first, at most baselineSize. */
  private clean: HeldEvent[] = [];
  /**
   * Final events of the current run of suspect windows. Dropped when a normal
   * window ends the run (an incident must not become normal); admitted to the
   * history once the run outlasts a whole baseline (the stream has changed
   * regime, and flagging it forever would say nothing new).
   */
  private quarantine: HeldEvent[] = [];
  private cleanAdded = 0;
  private snapshot: BaselineSnapshot | undefined;
  private readonly pending: PlannedWindow[] = [];
  private finished = false;
  private skipped = 0;
  private readonly events: EventCost[] | undefined;
  private readonly eventByPosition = new Map<number, EventCost>();

  constructor(
    readonly stream: string,
    private readonly params: AnalysisParams,
    private readonly compressor: Compressor,
    private readonly onWindow: (result: WindowResult) => void,
    options: StreamAnalyzerOptions = {},
  ) {
    const w = params.windowing;
    this.planner = w.kind === 'count' ? new CountWindowPlanner(w) : new TimeWindowPlanner(w);
    this.baselineSize = w.baseline;
    this.windowEvents = rangeChunkSize(params);
    this.minBaseline = Math.max(2, Math.min(w.baseline, Math.max(8, Math.ceil(w.baseline / 4))));
    this.refreshEvery = Math.max(1, w.baseline);
    if (!Number.isInteger(params.permutations) || params.permutations < 0) {
      throw new Error(`analysis: permutations must be a non-negative integer, got ${params.permutations}`);
    }
    if (options.collectEvents) this.events = [];
  }

  /** Event costs collected so far (when collectEvents was set). */
  eventCosts(): readonly EventCost[] {
    return this.events ?? [];
  }

  /** Windows that could not be scored for want of a baseline. */
  get skippedWindows(): number {
    return this.skipped;
  }

  get eventCount(): number {
    return this.received;
  }

  push(event: EngineEvent): void {
    if (this.finished) throw new Error(`stream ${this.stream}: push after finish`);
    const position = this.received++;
    this.buf.push({
      position,
      index: event.index,
      text: event.text,
      bytes: encodeEvent(event.text),
      timestamp: event.timestamp,
      suspect: false,
      cost: 0,
      costSnapshot: 0,
    });
    this.planner.push(position, event.timestamp);
    if (position % 64 === 63) this.drain(false);
  }

  /**
   * Score every window that is complete now rather than at the next
   * 64-event checkpoint, so a live stream's window is reported as soon as a
   * later event closes it. Results do not depend on when (or whether) this is
   * called: windows, baselines and releases are fixed by the event positions.
   */
  poll(): void {
    if (!this.finished) this.drain(false);
  }

  /** No more events: score what remains. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.drain(true);
  }

  private held(position: number): HeldEvent {
    const e = this.buf[position - this.bufStart];
    if (!e) throw new Error(`stream ${this.stream}: event ${position} is no longer held`);
    return e;
  }

  /** Positions below `before` are final: unflagged ones join the history. */
  private release(before: number): void {
    const count = Math.min(before, this.received) - this.bufStart;
    if (count <= 0) return;
    const done = this.buf.splice(0, count);
    this.bufStart += count;
    for (const e of done) {
      if (e.suspect) this.quarantine.push(e);
      else this.admit(e);
    }
    if (this.quarantine.length >= this.baselineSize) {
      for (const e of this.quarantine) this.admit(e);
      this.quarantine = [];
    }
    if (this.clean.length > this.baselineSize) this.clean.splice(0, this.clean.length - this.baselineSize);
  }

  private admit(e: HeldEvent): void {
    this.clean.push(e);
    this.cleanAdded++;
  }

  private drain(final: boolean): void {
    this.pending.push(...this.planner.take(final));
    while (this.pending.length > 0) {
      const w = this.pending[0]!;
      this.release(w.first);
      const snapshot = this.baselineFor(w, final);
      if (snapshot === 'wait') return;
      this.pending.shift();
      if (snapshot === 'none') this.skipped++;
      else this.score(w, snapshot);
      this.release(w.releaseBefore);
    }
    if (final) this.release(this.received);
  }

  /** The baseline for window w, 'wait' for more events, or 'none'. */
  private baselineFor(w: PlannedWindow, final: boolean): BaselineSnapshot | 'wait' | 'none' {
    const history = this.clean.length;
    if (history >= this.baselineSize || (this.params.causal && history >= this.minBaseline)) {
      const stale =
        !this.snapshot ||
        this.snapshot.kind !== 'history' ||
        this.cleanAdded >= this.refreshEvery ||
        (this.snapshot.size < this.baselineSize && history > this.snapshot.size);
      if (stale) {
        this.snapshot = buildSnapshot(this.compressor, this.clean, 'history', this.windowEvents);
        this.cleanAdded = 0;
      }
      return this.snapshot!;
    }
    if (this.params.causal) return 'none';
    // Batch mode with too little history: borrow the events after the window.
    const want = this.baselineSize - history;
    const available = this.received - (w.last + 1);
    if (available < want && !final) return 'wait';
    const future: HeldEvent[] = [];
    for (let p = w.last + 1; p < this.received && future.length < want; p++) future.push(this.held(p));
    const events = [...this.clean, ...future];
    if (events.length < this.minBaseline) return 'none';
    return buildSnapshot(this.compressor, events, 'borrowed', this.windowEvents);
  }

  private score(w: PlannedWindow, snap: BaselineSnapshot): void {
    const events: HeldEvent[] = [];
    for (let p = w.first; p <= w.last; p++) events.push(this.held(p));
    const { result, costs, threshold } = scoreWindow(this.compressor, snap, this.params, {
      stream: this.stream,
      window: w.window,
      events,
      ...(w.startTime !== undefined ? { startTime: w.startTime } : {}),
      ...(w.endTime !== undefined ? { endTime: w.endTime } : {}),
    });
    if (result.suspect) for (const e of events) e.suspect = true;
    else this.quarantine = [];

    if (this.events) {
      events.forEach((e, i) => {
        let rec = this.eventByPosition.get(e.position);
        if (!rec) {
          rec = {
            index: e.index,
            ...(e.timestamp !== undefined ? { timestamp: e.timestamp } : {}),
            bits: costs[i]!,
            z: (costs[i]! - snap.calibrationMedian) / snap.calibrationScale,
            windows: [],
          };
          this.eventByPosition.set(e.position, rec);
          this.events!.push(rec);
        }
        rec.windows.push({ window: w.window, threshold });
      });
      for (const [pos] of this.eventByPosition) if (pos < w.releaseBefore) this.eventByPosition.delete(pos);
    }
    this.onWindow(result);
  }
}
