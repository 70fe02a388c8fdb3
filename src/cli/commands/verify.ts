import { parseArgs } from 'node:util';
import { verifyBundle } from '../../main/evidence/verify-bundle';
import type { VerifyResult } from '../../shared/evidence';
import { UsageError } from '../usage-error';
import type { Io } from './analyze';

export const VERIFY_USAGE = `driftlock verify <bundle.zip> [--key FINGERPRINT] [--format text|json]
    exit 0: every check passed; 1: a check failed (named); 2: not a readable bundle`;

/** The per-check report, one line per check, then the verdict. */
export function formatVerifyReport(path: string, result: VerifyResult): string[] {
  const width = Math.min(28, Math.max(...result.checks.map((c) => c.name.length)));
  const lines = [`verify ${path}`];
  for (const c of result.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}`);
  const failed = result.checks.filter((c) => !c.ok);
  const reproduced = result.windows.filter((w) => w.reproduced).length;
  if (!result.readable) lines.push('result: UNREADABLE (not an evidence bundle)');
  else if (failed.length === 0) {
    lines.push(`result: VERIFIED (${result.checks.length} checks passed; ${reproduced} of ${result.windows.length} windows reproduced${result.keyPinned ? '; signer pinned' : '; signer not pinned'})`);
  } else {
    lines.push(`result: FAILED (${failed.length} of ${result.checks.length} checks failed: ${failed.map((c) => c.name).join(', ')})`);
  }
  return lines;
}

export async function runVerify(args: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { key: { type: 'string' }, format: { type: 'string' } } });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  if (parsed.positionals.length !== 1) throw new UsageError('verify needs exactly one bundle file');
  const format = parsed.values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
  const path = parsed.positionals[0]!;
  const result = await verifyBundle(path, parsed.values.key !== undefined ? { expectedFingerprint: parsed.values.key } : {});
  if (format === 'json') io.out(JSON.stringify(result));
  else for (const line of formatVerifyReport(path, result)) io.out(line);
  return result.ok ? 0 : result.readable ? 1 : 2;
}
