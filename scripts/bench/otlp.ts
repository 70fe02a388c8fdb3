// OTLP benchmark (issue 5): 200,000 log records from 4 concurrent official
// OTel exporters (OTLP/HTTP protobuf) into a real `driftlock serve` process on
// loopback. Zero loss is checked (exporters' results and the case file's
// count); throughput, 429s and the server's peak RSS are reported. Bounded:
// the run ends when the exporters have flushed, or fails after 5 minutes.
import Database from 'better-sqlite3';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sendLogs } from '../../test/otlp/helpers/otel-clients';
import { spawnServe } from '../../test/otlp/helpers/serve-process';
import { machine, writeSection } from './report';

const RECORDS = 200_000;
const EXPORTERS = 4;
const BATCH = 1024;

function vmHwmMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU seconds (user + system) a process has used, from /proc/PID/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function metric(text: string, name: string, labels: string): number {
  return Number(new RegExp(`^${name}\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

export async function benchOtlp(): Promise<void> {
  console.log(`otlp: ${RECORDS.toLocaleString('en')} log records from ${EXPORTERS} concurrent exporters into driftlock serve…`);
  const dir = mkdtempSync(path.join(tmpdir(), 'driftlock-bench-otlp-'));
  const db = path.join(dir, 'case.sqlite');
  const child = spawnServe(['--db', db, '--otlp-http', '0', '--otlp-grpc', 'off']);
  const guard = setTimeout(() => {
    console.error('otlp bench: still running after 5 minutes; stopping');
    child.kill('SIGKILL');
    process.exit(1);
  }, 300_000);
  try {
    let stderr = '';
    const base = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /OTLP\/HTTP and REST on (http:\/\/\S+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
    });
    const rssBefore = vmHwmMb(child.pid!);
    const serverCpu0 = cpuSeconds(child.pid!);
    const clientCpu0 = process.cpuUsage();
    const started = performance.now();
    const tallies = await Promise.all(
      Array.from({ length: EXPORTERS }, (_, k) =>
        sendLogs(
          { protocol: 'http/protobuf', base },
          { service: `bench-${k}`, count: RECORDS / EXPORTERS, batch: BATCH, body: (i) => `GET /api/items/${i % 500} user=${(i * 7919) % 10007} status=${i % 50 === 0 ? 500 : 200} in ${i % 230} ms` },
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const serverCpu = cpuSeconds(child.pid!) - serverCpu0;
    const clientUsage = process.cpuUsage(clientCpu0);
    const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
    const text = await (await fetch(`${base}/metrics`)).text();
    const peakRss = vmHwmMb(child.pid!);
    const exported = tallies.reduce((s, t) => s + t.exported, 0);
    const failed = tallies.reduce((s, t) => s + t.failed, 0);
    const refused = metric(text, 'driftlock_otlp_rejected_requests_total', 'reason="queue_full",transport="http"') + metric(text, 'driftlock_otlp_rejected_requests_total', 'transport="http",reason="queue_full"');
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
    const conn = new Database(db, { readonly: true });
    const stored = (conn.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    conn.close();
    const lost = RECORDS - stored;
    const rate = RECORDS / seconds;
    const body = `Machine: ${machine()}. The server (\`driftlock serve\`, one Node process) and the ${EXPORTERS} exporters (one Node process, official \`@opentelemetry/exporter-logs-otlp-proto\` 0.301.0 behind \`BatchLogRecordProcessor\`, batches of ${BATCH}) share the same 2 cores, so the figures are indicative and conservative.

Case file sink: **interim** SQLite sink (WAL, synchronous=NORMAL, one transaction per queue batch) until the case store lands; the response to each export is sent after its transaction commits.

| measurement | value |
|---|---:|
| records sent | ${RECORDS.toLocaleString('en')} |
| stored in the case file | ${stored.toLocaleString('en')} |
| lost | ${lost} |
| exporter batches refused with 429 (then retried) | ${refused} |
| exporter-reported failures | ${failed} (exported ${exported.toLocaleString('en')}) |
| wall time, first record emitted → last batch durable | ${seconds.toFixed(2)} s |
| throughput | ${Math.round(rate).toLocaleString('en')} records/s |
| server CPU time (all threads) | ${serverCpu.toFixed(2)} s → ${Math.round(RECORDS / serverCpu).toLocaleString('en')} records per server CPU-second |
| exporters' CPU time (SDK + serialisation) | ${clientCpu.toFixed(2)} s |
| server peak RSS (VmHWM) | ${Math.round(peakRss)} MB (${Math.round(rssBefore)} MB idle) |
| server exit code after SIGTERM | ${code} |

Targets: ≥ 50,000 records/s (${rate >= 50_000 ? 'met' : 'NOT met'}), RSS < 500 MB (${peakRss < 500 ? 'met' : 'NOT met'}), zero loss (${lost === 0 && failed === 0 ? 'met' : 'NOT met'}).`;
    writeSection('OTLP', body);
    console.log(body);
    if (lost !== 0 || failed !== 0) process.exitCode = 1;
  } finally {
    clearTimeout(guard);
    if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
