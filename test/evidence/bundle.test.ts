// Acceptance of issue 6 before the case store: a real log (Loghub BGL_2k)
// analysed in memory, exported as a signed bundle, verified offline, and
// tampered with in every way the issue names.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJsonBytes } from '../../src/shared/canonical-json';
import { buildBundle } from '../../src/main/evidence/build-bundle';
import type { BundleManifest } from '../../src/main/evidence/bundle-format';
import type { BundleInput } from '../../src/main/evidence/bundle-input';
import { signManifest } from '../../src/main/evidence/bundle-signature';
import { loadOrCreateSigningKey, type SigningKey } from '../../src/main/evidence/signing-key';
import { verifyBundle } from '../../src/main/evidence/verify-bundle';
import { writeBundle } from '../../src/main/evidence/write-bundle';
import { ZipReader } from '../../src/main/evidence/zip-reader';
import { writeZip } from '../../src/main/evidence/zip-writer';
import type { VerifyResult } from '../../src/shared/evidence';
import { createZstd, DEFAULT_PARAMS, type AnalysisParams } from '../../src/core';
import { analyseLog, BGL_2K, bundleInputFor, FIXED_CREATED_AT, tempDir, type AnalysedLog } from './fixtures';

const TSX = join(process.cwd(), 'node_modules/.bin/tsx');

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(TSX, ['src/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Rebuilds the zip with one entry changed (what a deliberate editor would do: CRCs stay valid). */
function rezip(bytes: Uint8Array, path: string, change: (data: Uint8Array) => Uint8Array): Uint8Array {
  const zip = new ZipReader(bytes);
  if (!zip.has(path)) throw new Error(`rezip: ${path} not in bundle`);
  return writeZip(zip.paths().map((p) => ({ path: p, data: p === path ? change(zip.read(p)) : zip.read(p), compress: p !== 'report.pdf' })));
}

/** Changes exactly one byte: the first occurrence of `from` at or after `needle`. */
function changeOneByte(data: Uint8Array, needle: string, from: string, to: string): Uint8Array {
  const out = Uint8Array.from(data);
  const start = Buffer.from(out).indexOf(Buffer.from(needle));
  if (start < 0) throw new Error(`changeOneByte: "${needle}" not found`);
  const at = Buffer.from(out).indexOf(Buffer.from(from), start);
  out[at] = to.charCodeAt(0);
  expect(Buffer.from(out).compare(Buffer.from(data))).not.toBe(0);
  return out;
}

function failed(result: VerifyResult): string[] {
  return result.checks.filter((c) => !c.ok).map((c) => c.name);
}

function detail(result: VerifyResult, name: string): string {
  return result.checks.find((c) => c.name === name)?.detail ?? '';
}

describe('evidence bundle from a real log (BGL_2k)', () => {
  let log: AnalysedLog;
  let input: BundleInput;
  let key: SigningKey;
  let otherKey: SigningKey;
  let bundle: Uint8Array;
  let dir: string;
  let flagged: number;

  beforeAll(async () => {
    dir = tempDir('bundle');
    log = await analyseLog(BGL_2K);
    flagged = log.windows.filter((w) => w.anomaly).length;
    input = bundleInputFor(log);
    key = loadOrCreateSigningKey(join(dir, 'userdata')).key;
    otherKey = loadOrCreateSigningKey(join(dir, 'other')).key;
    const result = await writeBundle(input, { out: join(dir, 'bundle.zip'), key });
    bundle = readFileSync(result.path);
    expect(result.sha256).toBe(createHash('sha256').update(bundle).digest('hex'));
    expect(result.keyFingerprint).toBe(key.fingerprint);
    expect(result.fileName).toBe('bundle.zip');
  });

  it('verifies with every window reproduced (round trip)', async () => {
    expect(flagged).toBeGreaterThanOrEqual(3); // BGL_2k has bursts of node-card errors
    const result = await verifyBundle(join(dir, 'bundle.zip'), { expectedFingerprint: key.fingerprint });
    expect(failed(result)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.windows).toHaveLength(flagged);
    expect(result.windows.every((w) => w.reproduced)).toBe(true);
    expect(result.windows.map((w) => w.window)).toEqual(log.windows.filter((w) => w.anomaly).map((w) => w.window));
    expect(detail(result, 'signer')).toMatch(/signed by the expected key/);
    expect(result.summary).toMatchObject({ caseId: 'case-bgl', anomalies: flagged, incidentId: 'INC-2025-0042' });
  });

  it('reproduces on a machine without the zstd addon (node:zlib backend)', async () => {
    const result = await verifyBundle(bundle, { compressors: { zstd: createZstd('node-zlib') } });
    expect(failed(result)).toEqual([]);
    expect(result.windows.every((w) => w.reproduced)).toBe(true);
    expect(detail(result, 'compressor 1')).toMatch(/here: node:zlib/);
  });

  it('reproduces time windows, overlapping causal windows, lz4 with the normal approximation, deflate', async () => {
    const variants: AnalysisParams[] = [
      { ...DEFAULT_PARAMS, windowing: { kind: 'time', windowMs: 7 * 86_400_000, hopMs: 7 * 86_400_000, baseline: 300 } },
      { ...DEFAULT_PARAMS, causal: true, windowing: { kind: 'count', baseline: 300, window: 50, hop: 25 } },
      { ...DEFAULT_PARAMS, compressor: 'lz4', permutations: 0 },
      { ...DEFAULT_PARAMS, compressor: 'deflate' },
    ];
    for (const params of variants) {
      const variant = bundleInputFor(await analyseLog(BGL_2K, params));
      expect(variant.anomalies.length).toBeGreaterThan(0);
      const result = await verifyBundle((await buildBundle(variant, key)).bytes);
      expect(failed(result), JSON.stringify(params)).toEqual([]);
      expect(result.windows.filter((w) => w.reproduced)).toHaveLength(variant.anomalies.length);
    }
  });

  it('exits 0 from the CLI and says "reproduced" for every window', () => {
    const r = cli('verify', join(dir, 'bundle.zip'), '--key', key.shortFingerprint);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const w of log.windows.filter((x) => x.anomaly)) {
      expect(r.stdout).toMatch(new RegExp(`ok +window a${w.window} +reproduced`));
    }
    expect(r.stdout).toMatch(new RegExp(`result: VERIFIED .*${flagged} of ${flagged} windows reproduced; signer pinned`));
  });

  it('is byte-identical when exported twice with the same key and creation time', async () => {
    const again = await buildBundle(bundleInputFor(await analyseLog(BGL_2K)), key);
    expect(Buffer.from(again.bytes).equals(Buffer.from(bundle))).toBe(true);
    const later = await buildBundle(bundleInputFor(log, { createdAt: new Date(FIXED_CREATED_AT.getTime() + 1000) }), key);
    expect(Buffer.from(later.bytes).equals(Buffer.from(bundle))).toBe(false);
  });

  it('passes independent tools: Python zipfile, sha256sum, openssl Ed25519', () => {
    const out = join(dir, 'extracted');
    mkdirSync(out, { recursive: true });
    execFileSync('python3', ['-c', 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nz.extractall(sys.argv[2])', join(dir, 'bundle.zip'), out]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as BundleManifest;
    const sums = execFileSync('sha256sum', manifest.files.map((f) => f.path), { cwd: out }).toString().trim().split('\n');
    expect(sums).toEqual(manifest.files.map((f) => `${f.sha256}  ${f.path}`));
    // openssl checks the Ed25519 signature over manifest.json's bytes as stored.
    const sig = JSON.parse(readFileSync(join(out, 'signature.json'), 'utf8')) as { publicKey: string; signature: string };
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(sig.publicKey, 'base64')]);
    writeFileSync(join(out, 'key.pem'), `-----BEGIN PUBLIC KEY-----\n${spki.toString('base64')}\n-----END PUBLIC KEY-----\n`);
    writeFileSync(join(out, 'signature.bin'), Buffer.from(sig.signature, 'base64'));
    const verified = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'key.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'signature.bin'], { cwd: out }).toString();
    expect(verified).toMatch(/Signature Verified Successfully/);
  });

  it('has a report whose text carries the fingerprint, every explanation and the DORA, NIS2 and AI Act sections', () => {
    const pdf = join(dir, 'report.pdf');
    writeFileSync(pdf, new ZipReader(bundle).read('report.pdf'));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString();
    // -layout keeps a hyphen where pdfkit broke a line after it (the default mode joins such words).
    const squashed = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-']).toString().replace(/\s+/g, '');
    expect(text).toContain(key.fingerprint);
    for (const a of input.anomalies) expect(squashed).toContain(a.result.explanation.replace(/\s+/g, ''));
    expect(text).toMatch(/DORA — major ICT-related incidents/);
    expect(text).toMatch(/NIS2 — Art\. 23 reporting obligations/);
    expect(text).toMatch(/EU AI Act — LLM streams/);
    expect(text).toMatch(/Art\. 12 Record-keeping/);
    expect(text).toMatch(/Art\. 73 Reporting of serious/);
    expect(text).toContain('INC-2025-0042');
    expect(text).toMatch(/Appendix A — Method/);
    expect(squashed).toContain('NCD(X,Y)=(C(XY)−min(C(X),C(Y)))/max(C(X),C(Y))');
    // A p-value at its floor names the tail bound behind it, not N permutations as if all were drawn.
    const floored = input.anomalies.filter((a) => a.result.pBound !== undefined);
    expect(floored.length).toBeGreaterThan(0);
    for (const a of floored) expect(squashed).toContain(`tailbound${a.result.pBound!.toExponential(1)}perdrawfortherestofN=${a.result.permutations.toLocaleString('en-US')}`);
    expect(squashed).not.toMatch(/1,000,000,000permutations/);
    // Fonts come from resources/fonts, embedded and subset.
    const fonts = execFileSync('pdffonts', [pdf]).toString();
    expect(fonts).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes/);
    expect(fonts).not.toMatch(/Helvetica|Times|Courier/);
  });

  describe('tampering', () => {
    it('one byte in anomalies.json: hash and the re-computed window name it', async () => {
      // 0.14… → 0.15…: the window's compression ratio as recorded.
      const cr = input.anomalies[0]!.result.cr.toString();
      const tampered = rezip(bundle, 'anomalies.json', (d) => changeOneByte(d, `"cr": ${cr}`, cr.slice(-1), cr.endsWith('1') ? '2' : '1'));
      const result = await verifyBundle(tampered);
      expect(result.readable).toBe(true);
      expect(failed(result)).toEqual(['hash anomalies.json', `window ${input.anomalies[0]!.id}`]);
      expect(detail(result, 'hash anomalies.json')).toMatch(/the manifest says .*: the file was changed/);
      expect(detail(result, `window ${input.anomalies[0]!.id}`)).toMatch(/not reproduced .* differs from the re-computation in cr \(recorded/);
    });

    it('one byte in a data/ file: hash and reproduction fail', async () => {
      const a = input.anomalies[1]!;
      const path = `data/anomaly-${a.id}/window.jsonl`;
      // In the canonical text the engine compressed ("original" is display-only and covered by the hash alone).
      const tampered = rezip(bundle, path, (d) => changeOneByte(d, '"text":"', '<', '['));
      const result = await verifyBundle(tampered);
      const names = failed(result);
      expect(names.slice(0, 2)).toEqual([`hash ${path}`, `window ${a.id}`]);
      // The batch decision is re-derived from the re-computed window: when the
      // changed event moves its excess bits, the explanation no longer follows
      // either, and the decision check names the same anomaly.
      for (const extra of names.slice(2)) {
        expect(extra).toMatch(/^decision \d+$/);
        expect(detail(result, extra)).toMatch(new RegExp(`^anomaly ${a.id}: explanation`));
      }
      expect(result.windows.find((w) => w.anomalyId === a.id)?.reproduced).toBe(false);
    });

    it('one byte in report.pdf: its hash fails', async () => {
      const tampered = rezip(bundle, 'report.pdf', (d) => changeOneByte(d, '%PDF-1.', '.', ','));
      const result = await verifyBundle(tampered);
      expect(failed(result)).toEqual(['hash report.pdf']);
      // The same change made in place (no re-zip) breaks the entry's CRC: still a named failure, exit 1.
      const raw = Uint8Array.from(bundle);
      const at = Buffer.from(raw).indexOf(Buffer.from('%PDF-'));
      raw[at + 1] = 'Q'.charCodeAt(0);
      const inPlace = await verifyBundle(raw);
      expect(inPlace.readable).toBe(true);
      expect(failed(inPlace)).toEqual(['hash report.pdf']);
      expect(detail(inPlace, 'hash report.pdf')).toMatch(/report\.pdf: CRC-32 does not match/);
    });

    it('one byte in manifest.json: the signature fails', async () => {
      const tampered = rezip(bundle, 'manifest.json', (d) => changeOneByte(d, '"createdAt":"2025-02-03', '3', '4'));
      const result = await verifyBundle(tampered);
      expect(failed(result)).toEqual(['signature']);
      expect(detail(result, 'signature')).toMatch(/does not match manifest\.json/);
    });

    it('signature.json from another key: the signature or the signer fails', async () => {
      // From another bundle signed by another key.
      const foreign = await buildBundle(input, otherKey);
      const swapped = rezip(bundle, 'signature.json', () => new ZipReader(foreign.bytes).read('signature.json'));
      const r1 = await verifyBundle(swapped);
      expect(failed(r1)).toEqual(['signature', 'signer']);
      expect(detail(r1, 'signer')).toMatch(/signature\.json was replaced/);
      // Another key's valid signature over this very manifest: only the signer binding catches it.
      const manifest = JSON.parse(new TextDecoder().decode(new ZipReader(bundle).read('manifest.json'))) as BundleManifest;
      const resigned = signManifest(manifest, otherKey);
      expect(resigned.signature).toBe(sign(null, canonicalJsonBytes(manifest), otherKey.privateKey).toString('base64'));
      const r2 = await verifyBundle(rezip(bundle, 'signature.json', () => new TextEncoder().encode(JSON.stringify(resigned))));
      expect(failed(r2)).toEqual(['signer']);
      expect(detail(r2, 'signature')).toMatch(/holds/);
      // Pinning the expected key catches a wholly re-signed bundle too.
      const r3 = await verifyBundle(foreign.bytes, { expectedFingerprint: key.fingerprint });
      expect(failed(r3)).toEqual(['signer']);
      expect(detail(r3, 'signer')).toContain(`expected a key starting ${key.fingerprint}`);
    });

    it('an edited audit row, an extra file: named', async () => {
      const audit = await verifyBundle(rezip(bundle, 'audit.jsonl', (d) => changeOneByte(d, '"actor":"analyst"', 'n', 'N')));
      expect(failed(audit)).toEqual(['hash audit.jsonl', 'audit']);
      expect(detail(audit, 'audit')).toMatch(/row 1: its hash does not match its contents/);
      const zip = new ZipReader(bundle);
      const extra = writeZip([...zip.paths().map((p) => ({ path: p, data: zip.read(p), compress: true })), { path: 'data/extra.jsonl', data: new Uint8Array(1), compress: true }]);
      const r = await verifyBundle(extra);
      expect(failed(r)).toEqual(['files']);
      expect(detail(r, 'files')).toBe('not in the manifest: data/extra.jsonl');
    });

    it('the CLI exits 1 naming what failed for each one-byte change and a foreign signature, 2 for a truncated zip or a non-zip', async () => {
      const a = input.anomalies[0]!;
      const foreign = new ZipReader((await buildBundle(input, otherKey)).bytes).read('signature.json');
      const cases: [string, Uint8Array, string[]][] = [
        ['anomalies', rezip(bundle, 'anomalies.json', (d) => changeOneByte(d, '"excessBits": ', '.', ',')), ['hash anomalies.json']],
        ['data', rezip(bundle, `data/anomaly-${a.id}/window.jsonl`, (d) => changeOneByte(d, '"text":"', '<', '[')), [`hash data/anomaly-${a.id}/window.jsonl`, `window ${a.id}`]],
        ['report', rezip(bundle, 'report.pdf', (d) => changeOneByte(d, '%PDF-1.', '.', ',')), ['hash report.pdf']],
        ['manifest', rezip(bundle, 'manifest.json', (d) => changeOneByte(d, '"incidentId":"INC', 'I', 'J')), ['signature']],
        ['signature', rezip(bundle, 'signature.json', () => foreign), ['signature', 'signer']],
      ];
      for (const [name, bytes, names] of cases) {
        const path = join(dir, `tampered-${name}.zip`);
        writeFileSync(path, bytes);
        const r = cli('verify', path);
        expect(r.code, `${name}: ${r.stdout}`).toBe(1);
        for (const check of names) expect(r.stdout, name).toMatch(new RegExp(`FAIL +${check.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} `));
        expect(r.stdout, name).toMatch(/result: FAILED/);
      }

      const truncated = join(dir, 'truncated.zip');
      writeFileSync(truncated, bundle.subarray(0, Math.floor(bundle.length / 2)));
      const two = cli('verify', truncated);
      expect(two.code).toBe(2);
      expect(two.stdout).toMatch(/FAIL +bundle +the zip is truncated/);

      const notZip = join(dir, 'not-a-zip.zip');
      writeFileSync(notZip, 'hello, I am text');
      expect(cli('verify', notZip).code).toBe(2);
      const missing = cli('verify', join(dir, 'missing.zip'));
      expect(missing.code).toBe(2);
      expect(missing.stdout).toMatch(/missing\.zip: no such file/);
      expect(cli('verify').code).toBe(2);
    });
  });
});
