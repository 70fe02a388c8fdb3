import { parseArgs } from 'node:util';
import { openReadOnly } from '../../main/store';
import { AuditLog } from '../../main/store/audit-log';
import { UsageError } from '../usage-error';
import type { Io } from './analyze';

export const AUDIT_USAGE = `driftlock audit verify --db PATH
    exit 0: the hash chain holds; 1: names the first broken row`;

/** Walks a case's audit chain through a read-only connection (safe while the app has the case open). */
export async function runAudit(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') throw new UsageError(`audit needs a subcommand: verify (got ${sub === undefined ? 'none' : `"${sub}"`})`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, strict: true, options: { db: { type: 'string' } } });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  if (!parsed.values.db) throw new UsageError('audit verify needs --db PATH');
  const db = openReadOnly(parsed.values.db);
  try {
    const result = new AuditLog(db, Date.now).verify();
    if (result.ok) {
      io.out(`audit chain of ${parsed.values.db}: ${result.entries} rows, intact`);
      return 0;
    }
    io.out(`audit chain of ${parsed.values.db}: BROKEN at row ${result.firstBad}: ${result.reason} (${result.entries - 1} rows before it hold)`);
    return 1;
  } finally {
    db.close();
  }
}
