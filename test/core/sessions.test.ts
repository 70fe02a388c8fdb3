// Sessions scored as units against the other sessions: synthetic sessions
// whose anomalies are known by construction (a line no other session has,
// a session cut short, a familiar line repeated an unusual number of times).
import { describe, expect, it } from 'vitest';
import { createZstd, DEFAULT_PARAMS, END_INDEX, scoreGroups, type EngineGroup } from '../../src/core';

function session(key: string, lines: string[]): EngineGroup {
  return { key, events: lines.map((text, index) => ({ index, text })) };
}

/** 400 normal sessions with a few shapes, and 8 anomalous ones. */
function sessions(): { groups: EngineGroup[]; anomalous: Set<string> } {
  const groups: EngineGroup[] = [];
  let s = 99;
  const rnd = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  for (let i = 0; i < 400; i++) {
    const lines = ['allocate block <GROUP>'];
    const replicas = 3;
    for (let r = 0; r < replicas; r++) lines.push('receiving block <GROUP> src <IP> dest <IP>');
    for (let r = 0; r < replicas; r++) lines.push(rnd() < 0.5 ? 'received block <GROUP> size <NUM>' : 'responder for <GROUP> terminating');
    for (let r = 0; r < replicas; r++) lines.push('stored block <GROUP> on <IP>');
    if (rnd() < 0.3) lines.push('served block <GROUP> to <IP>');
    lines.push('delete block <GROUP>');
    groups.push(session(`blk_${i}`, lines));
  }
  const anomalous = new Set<string>();
  const add = (key: string, lines: string[]): void => {
    groups.splice(37 * (anomalous.size + 1), 0, session(key, lines));
    anomalous.add(key);
  };
  for (let k = 0; k < 3; k++) add(`bad_new_${k}`, ['allocate block <GROUP>', 'receiving block <GROUP> src <IP> dest <IP>', 'exception in receive for <GROUP>: connection reset by peer', 'delete block <GROUP>']);
  for (let k = 0; k < 3; k++) add(`bad_short_${k}`, ['allocate block <GROUP>', 'receiving block <GROUP> src <IP> dest <IP>']);
  for (let k = 0; k < 2; k++) add(`bad_count_${k}`, ['allocate block <GROUP>', ...new Array<string>(12).fill('receiving block <GROUP> src <IP> dest <IP>'), 'delete block <GROUP>']);
  return { groups, anomalous };
}

describe('scoreGroups', () => {
  const zstd = createZstd();
  const { groups, anomalous } = sessions();
  const params = { ...DEFAULT_PARAMS, permutations: 200 };
  const results = scoreGroups(groups, params, zstd);

  it('answers once per session, in input order', () => {
    expect(results.map((r) => r.group)).toEqual(groups.map((g) => g.key));
    expect(results.map((r) => r.n)).toEqual(groups.map((g) => g.events.length));
  });

  it('flags the sessions with a new line or a cut-short end, and at most one normal session', () => {
    const flagged = results.filter((r) => r.anomaly).map((r) => r.group);
    // An unusual count alone (bad_count_*) is one new count token spread
    // over 15 units: it ranks above every normal session (next test) but
    // its bits per event stay under the balanced profile's bar.
    for (const key of anomalous) if (!key.startsWith('bad_count')) expect(flagged, key).toContain(key);
    expect(flagged.filter((k) => !anomalous.has(k)).length).toBeLessThanOrEqual(1);
  });

  it('ranks the anomalies above every normal session', () => {
    const minBad = Math.min(...results.filter((r) => anomalous.has(r.group)).map((r) => r.score));
    const maxGood = Math.max(...results.filter((r) => !anomalous.has(r.group)).map((r) => r.score));
    expect(minBad).toBeGreaterThan(maxGood);
  });

  it('explains with the leading unit: the new line, or where the session ends', () => {
    const novel = results.find((r) => r.group === 'bad_new_0')!;
    expect(novel.topEvents[0]!.text).toContain('exception in receive');
    expect(novel.explanation).toMatch(/^Session bad_new_0 \(4 events\) needs \d+ bits per event/);
    const short = results.find((r) => r.group === 'bad_short_0')!;
    expect(short.topEvents.some((e) => e.index === END_INDEX || /^1× receiving/.test(e.text))).toBe(true);
  });

  it('keeps q-values consistent with Benjamini–Hochberg over all sessions', () => {
    const m = results.length;
    const byP = [...results].sort((a, b) => a.pValue - b.pValue);
    byP.forEach((r, i) => expect(r.qValue).toBeLessThanOrEqual(Math.min(1, (r.pValue * m) / (i + 1)) + 1e-15));
  });

  it('is deterministic for a seed and depends on nothing else', () => {
    expect(JSON.stringify(scoreGroups(groups, params, zstd))).toBe(JSON.stringify(results));
  });

  it('refuses fewer than four sessions by name', () => {
    expect(() => scoreGroups(groups.slice(0, 3), params, zstd)).toThrow(/scoreGroups: .*at least 4/);
  });
});
