// What the case store keeps for live analyses and how anomalies are read:
// current results (latest batch analysis + later live ones), a live
// analysis left running by a dead process, anomaly pages and filters, and
// the full-text index's watermark.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalize, createCompressor, DEFAULT_PARAMS, type WindowResult } from '../../../src/core';
import { triageAnomaly } from '../../../src/main/audit/audited-changes';
import { AnomaliesQuery, CaseStore } from '../../../src/main/store';
import { useTempDir } from '../../helpers/temp-dir';

const tmp = useTempDir();
const pin = createCompressor('zstd').pin;
const T0 = 1_767_600_000_000;

/** A window result with the fields the store and the queries read; `flag` decides it anomalous. */
function window(stream: string, n: number, flag: boolean, startTime = T0 + n * 10_000): WindowResult {
  return {
    stream, window: n, firstEvent: n * 10, lastEvent: n * 10 + 9, n: 10, startTime, endTime: startTime + 10_000,
    cr: 0.3, crBaseline: 0.3, deltaBits: 0, entropy: 4, ncd: 0.5, novelty: 0.1, meanBits: 10, baselineMeanBits: 10,
    statistic: 0, excessBits: flag ? 500 : 0, novelEvents: 0, pValue: flag ? 1e-4 : 0.5, permutations: 1000, qValue: flag ? 1e-3 : 0.5,
    score: flag ? 0.9 : 0.1, anomaly: flag, suspect: flag, explanation: `window ${n}`, topEvents: [],
    baseline: { reference: [[0, 4]], calibration: [[5, 9]] },
    baselineRange: { cr: { p05: 0, median: 0, p95: 0 }, ncd: { p05: 0, median: 0, p95: 0 }, meanBits: { p05: 0, median: 0, p95: 0 } },
  };
}

function open(name: string, now = () => T0): CaseStore {
  return CaseStore.open(join(tmp(), name), { create: true, now });
}

/** An analysis over `stream` with windows flagged where `flags` says, written as the live analysis (or a batch run) writes them. */
function analysis(store: CaseStore, stream: string, mode: 'batch' | 'live', flags: boolean[], opts: { complete?: boolean; firstWindow?: number } = {}): number {
  return store.transaction(() => {
    if (!store.events.streamByKey(stream)) {
      store.events.append([{ stream, sourceId: null, line: null, timestamp: T0, canonical: canonicalize('x'), original: 'x', fields: null }]);
    }
    const streamId = store.events.streamByKey(stream)!.id;
    const id = store.analyses.create({ ...DEFAULT_PARAMS }, pin, 'test', T0, mode === 'live' ? { decideMs: 60_000 } : undefined);
    store.analyses.addStream(id, streamId);
    const windows = flags.map((f, i) => window(stream, (opts.firstWindow ?? 0) + i, f));
    const ids = store.windows.insert(id, streamId, windows);
    windows.forEach((w, i) => w.anomaly && store.triage.open(ids[i]!, id, streamId));
    if (opts.complete ?? true) {
      store.analyses.finishStream(id, streamId, { events: 1, windows: windows.length, skippedWindows: 0, note: null });
      store.analyses.complete(id, [], T0);
    }
    return id;
  });
}

describe('current results', () => {
  it('are the latest complete batch analysis of a stream plus the live analyses after it, running ones included', () => {
    const store = open('current.db');
    try {
      const b1 = analysis(store, 's', 'batch', [true, false]);
      const l1 = analysis(store, 's', 'live', [false, true, true], { firstWindow: 2 });
      const l2 = analysis(store, 's', 'live', [true], { complete: false, firstWindow: 5 });
      const q = new AnomaliesQuery(store.db);
      const current = q.page({}, 100).anomalies.map((a) => a.analysisId);
      expect(current).toEqual([l2, l1, l1, b1]);
      expect(store.stats()).toMatchObject({ windows: 6, anomalies: 4 });
      // A later batch analysis covers every event: it alone is current.
      const b2 = analysis(store, 's', 'batch', [false, true]);
      expect(q.page({}, 100).anomalies.map((a) => a.analysisId)).toEqual([b2]);
      expect(store.triage.list().map((a) => a.analysisId)).toEqual([b2]);
      // One analysis is still listed on request.
      expect(q.page({ analysisId: l1 }, 100).total).toBe(2);
    } finally {
      store.close();
    }
  });

  it('a live analysis a dead process left running keeps its decided windows; a batch one is discarded', () => {
    const path = 'orphans.db';
    let live: number;
    let batch: number;
    {
      const store = open(path);
      live = analysis(store, 'live-stream', 'live', [true, false], { complete: false });
      batch = analysis(store, 'batch-stream', 'batch', [true], { complete: false });
      // Closed without finishing either: as after kill -9 (the lock is released on close).
      store.close();
    }
    const store = open(path, () => T0 + 5);
    try {
      expect(store.discardedAnalyses).toEqual([batch]);
      expect(store.analyses.get(live)).toMatchObject({ status: 'complete', completedAt: T0 + 5, mode: 'live', error: expect.stringMatching(/^interrupted/) });
      expect(() => store.analyses.get(batch)).toThrow();
      expect(new AnomaliesQuery(store.db).page({}, 10).anomalies.map((a) => a.analysisId)).toEqual([live]);
      // Its stream did not finish: an import analyses it again.
      expect(store.analyses.streamsNeedingAnalysis().map((s) => s.key)).toContain('live-stream');
    } finally {
      store.close();
    }
  });
});

