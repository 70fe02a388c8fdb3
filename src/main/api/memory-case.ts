/**
 * An in-memory case for developing the screens before the SQLite store is
 * wired: real files, real canonicalisation and real analysis (src/core), but
 * nothing is persisted. Replaced by store-case.ts; tests do not use it.
 */
import { stat } from 'node:fs/promises';
import { analyzeStreams, canonicalize, DEFAULT_PARAMS } from '../../core';
import type { EngineEvent, IndexRange, WindowResult } from '../../core/types';
import type { AnomalySummary, SearchHit, Settings, SuppressionRule, TriageStatus } from '../../shared/dto';
import { readLines } from '../ingest/line-reader';
import { DEFAULT_SETTINGS } from './default-settings';
import type { CaseOpener, CasePort, ImportHandlers, StreamMetrics, TriageRecord } from './case-port';

interface MemStream {
  id: number;
  name: string;
  events: Array<EngineEvent & { original: string }>;
  windows: WindowResult[];
}

class MemoryCase implements CasePort {
  private streamsById = new Map<number, MemStream>();
  private anomalyIds = new Map<string, number>();
  private anomalyRows: Array<{ id: number; streamId: number; window: number; triage: TriageRecord; rule: number | null }> = [];
  private rules: SuppressionRule[] = [];
  private conf: Settings = structuredClone(DEFAULT_SETTINGS);

  constructor(readonly path: string) {}

