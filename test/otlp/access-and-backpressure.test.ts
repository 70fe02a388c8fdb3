// Bind policy and bearer tokens against real serve processes; backpressure
// (429 + Retry-After, RESOURCE_EXHAUSTED + RetryInfo) with a sink held shut.
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReceivedEvent, Submission } from '../../src/main/otlp/event-sink';
import { IngestQueue, QueueFullError } from '../../src/main/otlp/ingest-queue';
import { startReceiver } from '../../src/main/otlp/otlp-receiver';
import { loadOtlpProto } from '../../src/main/otlp/proto-root';
import { sendLogs } from './helpers/otel-clients';
import { exited, spawnServe, startServe } from './helpers/serve-process';

const TOKEN = 'correct-horse-battery-staple';

describe('bind policy', () => {
  it('refuses a non-loopback address without a token, before listening, with a clear message', async () => {
    const { code, stderr } = await exited(spawnServe(['--db', '/nonexistent/never-created.sqlite', '--host', '0.0.0.0', '--otlp-http', '0', '--otlp-grpc', '0']));
    expect(code).toBe(2);
    expect(stderr).toMatch(/refusing to listen on non-loopback address 0\.0\.0\.0 without a token/);
    expect(stderr).toMatch(/--token/);
    expect(stderr).not.toMatch(/OTLP\/HTTP and REST on/);
  });

  it('names a port another program holds, in one line, and exits 2', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'driftlock-taken-'));
    try {
      for (const [flag, which] of [
        ['--otlp-grpc', 'OTLP/gRPC'],
        ['--otlp-http', 'OTLP/HTTP'],
      ] as const) {
        const ports = { '--otlp-http': '0', '--otlp-grpc': '0', [flag]: String(taken) };
        const { code, stderr } = await exited(spawnServe(['--db', join(dir, 'case.sqlite'), ...Object.entries(ports).flat()]));
        expect(code).toBe(2);
        // Ours alone: grpc-js's own duplicate line ("E No address added …") is not printed beside it.
        expect(stderr.trim().split('\n')).toEqual([`driftlock serve: ${which} port ${taken} on 127.0.0.1 is already in use by another program (another collector or driftlock serve?). Stop it, or choose another port (0 = any free port).`]);
        // The case file this run would have created is not left behind empty.
        expect(readdirSync(dir)).toEqual([]);
      }
    } finally {
      holder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a token too short to be a secret', async () => {
    const { code, stderr } = await exited(spawnServe(['--db', '/nonexistent/x.sqlite', '--host', '0.0.0.0', '--token', 'abc']));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--token must be at least 16 characters/);
  });
});

