import type { EventSink, Submission } from './event-sink';

/** The queue is full: the client must retry after `retryAfterSeconds` (HTTP 429 / gRPC RESOURCE_EXHAUSTED). */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`ingest queue is full; retry after ${retryAfterSeconds} s`);
    this.name = 'QueueFullError';
  }
}

/** The receiver is shutting down and takes no more data (HTTP 503 / gRPC UNAVAILABLE). */
export class QueueClosedError extends Error {
  constructor() {
    super('server is shutting down; not accepting data');
    this.name = 'QueueClosedError';
  }
}

interface Waiting {
  submission: Submission;
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface IngestQueueOptions {
  /** Events held (accepted, not yet durable) before new submissions are refused. */
  maxEvents: number;
  /** Events handed to the sink in one append (one transaction). */
  maxBatchEvents: number;
}

export const DEFAULT_QUEUE_OPTIONS: IngestQueueOptions = { maxEvents: 100_000, maxBatchEvents: 20_000 };

/**
 * The bounded queue between the receivers and the sink. A submission is
 * accepted whole or refused whole (never dropped in part); its promise
 * resolves once the sink has made it durable, so the client's success
 * response means "stored". Submissions waiting together are appended in one
 * sink call (group commit): many small exports cost one transaction.
 */
export class IngestQueue {
  private readonly waiting: Waiting[] = [];
  private held = 0;
  private writing = false;
  private closed = false;
  private idle: (() => void)[] = [];
  /** Events per second the sink has been absorbing (moving average), for Retry-After. */
  private rate = 0;
  private written = 0;

  constructor(
    private readonly sink: EventSink,
    private readonly options: IngestQueueOptions = DEFAULT_QUEUE_OPTIONS,
  ) {}

  /** Events accepted and not yet durable. */
  get depth(): number {
    return this.held;
  }

  get capacity(): number {
    return this.options.maxEvents;
  }

  /** Events made durable since start. */
  get stored(): number {
    return this.written;
  }

  /**
   * Seconds a refused client should wait: the time to drain what is held at
   * the observed rate, at least 1 (Retry-After has whole seconds), at most 5
   * (an OTel SDK gives up when the wait exceeds its export timeout, 10 s).
   */
  retryAfterSeconds(): number {
    if (this.rate <= 0) return 1;
    return Math.min(5, Math.max(1, Math.ceil(this.held / this.rate)));
  }

  /** Accepts a request's events or throws QueueFullError / QueueClosedError; resolves once durable. */
  submit(submission: Submission): Promise<void> {
    const { events } = submission;
    if (this.closed) return Promise.reject(new QueueClosedError());
    if (events.length === 0) return Promise.resolve();
    // An oversized submission is still taken into an empty queue, or it could never get in.
    if (this.held > 0 && this.held + events.length > this.options.maxEvents) {
      return Promise.reject(new QueueFullError(this.retryAfterSeconds()));
    }
    this.held += events.length;
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ submission, resolve, reject });
      if (!this.writing) void this.writeLoop();
    });
  }

  private async writeLoop(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const batch: Waiting[] = [];
        let count = 0;
        while (this.waiting.length > 0 && (batch.length === 0 || count + this.waiting[0]!.submission.events.length <= this.options.maxBatchEvents)) {
          const w = this.waiting.shift()!;
          batch.push(w);
          count += w.submission.events.length;
        }
        const started = performance.now();
        try {
          await this.sink.append(batch.map((w) => w.submission));
          this.written += count;
          const seconds = Math.max((performance.now() - started) / 1000, 1e-3);
          const r = count / seconds;
          this.rate = this.rate === 0 ? r : 0.8 * this.rate + 0.2 * r;
          for (const s of batch) s.resolve();
        } catch (err) {
          for (const s of batch) s.reject(err instanceof Error ? err : new Error(String(err)));
        } finally {
          this.held -= count;
        }
      }
    } finally {
      this.writing = false;
      const done = this.idle;
      this.idle = [];
      for (const f of done) f();
    }
  }

  /** Stops accepting and resolves once everything accepted is durable (or refused by the sink). */
  async drain(): Promise<void> {
    this.closed = true;
    if (!this.writing && this.waiting.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }
}
