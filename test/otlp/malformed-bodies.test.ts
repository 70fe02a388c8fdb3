// Fuzzed and malformed export bodies: each gets 400 with a message, the
// server keeps serving, and nothing reaches the case file.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOtlpProto } from '../../src/main/otlp/proto-root';
import { startServe, type ServeHandle } from './helpers/serve-process';
import { rng } from '../helpers/rng';

const proto = loadOtlpProto();
let serve: ServeHandle;

beforeAll(async () => {
  serve = await startServe();
});
afterAll(async () => {
  await serve?.stop();
});

async function post(path: string, body: Uint8Array | string, contentType: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; bytes: Buffer }> {
  const res = await fetch(`${serve.httpBase}${path}`, { method: 'POST', body, headers: { 'Content-Type': contentType, ...headers } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, text: bytes.toString('utf8'), bytes };
}

const validLogs = proto.signals.logs.request
  .encode(
    proto.signals.logs.request.fromObject({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz' } }] },
          scopeLogs: [
            {
              logRecords: Array.from({ length: 20 }, (_, i) => ({
                timeUnixNano: 1_700_000_000_000_000_000 + i,
                severityNumber: 9,
                body: { stringValue: `line ${i}` },
                attributes: [{ key: 'n', value: { intValue: i } }],
                traceId: Buffer.alloc(16, 7),
                spanId: Buffer.alloc(8, 3),
              })),
            },
          ],
        },
      ],
    }),
  )
  .finish();

/** Nested AnyValue arrays, `depth` deep, as raw protobuf bytes: LogRecord.body = AnyValue{array_value{values[AnyValue{...}]}}. */
function deepProtobuf(depth: number): Buffer {
  // Built inside out: each level wraps the previous bytes in ArrayValue.values (field 1) then AnyValue.array_value (field 5).
  const varint = (n: number): number[] => {
    const out: number[] = [];
    while (n > 127) {
      out.push((n & 127) | 128);
      n >>>= 7;
    }
    out.push(n);
    return out;
  };
  const wrap = (tag: number, inner: Buffer): Buffer => Buffer.concat([Buffer.from([tag, ...varint(inner.length)]), inner]);
  let v = wrap(0x0a, Buffer.from('leaf')); // AnyValue.string_value
  for (let i = 0; i < depth; i++) v = wrap(0x2a, wrap(0x0a, v));
  const record = wrap(0x2a, v); // LogRecord.body
  const scope = wrap(0x12, record); // ScopeLogs.log_records
  const resource = wrap(0x12, scope); // ResourceLogs.scope_logs
  return wrap(0x0a, resource); // ExportLogsServiceRequest.resource_logs
}

describe('malformed protobuf bodies get 400', () => {
  const random = rng(20260601);
  const cases: [string, Uint8Array][] = [];
  for (let i = 0; i < 12; i++) {
    const cut = 1 + Math.floor(random() * (validLogs.length - 2));
    cases.push([`truncated at byte ${cut}`, validLogs.subarray(0, cut)]);
  }
  cases.push(['a field with an invalid wire type (7)', Buffer.from([0x0f, 0x00])]);
  cases.push(['a length running past the end', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01])]);
  cases.push(['a trace id of 3 bytes', proto.signals.logs.request.encode(proto.signals.logs.request.fromObject({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: Buffer.from([1, 2, 3]) }] }] }] })).finish()]);
  cases.push(['values nested 200,000 levels deep', deepProtobuf(200_000)]);
  cases.push(['values nested 40 levels deep', deepProtobuf(40)]);
  for (let i = 0; i < 8; i++) {
    const bytes = Buffer.from(validLogs);
    for (let k = 0; k < 6; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    cases.push([`six random bytes flipped (case ${i})`, bytes]);
  }

  it.each(cases)('%s', async (_name, body) => {
    const before = await serve.countEvents();
    const res = await post('/v1/logs', body, 'application/x-protobuf');
    // Random flips can leave a valid message; then the whole request is stored, never part of it.
    if (res.status === 200) {
      const after = await serve.countEvents();
      expect(after - before).toBeGreaterThanOrEqual(0);
      return;
    }
    expect(res.status).toBe(400);
    const status = proto.status.toObject(proto.status.decode(res.bytes));
    expect(status.code).toBe(3);
    expect(await serve.countEvents()).toBe(before);
  });

  it('deterministic malformations are all refused (not just "not 200")', async () => {
    for (const [name, body] of cases.filter(([n]) => !n.startsWith('six random'))) {
      const res = await post('/v1/logs', body, 'application/x-protobuf');
      expect(res.status, name).toBe(400);
    }
  });
});

