import { describe, expect, it } from 'vitest';
import { bucketQuantile } from '../../src/main/otlp/mapping/map-metrics';
import { durationBucket } from '../../src/main/otlp/mapping/map-traces';
import { MapOutcome } from '../../src/main/otlp/mapping/map-outcome';
import { mapLogsProtobuf } from '../../src/main/otlp/mapping/map-logs-protobuf';
import { nanosHalvesToMs, OtlpFormatError } from '../../src/main/otlp/mapping/otlp-values';
import { roundedNumber } from '../../src/main/otlp/mapping/render';
import { severityBand } from '../../src/main/otlp/mapping/stream-key';
import { decodeExportRequest, encodeExportResponse, exportResponseObject, mapExportRequest } from '../../src/main/otlp/otlp-codec';
import { loadOtlpProto, type Signal } from '../../src/main/otlp/proto-root';

const proto = loadOtlpProto();
const NOW = 1_800_000_000_000;
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });

/** Maps the same request given as OTLP/JSON (hex ids, string int64, enum names) and as protobuf (built from `protoForm`). */
function bothEncodings(signal: Signal, json: unknown, protoForm: Record<string, unknown>) {
  const type = proto.signals[signal].request;
  const bin = type.encode(type.fromObject(protoForm)).finish();
  const fromJson = mapExportRequest(signal, decodeExportRequest(proto, signal, 'json', Buffer.from(JSON.stringify(json))), NOW);
  const fromProto = mapExportRequest(signal, decodeExportRequest(proto, signal, 'protobuf', bin), NOW);
  return { fromJson, fromProto };
}

const TRACE_HEX = '5b8efff798038103d269b633813fc60c';
const SPAN_HEX = 'eee19b7ec3c1b174';
const hexBytes = (h: string) => Buffer.from(h, 'hex');

describe('OTLP logs → events', () => {
  const record = {
    timeUnixNano: '1700000000123456789',
    severityNumber: 'SEVERITY_NUMBER_ERROR2',
    severityText: 'Error',
    body: { stringValue: 'payment declined' },
    attributes: [str('order', 'A-17'), { key: 'attempt', value: { intValue: '3' } }, { key: 'ok', value: { boolValue: false } }],
    traceId: TRACE_HEX,
    spanId: SPAN_HEX,
  };
  const json = { resourceLogs: [{ resource: { attributes: [str('service.name', 'checkout')] }, scopeLogs: [{ scope: { name: 'pay' }, logRecords: [record, { body: { stringValue: 'no time, no severity' } }] }] }] };
  const protoForm = {
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', 'checkout')] },
        scopeLogs: [
          {
            scope: { name: 'pay' },
            logRecords: [
              { ...record, severityNumber: 18, attributes: [str('order', 'A-17'), { key: 'attempt', value: { intValue: 3 } }, { key: 'ok', value: { boolValue: false } }], traceId: hexBytes(TRACE_HEX), spanId: hexBytes(SPAN_HEX) },
              { body: { stringValue: 'no time, no severity' } },
            ],
          },
        ],
      },
    ],
  };

  it('gives identical events from OTLP/JSON and protobuf', () => {
    const { fromJson, fromProto } = bothEncodings('logs', json, protoForm);
    expect(fromJson.events).toEqual(fromProto.events);
    expect(fromJson.records).toBe(2);
  });

  it('keeps body, severity, attributes (sorted), ids and the time in ms', () => {
    const [e, bare] = bothEncodings('logs', json, protoForm).fromJson.events;
    expect(e).toEqual({
      stream: 'checkout/logs/error',
      timestamp: 1700000000123,
      text: 'Error payment declined | attempt=3 ok=false order=A-17',
      kind: 'log',
      fields: {
        attempt: 3,
        ok: false,
        order: 'A-17',
        'otel.scope': 'pay',
        'otel.severity_number': 18,
        'otel.severity_text': 'Error',
        'otel.span_id': SPAN_HEX,
        'otel.trace_id': TRACE_HEX,
        'service.name': 'checkout',
      },
    });
    // No time of its own: the receive time; no severity: its own band.
    expect(bare).toMatchObject({ stream: 'checkout/logs/unspecified', timestamp: NOW, text: 'no time, no severity' });
  });

  it('answers an accepted request with an empty response and no partial success', () => {
    const { fromJson } = bothEncodings('logs', json, protoForm);
    expect(exportResponseObject('logs', fromJson)).toEqual({});
    expect(Buffer.from(encodeExportResponse(proto, 'logs', 'json', {})).toString()).toBe('{}');
  });
});