  info() {
    const streams = [...this.streamsById.values()];
    return {
      sources: streams.length,
      streams: streams.length,
      events: streams.reduce((n, s) => n + s.events.length, 0),
      windows: streams.reduce((n, s) => n + s.windows.length, 0),
      anomalies: this.anomalyRows.length,
      openAnomalies: this.anomalyRows.filter((a) => a.triage.status === 'open').length,
    };
  }
  streams() {
    return [...this.streamsById.values()].map((s) => ({
      id: s.id,
      name: s.name,
      kind: 'file',
      events: s.events.length,
      windows: s.windows.length,
      anomalies: s.windows.filter((w) => w.anomaly).length,
      maxScore: s.windows.reduce((m, w) => Math.max(m, w.score), 0),
      firstTime: s.events[0]?.timestamp ?? null,
      lastTime: s.events.at(-1)?.timestamp ?? null,
    }));
  }
  streamMetrics(): StreamMetrics[] {
    return [...this.streamsById.values()].map((s) => ({
      streamId: s.id,
      stream: s.name,
      window: Int32Array.from(s.windows, (w) => w.window),
      startTime: Float64Array.from(s.windows, (w) => w.startTime ?? NaN),
      ncd: Float64Array.from(s.windows, (w) => w.ncd),
      score: Float64Array.from(s.windows, (w) => w.score),
      anomaly: Uint8Array.from(s.windows, (w) => (w.anomaly ? 1 : 0)),
    }));
  }
  private stream(id: number): MemStream {
    const s = this.streamsById.get(id);
    if (!s) throw new Error(`no stream ${id}`);
    return s;
  }
  windowCount(streamId: number) {
    return this.stream(streamId).windows.length;
  }
  windows(streamId: number, offset: number, limit: number) {
    return this.stream(streamId)
      .windows.slice(offset, offset + limit)
      .map((result) => ({ result, anomalyId: this.anomalyIds.get(`${streamId}:${result.window}`) ?? null }));
  }
  window(streamId: number, index: number) {
    return this.stream(streamId).windows[index] ?? null;
  }
  private summary(row: (typeof this.anomalyRows)[number]): AnomalySummary {
    const s = this.stream(row.streamId);
    const w = s.windows[row.window]!;
    return {
      id: row.id,
      streamId: s.id,
      stream: s.name,
      window: w.window,
      firstEvent: w.firstEvent,
      lastEvent: w.lastEvent,
      startTime: w.startTime ?? null,
      endTime: w.endTime ?? null,
      score: w.score,
      pValue: w.pValue,
      qValue: w.qValue,
      ncd: w.ncd,
      status: row.triage.status,
      note: row.triage.note,
      suppressedBy: row.rule,
      explanation: w.explanation,
    };
  }
  anomalies(q: { streamId?: number; status?: TriageStatus; sort: 'score' | 'time'; offset: number; limit: number }) {
    let rows = this.anomalyRows.filter((r) => (q.streamId === undefined || r.streamId === q.streamId) && (!q.status || r.triage.status === q.status));
    rows = [...rows].sort((a, b) =>
      q.sort === 'score' ? this.summary(b).score - this.summary(a).score || a.id - b.id : a.id - b.id,
    );
    return { total: rows.length, items: rows.slice(q.offset, q.offset + q.limit).map((r) => this.summary(r)) };
  }
  anomaly(id: number) {
    const row = this.anomalyRows.find((r) => r.id === id);
    if (!row) return null;
    return { summary: this.summary(row), result: this.stream(row.streamId).windows[row.window]!, triage: { ...row.triage } };
  }
  setTriage(id: number, patch: { status?: TriageStatus; note?: string | null }, by: string) {
    const row = this.anomalyRows.find((r) => r.id === id);
    if (!row) throw new Error(`no anomaly ${id}`);
    row.triage = { ...row.triage, ...patch, by, at: new Date().toISOString() };
    return this.summary(row);
  }
  events(streamId: number, from: number, limit: number) {
    const s = this.stream(streamId);
    return {
      streamId,
      total: s.events.length,
      events: s.events.slice(from, from + limit).map((e) => ({
        seq: e.index,
        timestamp: e.timestamp ?? null,
        text: e.original,
        window: s.windows.find((w) => w.firstEvent <= e.index && e.index <= w.lastEvent)?.window ?? null,
      })),
    };
  }
  eventTexts(streamId: number, ranges: readonly IndexRange[], limit: number) {
    const s = this.stream(streamId);
    const out = [];
    for (const [a, b] of ranges) for (let i = a; i <= b && out.length < limit; i++) out.push({ index: i, text: s.events[i]!.text, original: s.events[i]!.original });
    return out;
  }
  search(query: string, streamId: number | undefined, offset: number, limit: number) {
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    const hits: SearchHit[] = [];
    for (const s of this.streamsById.values()) {
      if (streamId !== undefined && s.id !== streamId) continue;
      for (const e of s.events) {
        const lower = e.original.toLowerCase();
        if (!terms.every((t) => lower.includes(t))) continue;
        const highlights: Array<[number, number]> = terms.map((t) => [lower.indexOf(t), lower.indexOf(t) + t.length]);
        const w = s.windows.find((x) => x.firstEvent <= e.index && e.index <= x.lastEvent);
        hits.push({ streamId: s.id, stream: s.name, seq: e.index, timestamp: e.timestamp ?? null, text: e.original, window: w?.window ?? null, highlights });
      }
    }
    return { query, total: hits.length, hits: hits.slice(offset, offset + limit) };
  }
  addSuppression(rule: { streamId: number | null; pattern: string; reason: string | null }, by: string) {
    const r: SuppressionRule = { id: this.rules.length + 1, ...rule, createdAt: new Date().toISOString() };
    this.rules.push(r);
    const re = new RegExp(rule.pattern);
    let dismissed = 0;
    for (const row of this.anomalyRows) {
      const w = this.stream(row.streamId).windows[row.window]!;
      if ((rule.streamId === null || rule.streamId === row.streamId) && re.test(w.topEvents[0]?.text ?? '') && row.triage.status === 'open') {
        row.triage = { ...row.triage, status: 'dismissed', by, at: new Date().toISOString() };
        row.rule = r.id;
        dismissed++;
      }
    }
    return { rule: r, dismissed };
  }
  suppressions() {
    return [...this.rules];
  }
  removeSuppression(id: number, by: string) {
    this.rules = this.rules.filter((r) => r.id !== id);
    let reopened = 0;
    for (const row of this.anomalyRows) {
      if (row.rule !== id) continue;
      row.rule = null;
      row.triage = { ...row.triage, status: 'open', by, at: new Date().toISOString() };
      reopened++;
    }
    return { reopened };
  }
  settings() {
    return structuredClone(this.conf);
  }
  saveSettings(settings: Settings) {
    this.conf = structuredClone(settings);
  }
  private async importFile(path: string, onProgress: (p: { bytesRead: number; bytesTotal: number; events: number }) => void, signal: AbortSignal) {
    if ([...this.streamsById.values()].some((s) => s.name === path)) return { events: 0, skipped: true, problems: [], message: 'already imported' };
    const size = (await stat(path)).size;
    const events: MemStream['events'] = [];
    let bytes = 0;
    await readLines(path, (line, index) => {
      if (signal.aborted) throw new Error('cancelled');
      bytes += line.length + 1;
      events.push({ index, text: canonicalize(line), original: line });
      if (index % 5000 === 0) onProgress({ bytesRead: bytes, bytesTotal: size, events: events.length });
    });
    const id = this.streamsById.size + 1;
    this.streamsById.set(id, { id, name: path, events, windows: [] });
    return { events: events.length, skipped: false, problems: [], message: null };
  }
  async importFiles(paths: readonly string[], handlers: ImportHandlers, signal: AbortSignal) {
    for (const p of paths) {
      try {
        handlers.onFile(p, await this.importFile(p, (progress) => handlers.onProgress(p, progress), signal));
      } catch (err) {
        handlers.onFile(p, { error: (err as Error).message });
      }
    }
    return this.analyze();
  }
  async reanalyze() {
    return this.analyze();
  }
  private async analyze() {
    const c = this.conf;
    const params = {
      ...DEFAULT_PARAMS,
      windowing: { kind: 'count' as const, baseline: c.baseline, window: c.window, hop: c.hop },
      permutations: c.permutations,
      seed: c.seed,
      profile: c.profile,
      compressor: c.compressor,
    };
    const input = new Map([...this.streamsById.values()].map((s) => [String(s.id), s.events]));
    const result = analyzeStreams(input, params);
    const before = this.anomalyRows.length;
    for (const sa of result.streams) {
      const s = this.stream(Number(sa.stream));
      s.windows = sa.windows.map((w) => ({ ...w, stream: s.name }));
      for (const w of s.windows) {
        const key = `${s.id}:${w.window}`;
        if (w.anomaly && !this.anomalyIds.has(key)) {
          const id = this.anomalyRows.length + 1;
          this.anomalyIds.set(key, id);
          this.anomalyRows.push({ id, streamId: s.id, window: w.window, triage: { status: 'open', note: null, by: null, at: null }, rule: null });
        }
      }
    }
    return { anomaliesAdded: this.anomalyRows.length - before };
  }
  close() {}
}

export const memoryCaseOpener: CaseOpener = {
  async open(path) {
    return new MemoryCase(path);
  },
};
