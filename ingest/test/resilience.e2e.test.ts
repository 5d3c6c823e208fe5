/**
 * Delivery guarantees, with real processes: the backend killed (-9) mid-run and restarted on the same data dir and
 * port; the agent killed (-9) between queueing and sending. Everything arrives, exactly once.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCredentials,
  eventually,
  freePort,
  readApi,
  runAgentCli,
  series,
  startAgentProcess,
  startBackend,
  type AgentProcess,
  type Backend,
} from './support/processes';

const BASE = Date.parse('2026-11-01T00:00:00+07:00');

describe('delivery guarantees', () => {
  let dir: string;
  let backend: Backend;
  let viewerToken: string;
  const agents: AgentProcess[] = [];
  const servers: http.Server[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-agent-resilience-'));
    backend = await startBackend(path.join(dir, 'data'));
    const credentials = await createCredentials(backend.dataDir);
    viewerToken = credentials.viewerToken;
    writeFileSync(path.join(dir, 'agent.key'), credentials.key);
  });

  afterAll(async () => {
    for (const agent of agents) await agent.stop('SIGKILL');
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await backend?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function serve(handler: http.RequestListener): Promise<number> {
    const server = http.createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  function writeConfig(name: string, apiUrl: string, sources: string, flushSeconds = 0.3): string {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      `api: { url: "${apiUrl}", keyFile: agent.key, timeoutSeconds: 5 }
agent: { name: ${name}, stateDir: ${name}-state }
delivery: { flushIntervalSeconds: ${flushSeconds}, flushJitterSeconds: 0.1, retryInitialSeconds: 0.2, retryMaxSeconds: 1 }
sources:
${sources}`,
    );
    return file;
  }

  it('loses nothing and stores nothing twice when the backend is killed mid-run and restarted on the same data dir and port', async () => {
    // A local system that has three new values at every poll while it is producing.
    const served: { ts: string; value: number }[] = [];
    let producing = true;
    const port = await serve((_req, res) => {
      const items = [];
      for (let i = 0; producing && i < 3; i += 1) {
        const n = served.length;
        const item = { ts: new Date(BASE + n * 60_000).toISOString(), value: 100 + n };
        served.push(item);
        items.push(item);
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ items }));
    });
    const config = writeConfig(
      'stream',
      backend.url,
      `  - name: counter
    kind: http
    url: http://127.0.0.1:${port}/
    intervalSeconds: 0.2
    items: $.items[*]
    mapping: { metric: onestop.applications_received, unit: "79", ts: { path: $.ts }, value: { path: $.value } }
`,
    );
    const agent = startAgentProcess(config);
    agents.push(agent);
    const stored = () => series(backend.url, viewerToken, 'onestop.applications_received', '79');
    await eventually(async () => ((await stored()).length >= 12 ? true : undefined), 'the first values to arrive');

    await backend.stop('SIGKILL');
    const servedAtKill = served.length;
    await agent.waitFor((e) => e.event === 'batch.retry' && e.error === 'unreachable', 'a refused connection');
    await eventually(async () => (served.length >= servedAtKill + 15 ? true : undefined), 'values produced while the API is down');
    const whileDown = JSON.parse((await runAgentCli(['status', '--config', config, '--json'])).stdout);
    expect(whileDown.queue.points).toBeGreaterThan(0);
    expect(whileDown.retrying.attempts).toBeGreaterThan(0);
    expect(whileDown.lastError).toMatchObject({ status: null, error: 'unreachable' });

    backend = await startBackend(backend.dataDir, backend.port);
    const servedAtRestart = served.length;
    await eventually(async () => (served.length >= servedAtRestart + 6 ? true : undefined), 'values produced after the restart');
    producing = false;
    const final = served.length;
    const points = await eventually(
      async () => {
        const got = await stored();
        const depth = JSON.parse((await runAgentCli(['status', '--config', config, '--json'])).stdout).queue;
        return got.length >= final && depth.points === 0 ? got : undefined;
      },
      'the queue to drain',
      60_000,
    );

    expect(points).toHaveLength(final);
    expect(points.reduce((sum, p) => sum + p.value, 0)).toBe(served.reduce((sum, p) => sum + p.value, 0));
    expect(points.map((p) => p.ts)).toEqual(served.map((p) => p.ts));
    // not even a same-value revision: a value sent during the outage was stored once
    const during = served[servedAtKill + 1] as { ts: string };
    const history = await readApi(
      backend.url,
      `/api/v1/history?metric=onestop.applications_received&unit=79&ts=${encodeURIComponent(during.ts)}`,
      viewerToken,
    );
    expect(history.revisions).toHaveLength(1);
    expect(agent.events.some((e) => e.event === 'api.recovered')).toBe(true);
    expect(agent.events.some((e) => e.event === 'batch.dead_letter')).toBe(false);
    await agent.stop();
  });

  it('keeps what was queued when the agent is killed -9 before sending, and sends it once on the next start', async () => {
    const port = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify([{ unit: '48', value: 32.1 }]));
    });
    mkdirSync(path.join(dir, 'drop'));
    const sources = `  - name: drop
    kind: files
    dir: drop
    pollSeconds: 0.2
    mapping: { metric: dvc.services_online, unit: { column: unit }, ts: { column: ts }, value: { column: value } }
  - name: portal
    kind: http
    url: http://127.0.0.1:${port}/
    intervalSeconds: 0.2
    mapping: { metric: dvc.end_to_end_dossier_share, unit: { path: $.unit }, ts: { const: "2026-11-02T00:00:00+07:00" }, value: { path: $.value } }
`;
    // first run: an API nobody answers, and a flush interval so long that the polled values stay in the open batch
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const offline = startAgentProcess(writeConfig('restart', nobody, sources, 3600));
    agents.push(offline);
    writeFileSync(path.join(dir, 'drop', 'services.csv'), 'unit,ts,value\n22,2026-11-02,1422\n33,2026-11-02,1633\n');
    await offline.waitFor((e) => e.event === 'file.imported', 'the file to be queued');
    await offline.waitFor((e) => e.event === 'http.polled' && Number(e.points) > 0, 'a poll to be queued');
    await offline.waitFor((e) => e.event === 'batch.retry', 'a failed send');
    await offline.stop('SIGKILL');
    const state = path.join(dir, 'restart-state');
    expect(readdirSync(path.join(state, 'queue')).length).toBeGreaterThan(0); // the file's batch
    const journal = readdirSync(state).find((name) => name.startsWith('open-')); // the polled values, not sealed yet
    expect(journal).toBeDefined();
    const journalBatchId = JSON.parse(readFileSync(path.join(state, journal as string), 'utf8').split('\n')[0] as string).batchId as string;
    expect(existsSync(path.join(state, 'agent.lock'))).toBe(true); // left behind by the killed process

    // second run: the real API
    const online = startAgentProcess(writeConfig('restart', backend.url, sources));
    agents.push(online);
    const start = await online.waitFor((e) => e.event === 'agent.start', 'the restart');
    expect(Number(start.queuedPoints)).toBeGreaterThanOrEqual(3);
    const values = await eventually(async () => {
      const [a, b, c] = await Promise.all([
        series(backend.url, viewerToken, 'dvc.services_online', '22'),
        series(backend.url, viewerToken, 'dvc.services_online', '33'),
        series(backend.url, viewerToken, 'dvc.end_to_end_dossier_share', '48'),
      ]);
      return a.length && b.length && c.length ? [a, b, c] : undefined;
    }, 'the queued values to arrive');
    expect(values.map((points) => points.map((p) => p.value))).toEqual([[1422], [1633], [32.1]]);
    // the journal the killed process left open was sealed and sent under the id it was given before the kill
    expect(online.events.some((e) => e.event === 'batch.stored' && e.batchId === journalBatchId)).toBe(true);
    await online.stop();
  });
});
