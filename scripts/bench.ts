// `npm run bench`: measurements written to docs/BENCHMARKS.md, one section per
// area. `npm run bench -- engine` runs one section.
import { benchEngine } from './bench/engine';
import { benchEvidence } from './bench/evidence';

const SECTIONS: Record<string, () => void | Promise<void>> = {
  engine: benchEngine,
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
