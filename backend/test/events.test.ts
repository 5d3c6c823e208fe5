import { describe, expect, it } from 'vitest';
import { EventBus } from '../src/events/event-bus';
import { JsonLogger } from '../src/observability/logger';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function bus() {
  const lines: string[] = [];
  return { bus: new EventBus(new JsonLogger('info', (line) => lines.push(line))), lines };
}

const stored = { batchId: 'b-1', keyId: 'k', points: { metric: ['dvc.services_online'], unit: ['79'], ts: [0], value: [1] } };

describe('event bus', () => {
  it('tells the subscribers of a kind after the emitter has carried on, and only them', async () => {
    const { bus: events } = bus();
    const seen: string[] = [];
    events.on('observations.stored', ({ batchId }) => void seen.push(`stored ${batchId}`));
    events.on('alert.transitioned', ({ cause }) => void seen.push(`alert ${cause}`));
    events.emit('observations.stored', stored);
    expect(seen).toEqual([]);
    await settle();
    expect(seen).toEqual(['stored b-1']);
  });

  it('off (or the function on returns) unsubscribes', async () => {
    const { bus: events } = bus();
    let calls = 0;
    const handler = () => void (calls += 1);
    const unsubscribe = events.on('alert.transitioned', handler);
    events.emit('alert.transitioned', { cause: 'sweep', ruleId: null, transitions: 1 });
    await settle();
    unsubscribe();
    events.emit('alert.transitioned', { cause: 'sweep', ruleId: null, transitions: 1 });
    events.on('alert.transitioned', handler);
    events.off('alert.transitioned', handler);
    events.emit('alert.transitioned', { cause: 'sweep', ruleId: null, transitions: 1 });
    await settle();
    expect(calls).toBe(1);
  });

  it('logs a failing subscriber (thrown or rejected) and still tells the others; emit never throws', async () => {
    const { bus: events, lines } = bus();
    const told: number[] = [];
    events.on('observations.stored', () => {
      throw new Error('boom');
    });
    events.on('observations.stored', async () => {
      throw new Error('async boom');
    });
    events.on('observations.stored', () => void told.push(1));
    expect(() => events.emit('observations.stored', stored)).not.toThrow();
    await settle();
    expect(told).toEqual([1]);
    const logged = lines.map((line) => JSON.parse(line));
    expect(logged).toEqual([
      expect.objectContaining({ level: 'error', event: 'events.subscriber_failed', kind: 'observations.stored', error: 'boom' }),
      expect.objectContaining({ level: 'error', event: 'events.subscriber_failed', kind: 'observations.stored', error: 'async boom' }),
    ]);
  });
});
