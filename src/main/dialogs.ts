/** Native open/save dialogs behind the DialogPort the services use. */
import { dialog, type BrowserWindow } from 'electron';
import type { DialogPort, DialogPurpose } from './api/service-ports';

const CASE_FILTER = [{ name: 'Driftlock case', extensions: ['driftlock', 'sqlite', 'db'] }];
const BUNDLE_FILTER = [{ name: 'Evidence bundle', extensions: ['zip'] }];
const LOG_FILTER = [
  { name: 'Logs and telemetry', extensions: ['log', 'txt', 'gz', 'zst', 'lz4', 'json', 'jsonl', 'ndjson', 'csv'] },
  { name: 'All files', extensions: ['*'] },
];

export function electronDialogs(window: () => BrowserWindow | null): DialogPort {
  return {
    async choose(purpose: DialogPurpose, defaultName?: string) {
      const win = window();
      const save = purpose === 'new-case' || purpose === 'save-bundle';
      if (save) {
        const options = {
          title: purpose === 'new-case' ? 'New case' : 'Save evidence bundle',
          ...(defaultName && { defaultPath: defaultName }),
          filters: purpose === 'new-case' ? CASE_FILTER : BUNDLE_FILTER,
        };
        const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
        return r.canceled || !r.filePath ? null : [r.filePath];
      }
      const options = {
        title: purpose === 'open-case' ? 'Open case' : purpose === 'import' ? 'Import files' : 'Verify evidence bundle',
        properties: purpose === 'import' ? (['openFile', 'multiSelections'] as const) : (['openFile'] as const),
        filters: purpose === 'open-case' ? CASE_FILTER : purpose === 'import' ? LOG_FILTER : BUNDLE_FILTER,
      };
      const r = win
        ? await dialog.showOpenDialog(win, { ...options, properties: [...options.properties] })
        : await dialog.showOpenDialog({ ...options, properties: [...options.properties] });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths;
    },
  };
}
