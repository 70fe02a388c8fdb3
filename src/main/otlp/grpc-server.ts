import * as grpc from '@grpc/grpc-js';
import { bearerMatches } from './access-policy';
import { QueueClosedError, QueueFullError } from './ingest-queue';
import { OtlpFormatError } from './mapping/otlp-values';
import { encodeExportResponse, encodeRetryStatus, exportResponseObject } from './otlp-codec';
import { ingestExport, SinkError, type ReceiverContext } from './otlp-ingest';
import type { Signal } from './proto-root';

/**
 * OTLP/gRPC: the three Export methods. Messages pass through grpc-js as raw
 * bytes and are decoded by the same code as OTLP/HTTP protobuf, so a decode
 * failure is an INVALID_ARGUMENT answer, not a transport error. grpc-js
 * handles gzip message compression and the size limit (RESOURCE_EXHAUSTED).
 */

const passThrough = (b: Buffer): Buffer => b;

const BIND_FAILURE_LOG = /^No address added out of total \d+ resolved$/;
let loggerInstalled = false;

/**
 * grpc-js logs a failed bind to stderr itself and also rejects bindAsync with
 * the same text plus the cause; the rejection becomes our one clear message
 * (which port, what to do), so the bare duplicate line is dropped. Every other
 * grpc-js diagnostic still reaches stderr in its own format.
 */
function installGrpcLogger(): void {
  if (loggerInstalled) return;
  loggerInstalled = true;
  // grpc-js's own default format (severity letter, message) for what is kept.
  const line =
    (letter: string) =>
    (message?: unknown, ...rest: unknown[]): void =>
      console.error(`${letter} ${String(message)}`, ...rest);
  const error = line('E');
  grpc.setLogger({
    error: (message?: unknown, ...rest: unknown[]) => {
      if (typeof message === 'string' && BIND_FAILURE_LOG.test(message)) return;
      error(message, ...rest);
    },
    info: line('I'),
    debug: line('D'),
  });
}

function statusError(code: grpc.status, details: string, metadata?: grpc.Metadata): grpc.ServerErrorResponse {
  return Object.assign(new Error(details), { code, details, ...(metadata ? { metadata } : {}) });
}

function exportHandler(ctx: ReceiverContext, signal: Signal, token: string | undefined): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    if (token !== undefined) {
      const auth = call.metadata.get('authorization')[0];
      if (!bearerMatches(typeof auth === 'string' ? auth : undefined, token)) {
        ctx.stats.rejectedRequests.inc({ transport: 'grpc', reason: 'unauthorized' });
        callback(statusError(grpc.status.UNAUTHENTICATED, 'missing or wrong bearer token (metadata "authorization: Bearer <token>")'));
        return;
      }
    }
    ingestExport(ctx, signal, 'protobuf', call.request, 'grpc').then(
      (outcome) => callback(null, Buffer.from(encodeExportResponse(ctx.proto, signal, 'protobuf', exportResponseObject(signal, outcome)))),
      (err: unknown) => {
        if (err instanceof OtlpFormatError) callback(statusError(grpc.status.INVALID_ARGUMENT, err.message));
        else if (err instanceof QueueFullError) {
          // RetryInfo tells OTLP clients the condition is temporary and when to come back.
          const md = new grpc.Metadata();
          md.set('grpc-status-details-bin', encodeRetryStatus(ctx.proto, grpc.status.RESOURCE_EXHAUSTED, err.message, err.retryAfterSeconds));
          callback(statusError(grpc.status.RESOURCE_EXHAUSTED, err.message, md));
        } else if (err instanceof QueueClosedError || err instanceof SinkError) {
          callback(statusError(grpc.status.UNAVAILABLE, (err as Error).message));
        } else {
          callback(statusError(grpc.status.INTERNAL, `internal error: ${(err as Error).message}`));
        }
      },
    );
  };
}

export interface GrpcReceiver {
  port: number;
  /** Stops taking calls and waits for the ones in flight. */
  close(): Promise<void>;
}

export async function startGrpcReceiver(ctx: ReceiverContext, host: string, port: number, token: string | undefined): Promise<GrpcReceiver> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': ctx.maxBodyBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  for (const signal of ['logs', 'traces', 'metrics'] as const) {
    const path = ctx.proto.signals[signal].grpcPath;
    const definition: grpc.ServiceDefinition = {
      Export: {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: passThrough,
        requestDeserialize: passThrough,
        responseSerialize: passThrough,
        responseDeserialize: passThrough,
      },
    };
    server.addService(definition, { Export: exportHandler(ctx, signal, token) });
  }
  installGrpcLogger();
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(new Error(`OTLP/gRPC cannot listen on ${address}: ${err.message}`)) : resolve(p)));
  });
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), 10_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
