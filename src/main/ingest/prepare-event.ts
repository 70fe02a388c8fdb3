import { canonicalize } from '../../core';
import type { NewEvent } from '../store';
import type { RawEvent } from './raw-event';
import type { Redactor } from './redaction';
import { streamFromRules, type StreamRule } from './stream-rules';

/**
 * A pseudonym as the redactor writes it: `<KIND:twelveletters>`. The stored
 * text keeps it (the analyst sees that two events name the same person);
 * the engine's text keeps only `<KIND>`, because the letters depend on the
 * case's secret key: with them, the same file analysed in two cases would
 * give different results.
 */
const PSEUDONYM = /<([A-Z][A-Z0-9_]*):[a-z]{12}>/g;

/** Where a prepared event belongs. */
export interface EventOrigin {
  sourceId: number;
  /** Line of a file, or export request of a live source (1-based). */
  line: number;
  /** Stream of records whose format names none. */
  defaultStream: string;
  /** User stream rules, tried before the record's own stream. */
  streamRules?: readonly StreamRule[] | undefined;
}

/**
 * The door every event passes before it is stored, from a file or from the
 * OTLP receiver alike: the text and the structured fields are redacted under
 * the source's policy, then the engine's text loses the key-dependent part
 * of pseudonyms, is canonicalised (unless the record is a measurement kept
 * verbatim) and prefixed.
 *
 * @returns the event for EventsRepo.append, or null when a `drop` rule
 *   matched (the caller counts it on the source)
 */
export function prepareEvent(raw: RawEvent, redactor: Redactor, origin: EventOrigin): NewEvent | null {
  const original = redactor.redactText(raw.text);
  if (original === null) return null;
  const fields = raw.fields ? redactor.redactFields(raw.fields) : null;
  if (raw.fields && fields === null) return null;
  const keyFree = original.includes(':') ? original.replace(PSEUDONYM, '<$1>') : original;
  const engineText = raw.verbatim ? keyFree : canonicalize(keyFree);
  return {
    stream: (origin.streamRules?.length ? streamFromRules(origin.streamRules, original) : undefined) ?? raw.stream ?? origin.defaultStream,
    sourceId: origin.sourceId,
    line: origin.line,
    timestamp: raw.timestamp ?? null,
    canonical: raw.prefix ? `${raw.prefix} ${engineText}` : engineText,
    original,
    fields,
  };
}
