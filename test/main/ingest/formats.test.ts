import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvMetricsDecoder, splitCsvLine } from '../../../src/main/ingest/csv-metrics';
import { detectFormat } from '../../../src/main/ingest/detect-format';
import { jsonLinesDecoder } from '../../../src/main/ingest/json-lines';
import type { RawEvent } from '../../../src/main/ingest/raw-event';
import { otlpJsonDecoder } from '../../../src/main/ingest/record-decoders';
import { epochToMs, leadingTimestamp, parseIsoTimestamp, parseTimestamp } from '../../../src/main/ingest/timestamps';

const DATA = resolve(import.meta.dirname, '../../../../shared/data');

describe('timestamps', () => {
  it('ISO 8601 with zones and fractions, as UTC when no zone is given', () => {
    expect(parseIsoTimestamp('2014-07-01 00:30:00')).toBe(Date.UTC(2014, 6, 1, 0, 30, 0));
    expect(parseIsoTimestamp('2026-01-05T08:00:00.279Z')).toBe(Date.UTC(2026, 0, 5, 8, 0, 0, 279));
    expect(parseIsoTimestamp('2026-01-05T10:00:00+02:00')).toBe(Date.UTC(2026, 0, 5, 8, 0, 0));
    expect(parseIsoTimestamp('2026-01-05T03:30:00-0430')).toBe(Date.UTC(2026, 0, 5, 8, 0, 0));
    expect(parseIsoTimestamp('2026-13-05T00:00:00Z')).toBeUndefined();
    expect(parseIsoTimestamp('yesterday')).toBeUndefined();
  });
  it('epoch numbers by magnitude, OTLP nanos exactly', () => {
    expect(epochToMs(1_700_000_000)).toBe(1_700_000_000_000);
    expect(epochToMs(1_700_000_000.25)).toBe(1_700_000_000_250);
    expect(epochToMs(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(epochToMs(1_700_000_000_123_456)).toBe(1_700_000_000_123);
    expect(parseTimestamp('1700000000123456789')).toBe(1_700_000_000_123);
    // Sub-millisecond parts are cut, as ISO fractions and OTLP nanoseconds are, in every unit.
    expect(parseTimestamp('1700000000123999999')).toBe(1_700_000_000_123);
    expect(parseTimestamp('00001700000000123999999')).toBe(1_700_000_000_123);
    expect(parseTimestamp('1700000000123999')).toBe(1_700_000_000_123);
    expect(parseTimestamp('1700000000123.9')).toBe(1_700_000_000_123);
    expect(parseTimestamp('2023-11-14T22:13:20.123999Z')).toBe(1_700_000_000_123);
    expect(epochToMs(1_700_000_000.1239)).toBe(1_700_000_000_123);
    // Decimal seconds that binary cannot hold exactly still land on their millisecond (1.005 × 1000 = 1004.999… in doubles).
    for (const [s, ms] of [[1.005, 1005], [1_700_000_000.001, 1_700_000_000_001], [1_700_000_000.57, 1_700_000_000_570]] as const) expect(epochToMs(s)).toBe(ms);
    expect(parseTimestamp('0')).toBeUndefined();
    expect(parseTimestamp('000000000000000000')).toBeUndefined();
  });
});

describe('JSON lines', () => {
  it('picks message and timestamp fields, keeps the rest as fields, level as the engine prefix', () => {
    const d = jsonLinesDecoder();
    expect(d.decode('{"ts":1700000000,"level":"ERROR","msg":"disk full","host":"a","n":3}')).toEqual([
      { text: 'disk full', timestamp: 1_700_000_000_000, prefix: 'error', fields: { level: 'ERROR', host: 'a', n: 3 } },
    ]);
    expect(d.decode('{"@timestamp":"2026-01-05T08:00:00Z","message":{"k":1}}')).toEqual([{ text: '{"k":1}', timestamp: Date.UTC(2026, 0, 5, 8) }]);
    // No message field: the object is the text.
    expect(d.decode('{"a":1,"b":"x"}')).toEqual([{ text: '{"a":1,"b":"x"}', fields: { a: 1, b: 'x' } }]);
    expect(d.decode('   ')).toEqual([]);
  });
  it('honours field overrides, dotted paths included', () => {
    const d = jsonLinesDecoder({ messageField: 'event.summary', timestampField: 'when' });
    expect(d.decode('{"when":"2026-01-05 08:00:00","event":{"summary":"login","user":"u1"},"msg":"ignored"}')).toEqual([
      { text: 'login', timestamp: Date.UTC(2026, 0, 5, 8), fields: { event: { user: 'u1' }, msg: 'ignored' } },
    ]);
  });
  it('reports broken lines without quoting their content', () => {
    const d = jsonLinesDecoder();
    const secret = '{"msg": "alice@example.com", broken';
    const reason = d.decode(secret);
    expect(typeof reason).toBe('string');
    expect(reason).toMatch(/^invalid JSON/);
    expect(reason).not.toContain('alice');
    expect(d.decode('{"msg":"unterminated')).toMatch(/^invalid JSON/);
    expect(d.decode('[1,2]')).toBe('expected a JSON object, got an array');
    expect(d.decode('42')).toBe('expected a JSON object, got number');
  });
});

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

const logsRequest = {
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }, { key: 'host.name', value: { stringValue: 'h1' } }] },
      scopeLogs: [
        {
          scope: { name: 'app', version: '1.0' },
          logRecords: [
            { timeUnixNano: '1700000000000000000', severityNumber: 9, severityText: 'INFO', body: { stringValue: 'order placed' }, attributes: [{ key: 'order.id', value: { intValue: '42' } }] },
            { observedTimeUnixNano: '1700000001500000000', severityNumber: 17, body: { kvlistValue: { values: [{ key: 'err', value: { stringValue: 'timeout' } }] } }, traceId: TRACE, spanId: SPAN },
          ],
        },
      ],
    },
    { resource: {}, scopeLogs: [{ logRecords: [{ severityText: 'warning', body: { stringValue: 'no service' } }] }] },
  ],
};

