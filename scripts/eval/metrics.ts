/**
 * The harness's scoring maths, one function per figure. Inputs are plain
 * arrays in item order (windows, lines, blocks or rows); truth is the label,
 * never something the engine saw.
 */

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface Classification extends Confusion {
  /** tp / (tp + fp); NaN when nothing was flagged. */
  precision: number;
  /** tp / (tp + fn); NaN when there are no positives. */
  recall: number;
  /** 2·P·R / (P + R) = 2tp / (2tp + fp + fn); NaN when tp + fp + fn = 0. */
  f1: number;
  /** fp / (fp + tn): flagged share of the negatives; NaN without negatives. */
  fpr: number;
}

function sameLength(name: string, a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new Error(`${name}: ${a.length} predictions for ${b.length} labels`);
}

/**
 * Counts of the four outcomes of a binary decision.
 *
 * @example confusion([true, false, true], [true, true, false]) // { tp: 1, fp: 1, fn: 1, tn: 0 }
 */
export function confusion(predicted: readonly boolean[], truth: readonly boolean[]): Confusion {
  sameLength('confusion', predicted, truth);
  const c: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < truth.length; i++) {
    if (predicted[i]) {
      if (truth[i]) c.tp++;
      else c.fp++;
    } else if (truth[i]) c.fn++;
    else c.tn++;
  }
  return c;
}

/**
 * Precision, recall, F1 and false-positive rate of a binary decision.
 *
 * @example classify([true, true, false, false], [true, false, true, false]).f1 // 0.5
 */
export function classify(predicted: readonly boolean[], truth: readonly boolean[]): Classification {
  const c = confusion(predicted, truth);
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN);
  return {
    ...c,
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
    fpr: ratio(c.fp, c.fp + c.tn),
  };
}

/**
 * Area under the ROC curve of real-valued scores: the probability that a
 * random positive scores above a random negative, ties counting one half
 * (the Mann–Whitney U statistic divided by n₊·n₋, with mid-ranks for ties).
 * NaN when either class is empty.
 *
 * @example aucRoc([0.9, 0.1, 0.8, 0.3], [true, false, false, true]) // 0.75
 */
export function aucRoc(scores: readonly number[], truth: readonly boolean[]): number {
  sameLength('aucRoc', scores, truth);
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    // Ranks are 1-based; every member of a tie group gets the group's mid-rank.
    const midRank = (start + end + 2) / 2;
    for (let k = start; k <= end; k++) {
      if (truth[order[k]!]) {
        positives++;
        rankSum += midRank;
      }
    }
    start = end + 1;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** A maximal run of consecutive positive items: [first, last], inclusive. */
export type Incident = [number, number];

/** The maximal runs of true in `truth`. @example incidents([false, true, true, false, true]) // [[1, 2], [4, 4]] */
export function incidents(truth: readonly boolean[]): Incident[] {
  const out: Incident[] = [];
  for (let i = 0; i < truth.length; i++) {
    if (!truth[i]) continue;
    const last = out[out.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

export interface Delay {
  incidents: number;
  /** Incidents with at least one flagged item inside them. */
  detected: number;
  /** Mean over detected incidents of (first flagged item − incident start), in items; NaN when none detected. */
  meanDelay: number;
  medianDelay: number;
}

/**
 * Detection delay: for each incident (maximal run of positive items), the
 * number of items from its start to the first flagged item inside it.
 *
 * @example detectionDelay([false, false, true, true, false, true], [false, true, true, true, false, true])
 *   // { incidents: 2, detected: 2, meanDelay: 0.5, medianDelay: 0.5 }
 */
export function detectionDelay(predicted: readonly boolean[], truth: readonly boolean[]): Delay {
  sameLength('detectionDelay', predicted, truth);
  const runs = incidents(truth);
  const delays: number[] = [];
  for (const [first, last] of runs) {
    for (let i = first; i <= last; i++) {
      if (predicted[i]) {
        delays.push(i - first);
        break;
      }
    }
  }
  delays.sort((a, b) => a - b);
  const mid = delays.length / 2;
  const median =
    delays.length === 0 ? NaN : delays.length % 2 === 1 ? delays[Math.floor(mid)]! : (delays[mid - 1]! + delays[mid]!) / 2;
  return {
    incidents: runs.length,
    detected: delays.length,
    meanDelay: delays.length === 0 ? NaN : delays.reduce((s, d) => s + d, 0) / delays.length,
    medianDelay: median,
  };
}

/**
 * Benjamini–Hochberg adjusted p-values: q_(i) = min over j ≥ i of p_(j)·m/j,
 * capped at 1, in input order. The harness applies other FDR levels to one
 * analysis with it (flagged at level a = q ≤ a).
 *
 * @example bhAdjust([0.01, 0.04, 0.03]) // [0.03, 0.04, 0.04]
 */
export function bhAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[b]! - pValues[a]! || b - a);
  const q = new Array<number>(m);
  let running = 1;
  order.forEach((i, k) => {
    const rank = m - k;
    running = Math.min(running, (pValues[i]! * m) / rank);
    q[i] = running;
  });
  return q;
}
