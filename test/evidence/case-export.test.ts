// Acceptance of issue 6 over the case store: import a real log into a case
// file, triage, export, verify, and check the audit chain, all with the
// `driftlock` CLI as a child process (real SQLite file, real zip, real PDF).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../src/main/audit/audit-actions';
import { addSuppression, setSuppressionActive, triageAnomaly } from '../../src/main/audit/audited-changes';
import type { AnomaliesFile, BundleManifest } from '../../src/main/evidence/bundle-format';
import { keyInfo } from '../../src/main/evidence/signing-key';
import { verifyBundle } from '../../src/main/evidence/verify-bundle';
import { ZipReader } from '../../src/main/evidence/zip-reader';
import { CaseStore } from '../../src/main/store';
import { BGL_2K, tempDir } from './fixtures';

const TSX = join(process.cwd(), 'node_modules/.bin/tsx');

function cli(env: NodeJS.ProcessEnv, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(TSX, ['src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function readJson<T>(zip: ZipReader, path: string): T {
  return JSON.parse(new TextDecoder().decode(zip.read(path))) as T;
}

describe('export from a case file (BGL_2k imported with the CLI)', () => {
  let dir: string;
  let db: string;
  let env: NodeJS.ProcessEnv;
  let flagged: number;

  beforeAll(() => {
    dir = tempDir('case-export');
    db = join(dir, 'case.db');
    env = { DRIFTLOCK_DATA_DIR: join(dir, 'userdata') };
    const imported = cli(env, 'import', BGL_2K, '--db', db);
    expect(imported.code, imported.stderr).toBe(0);
    const stats = JSON.parse(cli(env, 'stats', '--db', db, '--format', 'json').stdout) as { events: number; anomalies: number };
    expect(stats.events).toBe(2000);
    flagged = stats.anomalies;
    expect(flagged).toBeGreaterThanOrEqual(3);
  });

  it('round trip: export all anomalies, verify exits 0 with "reproduced" for every window', () => {
    const out = join(dir, 'all.zip');
    const exported = cli(env, 'export', '--db', db, '--all', '--out', out, '--incident-id', 'INC-9', '--classification', 'major', '--reporter', 'R. Porter');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/generated a signing key \(first use\): [0-9a-f]{64}/);
    const fingerprint = keyInfo(join(dir, 'userdata')).fingerprint;
    expect(exported.stdout).toContain(`signed by ${fingerprint}`);
    const verified = cli(env, 'verify', out, '--key', fingerprint);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout.match(/ok +window \d+ +reproduced/g)).toHaveLength(flagged);
    expect(verified.stdout).toMatch(new RegExp(`${flagged} of ${flagged} windows reproduced; signer pinned`));

    const zip = new ZipReader(readFileSync(out));
    const manifest = readJson<BundleManifest>(zip, 'manifest.json');
    expect(manifest.analyst).toEqual({ incidentId: 'INC-9', classification: 'major', reporter: 'R. Porter' });
    expect(manifest.sources).toEqual([expect.objectContaining({ name: 'BGL_2k.log', kind: 'text', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(manifest.sources[0]!.sha256).toBe(spawnSync('sha256sum', [BGL_2K], { encoding: 'utf8' }).stdout.split(' ')[0]);
    expect(manifest.analyses[0]!.redactionPolicies[0]!.name).toBe('default');
    // The audit slice: the import, the analysis and the key, up to the head.
    const audit = new TextDecoder().decode(zip.read('audit.jsonl')).trim().split('\n').map((l) => JSON.parse(l) as { action: string });
    expect(audit.map((r) => r.action)).toEqual([AUDIT_ACTIONS.sourceImported, AUDIT_ACTIONS.analysisCompleted, AUDIT_ACTIONS.keyCreated]);
    // The data files hold the stored (redacted) lines: BGL's IPv4 addresses are masked by the default policy.
    const anomalies = readJson<AnomaliesFile>(zip, 'anomalies.json');
    const data = anomalies.anomalies.map((a) => new TextDecoder().decode(zip.read(a.data.window))).join('');
    expect(data).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
  });

  it('records triage, notes and suppressions in the chain, and exports them', async () => {
    const store = CaseStore.open(db);
    let id: number;
    try {
      id = store.triage.list()[0]!.id;
      triageAnomaly(store, id, { status: 'confirmed', note: 'Node card failures on R26' }, 'analyst:ana');
      triageAnomaly(store, id, { note: 'Escalated to the hardware team' }, 'analyst:ana');
      const rule = addSuppression(store, { createdBy: 'analyst:ana', streamId: null, pattern: 'KERNEL INFO', note: 'routine' });
      setSuppressionActive(store, rule.id, false, 'analyst:ana');
      const actions = store.audit.entries(1, 100).map((r) => `${r.action} ${r.subject}`);
      expect(actions.slice(-4)).toEqual([
        `anomaly.triaged anomaly:${id}`,
        `anomaly.noted anomaly:${id}`,
        `suppression.added suppression:${rule.id}`,
        `suppression.disabled suppression:${rule.id}`,
      ]);
      expect(store.audit.verify()).toMatchObject({ ok: true });
    } finally {
      store.close();
    }
    const out = join(dir, 'one.zip');
    expect(cli(env, 'export', '--db', db, '--anomaly', String(id), '--out', out).code).toBe(0);
    const result = await verifyBundle(out);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    const zip = new ZipReader(readFileSync(out));
    const anomalies = readJson<AnomaliesFile>(zip, 'anomalies.json');
    expect(anomalies.anomalies).toHaveLength(1);
    expect(anomalies.anomalies[0]!.triage).toMatchObject({ status: 'confirmed', by: 'analyst:ana', note: 'Escalated to the hardware team' });
    const audit = new TextDecoder().decode(zip.read('audit.jsonl'));
    expect(audit).toContain('"action":"anomaly.triaged"');
    expect(audit).toContain('"action":"suppression.disabled"');
    expect(audit).not.toContain('"action":"evidence.exported"');
    writeFileSync(join(dir, 'one.pdf'), zip.read('report.pdf'));
    const text = spawnSync('pdftotext', [join(dir, 'one.pdf'), '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('Escalated to the hardware team');
  });

  it('gives byte-identical bundles for the same anomalies, key and creation time', () => {
    const a = join(dir, 'a.zip');
    const b = join(dir, 'b.zip');
    const at = '2100-01-01T00:00:00Z';
    expect(cli(env, 'export', '--db', db, '--all', '--out', a, '--created-at', at).code).toBe(0);
    expect(cli(env, 'export', '--db', db, '--all', '--out', b, '--created-at', at).code).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const store = CaseStore.open(db);
    try {
      const exports = store.audit.entries(1, 1000).filter((r) => r.action === AUDIT_ACTIONS.evidenceExported);
      expect(exports.length).toBeGreaterThanOrEqual(4);
      expect(exports[exports.length - 1]!.details).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), createdAt: '2100-01-01T00:00:00.000Z' });
    } finally {
      store.close();
    }
  });

  it('refuses what it cannot export, naming why (exit 2)', () => {
    const out = join(dir, 'never.zip');
    expect(cli(env, 'export', '--db', db, '--anomaly', '999', '--out', out)).toMatchObject({ code: 2, stderr: expect.stringMatching(/the case has no anomaly 999/) });
    expect(cli(env, 'export', '--db', db, '--from', '2005-01-01T00:00:00Z', '--to', '2006-01-01T00:00:00Z', '--out', out)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no anomaly of the case has timestamps/),
    });
    expect(cli(env, 'export', '--db', db, '--all', '--anomaly', '1', '--out', out)).toMatchObject({ code: 2, stderr: expect.stringMatching(/exactly one of/) });
    expect(cli(env, 'export', '--db', db, '--all', '--out', out, '--created-at', '2001-01-01T00:00:00Z')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/before analysis \d+ was recorded in the audit log/),
    });
    expect(cli(env, 'export', '--db', join(dir, 'missing.db'), '--all', '--out', out).code).toBe(2);
  });

  it('audit verify names the first broken row', () => {
    expect(cli(env, 'audit', 'verify', '--db', db)).toMatchObject({ code: 0, stdout: expect.stringMatching(/rows, intact/) });
    const copy = join(dir, 'tampered.db');
    const src = new Database(db, { readonly: true });
    src.exec(`VACUUM INTO '${copy}'`);
    src.close();
    const t = new Database(copy);
    t.exec("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE id = 2");
    t.close();
    const broken = cli(env, 'audit', 'verify', '--db', copy);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN at row 2: hash does not match the entry/);
  });
});

