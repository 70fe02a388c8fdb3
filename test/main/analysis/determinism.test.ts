// Results do not depend on how the work is spread: the windows a case
// stores are byte-identical with 1 and 3 workers, while following an
// import or after it, after a worker crash and retry, and equal to the
// engine's own in-memory batch analysis of the same events.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeStreams, DEFAULT_PARAMS, type AnalysisParams, type EngineEvent } from '../../../src/core';
import { AnalysisRun, createAnalysisPool, WorkerPool, type AnalysisPool } from '../../../src/main/analysis';
import { importAndAnalyse } from '../../../src/main/analysis/import-and-analyse';
import { BUILTIN_POLICIES } from '../../../src/main/ingest/redaction';
import { CaseStore } from '../../../src/main/store';
import type { AnalysisReply, AnalysisRequest } from '../../../src/shared/analysis-messages';
import { templatedLog } from '../../../scripts/lib/templated-log';
import { useTempDir } from '../../helpers/temp-dir';

const tmp = useTempDir();

const params: AnalysisParams = { ...DEFAULT_PARAMS, windowing: { kind: 'count', baseline: 200, window: 50, hop: 50 }, permutations: 200, seed: 11 };

function writeLogs(dir: string): string[] {
  const specs = [
    { name: 'api.log', lines: 3000, bursts: [1500], seed: 1 },
    { name: 'db.log', lines: 1800, bursts: [], seed: 2 },
    { name: 'edge.log', lines: 2600, bursts: [400, 2000], seed: 3 },
    { name: 'tiny.log', lines: 30, bursts: [], seed: 4 }, // too short for windows: a note, no windows
    { name: 'svc-crash', lines: 9000, bursts: [700], seed: 5 }, // several read batches
  ];
  return specs.map((s) => {
    const path = join(dir, s.name);
    writeFileSync(path, `${templatedLog({ lines: s.lines, bursts: s.bursts, burstLength: 30, seed: s.seed }).lines.join('\n')}\n`);
    return path;
  });
}

/** The engine's batch analysis of the events as stored (the reference). */
function reference(store: CaseStore): string[] {
  const streams = new Map<string, EngineEvent[]>();
  for (const s of store.events.streamList()) {
    streams.set(
      s.key,
      store.events.range(s.id, 0, s.events).map((e) => ({ index: e.seq, text: e.canonical, ...(e.timestamp !== null ? { timestamp: e.timestamp } : {}) })),
    );
  }
  return sorted(analyzeStreams(streams, params).windows.map((w) => JSON.stringify(w)));
}

function sorted(json: string[]): string[] {
  return json.map((j) => [JSON.parse(j) as { stream: string; window: number }, j] as const)
    .sort(([a], [b]) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.window - b.window))
    .map(([, j]) => j);
}

function stored(store: CaseStore, analysisId: number): string[] {
  return sorted(store.windows.list({ analysisId }).map((w) => JSON.stringify(w.result)));
}

async function analyseAll(store: CaseStore, pool: AnalysisPool): Promise<{ analysisId: number; retries: number }> {
  const run = new AnalysisRun(store, pool, params);
  for (const s of store.events.streamList()) run.follow({ streamId: s.id, key: s.key, committed: s.events }, true);
  return run.finish();
}

describe('analysis across workers', () => {
  it('1 worker following the import, 3 workers afterwards, and a crashed worker: identical windows, equal to the engine', async () => {
    const files = writeLogs(tmp());
    const store = CaseStore.open(join(tmp(), 'case.db'), { create: true });
    const one = createAnalysisPool(1);
    const three = createAnalysisPool(3);
    const crashy: AnalysisPool = new WorkerPool<AnalysisRequest, AnalysisReply>({
      script: new URL('./fixtures/crash-once-analysis.worker.ts', import.meta.url),
      size: 2,
    });
    try {
      // Small batches: the analysis follows the import through many commits.
      const followed = await importAndAnalyse(store, one, files, {
        import: { redaction: BUILTIN_POLICIES.none!, batchSize: 300 },
        params,
      });
      const a1 = followed.analysis!.analysisId;
      const a3 = (await analyseAll(store, three)).analysisId;
      const crashed = await analyseAll(store, crashy);
      const ac = crashed.analysisId;
      expect(crashed.retries).toBe(1);

      const expected = reference(store);
      expect(expected.length).toBeGreaterThan(100);
      expect(stored(store, a1)).toEqual(expected);
      expect(stored(store, a3)).toEqual(expected);
      expect(stored(store, ac)).toEqual(expected);
      // Flags came from the decision over all streams together, and the bursts were found.
      const flagged = expected.map((j) => JSON.parse(j) as { anomaly: boolean; stream: string }).filter((w) => w.anomaly);
      expect(flagged.length).toBeGreaterThan(0);
      expect(store.triage.list(a3).length).toBe(flagged.length);
      const tiny = store.analyses.streams(a3).find((s) => s.streamId === store.events.streamByKey('tiny.log')!.id)!;
      expect(tiny).toMatchObject({ status: 'complete', events: 30, windows: 0 });
      expect(tiny.note).toMatch(/too few/);
      expect(store.analyses.get(a3)).toMatchObject({ status: 'complete', redactionPolicies: [BUILTIN_POLICIES.none] });
      // stats counts the latest complete analysis of each stream once.
      expect(store.stats().windows).toBe(expected.length);
      expect(store.audit.verify()).toMatchObject({ ok: true });
    } finally {
      await Promise.all([one.close(), three.close(), crashy.close()]);
      store.close();
    }
  });
});
