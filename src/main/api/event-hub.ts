/** Typed fan-out of the events main pushes to every connected UI (IPC window or SSE client). */
import type { EventName, EventPayload } from '../../shared/channels';

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export class EventHub {
  private readonly sinks = new Set<EventSink>();

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const sink of this.sinks) {
      try {
        sink(event, payload);
      } catch {
        // A closed window or a dropped SSE client must not stop the others.
      }
    }
  }
}
