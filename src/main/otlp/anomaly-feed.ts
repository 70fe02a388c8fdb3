import type { IncomingMessage, ServerResponse } from 'node:http';
import { ANOMALY_STREAM_EVENT } from '../../shared/rest-api';
import type { AnomaliesQuery, AnomalyFilter } from '../store';

interface Client {
  res: ServerResponse;
  filter: AnomalyFilter;
  /** Last anomaly id sent (the SSE event id). */
  lastId: number;
}

/** Anomalies read per client per turn; a long backlog goes out in several. */
const BATCH = 500;
/** A comment line this often keeps proxies and idle timeouts from closing the stream. */
const HEARTBEAT_MS = 15_000;
/** A client this far behind is disconnected; it reconnects with Last-Event-ID and catches up from the case. */
const MAX_BUFFERED_BYTES = 4 << 20;

/**
 * GET /v1/anomalies/stream: server-sent events of new anomalies. Each
 * client's position is an anomaly id, and every send reads the case from
 * that id on, so what a client receives is exactly what is committed, in id
 * order, with no gaps across reconnects (Last-Event-ID) and no unbounded
 * buffer for slow readers.
 */
export class AnomalyFeed {
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly anomalies: AnomaliesQuery) {
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) c.res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /**
   * Starts an event stream. `after` (Last-Event-ID or ?after=) replays what
   * followed it; without it the stream starts with the next new anomaly.
   */
  open(req: IncomingMessage, res: ServerResponse, filter: AnomalyFilter, after: number | undefined): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    if (this.closed) {
      res.end();
      return;
    }
    const client: Client = { res, filter, lastId: after ?? this.anomalies.lastId() };
    this.clients.add(client);
    const drop = (): void => {
      this.clients.delete(client);
    };
    req.on('close', drop);
    res.on('close', drop);
    res.write('retry: 3000\n: connected\n\n');
    this.send(client);
  }

  /** New anomalies are committed: send each client what it has not seen. */
  notify(): void {
    for (const c of this.clients) this.send(c);
  }

  private send(c: Client): void {
    for (;;) {
      if (c.res.writableLength > MAX_BUFFERED_BYTES) {
        this.clients.delete(c);
        c.res.end();
        return;
      }
      const rows = this.anomalies.since(c.filter, c.lastId, BATCH);
      for (const a of rows) {
        c.res.write(`id: ${a.id}\nevent: ${ANOMALY_STREAM_EVENT}\ndata: ${JSON.stringify(a)}\n\n`);
        c.lastId = a.id;
      }
      if (rows.length < BATCH) return;
    }
  }

  /** Ends every stream (shutdown: clients reconnect to the next server with their Last-Event-ID). */
  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }
}
