import type { IngestQueue } from './ingest-queue';
import { MetricRegistry, type Counter } from './prometheus';

export type Transport = 'http' | 'grpc' | 'rest';
export type RejectReason = 'queue_full' | 'malformed' | 'too_large' | 'unsupported' | 'unauthorized' | 'unavailable' | 'store_error';

/** The receiver's counters, served as Prometheus text on /metrics. */
export class ReceiverStats {
  readonly registry = new MetricRegistry();
  /** Records (log records, spans, data points, posted events) in requests that were decoded. */
  readonly received: Counter;
  /** Records refused inside an accepted request (partial success). */
  readonly rejectedRecords: Counter;
  /** Whole requests refused, by reason. */
  readonly rejectedRequests: Counter;
  /** Events made durable. */
  readonly stored: Counter;

  constructor(queue: IngestQueue) {
    const r = this.registry;
    this.received = r.counter('driftlock_otlp_received_records_total', 'Records received in decoded requests (log records, spans, metric data points, posted events), by signal and transport.');
    this.rejectedRecords = r.counter('driftlock_otlp_rejected_records_total', 'Records refused inside accepted requests (reported as partial_success), by signal.');
    this.rejectedRequests = r.counter('driftlock_otlp_rejected_requests_total', 'Requests refused whole, by transport and reason.');
    this.stored = r.counter('driftlock_events_stored_total', 'Events made durable in the case file, by signal.');
    r.gauge('driftlock_ingest_queue_depth', 'Events accepted and not yet durable.', () => queue.depth);
    r.gauge('driftlock_ingest_queue_capacity', 'Events the ingest queue holds before answering 429.', () => queue.capacity);
  }
}
