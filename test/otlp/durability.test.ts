// What a 200 means: every event of an acknowledged request is in the case
// file even if the server is killed (SIGKILL) right after answering, and the
// next `serve` on that case keeps what the killed session found.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { templatedLog } from '../../scripts/lib/templated-log';
import type { AnomalyListDto } from '../../src/shared/rest-api';
import { startServe } from './helpers/serve-process';

const log = templatedLog({ lines: 3000, bursts: [2000], burstLength: 40, seed: 3 });
const events = log.lines.map((text) => ({ stream: 'svc/app', text, timestamp: Date.parse(text.slice(0, 24)) }));
const ANALYSIS = ['--window-ms', '10000', '--baseline', '200', '--decide-ms', '60000', '--permutations', '300', '--otlp-grpc', 'off'];

async function postEvents(base: string, batch: unknown[]): Promise<number> {
  const res = await fetch(`${base}/v1/events`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ events: batch }) });
  await res.arrayBuffer();
  return res.status;
}

describe('acknowledged means stored', () => {
  it('keeps every acknowledged event and the findings across a kill -9', async () => {
    const first = await startServe({ args: ANALYSIS });
    let anomalies: AnomalyListDto;
    try {
      for (let i = 0; i < events.length; i += 500) expect(await postEvents(first.httpBase, events.slice(i, i + 500))).toBe(200);
      const deadline = Date.now() + 90_000;
      for (;;) {
        anomalies = (await (await fetch(`${first.httpBase}/v1/anomalies`)).json()) as AnomalyListDto;
        if (anomalies.total > 0) break;
        if (Date.now() > deadline) throw new Error('no anomaly found');
        await new Promise((r) => setTimeout(r, 100));
      }
      // Acknowledged, then the process dies at once: no drain, no checkpoint, no clean close.
      const last = events.slice(-50).map((e, i) => ({ ...e, stream: 'svc/late', text: `${e.text} #${i}` }));
      expect(await postEvents(first.httpBase, last)).toBe(200);
      await first.crash();
    } catch (err) {
      await first.stop();
      throw err;
    }
    const db = new Database(first.db, { readonly: true });
    try {
      const count = (key: string) => (db.prepare('SELECT count(*) AS n FROM events e JOIN streams s ON s.id = e.stream_id WHERE s.key = ?').get(key) as { n: number }).n;
      expect(count('svc/app')).toBe(events.length);
      expect(count('svc/late')).toBe(50);
      expect(db.prepare('SELECT status FROM analyses').all()).toEqual([{ status: 'running' }]);
    } finally {
      db.close();
    }

    // The next session on the same case: the killed session's findings and sources are kept.
    const second = await startServe({ db: first.db, args: ANALYSIS });
    try {
      const after = (await (await fetch(`${second.httpBase}/v1/anomalies`)).json()) as AnomalyListDto;
      expect(after.anomalies.map((a) => a.id)).toEqual(anomalies!.anomalies.map((a) => a.id));
    } finally {
      expect(await second.stop({ keep: true })).toBe(0);
    }
    const check = new Database(first.db, { readonly: true });
    try {
      expect(check.prepare('SELECT id, mode, status, error LIKE \'interrupted%\' AS interrupted FROM analyses').all()).toEqual([{ id: 1, mode: 'live', status: 'complete', interrupted: 1 }]);
      expect(check.prepare('SELECT kind, status, events FROM sources').all()).toEqual([{ kind: 'rest', status: 'complete', events: events.length + 50 }]);
    } finally {
      check.close();
      first.cleanup();
    }
  });
});
