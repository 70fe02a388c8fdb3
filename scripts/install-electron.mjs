// Runs Electron's own binary installer, which npm 11 skips because package.json
// denies electron's install script (its GitHub download would fail `npm ci` on
// air-gapped machines). Here a failed download is reported and tolerated: the
// CLI, `serve --ui` and the tests do not need the binary.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronDir() {
  try {
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null; // production install without devDependencies
  }
}

const dir = electronDir();
if (!dir) process.exit(0);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('driftlock: ELECTRON_SKIP_BINARY_DOWNLOAD is set; not installing the Electron binary.');
  process.exit(0);
}
if (existsSync(path.join(dir, 'path.txt')) && existsSync(path.join(dir, 'dist'))) process.exit(0);

const result = spawnSync(process.execPath, [path.join(dir, 'install.js')], {
  stdio: ['ignore', 'inherit', 'pipe'],
  timeout: 180_000,
  encoding: 'utf8',
});
if (result.status === 0) {
  console.log('driftlock: Electron binary installed.');
} else {
  const reason = (result.stderr || result.error?.message || 'unknown error').trim().split('\n')[0];
  console.log(
    `driftlock: the Electron binary could not be downloaded (${reason}). ` +
      '`npm start` will serve the UI in a browser instead; see README "Offline install".',
  );
}
process.exit(0);
