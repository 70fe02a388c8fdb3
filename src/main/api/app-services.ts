/**
 * The implementation of every DriftlockApi call, shared by the Electron IPC
 * layer and the `serve --ui` HTTP mode. It holds the open case, runs import
 * jobs with progress and cancel, and pushes events through one hub. It does
 * not import electron: dialogs and the other services come in as ports.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApiCalls } from '../../shared/api';
import { ApiError } from '../../shared/call-result';
import type { CallRequest } from '../../shared/channels';
import type {
  AnomalyDetail,
  AppInfo,
  CaseInfo,
  ImportFileProgress,
  ImportProgress,
  KeyInfo,
  NovelEvent,
  Settings,
  Transport,
} from '../../shared/dto';
import type { CaseOpener, CasePort } from './case-port';
import { EventHub } from './event-hub';
import { buildHeatmap } from './heatmap';
import { markNovelTokens, nearestLine, vocabulary } from './novel-tokens';
import { LISTENER_STOPPED, type DialogPort, type EvidencePort, type ListenerPort } from './service-ports';

export interface AppServicesOptions {
  version: string;
  transport: Transport;
  opener: CaseOpener;
  /** Where the sample case and other app files live (Electron userData, or --data-dir). */
  dataDir: string;
  /** The bundled sample log (resources/sample/...), null when absent. */
  sampleLog: string | null;
  evidence?: EvidencePort;
  listener?: ListenerPort;
  dialogs?: DialogPort;
  /** Releases what the entry point started for these services (the analysis worker pool). */
  onDispose?: () => Promise<void>;
}

export type AppServices = ApiCalls & {
  readonly events: EventHub;
  /** The open case, for entry points that need it (window title, recent files). */
  currentCase(): CasePort | null;
  dispose(): Promise<void>;
};

/** How many baseline reference lines the detail view compares against. */
const BASELINE_SAMPLE = 2000;