describe('malformed JSON bodies get 400 with the field named', () => {
  const huge = 'x'.repeat(2 * 1024 * 1024);
  const cases: [string, string, RegExp][] = [
    ['truncated JSON', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"a"', /invalid JSON/],
    ['an array at the top', '[1,2,3]', /expected a JSON object/],
    ['resourceLogs of the wrong type', '{"resourceLogs":"nope"}', /resourceLogs: expected an array/],
    ['an int64 that is not a number', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"tomorrow"}]}]}]}', /timeUnixNano: expected an integer/],
    ['a base64 trace id (OTLP/JSON wants hex)', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"W47/95gDgQPSabYzgT/GDA=="}]}]}]}', /traceId: expected 32 hex characters/],
    ['a string where a kvlist belongs', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"kvlistValue":"k=v"}}]}]}]}', /kvlistValue: expected an object/],
    ['a huge string where a number belongs', `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":"${huge}"}]}]}]}`, /severityNumber: unknown enum value/],
    ['arrays nested 100,000 deep in a body', `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${'{"arrayValue":{"values":['.repeat(100_000)}{}${']}}'.repeat(100_000)}}]}]}]}`, /nested deeper than 32 levels/],
    ['raw brackets nested 1,000,000 deep', `{"x":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`, /./],
    ['not UTF-8 JSON at all', '\u0000\u0001\u0002', /invalid JSON/],
  ];

  it.each(cases)('%s', async (_name, body, message) => {
    const before = await serve.countEvents();
    const res = await post('/v1/logs', body, 'application/json');
    if (_name === 'raw brackets nested 1,000,000 deep') {
      // Unknown fields are ignored by the spec; what matters is an answer and a live server.
      expect([200, 400]).toContain(res.status);
    } else {
      expect(res.status).toBe(400);
      const status = JSON.parse(res.text) as { code: number; message: string };
      expect(status.code).toBe(3);
      expect(status.message).toMatch(message);
    }
    expect(await serve.countEvents()).toBe(before);
  });
});

describe('limits and transport errors', () => {
  it('413 for a body over the limit, declared or streamed', async () => {
    const big = Buffer.alloc(serve.maxBodyBytes + 1, 0x20);
    const res = await post('/v1/logs', big, 'application/json');
    expect(res.status).toBe(413);
  });

  it('413 for a gzip bomb (small on the wire, over the limit decoded)', async () => {
    const bomb = gzipSync(Buffer.alloc(serve.maxBodyBytes + 1024, 0x20));
    expect(bomb.length).toBeLessThan(serve.maxBodyBytes / 100);
    const res = await post('/v1/logs', bomb, 'application/json', { 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(413);
  });

  it('400 for a body that says gzip and is not', async () => {
    const res = await post('/v1/logs', 'plain', 'application/json', { 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/invalid gzip/);
  });

  it('415 for an unknown content type or encoding', async () => {
    expect((await post('/v1/logs', 'x', 'text/plain')).status).toBe(415);
    expect((await post('/v1/logs', 'x', 'application/json', { 'Content-Encoding': 'br' })).status).toBe(415);
  });

  it('the server still serves well-formed exports after all of this', async () => {
    const before = await serve.countEvents();
    const res = await post('/v1/logs', validLogs, 'application/x-protobuf');
    expect(res.status).toBe(200);
    expect(await serve.countEvents()).toBe(before + 20);
    expect(serve.alive()).toBe(true);
  });
});
