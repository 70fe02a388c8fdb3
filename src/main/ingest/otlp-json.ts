/**
 * OTLP/JSON -> events: the mapping used for OTLP-JSON files (one
 * ExportLogsServiceRequest / ExportTraceServiceRequest /
 * ExportMetricsServiceRequest per line, as the Collector's file exporter
 * writes them) and by the OTLP/HTTP JSON receiver.
 *
 * Streams (DESIGN.md §3): `<service.name>/logs/<severity band>`,
 * `<service.name>/traces`, `<service.name>/metrics/<metric name>`.
 * Field names follow the OTLP/JSON encoding (lowerCamelCase, uint64 as
 * decimal strings, ids as hex strings, enums as integers).
 */
import type { RawEvent } from './raw-event';
import { nanosToMs } from './timestamps';

/** A request that is not OTLP/JSON where the mapping needs it to be; `path` names the field. */
export class OtlpShapeError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'OtlpShapeError';
  }
}

export type OtlpSignal = 'logs' | 'traces' | 'metrics';

/** An event from OTLP: always carries its stream. */
export type OtlpEvent = RawEvent & { stream: string; fields: Record<string, unknown> };

type Json = Record<string, unknown>;

const UNKNOWN_SERVICE = 'unknown_service';

function obj(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new OtlpShapeError(path, 'expected an object');
  return v as Json;
}

function arr(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpShapeError(path, 'expected an array');
  return v;
}

/** An OTLP AnyValue as plain JSON (bytes stay base64, int64 as number when safe, else string). */
export function anyValueToJs(v: unknown, path = 'value'): unknown {
  if (v === undefined || v === null) return null;
  const o = obj(v, path);
  if ('stringValue' in o) return String(o.stringValue);
  if ('boolValue' in o) return Boolean(o.boolValue);
  if ('intValue' in o) {
    const n = Number(o.intValue);
    return Number.isSafeInteger(n) ? n : String(o.intValue);
  }
  if ('doubleValue' in o) return Number(o.doubleValue);
  if ('bytesValue' in o) return String(o.bytesValue);
  if ('arrayValue' in o) return arr(obj(o.arrayValue, `${path}.arrayValue`).values, `${path}.arrayValue.values`).map((x, i) => anyValueToJs(x, `${path}.arrayValue.values[${i}]`));
  if ('kvlistValue' in o) return attributesToObject(obj(o.kvlistValue, `${path}.kvlistValue`).values, `${path}.kvlistValue.values`);
  return null;
}

/** OTLP KeyValue[] as an object. */
export function attributesToObject(kvs: unknown, path = 'attributes'): Json {
  const out: Json = {};
  arr(kvs, path).forEach((kv, i) => {
    const o = obj(kv, `${path}[${i}]`);
    if (typeof o.key !== 'string') throw new OtlpShapeError(`${path}[${i}].key`, 'expected a string');
    out[o.key] = anyValueToJs(o.value, `${path}[${i}].value`);
  });
  return out;
}

/** Severity band of an OTLP SeverityNumber (1–24): debug (1–8), info (9–12), warn (13–16), error (17–24). */
export function severityBand(severityNumber: unknown, severityText?: unknown): 'debug' | 'info' | 'warn' | 'error' | 'unspecified' {
  const n = Number(severityNumber ?? 0);
  if (n >= 17) return 'error';
  if (n >= 13) return 'warn';
  if (n >= 9) return 'info';
  if (n >= 1) return 'debug';
  const t = typeof severityText === 'string' ? severityText.toLowerCase() : '';
  if (/^(error|fatal|crit|critical|alert|emerg)/.test(t)) return 'error';
  if (/^warn/.test(t)) return 'warn';
  if (/^(info|notice)/.test(t)) return 'info';
  if (/^(debug|trace)/.test(t)) return 'debug';
  return 'unspecified';
}

function serviceOf(resource: Json): string {
  const s = resource['service.name'];
  return typeof s === 'string' && s.length > 0 ? s : UNKNOWN_SERVICE;
}

