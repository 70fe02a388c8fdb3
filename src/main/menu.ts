/** The application menu: every screen and action has a keyboard shortcut. */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/dto';

export function menuTemplate(send: (command: MenuCommand) => void, platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const item = (label: string, accelerator: string, command: MenuCommand): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => send(command),
  });
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('New Case…', 'CmdOrCtrl+N', 'new-case'),
        item('Open Case…', 'CmdOrCtrl+O', 'open-case'),
        { type: 'separator' },
        item('Import Files…', 'CmdOrCtrl+I', 'import'),
        { type: 'separator' },
        item('Export Evidence…', 'CmdOrCtrl+E', 'export-evidence'),
        item('Verify Bundle…', 'CmdOrCtrl+Shift+V', 'verify-evidence'),
        { type: 'separator' },
        platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: '&Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }, { type: 'separator' }, item('Find in Logs', 'CmdOrCtrl+F', 'search')] },
    {
      label: '&View',
      submenu: [
        item('Overview', 'CmdOrCtrl+1', 'go-overview'),
        item('Anomalies', 'CmdOrCtrl+2', 'go-anomalies'),
        item('Logs && Search', 'CmdOrCtrl+3', 'go-logs'),
        item('Live OTLP', 'CmdOrCtrl+5', 'go-live'),
        item('Settings', 'CmdOrCtrl+,', 'go-settings'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
}
