// `npm start`: the desktop app where the Electron binary is installed; where
// it is not (air-gapped dev machines, CI), the same UI in HTTP mode.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const rel = readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const bin = path.join(dir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', shell: false });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const built = await run(npm, ['run', '-s', 'build']);
if (built !== 0) process.exit(built);

const bin = electronBinary();
if (bin) {
  process.exit(await run(bin, ['.', ...process.argv.slice(2)]));
}
console.log(
  'driftlock: the Electron binary is not installed here (README "Offline install"), so the same app runs in your browser: open the URL on the next line.',
);
process.exit(await run(npm, ['run', '-s', 'driftlock', '--', 'serve', '--ui', '0', ...process.argv.slice(2)]));
