import { describe, expect, it } from 'vitest';
import { CountWindowPlanner } from '../../src/core/windows/count-windows';
import { TimeWindowPlanner } from '../../src/core/windows/time-windows';
import type { PlannedWindow } from '../../src/core/windows/window-planner';

function planCount(n: number, window: number, hop: number): PlannedWindow[] {
  const p = new CountWindowPlanner({ kind: 'count', baseline: 10, window, hop });
  const out: PlannedWindow[] = [];
  for (let i = 0; i < n; i++) {
    p.push(i);
    out.push(...p.take(false));
  }
  out.push(...p.take(true));
  return out;
}

describe('count windows', () => {
  it('honours the hop (overlapping windows)', () => {
    expect(planCount(10, 4, 3).map((w) => [w.first, w.last])).toEqual([
      [0, 3],
      [3, 6],
      [6, 9],
    ]);
  });
  it('adds one shorter window over an uncovered tail', () => {
    expect(planCount(11, 4, 3).map((w) => [w.first, w.last])).toEqual([
      [0, 3],
      [3, 6],
      [6, 9],
      [10, 10],
    ]);
  });
  it('releases events only once no later window can hold them', () => {
    const w = planCount(10, 4, 3);
    expect(w.map((x) => x.releaseBefore)).toEqual([3, 6, 9]);
  });
  it('leaves gaps when hop > window, as asked', () => {
    expect(planCount(10, 2, 4).map((w) => [w.first, w.last])).toEqual([
      [0, 1],
      [4, 5],
      [8, 9],
    ]);
  });
  it('gives one short window when the file is smaller than a window', () => {
    expect(planCount(3, 100, 100).map((w) => [w.first, w.last])).toEqual([[0, 2]]);
    expect(planCount(0, 100, 100)).toEqual([]);
  });
  it('rejects nonsense sizes by name', () => {
    expect(() => new CountWindowPlanner({ kind: 'count', baseline: 10, window: 0, hop: 1 })).toThrow(/window/);
    expect(() => new CountWindowPlanner({ kind: 'count', baseline: 10, window: 5, hop: 1.5 })).toThrow(/hop/);
  });
});

describe('time windows', () => {
  function planTime(times: number[], windowMs: number, hopMs: number): PlannedWindow[] {
    const p = new TimeWindowPlanner({ kind: 'time', windowMs, hopMs, baseline: 10 });
    const out: PlannedWindow[] = [];
    times.forEach((t, i) => {
      p.push(i, t);
      out.push(...p.take(false));
    });
    out.push(...p.take(true));
    return out;
  }

  it('aligns windows to multiples of the hop and skips empty ones', () => {
    // times 1005..: windows [1000,1010) [1010,1020) [1020,1030) [1030,1040)
    const w = planTime([1005, 1007, 1012, 1035, 1036], 10, 10);
    expect(w.map((x) => [x.window, x.first, x.last, x.startTime])).toEqual([
      [0, 0, 1, 1000],
      [1, 2, 2, 1010],
      [3, 3, 4, 1030],
    ]);
  });
  it('keeps arrival order when a timestamp steps back (clock skew)', () => {
    const w = planTime([100, 115, 105, 121], 10, 10);
    // 105 arrives after 115: it is counted at 115, in window [110, 120).
    expect(w.map((x) => [x.first, x.last])).toEqual([
      [0, 0],
      [1, 2],
      [3, 3],
    ]);
  });
  it('overlaps when hop < window', () => {
    const w = planTime([0, 5, 10, 15, 20], 10, 5);
    expect(w.map((x) => [x.first, x.last])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 4],
    ]);
  });
  it('requires timestamps', () => {
    const p = new TimeWindowPlanner({ kind: 'time', windowMs: 10, hopMs: 10, baseline: 10 });
    expect(() => p.push(0, undefined)).toThrow(/no timestamp/);
  });
});
