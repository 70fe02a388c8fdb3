import { mapLogs } from './mapping/map-logs';
import { mapLogsProtobuf } from './mapping/map-logs-protobuf';
import { mapMetrics } from './mapping/map-metrics';
import { MapOutcome } from './mapping/map-outcome';
import { mapTraces } from './mapping/map-traces';
import { OtlpFormatError } from './mapping/otlp-values';
import type { OtlpProto, Signal } from './proto-root';

/**
 * Export requests in, events out; export responses and error statuses back.
 * Shared by OTLP/HTTP (protobuf and JSON) and OTLP/gRPC (protobuf).
 */

export type Encoding = 'protobuf' | 'json';

const PARTIAL_FIELD: Record<Signal, string> = {
  logs: 'rejectedLogRecords',
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
};

/** Parses an export request body; OtlpFormatError when it is not one. */
export function decodeExportRequest(proto: OtlpProto, signal: Signal, encoding: Encoding, body: Uint8Array): Record<string, unknown> {
  if (encoding === 'protobuf') {
    try {
      return proto.signals[signal].request.decode(body) as unknown as Record<string, unknown>;
    } catch (err) {
      // Truncated or corrupt input (and pathological nesting: RangeError from recursion).
      throw new OtlpFormatError('body', `invalid protobuf: ${(err as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (err) {
    throw new OtlpFormatError('body', `invalid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OtlpFormatError('body', 'expected a JSON object');
  }
  return parsed as Record<string, unknown>;
}

const MAPPERS: Record<Signal, (request: Record<string, unknown>, out: MapOutcome) => void> = {
  logs: mapLogs,
  traces: mapTraces,
  metrics: mapMetrics,
};

/** Maps a decoded request to events. Throws OtlpFormatError (the whole request is refused) on a schema violation. */
export function mapExportRequest(signal: Signal, request: Record<string, unknown>, receivedAt: number | undefined): MapOutcome {
  const out = new MapOutcome(receivedAt);
  try {
    MAPPERS[signal](request, out);
  } catch (err) {
    if (err instanceof OtlpFormatError) throw err;
    // A RangeError from pathological input is the client's fault, not a crash.
    if (err instanceof RangeError) throw new OtlpFormatError('body', err.message);
    throw err;
  }
  return out;
}

/**
 * An export request body to events, as mapExportRequest(decodeExportRequest(…))
 * maps it: protobuf logs, the bulk of what a receiver takes, go straight from
 * the wire when map-logs-protobuf.ts can read them, everything else (and
 * anything it gives up on) through the decoded tree.
 */
export function decodeAndMapExport(proto: OtlpProto, signal: Signal, encoding: Encoding, body: Uint8Array, receivedAt: number | undefined): MapOutcome {
  if (signal === 'logs' && encoding === 'protobuf') {
    const out = new MapOutcome(receivedAt);
    if (mapLogsProtobuf(body, out)) return out;
  }
  return mapExportRequest(signal, decodeExportRequest(proto, signal, encoding, body), receivedAt);
}

/** Which export request a parsed OTLP/JSON object is, by its top-level key. */
export function otlpSignalOf(request: unknown): Signal | undefined {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return undefined;
  if ('resourceLogs' in request) return 'logs';
  if ('resourceSpans' in request) return 'traces';
  if ('resourceMetrics' in request) return 'metrics';
  return undefined;
}

/**
 * One line of an OTLP-JSON file (the Collector's file exporter writes one
 * export request per line) mapped exactly as the receiver maps a request;
 * records without a time of their own keep none.
 */
export function mapOtlpJsonRequest(request: unknown): MapOutcome {
  const signal = otlpSignalOf(request);
  if (!signal) throw new OtlpFormatError('request', 'expected resourceLogs, resourceSpans or resourceMetrics');
  return mapExportRequest(signal, request as Record<string, unknown>, undefined);
}

/** The export response: empty on full success, `partialSuccess` when records were refused or there are warnings. */
export function exportResponseObject(signal: Signal, outcome: MapOutcome): Record<string, unknown> {
  const message = outcome.message;
  if (outcome.rejected === 0 && message === '') return {};
  return { partialSuccess: { [PARTIAL_FIELD[signal]]: outcome.rejected, errorMessage: message } };
}

export function encodeExportResponse(proto: OtlpProto, signal: Signal, encoding: Encoding, response: Record<string, unknown>): Uint8Array {
  if (encoding === 'protobuf') {
    const type = proto.signals[signal].response;
    return type.encode(type.fromObject(response)).finish();
  }
  const partial = response.partialSuccess as Record<string, unknown> | undefined;
  if (!partial) return Buffer.from('{}');
  // proto3 JSON: int64 as a decimal string.
  const field = PARTIAL_FIELD[signal];
  return Buffer.from(JSON.stringify({ partialSuccess: { [field]: String(partial[field]), errorMessage: partial.errorMessage } }));
}

/** google.rpc.Status body for OTLP/HTTP errors. `code` is the gRPC code matching the HTTP status. */
export function encodeStatus(proto: OtlpProto, encoding: Encoding, code: number, message: string): Uint8Array {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return proto.status.encode(proto.status.fromObject({ code, message })).finish();
}

/** grpc-status-details-bin for RESOURCE_EXHAUSTED: a Status carrying RetryInfo, so clients know they may retry and when. */
export function encodeRetryStatus(proto: OtlpProto, code: number, message: string, retryAfterSeconds: number): Buffer {
  const retryInfo = proto.retryInfo.encode(proto.retryInfo.fromObject({ retryDelay: { seconds: retryAfterSeconds, nanos: 0 } })).finish();
  const status = proto.status.fromObject({
    code,
    message,
    details: [{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: retryInfo }],
  });
  return Buffer.from(proto.status.encode(status).finish());
}
