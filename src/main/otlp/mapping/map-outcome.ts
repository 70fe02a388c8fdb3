import type { ReceivedEvent } from '../event-sink';
import type { ValueNotes } from './otlp-values';

const MAX_MESSAGES = 5;

/**
 * What mapping one export request produced: the events, how many records
 * (log records, spans, data points) it held, and the ones refused with why.
 * Refusals and warnings become the response's `partial_success`.
 */
export class MapOutcome implements ValueNotes {
  readonly events: ReceivedEvent[] = [];
  records = 0;
  rejected = 0;
  private readonly notes: string[] = [];
  private dropped = 0;

  /** @param receivedAt time given to records without their own; undefined leaves them without (file import) */
  constructor(readonly receivedAt: number | undefined) {}

  /** A record refused for a reason that does not spoil the rest of the request. */
  reject(path: string, reason: string): void {
    this.rejected++;
    this.note(`${path}: ${reason}`);
  }

  warn(message: string): void {
    this.note(message);
  }

  private note(message: string): void {
    if (this.notes.length < MAX_MESSAGES) this.notes.push(message);
    else this.dropped++;
  }

  /** The partial-success error message ('' when all is well). */
  get message(): string {
    if (this.notes.length === 0) return '';
    const more = this.dropped > 0 ? `; and ${this.dropped} more` : '';
    return `${this.notes.join('; ')}${more}`;
  }
}
