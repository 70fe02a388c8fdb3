import type { TimeWindowing } from '../types';
import type { PlannedWindow, WindowPlanner } from './window-planner';

/** Validates time windowing, naming the bad field. */
export function checkTimeWindowing(w: TimeWindowing): void {
  for (const key of ['windowMs', 'hopMs', 'baseline'] as const) {
    const v = w[key];
    if (!Number.isFinite(v) || v <= 0) throw new Error(`time windows: ${key} must be positive, got ${v}`);
  }
}

/**
 * Time windows for live streams: window k covers [T0 + k·hop, T0 + k·hop +
 * length), T0 the first timestamp rounded down to a multiple of the hop, so
 * windows line up across restarts. Events keep arrival order; a timestamp that
 * steps backwards counts as its predecessor's (clock skew must not reorder or
 * drop data). Windows without events produce nothing.
 */
export class TimeWindowPlanner implements WindowPlanner {
  /** Monotone timestamps of positions [base, base + times.length). */
  private times: number[] = [];
  private base = 0;
  private received = 0;
  private t0: number | undefined;
  private next = 0;
  private lastTime = -Infinity;

  constructor(private readonly w: TimeWindowing) {
    checkTimeWindowing(w);
  }

  push(position: number, timestamp: number | undefined): void {
    if (position !== this.received) throw new Error(`time windows: expected position ${this.received}, got ${position}`);
    if (timestamp === undefined || !Number.isFinite(timestamp)) {
      throw new Error(`time windows: event at position ${position} has no timestamp`);
    }
    const t = Math.max(timestamp, this.lastTime);
    this.lastTime = t;
    if (this.t0 === undefined) this.t0 = Math.floor(t / this.w.hopMs) * this.w.hopMs;
    this.times.push(t);
    this.received++;
  }

  private windowStart(k: number): number {
    return this.t0! + k * this.w.hopMs;
  }

  /** First position at or after `from` whose time is ≥ t (binary search on monotone times). */
  private firstAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return this.base + lo;
  }

  take(final: boolean): PlannedWindow[] {
    const out: PlannedWindow[] = [];
    if (this.t0 === undefined) return out;
    for (;;) {
      const start = this.windowStart(this.next);
      const end = start + this.w.windowMs;
      if (!final && !(this.lastTime >= end)) break;
      if (start > this.lastTime) break;
      const first = this.firstAtOrAfter(start);
      const afterLast = this.firstAtOrAfter(end);
      const release = Math.min(afterLast, this.firstAtOrAfter(start + this.w.hopMs));
      if (afterLast > first) {
        out.push({
          window: this.next,
          first,
          last: afterLast - 1,
          releaseBefore: release,
          startTime: start,
          endTime: end,
        });
      }
      this.next++;
      // Drop times no later window can need.
      const keepFrom = this.firstAtOrAfter(this.windowStart(this.next)) - this.base;
      if (keepFrom > 4096) {
        this.times = this.times.slice(keepFrom);
        this.base += keepFrom;
      }
    }
    return out;
  }
}
