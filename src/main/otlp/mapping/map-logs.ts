import type { FieldValue } from '../event-sink';
import { genAiFields, genAiIdentity, messagesInEvent, type GenAiMessage } from './genai';
import type { MapOutcome } from './map-outcome';
import { readAnyValue, readEnum, readId, readInt64, readKeyValues, readNanosAsMs, readString, type Attributes, type PlainValue } from './otlp-values';
import { addFields, valueText, withAttributes } from './render';
import { genAiStream, logStream, severityBand } from './stream-key';
import { forEachScopeItem, type ScopeContext } from './walk-resources';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
/** SeverityNumber enum names, index = number (OTLP/JSON may send names). */
export const SEVERITY_NAMES: readonly string[] = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...LEVELS.flatMap((l) => ['', '2', '3', '4'].map((n) => `SEVERITY_NUMBER_${l}${n}`)),
];

/** Short severity text from the number, when the record has no text of its own. */
function severityLabel(n: number): string {
  return n >= 1 && n <= 24 ? LEVELS[Math.floor((n - 1) / 4)]! : '';
}

/** Walks an ExportLogsServiceRequest (decoded protobuf or parsed OTLP/JSON) into events. */
export function mapLogs(request: Record<string, unknown>, out: MapOutcome): void {
  forEachScopeItem(request, ['resourceLogs', 'scopeLogs', 'logRecords'], out, (rec, path, ctx) => {
    out.records++;
    if (rec) mapLogRecord(rec, path, ctx, out);
  });
}

/** Resource fields, scope and ids: what places a record. */
function recordMeta(fields: Record<string, FieldValue>, ctx: ScopeContext, traceId: string, spanId: string, eventName: string): Record<string, FieldValue> {
  for (const k in ctx.resFields) fields[k] = ctx.resFields[k]!;
  if (ctx.scopeName) fields['otel.scope'] = ctx.scopeName;
  if (traceId) fields['otel.trace_id'] = traceId;
  if (spanId) fields['otel.span_id'] = spanId;
  if (eventName) fields['otel.event_name'] = eventName;
  return fields;
}

/**
 * A log record's values, read from either encoding (the walker below for
 * decoded objects, map-logs-protobuf.ts straight from the wire): one builder
 * then makes the event, so the two readers cannot disagree on it.
 */
export interface LogRecordValues {
  /** ms since the epoch; 0 when absent. */
  time: number;
  observed: number;
  severityNumber: number;
  severityText: string;
  body: PlainValue;
  attrs: Attributes;
  traceId: string;
  spanId: string;
  /** The record's own event_name field ('' when absent). */
  eventName: string;
}

function mapLogRecord(rec: Record<string, unknown>, path: string, ctx: ScopeContext, out: MapOutcome): void {
  const time = readNanosAsMs(rec.timeUnixNano, `${path}.timeUnixNano`);
  const observed = readNanosAsMs(rec.observedTimeUnixNano, `${path}.observedTimeUnixNano`);
  const severityNumber = readEnum(rec.severityNumber, `${path}.severityNumber`, SEVERITY_NAMES);
  const severityText = readString(rec.severityText, `${path}.severityText`);
  const body = readAnyValue(rec.body, `${path}.body`, out);
  const attrs = readKeyValues(rec.attributes, `${path}.attributes`, out);
  readInt64(rec.droppedAttributesCount, `${path}.droppedAttributesCount`, true);
  readInt64(rec.flags, `${path}.flags`, true);
  const traceId = readId(rec.traceId, `${path}.traceId`, 16);
  const spanId = readId(rec.spanId, `${path}.spanId`, 8);
  const eventName = readString(rec.eventName, `${path}.eventName`);
  pushLogRecord({ time, observed, severityNumber, severityText, body, attrs, traceId, spanId, eventName }, ctx, out);
}

/** The event (or GenAI events) of one log record. */
export function pushLogRecord(v: LogRecordValues, ctx: ScopeContext, out: MapOutcome): void {
  const { severityNumber, severityText, body, attrs, traceId, spanId } = v;
  const eventNameAttr = attrs['event.name'];
  const eventName = v.eventName || (typeof eventNameAttr === 'string' ? eventNameAttr : '');
  const timestamp = v.time || v.observed || out.receivedAt;

  const messages = eventName.startsWith('gen_ai.') ? messagesInEvent(eventName, body, attrs) : undefined;
  if (messages && messages.length > 0) {
    pushGenAi(messages, timestamp, attrs, ctx, recordMeta({}, ctx, traceId, spanId, eventName), out);
    return;
  }
  const band = severityBand(severityNumber, severityText);
  const label = severityText || severityLabel(severityNumber);
  let head = label;
  if (eventName) head += head === '' ? `[${eventName}]` : ` [${eventName}]`;
  const bodyText = valueText(body);
  if (bodyText !== '') head += head === '' ? bodyText : ` ${bodyText}`;
  const fields: Record<string, FieldValue> = {};
  addFields(fields, attrs);
  recordMeta(fields, ctx, traceId, spanId, eventName);
  if (severityNumber) fields['otel.severity_number'] = severityNumber;
  if (severityText) fields['otel.severity_text'] = severityText;
  if (body !== null && typeof body === 'object') fields['otel.body'] = JSON.stringify(body);
  out.events.push({
    stream: logStream(ctx.service, band),
    timestamp,
    text: withAttributes(head, attrs),
    kind: 'log',
    fields,
  });
}

/** One prompt/completion event per message, on its model's streams. */
export function pushGenAi(
  messages: readonly GenAiMessage[],
  timestamp: number | undefined,
  attrs: Attributes,
  ctx: { service: string; resAttrs: Attributes },
  meta: Record<string, FieldValue>,
  out: MapOutcome,
): void {
  const { provider, model } = genAiIdentity(attrs, ctx.resAttrs);
  const call = genAiFields(attrs);
  for (const m of messages) {
    out.events.push({
      stream: genAiStream(provider, model, m.direction),
      timestamp,
      text: `${m.role}: ${m.text}`,
      kind: m.direction,
      fields: {
        ...meta,
        ...call,
        'service.name': ctx.service,
        'gen_ai.provider.name': provider,
        'gen_ai.request.model': model,
        'gen_ai.role': m.role,
      },
    });
  }
}
