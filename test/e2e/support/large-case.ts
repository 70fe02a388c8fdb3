/**
 * A large case written straight through the case store: 10 streams × 10,000
 * windows, every fifth one flagged by the real batch decision. Seconds to
 * build, where analysing a million real events would take minutes.
 */
import { createCompressor, DEFAULT_PARAMS, type WindowResult } from '../../../src/core';
import { decideAnalysis } from '../../../src/main/analysis';
import { APP_VERSION, CaseStore } from '../../../src/main/store';

export const STREAMS = 10;
export const WINDOWS_PER_STREAM = 10_000;
export const FLAG_EVERY = 5;

function syntheticWindow(stream: string, w: number, flagged: boolean): WindowResult {
  const range = { p05: 0.8, median: 0.85, p95: 0.9 };
  return {
    stream,
    window: w,
    firstEvent: w * 10,
    lastEvent: w * 10 + 9,
    n: 10,
    startTime: Date.UTC(2026, 0, 1) + w * 60_000,
    endTime: Date.UTC(2026, 0, 1) + w * 60_000 + 59_000,
    cr: 0.2,
    crBaseline: 0.19,
    deltaBits: flagged ? 1.5 : 0.01,
    entropy: 4.5,
    ncd: flagged ? 0.97 : 0.84 + (w % 7) * 0.01,
    novelty: flagged ? 0.8 : 0.3,
    meanBits: flagged ? 400 : 120,
    baselineMeanBits: 120,
    statistic: flagged ? 5000 : 0,
    excessBits: flagged ? 5000 : 0,
    novelEvents: flagged ? 8 : 0,
    pValue: flagged ? 1e-5 : 0.5 + (w % 10) / 20,
    permutations: 1000,
    qValue: 1,
    score: flagged ? 0.9 + (w % 10) / 100 : (w % 10) / 20,
    anomaly: false,
    suspect: flagged,
    explanation: '',
    topEvents: [{ index: w * 10, bits: flagged ? 900 : 100, text: `<TS> svc ERROR synthetic failure kind=${w % 13}` }],
    baseline: { reference: [[0, 9]], calibration: [[0, 9]] },
    baselineRange: { cr: range, ncd: range, meanBits: { p05: 100, median: 120, p95: 140 } },
  };
}

export function buildLargeCase(file: string): { windows: number; anomalies: number } {
  const store = CaseStore.open(file, { create: true });
  try {
    const params = { ...DEFAULT_PARAMS };
    const analysisId = store.transaction(() => store.analyses.create(params, createCompressor(params.compressor).pin, APP_VERSION, store.now()));
    for (let s = 0; s < STREAMS; s++) {
      const key = `service-${String(s).padStart(2, '0')}.log`;
      const [commit] = store.transaction(() =>
        store.events.append(
          Array.from({ length: 200 }, (_, i) => ({
            stream: key,
            sourceId: null,
            line: i + 1,
            timestamp: Date.UTC(2026, 0, 1) + i * 1000,
            canonical: `<TS> svc INFO request ok id=<NUM>`,
            original: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z svc INFO request ok id=${i}`,
            fields: null,
          })),
        ),
      );
      const streamId = commit!.streamId;
      store.transaction(() => {
        store.analyses.addStream(analysisId, streamId);
        store.windows.insert(
          analysisId,
          streamId,
          Array.from({ length: WINDOWS_PER_STREAM }, (_, w) => syntheticWindow(key, w, w % FLAG_EVERY === 0)),
        );
        store.analyses.finishStream(analysisId, streamId, { events: WINDOWS_PER_STREAM * 10, windows: WINDOWS_PER_STREAM, skippedWindows: 0, note: null });
      });
    }
    return store.transaction(() => {
      const decided = decideAnalysis(store, analysisId, params.profile);
      store.analyses.complete(analysisId, [], store.now());
      return decided;
    });
  } finally {
    store.close();
  }
}

