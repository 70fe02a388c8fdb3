import type { Compressor, DictionaryCompressor } from '../compressors/compressor';
import { MAX_DICTIONARY_BYTES } from '../baseline';
import { eventCostBits } from '../metrics/event-cost';
import { PROFILES } from '../profiles';
import { benjaminiHochberg } from '../stats/benjamini-hochberg';
import { zToScore } from '../stats/excess-test';
import { quantileSorted } from '../stats/quantile';
import { tailPValue } from '../stats/tail-p-value';
import { uniformBelow, windowRng } from '../stats/seeded-rng';
import type { AnalysisParams, EngineGroup, GroupResult, TopEvent } from '../types';
import { explainGroup } from './explain-group';
import { SESSION_END, SymbolTable } from './symbol-table';

const encoder = new TextEncoder();

/** Index that stands for "the session ends here" among a group's units. */
export const END_INDEX = -1;

/**
 * Sub-baselines per fold. Each is a random sample of reference sessions
 * holding about `baseline` events; a unit's cost is its mean over them. A
 * single dictionary cannot tell "seen once" from "seen everywhere" (LZ
 * matching is blind to frequency); over samples of a fixed size, a pattern
 * of frequency f is missing from a sample with probability (1 − f)^k, so the
 * mean cost grows smoothly as a pattern gets rarer.
 */
export const SESSION_SAMPLES = 8;

/** Bits per event below which two sessions do not differ (the tail's least scale). */
export const SESSION_MIN_SCALE = 0.5;

interface SubBaseline {
  sequence: DictionaryCompressor;
  bag: DictionaryCompressor;
  content: DictionaryCompressor;
  contentBits: Map<number, number>;
}

interface GroupBaseline {
  samples: SubBaseline[];
  /** Bits per event of each calibration session, ascending. */
  calibration: Float64Array;
  /** Median of `calibration`: a typical session's bits per event. */
  typical: number;
}

/** A session's codes: its template sequence and its bag of (template, count) pairs, each closed by an end token. */
interface GroupCode {
  symbols: number[];
  sequence: Uint8Array;
  bag: Uint8Array;
  /** For each bag token: the template symbol it counts. */
  bagSymbols: number[];
}

function encodeGroup(group: EngineGroup, symbols: SymbolTable, pairs: SymbolTable): GroupCode {
  const ids = group.events.map((e) => symbols.id(e.text));
  const sequence = new Uint8Array((ids.length + 1) * SymbolTable.WIDTH);
  ids.forEach((id, i) => SymbolTable.writeToken(id, sequence, i * SymbolTable.WIDTH));
  SymbolTable.writeEnd(sequence, ids.length * SymbolTable.WIDTH);
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const bagSymbols = [...counts.keys()].sort((a, b) => a - b);
  const bag = new Uint8Array((bagSymbols.length + 1) * SymbolTable.WIDTH);
  bagSymbols.forEach((id, i) => SymbolTable.writeToken(pairs.id(`${id}×${counts.get(id)}`), bag, i * SymbolTable.WIDTH));
  SymbolTable.writeEnd(bag, bagSymbols.length * SymbolTable.WIDTH);
  return { symbols: ids, sequence, bag, bagSymbols };
}

/** Growth in bits of C(prefix | D) token by token: one cost per token; they sum to 8·(C(code | D) − C(∅ | D)). */
function prefixGrowth(dict: DictionaryCompressor, code: Uint8Array, out: Float64Array, at: number): void {
  let previous = dict.size(code.subarray(0, 0));
  const tokens = code.length / SymbolTable.WIDTH;
  for (let t = 0; t < tokens; t++) {
    const size = dict.size(code.subarray(0, (t + 1) * SymbolTable.WIDTH));
    out[at + t]! += 8 * (size - previous);
    previous = size;
  }
}

function contentCost(sub: SubBaseline, symbol: number, symbols: SymbolTable): number {
  let bits = sub.contentBits.get(symbol);
  if (bits === undefined) {
    bits = eventCostBits(sub.content, encoder.encode(`${symbols.text(symbol)}\n`));
    sub.contentBits.set(symbol, bits);
  }
  return bits;
}

/**
 * The units a session is tested on, with their costs in bits (means over the
 * sub-baselines). Sequence view: one unit per event plus its end,
 *   c_i = 8·(C(s_1..s_i | D_seq) − C(s_1..s_{i−1} | D_seq)) + 8·C(line_i | D_text) − framing,
 * the growth of the session's template sequence compressed with reference
 * sessions' sequences as dictionary, plus the line's own conditional cost.
 * Bag view: one unit per distinct template (its count token, in symbol
 * order) plus the end: a familiar line occurring an unusual number of times
 * is a token no reference session has. So a line the baseline never saw
 * costs its text; a familiar line in an order, count or ending no reference
 * session shows costs its code.
 */