/** One OTLP-JSON file line through the file decoder (the receiver's mapping). */
function decodeOtlpLine(request: unknown): RawEvent[] {
  const r = otlpJsonDecoder().decode(JSON.stringify(request));
  if (!Array.isArray(r)) throw new Error(`expected events, got ${JSON.stringify(r)}`);
  return r;
}

describe('OTLP-JSON file lines (mapped by the receiver\'s mapping)', () => {
  it('logs: one event per record, stream by service and severity band, no invented time', () => {
    const events = decodeOtlpLine(logsRequest);
    expect(events.map((e) => [e.stream, e.text, e.timestamp])).toEqual([
      ['checkout/logs/info', 'INFO order placed | order.id=42', 1_700_000_000_000],
      // No severity text: the label comes from the number (17 = ERROR).
      ['checkout/logs/error', 'ERROR {"err":"timeout"}', 1_700_000_001_500],
      // No time in the record and none invented: a file has no receive time.
      ['unknown_service/logs/warn', 'warning no service', undefined],
    ]);
    expect(events[0]!.fields).toEqual({
      'order.id': 42,
      'service.name': 'checkout',
      'host.name': 'h1',
      'otel.scope': 'app',
      'otel.severity_number': 9,
      'otel.severity_text': 'INFO',
    });
    expect(events[1]!.fields).toMatchObject({ 'otel.trace_id': TRACE, 'otel.span_id': SPAN, 'otel.body': '{"err":"timeout"}' });
  });

  it('spans: kind, name, status, duration bucket and attributes; stream by status', () => {
    const [e] = decodeOtlpLine({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE,
                  spanId: SPAN,
                  name: 'GET /orders',
                  kind: 2,
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000000012500000',
                  attributes: [{ key: 'http.status_code', value: { intValue: '500' } }, { key: 'http.method', value: { stringValue: 'GET' } }],
                  status: { code: 2, message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(e!.stream).toBe('api/traces/error');
    // 12.5 ms falls in the power-of-two bucket (8, 16].
    expect(e!.text).toBe('SERVER GET /orders status=ERROR: boom dur=<=16ms | http.method=GET http.status_code=500');
    expect(e!.timestamp).toBe(1_700_000_000_000);
    expect(e!.fields).toMatchObject({ 'otel.duration_ms': 12.5, 'otel.kind': 'SERVER', 'otel.status': 'ERROR', 'otel.trace_id': TRACE });
  });

  it('metrics: one event per data point, stream per metric, measurements kept verbatim', () => {
    const events = decodeOtlpLine({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'db' } }] },
          scopeMetrics: [
            {
              metrics: [
                { name: 'queue.depth', gauge: { dataPoints: [{ timeUnixNano: '1700000000000000000', asInt: '7' }, { timeUnixNano: '1700000060000000000', asDouble: 7.5 }] } },
                { name: 'latency', unit: 'ms', histogram: { dataPoints: [{ count: '3', sum: 12, min: 1, max: 9, bucketCounts: ['1', '2'], explicitBounds: [5], attributes: [{ key: 'route', value: { stringValue: '/a' } }] }] } },
              ],
            },
          ],
        },
      ],
    });
    // Histogram buckets [1,5] (1 value) and (5,9] (2 values): p50 is rank 1.5 → 5 + 4·0.5/2 = 6,
    // p90 rank 2.7 → 5 + 4·1.7/2 = 8.4, p99 rank 2.97 → 8.94.
    expect(events.map((e) => [e.stream, e.text, e.verbatim])).toEqual([
      ['db/metrics/queue.depth', 'queue.depth gauge value=7', true],
      ['db/metrics/queue.depth', 'queue.depth gauge value=7.5', true],
      ['db/metrics/latency', 'latency histogram count=3 sum=12 min=1 max=9 p50=6 p90=8.4 p99=8.94 | route=/a', true],
    ]);
  });

  it('names the field that is wrong, and keeps the good records of a line with a refused one', () => {
    const d = otlpJsonDecoder();
    expect(d.decode(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: {} }] }] }))).toBe(
      'not an OTLP export request: resourceLogs[0].scopeLogs[0].logRecords: expected an array, got an object',
    );
    expect(d.decode(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: 'ab' }] }] }] }))).toBe(
      'not an OTLP export request: resourceLogs[0].scopeLogs[0].logRecords[0].traceId: expected 32 hex characters, got "ab"',
    );
    expect(d.decode('{"hello":1}')).toMatch(/expected resourceLogs, resourceSpans or resourceMetrics/);
    const partial = d.decode(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'no ids' }, { name: 'ok', traceId: TRACE, spanId: SPAN }] }] }] }));
    expect(partial).toMatchObject({ problem: expect.stringMatching(/^1 of 2 record\(s\) refused: .*spans\[0\]: span has an empty traceId/) });
    expect((partial as { events: RawEvent[] }).events.map((e) => e.stream)).toEqual(['unknown_service/traces/ok']);
  });
});