/** A regex that matches exactly this canonical line (suppression rules are regexes). */
export function exactPattern(text: string): string {
  return `^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const hub = new EventHub();
  let current: CasePort | null = null;
  const jobs = new Map<string, AbortController>();

  // The listener writes into the open case: its counts and findings are the case's news too.
  let storedSeen = 0;
  options.listener?.onStatus((status) => {
    hub.emit('listenerStatus', status);
    if (current && status.stored !== storedSeen) hub.emit('caseChanged', { case: caseInfo(current) });
    storedSeen = status.stored;
  });
  options.listener?.onAnomalies((count) => {
    if (!current) return;
    announceAnomalies(current, count);
    hub.emit('caseChanged', { case: caseInfo(current) });
  });

  /** The listener writes into the open case, so it stops (drained, analysis finished) before that case closes. */
  async function stopListener(): Promise<void> {
    if (options.listener && options.listener.status().state !== 'stopped') await options.listener.stop();
  }

  function requireCase(): CasePort {
    if (!current) throw new ApiError('no-case', 'No case is open: open or create a case first.');
    return current;
  }

  function caseInfo(c: CasePort): CaseInfo {
    return { path: c.path, name: path.basename(c.path), ...c.info() };
  }

  function requireService<T>(service: T | undefined, what: string): T {
    if (!service) throw new ApiError('unavailable', `${what} is not available in this build.`);
    return service;
  }

  async function switchCase(filePath: string, create: boolean): Promise<CaseInfo> {
    const resolved = path.resolve(filePath);
    if (!create) {
      const st = await stat(resolved).catch(() => null);
      if (!st) throw new ApiError('input', `${resolved}: no such case file`);
      if (!st.isFile()) throw new ApiError('input', `${resolved}: not a file`);
    } else {
      await mkdir(path.dirname(resolved), { recursive: true });
    }
    for (const job of jobs.values()) job.abort();
    const next = await options.opener.open(resolved, { create });
    await stopListener();
    current?.close();
    current = next;
    const info = caseInfo(next);
    hub.emit('caseChanged', { case: info });
    return info;
  }

  function runJob(work: (signal: AbortSignal, jobId: string) => Promise<void>): { jobId: string } {
    const jobId = randomUUID();
    const controller = new AbortController();
    jobs.set(jobId, controller);
    void work(controller.signal, jobId).finally(() => jobs.delete(jobId));
    return { jobId };
  }

  async function importAndAnalyse(c: CasePort, paths: string[], signal: AbortSignal, jobId: string): Promise<void> {
    const files: ImportFileProgress[] = paths.map((p) => ({
      path: p,
      state: 'queued',
      bytesRead: 0,
      bytesTotal: 0,
      events: 0,
      problems: [],
      message: null,
    }));
    let lastEmit = 0;
    const emit = (done: boolean, force = false): void => {
      const now = performance.now();
      // Progress can fire per batch; ten updates a second are plenty for a bar.
      if (!force && !done && now - lastEmit < 100) return;
      lastEmit = now;
      const progress: ImportProgress = { jobId, files: files.map((f) => ({ ...f, problems: [...f.problems] })), done };
      hub.emit('importProgress', progress);
    };
    emit(false, true);
    const byPath = new Map(files.map((f) => [f.path, f]));
    try {
      const { anomaliesAdded } = await c.importFiles(
        paths,
        {
          onProgress(p, progress) {
            const f = byPath.get(p);
            if (!f) return;
            f.state = 'reading';
            f.bytesRead = progress.bytesRead;
            f.bytesTotal = progress.bytesTotal;
            f.events = progress.events;
            emit(false);
          },
          onFile(p, result) {
            const f = byPath.get(p);
            if (!f) return;
            if ('error' in result) {
              f.state = 'failed';
              f.message = result.error;
            } else {
              f.events = result.events;
              f.problems = result.problems.slice(0, 100);
              f.message = result.message;
              f.bytesRead = f.bytesTotal;
              f.state = result.skipped ? 'skipped' : 'analysing';
            }
            emit(false, true);
          },
        },
        signal,
      );
      for (const f of files) if (f.state === 'analysing' || f.state === 'reading' || f.state === 'queued') f.state = 'done';
      if (anomaliesAdded > 0) announceAnomalies(c, anomaliesAdded);
    } catch (err) {
      const cancelled = signal.aborted;
      for (const f of files) {
        if (f.state === 'failed' || f.state === 'skipped') continue;
        f.state = cancelled ? 'cancelled' : 'failed';
        f.message = cancelled ? 'cancelled; events committed before the cancel stay in the case' : (err as Error).message;
      }
    }
    emit(true, true);
    if (current === c) hub.emit('caseChanged', { case: caseInfo(c) });
  }

  function announceAnomalies(c: CasePort, count: number): void {
    const newest = c.anomalies({ sort: 'time', offset: 0, limit: 10 }).items;
    hub.emit('anomaliesAdded', { count, newest });
  }

  function defaultExportDir(c: CasePort | null): string | null {
    return c ? path.join(path.dirname(c.path), 'evidence') : null;
  }

  function analyst(c: CasePort): string {
    return c.settings().analyst || 'analyst';
  }

  const services: AppServices = {
    events: hub,
    currentCase: () => current,

    async getAppInfo(): Promise<AppInfo> {
      return {
        version: options.version,
        transport: options.transport,
        nativeDialogs: options.dialogs !== undefined,
        case: current ? caseInfo(current) : null,
        sampleLog: options.sampleLog,
        defaultExportDir: defaultExportDir(current),
      };
    },
    openCase: async ({ path: p }) => switchCase(p, false),
    newCase: async ({ path: p }) => switchCase(p, true),
    async openSampleCase() {
      const sample = options.sampleLog;
      if (!sample) throw new ApiError('unavailable', 'The sample log is missing from resources/ in this build.');
      const info = await switchCase(path.join(options.dataDir, 'sample', 'sample-case.driftlock'), true);
      if (info.sources === 0) {
        const c = requireCase();
        runJob((signal, jobId) => importAndAnalyse(c, [sample], signal, jobId));
      }
      return info;
    },
    async closeCase() {
      for (const job of jobs.values()) job.abort();
      await stopListener();
      current?.close();
      current = null;
      hub.emit('caseChanged', { case: null });
      return null;
    },
    async chooseFiles({ purpose, defaultName }) {
      return options.dialogs ? options.dialogs.choose(purpose, defaultName) : null;
    },

    async importFiles({ paths }) {
      const c = requireCase();
      return runJob((signal, jobId) => importAndAnalyse(c, paths, signal, jobId));
    },
    async cancelImport({ jobId }) {
      const job = jobs.get(jobId);
      job?.abort();
      return job !== undefined;
    },

    listStreams: async () => requireCase().streams(),
    getHeatmap: async ({ metric, columns }) => buildHeatmap(requireCase().streamMetrics(), metric, columns),
    async listWindows({ streamId, offset, limit }) {
      const c = requireCase();
      const rows = c.windows(streamId, offset, limit);
      return {
        streamId,
        total: c.windowCount(streamId),
        offset,
        windows: rows.map(({ result: w, anomalyId }) => ({
          window: w.window,
          firstEvent: w.firstEvent,
          lastEvent: w.lastEvent,
          startTime: w.startTime ?? null,
          cr: w.cr,
          ncd: w.ncd,
          pValue: w.pValue,
          score: w.score,
          anomaly: w.anomaly,
          ncdLow: w.baselineRange.ncd.p05,
          ncdHigh: w.baselineRange.ncd.p95,
          anomalyId,
        })),
      };
    },
    getWindow: async ({ streamId, window }) => requireCase().window(streamId, window),

    listAnomalies: async ({ streamId, status, sort, offset, limit }) =>
      requireCase().anomalies({ ...(streamId !== undefined && { streamId }), ...(status && { status }), sort: sort ?? 'score', offset, limit }),
    async getAnomaly({ id }): Promise<AnomalyDetail> {
      const c = requireCase();
      const found = c.anomaly(id);
      if (!found) throw new ApiError('not-found', `No anomaly with id ${id} in this case.`);
      const { summary, result, triage } = found;
      const reference = c.eventTexts(summary.streamId, result.baseline.reference, BASELINE_SAMPLE);
      const vocab = vocabulary(reference.map((e) => e.text));
      const originals = new Map(
        c.eventTexts(summary.streamId, result.topEvents.map((e): [number, number] => [e.index, e.index]), result.topEvents.length).map((e) => [
          e.index,
          e.original,
        ]),
      );
      const novelEvents: NovelEvent[] = result.topEvents.map((e) => {
        const near = nearestLine(e.text, reference);
        return {
          index: e.index,
          bits: e.bits,
          tokens: markNovelTokens(e.text, vocab),
          original: originals.get(e.index) ?? null,
          nearest: near ? { index: near.line.index, text: near.line.text, similarity: near.similarity } : null,
        };
      });
      return { anomaly: summary, result, novelEvents, triage };
    },
    async triage({ id, status, note }) {
      const c = requireCase();
      if (status === undefined && note === undefined) throw new ApiError('invalid-payload', 'triage: give a status, a note or both');
      const summary = c.setTriage(id, { ...(status && { status }), ...(note !== undefined && { note }) }, analyst(c));
      hub.emit('caseChanged', { case: caseInfo(c) });
      return summary;
    },
    async suppressSimilar({ id, allStreams, reason }) {
      const c = requireCase();
      const found = c.anomaly(id);
      if (!found) throw new ApiError('not-found', `No anomaly with id ${id} in this case.`);
      const pattern = found.result.topEvents[0]?.text;
      if (!pattern) throw new ApiError('input', `Anomaly ${id} has no top event to match similar ones by.`);
      const added = c.addSuppression({ streamId: allStreams ? null : found.summary.streamId, pattern: exactPattern(pattern), reason: reason ?? null }, analyst(c));
      hub.emit('caseChanged', { case: caseInfo(c) });
      return added;
    },
    listSuppressions: async () => requireCase().suppressions(),
    async removeSuppression({ id }) {
      const c = requireCase();
      const removed = c.removeSuppression(id, analyst(c));
      hub.emit('caseChanged', { case: caseInfo(c) });
      return removed;
    },

    listEvents: async ({ streamId, from, limit }) => requireCase().events(streamId, from, limit),
    searchEvents: async ({ query, streamId, offset, limit }) => requireCase().search(query, streamId, offset, limit),

    async exportEvidence(req: CallRequest<'exportEvidence'>) {
      const c = requireCase();
      const dir = defaultExportDir(c)!;
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
      const first = req.anomalyIds[0]!;
      const name = req.anomalyIds.length === 1 ? `anomaly-${first}` : `${req.anomalyIds.length}-anomalies`;
      const outPath = req.outPath ?? path.join(dir, `${path.basename(c.path).replace(/\.[^.]+$/, '')}-${name}-${stamp}.zip`);
      await mkdir(path.dirname(outPath), { recursive: true });
      const fields = {
        ...(req.incidentId !== undefined && { incidentId: req.incidentId }),
        ...(req.classification !== undefined && { classification: req.classification }),
        ...(req.reporter !== undefined && { reporter: req.reporter }),
      };
      return c.exportBundle({ anomalyIds: req.anomalyIds, outPath, analyst: fields, userDataDir: options.dataDir, actor: analyst(c) });
    },
    verifyEvidence: async ({ path: p }) => requireService(options.evidence, 'Evidence verification').verifyBundle(p),

    listenerStatus: async () => options.listener?.status() ?? { ...LISTENER_STOPPED, error: 'The OTLP receiver is not available in this build.' },
    startListener: async (ports) => requireService(options.listener, 'The OTLP receiver').start(requireCase(), ports),
    stopListener: async () => requireService(options.listener, 'The OTLP receiver').stop(),

    getSettings: async () => requireCase().settings(),
    async updateSettings(patch) {
      const c = requireCase();
      const next: Settings = { ...c.settings(), ...patch } as Settings;
      if (next.hop > next.window) throw new ApiError('input', `hop (${next.hop}) must not exceed the window (${next.window})`);
      for (const p of next.redaction.customPatterns) {
        try {
          new RegExp(p);
        } catch (err) {
          throw new ApiError('input', `redaction pattern ${JSON.stringify(p)}: ${(err as Error).message}`);
        }
      }
      c.saveSettings(next);
      return next;
    },
    async reanalyze() {
      const c = requireCase();
      // A re-analysis becomes each stream's current result, and would hide the windows a running
      // live analysis decides after it: one or the other, never both at once.
      // While stopping, the live analysis is still deciding its last windows.
      const listening = options.listener?.status().state;
      if (listening === 'starting' || listening === 'listening' || listening === 'stopping')
        throw new ApiError('input', 'The OTLP listener is receiving into this case: stop it in the Live view before analysing the case again.');
      return runJob(async (signal, jobId) => {
        hub.emit('importProgress', { jobId, files: [], done: false });
        try {
          const { anomaliesAdded } = await c.reanalyze(signal);
          if (anomaliesAdded > 0) announceAnomalies(c, anomaliesAdded);
          hub.emit('importProgress', { jobId, files: [], done: true });
        } catch (err) {
          const error = signal.aborted ? 'Re-analysis cancelled; the previous results stay current.' : `Re-analysis failed; the previous results stay current. ${(err as Error).message}`;
          hub.emit('importProgress', { jobId, files: [], done: true, error });
        }
        if (current === c) hub.emit('caseChanged', { case: caseInfo(c) });
      });
    },
    getKeyInfo: async (): Promise<KeyInfo> =>
      options.evidence
        ? options.evidence.keyInfo()
        : { algorithm: 'Ed25519', fingerprint: '', shortFingerprint: '', source: 'none', publicKeyPem: null },
    importKey: async ({ pem }) => requireService(options.evidence, 'Key import').importKey(pem, current, current ? analyst(current) : 'analyst'),

    async dispose() {
      for (const job of jobs.values()) job.abort();
      await stopListener();
      current?.close();
      current = null;
      await options.onDispose?.();
    },
  };
  return services;
}
