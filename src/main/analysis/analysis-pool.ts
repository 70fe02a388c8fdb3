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

/**
 * Young-generation size of an analysis worker, MB, whatever flags the process
 * was started with. V8 sizes a thread's nursery from the machine's memory
 * and grows it as objects survive: over a long stream a worker's reached
 * 128 MB (measured under the 1 GB import bench), all of it resident. The
 * analyzer's lasting data is old-generation, so a small nursery costs
 * little time (the worker is not the import's bottleneck).
 */
const YOUNG_GENERATION_MB = 8;

/**
 * A pool of analysis workers; size defaults to max(1, cores − 1).
 *
 * @param maxHeapMb old-generation heap limit per worker: beyond it the
 *   worker dies (its job is retried) instead of the whole process
 */
export function createAnalysisPool(size?: number, maxHeapMb?: number): AnalysisPool {
  return new WorkerPool<AnalysisRequest, AnalysisReply>({
    script: analysisWorkerScript(),
    name: 'analysis',
    ...(size !== undefined ? { size } : {}),
    resourceLimits: {
      maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
      ...(maxHeapMb !== undefined ? { maxOldGenerationSizeMb: maxHeapMb } : {}),
    },
  });
}
