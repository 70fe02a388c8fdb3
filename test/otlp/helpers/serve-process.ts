// The receiver under test. Until the case store lands this runs in-process
// with an in-memory sink; afterwards it is a real `driftlock serve` child.
import type { ReceivedEvent } from '../../../src/main/otlp/event-sink';
import { startReceiver, type Receiver } from '../../../src/main/otlp/otlp-receiver';

export interface ServeHandle {
  httpBase: string;
  grpcBase: string;
  maxBodyBytes: number;
  countEvents(stream?: string): Promise<number>;
  alive(): boolean;
  stop(): Promise<void>;
}

export async function startServe(opts: { token?: string; maxBodyBytes?: number } = {}): Promise<ServeHandle> {
  const events: ReceivedEvent[] = [];
  const maxBodyBytes = opts.maxBodyBytes ?? 4 * 1024 * 1024;
  const r: Receiver = await startReceiver({
    host: '127.0.0.1',
    httpPort: 0,
    grpcPort: 0,
    token: opts.token,
    maxBodyBytes,
    sink: { append: async (e) => void events.push(...e), close: async () => {} },
    backend: { version: 'test', readiness: () => ({ ready: true, store: true, workers: true }) },
  });
  return {
    httpBase: `http://127.0.0.1:${r.httpPort}`,
    grpcBase: `http://127.0.0.1:${r.grpcPort}`,
    maxBodyBytes,
    countEvents: async (stream) => (stream ? events.filter((e) => e.stream === stream).length : events.length),
    alive: () => true,
    stop: () => r.close(),
  };
}
