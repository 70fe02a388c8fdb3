import type { ReceivedEvent, Transport as SinkTransport } from './event-sink';
import { QueueClosedError, QueueFullError, type IngestQueue } from './ingest-queue';
import type { MapOutcome } from './mapping/map-outcome';
import { OtlpFormatError } from './mapping/otlp-values';
import { decodeAndMapExport, type Encoding } from './otlp-codec';
import type { OtlpProto, Signal } from './proto-root';
import type { ReceiverStats, Transport } from './receiver-stats';

/** What the HTTP and gRPC receivers share. */
export interface ReceiverContext {
  proto: OtlpProto;
  queue: IngestQueue;
  stats: ReceiverStats;
  /** Largest request body, compressed or decoded, in bytes. */
  maxBodyBytes: number;
  /** Set when shutdown begins: new exports are refused with a retryable status. */
  stopping: boolean;
  /** Receive time for records without their own (ms since epoch). */
  now: () => number;
  /** Called when the sink fails, so the operator sees why clients are told to retry. */
  onSinkError: (err: Error) => void;
}

/** The sink failed: the data is not stored and the client should retry. */
export class SinkError extends Error {
  override name = 'SinkError';
}

/**
 * One export request, transport aside: decode, map, queue, wait until durable.
 * Throws OtlpFormatError (400 / INVALID_ARGUMENT), QueueFullError (429 /
 * RESOURCE_EXHAUSTED), QueueClosedError (503 / UNAVAILABLE) or SinkError
 * (503 / UNAVAILABLE); each refusal is counted.
 */
export async function ingestExport(ctx: ReceiverContext, signal: Signal, encoding: Encoding, body: Uint8Array, transport: Transport): Promise<MapOutcome> {
  if (ctx.stopping) {
    ctx.stats.rejectedRequests.inc({ transport, reason: 'unavailable' });
    throw new QueueClosedError();
  }
  // A full queue refuses before decoding: the cheapest answer, and the same for every request size.
  if (ctx.queue.depth >= ctx.queue.capacity) {
    ctx.stats.rejectedRequests.inc({ transport, reason: 'queue_full' });
    throw new QueueFullError(ctx.queue.retryAfterSeconds());
  }
  let outcome: MapOutcome;
  try {
    outcome = decodeAndMapExport(ctx.proto, signal, encoding, body, ctx.now());
  } catch (err) {
    if (err instanceof OtlpFormatError) ctx.stats.rejectedRequests.inc({ transport, reason: 'malformed' });
    throw err;
  }
  ctx.stats.received.inc({ signal, transport }, outcome.records);
  await submitEvents(ctx, outcome.events, body.byteLength, signal, transport);
  if (outcome.rejected > 0) ctx.stats.rejectedRecords.inc({ signal }, outcome.rejected);
  return outcome;
}

/** The live source a receiver transport's events are recorded under. */
const SOURCE_OF: Record<Transport, SinkTransport> = { http: 'otlp-http', grpc: 'otlp-grpc', rest: 'rest' };

/** Queues one request's events and waits until they are durable, counting refusals. */
export async function submitEvents(ctx: ReceiverContext, events: readonly ReceivedEvent[], bytes: number, signal: string, transport: Transport): Promise<void> {
  try {
    await ctx.queue.submit({ transport: SOURCE_OF[transport], events, bytes });
  } catch (err) {
    if (err instanceof QueueFullError) ctx.stats.rejectedRequests.inc({ transport, reason: 'queue_full' });
    else if (err instanceof QueueClosedError) ctx.stats.rejectedRequests.inc({ transport, reason: 'unavailable' });
    else {
      ctx.stats.rejectedRequests.inc({ transport, reason: 'store_error' });
      ctx.onSinkError(err as Error);
      throw new SinkError(`events could not be stored: ${(err as Error).message}`);
    }
    throw err;
  }
  ctx.stats.stored.inc({ signal }, events.length);
}
