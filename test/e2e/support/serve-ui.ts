/**
 * Runs the real `driftlock serve --ui` as a child process (the same command a
 * user types) and hands back the URL it prints first on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const DATA = path.resolve(ROOT, '..', 'shared', 'data');

export interface ServeUi {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

export async function startServeUi(args: string[]): Promise<ServeUi> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'serve', '--ui', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve --ui exited with ${code} before printing its URL:\n${err}`)));
  });
  const url = new URL(first);
  const token = /token=([^&]+)/.exec(url.hash)?.[1] ?? '';
  return {
    url: first,
    origin: url.origin,
    token,
    child,
    stderr: () => err,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