describe('CSV metrics', () => {
  it('reads a NAB series: one event per row, in file order, with UTC timestamps', () => {
    const text = readFileSync(`${DATA}/nab/data/realKnownCause/nyc_taxi.csv`, 'utf8');
    const lines = text.split('\n').filter((l) => l.length > 0);
    const d = csvMetricsDecoder();
    const events = lines.flatMap((l) => {
      const r = d.decode(l);
      if (!Array.isArray(r)) throw new Error(JSON.stringify(r));
      return r;
    });
    expect(events.length).toBe(lines.length - 1); // header
    expect(events[0]).toEqual({ text: 'value=10844', timestamp: Date.UTC(2014, 6, 1, 0, 0), fields: { value: 10844 }, verbatim: true });
    expect(events[1]!.timestamp! - events[0]!.timestamp!).toBe(30 * 60_000);
  });

  it('headerless rows, quoting, and malformed rows', () => {
    const d = csvMetricsDecoder();
    expect(d.decode('2026-01-05T08:00:00Z,1.5')).toEqual([{ text: 'value=1.5', timestamp: Date.UTC(2026, 0, 5, 8), fields: { value: 1.5 }, verbatim: true }]);
    expect(d.decode('2026-01-05T08:01:00Z,2,3')).toBe('expected 2 columns, found 3');
    expect(d.decode('not-a-time,2')).toBe('column timestamp is not a timestamp');
    expect(splitCsvLine('a,"b,c","d ""q"""')).toEqual(['a', 'b,c', 'd "q"']);
    expect(splitCsvLine('a,"open')).toBeNull();
    const h = csvMetricsDecoder();
    expect(h.decode('host,time,cpu')).toEqual([]);
    expect(h.decode('"web,1",1700000000,0.5')).toEqual([{ text: 'host=web,1 cpu=0.5', timestamp: 1_700_000_000_000, fields: { host: 'web,1', cpu: 0.5 }, verbatim: true }]);
  });
});

describe('format detection', () => {
  it('by content first, extension second', () => {
    expect(detectFormat('{"msg":"a"}\n{"msg":"b"}\n', 'x.log')).toBe('jsonl');
    expect(detectFormat(`${JSON.stringify(logsRequest)}\n`, 'export.json')).toBe('otlp-json');
    expect(detectFormat('{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"cut in the mid', 'x')).toBe('otlp-json');
    expect(detectFormat('timestamp,value\n2014-07-01 00:00:00,10844\n2014-07-01 00:30:00,8127\n', 'a.txt')).toBe('csv');
    expect(detectFormat('2026-01-05T08:00:00Z api INFO ok\n2026-01-05T08:00:01Z api INFO ok\n', 'a.csv')).toBe('csv');
    expect(detectFormat('hello, world\nplain text, with commas\n', 'notes.txt')).toBe('text');
    expect(detectFormat('plain line\n', 'data.jsonl.gz')).toBe('jsonl');
    expect(detectFormat('{"a":1}\n{broken\n{"a":2}\n', 'x.log')).toBe('jsonl');
  });
});

describe('leading timestamps of text lines', () => {
  it('agree with the ISO parser on the forms logs use', () => {
    for (const t of ['2026-01-05T08:00:00.279Z', '2026-01-05 08:00:00', '2026-01-05T08:00', '2026-01-05T10:00:00+02:00', '2026-01-05T03:30:00.5-0430', '2005-06-03 15:42:50,675']) {
      expect(leadingTimestamp(`${t} api INFO ok`), t).toBe(parseIsoTimestamp(t));
      expect(leadingTimestamp(`[${t}] api INFO ok`), t).toBe(parseIsoTimestamp(t));
    }
    expect(leadingTimestamp('2026-01-05T08:00:00.279Z x')).toBe(Date.UTC(2026, 0, 5, 8, 0, 0, 279));
    for (const l of ['- 1117838570 2005.06.03 R02', 'Jun  3 15:42:50 host', '2026-13-05T08:00:00Z x', '20260105T080000Z', '']) expect(leadingTimestamp(l), l).toBeUndefined();
  });
});
