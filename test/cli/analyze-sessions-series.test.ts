// The analyze options issue 8 added: --skip-fields, --group-by sessions and
// .csv metric series, through the CLI's entry point with real files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { skipFields } from '../../src/cli/commands/analyze';

const dir = mkdtempSync(path.join(tmpdir(), 'driftlock-eval-cli-'));

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('skipFields', () => {
  it('drops leading whitespace-separated fields and the blanks after them', () => {
    expect(skipFields('- 1117838570 2005.06.03 R02 RAS KERNEL', 1)).toBe('1117838570 2005.06.03 R02 RAS KERNEL');
    expect(skipFields('KERNDTLB  \t1117838570 x', 2)).toBe('x');
    expect(skipFields('a b', 0)).toBe('a b');
    expect(skipFields('only', 3)).toBe('');
  });
});

describe('analyze --skip-fields', () => {
  it('gives labelled lines the same results as the same lines without their label', async () => {
    const lines = Array.from({ length: 600 }, (_, i) => `node${i % 7} job ${i % 13 === 0 ? 'failed with code 3' : 'done'} after ${i} ms`);
    const labelled = path.join(dir, 'a', 'x.log');
    const bare = path.join(dir, 'b', 'x.log');
    for (const [p, body] of [
      [labelled, lines.map((l, i) => `${i % 2 ? '-' : 'ALERT'} ${l}`)],
      [bare, lines],
    ] as const) {
      (await import('node:fs')).mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, `${body.join('\n')}\n`);
    }
    const opts = ['--baseline', '200', '--window', '50', '--permutations', '100'];
    const a = await run('analyze', labelled, '--skip-fields', '1', ...opts);
    const b = await run('analyze', bare, ...opts);
    expect(a.code).toBe(0);
    expect(a.out).toEqual(b.out);
  });
});

describe('analyze --group-by', () => {
  const lines: string[] = [];
  for (let s = 0; s < 60; s++) {
    lines.push(`open session s${s}`, `read 4096 bytes in s${s}`, `read 4096 bytes in s${s}`, `close session s${s}`);
  }
  lines.push('transfer from s1 to s2 complete', 'open session s99', 'kernel panic in session s99: corrupted page table');
  const file = path.join(dir, 'sessions.log');
  writeFileSync(file, `${lines.join('\n')}\n`);

  it('prints one object per group with the documented keys, in first-seen order', async () => {
    const r = await run('analyze', file, '--group-by', 's\\d+', '--permutations', '100');
    expect(r.code).toBe(0);
    const groups = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(groups[0]!)).toEqual(['group', 'n', 'score', 'pValue', 'anomaly', 'explanation']);
    expect(groups.map((g) => g.group)).toEqual([...Array.from({ length: 60 }, (_, i) => `s${i}`), 's99']);
  });

  it('gives a line naming several ids to each of them', async () => {
    const r = await run('analyze', file, '--group-by', 's\\d+', '--permutations', '100');
    const n = new Map(r.out.map((l) => JSON.parse(l) as { group: string; n: number }).map((g) => [g.group, g.n]));
    expect(n.get('s0')).toBe(4);
    expect(n.get('s1')).toBe(5);
    expect(n.get('s2')).toBe(5);
    expect(n.get('s99')).toBe(2);
  });

  it('flags the session with a line no other session has', async () => {
    const r = await run('analyze', file, '--group-by', 's\\d+', '--permutations', '100');
    const flagged = r.out.map((l) => JSON.parse(l) as { group: string; anomaly: boolean; explanation: string }).filter((g) => g.anomaly);
    expect(flagged.map((g) => g.group)).toContain('s99');
    expect(flagged.find((g) => g.group === 's99')!.explanation).toContain('kernel panic');
  });

  it('refuses a bad or empty-matching regex and --per-event in one line each', async () => {
    expect((await run('analyze', file, '--group-by', '(')).err.join('\n')).toMatch(/--group-by is not a valid regular expression/);
    expect((await run('analyze', file, '--group-by', 'x*')).err.join('\n')).toMatch(/matches the empty string/);
    const both = await run('analyze', file, '--group-by', 's\\d+', '--per-event');
    expect(both.code).toBe(2);
    expect(both.err.join('\n')).toMatch(/cannot be combined with --per-event/);
  });
});

describe('analyze FILE.csv', () => {
  const rows = ['timestamp,value'];
  for (let i = 0; i < 1400; i++) {
    const t = new Date(Date.UTC(2014, 3, 1) + 300_000 * i).toISOString().slice(0, 19).replace('T', ' ');
    rows.push(`${t},${i === 1300 ? 500 : (50 + 20 * Math.sin(i / 15)).toFixed(3)}`);
  }
  rows.splice(5, 0, rows[4]!); // a repeated timestamp: kept, in file order
  const file = path.join(dir, 'cpu.csv');
  writeFileSync(file, `${rows.join('\n')}\n`);

  it('gives one {index, timestamp, score, anomaly} per data row, index 0 = first row after the header', async () => {
    const r = await run('analyze', file, '--per-event', '--format', 'jsonl', '--permutations', '100');
    expect(r.code).toBe(0);
    const out = r.out.map((l) => JSON.parse(l) as { index: number; timestamp: string; score: number; anomaly: boolean });
    expect(out.length).toBe(1401);
    expect(Object.keys(out[0]!)).toEqual(['index', 'timestamp', 'score', 'anomaly']);
    expect(out.map((o) => o.index)).toEqual(Array.from({ length: 1401 }, (_, i) => i));
    expect(out.map((o) => o.timestamp)).toEqual(rows.slice(1).map((l) => l.split(',')[0]));
    const best = out.reduce((a, b) => (b.score > a.score ? b : a));
    expect(best.index).toBe(1301); // row 1300 of the generator, shifted by the repeated row
  });

  it('names the file, line and column of a bad value', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'timestamp,value\n2014-01-01 00:00:00,1\n2014-01-01 00:05:00,abc\n');
    const r = await run('analyze', bad, '--per-event');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain(`${bad}:3: column "value": "abc" is not a number`);
  });

  it('refuses mixing series and logs, and --group-by on a series', async () => {
    expect((await run('analyze', file, path.join(dir, 'sessions.log'))).code).toBe(2);
    expect((await run('analyze', file, '--group-by', 'x')).err.join('\n')).toMatch(/--group-by applies to log lines/);
  });
});