describe('timestamps: nanoseconds to whole milliseconds, exactly', () => {
  // Reference: BigInt division, independent of the code under test.
  const refMs = (ns: bigint) => Number(ns / 1_000_000n);

  it('divides the 32-bit halves without rounding (hand-checked vectors, then a sweep against BigInt)', () => {
    expect(nanosHalvesToMs(0, 0)).toBe(0);
    expect(nanosHalvesToMs(999_999, 0)).toBe(0);
    expect(nanosHalvesToMs(1_000_000, 0)).toBe(1);
    expect(nanosHalvesToMs(0, 1)).toBe(4294); // 2^32 ns = 4,294.967296 ms
    expect(nanosHalvesToMs(0xffffffff, 0xffffffff)).toBe(18_446_744_073_709); // (2^64 − 1) ns
    let x = 0x2545f491;
    for (let i = 0; i < 20_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const low = x;
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const high = i % 2 ? x : 0x18000000 + (x % 0x1000000); // around 2026 in epoch nanoseconds (high ≈ 4.0e8), and anywhere
      expect(nanosHalvesToMs(low, high >>> 0)).toBe(refMs((BigInt(high >>> 0) << 32n) | BigInt(low)));
    }
  });

  it('gives the same exact millisecond from OTLP/JSON, protobufjs and the protobuf fast path where a double would not', () => {
    // 1733155200999999999 ns is closer to the double 1733155201000000000 than to any below: as a double it lands 1 ms late.
    const ns = '1733155200999999999';
    expect(Math.trunc(Number(ns) / 1e6)).not.toBe(refMs(BigInt(ns)));
    const rec = { timeUnixNano: ns, observedTimeUnixNano: ns, body: { stringValue: 'x' } };
    const req = { resourceLogs: [{ scopeLogs: [{ logRecords: [rec] }] }] };
    const { fromJson, fromProto } = bothEncodings('logs', req, req);
    const type = proto.signals.logs.request;
    const fastOut = new MapOutcome(NOW);
    expect(mapLogsProtobuf(type.encode(type.fromObject(req)).finish(), fastOut)).toBe(true);
    for (const out of [fromJson, fromProto, fastOut]) expect(out.events[0]!.timestamp).toBe(1_733_155_200_999);
  });
});

describe('severity bands and stream keys', () => {
  it.each([
    [1, '', 'debug'],
    [8, '', 'debug'],
    [9, '', 'info'],
    [12, '', 'info'],
    [13, '', 'warn'],
    [16, '', 'warn'],
    [17, '', 'error'],
    [24, '', 'error'],
    [0, 'WARNING', 'warn'],
    [0, 'crit', 'error'],
    [0, 'notice', 'info'],
    [0, 'whatever', 'unspecified'],
  ])('number %i text "%s" → %s', (n, text, band) => {
    expect(severityBand(n, text)).toBe(band);
  });
});

