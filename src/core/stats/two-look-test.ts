import { chernoffBound } from './chernoff-bound';
import { excessLevel, refineAtFloor, type ExcessTest } from './excess-test';
import { permutationTailBound } from './hypergeometric-bound';
import { normalUpperTail } from './normal';
import { splitTailBound } from './split-tail-bound';
import { hypergeometricCdf32, samplingMoments } from './permutation-test';
import { uniformBelow, type Rng } from './seeded-rng';

/** The shift look's quantile: the pool median. */
export const SHIFT_LEVEL = 0.5;

/** Which look of twoLookTest carries a unit's evidence. */
export type Look = 'novel' | 'shift';

/** One look: pool values above a pool quantile, and the unit's standardised excess. */
interface LookValues {
  threshold: number;
  /** max(0, c − threshold) for every pool value (calibration first, then the unit). */
  values: Float64Array;
  /** The unit's sum of values (bits, an integer). */
  observed: number;
  mean: number;
  sd: number;
  z: number;
}

function look(pool: Float64Array, sorted: Float64Array, level: number, n: number, calibrationLength: number): LookValues {
  const threshold = sorted[Math.floor(level * (pool.length - 1))]!;
  const values = new Float64Array(pool.length);
  let observed = 0;
  for (let i = 0; i < pool.length; i++) {
    const v = pool[i]! - threshold;
    values[i] = v > 0 ? v : 0;
    if (i >= calibrationLength) observed += values[i]!;
  }
  const m = samplingMoments(values, n);
  const excess = observed - m.mean;
  return { threshold, values, observed, mean: m.mean, sd: m.sd, z: m.sd > 0 ? excess / m.sd : excess > 0 ? 50 : 0 };
}

/**
 * The sum a look's permutation must reach for its z to reach t. With sd = 0
 * every subset has the same sum, so its z is 0 for every permutation.
 */
function barFor(l: LookValues, t: number): number {
  if (l.sd > 0) return l.mean + t * l.sd;
  return t <= 0 ? -Infinity : Infinity;
}

export interface TwoLookTest extends ExcessTest {
  /** The look whose standardised excess is T_obs (its threshold, bits and novel events are reported). */
  look: Look;
}

/**
 * The log-window test: are the unit's n event costs larger than exchangeable
 * draws from the calibration? Two looks at the pool (calibration ∪ unit):
 *
 * - novel: bits above the pool's excessLevel(n, M) quantile (excessTest):
 *   a few events the baseline cannot explain;
 * - shift: bits above the pool median: most events a little costlier, as
 *   in a run of one moderately new line. Such a run fills the window, lifts
 *   the high quantile onto its own cost and so hides from the first look.
 *
 * T = max(z_novel, z_shift), each look's excess standardised by its exact
 * permutation mean and standard deviation (both thresholds are pool
 * quantiles, a symmetric function of the pool, so the permutation null is
 * exact); p = (1 + #{T_perm ≥ T_obs}) / (1 + N), refined at the floor and
 * settled by the union of the two looks' rigorous tail bounds (the least of
 * permutationTailBound, chernoffBound and splitTailBound for each; refineAtFloor).
 * With N = 0: Bonferroni over the two looks' normal approximations.
 *
 * Reported threshold, statistic, excess bits and novel events are the
 * leading look's.
 *
 * @param calibration baseline costs, bits (integers)
 * @param costs the unit's costs, bits (integers), n ≥ 1
 * @param rng the unit's own generator (see windowRng)
 * @example twoLookTest(cal, Float64Array.from({ length: 80 }, () => 400), 1000, rng).look // 'shift' when 400 bits is above the calibration's median but below its upper fifth
 */
