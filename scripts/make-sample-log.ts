/**
 * Writes resources/sample/checkout-incident.log, the log behind "Open sample
 * case": 3,000 lines of a generated checkout service with one incident (70
 * lines of database pool exhaustion, upstream timeouts and OOM kills starting
 * at line 2,100). Deterministic: re-running it rewrites the same bytes.
 *   npx tsx scripts/make-sample-log.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { templatedLog } from './lib/templated-log';

export const SAMPLE_INCIDENT = { start: 2100, length: 70 };

const log = templatedLog({ lines: 3000, bursts: [SAMPLE_INCIDENT.start], burstLength: SAMPLE_INCIDENT.length, seed: 20260105 });
const out = path.join(import.meta.dirname, '..', 'resources', 'sample', 'checkout-incident.log');
writeFileSync(out, `${log.lines.join('\n')}\n`);
console.log(`wrote ${out}: ${log.lines.length} lines, incident at lines ${SAMPLE_INCIDENT.start}-${SAMPLE_INCIDENT.start + SAMPLE_INCIDENT.length - 1} (0-based)`);
