import { describe, expect, it } from 'vitest';
import { explainWindow, type WindowResult } from '../../src/core';

const range = { p05: 0.2, median: 0.3, p95: 0.4 };
function flagged(novelEvents: number): WindowResult {
  return {
    stream: 'app.log', window: 3, firstEvent: 300, lastEvent: 399, n: 100,
    cr: 0.2, crBaseline: 0.2, deltaBits: 0.1, entropy: 4.5, ncd: 0.5, novelty: 0.3,
    meanBits: 115.4, baselineMeanBits: 90.6, statistic: 9000, excessBits: 1311.2, novelEvents,
    pValue: 1e-5, permutations: 100_000, qValue: 3e-5, score: 0.99, anomaly: true, suspect: true,
    explanation: '', topEvents: [{ index: 305, bits: 136, text: 'db WARN slow query table=orders' }],
    baseline: { reference: [[100, 299]], calibration: [[0, 99]] },
    baselineRange: { cr: range, ncd: range, meanBits: range },
  };
}

describe('explainWindow', () => {
  it('names the few new lines when a few lines carry the finding', () => {
    expect(explainWindow(flagged(3))).not.toMatch(/on average/);
    expect(explainWindow(flagged(3))).toMatch(/carry 1311 bits more than a typical baseline window .*; 3 of 100 events are new to the baseline, led by event 305 \(136 bits\)/);
  });
  it('says the whole window is costlier when most of its lines are behind the finding', () => {
    expect(explainWindow(flagged(83))).toMatch(/; 83 of 100 events are new to the baseline, 115 bits on average against the baseline's 91, led by event 305/);
  });
});
