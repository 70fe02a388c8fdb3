/** Running and finished imports: per-file progress, problems with line numbers, cancel. */
import { useEffect } from 'react';
import type { ImportProgress } from '../../shared/dto';
import { useApi } from '../api/api-context';
import { useApp } from '../state/app-store';
import { baseName, fmtBytes, fmtInt } from './format';

/** A job without files is a re-analysis of the case. */
function jobTitle(job: ImportProgress): string {
  if (job.files.length > 0) return job.done ? 'Import finished' : 'Importing';
  if (!job.done) return 'Re-analysing case';
  return job.error ? 'Re-analysis stopped' : 'Re-analysis finished';
}

export function ImportTray(): React.JSX.Element | null {
  const api = useApi();
  const { imports, dismissImport } = useApp();
  const jobs = Object.values(imports);
  // A clean finished import leaves after a few seconds; one with problems stays until dismissed.
  useEffect(() => {
    const clean = jobs.filter((j) => j.done && !j.error && j.files.every((f) => f.problems.length === 0 && (f.state === 'done' || f.state === 'skipped')));
    if (clean.length === 0) return;
    const timer = setTimeout(() => clean.forEach((j) => dismissImport(j.jobId)), 8000);
    return () => clearTimeout(timer);
  }, [jobs, dismissImport]);
  if (jobs.length === 0) return null;
  return (
    <section className="import-tray" aria-label="Imports" data-testid="import-tray">
      {jobs.map((job) => (
        <div key={job.jobId} className="import-job" data-testid="import-job" data-done={job.done}>
          <div className="import-job-head">
            <strong>{jobTitle(job)}</strong>
            {job.done ? (
              <button type="button" className="btn btn-quiet" onClick={() => dismissImport(job.jobId)}>
                Dismiss
              </button>
            ) : (
              <button type="button" className="btn btn-quiet" onClick={() => void api.cancelImport({ jobId: job.jobId })}>
                Cancel
              </button>
            )}
          </div>
          {job.error && (
            <p className="error-text" role="alert">
              {job.error}
            </p>
          )}
          {job.files.map((f) => {
            const pct = f.bytesTotal > 0 ? Math.min(100, (100 * f.bytesRead) / f.bytesTotal) : f.state === 'done' ? 100 : 0;
            return (
              <div key={f.path} className="import-file" data-state={f.state}>
                <div className="import-file-line">
                  <span className="import-file-name" title={f.path}>
                    {baseName(f.path)}
                  </span>
                  <span className={`import-state state-${f.state}`}>{f.state}</span>
                </div>
                <progress max={100} value={pct} aria-label={`${baseName(f.path)} progress`} />
                <div className="import-file-meta muted">
                  {fmtInt(f.events)} events{f.bytesTotal > 0 && ` · ${fmtBytes(f.bytesRead)} of ${fmtBytes(f.bytesTotal)}`}
                  {f.message && ` · ${f.message}`}
                </div>
                {f.problems.length > 0 && (
                  <details className="import-problems">
                    <summary>{f.problems.length} line(s) could not be read</summary>
                    <ul>
                      {f.problems.map((p) => (
                        <li key={p.line}>
                          line {p.line}: {p.reason}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </div>
            );
          })}
        </div>
      ))}
    </section>
  );
}
