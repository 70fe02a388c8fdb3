// Electron entry: lifecycle, window, menu and IPC only. The services live in
// src/main/api (and the store, evidence, OTLP folders) and never import
// electron, so `serve --ui` and the CLI run the same code.
import { app, ipcMain, Menu, net, protocol, session, type BrowserWindow } from 'electron';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EVENTS, type EventName, type EventPayload } from '../shared/channels';
import type { MenuCommand } from '../shared/dto';
import type { AppServices } from './api/app-services';
import { appRoot, appVersion, wireAppServices } from './api/wire-services';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { caseFileFromArgv } from './case-argv';
import { electronDialogs } from './dialogs';
import { registerIpc } from './ipc';
import { createMainWindow } from './main-window';
import { menuTemplate } from './menu';
import { hardenContents, hardenSession } from './security';

const root = appRoot(import.meta.dirname);
const rendererDir = path.join(root, 'out', 'renderer');
const preloadPath = path.join(root, 'out', 'preload', 'index.cjs');
// electron-vite sets this during `npm run dev` only; a packaged app never trusts it.
const devServer = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];

// Tests (and careful users) give each run its own profile folder.
const userDataArg = process.argv.find((a) => a.startsWith('--user-data-dir='));
if (userDataArg) app.setPath('userData', path.resolve(userDataArg.slice('--user-data-dir='.length)));

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let win: BrowserWindow | null = null;
let services: AppServices | null = null;
let pendingCase: string | null = caseFileFromArgv(process.argv);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    const file = caseFileFromArgv(argv);
    if (file) void openCaseFile(file);
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  // macOS: double-click on a case file, before or after the app is ready.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    if (services) void openCaseFile(file);
    else pendingCase = file;
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, devServer));
  app.on('window-all-closed', () => app.quit());
  // Quitting waits for the services: a running OTLP listener drains its queue and finishes its live analysis into the case first.
  app.on('before-quit', (event) => {
    const running = services;
    if (!running) return;
    event.preventDefault();
    services = null;
    void running.dispose().finally(() => app.quit());
  });
  void app.whenReady().then(start);
}

function send<E extends EventName>(event: E, payload: EventPayload<E>): void {
  if (win && !win.isDestroyed()) win.webContents.send(EVENTS[event].channel, payload);
  if (event === 'caseChanged') onCaseChanged((payload as EventPayload<'caseChanged'>).case?.path ?? null);
}

/** The window title names the open case; the next start reopens it. */
function onCaseChanged(casePath: string | null): void {
  if (win && !win.isDestroyed()) win.setTitle(casePath ? `${path.basename(casePath)} — Driftlock` : 'Driftlock');
  try {
    writeFileSync(lastCaseFile(), JSON.stringify({ path: casePath }));
  } catch {
    // Remembering the case is a convenience; a read-only profile must not stop the app.
  }
}

function lastCaseFile(): string {
  return path.join(app.getPath('userData'), 'last-case.json');
}

function lastCase(): string | null {
  try {
    return (JSON.parse(readFileSync(lastCaseFile(), 'utf8')) as { path: string | null }).path;
  } catch {
    return null;
  }
}

async function openCaseFile(file: string): Promise<void> {
  try {
    await services?.openCase({ path: file });
  } catch (err) {
    console.error(`driftlock: could not open ${file}: ${(err as Error).message}`);
  }
}

async function menuAction(command: MenuCommand): Promise<void> {
  if (!services) return;
  const dialogs = electronDialogs(() => win);
  if (command === 'open-case' || command === 'new-case') {
    const chosen = await dialogs.choose(command, 'case.driftlock');
    if (chosen?.[0]) await (command === 'open-case' ? services.openCase({ path: chosen[0] }) : services.newCase({ path: chosen[0] })).catch(() => undefined);
    return;
  }
  if (command === 'import' && services.currentCase()) {
    const chosen = await dialogs.choose('import');
    if (chosen) await services.importFiles({ paths: chosen });
    return;
  }
  send('menuCommand', { command });
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  mkdirSync(userData, { recursive: true });
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    const file = path.resolve(rendererDir, decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html');
    if (url.host !== APP_HOST || !file.startsWith(rendererDir + path.sep)) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
  hardenSession(session.defaultSession);
  services = wireAppServices({
    transport: 'electron',
    dataDir: userData,
    resourcesRoot: app.isPackaged ? process.resourcesPath : root,
    version: appVersion(root),
    dialogs: electronDialogs(() => win),
  });
  services.events.subscribe(send);
  registerIpc(ipcMain, services, devServer);
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate((c) => void menuAction(c), process.platform)));
  win = createMainWindow(preloadPath, devServer);
  win.on('closed', () => (win = null));
  const file = pendingCase ?? lastCase();
  pendingCase = null;
  if (file) await openCaseFile(file);
}
