import type { AnalysisReply, AnalysisRequest } from '../../shared/analysis-messages';
import { WorkerPool } from './worker-pool';

export type AnalysisPool = WorkerPool<AnalysisRequest, AnalysisReply>;

/**
 * The analysis worker entry: the bundled `analysis.worker.js` beside the
 * built main bundle (electron-vite builds it as its own entry), or the
 * TypeScript source when running under tsx or vitest.
 */
export function analysisWorkerScript(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./analysis.worker.ts', here) : new URL('./analysis.worker.js', here);
}

/** A pool of analysis workers; size defaults to max(1, cores − 1). */
export function createAnalysisPool(size?: number): AnalysisPool {
  return new WorkerPool<AnalysisRequest, AnalysisReply>({
    script: analysisWorkerScript(),
    name: 'analysis',
    ...(size !== undefined ? { size } : {}),
  });
}
