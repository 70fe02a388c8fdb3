import type { CountWindowing } from '../types';
import type { PlannedWindow, WindowPlanner } from './window-planner';

/** Validates count windowing, naming the bad field. */
export function checkCountWindowing(w: CountWindowing): void {
  for (const key of ['baseline', 'window', 'hop'] as const) {
    const v = w[key];
    if (!Number.isInteger(v) || v < 1) throw new Error(`count windows: ${key} must be a positive integer, got ${v}`);
  }
  if (w.baseline < 2) throw new Error(`count windows: baseline must be at least 2 events, got ${w.baseline}`);
}

/**
 * Count windows: window k covers positions [k·hop, k·hop + window − 1]. The
 * hop is honoured (overlapping when hop < window, gaps when hop > window).
 * At the end of the stream, events no full window covered form one shorter
 * last window, so every event is scored.
 */
export class CountWindowPlanner implements WindowPlanner {
  private received = 0;
  private next = 0;
  private coveredTo = -1;
  private done = false;

  constructor(private readonly w: CountWindowing) {
    checkCountWindowing(w);
  }

  push(position: number): void {
    if (position !== this.received) throw new Error(`count windows: expected position ${this.received}, got ${position}`);
    this.received++;
  }

  take(final: boolean): PlannedWindow[] {
    const out: PlannedWindow[] = [];
    const { window: n, hop: h } = this.w;
    for (;;) {
      const first = this.next * h;
      const last = first + n - 1;
      if (last < this.received) {
        out.push({ window: this.next, first, last, releaseBefore: Math.min(first + h, last + 1) });
        this.coveredTo = last;
        this.next++;
        continue;
      }
      if (final && !this.done) {
        this.done = true;
        // The tail no full window reached: one shorter window over it.
        const tailFirst = Math.max(first, this.coveredTo + 1);
        if (tailFirst < this.received && first < this.received) {
          out.push({ window: this.next, first: tailFirst, last: this.received - 1, releaseBefore: this.received });
          this.next++;
        }
      }
      return out;
    }
  }
}
