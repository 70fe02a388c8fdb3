// Builds the renderer, preload and main once before the tests: the e2e tests
// serve out/renderer exactly as `npm start` does. DRIFTLOCK_SKIP_BUILD=1
// skips it when out/ is known to be current (local iteration).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  if (process.env['DRIFTLOCK_SKIP_BUILD'] === '1') return;
  const root = path.resolve(import.meta.dirname, '..');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`electron-vite build failed before the tests:\n${r.stdout}\n${r.stderr}`);
}
