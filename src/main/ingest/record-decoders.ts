import type { SourceKind } from '../../shared/case-types';
import { csvMetricsDecoder } from './csv-metrics';
import { jsonLinesDecoder, type JsonFieldOptions } from './json-lines';
import { parseJsonLine } from './json-reason';
import { OtlpFormatError } from '../otlp/mapping/otlp-values';
import { mapOtlpJsonRequest } from '../otlp/otlp-codec';
import type { PartialLine, RawEvent, RecordDecoder } from './raw-event';
import { leadingTimestamp } from './timestamps';

/** Plain text: one event per line (empty lines included), timestamp from an ISO prefix. */
export function textDecoder(): RecordDecoder {
  return {
    kind: 'text',
    decode(line: string): RawEvent[] {
      const ts = leadingTimestamp(line);
      return [ts === undefined ? { text: line } : { text: line, timestamp: ts }];
    },
  };
}

/**
 * OTLP-JSON files: one export request per line, mapped by the OTLP
 * receiver's own mapping (src/main/otlp/mapping), so a record gives the same
 * events whether it arrives live or in a file carried across an air gap.
 */
export function otlpJsonDecoder(): RecordDecoder {
  return {
    kind: 'otlp-json',
    decode(line: string): RawEvent[] | string | PartialLine {
      const json = parseJsonLine(line);
      if (json === null) return [];
      if (typeof json === 'string') return json;
      try {
        const outcome = mapOtlpJsonRequest(json.value);
        if (outcome.rejected === 0) return outcome.events;
        return { events: outcome.events, problem: `${outcome.rejected} of ${outcome.records} record(s) refused: ${outcome.message}` };
      } catch (err) {
        if (err instanceof OtlpFormatError) return `not an OTLP export request: ${err.message}`;
        throw err;
      }
    },
  };
}

export function createRecordDecoder(kind: SourceKind, json: JsonFieldOptions = {}): RecordDecoder {
  switch (kind) {
    case 'text':
      return textDecoder();
    case 'jsonl':
      return jsonLinesDecoder(json);
    case 'otlp-json':
      return otlpJsonDecoder();
    case 'csv':
      return csvMetricsDecoder();
    case 'otlp-http':
    case 'otlp-grpc':
    case 'rest':
      throw new Error(`${kind} sources are written by driftlock serve, not read from files`);
  }
}
