/**
 * The seasonal context of a series: the period whose "same phase one period
 * earlier" predicts a level better than the previous row does, chosen by code
 * length on the history (MDL), or 0 when no period does.
 */

/** Shortest lag considered a period (rows). */
export const SEASON_MIN_LAG = 4;
/** A period is looked for only among lags up to a third of the history (at least three cycles seen). */
const SEASON_MAX_FRACTION = 1 / 3;
/** Candidate periods: the strongest local maxima of the autocorrelation above this level. */
const ACF_FLOOR = 0.1;
const CANDIDATES = 5;
/**
 * Codes closer than this share (of the best code, per row) are equal: a
 * multiple of a period codes as well as the period itself, and the period
 * in use is kept rather than swapped for one a hair better.
 */
const TIE = 0.05;

/**
 * Bits of a symbol sequence under its own frequencies, plus ½·log2(n) bits
 * per distinct symbol for the model (the two-part code of a histogram):
 *   Σ_v −c_v·log2(c_v / n) + ½·k·log2(n).
 *
 * @example empiricalBits([0, 0, 1, 1]) // 4 + 2·½·2 = 6
 */
export function empiricalBits(symbols: ArrayLike<number>): number {
  const n = symbols.length;
  if (n === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(symbols[i]!, (counts.get(symbols[i]!) ?? 0) + 1);
  let bits = 0;
  for (const c of counts.values()) bits -= c * Math.log2(c / n);
  return bits + 0.5 * counts.size * Math.log2(n);
}

/** Cycles the seasonal context looks back over: their median is robust to one anomalous cycle. */
export const SEASON_CYCLES = 3;

/**
 * The seasonal prediction of row r's level: the median of the levels at
 * r − P, r − 2P, r − 3P (those at or after row 0; two are averaged and
 * rounded), so an incident in one cycle does not echo in the next.
 *
 * @param levelAt the level of a row (on one grid)
 * @example seasonalProfile((r) => [5, 9, 6, 0][r]!, 3, 1) // median(6, 9, 5) = 6
 */
export function seasonalProfile(levelAt: (r: number) => number, r: number, period: number): number {
  const a = levelAt(r - period);
  if (r - 2 * period < 0) return a;
  const b = levelAt(r - 2 * period);
  if (r - 3 * period < 0) return Math.round((a + b) / 2);
  const c = levelAt(r - 3 * period);
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** Bits per row of the change l[r] − l[r − 1]. */
function deltaBitsPerRow(levels: ArrayLike<number>): number {
  const res = new Int32Array(levels.length - 1);
  for (let r = 1; r < levels.length; r++) res[r - 1] = levels[r]! - levels[r - 1]!;
  return empiricalBits(res) / res.length;
}

/** Bits per row of the seasonal residual l[r] − profile(r) over the rows with a cycle before them. */
function seasonalBitsPerRow(levels: ArrayLike<number>, period: number): number {
  const at = (r: number): number => levels[r]!;
  const res = new Int32Array(levels.length - period);
  for (let r = period; r < levels.length; r++) res[r - period] = levels[r]! - seasonalProfile(at, r, period);
  return empiricalBits(res) / res.length;
}

/**
 * The period of a history of levels: candidates are the strongest peaks of
 * its autocorrelation (lags SEASON_MIN_LAG..n/3); a candidate P is worth
 * using when the seasonal residual l[r] − seasonalProfile(r) codes in fewer
 * bits per row than the change l[r] − l[r − 1] does. The one in use
 * (`previous`) is kept while it codes within TIE of the best candidate and
 * of the change code (one anomalous stretch in the history does not switch
 * the context off); otherwise the shortest candidate within TIE of the best
 * is taken.
 *
 * @param levels the history's levels on one grid, oldest first
 * @param previous the period in use (0 = none)
 * @returns the period in rows, or 0
 * @example detectPeriod(squareWave(period 24, 30 cycles), 0) // 24
 */
export function detectPeriod(levels: ArrayLike<number>, previous: number): number {
  const n = levels.length;
  const maxLag = Math.floor(n * SEASON_MAX_FRACTION);
  if (maxLag <= SEASON_MIN_LAG) return 0;
  let mean = 0;
  for (let r = 0; r < n; r++) mean += levels[r]!;
  mean /= n;
  let variance = 0;
  for (let r = 0; r < n; r++) variance += (levels[r]! - mean) ** 2;
  if (variance === 0) return 0;
  const acf = new Float64Array(maxLag + 2);
  for (let lag = SEASON_MIN_LAG; lag <= Math.min(maxLag + 1, n - 1); lag++) {
    let s = 0;
    for (let r = lag; r < n; r++) s += (levels[r]! - mean) * (levels[r - lag]! - mean);
    acf[lag] = s / variance;
  }
  const peaks: number[] = [];
  for (let lag = SEASON_MIN_LAG + 1; lag <= maxLag; lag++) {
    if (acf[lag]! > acf[lag - 1]! && acf[lag]! >= acf[lag + 1]! && acf[lag]! > ACF_FLOOR) peaks.push(lag);
  }
  peaks.sort((a, b) => acf[b]! - acf[a]! || a - b);
  const candidates = peaks.slice(0, CANDIDATES);
  if (previous > 0 && previous <= maxLag && !candidates.includes(previous)) candidates.push(previous);
  if (candidates.length === 0) return 0;
  const deltaBits = deltaBitsPerRow(levels);
  const bits = candidates.map((lag) => seasonalBitsPerRow(levels, lag));
  const best = Math.min(...bits);
  const tie = best + TIE * Math.abs(best);
  const kept = candidates.indexOf(previous);
  // The period in use stays while it codes within TIE of the best candidate and of the change code.
  if (kept >= 0 && bits[kept]! <= tie && bits[kept]! < deltaBits + TIE * Math.abs(deltaBits)) return previous;
  if (!(best < deltaBits)) return 0;
  let shortest = 0;
  candidates.forEach((lag, k) => {
    if (bits[k]! <= tie && (shortest === 0 || lag < shortest)) shortest = lag;
  });
  return shortest;
}
