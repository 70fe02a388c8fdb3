// Runs a TypeScript worker entry from source (CLI under tsx, tests under
// vitest): registers tsx's loader in this worker thread, then imports the
// entry named in workerData. A built app loads its bundled .js entry
// directly and never uses this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
