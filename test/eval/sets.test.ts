// Pieces of the harness that are not metric maths: the HDFS sequence
// ceiling, NAB's probationary period and the scorer's output format.
import { describe, expect, it } from 'vitest';
import { sequenceCeilingF1 } from '../../scripts/eval/sets/hdfs';
import { parseNabScores, probation } from '../../scripts/eval/sets/nab';

describe('sequenceCeilingF1', () => {
  it('flags whole classes of identical sequences, best prefix by anomaly share', () => {
    // class A: 2 anomalous of 2; class B: 1 of 3; class C: 0 of 5. Positives 3.
    // flag A: tp 2, flagged 2 → F1 = 4/5 = 0.8; flag A+B: tp 3, flagged 5 → 6/8 = 0.75
    const seq = new Map([
      ['a1', 'A'], ['a2', 'A'],
      ['b1', 'B'], ['b2', 'B'], ['b3', 'B'],
      ['c1', 'C'], ['c2', 'C'], ['c3', 'C'], ['c4', 'C'], ['c5', 'C'],
    ]);
    const labels = new Map([...seq.keys()].map((k) => [k, k === 'a1' || k === 'a2' || k === 'b1']));
    expect(sequenceCeilingF1(seq, labels)).toBeCloseTo(0.8, 12);
  });

  it('is 1 when anomalous sequences never occur among normal ones', () => {
    const seq = new Map([['x', 'P'], ['y', 'Q'], ['z', 'Q']]);
    expect(sequenceCeilingF1(seq, new Map([['x', true], ['y', false], ['z', false]]))).toBe(1);
  });
});

describe('NAB helpers', () => {
  it('has a probationary period of 15 % of the rows, at most 750', () => {
    expect(probation(4032)).toBe(604);
    expect(probation(22695)).toBe(750);
  });

  it('reads the three profile scores from the scorer output', () => {
    const out = [
      "Final score for 'driftlock' detector on 'standard' profile = 49.84",
      "Final score for 'null' detector on 'standard' profile = 0.00",
      "Final score for 'driftlock' detector on 'reward_low_FP_rate' profile = 39.55",
      "Final score for 'driftlock' detector on 'reward_low_FN_rate' profile = -3.20",
    ].join('\n');
    expect(parseNabScores(out, 'driftlock')).toEqual({ standard: 49.84, reward_low_FP_rate: 39.55, reward_low_FN_rate: -3.2 });
  });
});
