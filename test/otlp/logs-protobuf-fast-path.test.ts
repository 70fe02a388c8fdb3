// The protobuf logs fast path (map-logs-protobuf.ts) against the general
// path (protobufjs decode, then the walker) as the reference: where the fast
// path maps a request it must give exactly the reference's outcome, and
// wherever the reference refuses a request the fast path must give up.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mapLogsProtobuf } from '../../src/main/otlp/mapping/map-logs-protobuf';
import { MapOutcome } from '../../src/main/otlp/mapping/map-outcome';
import { decodeAndMapExport, decodeExportRequest, mapExportRequest } from '../../src/main/otlp/otlp-codec';
import { loadOtlpProto } from '../../src/main/otlp/proto-root';
import { rng } from '../helpers/rng';

const proto = loadOtlpProto();
const type = proto.signals.logs.request;
const NOW = 1_800_000_000_000;

type Outcome = { ok: true; out: MapOutcome } | { ok: false; error: string };

function reference(bytes: Uint8Array): Outcome {
  try {
    return { ok: true, out: mapExportRequest('logs', decodeExportRequest(proto, 'logs', 'protobuf', bytes), NOW) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

function fast(bytes: Uint8Array): MapOutcome | undefined {
  const out = new MapOutcome(NOW);
  return mapLogsProtobuf(bytes, out) ? out : undefined;
}

function same(a: MapOutcome, b: MapOutcome): boolean {
  // JSON text too: key order is what the case file stores.
  return (
    a.records === b.records &&
    a.rejected === b.rejected &&
    a.message === b.message &&
    isDeepStrictEqual(a.events, b.events) &&
    JSON.stringify(a.events) === JSON.stringify(b.events)
  );
}

const WORDS = ['GET', '/api/items', 'user', 'ok', 'ä', 'ß', '日本', '🙂', '', ' ', '=', '|', 'null', '0', 'true', '{"a":1}', '[1]', 'gen_ai.user.message', 'INFO', 'Error'];
const KEYS = ['http.route', 'test.index', 'user.id', 'event.name', 'content', 'role', '__proto__', 'constructor', '', 'a', 'b', '10', '2', 'gen_ai.system', 'gen_ai.request.model', 'password', 'token', 'service.name'];

function randomRequest(random: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const text = (): string => Array.from({ length: Math.floor(random() * 4) }, () => pick(WORDS)).join(pick([' ', '', '-']));
  const value = (depth: number): Record<string, unknown> => {
    const r = random();
    if (r < 0.3 || depth > 3) return { stringValue: text() };
    if (r < 0.4) return { intValue: pick([0, 1, -1, 42, 2 ** 31, -(2 ** 40), '9007199254740993', '-9223372036854775808', '-9007199254740993']) };
    if (r < 0.5) return { doubleValue: pick([0, -0, 1.5, -2.25e300, Number.NaN, Number.POSITIVE_INFINITY, 1e-7]) };
    if (r < 0.6) return { boolValue: random() < 0.5 };
    if (r < 0.65) return { bytesValue: Buffer.from(text()) };
    if (r < 0.75) return { arrayValue: { values: Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1)) } };
    if (r < 0.85) return { kvlistValue: { values: attributes(depth + 1) } };
    return {};
  };
  const attributes = (depth: number): Record<string, unknown>[] =>
    Array.from({ length: Math.floor(random() * 4) }, () => (random() < 0.9 ? { key: pick(KEYS), value: value(depth) } : { key: pick(KEYS) }));
  const record = (): Record<string, unknown> => {
    const r: Record<string, unknown> = {};
    if (random() < 0.8) r.timeUnixNano = pick(['1700000000123456789', '1', '0', '18446744073709551615']);
    if (random() < 0.3) r.observedTimeUnixNano = '1700000000999999999';
    if (random() < 0.8) r.severityNumber = pick([0, 1, 5, 9, 12, 13, 17, 21, 24, 25, 99]);
    if (random() < 0.6) r.severityText = pick(['INFO', 'warn', 'ERROR', 'Fatal', 'notice', '', 'x']);
    if (random() < 0.9) r.body = value(0);
    r.attributes = attributes(0);
    if (random() < 0.3) r.traceId = Buffer.alloc(16, Math.floor(random() * 256));
    if (random() < 0.3) r.spanId = Buffer.alloc(8, Math.floor(random() * 256));
    if (random() < 0.2) r.eventName = pick(['gen_ai.user.message', 'gen_ai.choice', 'gen_ai.system.message', 'checkout', '']);
    if (random() < 0.1) r.flags = 1;
    if (random() < 0.1) r.droppedAttributesCount = 3;
    return r;
  };
  return {
    resourceLogs: Array.from({ length: 1 + Math.floor(random() * 2) }, () => ({
      ...(random() < 0.8 ? { resource: { attributes: [{ key: 'service.name', value: { stringValue: pick(['checkout', 'pay', '']) } }, ...attributes(0)] } } : {}),
      scopeLogs: Array.from({ length: 1 + Math.floor(random() * 2) }, () => ({
        ...(random() < 0.7 ? { scope: { name: pick(['driftlock-test', '', 'ä']), version: '1.0.0', attributes: attributes(0) } } : {}),
        logRecords: Array.from({ length: Math.floor(random() * 6) }, record),
        schemaUrl: random() < 0.2 ? 'https://opentelemetry.io/schemas/1.24.0' : '',
      })),
    })),
  };
}

const encode = (request: Record<string, unknown>): Uint8Array => type.encode(type.fromObject(request)).finish();

describe('the protobuf logs fast path', () => {
  it('maps 2,000 random well-formed requests exactly as the general path does, without giving up', () => {
    const random = rng(5);
    let events = 0;
    for (let n = 0; n < 2000; n++) {
      const bytes = encode(randomRequest(random));
      const ref = reference(bytes);
      const got = fast(bytes);
      expect(ref.ok).toBe(true);
      expect(got, `request ${n}`).toBeDefined();
      if (ref.ok && got && !same(ref.out, got)) expect(got.events, `request ${n}`).toEqual(ref.out.events);
      if (ref.ok) events += ref.out.events.length;
    }
    expect(events).toBeGreaterThan(5000);
  });

  it('gives up wherever the general path refuses a request, and agrees wherever it does not (truncated and mutated bodies)', () => {
    const random = rng(9);
    let refused = 0;
    let mapped = 0;
    for (let n = 0; n < 400; n++) {
      const valid = encode(randomRequest(random));
      const variants: Uint8Array[] = [valid.subarray(0, Math.floor(random() * valid.length))];
      for (let v = 0; v < 4; v++) {
        const bytes = Buffer.from(valid);
        for (let k = 0; k < 1 + Math.floor(random() * 3); k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        variants.push(bytes);
      }
      for (const bytes of variants) {
        const ref = reference(bytes);
        const got = fast(bytes);
        if (!ref.ok) {
          refused++;
          expect(got, `refused by the general path (${ref.error}) but mapped by the fast path`).toBeUndefined();
        } else if (got) {
          mapped++;
          if (!same(ref.out, got)) expect(got.events).toEqual(ref.out.events);
        }
      }
    }
    // Not vacuous: both kinds of outcome occurred often.
    expect(refused).toBeGreaterThan(200);
    expect(mapped).toBeGreaterThan(200);
  });

  it('leaves what it does not handle to the general path, which decodeAndMapExport then takes', () => {
    const field = (tag: number, inner: Uint8Array): Buffer => Buffer.concat([Buffer.from([tag, inner.length]), inner]);
    const kv = (key: string, v: string): Buffer => field(0x0a, Buffer.concat([field(0x0a, Buffer.from(key)), field(0x12, field(0x0a, Buffer.from(v)))]));
    const record = field(0x2a, field(0x0a, Buffer.from('hello'))); // LogRecord.body = "hello"
    const resource = field(0x0a, kv('service.name', 'late'));
    const scope = field(0x12, field(0x12, record)); // ScopeLogs.log_records
    const cases: [string, Uint8Array][] = [
      // The resource after its scopes: the walker reads it first, so the events carry its service.
      ['the resource after its scopes', field(0x0a, Buffer.concat([scope, resource]))],
      // A body given twice: protobuf merges the two values.
      ['a body given twice', field(0x0a, field(0x12, field(0x12, Buffer.concat([record, field(0x2a, Buffer.from([0x18, 0x07]))]))))],
      // An AnyValue with two members: the last one set wins.
      ['a value with two members', field(0x0a, field(0x12, field(0x12, field(0x2a, Buffer.concat([field(0x0a, Buffer.from('a')), Buffer.from([0x10, 0x01])])))))],
      ['a profiles-only string index', field(0x0a, field(0x12, field(0x12, field(0x2a, Buffer.from([0x40, 0x05])))))],
    ];
    for (const [name, bytes] of cases) {
      expect(fast(bytes), name).toBeUndefined();
      const ref = reference(bytes);
      expect(ref.ok, name).toBe(true);
      if (ref.ok) expect(decodeAndMapExport(proto, 'logs', 'protobuf', bytes, NOW), name).toEqual(ref.out);
    }
    const late = reference(cases[0]![1]);
    expect(late.ok && late.out.events[0]!.stream).toBe('late/logs/unspecified');
  });

  it('agrees on values nested up to the walker limit, and gives up beyond it', () => {
    const varint = (n: number): number[] => {
      const out: number[] = [];
      for (; n > 127; n >>>= 7) out.push((n & 127) | 128);
      out.push(n);
      return out;
    };
    const wrap = (tag: number, inner: Buffer): Buffer => Buffer.concat([Buffer.from([tag, ...varint(inner.length)]), inner]);
    for (const depth of [30, 31, 32, 33, 40]) {
      // AnyValue nesting, alternately through ArrayValue.values and KeyValueList.values[].value.
      let v = wrap(0x0a, Buffer.from('leaf'));
      for (let i = 0; i < depth; i++) v = i % 2 ? wrap(0x2a, wrap(0x0a, v)) : wrap(0x32, wrap(0x0a, Buffer.concat([wrap(0x0a, Buffer.from('k')), wrap(0x12, v)])));
      const record = Buffer.concat([wrap(0x2a, v), wrap(0x32, Buffer.concat([wrap(0x0a, Buffer.from('deep')), wrap(0x12, v)]))]);
      const bytes = wrap(0x0a, wrap(0x12, wrap(0x12, record)));
      const ref = reference(bytes);
      const got = fast(bytes);
      if (ref.ok) {
        expect(got, `depth ${depth}`).toBeDefined();
        expect(same(ref.out, got!), `depth ${depth}`).toBe(true);
      } else {
        expect(ref.error).toMatch(/nested deeper than 32 levels|max depth/);
        expect(got, `depth ${depth}`).toBeUndefined();
      }
    }
    expect(reference(Buffer.alloc(0)).ok).toBe(true);
  });
});
