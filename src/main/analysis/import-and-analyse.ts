import type { AnalysisParams } from '../../core';
import { importFile, type ImportOptions, type ImportSummary } from '../ingest/import-file';
import type { CaseStore, StreamCommit } from '../store';
import type { AnalysisPool } from './analysis-pool';
import { AnalysisRun, type AnalysisOutcome, type AnalysisProgress } from './analysis-run';
import { AUDIT_ACTIONS } from '../audit/audit-actions';

export interface ImportAndAnalyseOptions {
  import: Omit<ImportOptions, 'onCommit' | 'signal'>;
  /** Analysis parameters, or null to import only. */
  params: AnalysisParams | null;
  signal?: AbortSignal;
  actor?: string;
  onFile?: (result: FileResult) => void;
  onAnalysisProgress?: (p: AnalysisProgress) => void;
}

export type FileResult = { file: string; summary: ImportSummary } | { file: string; error: Error };

export interface ImportAndAnalyseResult {
  files: FileResult[];
  /** Null when nothing needed analysing (or params was null). */
  analysis: AnalysisOutcome | null;
}

/**
 * Import files into a case and analyse what is new, concurrently: the
 * analysis of a stream starts with its first committed batch and follows
 * the import as it grows, so reading and scoring overlap on two cores.
 * Streams that an earlier, interrupted run left unanalysed are analysed
 * again from their first event. A file that fails is reported and the
 * others still import.
 */
export async function importAndAnalyse(
  store: CaseStore,
  pool: AnalysisPool | null,
  files: readonly string[],
  options: ImportAndAnalyseOptions,
): Promise<ImportAndAnalyseResult> {
  let run: AnalysisRun | null = null;
  const follow = (commits: readonly StreamCommit[]): void => {
    if (!options.params || !pool || commits.length === 0) return;
    run ??= new AnalysisRun(store, pool, options.params, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onAnalysisProgress ? { onProgress: options.onAnalysisProgress } : {}),
      ...(options.actor ? { actor: options.actor } : {}),
    });
    for (const c of commits) run.follow(c);
  };
  follow(store.analyses.streamsNeedingAnalysis().map((s) => ({ streamId: s.id, key: s.key, committed: s.events })));

  const results: FileResult[] = [];
  try {
    for (const file of files) {
      options.signal?.throwIfAborted();
      let result: FileResult;
      try {
        const summary = await importFile(store, file, {
          ...options.import,
          onCommit: follow,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        result = { file, summary };
        if (summary.outcome !== 'already-imported') {
          store.audit.append({
            actor: options.actor ?? 'driftlock',
            action: summary.outcome === 'resumed' ? AUDIT_ACTIONS.sourceImportResumed : AUDIT_ACTIONS.sourceImported,
            subject: `source:${summary.source.id}`,
            details: {
              path: summary.path,
              sha256: summary.source.sha256,
              kind: summary.source.kind,
              events: summary.source.events,
              problems: summary.source.problems,
              redactionPolicy: summary.source.redactionPolicy.name,
              redactionCounts: summary.source.redactionCounts,
            },
          });
        }
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err;
        result = { file, error: err as Error };
      }
      results.push(result);
      options.onFile?.(result);
    }
  } catch (err) {
    (run as AnalysisRun | null)?.cancel();
    await (run as AnalysisRun | null)?.finish().catch(() => {});
    throw err;
  }
  const analysis = run ? await (run as AnalysisRun).finish() : null;
  return { files: results, analysis };
}
