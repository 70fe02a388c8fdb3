import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Compression, SourceKind, SourceProblem, SourceRow } from '../../shared/case-types';
import type { RedactionCounts, RedactionPolicy } from '../../shared/redaction-policy';
import type { CaseStore, NewEvent, StreamCommit } from '../store';
import { createDecoder, detectCompression } from './decompress';
import { detectFormat } from './detect-format';
import { sha256File } from './file-hash';
import type { JsonFieldOptions } from './json-lines';
import { InputError, LINE_INVALID_UTF8, LINE_TRUNCATED, LineSplitter, sniff } from './line-reader';
import type { RecordDecoder } from './raw-event';
import { createRecordDecoder } from './record-decoders';
import { Redactor } from './redaction';
import { streamNameForFile } from './stream-name';
import { prepareEvent } from './prepare-event';
import type { StreamRule } from './stream-rules';

export interface ImportOptions {
  redaction: RedactionPolicy;
  /** User stream rules, tried before the format's own stream assignment. */
  streamRules?: readonly StreamRule[];
  json?: JsonFieldOptions;
  /** Skip format detection. */
  format?: SourceKind;
  /** Events per transaction. */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** After each committed batch: the streams it grew (an analysis can follow them). */
  onCommit?: (commits: StreamCommit[]) => void;
}

export interface ImportProgress {
  path: string;
  /** Bytes of the file read so far (compressed bytes for archives). */
  bytesRead: number;
  size: number;
  lines: number;
  events: number;
  elapsedMs: number;
}

export type ImportOutcome = 'imported' | 'resumed' | 'already-imported';

export interface ImportSummary {
  path: string;
  outcome: ImportOutcome;
  source: SourceRow;
  /** Events added by this run (0 when already imported). */
  eventsAdded: number;
  /** Problems found by this run, first ones (all are stored on the source). */
  problems: SourceProblem[];
  seconds: number;
}

/** Lines kept in memory for the summary; the case keeps up to MAX_STORED_PROBLEMS. */
const SUMMARY_PROBLEMS = 1000;
const SAMPLE_BYTES = 64 << 10;
const PROGRESS_EVERY_MS = 500;

/** Longest line kept whole per format; OTLP export requests can be large. */
const MAX_LINE_BYTES: Record<SourceKind, number> = {
  text: 1 << 20,
  csv: 1 << 20,
  jsonl: 16 << 20,
  'otlp-json': 256 << 20,
  'otlp-http': 256 << 20,
  'otlp-grpc': 256 << 20,
  rest: 256 << 20,
};

async function statFile(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new InputError(path, s.isDirectory() ? 'is a directory' : 'is not a regular file');
    return s.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(path, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message);
  }
}

/**
 * Import one file into the case: read → decompress → split lines → decode
 * records → redact → canonicalise → insert, one transaction per batch with
 * the source's progress, so memory stays bounded and a killed import
 * resumes where its last batch committed. A file whose sha256 is already a
 * complete source is not read again.
 *
 * Malformed records, invalid UTF-8 and a truncated archive do not stop the
 * import: the good records are stored and each problem is recorded with its
 * line number.
 */
