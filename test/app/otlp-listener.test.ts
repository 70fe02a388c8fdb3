// The app's OTLP listener over the real AppServices (wired as the Electron
// entry and `serve --ui` wire them): a real case file, the receiver on
// loopback port 0, the official OpenTelemetry exporters (HTTP/protobuf and
// gRPC) as clients, live analysis in serve's windows under the case's settings. The counts
// pushed as listenerStatus and the findings pushed as anomaliesAdded are
// checked against the case, and the case file against what was sent.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templatedLog } from '../../scripts/lib/templated-log';
import type { AppServices } from '../../src/main/api/app-services';
import { dispatchCall } from '../../src/main/api/dispatch';
import { wireAppServices } from '../../src/main/api/wire-services';
import { LIVE_DEFAULT_PARAMS } from '../../src/main/analysis/live-analysis';
import type { AnomaliesAdded, ListenerStatus } from '../../src/shared/dto';
import { sendLogs } from '../otlp/helpers/otel-clients';

const ROOT = path.resolve(import.meta.dirname, '../..');
// Ten minutes of a service log (a line every 1–400 ms) with an incident of 40 unseen lines two thirds in.
const BURST_AT = 2000;
const BURST_LENGTH = 40;
const log = templatedLog({ lines: 3000, bursts: [BURST_AT], burstLength: BURST_LENGTH, seed: 11 });
const stamps = log.lines.map((l) => Date.parse(l.slice(0, 24)));
const bodies = log.lines.map((l) => l.slice(25));
// Records that carry personal data: the case's policy (default, plus a custom pattern) must redact them at the door.
const PII = Array.from({ length: 12 }, (_, i) => `invoice ${i} for CUST-${String(100000 + i)} sent to user${i % 4}@example.com`);

const LIVE_SEED = 4242;
const LIVE_PERMUTATIONS = 999;