function groupUnits(code: GroupCode, base: Pick<GroupBaseline, 'samples'>, symbols: SymbolTable): Float64Array {
  const seqUnits = code.symbols.length + 1;
  const costs = new Float64Array(seqUnits + code.bagSymbols.length + 1);
  for (const sub of base.samples) {
    prefixGrowth(sub.sequence, code.sequence, costs, 0);
    code.symbols.forEach((s, i) => (costs[i]! += contentCost(sub, s, symbols)));
    prefixGrowth(sub.bag, code.bag, costs, seqUnits);
  }
  for (let i = 0; i < costs.length; i++) costs[i] = costs[i]! / base.samples.length;
  return costs;
}

/** Concatenation of byte strings, keeping the last ones within `max` bytes. */
function joinTail(parts: readonly Uint8Array[], max: number): Uint8Array {
  let total = 0;
  let from = parts.length;
  while (from > 0 && total + parts[from - 1]!.length <= max) total += parts[--from]!.length;
  const out = new Uint8Array(total);
  for (let i = from, at = 0; i < parts.length; at += parts[i]!.length, i++) out.set(parts[i]!, at);
  return out;
}

function buildBaseline(
  compressor: Compressor,
  reference: readonly number[],
  calibration: readonly number[],
  codes: readonly GroupCode[],
  symbols: SymbolTable,
  params: AnalysisParams,
  fold: number,
): GroupBaseline {
  const samples: SubBaseline[] = [];
  for (let s = 0; s < SESSION_SAMPLES; s++) {
    // A seeded partial shuffle of the reference, taken until it holds `baseline` events.
    const rng = windowRng(params.seed, `session-sample\u0000${fold}`, s);
    const order = [...reference];
    const chosen: number[] = [];
    let events = 0;
    for (let i = 0; i < order.length && events < params.windowing.baseline; i++) {
      const j = i + uniformBelow(rng, order.length - i);
      [order[i], order[j]] = [order[j]!, order[i]!];
      chosen.push(order[i]!);
      events += codes[order[i]!]!.symbols.length;
    }
    const lines: Uint8Array[] = [];
    for (const g of chosen) for (const id of codes[g]!.symbols) lines.push(encoder.encode(`${symbols.text(id)}\n`));
    samples.push({
      sequence: compressor.withDictionary(joinTail(chosen.map((g) => codes[g]!.sequence), MAX_DICTIONARY_BYTES)),
      bag: compressor.withDictionary(joinTail(chosen.map((g) => codes[g]!.bag), MAX_DICTIONARY_BYTES)),
      content: compressor.withDictionary(joinTail(lines, MAX_DICTIONARY_BYTES)),
      contentBits: new Map(),
    });
  }
  const cal = Float64Array.from(calibration, (g) => bitsPerEvent(groupUnits(codes[g]!, { samples }, symbols), codes[g]!)).sort();
  return { samples, calibration: cal, typical: quantileSorted(cal, 0.5) };
}

/**
 * Each group's role, from (seed, key) alone: folds 0/1 hold roles 0–1 and
 * 2–3; within a fold, even roles are reference, odd roles calibration. A
 * group is scored against the other fold, so it is never in its own baseline.
 */
function roleOf(seed: number, key: string): number {
  return (windowRng(seed, `session-role\u0000${key}`, 0).next() >>> 0) & 3;
}

function unitLabel(code: GroupCode, group: EngineGroup, unit: number, symbols: SymbolTable): { index: number; text: string } {
  const seqUnits = code.symbols.length + 1;
  if (unit < seqUnits) {
    const e = group.events[unit];
    return e ? { index: e.index, text: e.text } : { index: END_INDEX, text: SESSION_END };
  }
  const b = unit - seqUnits;
  const symbol = code.bagSymbols[b];
  if (symbol === undefined) return { index: END_INDEX, text: SESSION_END };
  const count = code.symbols.filter((s) => s === symbol).length;
  const first = group.events[code.symbols.indexOf(symbol)]!;
  return { index: first.index, text: `${count}× ${symbols.text(symbol)}` };
}

/** The session statistic: its total cost over its events and its end, m = Σ c / (n + 1). */
function bitsPerEvent(costs: Float64Array, code: GroupCode): number {
  let sum = 0;
  for (const v of costs) sum += v;
  return sum / (code.symbols.length + 1);
}

