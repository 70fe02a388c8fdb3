import type { Compressor, DictionaryCompressor } from '../compressors/compressor';
import { MAX_DICTIONARY_BYTES } from '../baseline';
import { eventCostBits } from '../metrics/event-cost';
import { PROFILES } from '../profiles';
import { benjaminiHochberg } from '../stats/benjamini-hochberg';
import { excessTest, zToScore } from '../stats/excess-test';
import { windowRng } from '../stats/seeded-rng';
import type { AnalysisParams, EngineGroup, GroupResult, TopEvent } from '../types';
import { explainGroup } from './explain-group';
import { SESSION_END, SymbolTable } from './symbol-table';

const encoder = new TextEncoder();

/** Index that stands for "the session ends here" among a group's event costs. */
export const END_INDEX = -1;

/**
 * A pooled baseline for sessions: a reference sample of groups (the two
 * compression dictionaries) and calibration groups whose event costs are
 * the permutation test's null sample.
 */
interface GroupBaseline {
  sequence: DictionaryCompressor;
  content: DictionaryCompressor;
  contentBits: Map<string, number>;
  calibration: Float64Array;
  sortedCalibration: Float64Array;
}

/**
 * Costs of one group's events given a baseline, bits, one per event plus
 * one for the end of the session. Event i costs
 *   c_i = 8·(C(s_1..s_i | D_seq) − C(s_1..s_{i−1} | D_seq)) + 8·C(line_i | D_text) − frame,
 * the growth of the group's template sequence (each canonical line is one
 * symbol) compressed with the reference groups' sequences as dictionary, plus
 * the line's own conditional cost; the end marker costs its sequence growth.
 * So a line the baseline never saw costs its text, and a familiar line in an
 * order, count or ending no reference session shows costs its sequence.
 * The sequence costs telescope: their sum is the whole group's C(seq | D).
 */
function groupCosts(group: EngineGroup, base: GroupBaseline, symbols: SymbolTable): Float64Array {
  const seq = symbols.sequence(group.events);
  const costs = new Float64Array(group.events.length + 1);
  let previous = base.sequence.size(seq.subarray(0, 0));
  for (let i = 0; i <= group.events.length; i++) {
    const size = base.sequence.size(seq.subarray(0, (i + 1) * SymbolTable.WIDTH));
    costs[i] = 8 * (size - previous);
    previous = size;
    if (i < group.events.length) costs[i]! += contentCost(base, group.events[i]!.text);
  }
  return costs;
}

function contentCost(base: GroupBaseline, text: string): number {
  let bits = base.contentBits.get(text);
  if (bits === undefined) {
    bits = eventCostBits(base.content, encoder.encode(`${text}\n`));
    base.contentBits.set(text, bits);
  }
  return bits;
}

/** Concatenation of byte strings, keeping the most recent ones within `max` bytes. */
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
  reference: readonly EngineGroup[],
  calibration: readonly EngineGroup[],
  symbols: SymbolTable,
): GroupBaseline {
  const sequence = compressor.withDictionary(joinTail(reference.map((g) => symbols.sequence(g.events)), MAX_DICTIONARY_BYTES));
  const lines: Uint8Array[] = [];
  for (const g of reference) for (const e of g.events) lines.push(encoder.encode(`${e.text}\n`));
  const content = compressor.withDictionary(joinTail(lines, MAX_DICTIONARY_BYTES));
  const base: GroupBaseline = {
    sequence,
    content,
    contentBits: new Map(),
    calibration: new Float64Array(0),
    sortedCalibration: new Float64Array(0),
  };
  const cal: number[] = [];
  for (const g of calibration) for (const c of groupCosts(g, base, symbols)) cal.push(c);
  base.calibration = Float64Array.from(cal);
  base.sortedCalibration = Float64Array.from(cal).sort();
  return base;
}

/**
 * Each group's role, from (seed, key) alone: folds 0/1 hold roles 0–1 and
 * 2–3; within a fold, even roles are reference, odd roles calibration. A
 * group is scored against the other fold, so it is never in its own baseline.
 */
function roleOf(seed: number, key: string): number {
  return (windowRng(seed, `session-role\u0000${key}`, 0).next() >>> 0) & 3;
}

/**
 * Score every session as one unit against a pooled baseline of other
 * sessions, then decide them together (Benjamini–Hochberg across groups).
 * Unsupervised and deterministic: the split into folds depends only on the
 * seed and the group keys.
 *
 * @param groups sessions in first-seen order (the output keeps it); at least 4
 * @example scoreGroups(blocks, DEFAULT_PARAMS, zstd).filter((g) => g.anomaly)
 */
export function scoreGroups(groups: readonly EngineGroup[], params: AnalysisParams, compressor: Compressor): GroupResult[] {
  if (groups.length < 4) throw new Error(`scoreGroups: sessions are scored against other sessions; need at least 4, got ${groups.length}`);
  const symbols = new SymbolTable();
  for (const g of groups) symbols.sequence(g.events);
  const roles = groups.map((g) => roleOf(params.seed, g.key));
  const pick = (role: number): EngineGroup[] => groups.filter((_, i) => roles[i] === role);
  const baselines: (GroupBaseline | undefined)[] = [0, 1].map((fold) => {
    // Fold f's groups are scored against the other fold's groups.
    const other = 1 - fold;
    let reference = pick(2 * other);
    let calibration = pick(2 * other + 1);
    if (reference.length === 0 || calibration.length === 0) {
      const all = [...reference, ...calibration];
      if (all.length < 2) return undefined;
      reference = all.filter((_, i) => i % 2 === 0);
      calibration = all.filter((_, i) => i % 2 === 1);
    }
    return buildBaseline(compressor, reference, calibration, symbols);
  });
  const profile = PROFILES[params.profile];
  const results: GroupResult[] = groups.map((g, i) => {
    const fold = roles[i]! >> 1;
    const base = baselines[fold] ?? baselines[1 - fold];
    if (!base) throw new Error('scoreGroups: no fold has two sessions to form a baseline');
    const costs = groupCosts(g, base, symbols);
    const test = excessTest(base.calibration, costs, params.permutations, windowRng(params.seed, g.key, 0), base.sortedCalibration);
    let bits = 0;
    for (const c of costs) bits += c;
    const order = Array.from(costs.keys()).sort((a, b) => costs[b]! - costs[a]! || a - b);
    const topEvents: TopEvent[] = order.slice(0, params.topEvents).map((k) => {
      const e = g.events[k];
      return e ? { index: e.index, bits: costs[k]!, text: e.text } : { index: END_INDEX, bits: costs[k]!, text: SESSION_END };
    });
    return {
      group: g.key,
      n: g.events.length,
      bits,
      statistic: test.statistic,
      excessBits: test.excessBits,
      novelEvents: test.novelEvents,
      pValue: test.pValue,
      permutations: test.permutations,
      ...(test.pBound !== undefined ? { pBound: test.pBound } : {}),
      qValue: test.pValue,
      score: zToScore(test.z),
      anomaly: false,
      explanation: '',
      topEvents,
    };
  });
  const q = benjaminiHochberg(results.map((r) => r.pValue));
  results.forEach((r, i) => {
    r.qValue = q[i]!;
    r.anomaly = r.qValue <= profile.alpha && r.excessBits >= profile.minExcessBits;
    r.explanation = explainGroup(r);
  });
  return results;
}
