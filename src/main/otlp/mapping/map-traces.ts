import type { FieldValue } from '../event-sink';
import { isGenAi, isGenAiContentKey, messagesInAttributes, messagesInEvent, type GenAiMessage } from './genai';
import { pushGenAi } from './map-logs';
import type { MapOutcome } from './map-outcome';
import { readArray, readEnum, readId, readInt64, readKeyValues, readNanos, readNanosAsMs, readObject, readString, type Attributes } from './otlp-values';
import { addFields, valueText, withAttributes } from './render';
import { spanStream } from './stream-key';
import { forEachScopeItem, type ScopeContext } from './walk-resources';

export const SPAN_KIND_NAMES: readonly string[] = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
export const STATUS_CODE_NAMES: readonly string[] = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const KIND_LABELS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS_LABELS = ['UNSET', 'OK', 'ERROR'];

/**
 * Duration as a power-of-two bucket: `<1ms`, `<=1ms`, `<=2ms`, `<=4ms`, ...
 * A span taking 37 ms or 41 ms reads the same (`<=64ms`); a span that takes
 * ten times longer does not. The exact duration stays in the fields.
 */
export function durationBucket(ms: number): string {
  if (!(ms > 0)) return '0ms';
  if (ms < 1) return '<1ms';
  return `<=${2 ** Math.ceil(Math.log2(ms))}ms`;
}

interface SpanEventRead {
  name: string;
  attrs: Attributes;
}

/** Walks an ExportTraceServiceRequest into events: one per span, plus GenAI prompt/completion events. */
export function mapTraces(request: Record<string, unknown>, out: MapOutcome): void {
  forEachScopeItem(request, ['resourceSpans', 'scopeSpans', 'spans'], out, (span, path, ctx) => {
    out.records++;
    if (span) mapSpan(span, path, ctx, out);
  });
}

function mapSpan(
  span: Record<string, unknown>,
  path: string,
  ctx: ScopeContext,
  out: MapOutcome,
): void {
  const traceId = readId(span.traceId, `${path}.traceId`, 16);
  const spanId = readId(span.spanId, `${path}.spanId`, 8);
  const parentSpanId = readId(span.parentSpanId, `${path}.parentSpanId`, 8);
  readString(span.traceState, `${path}.traceState`);
  readInt64(span.flags, `${path}.flags`, true);
  const name = readString(span.name, `${path}.name`);
  const kind = readEnum(span.kind, `${path}.kind`, SPAN_KIND_NAMES);
  const startNs = readNanos(span.startTimeUnixNano, `${path}.startTimeUnixNano`);
  const endNs = readNanos(span.endTimeUnixNano, `${path}.endTimeUnixNano`);
  const attrs = readKeyValues(span.attributes, `${path}.attributes`, out);
  const events = readArray(span.events, `${path}.events`).map((e, n): SpanEventRead => {
    const ePath = `${path}.events[${n}]`;
    const ev = readObject(e, ePath) ?? {};
    readNanosAsMs(ev.timeUnixNano, `${ePath}.timeUnixNano`);
    return { name: readString(ev.name, `${ePath}.name`), attrs: readKeyValues(ev.attributes, `${ePath}.attributes`, out) };
  });
  readArray(span.links, `${path}.links`).forEach((l, n) => {
    const lPath = `${path}.links[${n}]`;
    const link = readObject(l, lPath) ?? {};
    readId(link.traceId, `${lPath}.traceId`, 16);
    readId(link.spanId, `${lPath}.spanId`, 8);
    readKeyValues(link.attributes, `${lPath}.attributes`, out);
  });
  const status = readObject(span.status, `${path}.status`);
  const statusCode = readEnum(status?.code, `${path}.status.code`, STATUS_CODE_NAMES);
  const statusMessage = readString(status?.message, `${path}.status.message`);
  // The spec makes empty ids invalid; such a span cannot be placed in a trace.
  if (!traceId || !spanId) {
    out.reject(path, `span has an empty ${traceId ? 'spanId' : 'traceId'}`);
    return;
  }

  // To the microsecond: enough for any span, and free of float noise in the fields.
  const durationMs = endNs >= startNs ? Math.round((endNs - startNs) / 1e3) / 1e3 : 0;
  const statusLabel = STATUS_LABELS[statusCode] ?? String(statusCode);
  let head = `${KIND_LABELS[kind] ?? String(kind)} ${name} status=${statusLabel}`;
  if (statusMessage) head += `: ${statusMessage}`;
  head += ` dur=${durationBucket(durationMs)}`;
  if (events.length > 0) head += ` events=${events.map((e) => e.name).join(',')}`;
  for (const e of events) {
    if (e.name !== 'exception') continue;
    const type = valueText(e.attrs['exception.type'] ?? null);
    const message = valueText(e.attrs['exception.message'] ?? null);
    head += ` exception=${type}${message ? `: ${message}` : ''}`;
  }
  const genAi = isGenAi(attrs);
  const skip = genAi ? isGenAiContentKey : undefined;
  const fields: Record<string, FieldValue> = {};
  addFields(fields, attrs, skip);
  Object.assign(fields, ctx.resFields, {
    'otel.trace_id': traceId,
    'otel.span_id': spanId,
    'otel.kind': KIND_LABELS[kind] ?? String(kind),
    'otel.status': statusLabel,
    'otel.duration_ms': durationMs,
  });
  if (parentSpanId) fields['otel.parent_span_id'] = parentSpanId;
  if (statusMessage) fields['otel.status_message'] = statusMessage;
  if (ctx.scopeName) fields['otel.scope'] = ctx.scopeName;
  const timestamp = readNanosAsMs(span.startTimeUnixNano, `${path}.startTimeUnixNano`) || readNanosAsMs(span.endTimeUnixNano, `${path}.endTimeUnixNano`) || out.receivedAt;
  out.events.push({
    stream: spanStream(ctx.service, statusCode === 2),
    timestamp,
    text: withAttributes(head, attrs, skip),
    kind: 'span',
    fields,
  });

  const messages: GenAiMessage[] = genAi ? messagesInAttributes(attrs) : [];
  for (const e of events) {
    if (!e.name.startsWith('gen_ai.')) continue;
    messages.push(...(messagesInEvent(e.name, null, e.attrs) ?? []));
  }
  if (messages.length > 0) {
    pushGenAi(messages, timestamp, attrs, ctx, { 'otel.trace_id': traceId, 'otel.span_id': spanId }, out);
  }
}
