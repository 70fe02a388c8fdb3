import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/**
 * The OTLP protobuf types, loaded at run time from the vendored .proto files
 * in resources/proto (protobufjs reflection). Run-time loading keeps one
 * source of truth (the upstream files, byte-identical, sha256-checked by a
 * test) and needs no code generator; protobufjs compiles each type's decoder
 * on first use, so decoding is as fast as generated static code.
 */

export type Signal = 'logs' | 'traces' | 'metrics';

const SERVICE_FILES: Record<Signal, string> = {
  logs: 'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  traces: 'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  metrics: 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
};

const PACKAGES: Record<Signal, { pkg: string; service: string; request: string; response: string }> = {
  logs: { pkg: 'opentelemetry.proto.collector.logs.v1', service: 'LogsService', request: 'ExportLogsServiceRequest', response: 'ExportLogsServiceResponse' },
  traces: { pkg: 'opentelemetry.proto.collector.trace.v1', service: 'TraceService', request: 'ExportTraceServiceRequest', response: 'ExportTraceServiceResponse' },
  metrics: { pkg: 'opentelemetry.proto.collector.metrics.v1', service: 'MetricsService', request: 'ExportMetricsServiceRequest', response: 'ExportMetricsServiceResponse' },
};

/**
 * google.rpc.Status and RetryInfo: the error body of OTLP/HTTP and the
 * RESOURCE_EXHAUSTED detail of OTLP/gRPC. Five fields, stable for a decade;
 * declared here rather than vendoring googleapis.
 */
const GOOGLE_RPC = {
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { typeUrl: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
            Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            RetryInfo: { fields: { retryDelay: { type: 'google.protobuf.Duration', id: 1 } } },
          },
        },
      },
    },
  },
};

export interface SignalTypes {
  request: protobuf.Type;
  response: protobuf.Type;
  /** gRPC method path, e.g. /opentelemetry.proto.collector.logs.v1.LogsService/Export. */
  grpcPath: string;
}

export interface OtlpProto {
  signals: Record<Signal, SignalTypes>;
  status: protobuf.Type;
  retryInfo: protobuf.Type;
}

/** Walks up from this module to the folder that holds resources/proto (source tree and electron-vite output alike). */
export function findProtoDir(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources', 'proto');
    if (existsSync(join(candidate, SERVICE_FILES.logs))) return candidate;
    if (dirname(dir) === dir) throw new Error(`OTLP .proto files not found in resources/proto above ${from}`);
  }
}

let cached: OtlpProto | undefined;

/** Loads (once) the three collector services and the google.rpc types. */
export function loadOtlpProto(protoDir = findProtoDir()): OtlpProto {
  if (cached) return cached;
  const root = new protobuf.Root();
  // Imports in the .proto files are relative to the include root.
  root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : join(protoDir, target));
  root.loadSync(Object.values(SERVICE_FILES), { keepCase: false });
  root.addJSON(GOOGLE_RPC.nested);
  root.resolveAll();
  const signals = {} as Record<Signal, SignalTypes>;
  for (const signal of Object.keys(PACKAGES) as Signal[]) {
    const p = PACKAGES[signal];
    signals[signal] = {
      request: root.lookupType(`${p.pkg}.${p.request}`),
      response: root.lookupType(`${p.pkg}.${p.response}`),
      grpcPath: `/${p.pkg}.${p.service}/Export`,
    };
  }
  cached = { signals, status: root.lookupType('google.rpc.Status'), retryInfo: root.lookupType('google.rpc.RetryInfo') };
  return cached;
}
