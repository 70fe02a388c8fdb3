/**
 * The harness talks to the engine only through the CLI, as a user would:
 * every row of docs/EVALUATION.md is one `driftlock analyze` command run as a
 * child process, its stdout parsed. `commandLine` is what the report prints.
 */
import { spawn } from 'node:child_process';
import { relative, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
const TSX = resolve(REPO, 'node_modules/.bin/tsx');

export interface CliRun {
  args: string[];
  stdout: string[];
  stderr: string;
  seconds: number;
}

/** Paths inside or beside the repo are shown relative to its root. */
function shown(arg: string): string {
  const rel = arg.startsWith('/') ? relative(REPO, arg) : arg;
  return /^[\w./:=@+-]+$/.test(rel) ? rel : `'${rel.replace(/'/g, `'\\''`)}'`;
}

/** The command a reader can paste at the repo root to get the same output. */
export function commandLine(args: readonly string[]): string {
  return `npm run -s driftlock -- ${args.map(shown).join(' ')}`;
}

/** Runs `driftlock <args>` (tsx src/cli/main.ts) and returns its stdout lines; throws on a non-zero exit. */
export function runCli(args: string[]): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(TSX, ['src/cli/main.ts', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== 0) {
        reject(new Error(`${commandLine(args)} exited with ${code}: ${stderr.trim().split('\n').pop()}`));
        return;
      }
      const text = Buffer.concat(out).toString('utf8');
      resolvePromise({
        args,
        stdout: text.split('\n').filter((l) => l.length > 0),
        stderr,
        seconds: (performance.now() - started) / 1000,
      });
    });
  });
}

/** Parses JSON lines, naming the command and line of the first bad one. */
export function jsonLines<T>(run: CliRun): T[] {
  return run.stdout.map((line, i) => {
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new Error(`${commandLine(run.args)}: stdout line ${i + 1} is not JSON: ${line.slice(0, 80)}`);
    }
  });
}
