import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { analyzeStreams, canonicalize, createCompressor, DEFAULT_PARAMS } from '../../../src/core';
import { auditEntryHash, CaseFileError, CaseStore, GENESIS_HASH, type NewEvent } from '../../../src/main/store';
import { canonicalJson } from '../../../src/shared/canonical-json';
import { useTempDir } from '../../helpers/temp-dir';

const tmp = useTempDir();

const ev = (stream: string, original: string, ts: number | null = null): NewEvent => ({
  stream,
  sourceId: null,
  line: null,
  timestamp: ts,
  canonical: canonicalize(original),
  original,
  fields: null,
});

function open(name = 'case.db', now = () => 1_700_000_000_000): CaseStore {
  return CaseStore.open(join(tmp(), name), { create: true, now });
}

describe('events', () => {
  it('allocates seq per stream in append order and tracks time bounds', () => {
    const store = open();
    try {
      const commits = store.transaction(() =>
        store.events.append([ev('a', 'one', 30), ev('b', 'uno'), ev('a', 'two', 10), ev('a', 'three', 20)]),
      );
      expect(commits.map((c) => [c.key, c.committed])).toEqual([
        ['a', 3],
        ['b', 1],
      ]);
      store.transaction(() => store.events.append([ev('b', 'dos')]));
      const [a, b] = store.events.streamList();
      expect(a).toMatchObject({ key: 'a', events: 3, firstTs: 10, lastTs: 30 });
      expect(b).toMatchObject({ key: 'b', events: 2, firstTs: null });
      expect(store.events.range(b!.id, 0, 2).map((e) => [e.seq, e.original])).toEqual([
        [0, 'uno'],
        [1, 'dos'],
      ]);
    } finally {
      store.close();
    }
  });

  it('a rolled-back batch leaves no events and does not advance the sequence', () => {
    const store = open();
    try {
      store.transaction(() => store.events.append([ev('a', 'kept')]));
      expect(() =>
        store.transaction(() => {
          store.events.append([ev('a', 'lost 1'), ev('a', 'lost 2'), ev('c', 'lost 3')]);
          throw new Error('disk full');
        }),
      ).toThrow('disk full');
      store.transaction(() => store.events.append([ev('a', 'next')]));
      const a = store.events.streamByKey('a')!;
      expect(store.events.range(a.id, 0, 10).map((e) => [e.seq, e.original])).toEqual([
        [0, 'kept'],
        [1, 'next'],
      ]);
      expect(store.events.streamByKey('c')).toBeUndefined();
      expect(store.stats().events).toBe(2);
    } finally {
      store.close();
    }
  });

  it('append outside a transaction is refused', () => {
    const store = open();
    try {
      expect(() => store.events.append([ev('a', 'x')])).toThrow(/inside CaseStore.transaction/);
    } finally {
      store.close();
    }
  });

  it('full-text search finds events by words of their original text', () => {
    const store = open();
    try {
      store.transaction(() =>
        store.events.append([ev('s', 'GET /orders 200'), ev('s', 'database connection pool exhausted'), ev('s', 'GET /users 500 upstream timeout')]),
      );
      expect(store.events.search('timeout').map((e) => e.seq)).toEqual([2]);
      expect(store.events.search('"connection pool"').map((e) => e.seq)).toEqual([1]);
      expect(store.events.search('GET NOT timeout').map((e) => e.seq)).toEqual([0]);
    } finally {
      store.close();
    }
  });
});

describe('windows', () => {
  it('a stored window reads back byte-identical to the engine result (NaN metrics included)', () => {
    const lines = Array.from({ length: 700 }, (_, i) => (i % 97 === 5 ? `panic ${i} at cpu ${i % 4}` : `request ${i % 13} ok in ${i % 50} ms`));
    const events = lines.map((text, index) => ({ index, text: canonicalize(text), timestamp: 1000 + index }));
    const params = { ...DEFAULT_PARAMS, windowing: { kind: 'count' as const, baseline: 200, window: 50, hop: 50 }, permutations: 200 };
    const { windows } = analyzeStreams(new Map([['svc', events]]), params);
    expect(windows.length).toBeGreaterThan(5);
    // An engine result can carry NaN (no baseline sample); SQLite stores it as NULL.
    const withNaN = { ...windows[0]!, crBaseline: NaN, deltaBits: NaN, baselineRange: { ...windows[0]!.baselineRange, cr: { p05: NaN, median: NaN, p95: NaN } } };
    const store = open();
    try {
      const streamId = store.transaction(() => store.events.append([ev('svc', 'x')]))[0]!.streamId;
      const analysisId = store.analyses.create(params, createCompressor('zstd').pin, '0.0.0', 1);
      store.windows.insert(analysisId, streamId, [withNaN, ...windows.slice(1)]);
      const back = store.windows.list({ analysisId }).map((w) => w.result);
      expect(back.map((w) => JSON.stringify(w))).toEqual([withNaN, ...windows.slice(1)].map((w) => JSON.stringify(w)));
      expect(Number.isNaN(back[0]!.crBaseline)).toBe(true);
      expect(Number.isNaN(back[0]!.baselineRange.cr.p05)).toBe(true);
    } finally {
      store.close();
    }
  });
});

