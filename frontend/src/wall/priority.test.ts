import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirstFigures, LaterApi } from './priority';

describe('FirstFigures: the rest of a page waits for its KPI tiles', () => {
  it('opens once every tile has settled, whatever the order, and only then', async () => {
    const gate = new FirstFigures(['kpi-a', 'kpi-b']);
    let opened = false;
    void gate.opened.then(() => (opened = true));
    gate.settled('kpi-b');
    gate.settled('kpi-b'); // a tile settling again (a reload) counts once
    await Promise.resolve();
    expect(opened).toBe(false);
    expect(gate.released).toBe(false);
    gate.settled('kpi-a');
    await gate.opened;
    expect(gate.released).toBe(true);
  });
  it('is open from the start on a page without KPI tiles', () => {
    expect(new FirstFigures([]).released).toBe(true);
  });
  it('opens when released, tiles settled or not (the page is left, or the wait is over)', async () => {
    const gate = new FirstFigures(['kpi-a']);
    gate.release();
    await gate.opened;
    expect(gate.released).toBe(true);
  });
});

describe('LaterApi: a request of the rest of the page', () => {
  let server: Server;
  let base: string;
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      received.push(request.url ?? '');
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ alerts: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reaches the server only once the gate is open', async () => {
    received.length = 0;
    const gate = new FirstFigures(['kpi-a']);
    const api = new LaterApi(gate, base);
    const answer = api.get<{ alerts: unknown[] }>('/api/v1/alerts', { state: 'open' });
    // a round trip to the server and back: the held request has not been sent meanwhile
    await fetch(`${base}/probe`);
    expect(received).toEqual(['/probe']);
    gate.settled('kpi-a');
    expect(await answer).toEqual({ alerts: [] });
    expect(received).toEqual(['/probe', '/api/v1/alerts?state=open']);
  });
  it('goes at once when the gate is already open', async () => {
    received.length = 0;
    const api = new LaterApi(new FirstFigures([]), base);
    await api.get('/api/v1/health');
    expect(received).toEqual(['/api/v1/health']);
  });
  it('a request aborted while it waits is never sent', async () => {
    received.length = 0;
    const gate = new FirstFigures(['kpi-a']);
    const controller = new AbortController();
    const answer = new LaterApi(gate, base).get('/api/v1/alerts', undefined, controller.signal);
    controller.abort();
    gate.release();
    await expect(answer).rejects.toThrow();
    await fetch(`${base}/probe`);
    expect(received).toEqual(['/probe']);
  });
});
