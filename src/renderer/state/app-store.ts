/**
 * UI state that outlives a screen: the open case, where the user is, what is
 * selected, running imports. Data a screen shows is fetched by that screen
 * (useQuery) and refetched when `revision` moves.
 */
import { create } from 'zustand';
import type { AppInfo, CaseInfo, ImportProgress, ListenerStatus } from '../../shared/dto';

export type View = 'overview' | 'stream' | 'anomalies' | 'logs' | 'evidence' | 'live' | 'settings';

export interface LogTarget {
  streamId: number;
  /** Event to centre on (a window's first event or a search hit). */
  seq: number;
  /** The window to highlight, when known. */
  window: number | null;
}

export interface AppState {
  info: AppInfo | null;
  caseInfo: CaseInfo | null;
  view: View;
  streamId: number | null;
  focusWindow: number | null;
  anomalyId: number | null;
  logTarget: LogTarget | null;
  imports: Record<string, ImportProgress>;
  listener: ListenerStatus | null;
  /** Bumped when the case's data changes, so screens refetch. */
  revision: number;
  /** Anomaly ids the evidence screen exports (defaults to the selected anomaly). */
  exportSelection: number[];
  setInfo(info: AppInfo): void;
  setCase(c: CaseInfo | null): void;
  go(view: View): void;
  openStream(streamId: number, window?: number | null): void;
  openAnomaly(id: number | null): void;
  openLogs(target: LogTarget): void;
  exportAnomalies(ids: number[]): void;
  trackImport(p: ImportProgress): void;
  dismissImport(jobId: string): void;
  setListener(s: ListenerStatus): void;
  bump(): void;
}

export const useApp = create<AppState>()((set) => ({
  info: null,
  caseInfo: null,
  view: 'overview',
  streamId: null,
  focusWindow: null,
  anomalyId: null,
  logTarget: null,
  imports: {},
  listener: null,
  revision: 0,
  exportSelection: [],
  setInfo: (info) => set({ info, caseInfo: info.case }),
  setCase: (caseInfo) =>
    set((s) => {
      const sameCase = s.caseInfo?.path === caseInfo?.path;
      // Same case: new counts only; whoever changed the data bumps the revision.
      return sameCase
        ? { caseInfo }
        : { caseInfo, revision: s.revision + 1, view: 'overview', streamId: null, anomalyId: null, logTarget: null, exportSelection: [] };
    }),
  go: (view) => set({ view }),
  openStream: (streamId, window = null) => set({ view: 'stream', streamId, focusWindow: window }),
  openAnomaly: (anomalyId) => set({ view: 'anomalies', anomalyId }),
  openLogs: (logTarget) => set({ view: 'logs', logTarget }),
  exportAnomalies: (exportSelection) => set({ view: 'evidence', exportSelection }),
  trackImport: (p) => set((s) => ({ imports: { ...s.imports, [p.jobId]: p } })),
  dismissImport: (jobId) =>
    set((s) => {
      const { [jobId]: _gone, ...rest } = s.imports;
      return { imports: rest };
    }),
  setListener: (listener) => set({ listener }),
  bump: () => set((s) => ({ revision: s.revision + 1 })),
}));