describe('audit log', () => {
  it('chains entries by SHA-256 and detects tampering', () => {
    let t = 100;
    const store = open('audit.db', () => t++);
    const path = store.path;
    try {
      const a = store.audit.append({ actor: 'ana', action: 'case.created' });
      const b = store.audit.append({ actor: 'ana', action: 'anomaly.confirmed', subject: 'anomaly:1', details: { note: 'real', n: 2 } });
      expect(a.prevHash).toBe(GENESIS_HASH);
      expect(b.prevHash).toBe(a.hash);
      // Independent recomputation of b's hash from its fields.
      const body = canonicalJson({ action: 'anomaly.confirmed', actor: 'ana', details: { n: 2, note: 'real' }, id: 2, prevHash: a.hash, subject: 'anomaly:1', ts: b.ts });
      expect(b.hash).toBe(createHash('sha256').update(body).digest('hex'));
      expect(auditEntryHash(b)).toBe(b.hash);
      expect(store.audit.verify()).toEqual({ ok: true, entries: 2 });
      expect(() => store.db.prepare("UPDATE audit SET actor = 'eve'").run()).toThrow(/append-only/);
      expect(() => store.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    } finally {
      store.close();
    }
    // Tamper behind the store's back: drop the guard and edit an entry.
    const db = new Database(path);
    db.exec("DROP TRIGGER audit_no_update; UPDATE audit SET details = '{\"n\":3,\"note\":\"real\"}' WHERE id = 2");
    db.close();
    const reopened = CaseStore.open(path);
    try {
      expect(reopened.audit.verify()).toMatchObject({ ok: false, firstBad: 2, reason: 'hash does not match the entry' });
    } finally {
      reopened.close();
    }
  });
});

describe('case file', () => {
  it('has one writer: a second open fails while the first holds it, a dead holder is taken over', () => {
    const store = open('locked.db');
    try {
      expect(() => CaseStore.open(store.path)).toThrow(CaseFileError);
      expect(() => CaseStore.open(store.path)).toThrow(/open for writing by process/);
    } finally {
      store.close();
    }
    // A lock left by a process that no longer exists (as after kill -9).
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${store.path}.lock`, `${dead.stdout} ${hostname()}`);
    const again = CaseStore.open(store.path);
    again.close();
    expect(existsSync(`${store.path}.lock`)).toBe(false);
  });

  it('save as writes a consistent copy that opens as a case', () => {
    const store = open('orig.db');
    const copy = join(tmp(), 'copy.db');
    try {
      store.transaction(() => store.events.append([ev('s', 'hello world')]));
      store.saveAs(copy);
      expect(() => store.saveAs(copy)).toThrow(/already exists/);
    } finally {
      store.close();
    }
    const c = CaseStore.open(copy);
    try {
      expect(c.stats().events).toBe(1);
      expect(c.events.search('hello').length).toBe(1);
    } finally {
      c.close();
    }
  });

  it('keeps triage state with who and when', () => {
    const store = open('triage.db', () => 42);
    try {
      const streamId = store.transaction(() => store.events.append([ev('s', 'x')]))[0]!.streamId;
      const analysisId = store.analyses.create(DEFAULT_PARAMS, createCompressor('zstd').pin, '0.0.0', 1);
      const [w] = analyzeStreams(new Map([['s', Array.from({ length: 40 }, (_, i) => ({ index: i, text: `l ${i % 3}` }))]]), {
        ...DEFAULT_PARAMS,
        windowing: { kind: 'count', baseline: 20, window: 10, hop: 10 },
        permutations: 10,
      }).windows;
      store.windows.insert(analysisId, streamId, [w!]);
      const windowId = store.windows.list({ analysisId })[0]!.id;
      store.triage.open(windowId, analysisId, streamId);
      store.triage.open(windowId, analysisId, streamId); // idempotent
      const [a] = store.triage.list(analysisId);
      expect(a).toMatchObject({ status: 'open', note: null, triagedBy: null });
      expect(store.triage.setStatus(a!.id, 'dismissed', 'known batch job', 'ana', 42)).toMatchObject({
        status: 'dismissed',
        note: 'known batch job',
        triagedBy: 'ana',
        triagedAt: 42,
      });
      expect(() => store.db.prepare("UPDATE anomalies SET status = 'maybe'").run()).toThrow(/CHECK/);
    } finally {
      store.close();
    }
  });
});