describe('with a token every route needs it', () => {
  it('answers 401 without it, stores nothing, and accepts OTLP/HTTP, gRPC and REST with it', async () => {
    const serve = await startServe({ token: TOKEN });
    try {
      for (const path of ['/healthz', '/readyz', '/metrics', '/v1/version']) {
        const res = await fetch(`${serve.httpBase}${path}`);
        expect(res.status, path).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
      expect((await fetch(`${serve.httpBase}/healthz`, { headers: { Authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
      expect((await fetch(`${serve.httpBase}/healthz`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);

      const noToken = await sendLogs({ protocol: 'http/protobuf', base: serve.httpBase }, { service: 'anon', count: 10 });
      expect(noToken.failed).toBe(10);
      const noTokenGrpc = await sendLogs({ protocol: 'grpc', base: serve.grpcBase }, { service: 'anon', count: 10 });
      expect(noTokenGrpc.failed).toBe(10);
      expect(noTokenGrpc.errors[0]).toMatch(/UNAUTHENTICATED|bearer/i);
      expect(await serve.countEvents()).toBe(0);

      expect(await sendLogs({ protocol: 'http/json', base: serve.httpBase, token: TOKEN }, { service: 'known', count: 10 })).toMatchObject({ exported: 10, failed: 0 });
      expect(await sendLogs({ protocol: 'grpc', base: serve.grpcBase, token: TOKEN }, { service: 'known', count: 10 })).toMatchObject({ exported: 10, failed: 0 });
      expect(await serve.countEvents('known/logs/%')).toBe(20);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });
});

describe('loopback without a token', () => {
  it('refuses a Host header that is not loopback (DNS rebinding) and a form post to the REST API', async () => {
    const serve = await startServe();
    try {
      const port = new URL(serve.httpBase).port;
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/healthz', headers: { Host: `evil.example:${port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(403);
      const form = await fetch(`${serve.httpBase}/v1/events`, { method: 'POST', body: 'events=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(form.status).toBe(415);
    } finally {
      await serve.stop();
    }
  });
});

/** A sink that holds every append until opened. */
function gatedSink() {
  const stored: ReceivedEvent[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  return {
    stored,
    open: () => open(),
    sink: {
      append: async (submissions: readonly Submission[]) => {
        await gate;
        for (const s of submissions) stored.push(...s.events);
      },
      close: async () => {},
    },
  };
}

const ev = (n: number): ReceivedEvent[] => Array.from({ length: n }, (_, i) => ({ stream: 's', timestamp: i, text: `e${i}`, kind: 'event', fields: {} }));
const sub = (n: number): Submission => ({ transport: 'rest', events: ev(n), bytes: 0 });

describe('the ingest queue', () => {
  it('refuses whole submissions past its capacity and resolves the rest once durable', async () => {
    const g = gatedSink();
    const q = new IngestQueue(g.sink, { maxEvents: 10, maxBatchEvents: 100 });
    const first = q.submit(sub(6));
    const second = q.submit(sub(4));
    await expect(q.submit(sub(1))).rejects.toBeInstanceOf(QueueFullError);
    expect(q.depth).toBe(10);
    g.open();
    await Promise.all([first, second]);
    expect(g.stored).toHaveLength(10);
    expect(q.depth).toBe(0);
    await q.submit(sub(1));
    expect(g.stored).toHaveLength(11);
  });

  it('takes an oversized submission into an empty queue', async () => {
    const g = gatedSink();
    g.open();
    const q = new IngestQueue(g.sink, { maxEvents: 10, maxBatchEvents: 100 });
    await q.submit(sub(25));
    expect(g.stored).toHaveLength(25);
  });
});

describe('backpressure on the wire', () => {
  it('answers 429 with Retry-After and RESOURCE_EXHAUSTED with RetryInfo; the OTel exporter retries and nothing is lost', async () => {
    const g = gatedSink();
    const r = await startReceiver({
      host: '127.0.0.1',
      httpPort: 0,
      grpcPort: 0,
      sink: g.sink,
      backend: { version: 'test', readiness: () => ({ ready: true, store: true, workers: true }) },
      queue: { maxEvents: 100, maxBatchEvents: 100 },
    });
    try {
      const base = `http://127.0.0.1:${r.httpPort}`;
      const post = (n: number) =>
        fetch(`${base}/v1/events`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ events: ev(n).map((e) => ({ stream: e.stream, text: e.text })) }) });
      // 100 events fill the queue; the sink holds them.
      const filling = post(100);
      await new Promise((res) => setTimeout(res, 100));
      const refused = await post(1);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

      const otlp = await fetch(`${base}/v1/logs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(otlp.status).toBe(429);
      expect(otlp.headers.get('retry-after')).toBe('1');
      expect(await otlp.json()).toMatchObject({ code: 8 });

      // gRPC: RESOURCE_EXHAUSTED carrying google.rpc.RetryInfo in grpc-status-details-bin.
      const proto = loadOtlpProto();
      const client = new grpc.Client(`127.0.0.1:${r.grpcPort}`, grpc.credentials.createInsecure());
      const err = await new Promise<grpc.ServiceError>((resolve) => {
        client.makeUnaryRequest(proto.signals.logs.grpcPath, (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), (e) => resolve(e!));
      });
      client.close();
      expect(err.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      const details = proto.status.toObject(proto.status.decode(err.metadata.get('grpc-status-details-bin')[0] as Buffer)) as { details: { typeUrl: string; value: Uint8Array }[] };
      expect(details.details[0]!.typeUrl).toBe('type.googleapis.com/google.rpc.RetryInfo');
      const retry = proto.retryInfo.toObject(proto.retryInfo.decode(details.details[0]!.value), { longs: Number }) as { retryDelay: { seconds: number } };
      expect(retry.retryDelay.seconds).toBe(1);

      // A real exporter meets the 429, waits Retry-After and retries; the sink opens meanwhile.
      const refusedSoFar = r.stats.rejectedRequests.get({ transport: 'http', reason: 'queue_full' });
      const exporting = sendLogs({ protocol: 'http/protobuf', base }, { service: 'patient', count: 50 });
      // Open the sink only once the exporter has been refused at least once.
      while (r.stats.rejectedRequests.get({ transport: 'http', reason: 'queue_full' }) === refusedSoFar) await new Promise((res) => setTimeout(res, 20));
      g.open();
      expect(await exporting).toMatchObject({ exported: 50, failed: 0 });
      expect((await filling).status).toBe(200);
      expect(g.stored.filter((e) => e.stream === 'patient/logs/info' || e.stream.startsWith('patient/')).length).toBe(50);
      expect(r.stats.rejectedRequests.get({ transport: 'rest', reason: 'queue_full' })).toBe(1);
      expect(r.stats.rejectedRequests.get({ transport: 'grpc', reason: 'queue_full' })).toBe(1);
      // The bare /v1/logs post and at least one exporter attempt.
      expect(r.stats.rejectedRequests.get({ transport: 'http', reason: 'queue_full' })).toBeGreaterThanOrEqual(2);
    } finally {
      g.open();
      await r.close();
    }
  });
});
