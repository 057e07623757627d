import { events, type EventName, type EventPayload } from './contract.js';

export type EventListener = (event: EventName, payload: unknown) => void;

/** Engine-wide events; transports subscribe once and forward everything. */
export class EventBus {
  private listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    // Validate at the source so every transport forwards the same, well-formed payload.
    const checked = events[event].parse(payload);
    for (const listener of [...this.listeners]) {
      try {
        listener(event, checked);
      } catch {
        // A misbehaving subscriber (a closed socket) must not break the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