describe('anomaly pages and filters', () => {
  it('pages newest first with a stable cursor, counts the total, filters by stream, status and time', () => {
    const store = open('pages.db');
    try {
      // 7 anomalies on 'a' (windows 0..6), 3 on 'b'.
      analysis(store, 'a', 'live', Array(7).fill(true));
      analysis(store, 'b', 'live', [true, false, true, true]);
      const q = new AnomaliesQuery(store.db);
      const seen: number[] = [];
      let page = q.page({}, 4);
      expect(page.total).toBe(10);
      for (;;) {
        seen.push(...page.anomalies.map((a) => a.id));
        if (page.nextBeforeId === null) break;
        // Anomalies added between pages do not shift the listing.
        if (seen.length === 4) analysis(store, 'c', 'live', [true]);
        page = q.page({}, 4, page.nextBeforeId);
      }
      expect(seen).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      expect(q.page({}, 100).total).toBe(11);

      expect(q.page({ stream: 'b' }, 100).anomalies.map((a) => [a.stream, a.window])).toEqual([['b', 3], ['b', 2], ['b', 0]]);
      // Windows of 'a' are [T0 + 10 s·n, T0 + 10 s·(n+1)): [T0 + 25 s, T0 + 45 s) overlaps windows 2, 3 and 4.
      expect(q.page({ stream: 'a', from: T0 + 25_000, to: T0 + 45_000 }, 100).anomalies.map((a) => a.window)).toEqual([4, 3, 2]);
      triageAnomaly(store, 3, { status: 'dismissed' }, 'tester');
      expect(q.page({ status: 'dismissed' }, 100).anomalies.map((a) => a.id)).toEqual([3]);
      expect(q.page({ status: 'open', stream: 'a' }, 100).total).toBe(6);
      expect(q.since({}, 9, 100).map((a) => a.id)).toEqual([10, 11]);
      expect(q.lastId()).toBe(11);
      const one = q.get(2)!;
      expect(one.anomaly).toMatchObject({ id: 2, stream: 'a', window: 1, status: 'open', explanation: 'window 1', pValue: 1e-4 });
      expect(one.window.result).toEqual(window('a', 1, true));
      expect(q.get(999)).toBeUndefined();
    } finally {
      store.close();
    }
  });
});

describe('deferred full-text indexing', () => {
  it('events appended without indexing are stored, found once indexed; a rollback keeps the watermark', () => {
    const store = open('fts.db');
    try {
      const ev = (i: number) => ({ stream: 's', sourceId: null, line: null, timestamp: T0 + i, canonical: 'x', original: `needle number ${i}`, fields: null });
      store.transaction(() => store.events.append([ev(0), ev(1)]));
      store.transaction(() => store.events.append([ev(2), ev(3), ev(4)], { index: false }));
      expect(store.events.unindexed).toBe(3);
      expect(store.events.search('needle').length).toBe(2);
      expect(store.transaction(() => store.events.indexPending(2))).toBe(2);
      expect(store.events.search('needle').length).toBe(4);
      // A failed transaction leaves index and watermark as they were.
      expect(() =>
        store.transaction(() => {
          store.events.indexPending();
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(store.events.unindexed).toBe(1);
      // An indexing append catches up what was deferred.
      store.transaction(() => store.events.append([ev(5)]));
      expect(store.events.unindexed).toBe(0);
      expect(store.events.search('needle').map((e) => e.original).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `needle number ${i}`));
    } finally {
      store.close();
    }
    // The watermark is in the file: a reopened case knows what is indexed.
    const again = open('fts.db');
    try {
      expect(again.events.unindexed).toBe(0);
    } finally {
      again.close();
    }
  });
});
