import type { SourceKind } from '../../shared/case-types';

/** An event as a decoder reads it, before redaction and canonicalisation. */
export interface RawEvent {
  /** Stream key; absent = the source's default (its path). */
  stream?: string;
  /** What people read. */
  text: string;
  timestamp?: number;
  fields?: Record<string, unknown>;
  /** A word the engine sees before the text (a severity), not shown as part of it. */
  prefix?: string;
  /**
   * The engine gets the (redacted) text as is, not canonicalised: numeric
   * series, where the numbers are the signal.
   */
  verbatim?: boolean;
}

/** A line whose events were read, except some it had to refuse (the reason says which). */
export interface PartialLine {
  events: RawEvent[];
  problem: string;
}

/** Turns one input line into events, or says why it cannot. */
export interface RecordDecoder {
  kind: SourceKind;
  /** @returns the line's events (possibly none), the reason it was skipped, or events with a problem */
  decode(line: string): RawEvent[] | string | PartialLine;
}