describe('spans → events', () => {
  const span = (over: Record<string, unknown>) => ({
    traceId: TRACE_HEX,
    spanId: SPAN_HEX,
    name: 'GET /cart',
    kind: 'SPAN_KIND_SERVER',
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000037000000',
    attributes: [{ key: 'http.response.status_code', value: { intValue: '503' } }],
    status: { code: 'STATUS_CODE_ERROR', message: 'upstream timeout' },
    events: [{ name: 'exception', timeUnixNano: '1700000000030000000', attributes: [str('exception.type', 'TimeoutError'), str('exception.message', 'after 30 ms')] }],
    ...over,
  });
  const request = (spans: unknown[]) => ({ resourceSpans: [{ resource: { attributes: [str('service.name', 'cart')] }, scopeSpans: [{ spans }] }] });

  it('names kind, status, duration bucket, exception and attributes', () => {
    const out = mapExportRequest('traces', request([span({})]), NOW);
    expect(out.events).toHaveLength(1);
    expect(out.events[0]).toMatchObject({
      stream: 'cart/traces/error',
      timestamp: 1700000000000,
      text: 'SERVER GET /cart status=ERROR: upstream timeout dur=<=64ms events=exception exception=TimeoutError: after 30 ms | http.response.status_code=503',
      kind: 'span',
    });
    expect(out.events[0]!.fields['otel.duration_ms']).toBe(37);
  });

  it('refuses a span without ids in partial success, keeps the others', () => {
    const out = mapExportRequest('traces', request([span({ traceId: '' }), span({ status: {} })]), NOW);
    expect(out.records).toBe(2);
    expect(out.rejected).toBe(1);
    expect(out.events.map((e) => e.stream)).toEqual(['cart/traces/ok']);
    const response = exportResponseObject('traces', out);
    expect(response).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: 'resourceSpans[0].scopeSpans[0].spans[0]: span has an empty traceId' } });
    // The protobuf answer decodes back to the same numbers.
    const type = proto.signals.traces.response;
    const decoded = type.toObject(type.decode(encodeExportResponse(proto, 'traces', 'protobuf', response)), { longs: Number });
    expect(decoded).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: 'resourceSpans[0].scopeSpans[0].spans[0]: span has an empty traceId' } });
    const json = JSON.parse(Buffer.from(encodeExportResponse(proto, 'traces', 'json', response)).toString());
    expect(json.partialSuccess.rejectedSpans).toBe('1');
  });

  it.each([
    [0, '0ms'],
    [0.4, '<1ms'],
    [1, '<=1ms'],
    [1.5, '<=2ms'],
    [37, '<=64ms'],
    [64, '<=64ms'],
    [65, '<=128ms'],
    [3000, '<=4096ms'],
  ])('duration %f ms → bucket %s', (ms, bucket) => {
    expect(durationBucket(ms)).toBe(bucket);
  });
});

