// The real `driftlock analyze` command as a child process: what a pipeline sees.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { templatedLog } from '../../scripts/lib/templated-log';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function driftlock(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(TSX, [path.join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(path.join(tmpdir(), 'driftlock-cli-'));
const log = templatedLog({ lines: 2500, bursts: [1800], burstLength: 40, seed: 11 });
const plain = path.join(dir, 'service.log');
writeFileSync(plain, `${log.lines.join('\r\n')}\r\n`);
mkdirSync(path.join(dir, 'archive'));
const gz = path.join(dir, 'archive', 'service.log.gz');
writeFileSync(gz, gzipSync(`${log.lines.join('\n')}\n`));
const small = ['--baseline', '400', '--window', '50', '--permutations', '200'];

describe('driftlock analyze', () => {
  const first = driftlock('analyze', plain, ...small);

  it('prints one JSON object per window with the documented keys, nothing else on stdout', () => {
    expect(first.code).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(50);
    for (const line of lines) {
      const o = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(o)).toEqual([
        'stream', 'window', 'firstEvent', 'lastEvent', 'n', 'cr', 'crBaseline', 'deltaBits', 'entropy', 'ncd',
        'novelty', 'pValue', 'score', 'anomaly', 'explanation', 'topEvents',
      ]);
      for (const e of o.topEvents as Array<Record<string, unknown>>) expect(Object.keys(e)).toEqual(['index', 'bits', 'text']);
    }
    const windows = lines.map((l) => JSON.parse(l) as { firstEvent: number; lastEvent: number; anomaly: boolean });
    expect(windows[0]!.firstEvent).toBe(0);
    expect(windows.at(-1)!.lastEvent).toBe(2499);
    expect(windows.some((w) => w.anomaly && w.firstEvent <= 1800 && w.lastEvent >= 1800)).toBe(true);
    expect(first.stderr).toMatch(/analysed 2500 events in 50 windows/);
  });

  it('is byte-identical across runs', () => {
    expect(driftlock('analyze', plain, ...small).stdout).toBe(first.stdout);
  });

  it('reads gzip input (LF, another folder) to the same bytes as the plain CRLF file: same stream, same results', () => {
    const fromGz = driftlock('analyze', gz, ...small);
    expect(fromGz.code).toBe(0);
    expect(fromGz.stdout).toBe(first.stdout);
  });

  it('prints per-event scores in [0, 1], one per line of input', () => {
    const r = driftlock('analyze', plain, ...small, '--per-event');
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { index: number; score: number; anomaly: boolean });
    expect(rows.length).toBe(2500);
    rows.forEach((row, i) => {
      expect(Object.keys(row)).toEqual(['stream', 'index', 'score', 'anomaly']);
      expect(row.index).toBe(i);
      expect(row.score).toBeGreaterThanOrEqual(0);
      expect(row.score).toBeLessThanOrEqual(1);
    });
    expect(rows.slice(1800, 1840).some((x) => x.anomaly)).toBe(true);
  });

  it.each([
    [['analyze', path.join(dir, 'missing.log')], /missing\.log: no such file/],
    [['analyze', plain, '--window', 'ten'], /--window must be a whole number/],
    [['analyze', plain, '--profile', 'loud'], /--profile must be one of sensitive, balanced, strict/],
    [['analyze', plain, '--bogus'], /Unknown option '--bogus'/],
    [['analyze'], /at least one input file/],
    [['analyse', plain], /unknown command "analyse"/],
  ])('rejects %j with one line and exit 2', (args, message) => {
    const r = driftlock(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
