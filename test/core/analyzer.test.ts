import { describe, expect, it } from 'vitest';
import {
  analyzeStreams,
  canonicalize,
  createCompressor,
  StreamAnalyzer,
  DEFAULT_PARAMS,
  reproduceWindow,
  type AnalysisParams,
  type EngineEvent,
  type IndexRange,
  type WindowResult,
} from '../../src/core';
import { templatedLog } from '../../scripts/lib/templated-log';

const SMALL: AnalysisParams = {
  ...DEFAULT_PARAMS,
  windowing: { kind: 'count', baseline: 200, window: 50, hop: 50 },
  permutations: 300,
};

function events(lines: string[]): EngineEvent[] {
  return lines.map((text, index) => ({ index, text: canonicalize(text) }));
}

function run(lines: string[], params: AnalysisParams = SMALL): WindowResult[] {
  return analyzeStreams(new Map([['s', events(lines)]]), params).windows;
}

const log = templatedLog({ lines: 3000, bursts: [1500], burstLength: 40, seed: 3 });

describe('edge cases get a result or a clear note, never a crash', () => {
  it('empty input', () => {
    const r = analyzeStreams(new Map([['empty', []]]), SMALL);
    expect(r.windows).toEqual([]);
    expect(r.streams[0]!.note).toBe('no events');
  });
  it('one-line file', () => {
    const r = analyzeStreams(new Map([['one', events(['hello'])]]), SMALL);
    expect(r.windows).toEqual([]);
    expect(r.streams[0]!.note).toMatch(/too few/);
  });
  it('window larger than the file', () => {
    const r = analyzeStreams(new Map([['short', events(log.lines.slice(0, 30))]]), SMALL);
    expect(r.windows).toEqual([]);
    expect(r.streams[0]!.note).toMatch(/30 event/);
  });
  it('binary garbage', () => {
    let s = 99;
    const garbage = Array.from({ length: 400 }, () =>
      String.fromCharCode(...Array.from({ length: 60 }, () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24))),
    );
    const w = run(garbage);
    expect(w.length).toBe(8);
    for (const x of w) {
      expect(x.pValue).toBeGreaterThan(0);
      expect(x.pValue).toBeLessThanOrEqual(1);
      expect(x.entropy).toBeGreaterThan(5);
    }
  });
  it('a 1 MB single line', () => {
    const r = analyzeStreams(new Map([['big', events(['x'.repeat(1 << 20)])]]), SMALL);
    expect(r.windows).toEqual([]);
    expect(r.streams[0]!.note).toMatch(/1 event/);
  });
  it('a 1 MB line among ordinary ones is scored and leads its window’s novel events', () => {
    const lines = log.lines.slice(0, 600);
    let s = 7;
    const noise = Array.from({ length: 1 << 20 }, () => 'abcdefghijklmnopqrstuvwxyz'[((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16) % 26]).join('');
    lines[450] = `${lines[450]} ${noise}`;
    const w = run(lines);
    const hit = w.find((x) => x.firstEvent <= 450 && x.lastEvent >= 450)!;
    expect(hit.topEvents[0]!.index).toBe(450);
    // Its cost is at least the bits of 1 MB of 26-letter noise (log2 26 ≈ 4.7 bits/char), minus slack.
    expect(hit.topEvents[0]!.bits).toBeGreaterThan(4.5 * (1 << 20));
  });
});

