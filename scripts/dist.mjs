// `npm run dist`: installers with electron-builder. electron-builder needs the
// Electron runtime for the target platform; here it is taken from
// node_modules/electron/dist (installed by `npm ci` where the download works,
// or by hand on air-gapped machines, see README "Offline install"), so the
// build never tries to download it. Without it we stop at once with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const electronDir = path.join(root, 'node_modules', 'electron');
const marker = path.join(electronDir, 'path.txt');
const dist = path.join(electronDir, 'dist');
const binary = existsSync(marker) ? path.join(dist, readFileSync(marker, 'utf8').trim()) : null;

if (!binary || !existsSync(binary)) {
  console.error(
    'driftlock dist: no Electron runtime in node_modules/electron/dist, and it cannot be downloaded from here. ' +
      'Install it from an Electron release zip (README "Offline install"), then run `npm run dist` again.',
  );
  process.exit(2);
}

const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', timeout: 30 * 60_000 });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (run(npm, ['run', '-s', 'build']).status !== 0) process.exit(1);

const version = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
const builder = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder');
const r = run(builder, ['--config', 'electron-builder.yml', `--config.electronDist=${dist}`, `--config.electronVersion=${version}`, ...process.argv.slice(2)]);
if (r.status !== 0) {
  console.error(
    'driftlock dist: electron-builder failed (see above). Targets such as AppImage, deb and NSIS fetch their own tools ' +
      'on first use; on an offline machine pre-seed the electron-builder cache (README "Offline install") or build on a connected one.',
  );
  process.exit(1);
}
console.log('driftlock dist: installers are in dist/');