describe('export by time range', () => {
  it('selects the anomalies whose windows overlap the range', async () => {
    const dir = tempDir('case-range');
    const env = { DRIFTLOCK_DATA_DIR: join(dir, 'userdata') };
    // BGL_2k with its epoch field written as a leading ISO time, which the importer reads as the event time.
    const lines = readFileSync(BGL_2K, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
    const log = join(dir, 'bgl-timed.log');
    writeFileSync(log, lines.map((l) => `${new Date(Number(l.split(' ')[1]) * 1000).toISOString()} ${l}`).join('\n') + '\n');
    const db = join(dir, 'case.db');
    expect(cli(env, 'import', log, '--db', db).code).toBe(0);
    const store = CaseStore.open(db);
    let inRange: number[];
    const from = '2005-11-01T00:00:00Z';
    const to = '2005-12-31T00:00:00Z';
    try {
      const windows = store.windows.list({ anomaliesOnly: true, current: true });
      expect(windows.every((w) => w.result.startTime !== undefined)).toBe(true);
      inRange = windows.filter((w) => w.result.startTime! <= Date.parse(to) && w.result.endTime! >= Date.parse(from)).map((w) => w.result.window);
    } finally {
      store.close();
    }
    expect(inRange.length).toBeGreaterThan(0);
    const out = join(dir, 'range.zip');
    expect(cli(env, 'export', '--db', db, '--from', from, '--to', to, '--out', out).code).toBe(0);
    const result = await verifyBundle(out);
    expect(result.ok).toBe(true);
    expect(result.windows.map((w) => w.window)).toEqual(inRange);
    const manifest = readJson<BundleManifest>(new ZipReader(readFileSync(out)), 'manifest.json');
    expect(manifest.scope).toEqual({ kind: 'range', from, to });
  });
});
