/**
 * The `driftlock` command: the same services as the app, without a window.
 * Exit codes: 0 success, 1 a check failed (verify), 2 bad usage or input.
 */
import { InputError } from '../main/ingest/line-reader';
import { CaseFileError } from '../main/store';
import { ANALYZE_USAGE, runAnalyze, type Io } from './commands/analyze';
import { AUDIT_USAGE, runAudit } from './commands/audit';
import { EXPORT_USAGE, runExport } from './commands/export';
import { IMPORT_USAGE, runImport } from './commands/import';
import { KEY_USAGE, runKey } from './commands/key';
import { runStats, STATS_USAGE } from './commands/stats';
import { runServe, SERVE_USAGE } from './commands/serve';
import { runVerify, VERIFY_USAGE } from './commands/verify';
import { UsageError } from './usage-error';

type Command = (args: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  analyze: { run: runAnalyze, usage: ANALYZE_USAGE },
  import: { run: runImport, usage: IMPORT_USAGE },
  stats: { run: runStats, usage: STATS_USAGE },
  serve: { run: runServe, usage: SERVE_USAGE },
  export: { run: runExport, usage: EXPORT_USAGE },
  verify: { run: runVerify, usage: VERIFY_USAGE },
  key: { run: runKey, usage: KEY_USAGE },
  audit: { run: runAudit, usage: AUDIT_USAGE },
};

function usage(): string {
  return ['usage:', ...Object.values(COMMANDS).map((c) => `  ${c.usage.replace(/\n/g, '\n  ')}`)].join('\n');
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.err(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`driftlock: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError || err instanceof CaseFileError) {
      io.err(`driftlock ${name}: ${err.message}`);
      return 2;
    }
    io.err(`driftlock ${name}: ${(err as Error).message ?? String(err)}`);
    return 2;
  }
}

// Buffered stdout: one write per line would dominate large outputs.
function bufferedOut(): { out: (line: string) => void; flushNow: () => void; flush: () => Promise<void> } {
  let buf: string[] = [];
  let size = 0;
  const flushSync = (): void => {
    if (buf.length === 0) return;
    process.stdout.write(buf.join(''));
    buf = [];
    size = 0;
  };
  return {
    out: (line) => {
      buf.push(line, '\n');
      size += line.length + 1;
      if (size > 1 << 16) flushSync();
    },
    flushNow: flushSync,
    flush: () =>
      new Promise((resolve) => {
        flushSync();
        process.stdout.write('', () => resolve());
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('src/cli/main.ts')) {
  const stdout = bufferedOut();
  const code = await main(process.argv.slice(2), {
    out: stdout.out,
    err: (l) => process.stderr.write(`${l}\n`),
    flush: stdout.flushNow,
  });
  await stdout.flush();
  process.exitCode = code;
}
