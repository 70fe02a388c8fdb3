// The live analysis stores the same windows whatever the worker count, the
// size of the commits it follows, or a worker crash; they equal the engine's
// own causal time-window analysis of the same events, decided per (stream,
// decision period) family. A later session continues a stream without
// scoring again what the first one did.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalize, decideBatch, DEFAULT_PARAMS, StreamAnalyzer, createCompressor, type AnalysisParams, type WindowResult } from '../../../src/core';
import { createAnalysisPool, WorkerPool, type AnalysisPool } from '../../../src/main/analysis';
import { LiveAnalysis, type LiveCommit } from '../../../src/main/analysis/live-analysis';
import { CaseStore, type NewEvent } from '../../../src/main/store';
import type { AnalysisReply, AnalysisRequest } from '../../../src/shared/analysis-messages';
import { templatedLog } from '../../../scripts/lib/templated-log';
import { useTempDir } from '../../helpers/temp-dir';

const tmp = useTempDir();

const DECIDE_MS = 120_000;
const params: AnalysisParams = {
  ...DEFAULT_PARAMS,
  windowing: { kind: 'time', windowMs: 20_000, hopMs: 10_000, baseline: 150 },
  causal: true,
  permutations: 200,
  seed: 5,
};

/** Three timestamped streams (a burst in two), interleaved as a receiver would see them. */
function streams(): Map<string, { text: string; ts: number }[]> {
  const out = new Map<string, { text: string; ts: number }[]>();
  for (const [key, lines, bursts, seed] of [
    ['api', 2500, [1800], 1],
    ['db', 1500, [], 2],
    ['edge-crash', 2200, [900], 3],
  ] as const) {
    const log = templatedLog({ lines, bursts: [...bursts], burstLength: 30, seed });
    out.set(key, log.lines.map((text) => ({ text: canonicalize(text), ts: Date.parse(text.slice(0, 24)) })));
  }
  return out;
}

/** The engine alone: each stream through a causal StreamAnalyzer, each (stream, period) family through decideBatch. */
function reference(data: Map<string, { text: string; ts: number }[]>): string[] {
  const out: string[] = [];
  for (const [key, events] of data) {
    const windows: WindowResult[] = [];
    const a = new StreamAnalyzer(key, params, createCompressor('zstd'), (w) => windows.push(w));
    events.forEach((e, index) => a.push({ index, text: e.text, timestamp: e.ts }));
    a.finish();
    const families = new Map<number, WindowResult[]>();
    for (const w of windows) {
      const p = Math.floor(w.endTime! / DECIDE_MS);
      families.set(p, [...(families.get(p) ?? []), w]);
    }
    for (const f of families.values()) decideBatch(f, params.profile);
    out.push(...windows.map((w) => JSON.stringify(w)));
  }
  return out;
}

/** Appends the streams round-robin in commits of `chunk` events per stream, following each commit like the sink does. */
async function session(store: CaseStore, pool: AnalysisPool, data: Map<string, { text: string; ts: number }[]>, chunk: number, range: [number, number], errors: string[] = []): Promise<number> {
  const live = new LiveAnalysis(store, pool, params, { decideMs: DECIDE_MS, actor: 'test', onError: (e) => errors.push(e.message) });
  for (let at = range[0]; at < range[1]; at += chunk) {
    const batch: NewEvent[] = [];
    for (const [key, events] of data) {
      for (const e of events.slice(at, Math.min(at + chunk, range[1]))) {
        batch.push({ stream: key, sourceId: null, line: null, timestamp: e.ts, canonical: e.text, original: e.text, fields: null });
      }
    }
    const added = new Map<string, number>();
    for (const e of batch) added.set(e.stream, (added.get(e.stream) ?? 0) + 1);
    const commits = store.transaction(() => store.events.append(batch));
    live.follow(commits.map((c): LiveCommit => ({ ...c, added: added.get(c.key)! })));
    // Let the workers' replies in now and then, as a server's event loop would.
    await new Promise((r) => setImmediate(r));
  }
  const outcome = await live.close();
  expect(outcome!.failures).toEqual([]);
  return outcome!.analysisId;
}

function storedWindows(store: CaseStore, analysisId: number): string[] {
  return store.windows.list({ analysisId }).map((w) => JSON.stringify(w.result));
}

