// The single bridge between the renderer and main: `window.driftlock`, one
// method per registry call, typed by `satisfies DriftlockApi`. The renderer
// never sees ipcRenderer; every call is an invoke on its registry channel.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { DriftlockApi } from '../shared/api';
import { unwrap, type CallResult } from '../shared/call-result';
import { CALLS, EVENTS, type CallName, type CallReply, type CallRequest, type EventName, type EventPayload } from '../shared/channels';

function invoke<K extends CallName>(name: K) {
  return async (request?: CallRequest<K>): Promise<CallReply<K>> =>
    unwrap((await ipcRenderer.invoke(CALLS[name].channel, request)) as CallResult<CallReply<K>>);
}

const api = {
  getAppInfo: invoke('getAppInfo'),
  openCase: invoke('openCase'),
  newCase: invoke('newCase'),
  openSampleCase: invoke('openSampleCase'),
  closeCase: invoke('closeCase'),
  chooseFiles: invoke('chooseFiles'),
  importFiles: invoke('importFiles'),
  cancelImport: invoke('cancelImport'),
  listStreams: invoke('listStreams'),
  getHeatmap: invoke('getHeatmap'),
  listWindows: invoke('listWindows'),
  getWindow: invoke('getWindow'),
  listAnomalies: invoke('listAnomalies'),
  getAnomaly: invoke('getAnomaly'),
  triage: invoke('triage'),
  suppressSimilar: invoke('suppressSimilar'),
  listSuppressions: invoke('listSuppressions'),
  removeSuppression: invoke('removeSuppression'),
  listEvents: invoke('listEvents'),
  searchEvents: invoke('searchEvents'),
  exportEvidence: invoke('exportEvidence'),
  verifyEvidence: invoke('verifyEvidence'),
  listenerStatus: invoke('listenerStatus'),
  startListener: invoke('startListener'),
  stopListener: invoke('stopListener'),
  getSettings: invoke('getSettings'),
  updateSettings: invoke('updateSettings'),
  reanalyze: invoke('reanalyze'),
  getKeyInfo: invoke('getKeyInfo'),
  importKey: invoke('importKey'),
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
    const channel = EVENTS[event].channel;
    const handler = (_e: IpcRendererEvent, payload: EventPayload<E>): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => void ipcRenderer.removeListener(channel, handler);
  },
  // Files dropped on or picked in the page are real files on this machine: main reads them by path.
  async stageFiles(files: File[]) {
    return files.map((f) => webUtils.getPathForFile(f));
  },
} satisfies DriftlockApi;

contextBridge.exposeInMainWorld('driftlock', api);
