// `npm run bench`: measurements written to docs/BENCHMARKS.md, one section per
// area. `npm run bench -- engine` runs one section.
import { benchEngine } from './bench/engine';
import { benchEvidence } from './bench/evidence';
import { benchImport } from './bench/import';
import { benchOtlp } from './bench/otlp';

const SECTIONS: Record<string, () => void | Promise<void>> = {
  engine: benchEngine,
  import: benchImport,
  otlp: benchOtlp,
  evidence: benchEvidence,
};

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(SECTIONS)) {
  const run = SECTIONS[name];
  if (!run) {
    console.error(`bench: unknown section "${name}" (sections: ${Object.keys(SECTIONS).join(', ')})`);
    process.exit(2);
  }
  await run();
}
