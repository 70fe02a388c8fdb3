/**
 * Hardening applied to the session and to every web contents: the CSP
 * header, no permissions, no new windows, no navigation away from the app,
 * no webviews. Takes the Electron objects as arguments (type-only imports)
 * so the security test drives it with the real option objects.
 */
import type { Session, WebContents } from 'electron';
import { RENDERER_CSP_HEADER } from '../shared/csp';
import { isAppUrl } from './app-origin';

export function hardenSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest' | 'setDevicePermissionHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP_HEADER] } });
  });
}

type Contents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

export function hardenContents(contents: Contents, devServer: string | undefined): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayInApp = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url, devServer)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
