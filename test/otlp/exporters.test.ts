// The official OpenTelemetry JS exporters against a real `driftlock serve`
// process: every record sent is in the case file, counts exact, for OTLP/HTTP
// JSON and protobuf, gzip or not, and OTLP/gRPC.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendLogs, sendMetrics, sendSpans, type Protocol } from './helpers/otel-clients';
import { startServe, type ServeHandle } from './helpers/serve-process';

let serve: ServeHandle;

beforeAll(async () => {
  serve = await startServe();
});
afterAll(async () => {
  if (serve) expect(await serve.stop()).toBe(0);
});

const LOGS = 1500;
const SPANS = 60;
const SERIES = 9;

const combos: [Protocol, boolean][] = [
  ['http/json', false],
  ['http/json', true],
  ['http/protobuf', false],
  ['http/protobuf', true],
  ['grpc', false],
  ['grpc', true],
];

describe.each(combos)('%s, gzip %s', (protocol, gzip) => {
  const service = `svc-${protocol.replace('/', '-')}-${gzip ? 'gz' : 'plain'}`;
  const target = () => ({ protocol, gzip, base: protocol === 'grpc' ? serve.grpcBase : serve.httpBase });

  it(`stores all ${LOGS} log records, one stream per severity band`, async () => {
    const tally = await sendLogs(target(), { service, count: LOGS, batch: 200 });
    expect(tally).toEqual({ exported: LOGS, failed: 0, errors: [] });
    expect(await serve.countEvents(`${service}/logs/%`)).toBe(LOGS);
    // The client emits INFO, WARN, ERROR in turn.
    for (const band of ['info', 'warn', 'error']) expect(await serve.countEvents(`${service}/logs/${band}`)).toBe(LOGS / 3);
  });

  it(`stores all ${SPANS} spans, by status, with their GenAI prompts and completions`, async () => {
    const genAiBefore = await serve.countEvents('gen_ai/openai/gpt-4o/%');
    const tally = await sendSpans(target(), service, SPANS);
    expect(tally).toEqual({ exported: SPANS, failed: 0, errors: [] });
    // Every third span (i % 3 == 2) has error status.
    expect(await serve.countEvents(`${service}/traces/error`)).toBe(SPANS / 3);
    expect(await serve.countEvents(`${service}/traces/ok`)).toBe((2 * SPANS) / 3);
    // Every fifth span carries one prompt and one completion.
    expect((await serve.countEvents('gen_ai/openai/gpt-4o/%')) - genAiBefore).toBe((2 * SPANS) / 5);
  });

  it('stores every metric data point', async () => {
    const tally = await sendMetrics(target(), service, SERIES);
    // Two instruments × SERIES attribute sets, exported at flush and again (cumulative) at shutdown.
    expect(tally).toEqual({ exported: 4 * SERIES, failed: 0, errors: [] });
    expect(await serve.countEvents(`${service}/metrics/requests`)).toBe(2 * SERIES);
    expect(await serve.countEvents(`${service}/metrics/latency`)).toBe(2 * SERIES);
  });
});

describe('the case file records where the events came from', () => {
  it('one source per transport, whose counts are the events stored through it', async () => {
    // Per protocol/gzip combination: LOGS records, SPANS spans, 2·SPANS/5 GenAI messages, 4·SERIES metric points.
    const perCombo = LOGS + SPANS + (2 * SPANS) / 5 + 4 * SERIES;
    const db = new Database(serve.db, { readonly: true });
    try {
      expect(db.prepare('SELECT kind, status, events, dropped, lines_done > 0 AS requests FROM sources ORDER BY kind').all()).toEqual([
        { kind: 'otlp-grpc', status: 'importing', events: 2 * perCombo, dropped: 0, requests: 1 },
        { kind: 'otlp-http', status: 'importing', events: 4 * perCombo, dropped: 0, requests: 1 },
      ]);
      expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 6 * perCombo });
      // Every event belongs to its source's streams, and no event lacks a source.
      expect(db.prepare('SELECT count(*) AS n FROM events WHERE source_id IS NULL').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});

describe('the receiver counts what it stored', () => {
  it('reports received and stored records on /metrics', async () => {
    const text = await (await fetch(`${serve.httpBase}/metrics`)).text();
    const value = (name: string, labels: string) => Number(new RegExp(`^${name}\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
    // 4 HTTP combos and 2 gRPC combos of LOGS records each.
    expect(value('driftlock_otlp_received_records_total', 'signal="logs",transport="http"')).toBe(4 * LOGS);
    expect(value('driftlock_otlp_received_records_total', 'signal="logs",transport="grpc"')).toBe(2 * LOGS);
    expect(value('driftlock_events_stored_total', 'signal="logs"')).toBe(6 * LOGS);
    expect(text).toMatch(/^driftlock_ingest_queue_depth 0$/m);
  });
});
