// Issue 3 acceptance: at default settings (balanced, 1000 permutations) a
// 100,000-line templated log with four bursts of 50 unusual lines gets a
// flagged window in every burst and at most 1 % flagged windows among those
// with no burst line. The log generator is the benchmark's, with a fixed seed.
import { describe, expect, it } from 'vitest';
import { analyzeStreams, canonicalize, DEFAULT_PARAMS } from '../../src/core';
import { templatedLog } from '../../scripts/lib/templated-log';

const BURSTS = [20_000, 45_210, 70_033, 90_077];

describe('four bursts in 100,000 templated lines', () => {
  const log = templatedLog({ lines: 100_000, bursts: BURSTS, burstLength: 50, seed: 7 });
  const events = log.lines.map((text, index) => ({ index, text: canonicalize(text) }));
  const { windows } = analyzeStreams(new Map([['service.log', events]]), { ...DEFAULT_PARAMS });

  it('flags a window in every burst', () => {
    for (const start of BURSTS) {
      const hit = windows.some((w) => w.anomaly && w.firstEvent < start + 50 && w.lastEvent >= start);
      expect(hit, `burst at line ${start}`).toBe(true);
    }
  });

  it('flags at most 1 % of burst-free windows', () => {
    const clean = windows.filter((w) => !log.burst.slice(w.firstEvent, w.lastEvent + 1).some(Boolean));
    const flagged = clean.filter((w) => w.anomaly).length;
    expect(clean.length).toBeGreaterThan(900);
    expect(flagged / clean.length).toBeLessThanOrEqual(0.01);
  });

  it('covers every line with a window', () => {
    const covered = new Uint8Array(log.lines.length);
    for (const w of windows) covered.fill(1, w.firstEvent, w.lastEvent + 1);
    expect(covered.every((c) => c === 1)).toBe(true);
  });
});
