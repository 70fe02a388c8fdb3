// Evidence benchmark (issue 6): time to build and write a signed bundle,
// time to verify it (signature, hashes, every window re-computed), bundle
// size and report pages, for Loghub BGL_2k and for a 100,000-line templated
// log with many bursts. Bundles are built from an in-memory analysis (the
// case export adds SQLite reads of the same events).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyzeStreams, canonicalize, DEFAULT_PARAMS } from '../../src/core';
import { batchEvidence } from '../../src/main/evidence/batch-evidence';
import type { DataEvent } from '../../src/main/evidence/bundle-format';
import { loadOrCreateSigningKey } from '../../src/main/evidence/signing-key';
import { verifyBundle } from '../../src/main/evidence/verify-bundle';
import { writeBundle } from '../../src/main/evidence/write-bundle';
import { ZipReader } from '../../src/main/evidence/zip-reader';
import { APP_VERSION } from '../../src/main/store/app-version';
import { templatedLog } from '../lib/templated-log';
import { machine, peakRssMb, writeSection } from './report';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Case {
  name: string;
  lines: string[];
}

function bglCase(): Case | null {
  const file = path.resolve(ROOT, '../shared/data/loghub/BGL_2k.log');
  if (!existsSync(file)) return null;
  return { name: 'Loghub BGL_2k (2,000 lines)', lines: readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.length > 0) };
}

function templatedCase(): Case {
  const bursts = Array.from({ length: 30 }, (_, i) => 5_000 + i * 3_100);
  const log = templatedLog({ lines: 100_000, bursts, burstLength: 40, seed: 11 });
  return { name: 'templated log, 100,000 lines, 30 bursts of 40 lines', lines: log.lines };
}

const seconds = (from: number): number => (performance.now() - from) / 1000;

async function measure(c: Case, dir: string): Promise<string[]> {
  const events: DataEvent[] = c.lines.map((line, index) => ({ index, text: canonicalize(line), original: line }));
  const params = { ...DEFAULT_PARAMS };
  const result = analyzeStreams(new Map([['log', events]]), params);
  const { key } = loadOrCreateSigningKey(path.join(dir, 'userdata'));
  const bytes = Buffer.from(c.lines.join('\n'));
  const input = batchEvidence(new Map([['log', events]]), params, result, {
    caseId: 'bench',
    createdAt: new Date('2025-01-01T00:00:00Z'),
    appVersion: APP_VERSION,
    sources: [{ id: '1', name: 'log', sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, kind: 'text' }],
  });
  const out = path.join(dir, 'bundle.zip');
  let build = Infinity;
  let verify = Infinity;
  let written = 0;
  let reproduced = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    written = (await writeBundle(input, { out, key })).bytes;
    build = Math.min(build, seconds(t0));
    const t1 = performance.now();
    const v = await verifyBundle(out);
    verify = Math.min(verify, seconds(t1));
    if (!v.ok) throw new Error(`bench: the bundle did not verify: ${v.checks.filter((x) => !x.ok).map((x) => x.detail).join('; ')}`);
    reproduced = v.windows.filter((w) => w.reproduced).length;
  }
  const zip = new ZipReader(readFileSync(out));
  const pdf = Buffer.from(zip.read('report.pdf')).toString('latin1');
  const pages = pdf.match(/\/Type \/Page\b/g)?.length ?? 0;
  const n = input.anomalies.length;
  return [
    c.name,
    `${n} of ${result.windows.length}`,
    `${(written / 1e6).toFixed(2)} MB (${zip.paths().length} files)`,
    String(pages),
    `${build.toFixed(2)} s (${((build / n) * 1000).toFixed(0)} ms per anomaly)`,
    `${verify.toFixed(2)} s, ${reproduced} of ${n} reproduced`,
  ];
}

export async function benchEvidence(): Promise<void> {
  console.log('evidence: build and verify bundles (best of 3 each)…');
  const dir = mkdtempSync(path.join(tmpdir(), 'driftlock-bench-evidence-'));
  try {
    const rows: string[][] = [];
    const bgl = bglCase();
    if (bgl) rows.push(await measure(bgl, dir));
    rows.push(await measure(templatedCase(), dir));
    const table = [
      '| data | anomalies exported (of windows) | bundle | report pages | build + write (signed, atomic) | verify (all checks) |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
    const body = [
      `Machine: ${machine()}; shared with other work, so figures are indicative. Defaults: baseline 1000, window 100, hop 100, profile balanced, 1000 permutations, zstd. Every flagged window is exported; the verifier re-computes each of them from the bundle's data/ with the pinned compressor. Peak RSS of the benchmark process: ${Math.round(peakRssMb())} MB.`,
      table,
    ].join('\n\n');
    writeSection('Evidence', body);
    console.log(body);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