/**
 * One session against its fold's baseline. Statistic: m = the session's
 * conditional cost given the other sessions (all its units: sequence, count
 * tokens, content) per event, its end counting as one; p-value: m against
 * the calibration sessions' m by tailPValue; effect: bits beyond a typical
 * session of its length, (n + 1)·(m − median calibration m).
 */
function scoreOne(g: EngineGroup, code: GroupCode, base: GroupBaseline | undefined, symbols: SymbolTable, params: AnalysisParams): GroupResult {
  if (!base) throw new Error('scoreGroups: no fold has two sessions to form a baseline');
  const costs = groupUnits(code, base, symbols);
  const mean = bitsPerEvent(costs, code);
  const pValue = tailPValue(base.calibration, mean, SESSION_MIN_SCALE);
  const excessBits = (code.symbols.length + 1) * (mean - base.typical);
  const spread = quantileSorted(base.calibration, 0.75) - quantileSorted(base.calibration, 0.25);
  let novel = 0;
  for (const c of costs) if (c > base.calibration[base.calibration.length - 1]!) novel++;
  let bits = 0;
  for (const c of costs) bits += c;
  const order = Array.from(costs.keys()).sort((a, b) => costs[b]! - costs[a]! || a - b);
  const topEvents: TopEvent[] = order.slice(0, params.topEvents).map((k) => ({ ...unitLabel(code, g, k, symbols), bits: costs[k]! }));
  return {
    group: g.key,
    n: g.events.length,
    bits,
    bitsPerEvent: mean,
    statistic: mean,
    excessBits,
    novelEvents: novel,
    pValue,
    permutations: 0,
    qValue: pValue,
    // Robust z of m (IQR/1.349 estimates σ), mapped like window scores.
    score: zToScore((mean - base.typical) / Math.max(1e-9, spread / 1.349)),
    anomaly: false,
    explanation: '',
    topEvents,
  };
}

/**
 * Score every session as one unit against a pooled baseline of other
 * sessions, then decide them together (Benjamini–Hochberg across groups).
 * Unsupervised and deterministic: the split into folds and the samples
 * depend only on the seed and the group keys.
 *
 * @param groups sessions in first-seen order (the output keeps it); at least 4
 * @example scoreGroups(blocks, DEFAULT_PARAMS, zstd).filter((g) => g.anomaly)
 */
export function scoreGroups(groups: readonly EngineGroup[], params: AnalysisParams, compressor: Compressor): GroupResult[] {
  if (groups.length < 4) throw new Error(`scoreGroups: sessions are scored against other sessions; need at least 4, got ${groups.length}`);
  const symbols = new SymbolTable();
  const pairs = new SymbolTable();
  const codes = groups.map((g) => encodeGroup(g, symbols, pairs));
  const roles = groups.map((g) => roleOf(params.seed, g.key));
  const profile = PROFILES[params.profile];
  // Pass 1 scores every session against all other-fold sessions; pass 2
  // against the other-fold sessions pass 1 did not find suspect (raw p ≤ α
  // and effect over the minimum), as the stream analyzer quarantines flagged
  // windows: otherwise the incidents in the calibration make every p-value
  // conservative and the incidents in the samples make their patterns look known.
  let suspect = new Uint8Array(groups.length);
  let results: GroupResult[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const withRole = (role: number): number[] => roles.flatMap((r, i) => (r === role && !suspect[i] ? [i] : []));
    const baselines: (GroupBaseline | undefined)[] = [0, 1].map((fold) => {
      const other = 1 - fold;
      let reference = withRole(2 * other);
      let calibration = withRole(2 * other + 1);
      if (reference.length === 0 || calibration.length === 0) {
        const all = [...reference, ...calibration];
        if (all.length < 2) return undefined;
        reference = all.filter((_, i) => i % 2 === 0);
        calibration = all.filter((_, i) => i % 2 === 1);
      }
      return buildBaseline(compressor, reference, calibration, codes, symbols, params, fold);
    });
    results = groups.map((g, i) => scoreOne(g, codes[i]!, baselines[roles[i]! >> 1] ?? baselines[1 - (roles[i]! >> 1)], symbols, params));
    suspect = Uint8Array.from(results, (r) => (r.pValue <= profile.alpha && r.excessBits >= profile.minExcessBits ? 1 : 0));
  }
  const q = benjaminiHochberg(results.map((r) => r.pValue));
  results.forEach((r, i) => {
    r.qValue = q[i]!;
    r.anomaly = r.qValue <= profile.alpha && r.excessBits >= profile.minExcessBits;
    r.explanation = explainGroup(r);
  });
  return results;
}
