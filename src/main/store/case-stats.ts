import type { CaseStats } from '../../shared/case-types';
import type { Db } from './open-database';

/** Counts for `driftlock stats`; works on the writer's or a read-only connection. */
export function caseStats(db: Db): CaseStats {
  const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  return {
    sources: count('SELECT count(*) AS n FROM sources'),
    streams: count('SELECT count(*) AS n FROM streams'),
    events: count('SELECT COALESCE(SUM(events), 0) AS n FROM streams'),
    windows: count('SELECT count(*) AS n FROM current_windows'),
    anomalies: count('SELECT count(*) AS n FROM current_windows WHERE anomaly = 1'),
  };
}
