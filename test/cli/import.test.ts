// The import acceptance lines, through the real CLI in child processes:
// 1,000,000 lines stored exactly, stats agreeing, a second import a no-op
// that says so; kill -9 mid-import and the same command again completes it
// with no duplicates and a sound database file; bad input imports what is
// good and the command names every bad line.
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { templatedLog } from '../../scripts/lib/templated-log';
import { collect, runCli, spawnCli } from '../helpers/run-cli';
import { useTempDir } from '../helpers/temp-dir';

const tmp = useTempDir();

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'];
const PATHS = ['/api/orders', '/api/users', '/healthz', '/api/cart'];

/** Line i of a synthetic service log; every line is unique (it carries i). */
function line(i: number): string {
  const ts = new Date(Date.UTC(2026, 0, 5) + i * 37).toISOString();
  if (i % 5 === 0) return `${ts} auth INFO login user=${USERS[i % 7]} session=${(i * 2654435761) % 4294967296} seq=${i}`;
  return `${ts} api INFO GET ${PATHS[i % 4]} status=${i % 97 === 0 ? 503 : 200} duration_ms=${(i * 7919) % 500} seq=${i}`;
}

/** Stream `n` lines to disk without holding them in memory. */
async function writeLog(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  const block = 10_000;
  for (let from = 0; from < n; from += block) {
    let text = '';
    for (let i = from; i < Math.min(n, from + block); i++) text += `${line(i)}\n`;
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((done, fail) => out.end((err?: Error | null) => (err ? fail(err) : done())));
}

/** Poll the case through a reader connection until `min` lines are committed (or the child ends). */
async function committedLines(db: string, child: ChildProcess, min: number): Promise<number> {
  let committed = 0;
  for (let waited = 0; waited < 120_000 && child.exitCode === null && committed < min; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    let reader: Database.Database | undefined;
    try {
      reader = new Database(db, { readonly: true, fileMustExist: true });
      committed = (reader.prepare('SELECT COALESCE(SUM(lines_done), 0) AS n FROM sources').get() as { n: number }).n;
    } catch {
      // not created yet
    } finally {
      reader?.close();
    }
  }
  return committed;
}

function statsJson(stdout: string): Record<string, number> {
  expect(stdout).toMatch(/^\{"sources":\d+,"streams":\d+,"events":\d+,"windows":\d+,"anomalies":\d+\}\n$/);
  return JSON.parse(stdout) as Record<string, number>;
}

describe('driftlock import (CLI)', () => {
  it('imports 1,000,000 lines exactly; stats agrees; the second import is a no-op that says so', async () => {
    const log = join(tmp(), 'service.log');
    const db = join(tmp(), 'case.db');
    await writeLog(log, 1_000_000);

    const first = await runCli(['import', log, '--db', db, '--permutations', '100']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/service\.log: 1,000,000 events from 1,000,000 lines \[text\]/);
    expect(first.stderr).toMatch(/analysis #1: 1 stream\(s\), 1,000,000 events, 10,000 windows/);

    const stats = await runCli(['stats', '--db', db, '--format', 'json']);
    expect(stats.code, stats.stderr).toBe(0);
    const s = statsJson(stats.stdout);
    // 10,000 windows: 1,000,000 events in non-overlapping windows of 100 (default window = hop = 100).
    expect(s).toMatchObject({ sources: 1, streams: 1, events: 1_000_000, windows: 10_000 });

    // Independent count straight from the file.
    const check = new Database(db, { readonly: true });
    const row = check.prepare('SELECT count(*) AS n, count(DISTINCT line) AS lines, min(seq) AS lo, max(seq) AS hi FROM events').get();
    const sample = check.prepare('SELECT original FROM events WHERE seq IN (0, 499999, 999999) ORDER BY seq').all() as { original: string }[];
    check.close();
    expect(row).toEqual({ n: 1_000_000, lines: 1_000_000, lo: 0, hi: 999_999 });
    expect(sample.map((r) => r.original)).toEqual([line(0), line(499_999), line(999_999)]);

    const again = await runCli(['import', log, '--db', db]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/service\.log: already imported \(sha256 [0-9a-f]{12}…, source #1, 1,000,000 events\); nothing added/);
    expect(again.stderr).toMatch(/nothing new to analyse/);
    expect(statsJson((await runCli(['stats', '--db', db, '--format', 'json'])).stdout)).toEqual(s);
  }, 300_000);

  it('kill -9 during a large import, then the same import: exact count, no duplicates, integrity ok', async () => {
    const n = 300_000;
    const log = join(tmp(), 'big.log');
    const db = join(tmp(), 'case.db');
    await writeLog(log, n);

    const child = spawnCli(['import', log, '--db', db, '--batch-size', '5000', '--permutations', '50']);
    const done = collect(child);
    // Kill once a good part, but not all, is committed (read through a reader connection).
    const committed = await committedLines(db, child, 50_000);
    expect(committed).toBeGreaterThanOrEqual(50_000);
    expect(committed).toBeLessThan(n);
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');

    const rerun = await runCli(['import', log, '--db', db, '--batch-size', '5000', '--permutations', '50']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(/big\.log: resumed, 300,000 events from 300,000 lines/);

    const check = new Database(db, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare('SELECT count(*) AS n, count(DISTINCT original) AS distinct_text, count(DISTINCT seq) AS seqs, max(seq) AS hi FROM events').get()).toEqual({
        n,
        distinct_text: n,
        seqs: n,
        hi: n - 1,
      });
      // Events are the file's lines, in order (spot checks around the batch boundaries).
      for (const seq of [0, 4999, 5000, 49_999, 50_000, 150_001, n - 1]) {
        expect((check.prepare('SELECT original FROM events WHERE seq = ?').get(seq) as { original: string }).original).toBe(line(seq));
      }
      // The full-text index covers every event exactly once.
      expect((check.prepare("SELECT count(*) AS n FROM events_fts WHERE events_fts MATCH 'seq'").get() as { n: number }).n).toBe(n);
      // The interrupted analysis was discarded and the stream analysed again, whole.
      expect(check.prepare("SELECT status, count(*) AS n FROM analyses GROUP BY status").all()).toEqual([{ status: 'complete', n: 1 }]);
      expect((check.prepare('SELECT count(*) AS n FROM current_windows').get() as { n: number }).n).toBe(n / 100);
    } finally {
      check.close();
    }
    const stats = statsJson((await runCli(['stats', '--db', db, '--format', 'json'])).stdout);
    expect(stats).toEqual({ sources: 1, streams: 1, events: n, windows: n / 100, anomalies: stats.anomalies });
  }, 300_000);

  it('bad input (invalid UTF-8, broken JSON lines, a truncated .gz): the good lines are stored, each bad one is printed by line, exit 0', async () => {
    const mixed = join(tmp(), 'mixed.log');
    const text = Array.from({ length: 10 }, (_, i) => Buffer.from(line(i)));
    text[3] = Buffer.concat([Buffer.from('line 4 has '), Buffer.from([0xc3, 0x28]), Buffer.from(' bad bytes')]);
    writeFileSync(mixed, Buffer.concat(text.flatMap((l) => [l, Buffer.from('\n')])));
    const jsonl = join(tmp(), 'app.jsonl');
    const rows = Array.from({ length: 5 }, (_, i) => JSON.stringify({ ts: 1_767_600_000 + i, msg: `request ${i + 1} ok` }));
    rows[2] = '{"ts": 1767600002, "msg": "cut here';
    writeFileSync(jsonl, `${rows.join('\n')}\n`);
    const gzLines = Array.from({ length: 20_000 }, (_, i) => line(i));
    const gz = zlib.gzipSync(`${gzLines.join('\n')}\n`);
    const cut = join(tmp(), 'cut.log.gz');
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const db = join(tmp(), 'case.db');

    const run = await runCli(['import', mixed, jsonl, cut, '--db', db, '--redact', 'none', '--no-analyze']);
    expect(run.code, run.stderr).toBe(0);
    const check = new Database(db, { readonly: true });
    const stored = (path: string) =>
      (check.prepare('SELECT e.line, e.original FROM events e JOIN sources s ON s.id = e.source_id WHERE s.path = ? ORDER BY e.seq').all(path) as {
        line: number;
        original: string;
      }[]);
    const fromText = stored(mixed);
    const fromJson = stored(jsonl);
    const fromGz = stored(cut);
    check.close();

    // Every text line is kept, the bad bytes replaced; the command names line 4.
    expect(fromText.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(fromText[3]!.original).toBe('line 4 has \uFFFD( bad bytes');
    expect(run.stderr).toMatch(/mixed\.log: 10 events from 10 lines \[text\] .*; 1 problem line\(s\)/);
    expect(run.stderr).toContain(`  ${mixed}:4: invalid UTF-8; the bad bytes were replaced with U+FFFD\n`);
    // The broken JSON line is left out and named; the others keep their line numbers.
    expect(fromJson.map((e) => [e.line, e.original])).toEqual([[1, 'request 1 ok'], [2, 'request 2 ok'], [4, 'request 4 ok'], [5, 'request 5 ok']]);
    expect(run.stderr).toMatch(/app\.jsonl: 4 events from 5 lines \[jsonl\] .*; 1 problem line\(s\)/);
    expect(run.stderr).toMatch(new RegExp(`  ${jsonl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: invalid JSON: `));
    // The archive: exactly its first k lines, and the cut named at line k + 1.
    const k = fromGz.length;
    expect(k).toBeGreaterThan(5000);
    expect(k).toBeLessThan(20_000);
    expect(fromGz.map((e) => e.original)).toEqual(gzLines.slice(0, k));
    expect(run.stderr).toContain(`cut.log.gz: ${k.toLocaleString('en-US')} events from`);
    expect(run.stderr).toContain(`  ${cut}:${k + 1}: input ends early (gzip: unexpected end of file); this incomplete line was skipped\n`);
  }, 120_000);

  it('analyze --db over an imported case prints exactly what analyze prints for the file', async () => {
    const log = join(tmp(), 'service.log');
    writeFileSync(log, `${templatedLog({ lines: 3000, bursts: [2100], burstLength: 40, seed: 5 }).lines.join('\n')}\n`);
    const db = join(tmp(), 'case.db');
    const small = ['--baseline', '400', '--window', '50', '--permutations', '200'];
    const direct = await runCli(['analyze', log, ...small]);
    expect(direct.code, direct.stderr).toBe(0);
    const imported = await runCli(['import', log, '--db', db, '--redact', 'none', '--no-analyze']);
    expect(imported.code, imported.stderr).toBe(0);
    const fromCase = await runCli(['analyze', '--db', db, ...small]);
    expect(fromCase.code, fromCase.stderr).toBe(0);
    expect(fromCase.stdout.split('\n').length).toBe(61);
    expect(fromCase.stdout).toBe(direct.stdout);
    expect(fromCase.stdout).toMatch(/"anomaly":true/);
    expect(statsJson((await runCli(['stats', '--db', db, '--format', 'json'])).stdout)).toMatchObject({ events: 3000, windows: 60 });
  }, 120_000);

  it('Ctrl-C stops after a committed batch with exit 130; the same import then completes', async () => {
    const n = 150_000;
    const log = join(tmp(), 'int.log');
    const db = join(tmp(), 'case.db');
    await writeLog(log, n);
    const child = spawnCli(['import', log, '--db', db, '--batch-size', '2000', '--permutations', '20']);
    const done = collect(child);
    expect(await committedLines(db, child, 10_000)).toBeGreaterThanOrEqual(10_000);
    child.kill('SIGINT');
    const stopped = await done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/interrupted: committed batches are kept; run the same import again to continue/);
    const check = new Database(db, { readonly: true });
    const partial = check.prepare('SELECT status, events, lines_done AS lines FROM sources').get() as { status: string; events: number; lines: number };
    const analyses = check.prepare('SELECT status FROM analyses').all();
    check.close();
    expect(partial.status).toBe('importing');
    expect(partial.events).toBe(partial.lines);
    expect(partial.events).toBeLessThan(n);
    expect(analyses).toEqual([{ status: 'cancelled' }]);
    const rerun = await runCli(['import', log, '--db', db, '--permutations', '20']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(statsJson((await runCli(['stats', '--db', db, '--format', 'json'])).stdout)).toMatchObject({ events: n, windows: n / 100 });
  }, 300_000);
});