export async function importFile(store: CaseStore, file: string, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const path = resolve(file);
  const size = await statFile(path);
  const sha256 = await sha256File(path);
  const existing = store.sources.bySha256(sha256);
  if (existing?.status === 'complete') {
    return { path, outcome: 'already-imported', source: existing, eventsAdded: 0, problems: [], seconds: (performance.now() - started) / 1000 };
  }
  const head = await sniff(path);
  const compression: Compression = existing?.compression ?? detectCompression(head);
  const run = new ImportRun(store, path, size, sha256, compression, existing, options);
  await run.execute();
  const source = store.sources.get(run.sourceId);
  return {
    path,
    outcome: existing ? 'resumed' : 'imported',
    source,
    eventsAdded: run.eventsAdded,
    problems: run.problems,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The state of one import while it runs. */
class ImportRun {
  sourceId = 0;
  eventsAdded = 0;
  readonly problems: SourceProblem[] = [];
  private decoder: RecordDecoder | undefined;
  private splitter: LineSplitter | undefined;
  private redactor: Redactor | undefined;
  private defaultStream = '';
  private sample: Buffer[] = [];
  private sampleBytes = 0;
  private batch: NewEvent[] = [];
  private batchProblems: Omit<SourceProblem, 'sourceId'>[] = [];
  private batchDropped = 0;
  private lastLine = 0;
  private lastBytes = 0;
  private bytesRead = 0;
  private lastProgress = 0;
  private readonly started = performance.now();
  private readonly batchSize: number;

  constructor(
    private readonly store: CaseStore,
    private readonly path: string,
    private readonly size: number,
    private readonly sha256: string,
    private readonly compression: Compression,
    private readonly existing: SourceRow | undefined,
    private readonly options: ImportOptions,
  ) {
    this.batchSize = options.batchSize ?? 5000;
    if (existing) {
      this.sourceId = existing.id;
      this.lastLine = existing.linesDone;
      this.lastBytes = existing.bytesDone;
    }
  }

  async execute(): Promise<void> {
    const raw = createReadStream(this.path, { highWaterMark: 1 << 20 });
    let rawError: Error | undefined;
    raw.on('error', (err) => (rawError = err));
    raw.on('data', (chunk) => (this.bytesRead += chunk.length));
    const decoder = createDecoder(this.compression);
    const sink = new Writable({
      highWaterMark: 1 << 20,
      write: (chunk: Buffer, _enc, done) => {
        try {
          this.consume(chunk);
          done();
        } catch (err) {
          done(err as Error);
        }
      },
      final: (done) => {
        try {
          this.begin();
          done();
        } catch (err) {
          done(err as Error);
        }
      },
    });
    const stages = decoder ? [raw, decoder, sink] : [raw, sink];
    let endReason: string | undefined;
    try {
      await (pipeline as (...s: unknown[]) => Promise<void>)(...stages, ...(this.options.signal ? [{ signal: this.options.signal }] : []));
    } catch (err) {
      if ((err as Error).name === 'AbortError' || rawError || !decoder || err instanceof InputError || !this.isDecodeError(err)) {
        // Keep what is complete; the source stays `importing` and a re-run resumes.
        if (this.splitter && (err as Error).name === 'AbortError') this.commit(false);
        if (rawError) throw new InputError(this.path, `read failed: ${rawError.message}`);
        throw err;
      }
      endReason = (err as Error).message;
    }
    this.begin();
    const splitter = this.splitter!;
    if (endReason !== undefined) {
      const partial = splitter.end(true);
      this.problem(partial ? splitter.lines : splitter.lines + 1, `input ends early (${this.compression}: ${endReason}); ${partial ? 'this incomplete line was skipped' : 'nothing after this point'}`);
    } else {
      splitter.end(false);
    }
    this.commit(true);
  }

  private isDecodeError(err: unknown): boolean {
    // Errors raised by decompressors (zlib codes, zstd, lz4) describe the file's bytes.
    const e = err as NodeJS.ErrnoException;
    return typeof e.code === 'string' ? e.code.startsWith('Z_') : /zstd|lz4|compressed|frame|truncated/i.test(e.message ?? '');
  }

  /** Decoded bytes arrive: hold a sample until the format is known, then split. */
  private consume(chunk: Buffer): void {
    if (!this.splitter) {
      this.sample.push(chunk);
      this.sampleBytes += chunk.length;
      if (this.sampleBytes < SAMPLE_BYTES) return;
      this.begin();
      return;
    }
    this.splitter.push(chunk);
    this.progress(false);
  }

  /** Detect the format (from the sample), create or resume the source, and split the sample. */
  private begin(): void {
    if (this.splitter) return;
    const sample = Buffer.concat(this.sample);
    this.sample = [];
    const kind =
      this.existing?.kind ?? this.options.format ?? detectFormat(sample.subarray(0, SAMPLE_BYTES).toString('utf8'), this.path);
    if (this.existing) {
      this.defaultStream = this.existing.defaultStream;
    } else {
      const source = this.store.transaction(() =>
        this.store.sources.create(
          {
            path: this.path,
            sha256: this.sha256,
            kind,
            compression: this.compression,
            size: this.size,
            defaultStream: this.store.sources.defaultStreamFor(this.path, (taken) => streamNameForFile(this.path, taken)),
            redactionPolicy: this.options.redaction,
          },
          this.store.now(),
        ),
      );
      this.sourceId = source.id;
      this.defaultStream = source.defaultStream;
    }
    const policy = this.existing?.redactionPolicy ?? this.options.redaction;
    this.redactor = new Redactor(policy, this.store.settings.hmacKey(), this.existing?.redactionCounts ?? {});
    this.decoder = createRecordDecoder(kind, this.options.json);
    this.splitter = new LineSplitter((text, lineNo, flags, bytes) => this.line(text, lineNo, flags, bytes), {
      maxLineBytes: MAX_LINE_BYTES[kind],
      skipThrough: this.existing?.linesDone ?? 0,
    });
    if (sample.length > 0) this.splitter.push(sample);
  }

  private problem(line: number, reason: string): void {
    this.batchProblems.push({ line, reason });
    if (this.problems.length < SUMMARY_PROBLEMS) this.problems.push({ sourceId: this.sourceId, line, reason });
  }

  private line(text: string, lineNo: number, flags: number, bytesThrough: number): void {
    if (flags & LINE_TRUNCATED) this.problem(lineNo, `line longer than ${MAX_LINE_BYTES[this.decoder!.kind]} bytes; the rest was cut`);
    if (flags & LINE_INVALID_UTF8) this.problem(lineNo, 'invalid UTF-8; the bad bytes were replaced with U+FFFD');
    const result = this.decoder!.decode(text);
    if (typeof result === 'string') {
      this.problem(lineNo, result);
    } else {
      const events = Array.isArray(result) ? result : result.events;
      if (!Array.isArray(result)) this.problem(lineNo, result.problem);
      const origin = { sourceId: this.sourceId, line: lineNo, defaultStream: this.defaultStream, streamRules: this.options.streamRules };
      for (const raw of events) {
        const event = prepareEvent(raw, this.redactor!, origin);
        if (event) this.batch.push(event);
        else this.batchDropped++;
      }
    }
    this.lastLine = lineNo;
    this.lastBytes = bytesThrough;
    if (this.batch.length >= this.batchSize) {
      this.commit(false);
      // Stop between batches, not only between reads: one read can hold many batches.
      this.options.signal?.throwIfAborted();
    }
  }

  /** Commit the pending batch with the source's progress (and completion) in one transaction. */
  private commit(complete: boolean): void {
    const events = this.batch;
    const progress = {
      linesDone: this.lastLine,
      bytesDone: this.lastBytes,
      eventsAdded: events.length,
      droppedAdded: this.batchDropped,
      problems: this.batchProblems,
      redactionCounts: this.redactor ? { ...this.redactor.counts } : ({} as RedactionCounts),
    };
    const commits = this.store.transaction(() => {
      const c = this.store.events.append(events);
      this.store.sources.recordProgress(this.sourceId, progress);
      if (complete) this.store.sources.complete(this.sourceId, this.store.now());
      return c;
    });
    this.eventsAdded += events.length;
    this.batch = [];
    this.batchProblems = [];
    this.batchDropped = 0;
    if (commits.length > 0) this.options.onCommit?.(commits);
    this.progress(complete);
  }

  private progress(force: boolean): void {
    if (!this.options.onProgress) return;
    const now = performance.now();
    if (!force && now - this.lastProgress < PROGRESS_EVERY_MS) return;
    this.lastProgress = now;
    this.options.onProgress({
      path: this.path,
      bytesRead: this.bytesRead,
      size: this.size,
      lines: this.splitter?.lines ?? 0,
      events: this.eventsAdded + this.batch.length,
      elapsedMs: now - this.started,
    });
  }
}
