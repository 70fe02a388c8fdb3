// The harness's metric maths on cases computed by hand (comments show the
// arithmetic), plus a brute-force AUC as an independent reference.
import { describe, expect, it } from 'vitest';
import { aucRoc, bhAdjust, classify, confusion, detectionDelay, incidents } from '../../scripts/eval/metrics';

describe('confusion and classify', () => {
  // predicted: 1 1 1 0 0 0 1 0 ; truth: 1 0 1 1 0 0 0 0
  const predicted = [true, true, true, false, false, false, true, false];
  const truth = [true, false, true, true, false, false, false, false];

  it('counts the four outcomes', () => {
    expect(confusion(predicted, truth)).toEqual({ tp: 2, fp: 2, fn: 1, tn: 3 });
  });

  it('gives P = 2/4, R = 2/3, F1 = 4/7, FPR = 2/5', () => {
    const c = classify(predicted, truth);
    expect(c.precision).toBeCloseTo(0.5, 12);
    expect(c.recall).toBeCloseTo(2 / 3, 12);
    expect(c.f1).toBeCloseTo(4 / 7, 12); // 2·2 / (2·2 + 2 + 1)
    expect(c.fpr).toBeCloseTo(0.4, 12);
  });

  it('is NaN where a ratio has no denominator, and 0 where it has', () => {
    const none = classify([false, false], [false, false]);
    expect(none.precision).toBeNaN();
    expect(none.recall).toBeNaN();
    expect(none.f1).toBeNaN();
    expect(none.fpr).toBe(0);
    const missed = classify([false, true], [true, false]);
    expect(missed.f1).toBe(0);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => classify([true], [true, false])).toThrow(/1 predictions for 2 labels/);
  });
});

/** O(n₊·n₋) definition: share of (positive, negative) pairs ordered right, ties ½. */
function bruteAuc(scores: number[], truth: boolean[]): number {
  let good = 0;
  let pairs = 0;
  scores.forEach((sp, i) => {
    if (!truth[i]) return;
    scores.forEach((sn, j) => {
      if (truth[j]) return;
      pairs++;
      good += sp > sn ? 1 : sp === sn ? 0.5 : 0;
    });
  });
  return good / pairs;
}

describe('aucRoc', () => {
  it('is 3/4 when one of four pairs is inverted', () => {
    // positives 0.9, 0.3; negatives 0.1, 0.8: pairs (0.9,0.1) (0.9,0.8) (0.3,0.1) right, (0.3,0.8) wrong
    expect(aucRoc([0.9, 0.1, 0.8, 0.3], [true, false, false, true])).toBeCloseTo(0.75, 12);
  });

  it('counts ties as one half', () => {
    // one positive, two negatives, all tied: 2 pairs × ½ / 2 = ½
    expect(aucRoc([1, 1, 1], [true, false, false])).toBeCloseTo(0.5, 12);
    // positive 2 vs negatives 2 (tie, ½) and 1 (right, 1): 1.5 / 2
    expect(aucRoc([2, 2, 1], [true, false, false])).toBeCloseTo(0.75, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, NaN with one class', () => {
    expect(aucRoc([3, 2, 1, 0], [true, true, false, false])).toBe(1);
    expect(aucRoc([0, 1, 2, 3], [true, true, false, false])).toBe(0);
    expect(aucRoc([0, 1], [false, false])).toBeNaN();
  });

  it('agrees with the pairwise definition on scores with many ties', () => {
    let x = 12345;
    const next = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    const scores = Array.from({ length: 300 }, () => Math.floor(next() * 7));
    const truth = scores.map((s) => next() < 0.1 + s * 0.1);
    expect(aucRoc(scores, truth)).toBeCloseTo(bruteAuc(scores, truth), 12);
  });
});

describe('incidents and detectionDelay', () => {
  it('finds the maximal runs of positives', () => {
    expect(incidents([false, true, true, false, true])).toEqual([
      [1, 2],
      [4, 4],
    ]);
    expect(incidents([true, true])).toEqual([[0, 1]]);
    expect(incidents([])).toEqual([]);
  });

  it('measures items from an incident start to its first flag', () => {
    // incidents [1..3] and [5..5]; first flags at 2 (delay 1) and 5 (delay 0)
    const d = detectionDelay([false, false, true, true, false, true], [false, true, true, true, false, true]);
    expect(d).toEqual({ incidents: 2, detected: 2, meanDelay: 0.5, medianDelay: 0.5 });
  });

  it('ignores flags outside incidents and counts missed incidents', () => {
    // incidents [2..4] (flag at 4: delay 2), [7..8] (missed), [10..10] (delay 0), flag at 0 is a false positive
    const truth = [false, false, true, true, true, false, false, true, true, false, true];
    const predicted = [true, false, false, false, true, false, false, false, false, false, true];
    expect(detectionDelay(predicted, truth)).toEqual({ incidents: 3, detected: 2, meanDelay: 1, medianDelay: 1 });
  });

  it('has no delay when nothing is detected', () => {
    const d = detectionDelay([false, false], [true, true]);
    expect(d.detected).toBe(0);
    expect(d.meanDelay).toBeNaN();
  });
});

describe('bhAdjust', () => {
  it('matches hand-computed q-values', () => {
    // sorted p: 0.01 (rank 1) → 0.01·4/1 = 0.04; 0.02 (2) → 0.04; 0.03 (3) → 0.04; 0.2 (4) → 0.2;
    // then the running minimum from the top keeps 0.04 for ranks 1–3.
    expect(bhAdjust([0.2, 0.01, 0.03, 0.02])).toEqual([0.2, 0.04, 0.04, 0.04]);
  });
  it('caps at 1 and keeps ties consistent', () => {
    expect(bhAdjust([0.9, 0.9])).toEqual([0.9, 0.9]);
    expect(bhAdjust([1, 0.6])).toEqual([1, 1]);
  });
});
