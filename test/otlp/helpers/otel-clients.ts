// Real OpenTelemetry JS SDKs and OTLP exporters as clients of the receiver.
import { Metadata } from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';

export type Protocol = 'http/json' | 'http/protobuf' | 'grpc';

export interface Target {
  protocol: Protocol;
  /** http://127.0.0.1:PORT of the matching listener (HTTP or gRPC). */
  base: string;
  gzip?: boolean;
  token?: string;
}

/** What the exporters reported back: items whose export succeeded or finally failed. */
export interface ExportTally {
  exported: number;
  failed: number;
  errors: string[];
}

interface ResultCallback {
  (result: { code: number; error?: Error }): void;
}

/** Wraps an exporter to count what it reports as exported or failed. */
function tallying<T, E extends { export(items: T, cb: ResultCallback): void; shutdown(): Promise<void> }>(inner: E, size: (items: T) => number, tally: ExportTally): E {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'export') {
        return (items: T, cb: ResultCallback) =>
          target.export(items, (result) => {
            if (result.code === 0) tally.exported += size(items);
            else {
              tally.failed += size(items);
              tally.errors.push(result.error?.message ?? 'export failed');
            }
            cb(result);
          });
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

function common(t: Target): { compression: CompressionAlgorithm; headers?: Record<string, string>; metadata?: Metadata; timeoutMillis: number } {
  const compression = t.gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE;
  if (t.protocol === 'grpc') {
    const metadata = new Metadata();
    if (t.token) metadata.set('authorization', `Bearer ${t.token}`);
    return { compression, metadata, timeoutMillis: 30_000 };
  }
  return { compression, headers: t.token ? { Authorization: `Bearer ${t.token}` } : {}, timeoutMillis: 30_000 };
}

export function logExporter(t: Target): LogRecordExporter {
  const c = common(t);
  if (t.protocol === 'grpc') return new GrpcLogExporter({ url: t.base, ...c });
  const url = `${t.base}/v1/logs`;
  return t.protocol === 'http/json' ? new JsonLogExporter({ url, ...c }) : new ProtoLogExporter({ url, ...c });
}

function traceExporter(t: Target): SpanExporter {
  const c = common(t);
  if (t.protocol === 'grpc') return new GrpcTraceExporter({ url: t.base, ...c });
  const url = `${t.base}/v1/traces`;
  return t.protocol === 'http/json' ? new JsonTraceExporter({ url, ...c }) : new ProtoTraceExporter({ url, ...c });
}

function metricExporter(t: Target): PushMetricExporter {
  const c = common(t);
  if (t.protocol === 'grpc') return new GrpcMetricExporter({ url: t.base, ...c });
  const url = `${t.base}/v1/metrics`;
  return t.protocol === 'http/json' ? new JsonMetricExporter({ url, ...c }) : new ProtoMetricExporter({ url, ...c });
}

export interface LogSpec {
  service: string;
  count: number;
  /** Body of record i. */
  body?: (i: number) => string;
  /** Records per export request. */
  batch?: number;
  /** Time of record i, ms since the epoch (default: when it is emitted). */
  timestamp?: (i: number) => number;
  /** OTLP severity number of record i (default: INFO, WARN, ERROR in turn). */
  severity?: (i: number) => number;
}

/** Emits `count` log records through the SDK and waits until every batch is exported (or finally failed). */
export async function sendLogs(t: Target, spec: LogSpec): Promise<ExportTally> {
  const tally: ExportTally = { exported: 0, failed: 0, errors: [] };
  const exporter = tallying<ReadableLogRecord[], LogRecordExporter>(logExporter(t), (r) => r.length, tally);
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': spec.service }),
    // The SDK drops records beyond its queue; size it so the test measures the server, not the client.
    processors: [new BatchLogRecordProcessor({ exporter, maxQueueSize: spec.count + 1, maxExportBatchSize: spec.batch ?? 512, scheduledDelayMillis: 50, exportTimeoutMillis: 60_000 })],
  });
  const logger = provider.getLogger('driftlock-test', '1.0.0');
  const body = spec.body ?? ((i: number) => `request ${i} handled in ${i % 97} ms`);
  for (let i = 0; i < spec.count; i++) {
    const severityNumber = spec.severity?.(i) ?? [9, 13, 17][i % 3]!;
    logger.emit({
      severityNumber,
      severityText: severityNumber >= 17 ? 'ERROR' : severityNumber >= 13 ? 'WARN' : 'INFO',
      body: body(i),
      attributes: { 'test.index': i, 'http.route': `/api/${i % 5}` },
      ...(spec.timestamp ? { timestamp: spec.timestamp(i) } : {}),
    });
  }
  await provider.forceFlush();
  await provider.shutdown();
  return tally;
}

/** Ends `count` spans (a third with error status, every fifth with a GenAI prompt/completion) and waits for the export. */
export async function sendSpans(t: Target, service: string, count: number): Promise<ExportTally> {
  const tally: ExportTally = { exported: 0, failed: 0, errors: [] };
  const exporter = tallying<ReadableSpan[], SpanExporter>(traceExporter(t), (s) => s.length, tally);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new BatchSpanProcessor({ exporter, maxQueueSize: count + 1, maxExportBatchSize: 256, scheduledDelayMillis: 50 })],
  });
  const tracer = provider.getTracer('driftlock-test');
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan(`GET /api/${i % 4}`, { kind: SpanKind.SERVER, attributes: { 'http.response.status_code': i % 3 === 2 ? 500 : 200 } });
    if (i % 5 === 0) {
      span.setAttributes({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 12, 'gen_ai.usage.output_tokens': 34 });
      span.addEvent('gen_ai.content.prompt', { 'gen_ai.prompt': `question ${i}` });
      span.addEvent('gen_ai.content.completion', { 'gen_ai.completion': `answer ${i}` });
    }
    if (i % 3 === 2) span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
    span.end();
  }
  await provider.forceFlush();
  await provider.shutdown();
  return tally;
}

/**
 * Records one counter value and one histogram value under each of `series`
 * attribute sets, then exports once: 2·series data points.
 */
export async function sendMetrics(t: Target, service: string, series: number): Promise<ExportTally> {
  const tally: ExportTally = { exported: 0, failed: 0, errors: [] };
  const pointsIn = (rm: ResourceMetrics): number => rm.scopeMetrics.reduce((a, sm) => a + sm.metrics.reduce((b, m) => b + m.dataPoints.length, 0), 0);
  const exporter = tallying<ResourceMetrics, PushMetricExporter>(metricExporter(t), pointsIn, tally);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000, exportTimeoutMillis: 30_000 });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': service }), readers: [reader] });
  const meter = provider.getMeter('driftlock-test');
  const counter = meter.createCounter('requests');
  const histogram = meter.createHistogram('latency', { unit: 'ms' });
  for (let i = 0; i < series; i++) {
    counter.add(i + 1, { route: `/r/${i}` });
    histogram.record(i * 3.5, { route: `/r/${i}` });
  }
  await provider.forceFlush();
  await provider.shutdown();
  return tally;
}
