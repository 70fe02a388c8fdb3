import type { SourceKind } from '../../shared/case-types';
import { csvMetricsDecoder } from './csv-metrics';
import { jsonLinesDecoder, type JsonFieldOptions } from './json-lines';
import { parseJsonLine } from './json-reason';
import { mapOtlpRequest, OtlpShapeError } from './otlp-json';
import type { RawEvent, RecordDecoder } from './raw-event';
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

/** OTLP-JSON files: one export request per line. */
export function otlpJsonDecoder(): RecordDecoder {
  return {
    kind: 'otlp-json',
    decode(line: string): RawEvent[] | string {
      const json = parseJsonLine(line);
      if (json === null) return [];
      if (typeof json === 'string') return json;
      try {
        return mapOtlpRequest(json.value);
      } catch (err) {
        if (err instanceof OtlpShapeError) return `not an OTLP export request: ${err.message}`;
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
      throw new Error('otlp-http sources are written by the OTLP receiver, not read from files');
  }
}