describe('live analysis', () => {
  it('1 worker in small commits, 3 workers in large ones, a crashed worker: the same windows, equal to the engine', async () => {
    const data = streams();
    const expected = reference(data);
    const flagged = expected.filter((j) => (JSON.parse(j) as WindowResult).anomaly).length;
    expect(expected.length).toBeGreaterThan(100);
    expect(flagged).toBeGreaterThan(0);
    const crashy: AnalysisPool = new WorkerPool<AnalysisRequest, AnalysisReply>({
      script: new URL('./fixtures/crash-once-analysis.worker.ts', import.meta.url),
      size: 2,
    });
    const runs: [string, () => AnalysisPool, number][] = [
      ['1 worker, commits of 37', () => createAnalysisPool(1), 37],
      ['3 workers, commits of 900', () => createAnalysisPool(3), 900],
      ['2 workers, one crashes once', () => crashy, 250],
    ];
    for (const [name, makePool, chunk] of runs) {
      const store = CaseStore.open(join(tmp(), `${name}.db`), { create: true });
      const pool = makePool();
      try {
        const errors: string[] = [];
        const id = await session(store, pool, data, chunk, [0, 2500], errors);
        if (pool === crashy) expect(errors).toEqual([expect.stringMatching(/live analysis worker \d restarted: worker exited with code 7/)]);
        else expect(errors).toEqual([]);
        const got = storedWindows(store, id);
        // Stored in (stream key, window) order, as the reference lists them.
        expect(got, name).toEqual(expected);
        expect(store.triage.list(id).length, name).toBe(flagged);
        expect(store.analyses.get(id), name).toMatchObject({ mode: 'live', status: 'complete', error: null });
        expect(store.analyses.streams(id).map((s) => [s.status, s.events]), name).toEqual([...data.values()].map((e) => ['complete', e.length]));
      } finally {
        await pool.close();
        store.close();
      }
    }
  });

  it('a second session warms up on the first one\'s events and scores only what is new', async () => {
    const data = streams();
    const store = CaseStore.open(join(tmp(), 'two-sessions.db'), { create: true });
    const pool = createAnalysisPool(1);
    try {
      const first = await session(store, pool, data, 400, [0, 1200]);
      const second = await session(store, pool, data, 400, [1200, 2500]);
      for (const s of store.events.streamList()) {
        const a = store.windows.list({ analysisId: first, streamId: s.id }).map((w) => w.result);
        const b = store.windows.list({ analysisId: second, streamId: s.id }).map((w) => w.result);
        expect(b.length).toBeGreaterThan(0);
        // Every window of the second session holds events it received (seq ≥ 1200)...
        for (const w of b) expect(w.lastEvent).toBeGreaterThanOrEqual(1200);
        // ...and its first windows were scored against a baseline, thanks to the warm-up.
        expect(b[0]!.baseline.reference.length).toBeGreaterThan(0);
        expect(a.at(-1)!.lastEvent).toBeLessThan(1200);
      }
      // Both live sessions are current: their windows cover different events.
      const total = store.windows.list({ analysisId: first }).length + store.windows.list({ analysisId: second }).length;
      expect(store.stats().windows).toBe(total);
    } finally {
      await pool.close();
      store.close();
    }
  });

  it('an event stamped far in the future does not stall its stream', async () => {
    const store = CaseStore.open(join(tmp(), 'future.db'), { create: true });
    const pool = createAnalysisPool(1);
    try {
      const log = templatedLog({ lines: 1200, bursts: [], burstLength: 0, seed: 9 });
      const t0 = Date.parse(log.lines[0]!.slice(0, 24));
      const events: NewEvent[] = log.lines.map((text, i) => ({
        stream: 'clock',
        sourceId: null,
        line: null,
        // One broken clock a year ahead; the rest one second apart.
        timestamp: i === 300 ? Date.now() + 365 * 86_400_000 : t0 + i * 1000,
        canonical: canonicalize(text),
        original: text,
        fields: null,
      }));
      const live = new LiveAnalysis(store, pool, params, { decideMs: DECIDE_MS, actor: 'test' });
      for (let i = 0; i < events.length; i += 200) {
        const commits = store.transaction(() => store.events.append(events.slice(i, i + 200)));
        live.follow(commits.map((c) => ({ ...c, added: 200 })));
      }
      const { analysisId } = (await live.close())!;
      const windows = store.windows.list({ analysisId }).map((w) => w.result);
      // 1200 s of data in 20 s windows every 10 s: about 120 windows, none stuck after event 300.
      expect(windows.length).toBeGreaterThan(100);
      expect(windows.filter((w) => w.firstEvent > 300).length).toBeGreaterThan(80);
      expect(store.analyses.streams(analysisId)[0]!.note).toMatch(/^1 event\(s\) more than 10 minutes in the future were placed at their predecessor's time/);
    } finally {
      await pool.close();
      store.close();
    }
  });
});
