// One engine measurement in its own process (so peak RSS is its own):
// canonicalise + analyse the templated log at defaults, print JSON.
import { analyzeStreams, canonicalize, createZstd, DEFAULT_PARAMS } from '../../src/core';
import { templatedLog } from '../lib/templated-log';
import { peakRssMb } from './report';

export const BENCH_LOG = { lines: 100_000, bursts: [20_000, 45_210, 70_033, 90_077], burstLength: 50, seed: 7 };

const mode = process.argv[2];
const log = templatedLog(BENCH_LOG);
const bytes = new TextEncoder().encode(`${log.lines.join('\n')}\n`);

if (mode === 'zstd-pass') {
  const zstd = createZstd();
  zstd.size(bytes); // warm-up
  const t0 = performance.now();
  const reps = 5;
  let size = 0;
  for (let i = 0; i < reps; i++) size = zstd.size(bytes);
  const seconds = (performance.now() - t0) / 1000 / reps;
  console.log(JSON.stringify({ seconds, bytes: bytes.length, compressed: size, pin: zstd.pin }));
} else {
  const permutations = Number(mode);
  const t0 = performance.now();
  const events = log.lines.map((text, index) => ({ index, text: canonicalize(text) }));
  const { windows } = analyzeStreams(new Map([['service.log', events]]), { ...DEFAULT_PARAMS, permutations });
  const seconds = (performance.now() - t0) / 1000;
  const burstsHit = BENCH_LOG.bursts.filter((s) => windows.some((w) => w.anomaly && w.firstEvent < s + 50 && w.lastEvent >= s)).length;
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (const w of windows) {
    const hasBurst = log.burst.slice(w.firstEvent, w.lastEvent + 1).some(Boolean);
    if (hasBurst) positives++;
    if (w.anomaly && hasBurst) tp++;
    if (w.anomaly && !hasBurst) fp++;
  }
  console.log(
    JSON.stringify({ seconds, lines: log.lines.length, bytes: bytes.length, windows: windows.length, positives, tp, fp, burstsHit, rssMb: peakRssMb() }),
  );
}
