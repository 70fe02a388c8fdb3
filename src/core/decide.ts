import { explainWindow } from './explain';
import { PROFILES } from './profiles';
import { benjaminiHochberg } from './stats/benjamini-hochberg';
import type { EventCost } from './stream-analyzer';
import { zToScore } from './score-window';
import type { EventScore, Profile, WindowResult } from './types';

/**
 * The batch decision: q-values by Benjamini–Hochberg over every window of the
 * batch (all streams), then anomaly = q ≤ α and excess bits ≥ the profile's
 * minimum (or `minExcess(w)` where a path sets its own bar). Fills qValue,
 * anomaly and explanation in place.
 */
export function decideBatch(windows: WindowResult[], profile: Profile, minExcess?: (w: WindowResult) => number): void {
  const q = benjaminiHochberg(windows.map((w) => w.pValue));
  windows.forEach((w, i) => decideWindow(w, q[i]!, profile, minExcess?.(w)));
}

/**
 * The decision for one window once its q-value is known (from
 * benjaminiHochberg over the whole batch): sets qValue, anomaly and
 * explanation in place. Lets a store decide windows it streams from disk.
 *
 * @param minExcess the effect bar in bits, when a path sets its own (metric
 *   series: one bit per row at balanced); default the profile's minExcessBits
 */
export function decideWindow(w: WindowResult, qValue: number, profile: Profile, minExcess?: number): void {
  const t = PROFILES[profile];
  w.qValue = qValue;
  w.anomaly = w.qValue <= t.alpha && w.excessBits >= (minExcess ?? t.minExcessBits);
  w.explanation = explainWindow(w);
}

/**
 * Line-level scores from the per-event costs of one stream and its decided
 * windows. score = the event's robust z against its baseline mapped to [0, 1];
 * an event is anomalous when a flagged window holds it and its cost is above
 * that window's excess threshold (it is one of the lines behind the finding).
 */
export function scoreEvents(stream: string, costs: readonly EventCost[], windows: readonly WindowResult[]): EventScore[] {
  const flagged = new Set(windows.filter((w) => w.stream === stream && w.anomaly).map((w) => w.window));
  return costs.map((c) => ({
    stream,
    index: c.index,
    ...(c.timestamp !== undefined ? { timestamp: c.timestamp } : {}),
    bits: c.bits,
    score: zToScore(c.z),
    anomaly: c.windows.some((w) => flagged.has(w.window) && c.bits > w.threshold),
  }));
}
