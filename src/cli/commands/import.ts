import { DEFAULT_PARAMS, PROFILE_NAMES, type AnalysisParams } from '../../core';
import { createAnalysisPool } from '../../main/analysis';
import { importAndAnalyse, type FileResult } from '../../main/analysis/import-and-analyse';
import type { ImportProgress } from '../../main/ingest/import-file';
import { OptionError } from '../../main/ingest/option-error';
import { resolvePolicy } from '../../main/ingest/redaction';
import { parseStreamRule } from '../../main/ingest/stream-rules';
import { CaseStore } from '../../main/store';
import { FILE_SOURCE_KINDS, type SourceKind } from '../../shared/case-types';
import { cliActor } from '../cli-actor';
import { enumOption, intOption, parseCommandLine, UsageError } from '../usage-error';
import type { Io } from './analyze';

export const IMPORT_USAGE = `driftlock import <file...> --db PATH [--redact default|strict|none|POLICY.json]
    [--stream-rule 'REGEX=>STREAM']... [--format auto|text|jsonl|otlp-json|csv]
    [--message-field NAME] [--time-field NAME] [--no-analyze] [--workers N]
    [--profile sensitive|balanced|strict] [--permutations N] [--seed N]`;

const PROBLEMS_SHOWN = 20;
const PROGRESS_EVERY_MS = 2000;

const n = (x: number): string => x.toLocaleString('en-US');

function parse(args: string[]) {
  const parsed = parseCommandLine(args, {
    db: { type: 'string' },
    redact: { type: 'string' },
    'stream-rule': { type: 'string', multiple: true },
    format: { type: 'string' },
    'message-field': { type: 'string' },
    'time-field': { type: 'string' },
    'no-analyze': { type: 'boolean' },
    workers: { type: 'string' },
    profile: { type: 'string' },
    permutations: { type: 'string' },
    seed: { type: 'string' },
    'batch-size': { type: 'string' },
  });
  const v = parsed.values;
  if (parsed.positionals.length === 0) throw new UsageError('import needs at least one input file');
  if (!v.db) throw new UsageError('import needs --db PATH (the case file; created when missing)');
  const format = enumOption('format', v.format, ['auto', ...FILE_SOURCE_KINDS] as const, 'auto');
  let streamRules;
  try {
    streamRules = (v['stream-rule'] ?? []).map(parseStreamRule);
  } catch (err) {
    if (err instanceof OptionError) throw new UsageError(err.message);
    throw err;
  }
  const params: AnalysisParams = {
    ...DEFAULT_PARAMS,
    profile: enumOption('profile', v.profile, PROFILE_NAMES, DEFAULT_PARAMS.profile),
    permutations: intOption('permutations', v.permutations, DEFAULT_PARAMS.permutations),
    seed: intOption('seed', v.seed, DEFAULT_PARAMS.seed),
  };
  if (params.seed > 0xffffffff) throw new UsageError(`--seed must be below 2^32, got ${params.seed}`);
  return {
    files: parsed.positionals,
    db: v.db,
    redaction: resolvePolicy(v.redact ?? 'default'),
    streamRules,
    format: format === 'auto' ? undefined : (format as SourceKind),
    json: { ...(v['message-field'] ? { messageField: v['message-field'] } : {}), ...(v['time-field'] ? { timestampField: v['time-field'] } : {}) },
    analyze: !v['no-analyze'],
    workers: v.workers === undefined ? undefined : intOption('workers', v.workers, 1, 1),
    batchSize: intOption('batch-size', v['batch-size'], 5000, 1),
    params,
  };
}

