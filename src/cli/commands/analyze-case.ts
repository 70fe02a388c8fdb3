import type { AnalysisParams, BatchResult, StreamAnalysis } from '../../core';
import { AnalysisRun, createAnalysisPool } from '../../main/analysis';
import { importAndAnalyse } from '../../main/analysis/import-and-analyse';
import { resolvePolicy } from '../../main/ingest/redaction';
import { CaseStore } from '../../main/store';
import { cliActor } from '../cli-actor';
import type { Io } from './analyze';

/**
 * `analyze --db PATH [file...]`: the files (when given) are imported into
 * the case with the default redaction policy, then a new analysis with the
 * command's parameters runs over their streams (or over every stream of the
 * case when no file is given) and is stored in the case. Returns the
 * decided windows in the shape `analyze` prints.
 */
export async function analyzeCase(dbPath: string, files: readonly string[], params: AnalysisParams, io: Io): Promise<BatchResult> {
  const store = CaseStore.open(dbPath, { create: files.length > 0 });
  const pool = createAnalysisPool();
  try {
    let streamIds: number[];
    if (files.length > 0) {
      const { files: results } = await importAndAnalyse(store, null, files, {
        import: { redaction: resolvePolicy('default') },
        params: null,
        actor: cliActor(),
      });
      const sourceIds: number[] = [];
      for (const r of results) {
        if ('error' in r) throw r.error;
        io.err(`read ${r.file}: ${r.summary.source.linesDone} lines (${r.summary.outcome} into ${dbPath})`);
        sourceIds.push(r.summary.source.id);
      }
      streamIds = store.db
        .prepare('SELECT stream_id FROM source_streams WHERE source_id IN (SELECT value FROM json_each(?)) GROUP BY stream_id ORDER BY MIN(source_id), stream_id')
        .all(JSON.stringify(sourceIds))
        .map((r) => (r as { stream_id: number }).stream_id);
    } else {
      streamIds = store.events.streamList().map((s) => s.id);
    }
    const byId = new Map(store.events.streamList().map((s) => [s.id, s]));
    const run = new AnalysisRun(store, pool, params, { actor: cliActor() });
    for (const id of streamIds) {
      const s = byId.get(id)!;
      run.follow({ streamId: id, key: s.key, committed: s.events }, true);
    }
    const outcome = await run.finish();
    const perStream = new Map(store.analyses.streams(outcome.analysisId).map((s) => [s.streamId, s]));
    const windows = store.windows.list({ analysisId: outcome.analysisId });
    const streams: StreamAnalysis[] = streamIds.map((id) => {
      const row = perStream.get(id)!;
      return {
        stream: byId.get(id)!.key,
        events: row.events,
        windows: windows.filter((w) => w.streamId === id).map((w) => w.result),
        ...(row.note ? { note: row.note } : {}),
      };
    });
    return { streams, windows: streams.flatMap((s) => s.windows) };
  } finally {
    await pool.close();
    store.close();
  }
}
