// The services behind DriftlockApi on a real case file: a real Loghub import
// through the store's pipeline and worker pool, then every kind of call the
// screens make, checked against facts computed independently from the file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../src/main/api/app-services';
import { dispatchCall } from '../../src/main/api/dispatch';
import { storeCaseOpener } from '../../src/main/api/store-case';
import { createAnalysisPool } from '../../src/main/analysis';
import { CaseStore } from '../../src/main/store';
import type { ImportProgress } from '../../src/shared/dto';

const BGL = path.resolve(import.meta.dirname, '../../../shared/data/loghub/BGL_2k.log');

describe('app services on a real case', () => {
  let dir: string;
  let services: AppServices;
  let casePath: string;
  const pool = createAnalysisPool(1);

  async function importAndWait(paths: string[]): Promise<ImportProgress> {
    return new Promise((resolve, reject) => {
      const off = services.events.subscribe((event, payload) => {
        if (event === 'importProgress' && (payload as ImportProgress).done) {
          off();
          resolve(payload as ImportProgress);
        }
      });
      services.importFiles({ paths }).catch(reject);
    });
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'driftlock-services-'));
    casePath = path.join(dir, 'case.driftlock');
    services = createAppServices({
      version: 'test',
      transport: 'http',
      opener: storeCaseOpener(() => pool),
      dataDir: dir,
      sampleLog: null,
      onDispose: () => pool.close(),
    });
    await services.newCase({ path: casePath });
    const done = await importAndWait([BGL]);
    expect(done.files.map((f) => f.state)).toEqual(['done']);
  }, 120_000);

  afterAll(async () => {
    await services.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the stream with every line of the file', async () => {
    const lines = readFileSync(BGL, 'utf8').split(/\r?\n/).filter((l) => l.length > 0).length;
    const streams = await services.listStreams();
    expect(streams).toHaveLength(1);
    expect(streams[0]!.events).toBe(lines);
    const info = (await services.getAppInfo()).case!;
    expect(info.events).toBe(lines);
    expect(info.windows).toBe(streams[0]!.windows);
  });

  it('aggregates the heatmap into at most the columns asked for, keeping every window', async () => {
    const [stream] = await services.listStreams();
    const map = await services.getHeatmap({ metric: 'score', columns: 7 });
    expect(map.rows).toHaveLength(1);
    const cells = map.rows[0]!.cells;
    expect(cells.length).toBeLessThanOrEqual(7);
    expect(cells.reduce((n, c) => n + (c?.windows ?? 0), 0)).toBe(stream!.windows);
    expect(cells.reduce((n, c) => n + (c?.anomalies ?? 0), 0)).toBe(stream!.anomalies);
  });

  it('pages anomalies by score and explains each with tokens that rejoin to its lines', async () => {
    const info = (await services.getAppInfo()).case!;
    expect(info.anomalies).toBeGreaterThan(0);
    const page = await services.listAnomalies({ offset: 0, limit: 1000 });
    expect(page.total).toBe(info.anomalies);
    const scores = page.items.map((a) => a.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const detail = await services.getAnomaly({ id: page.items[0]!.id });
    expect(detail.novelEvents.length).toBe(detail.result.topEvents.length);
    for (const [i, e] of detail.novelEvents.entries()) {
      expect(e.tokens.map((t) => t.text).join('')).toBe(detail.result.topEvents[i]!.text);
      const ref = detail.result.baseline.reference;
      if (e.nearest) expect(ref.some(([a, b]) => e.nearest!.index >= a && e.nearest!.index <= b)).toBe(true);
    }
  });

  it('records triage in the case and its audit chain', async () => {
    const [first] = (await services.listAnomalies({ offset: 0, limit: 1 })).items;
    await services.triage({ id: first!.id, status: 'confirmed', note: 'seen by ops' });
    const confirmed = await services.listAnomalies({ status: 'confirmed', offset: 0, limit: 10 });
    expect(confirmed.items.map((a) => a.id)).toEqual([first!.id]);
    expect(confirmed.items[0]!.note).toBe('seen by ops');
  });

  it('suppresses similar anomalies and reopens them when the rule goes', async () => {
    const open = await services.listAnomalies({ status: 'open', offset: 0, limit: 1000 });
    const target = open.items[0]!;
    const detail = await services.getAnomaly({ id: target.id });
    const top = detail.result.topEvents[0]!.text;
    let sameTop = 0;
    for (const a of open.items) if ((await services.getAnomaly({ id: a.id })).result.topEvents[0]?.text === top) sameTop++;
    const { rule, dismissed } = await services.suppressSimilar({ id: target.id, allStreams: false });
    expect(dismissed).toBe(sameTop);
    const after = await services.getAnomaly({ id: target.id });
    expect(after.anomaly.status).toBe('dismissed');
    expect(after.anomaly.suppressedBy).toBe(rule.id);
    expect((await services.listSuppressions()).map((r) => r.id)).toEqual([rule.id]);
    expect(await services.removeSuppression({ id: rule.id })).toEqual({ reopened: sameTop });
    expect((await services.getAnomaly({ id: target.id })).anomaly.status).toBe('open');
  });

  it('searches the full text and places each hit in its window', async () => {
    const lines = readFileSync(BGL, 'utf8').split(/\r?\n/);
    const expected = lines.filter((l) => /(^|[^A-Za-z0-9])parity([^A-Za-z0-9]|$)/i.test(l)).length;
    const result = await services.searchEvents({ query: 'parity', offset: 0, limit: 500 });
    expect(result.total).toBe(expected);
    for (const hit of result.hits) {
      expect(hit.highlights.length).toBeGreaterThan(0);
      for (const [a, b] of hit.highlights) expect(hit.text.slice(a, b).toLowerCase()).toBe('parity');
      if (hit.window !== null) {
        const w = await services.getWindow({ streamId: hit.streamId, window: hit.window });
        expect(hit.seq).toBeGreaterThanOrEqual(w!.firstEvent);
        expect(hit.seq).toBeLessThanOrEqual(w!.lastEvent);
      }
    }
  });

  it('says so when a file is imported twice, and adds nothing', async () => {
    const before = (await services.getAppInfo()).case!.events;
    const done = await importAndWait([BGL]);
    expect(done.files[0]!.state).toBe('skipped');
    expect(done.files[0]!.message).toMatch(/already imported/);
    expect((await services.getAppInfo()).case!.events).toBe(before);
  });

  it('rejects bad payloads before a service runs, naming the field', async () => {
    expect(await dispatchCall(services, 'triage', { id: 'x' })).toEqual({
      ok: false,
      error: { code: 'invalid-payload', message: 'triage.id: expected an integer, got "x"' },
    });
    expect(await dispatchCall(services, 'getAnomaly', { id: 999_999 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('re-analyses the case under the saved settings; a cancelled re-analysis says so and keeps the results', async () => {
    const finished = (start: () => Promise<{ jobId: string }>, then?: (jobId: string) => void): Promise<ImportProgress> =>
      new Promise((resolve, reject) => {
        const off = services.events.subscribe((event, payload) => {
          if (event === 'importProgress' && (payload as ImportProgress).done) {
            off();
            resolve(payload as ImportProgress);
          }
        });
        start().then((r) => then?.(r.jobId), reject);
      });
    // 2,000 lines in windows of 100: 20; in windows of 50: 40.
    expect((await services.getAppInfo()).case!.windows).toBe(20);
    await services.updateSettings({ window: 50, hop: 50 });
    const done = await finished(() => services.reanalyze());
    expect(done).toMatchObject({ files: [], done: true });
    expect(done.error).toBeUndefined();
    expect((await services.getAppInfo()).case!.windows).toBe(40);

    await services.updateSettings({ window: 100, hop: 100 });
    const cancelled = await finished(
      () => services.reanalyze(),
      (jobId) => void services.cancelImport({ jobId }),
    );
    expect(cancelled.error).toMatch(/^Re-analysis cancelled; the previous results stay current/);
    expect((await services.getAppInfo()).case!.windows).toBe(40);
  }, 60_000);

  it('keeps the audit chain intact after all of this', async () => {
    await services.closeCase();
    const store = CaseStore.open(casePath);
    try {
      expect(store.audit.verify()).toMatchObject({ ok: true });
      const actions = store.audit.entries(1, 1000).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['source.imported', 'analysis.completed', 'anomaly.triaged', 'suppression.added', 'suppression.disabled']));
    } finally {
      store.close();
    }
  });
});
