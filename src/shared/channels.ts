/**
 * The one channel registry. Every call the UI makes is declared here once:
 * its IPC channel name, its request schema (validated in main and in the HTTP
 * server before any service runs) and its reply type. Events main pushes to
 * the UI are declared in EVENTS. No channel string appears anywhere else.
 */
import type * as D from './dto';
import { s, type Infer, type Schema } from './schema';

/** Phantom marker carrying a reply type through the registry. */
const reply = <T>(): T => undefined as T;

function call<Q extends Schema<unknown>, R>(channel: string, request: Q, _reply: R) {
  return { channel, request } as { channel: string; request: Q; reply?: R };
}

const path = s.string({ min: 1, max: 4096 });
const id = s.int({ min: 0 });
const profile = s.oneOf(['sensitive', 'balanced', 'strict'] as const);
const compressor = s.oneOf(['zstd', 'lz4', 'deflate'] as const);
const triageStatus = s.oneOf(['open', 'confirmed', 'dismissed'] as const);

export const CALLS = {
  getAppInfo: call('driftlock:app:info', s.none(), reply<D.AppInfo>()),
  openCase: call('driftlock:case:open', s.object({ path }), reply<D.CaseInfo>()),
  newCase: call('driftlock:case:new', s.object({ path }), reply<D.CaseInfo>()),
  openSampleCase: call('driftlock:case:open-sample', s.none(), reply<D.CaseInfo>()),
  closeCase: call('driftlock:case:close', s.none(), reply<null>()),
  /** Native file dialogs (Electron). Null when cancelled or when there is no native dialog (browser). */
  chooseFiles: call(
    'driftlock:dialog:choose',
    s.object({
      purpose: s.oneOf(['open-case', 'new-case', 'import', 'save-bundle', 'verify-bundle'] as const),
      defaultName: s.optional(s.string({ max: 255 })),
    }),
    reply<string[] | null>(),
  ),

  importFiles: call('driftlock:import:start', s.object({ paths: s.array(path, { min: 1, max: 1000 }) }), reply<{ jobId: string }>()),
  cancelImport: call('driftlock:import:cancel', s.object({ jobId: s.string({ min: 1, max: 64 }) }), reply<boolean>()),

  listStreams: call('driftlock:streams:list', s.none(), reply<D.StreamSummary[]>()),
  getHeatmap: call(
    'driftlock:streams:heatmap',
    s.object({ metric: s.oneOf(['ncd', 'score'] as const), columns: s.int({ min: 1, max: 2000 }) }),
    reply<D.Heatmap>(),
  ),
  listWindows: call(
    'driftlock:windows:list',
    s.object({ streamId: id, offset: s.int({ min: 0 }), limit: s.int({ min: 1, max: 20_000 }) }),
    reply<D.WindowPage>(),
  ),
  getWindow: call('driftlock:windows:get', s.object({ streamId: id, window: s.int({ min: 0 }) }), reply<D.WindowResult | null>()),

  listAnomalies: call(
    'driftlock:anomalies:list',
    s.object({
      streamId: s.optional(id),
      status: s.optional(triageStatus),
      sort: s.optional(s.oneOf(['score', 'time'] as const)),
      offset: s.int({ min: 0 }),
      limit: s.int({ min: 1, max: 1000 }),
    }),
    reply<{ total: number; items: D.AnomalySummary[] }>(),
  ),
  getAnomaly: call('driftlock:anomalies:get', s.object({ id }), reply<D.AnomalyDetail>()),
  triage: call(
    'driftlock:anomalies:triage',
    s.object({
      id,
      status: s.optional(triageStatus),
      note: s.optional(s.nullable(s.string({ max: 10_000 }))),
    }),
    reply<D.AnomalySummary>(),
  ),
  suppressSimilar: call(
    'driftlock:suppressions:add',
    s.object({ id, allStreams: s.boolean(), reason: s.optional(s.string({ max: 2000 })) }),
    reply<{ rule: D.SuppressionRule; dismissed: number }>(),
  ),
  listSuppressions: call('driftlock:suppressions:list', s.none(), reply<D.SuppressionRule[]>()),
  removeSuppression: call('driftlock:suppressions:remove', s.object({ id }), reply<{ reopened: number }>()),

  listEvents: call(
    'driftlock:events:list',
    s.object({ streamId: id, from: s.int({ min: 0 }), limit: s.int({ min: 1, max: 5000 }) }),
    reply<D.EventPage>(),
  ),
  searchEvents: call(
    'driftlock:events:search',
    s.object({
      query: s.string({ min: 1, max: 500 }),
      streamId: s.optional(id),
      offset: s.int({ min: 0 }),
      limit: s.int({ min: 1, max: 500 }),
    }),
    reply<D.SearchResult>(),
  ),

  exportEvidence: call(
    'driftlock:evidence:export',
    s.object({
      anomalyIds: s.array(id, { min: 1, max: 10_000 }),
      outPath: s.optional(path),
      incidentId: s.optional(s.string({ max: 200 })),
      classification: s.optional(s.string({ max: 200 })),
      reporter: s.optional(s.string({ max: 200 })),
    }),
    reply<D.ExportResult>(),
  ),
  verifyEvidence: call('driftlock:evidence:verify', s.object({ path }), reply<D.VerifyResult>()),

  listenerStatus: call('driftlock:otlp:status', s.none(), reply<D.ListenerStatus>()),
  startListener: call(
    'driftlock:otlp:start',
    s.object({ httpPort: s.int({ min: 0, max: 65535 }), grpcPort: s.int({ min: 0, max: 65535 }) }),
    reply<D.ListenerStatus>(),
  ),
  stopListener: call('driftlock:otlp:stop', s.none(), reply<D.ListenerStatus>()),

  getSettings: call('driftlock:settings:get', s.none(), reply<D.Settings>()),
  updateSettings: call(
    'driftlock:settings:update',
    s.object({
      profile: s.optional(profile),
      baseline: s.optional(s.int({ min: 2, max: 1_000_000 })),
      window: s.optional(s.int({ min: 1, max: 1_000_000 })),
      hop: s.optional(s.int({ min: 1, max: 1_000_000 })),
      permutations: s.optional(s.int({ min: 0, max: 100_000 })),
      seed: s.optional(s.int({ min: 0, max: 0xffffffff })),
      compressor: s.optional(compressor),
      redaction: s.optional(
        s.object({
          preset: s.oneOf(['default', 'strict', 'none'] as const),
          customPatterns: s.array(s.string({ min: 1, max: 500 }), { max: 100 }),
        }),
      ),
      otlp: s.optional(s.object({ httpPort: s.int({ min: 0, max: 65535 }), grpcPort: s.int({ min: 0, max: 65535 }) })),
      analyst: s.optional(s.string({ max: 200 })),
    }),
    reply<D.Settings>(),
  ),
  reanalyze: call('driftlock:analysis:rerun', s.none(), reply<{ jobId: string }>()),
  getKeyInfo: call('driftlock:keys:info', s.none(), reply<D.KeyInfo>()),
  importKey: call('driftlock:keys:import', s.object({ pem: s.string({ min: 1, max: 20_000 }) }), reply<D.KeyInfo>()),
} as const;