describe('metric points → events', () => {
  const request = (metrics: unknown[]) => ({ resourceMetrics: [{ resource: { attributes: [str('service.name', 'api')] }, scopeMetrics: [{ metrics }] }] });

  it('maps gauge, sum, histogram (quantiles from buckets), exponential histogram and summary points', () => {
    const out = mapExportRequest(
      'metrics',
      request([
        { name: 'cpu', gauge: { dataPoints: [{ timeUnixNano: '1700000000000000000', asDouble: 0.73219 }] } },
        { name: 'hits', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ asInt: '123456', attributes: [str('route', '/a')] }] } },
        // 10 values: 2 in (-inf,10], 6 in (10,20], 2 in (20,+inf); min 1, max 40.
        { name: 'lat', unit: 'ms', histogram: { dataPoints: [{ count: '10', sum: 170, min: 1, max: 40, bucketCounts: ['2', '6', '2'], explicitBounds: [10, 20] }] } },
        // scale 0: buckets (1,2], (2,4]; 1 and 3 values.
        { name: 'exp', exponentialHistogram: { dataPoints: [{ count: '4', scale: 0, zeroCount: '0', positive: { offset: 0, bucketCounts: ['1', '3'] } }] } },
        { name: 'sz', summary: { dataPoints: [{ count: '5', sum: 50, quantileValues: [{ quantile: 0.5, value: 9 }, { quantile: 0.99, value: 20 }] }] } },
      ]),
      NOW,
    );
    expect(out.records).toBe(5);
    const text = Object.fromEntries(out.events.map((e) => [e.stream, e.text]));
    expect(text['api/metrics/cpu']).toBe('cpu gauge value=0.732');
    expect(text['api/metrics/hits']).toBe('hits sum value=123000 | route=/a');
    // p50: rank 5 → bucket (10,20] holding ranks 3..8: 10 + 10·(5−2)/6 = 15; p90: rank 9 → (20,40]: 20 + 20·(9−8)/2 = 30;
    // p99: rank 9.9 → 20 + 20·1.9/2 = 39.
    expect(text['api/metrics/lat']).toBe('lat histogram count=10 sum=170 min=1 max=40 p50=15 p90=30 p99=39');
    // p50: rank 2 → bucket (2,4] holding ranks 2..4: 2 + 2·(2−1)/3 = 2.67.
    expect(text['api/metrics/exp']).toBe('exp exponentialHistogram count=4 p50=2.67 p90=3.73 p99=3.97');
    expect(text['api/metrics/sz']).toBe('sz summary count=5 sum=50 q0.5=9 q0.99=20');
    expect(out.events.find((e) => e.stream === 'api/metrics/hits')!.fields['otel.value']).toBe(123456);
  });

  it('refuses a histogram point whose buckets do not fit its bounds', () => {
    const out = mapExportRequest('metrics', request([{ name: 'bad', histogram: { dataPoints: [{ count: 3, bucketCounts: [1, 2], explicitBounds: [1, 2] }] } }]), NOW);
    expect(out.rejected).toBe(1);
    expect(out.events).toHaveLength(0);
    expect(exportResponseObject('metrics', out)).toMatchObject({ partialSuccess: { rejectedDataPoints: 1 } });
  });

  it('bucketQuantile interpolates within the bucket (hand-computed)', () => {
    expect(bucketQuantile([4, 4], [0, 10], [10, 20], 0.25)).toBe(5);
    expect(bucketQuantile([4, 4], [0, 10], [10, 20], 0.75)).toBe(15);
    expect(bucketQuantile([0, 0], [0, 1], [1, 2], 0.5)).toBeNaN();
  });

  it('rounds text numbers to three significant digits', () => {
    expect(roundedNumber(999)).toBe('999');
    expect(roundedNumber(1234.5)).toBe('1230');
    expect(roundedNumber(0.012345)).toBe('0.0123');
    expect(roundedNumber(NaN)).toBe('NaN');
  });
});

