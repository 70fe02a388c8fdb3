import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** Every message of a pool protocol: a tag and the seq of the job it belongs to. */
export interface PoolMessage {
  type: string;
  seq: number;
}

/** Replies that end a job: `done` resolves it, `error` (data, not a throw) rejects it. */
type Terminal = { type: 'done'; seq: number } | { type: 'error'; seq: number; error: { name: string; message: string } };

export interface WorkerPoolOptions {
  /** The worker entry: a bundled .js, or a .ts run through the tsx bootstrap. */
  script: URL;
  /** Threads; default max(1, cores − 1). */
  size?: number;
  /** Names the pool in error messages. */
  name?: string;
  /** Heap limits per worker: a worker that exceeds them dies alone (and its job is retried), not the process. */
  resourceLimits?: ResourceLimits;
}

export interface JobHandlers<Reply> {
  /** Non-terminal replies (progress, partial results), in order. */
  onMessage?: (reply: Reply) => void;
  /** A worker died mid-job; the job starts again from scratch on a fresh worker. */
  onRetry?: (reason: string) => void;
}

/** Default pool size: leave one core to the main thread (UI, SQLite writer). */
export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** The job was cancelled through its AbortSignal. */
export class JobAbortedError extends Error {
  override name = 'AbortError';
}

interface Job<Req, Reply> {
  seq: number;
  attempt: number;
  start: (seq: number, attempt: number) => Req;
  followUps: Req[];
  handlers: JobHandlers<Reply>;
  resolve: (reply: Reply) => void;
  reject: (err: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  slot?: Slot;
}

interface Slot {
  worker: Worker;
  job?: Job<never, never>;
}

const bootstrap = new URL('./worker-bootstrap.mjs', import.meta.url);

/**
 * A pool of worker_threads speaking a tagged-union protocol: each job is a
 * start message plus optional follow-ups, replies are matched by seq, and
 * a job ends with `done` or `error`. A worker that crashes (uncaught error,
 * exit) is replaced and its job retried once from the start; a second crash
 * rejects the job. Aborting a running job terminates its worker (so a long
 * computation stops at once) and starts a fresh one.
 */
export class WorkerPool<Req extends PoolMessage, Reply extends PoolMessage> {
  private readonly slots: Slot[] = [];
  private readonly queue: Job<Req, Reply>[] = [];
  private nextSeq = 1;
  private closed = false;
  readonly size: number;

  constructor(private readonly options: WorkerPoolOptions) {
    this.size = options.size ?? defaultPoolSize();
    if (!Number.isInteger(this.size) || this.size < 1) throw new Error(`WorkerPool: size must be a positive integer, got ${this.size}`);
  }

  private spawn(): Slot {
    const script = this.options.script;
    const limits = this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {};
    const worker = script.pathname.endsWith('.ts')
      ? new Worker(bootstrap, { workerData: { entry: script.href }, ...limits })
      : new Worker(script, limits);
    const slot: Slot = { worker };
    worker.on('message', (msg: Reply) => this.onReply(slot, msg));
    worker.on('error', (err) => this.onCrash(slot, `${err.name}: ${err.message}`));
    worker.on('exit', (code) => this.onCrash(slot, `worker exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  /**
   * Queue a job.
   *
   * @param start builds the start message for (seq, attempt); called again when a crashed job is retried
   * @returns the job's seq, a way to send it follow-up messages, and its result
   */
  submit(
    start: (seq: number, attempt: number) => Req,
    handlers: JobHandlers<Reply> = {},
    signal?: AbortSignal,
  ): { seq: number; send: (msg: Req, replay?: boolean) => void; result: Promise<Reply> } {
    if (this.closed) throw new Error(`${this.options.name ?? 'worker pool'} is closed`);
    const seq = this.nextSeq++;
    let job!: Job<Req, Reply>;
    const result = new Promise<Reply>((resolve, reject) => {
      job = { seq, attempt: 0, start, followUps: [], handlers, resolve, reject, ...(signal ? { signal } : {}) };
    });
    if (signal?.aborted) {
      job.reject(new JobAbortedError(`job ${seq} cancelled`));
      return { seq, send: () => {}, result };
    }
    if (signal) {
      job.onAbort = () => this.abort(job);
      signal.addEventListener('abort', job.onAbort, { once: true });
    }
    this.queue.push(job);
    this.pump();
    return {
      seq,
      // Follow-ups are kept: a retried job needs them again. A job whose start
      // message is built from current state (a long-lived job) passes
      // replay = false, so they do not pile up.
      send: (msg: Req, replay = true) => {
        if (replay) job.followUps.push(msg);
        job.slot?.worker.postMessage(msg);
      },
      result,
    };
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      this.run(slot, this.queue.shift()!);
    }
  }

  private run(slot: Slot, job: Job<Req, Reply>): void {
    job.attempt++;
    job.slot = slot;
    slot.job = job as unknown as Job<never, never>;
    slot.worker.postMessage(job.start(job.seq, job.attempt));
    for (const m of job.followUps) slot.worker.postMessage(m);
  }

  private finish(job: Job<Req, Reply>): void {
    if (job.slot) job.slot.job = undefined;
    job.slot = undefined;
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
  }

  private onReply(slot: Slot, msg: Reply): void {
    const job = slot.job as unknown as Job<Req, Reply> | undefined;
    if (!job || msg.seq !== job.seq) return; // a late reply of an aborted job
    const t = msg as unknown as Terminal;
    if (t.type === 'done') {
      this.finish(job);
      job.resolve(msg);
      this.pump();
    } else if (t.type === 'error') {
      this.finish(job);
      const err = new Error(t.error.message);
      err.name = t.error.name;
      job.reject(err);
      this.pump();
    } else {
      job.handlers.onMessage?.(msg);
    }
  }

  private onCrash(slot: Slot, reason: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return; // already handled (error then exit)
    this.slots.splice(i, 1);
    void slot.worker.terminate();
    const job = slot.job as unknown as Job<Req, Reply> | undefined;
    slot.job = undefined;
    if (job) {
      job.slot = undefined;
      if (job.attempt < 2 && !this.closed) {
        job.handlers.onRetry?.(reason);
        this.queue.unshift(job);
      } else {
        this.finish(job);
        job.reject(new Error(`${this.options.name ?? 'worker'} job ${job.seq} failed twice: ${reason}`));
      }
    }
    if (!this.closed) this.pump();
  }

  private abort(job: Job<Req, Reply>): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = job.slot;
    this.finish(job);
    job.reject(new JobAbortedError(`job ${job.seq} cancelled`));
    if (slot) {
      // Stop the computation now; the slot is replaced by a fresh worker on demand.
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      void slot.worker.terminate();
      this.pump();
    }
  }

  /** Reject queued jobs, terminate every worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error(`${this.options.name ?? 'worker pool'} closed`));
    const slots = this.slots.splice(0);
    await Promise.all(
      slots.map((s) => {
        const job = s.job as unknown as Job<Req, Reply> | undefined;
        if (job) {
          this.finish(job);
          job.reject(new Error(`${this.options.name ?? 'worker pool'} closed`));
        }
        return s.worker.terminate();
      }),
    );
  }
}