export function twoLookTest(calibration: Float64Array, costs: Float64Array, permutations: number, rng: Rng): TwoLookTest {
  const n = costs.length;
  if (n === 0) throw new Error('twoLookTest: the unit has no events');
  const M = calibration.length + n;
  const pool = new Float64Array(M);
  pool.set(calibration);
  pool.set(costs, calibration.length);
  const sorted = Float64Array.from(pool).sort();
  const novel = look(pool, sorted, excessLevel(n, M), n, calibration.length);
  const shift = look(pool, sorted, SHIFT_LEVEL, n, calibration.length);
  const leadName: Look = shift.z > novel.z ? 'shift' : 'novel';
  const lead = leadName === 'shift' ? shift : novel;
  const other = leadName === 'shift' ? novel : shift;
  const tObs = lead.z;
  let novelEvents = 0;
  for (let i = calibration.length; i < M; i++) if (lead.values[i]! > 0) novelEvents++;
  const reported = { look: leadName, threshold: lead.threshold, statistic: lead.observed, excessBits: lead.observed - lead.mean, z: tObs, novelEvents };
  if (permutations === 0) return { ...reported, pValue: Math.min(1, 2 * normalUpperTail(tObs)), permutations: 0 };

  // A permutation reaches T_obs when either look does: the leading look's sum
  // reaches the observed sum (exact integers), or the other's reaches the sum
  // at which its z equals T_obs.
  const leadBar = lead.observed;
  const otherBar = barFor(other, tObs);
  // Both looks are zero at or below the median: draw only among the values above it.
  let above = 0;
  for (let i = 0; i < M; i++) if (shift.values[i]! > 0) above++;
  // (lead, other) value pairs, interleaved so a draw swaps one pair.
  const pairs = new Float64Array(2 * above);
  for (let i = 0, j = 0; i < M; i++) {
    if (shift.values[i]! > 0) {
      pairs[j++] = lead.values[i]!;
      pairs[j++] = other.values[i]!;
    }
  }
  const cdf = above > 0 ? hypergeometricCdf32(M, above, n) : new Float64Array(0);
  const lo = Math.max(0, n - (M - above));
  // Indexes below 2^16 come two per generator output (Lemire's method on each
  // 16-bit half, exact): the draws are most of the test's cost.
  const halfWords = above <= 0x10000;

  const sample = (draws: number): number => {
    if (above === 0) return leadBar <= 0 || otherBar <= 0 ? draws : 0;
    let exceed = 0;
    let spare = -1;
    for (let p = 0; p < draws; p++) {
      // K, how many of the n draws land above the median: invert its CDF.
      const u = rng.next() >>> 0;
      let k = lo;
      while (u >= cdf[k]!) k++;
      // Which K: partial Fisher–Yates over the positions above the median.
      let a = 0;
      let b = 0;
      for (let i = 0; i < k; i++) {
        const bound = above - i;
        let j: number;
        if (halfWords) {
          for (;;) {
            let x: number;
            if (spare >= 0) {
              x = spare;
              spare = -1;
            } else {
              const r = rng.next() >>> 0;
              x = r & 0xffff;
              spare = r >>> 16;
            }
            const m = x * bound;
            const low = m & 0xffff;
            if (low >= bound || low >= (0x10000 - bound) % bound) {
              j = i + (m >>> 16);
              break;
            }
          }
        } else j = i + uniformBelow(rng, bound);
        const va = pairs[2 * j]!;
        const vb = pairs[2 * j + 1]!;
        pairs[2 * j] = pairs[2 * i]!;
        pairs[2 * j + 1] = pairs[2 * i + 1]!;
        pairs[2 * i] = va;
        pairs[2 * i + 1] = vb;
        a += va;
        b += vb;
        // Values are ≥ 0: once a sum reaches its bar the remaining draws cannot undo it.
        if (a >= leadBar || b >= otherBar) break;
      }
      if (a >= leadBar || b >= otherBar) exceed++;
    }
    return exceed;
  };
  const boundOf = (l: LookValues, bar: number): number => {
    if (bar === Infinity) return 0;
    if (bar === -Infinity) return 1;
    const desc = Float64Array.from(l.values).sort().reverse();
    return Math.min(permutationTailBound(desc, n, bar), chernoffBound(l.values, n, bar), splitTailBound(desc, n, bar));
  };
  const floor = refineAtFloor(permutations, sample, () => Math.min(1, boundOf(lead, leadBar) + boundOf(other, otherBar)));
  return { ...reported, ...floor };
}
