import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type JsonLogger } from '../observability/logger';
import type { EventMap, EventName } from './event-map';

export type EventHandler<K extends EventName> = (payload: EventMap[K]) => void | Promise<void>;

/**
 * The in-process event bus of one backend instance (one per application, from the core module), typed by EventMap.
 *
 * emit returns at once: each subscriber runs on its own microtask after the emitter has carried on (an ingest's
 * HTTP answer never waits for the live stream or the alert evaluation). An error thrown or rejected by one
 * subscriber is logged and reaches neither the emitter nor the other subscribers.
 */
@Injectable()
export class EventBus {
  private readonly handlers = new Map<EventName, Set<EventHandler<never>>>();

  constructor(@Inject(LOGGER) private readonly logger: JsonLogger) {}

  /** Subscribes; returns the function that unsubscribes (the same as off). */
  on<K extends EventName>(name: K, handler: EventHandler<K>): () => void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler as EventHandler<never>);
    return () => this.off(name, handler);
  }

  off<K extends EventName>(name: K, handler: EventHandler<K>): void {
    this.handlers.get(name)?.delete(handler as EventHandler<never>);
  }

  emit<K extends EventName>(name: K, payload: EventMap[K]): void {
    const handlers = this.handlers.get(name);
    if (!handlers) return;
    for (const handler of [...handlers] as EventHandler<K>[]) {
      Promise.resolve()
        .then(() => handler(payload))
        .catch((error: unknown) => {
          this.logger.error('events.subscriber_failed', { kind: name, error: error instanceof Error ? error.message : String(error) });
        });
    }
  }
}
