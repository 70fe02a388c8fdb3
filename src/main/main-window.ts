/** Creates the app window from mainWindowOptions and locks down its contents. */
import { BrowserWindow } from 'electron';
import { APP_URL } from './app-origin';
import { hardenContents } from './security';
import { mainWindowOptions } from './window-options';

export function createMainWindow(preloadPath: string, devServer: string | undefined): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadPath));
  hardenContents(win.webContents, devServer);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(devServer ?? APP_URL);
  return win;
}
