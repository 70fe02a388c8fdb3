/**
 * Where the renderer comes from: a privileged custom scheme that serves
 * out/renderer (so CSP 'self' means the app's own files and nothing else),
 * or the electron-vite dev server during `npm run dev`.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'driftlock';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True when `url` is a page of this app: the app scheme, or the dev server when one is configured. */
export function isAppUrl(url: string, devServer: string | undefined): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST) return true;
  if (devServer) {
    const dev = new URL(devServer);
    return u.protocol === dev.protocol && u.host === dev.host;
  }
  return false;
}