function scalarPairs(attrs: Json, limit = 24): string {
  return Object.keys(attrs)
    .sort()
    .filter((k) => attrs[k] === null || typeof attrs[k] !== 'object')
    .slice(0, limit)
    .map((k) => `${k}=${String(attrs[k])}`)
    .join(' ');
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

interface Scoped {
  resource: Json;
  scope: Json;
  items: unknown[];
  path: string;
}

function walk(req: Json, top: string, scopes: string, items: string): Scoped[] {
  const out: Scoped[] = [];
  arr(req[top], top).forEach((r, i) => {
    const rp = `${top}[${i}]`;
    const ro = obj(r, rp);
    const resource = ro.resource ? attributesToObject(obj(ro.resource, `${rp}.resource`).attributes, `${rp}.resource.attributes`) : {};
    arr(ro[scopes], `${rp}.${scopes}`).forEach((s, j) => {
      const sp = `${rp}.${scopes}[${j}]`;
      const so = obj(s, sp);
      const sc = so.scope ? obj(so.scope, `${sp}.scope`) : {};
      const scope: Json = {};
      if (typeof sc.name === 'string' && sc.name) scope.name = sc.name;
      if (typeof sc.version === 'string' && sc.version) scope.version = sc.version;
      out.push({ resource, scope, items: arr(so[items], `${sp}.${items}`), path: `${sp}.${items}` });
    });
  });
  return out;
}

/** ExportLogsServiceRequest -> one event per log record. */
export function mapLogsRequest(request: unknown): OtlpEvent[] {
  const events: OtlpEvent[] = [];
  for (const { resource, scope, items, path } of walk(obj(request, 'request'), 'resourceLogs', 'scopeLogs', 'logRecords')) {
    const service = serviceOf(resource);
    items.forEach((item, k) => {
      const r = obj(item, `${path}[${k}]`);
      const attributes = attributesToObject(r.attributes, `${path}[${k}].attributes`);
      const band = severityBand(r.severityNumber, r.severityText);
      const fields: Json = { resource, ...(Object.keys(scope).length ? { scope } : {}), attributes };
      if (r.severityText) fields.severityText = r.severityText;
      if (r.severityNumber !== undefined) fields.severityNumber = Number(r.severityNumber);
      if (r.traceId) fields.traceId = r.traceId;
      if (r.spanId) fields.spanId = r.spanId;
      if (r.eventName) fields.eventName = r.eventName;
      const ts = nanosToMs(r.timeUnixNano) ?? nanosToMs(r.observedTimeUnixNano);
      events.push({
        stream: `${service}/logs/${band}`,
        text: text(anyValueToJs(r.body, `${path}[${k}].body`)),
        ...(ts !== undefined ? { timestamp: ts } : {}),
        fields,
        prefix: band,
      });
    });
  }
  return events;
}

const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS_CODES = ['UNSET', 'OK', 'ERROR'];

function enumName(names: string[], v: unknown, prefix: string): string {
  if (typeof v === 'string') return v.replace(prefix, '');
  return names[Number(v ?? 0)] ?? String(v);
}

/** ExportTraceServiceRequest -> one event per span ("name kind status attributes duration"). */
export function mapTraceRequest(request: unknown): OtlpEvent[] {
  const events: OtlpEvent[] = [];
  for (const { resource, scope, items, path } of walk(obj(request, 'request'), 'resourceSpans', 'scopeSpans', 'spans')) {
    const service = serviceOf(resource);
    items.forEach((item, k) => {
      const s = obj(item, `${path}[${k}]`);
      const attributes = attributesToObject(s.attributes, `${path}[${k}].attributes`);
      const status = s.status ? obj(s.status, `${path}[${k}].status`) : {};
      const kind = enumName(SPAN_KINDS, s.kind, 'SPAN_KIND_');
      const code = enumName(STATUS_CODES, status.code, 'STATUS_CODE_');
      const start = nanosToMs(s.startTimeUnixNano);
      const end = nanosToMs(s.endTimeUnixNano);
      const durationMs =
        typeof s.startTimeUnixNano === 'string' && typeof s.endTimeUnixNano === 'string' && /^\d+$/.test(s.startTimeUnixNano) && /^\d+$/.test(s.endTimeUnixNano)
          ? Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6
          : undefined;
      const pairs = scalarPairs(attributes);
      const parts = [text(s.name), `kind=${kind}`, `status=${code}`];
      if (status.message) parts.push(`status_message=${text(status.message)}`);
      if (pairs) parts.push(pairs);
      if (durationMs !== undefined) parts.push(`duration_ms=${durationMs}`);
      const fields: Json = { resource, ...(Object.keys(scope).length ? { scope } : {}), attributes, kind, status: code };
      if (s.traceId) fields.traceId = s.traceId;
      if (s.spanId) fields.spanId = s.spanId;
      if (s.parentSpanId) fields.parentSpanId = s.parentSpanId;
      if (durationMs !== undefined) fields.durationMs = durationMs;
      if (end !== undefined) fields.endTime = end;
      events.push({
        stream: `${service}/traces`,
        text: parts.join(' '),
        ...(start !== undefined ? { timestamp: start } : {}),
        fields,
      });
    });
  }
  return events;
}

function pointValue(p: Json): number | string | undefined {
  if (p.asDouble !== undefined) return Number(p.asDouble);
  if (p.asInt !== undefined) {
    const n = Number(p.asInt);
    return Number.isSafeInteger(n) ? n : String(p.asInt);
  }
  return undefined;
}

/** ExportMetricsServiceRequest -> one event per data point ("name attributes value=…"). */
export function mapMetricsRequest(request: unknown): OtlpEvent[] {
  const events: OtlpEvent[] = [];
  for (const { resource, scope, items, path } of walk(obj(request, 'request'), 'resourceMetrics', 'scopeMetrics', 'metrics')) {
    const service = serviceOf(resource);
    items.forEach((item, k) => {
      const mp = `${path}[${k}]`;
      const m = obj(item, mp);
      if (typeof m.name !== 'string' || m.name.length === 0) throw new OtlpShapeError(`${mp}.name`, 'expected a metric name');
      const type = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'].find((t) => m[t] !== undefined);
      if (!type) return; // a metric without data
      const body = obj(m[type], `${mp}.${type}`);
      arr(body.dataPoints, `${mp}.${type}.dataPoints`).forEach((dp, d) => {
        const p = obj(dp, `${mp}.${type}.dataPoints[${d}]`);
        const attributes = attributesToObject(p.attributes, `${mp}.${type}.dataPoints[${d}].attributes`);
        const values: Json = {};
        if (type === 'gauge' || type === 'sum') {
          values.value = pointValue(p);
        } else {
          values.count = Number(p.count ?? 0);
          if (p.sum !== undefined) values.sum = Number(p.sum);
          if (p.min !== undefined) values.min = Number(p.min);
          if (p.max !== undefined) values.max = Number(p.max);
        }
        const pairs = scalarPairs(attributes);
        const valueText = Object.entries(values)
          .map(([key, v]) => `${key}=${String(v)}`)
          .join(' ');
        const ts = nanosToMs(p.timeUnixNano);
        events.push({
          stream: `${service}/metrics/${m.name}`,
          text: [m.name, pairs, valueText].filter(Boolean).join(' '),
          ...(ts !== undefined ? { timestamp: ts } : {}),
          fields: {
            resource,
            ...(Object.keys(scope).length ? { scope } : {}),
            attributes,
            type,
            ...(m.unit ? { unit: m.unit } : {}),
            ...values,
            ...(type === 'histogram' ? { bucketCounts: p.bucketCounts, explicitBounds: p.explicitBounds } : {}),
          },
          verbatim: true,
        });
      });
    });
  }
  return events;
}

/** Which export request an OTLP/JSON object is, by its top-level key. */
export function otlpSignalOf(request: unknown): OtlpSignal | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  if ('resourceLogs' in request) return 'logs';
  if ('resourceSpans' in request) return 'traces';
  if ('resourceMetrics' in request) return 'metrics';
  return undefined;
}

/** Any of the three export requests -> events. */
export function mapOtlpRequest(request: unknown): OtlpEvent[] {
  switch (otlpSignalOf(request)) {
    case 'logs':
      return mapLogsRequest(request);
    case 'traces':
      return mapTraceRequest(request);
    case 'metrics':
      return mapMetricsRequest(request);
    default:
      throw new OtlpShapeError('request', 'expected resourceLogs, resourceSpans or resourceMetrics');
  }
}