export type CallName = keyof typeof CALLS;
export type CallRequest<K extends CallName> = Infer<(typeof CALLS)[K]['request']>;
export type CallReply<K extends CallName> = Exclude<(typeof CALLS)[K]['reply'], undefined>;

/** Events main pushes to the UI, with their channel names. */
export const EVENTS = {
  importProgress: event<D.ImportProgress>('driftlock:event:import-progress'),
  anomaliesAdded: event<D.AnomaliesAdded>('driftlock:event:anomalies-added'),
  listenerStatus: event<D.ListenerStatus>('driftlock:event:listener-status'),
  caseChanged: event<D.CaseChanged>('driftlock:event:case-changed'),
  menuCommand: event<{ command: D.MenuCommand }>('driftlock:event:menu-command'),
} as const;

function event<T>(channel: string) {
  return { channel } as { channel: string; payload?: T };
}

export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = Exclude<(typeof EVENTS)[E]['payload'], undefined>;

export const CALL_NAMES = Object.keys(CALLS) as CallName[];
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** Validates a request for `name`; throws PayloadError naming the call and field. */
export function parseRequest<K extends CallName>(name: K, payload: unknown): CallRequest<K> {
  return CALLS[name].request.parse(payload, name) as CallRequest<K>;
}

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(CALLS, name);
}