describe('GenAI → prompt and completion streams per model', () => {
  const resource = { attributes: [str('service.name', 'assistant')] };

  it('maps gen_ai.*.message / gen_ai.choice log records (content in the body) to per-model streams', () => {
    const call = [str('gen_ai.system', 'openai'), str('gen_ai.request.model', 'gpt-4o'), { key: 'gen_ai.usage.input_tokens', value: { intValue: 12 } }];
    const out = mapExportRequest(
      'logs',
      {
        resourceLogs: [
          {
            resource,
            scopeLogs: [
              {
                logRecords: [
                  { eventName: 'gen_ai.system.message', attributes: call, body: { kvlistValue: { values: [str('content', 'You are terse.')] } } },
                  { attributes: [...call, str('event.name', 'gen_ai.user.message')], body: { kvlistValue: { values: [str('content', 'Capital of France?')] } } },
                  {
                    eventName: 'gen_ai.choice',
                    attributes: call,
                    body: { kvlistValue: { values: [{ key: 'index', value: { intValue: 0 } }, { key: 'message', value: { kvlistValue: { values: [str('role', 'assistant'), str('content', 'Paris.')] } } }] } },
                  },
                ],
              },
            ],
          },
        ],
      },
      NOW,
    );
    expect(out.events.map((e) => [e.stream, e.text, e.kind])).toEqual([
      ['gen_ai/openai/gpt-4o/prompt', 'system: You are terse.', 'prompt'],
      ['gen_ai/openai/gpt-4o/prompt', 'user: Capital of France?', 'prompt'],
      ['gen_ai/openai/gpt-4o/completion', 'assistant: Paris.', 'completion'],
    ]);
    expect(out.events[2]!.fields).toMatchObject({ 'gen_ai.usage.input_tokens': 12, 'service.name': 'assistant', 'gen_ai.role': 'assistant' });
  });

  it('maps span attributes (JSON messages and indexed prompts) and keeps the content out of the span text', () => {
    const input = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Summarise this' }] }]);
    const output = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Done.' }, { type: 'tool_call', name: 'save', arguments: { id: 1 } }], finish_reason: 'stop' }]);
    const out = mapExportRequest(
      'traces',
      {
        resourceSpans: [
          {
            resource,
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: TRACE_HEX,
                    spanId: SPAN_HEX,
                    name: 'chat claude',
                    kind: 3,
                    attributes: [
                      str('gen_ai.provider.name', 'anthropic'),
                      str('gen_ai.request.model', 'claude-x'),
                      str('gen_ai.input.messages', input),
                      str('gen_ai.output.messages', output),
                      str('gen_ai.prompt.0.role', 'system'),
                      str('gen_ai.prompt.0.content', 'Be brief'),
                      { key: 'gen_ai.usage.output_tokens', value: { intValue: 7 } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
      NOW,
    );
    const [spanEvent, ...llm] = out.events;
    expect(spanEvent!.text).toBe('CLIENT chat claude status=UNSET dur=0ms | gen_ai.provider.name=anthropic gen_ai.request.model=claude-x gen_ai.usage.output_tokens=7');
    expect(llm.map((e) => [e.stream, e.text])).toEqual([
      ['gen_ai/anthropic/claude-x/prompt', 'user: Summarise this'],
      ['gen_ai/anthropic/claude-x/prompt', 'system: Be brief'],
      ['gen_ai/anthropic/claude-x/completion', 'assistant: Done.\ntool_call save({"id":1})'],
    ]);
    expect(llm[2]!.fields['gen_ai.usage.output_tokens']).toBe(7);
  });
});

describe('schema violations are refused whole, naming the field', () => {
  const cases: [string, unknown, string][] = [
    ['resourceLogs not an array', { resourceLogs: {} }, 'resourceLogs: expected an array'],
    ['record not an object', { resourceLogs: [{ scopeLogs: [{ logRecords: [7] }] }] }, 'resourceLogs[0].scopeLogs[0].logRecords[0]: expected an object'],
    ['time not an integer', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: 'soon' }] }] }] }, 'logRecords[0].timeUnixNano: expected an integer'],
    ['trace id not hex', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: 'zz' }] }] }] }, 'logRecords[0].traceId: expected 32 hex characters'],
    ['unknown severity name', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityNumber: 'LOUD' }] }] }] }, 'severityNumber: unknown enum value "LOUD"'],
    ['attribute value of the wrong type', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [{ key: 'a', value: { boolValue: 'yes' } }] }] }] }] }, 'attributes[0].value.boolValue: expected a boolean'],
  ];
  it.each(cases)('%s', (_name, body, message) => {
    expect(() => mapExportRequest('logs', body as Record<string, unknown>, NOW)).toThrow(OtlpFormatError);
    expect(() => mapExportRequest('logs', body as Record<string, unknown>, NOW)).toThrow(message);
  });

  it('refuses values nested deeper than the limit', () => {
    let v: unknown = { stringValue: 'leaf' };
    for (let i = 0; i < 40; i++) v = { arrayValue: { values: [v] } };
    const body = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: v }] }] }] };
    expect(() => mapExportRequest('logs', body, NOW)).toThrow(/nested deeper than 32 levels/);
  });

  it('keeps an attribute named __proto__ as data', () => {
    const out = mapExportRequest('logs', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [str('__proto__', 'x')] }] }] }] }, NOW);
    expect(Object.keys(out.events[0]!.fields)).toContain('__proto__');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
