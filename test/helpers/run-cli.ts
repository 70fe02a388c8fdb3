import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { cliNodeFlags } from '../../scripts/lib/cli-node-flags';

export const REPO = resolve(import.meta.dirname, '../..');
const CLI = resolve(REPO, 'src/cli/main.ts');

/** Start the real `driftlock` CLI (under tsx, with the npm script's node flags) as a child process. */
export function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [...cliNodeFlags(), '--import', 'tsx', CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Wait for a child started by spawnCli, collecting its output. */
export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

export function runCli(args: string[]): Promise<CliResult> {
  return collect(spawnCli(args));
}
