/**
 * `npm run eval`: runs the engine, through the CLI, over every labelled set
 * in ../shared/data, prints the results and writes docs/EVALUATION.md.
 * Labels are read only here, to score; nothing is fitted to them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO } from './eval/cli';
import { consoleTable, markdown } from './eval/report';
import type { SetReport } from './eval/row';
import { evalHdfs100k, evalHdfsSample } from './eval/sets/hdfs';
import { evalLoghub } from './eval/sets/loghub';
import { evalNab } from './eval/sets/nab';
import { measureSpeed } from './eval/speed';

function commit(): string {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'scripts'], { cwd: REPO, encoding: 'utf8' }).trim();
    return dirty ? `${rev} (with uncommitted changes)` : rev;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const sets: SetReport[] = [];
  const steps: [string, () => Promise<SetReport>][] = [
    ['HDFS_v1 sample', evalHdfsSample],
    ['HDFS_100k', evalHdfs100k],
    ['BGL_2k', () => evalLoghub('BGL_2k')],
    ['Thunderbird_2k', () => evalLoghub('Thunderbird_2k')],
    ['NAB', evalNab],
  ];
  // --only NAME[,NAME]: a quick partial run; prints, does not rewrite docs/EVALUATION.md.
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? (process.argv[onlyAt + 1] ?? '').toLowerCase().split(',') : undefined;
  for (const [name, step] of steps) {
    if (only && !only.some((o) => name.toLowerCase().startsWith(o))) continue;
    const t = performance.now();
    process.stderr.write(`eval: ${name} …\n`);
    sets.push(await step());
    process.stderr.write(`eval: ${name} done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  if (only) {
    console.log(consoleTable(sets));
    return;
  }
  process.stderr.write('eval: engine speed …\n');
  const speed = [measureSpeed(), measureSpeed()].reduce((a, b) => (a.seconds <= b.seconds ? a : b));
  const seconds = (performance.now() - started) / 1000;
  const md = markdown(sets, {
    generated: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    commit: commit(),
    seconds,
    speed,
    history: readFileSync(resolve(REPO, 'scripts/eval/history.md'), 'utf8'),
  });
  writeFileSync(resolve(REPO, 'docs/EVALUATION.md'), md);
  console.log(consoleTable(sets));
  console.log(`engine speed: ${Math.round(speed.linesPerSecond)} lines/s (${speed.seconds.toFixed(2)} s for ${speed.lines} lines)`);
  console.log(`wrote docs/EVALUATION.md in ${seconds.toFixed(0)} s`);
}

main().catch((err: unknown) => {
  console.error(`eval: ${(err as Error).message}`);
  process.exitCode = 1;
});
