// Analysis services: the worker pool, one analysis run over a case, and the batch decision.
export { AnalysisRun, type AnalysisOutcome, type AnalysisProgress } from './analysis-run';
export { createAnalysisPool, analysisWorkerScript, type AnalysisPool } from './analysis-pool';
export { decideAnalysis } from './decide-analysis';
export { WorkerPool, defaultPoolSize, JobAbortedError, type WorkerPoolOptions, type JobHandlers, type PoolMessage } from './worker-pool';