const escapeRegex = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function freePortTaken(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Waits until `check` holds (the analysis runs on other threads); fails naming `what`. */
async function until(what: string, check: () => boolean | Promise<boolean>, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the OTLP listener of the app', () => {
  let dir: string;
  let services: AppServices;
  let casePath: string;
  const statuses: ListenerStatus[] = [];
  const added: AnomaliesAdded[] = [];
  let caseChanges = 0;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'driftlock-listener-'));
    casePath = path.join(dir, 'live.driftlock');
    services = wireAppServices({ transport: 'http', dataDir: path.join(dir, 'data'), resourcesRoot: ROOT, version: 'test' });
    services.events.subscribe((event, payload) => {
      if (event === 'listenerStatus') statuses.push(payload as ListenerStatus);
      if (event === 'anomaliesAdded') added.push(payload as AnomaliesAdded);
      if (event === 'caseChanged') caseChanges++;
    });
    await services.newCase({ path: casePath });
    // Not the defaults: the live analysis must take the case's seed and permutations, not serve's.
    await services.updateSettings({ redaction: { preset: 'default', customPatterns: ['CUST-[0-9]{6}'] }, analyst: 'test analyst', seed: LIVE_SEED, permutations: LIVE_PERMUTATIONS });
  });

  afterAll(async () => {
    await services?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says which port is taken, and leaves nothing running', async () => {
    for (const which of ['HTTP', 'gRPC'] as const) {
      const taken = await freePortTaken();
      const port = (taken.address() as { port: number }).port;
      try {
        const ports = which === 'HTTP' ? { httpPort: port, grpcPort: 0 } : { httpPort: 0, grpcPort: port };
        const result = await dispatchCall(services, 'startListener', ports);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.code).toBe('input');
        expect(result.error.message).toContain(`OTLP/${which} port ${port} on 127.0.0.1 is already in use`);
        const status = await services.listenerStatus();
        expect(status).toMatchObject({ state: 'error', httpPort: null, grpcPort: null, error: result.error.message });
        expect(statuses.at(-1)).toEqual(status);
      } finally {
        await new Promise((r) => taken.close(r));
      }
    }
    // Nothing was written: no source, no analysis.
    expect((await services.getAppInfo()).case).toMatchObject({ sources: 0, events: 0 });
    // Stopping clears the error.
    expect(await services.stopListener()).toMatchObject({ state: 'stopped', error: null });
  });

  it('receives official exporters over HTTP and gRPC on free ports, pushing its counts', async () => {
    // Read (and cached by the case port) before the listener writes: the later list must see the live findings.
    expect((await services.listAnomalies({ sort: 'time', offset: 0, limit: 10 })).total).toBe(0);
    // The receiver writes through the app's store: a second writer on the file would have been refused by its lock.
    const status = await services.startListener({ httpPort: 0, grpcPort: 0 });
    expect(status.state).toBe('listening');
    expect(status.httpPort).toBeGreaterThan(0);
    expect(status.grpcPort).toBeGreaterThan(0);
    expect(status.httpPort).not.toBe(status.grpcPort);
    // Already listening on this case: the same session.
    expect(await services.startListener({ httpPort: 0, grpcPort: 0 })).toMatchObject({ state: 'listening', httpPort: status.httpPort });

    const http = { protocol: 'http/protobuf' as const, base: `http://127.0.0.1:${status.httpPort}` };
    const grpc = { protocol: 'grpc' as const, base: `http://127.0.0.1:${status.grpcPort}` };
    const sent = await sendLogs(http, { service: 'svc', count: log.lines.length, body: (i) => bodies[i]!, timestamp: (i) => stamps[i]!, severity: () => 9, batch: 200 });
    expect(sent).toMatchObject({ exported: log.lines.length, failed: 0 });
    const pii = await sendLogs(grpc, { service: 'billing', count: PII.length, body: (i) => PII[i]!, severity: () => 9 });
    expect(pii).toMatchObject({ exported: PII.length, failed: 0 });

    const total = log.lines.length + PII.length;
    // The counters reach the UI as pushed events, not only when asked.
    await until('a pushed status with every record', () => statuses.some((s) => s.state === 'listening' && s.received === total && s.stored === total));
    const now = await services.listenerStatus();
    expect(now).toMatchObject({ state: 'listening', received: total, stored: total, rejected: 0, rejectedRequests: 0, queueDepth: 0 });
    // The case grew while listening, and the app said so.
    expect(caseChanges).toBeGreaterThan(1);
    const streams = await services.listStreams();
    expect(streams.map((s) => [s.name, s.events]).sort()).toEqual([
      ['billing/logs/info', PII.length],
      ['svc/logs/info', log.lines.length],
    ]);
  }, 120_000);

  it('stops cleanly: the queue drained, the live analysis finished, the burst flagged and announced', async () => {
    const stopped = await services.stopListener();
    expect(stopped).toMatchObject({ state: 'stopped', httpPort: null, grpcPort: null, received: log.lines.length + PII.length, queueDepth: 0, error: null });
    expect(statuses.map((s) => s.state)).toContain('stopping');
    // The ports are free again.
    for (const port of [statuses.find((s) => s.state === 'listening')!.httpPort!]) {
      const probe = createServer();
      await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
      await new Promise((r) => probe.close(r));
    }

    // The burst's window is an anomaly of the case, and it reached the app as anomaliesAdded.
    const burstStart = stamps[BURST_AT]!;
    const burstEnd = stamps[BURST_AT + BURST_LENGTH - 1]!;
    const { items } = await services.listAnomalies({ sort: 'time', offset: 0, limit: 100 });
    const hit = items.find((a) => a.stream === 'svc/logs/info' && a.startTime! <= burstEnd && burstStart < a.endTime!);
    expect(hit, 'an anomaly over the burst').toBeDefined();
    // A live window is serve's: one minute of data time.
    const windowMs = (LIVE_DEFAULT_PARAMS.windowing as { windowMs: number }).windowMs;
    expect(hit!.endTime! - hit!.startTime!).toBe(windowMs);
    expect(added.reduce((n, a) => n + a.count, 0)).toBe(items.length);
    expect(added.flatMap((a) => a.newest.map((x) => x.id))).toContain(hit!.id);
  }, 120_000);

  it('wrote the case through its one writer: every record, redacted, in sources and an analysis that are complete', async () => {
    // A second writer cannot open the file while the app has it: it is read here through a read-only connection.
    const db = new Database(casePath, { readonly: true });
    try {
      const rows = db
        .prepare(`SELECT e.seq, e.ts, e.original, e.fields FROM events e JOIN streams s ON s.id = e.stream_id WHERE s.key = 'svc/logs/info' ORDER BY e.seq`)
        .all() as Array<{ seq: number; ts: number; original: string; fields: string }>;
      expect(rows).toHaveLength(log.lines.length);
      const seen = new Set<number>();
      for (const r of rows) {
        const i = (JSON.parse(r.fields) as Record<string, number>)['test.index']!;
        seen.add(i);
        // Exact: the exporter sends the millisecond times as fixed64 nanoseconds, which the receiver divides without rounding.
        expect(r.ts).toBe(stamps[i]);
        // The default policy pseudonymises IPv4 addresses; everything else is the record's body as sent.
        const pattern = bodies[i]!.split(/10\.\d+\.\d+\.\d+/).map(escapeRegex).join('<IPV4:[a-z]{12}>');
        expect(r.original).toMatch(new RegExp(`^INFO ${pattern} \\| `));
      }
      expect(seen.size).toBe(log.lines.length);

      const pii = db.prepare(`SELECT e.original FROM events e JOIN streams s ON s.id = e.stream_id WHERE s.key = 'billing/logs/info'`).all() as Array<{ original: string }>;
      expect(pii).toHaveLength(PII.length);
      for (const { original } of pii) {
        expect(original).not.toMatch(/@example\.com|CUST-\d/);
        expect(original).toMatch(/<CUSTOM1>/);
        expect(original).toMatch(/<EMAIL:[a-z]{12}>/);
      }
      expect(db.prepare('SELECT kind, status, events FROM sources ORDER BY id').all()).toEqual([
        { kind: 'otlp-http', status: 'complete', events: log.lines.length },
        { kind: 'otlp-grpc', status: 'complete', events: PII.length },
      ]);
      expect(db.prepare('SELECT mode, status, error, seed FROM analyses').all()).toEqual([{ mode: 'live', status: 'complete', error: null, seed: LIVE_SEED }]);
      const params = JSON.parse((db.prepare('SELECT params FROM analyses').get() as { params: string }).params) as typeof LIVE_DEFAULT_PARAMS;
      expect(params).toEqual({ ...LIVE_DEFAULT_PARAMS, seed: LIVE_SEED, permutations: LIVE_PERMUTATIONS });
      const audit = (db.prepare('SELECT actor, action FROM audit ORDER BY id').all() as Array<{ actor: string; action: string }>).filter((a) => a.action !== 'settings.changed');
      expect(audit.map((a) => a.action)).toEqual(['analysis.started', 'source.received', 'source.received', 'analysis.completed']);
      expect(new Set(audit.map((a) => a.actor))).toEqual(new Set(['test analyst']));
    } finally {
      db.close();
    }
  });

  it('stops when the case closes, and again on dispose', async () => {
    const status = await services.startListener({ httpPort: 0, grpcPort: 0 });
    expect(status).toMatchObject({ state: 'listening', received: 0 });
    // A re-analysis would supersede the windows the live analysis is still deciding.
    await expect(services.reanalyze()).rejects.toThrow(/The OTLP listener is receiving into this case: stop it in the Live view/);
    const other = path.join(dir, 'other.driftlock');
    await services.newCase({ path: other });
    expect(await services.listenerStatus()).toMatchObject({ state: 'stopped' });
    // Started again on the new case, then the app goes away with it running.
    const again = await services.startListener({ httpPort: 0, grpcPort: 0 });
    const sent = await sendLogs({ protocol: 'http/json', base: `http://127.0.0.1:${again.httpPort}` }, { service: 'late', count: 25 });
    expect(sent).toMatchObject({ exported: 25, failed: 0 });
    await services.dispose();
    expect(services.currentCase()).toBeNull();
    const db = new Database(other, { readonly: true });
    try {
      expect(db.prepare('SELECT kind, status, events FROM sources').all()).toEqual([{ kind: 'otlp-http', status: 'complete', events: 25 }]);
      expect(db.prepare('SELECT mode, status FROM analyses').all()).toEqual([{ mode: 'live', status: 'complete' }]);
    } finally {
      db.close();
    }
  }, 60_000);
});
