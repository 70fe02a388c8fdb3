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
  /** Milliseconds since the Unix epoch (source time; receive time when the source has none). */
  timestamp: number;
  /** Display text, before canonicalisation and redaction. */
  text: string;
  kind: ReceivedEventKind;
  /** The record's structured fields, flat: the record's attributes, then resource and OTLP fields (`otel.*`). */
  fields: Record<string, FieldValue>;
}

export interface EventSink {
  /** Resolves once the events are durable; rejects when they are not (the client is told to retry). */
  append(events: readonly ReceivedEvent[]): Promise<void>;
  close(): Promise<void>;
}