function describeFile(r: FileResult, io: Io): boolean {
  if ('error' in r) {
    io.err(`${r.file}: ${r.error.message.startsWith(r.file) ? r.error.message.slice(r.file.length + 2) : r.error.message}`);
    return false;
  }
  const { summary: s } = r;
  const src = s.source;
  if (s.outcome === 'already-imported') {
    io.err(`${r.file}: already imported (sha256 ${src.sha256.slice(0, 12)}…, source #${src.id}, ${n(src.events)} events); nothing added`);
    return true;
  }
  const rate = s.seconds > 0 ? ` (${n(Math.round(s.eventsAdded / s.seconds))} events/s)` : '';
  const redacted = Object.entries(src.redactionCounts)
    .map(([k, c]) => `${k} ${n(c)}`)
    .join(', ');
  io.err(
    `${r.file}: ${s.outcome === 'resumed' ? 'resumed, ' : ''}${n(src.events)} events from ${n(src.linesDone)} lines ` +
      `[${src.kind}${src.compression !== 'none' ? `, ${src.compression}` : ''}] in ${s.seconds.toFixed(1)} s${rate}; ` +
      `${n(src.problems)} problem line(s)${src.dropped ? `; ${n(src.dropped)} event(s) dropped by redaction` : ''}; ` +
      `redaction ${src.redactionPolicy.name}${redacted ? `: ${redacted}` : ''}`,
  );
  for (const p of s.problems.slice(0, PROBLEMS_SHOWN)) io.err(`  ${r.file}:${p.line}: ${p.reason}`);
  if (src.problems > PROBLEMS_SHOWN) io.err(`  … and ${n(src.problems - PROBLEMS_SHOWN)} more (kept in the case, source #${src.id})`);
  return true;
}

export async function runImport(args: string[], io: Io): Promise<number> {
  const opts = parse(args);
  const store = CaseStore.open(opts.db, { create: true });
  const pool = opts.analyze ? createAnalysisPool(opts.workers) : null;
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  let analysed = 0;
  let lastLine = 0;
  const showProgress = (p: ImportProgress): void => {
    const now = performance.now();
    if (now - lastLine < PROGRESS_EVERY_MS) return;
    lastLine = now;
    const seconds = p.elapsedMs / 1000;
    const mbs = p.bytesRead / 1e6 / Math.max(seconds, 1e-3);
    const left = p.size > p.bytesRead && mbs > 0 ? Math.round((p.size - p.bytesRead) / 1e6 / mbs) : 0;
    const pct = p.size > 0 ? Math.min(100, Math.floor((100 * p.bytesRead) / p.size)) : 100;
    io.err(
      `import ${p.path}: ${n(p.lines)} lines, ${mbs.toFixed(1)} MB/s, ${pct}%, ETA ${left} s` +
        (opts.analyze ? `; analysed ${n(analysed)} events` : ''),
    );
  };
  let failed = false;
  try {
    if (store.discardedAnalyses.length > 0) {
      io.err(`${opts.db}: discarded interrupted analysis ${store.discardedAnalyses.map((id) => `#${id}`).join(', ')}; its streams are analysed again`);
    }
    const started = performance.now();
    const result = await importAndAnalyse(store, pool, opts.files, {
      import: {
        redaction: opts.redaction,
        streamRules: opts.streamRules,
        json: opts.json,
        batchSize: opts.batchSize,
        ...(opts.format ? { format: opts.format } : {}),
        onProgress: showProgress,
      },
      params: opts.analyze ? opts.params : null,
      signal: controller.signal,
      actor: cliActor(),
      onFile: (r) => {
        if (!describeFile(r, io)) failed = true;
      },
      onAnalysisProgress: (p) => (analysed = p.events),
    });
    const a = result.analysis;
    if (a) {
      io.err(
        `analysis #${a.analysisId}: ${n(a.streams)} stream(s), ${n(a.events)} events, ${n(a.windows)} windows, ` +
          `${n(a.anomalies)} anomalous (profile ${opts.params.profile}, ${opts.params.permutations} permutations, seed ${opts.params.seed}); ` +
          `total ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      for (const note of a.notes) io.err(`  ${note.stream}: ${note.note}`);
    } else if (opts.analyze) {
      io.err('nothing new to analyse');
    }
  } catch (err) {
    if ((err as Error).name === 'AbortError') {
      io.err('interrupted: committed batches are kept; run the same import again to continue');
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    await pool?.close();
    store.close();
  }
  return failed ? 2 : 0;
}