describe('results', () => {
  const windows = run(log.lines);

  it('flags the burst and keeps its events out of later baselines', () => {
    const flagged = windows.filter((w) => w.anomaly);
    expect(flagged.some((w) => w.firstEvent <= 1500 && w.lastEvent >= 1500)).toBe(true);
    const inRanges = (i: number, ranges: IndexRange[]): boolean => ranges.some(([a, b]) => i >= a && i <= b);
    for (const w of windows.filter((x) => x.firstEvent > 1600)) {
      for (let i = 1500; i < 1540; i++) {
        expect(inRanges(i, w.baseline.reference) || inRanges(i, w.baseline.calibration)).toBe(false);
      }
    }
  });

  it('keeps every metric in its range', () => {
    for (const w of windows) {
      expect(w.pValue).toBeGreaterThanOrEqual(1 / (1 + w.permutations));
      expect(w.pValue).toBeLessThanOrEqual(1);
      expect(w.qValue).toBeGreaterThanOrEqual(w.pValue);
      expect(w.score).toBeGreaterThanOrEqual(0);
      expect(w.score).toBeLessThanOrEqual(1);
      expect(w.entropy).toBeGreaterThanOrEqual(0);
      expect(w.entropy).toBeLessThanOrEqual(8);
      expect(w.cr).toBeGreaterThan(0);
      expect(w.explanation.length).toBeGreaterThan(20);
    }
  });

  it('is byte-identical across runs', () => {
    expect(JSON.stringify(run(log.lines))).toBe(JSON.stringify(windows));
  });

  it('reproduces every window from its baseline and window events alone', () => {
    const evs = events(log.lines);
    const pick = (ranges: IndexRange[]): EngineEvent[] => ranges.flatMap(([a, b]) => evs.slice(a, b + 1));
    for (const w of windows.filter((_, i) => i % 7 === 0 || _.anomaly)) {
      const baseline = [...pick(w.baseline.calibration), ...pick(w.baseline.reference)];
      const again = reproduceWindow(SMALL, 's', w.window, baseline, evs.slice(w.firstEvent, w.lastEvent + 1));
      const { qValue: _q, anomaly: _a, explanation: _e, ...provisional } = w;
      const { qValue: _q2, anomaly: _a2, explanation: _e2, ...reproduced } = again;
      expect(reproduced).toEqual(provisional);
    }
  });

  it('gives each stream the same windows whatever the order streams are analysed in', () => {
    const a = events(log.lines.slice(0, 1200));
    const b = events(log.lines.slice(1200, 2600));
    const ab = analyzeStreams(new Map([['a', a], ['b', b]]), SMALL).windows;
    const ba = analyzeStreams(new Map([['b', b], ['a', a]]), SMALL).windows;
    const key = (w: WindowResult): string => `${w.stream}/${w.window}`;
    const sorted = (ws: WindowResult[]): WindowResult[] => [...ws].sort((x, y) => key(x).localeCompare(key(y)));
    expect(JSON.stringify(sorted(ba))).toBe(JSON.stringify(sorted(ab)));
  });

  it('a different seed changes only the p-values’ Monte Carlo error, not the metrics', () => {
    const other = run(log.lines, { ...SMALL, seed: 99 });
    other.forEach((w, i) => {
      expect(w.ncd).toBe(windows[i]!.ncd);
      expect(w.statistic).toBe(windows[i]!.statistic);
    });
  });
});

describe('time windows', () => {
  it('analyses a timestamped stream in time windows', () => {
    const evs = log.lines.map((text, index) => ({ index, text: canonicalize(text), timestamp: Date.parse(text.slice(0, 24)) }));
    const params: AnalysisParams = { ...SMALL, windowing: { kind: 'time', windowMs: 10_000, hopMs: 10_000, baseline: 200 }, causal: true };
    const { windows } = analyzeStreams(new Map([['t', evs]]), params);
    expect(windows.length).toBeGreaterThan(20);
    for (const w of windows) {
      expect(w.endTime! - w.startTime!).toBe(10_000);
      expect(w.startTime! % 10_000).toBe(0);
    }
    const burstTime = evs[1500]!.timestamp;
    expect(windows.some((w) => w.anomaly && w.startTime! <= burstTime && burstTime < w.endTime!)).toBe(true);
  });

  it('polling after every event reports the same windows as the 64-event checkpoints, each as soon as a later event closes it', () => {
    const evs = log.lines.map((text, index) => ({ index, text: canonicalize(text), timestamp: Date.parse(text.slice(0, 24)) }));
    const params: AnalysisParams = { ...SMALL, windowing: { kind: 'time', windowMs: 10_000, hopMs: 5_000, baseline: 200 }, causal: true };
    const score = (poll: boolean): { windows: WindowResult[]; lateBy: number[] } => {
      const windows: WindowResult[] = [];
      const lateBy: number[] = [];
      let pushed = 0;
      const a = new StreamAnalyzer('t', params, createCompressor('zstd'), (w) => {
        windows.push(w);
        // Events after the one that closed the window (its end time ≤ that event's time).
        const closer = evs.findIndex((e) => e.timestamp >= w.endTime!);
        lateBy.push(pushed - 1 - closer);
      });
      for (const e of evs) {
        pushed++;
        a.push(e);
        if (poll) a.poll();
      }
      a.finish();
      return { windows, lateBy };
    };
    const polled = score(true);
    const plain = score(false);
    expect(JSON.stringify(polled.windows)).toBe(JSON.stringify(plain.windows));
    // Every window but the two trailing ones (hop = window/2; closed by finish) is reported by the event that closes it.
    expect(polled.lateBy.slice(0, -2).every((d) => d === 0)).toBe(true);
    expect(plain.lateBy.slice(0, -2).some((d) => d > 0)).toBe(true);
  });
});
