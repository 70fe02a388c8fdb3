import { caseStats, openReadOnly } from '../../main/store';
import { enumOption, parseCommandLine, UsageError } from '../usage-error';
import type { Io } from './analyze';

export const STATS_USAGE = 'driftlock stats --db PATH [--format json|text]';

/** Counts of a case, read through a read-only connection (safe while an import runs). */
export async function runStats(args: string[], io: Io): Promise<number> {
  const parsed = parseCommandLine(args, { db: { type: 'string' }, format: { type: 'string' } }, false);
  const { db: path, format } = parsed.values;
  if (!path) throw new UsageError('stats needs --db PATH');
  const fmt = enumOption('format', format, ['json', 'text'] as const, 'text');
  const db = openReadOnly(path);
  try {
    const s = caseStats(db);
    if (fmt === 'json') {
      io.out(JSON.stringify({ sources: s.sources, streams: s.streams, events: s.events, windows: s.windows, anomalies: s.anomalies }));
    } else {
      for (const [k, v] of Object.entries(s)) io.out(`${k.padEnd(10)} ${v.toLocaleString('en-US')}`);
    }
  } finally {
    db.close();
  }
  return 0;
}
