/**
 * What the receiver hands on: events mapped from OTLP (or posted to
 * /v1/events), and the sink that makes them durable. The receiver answers a
 * client only after `append` resolves, so the sink decides what "accepted"
 * guarantees (the case-file sink resolves after the SQLite commit).
 */

/** A structured field value (nested OTLP values arrive as JSON text). */
export type FieldValue = string | number | boolean;

export type ReceivedEventKind = 'log' | 'span' | 'metric' | 'prompt' | 'completion' | 'event';

export interface ReceivedEvent {
  /** Stream key (DESIGN.md §3), e.g. `checkout/logs/error`, `gen_ai/openai/gpt-4o/prompt`. */
  stream: string;
  /**
   * Milliseconds since the Unix epoch: the source's time; the receiver fills
   * in the receive time when the source has none (a file import leaves it out).
   */
  timestamp?: number;
  /** Display text, before canonicalisation and redaction. */
  text: string;
  kind: ReceivedEventKind;
  /** The record's structured fields, flat: the record's attributes, then resource and OTLP fields (`otel.*`). */
  fields: Record<string, FieldValue>;
  /** The engine compresses the text as it is, not canonicalised: measurements, where the numbers are the signal. */
  verbatim?: boolean;
}

/** How a request arrived: names the live source its events are recorded under. */
export type Transport = 'otlp-http' | 'otlp-grpc' | 'rest';

/** One accepted request's events. */
export interface Submission {
  transport: Transport;
  events: readonly ReceivedEvent[];
  /** Decoded request body size. */
  bytes: number;
}

export interface EventSink {
  /**
   * Stores the submissions, in order, all or none; resolves once they are
   * durable, rejects when they are not (every client is told to retry).
   */
  append(submissions: readonly Submission[]): Promise<void>;
  close(): Promise<void>;
}
