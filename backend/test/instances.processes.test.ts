/**
 * Three `dxoc serve` processes on one TimescaleDB server, as production runs them (only with TEST_DATABASE_URL, in
 * the "server" project): each reaches the database through a TCP proxy the test can cut, as a restart does.
 * - a value ingested on A reaches socket clients on B and C;
 * - a breach ingested on A is stored as one alert with one firing transition and delivered once to clients of B and C;
 * - the alert sweep lease moves to a survivor after kill -9 of its holder;
 * - the database restarting in the middle of a steady ingest by `dxoc-agent` (with its disk queue): ingest answers
 *   503 with Retry-After and health answers 503 at once meanwhile; afterwards stored = sent, nothing twice, and a
 *   socket client of another instance has every value exactly once (its stream resumed from its position).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livePoints, type LiveTick, type SubscribeAck, type SubscribeRequest } from '@dxoc/contracts';
import { childEnv, repoDir, runBackendCli, startBackendProcess, typescriptArgs, type BackendProcess } from '@dxoc/contracts/testing';
import { PgDatabase } from '../src/db/pg-database';
import { SWEEP_LEASE } from '../src/alerts/alert-evaluator';
import { freshServerDatabase } from './support/databases';
import { TcpProxy } from './support/tcp-proxy';

const url = process.env.TEST_DATABASE_URL;
const onServer = process.env.DXOC_TEST_DRIVER === 'server' && !!url;
/** The sweep runs every 2 s; its lease lasts three sweeps (6 s) unless renewed. */
const SWEEP_MS = 2000;
const AGENT_MAIN = path.join(repoDir, 'ingest/src/agent/main.ts');
const BASE = Date.parse('2026-11-01T00:00:00+07:00');

async function until<T>(read: () => Promise<T | undefined> | T | undefined, what: string, limitMs = 30_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A socket client of one instance that records every tick. */
class Viewer {
  readonly ticks: LiveTick[] = [];
  readonly socket: Socket;
  constructor(base: string, token: string) {
    this.socket = io(base, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
    this.socket.on('live:tick', (tick: LiveTick) => this.ticks.push(tick));
  }
  async subscribe(request: SubscribeRequest): Promise<SubscribeAck> {
    if (!this.socket.connected)
      await new Promise<void>((resolve, reject) => this.socket.once('connect', () => resolve()).once('connect_error', reject));
    return new Promise((resolve) => this.socket.emit('subscribe', request, resolve));
  }
  points(metric: string) {
    return this.ticks.flatMap((t) => t.deltas.filter((d) => d.metric === metric).flatMap(livePoints));
  }
  alerts() {
    return this.ticks.flatMap((t) => t.alerts);
  }
}

describe.skipIf(!onServer)('three dxoc serve processes on one TimescaleDB server (TEST_DATABASE_URL, "server" project)', () => {
  let fresh: Awaited<ReturnType<typeof freshServerDatabase>>;
  let proxy: TcpProxy;
  let db: PgDatabase;
  let env: Record<string, string>;
  const instances = new Map<string, BackendProcess>();
  const viewers: Viewer[] = [];
  const children: ChildProcess[] = [];
  const servers: http.Server[] = [];
  let dir: string;
  let key: string;
  let viewerToken: string;
  let staffToken: string;
  let batch = 0;

  const instance = (id: string) => instances.get(id)!;
  const cli = async (args: string[], extra: Record<string, string> = {}) => {
    const result = await runBackendCli(args, { ...env, ...extra });
    if (result.code !== 0) throw new Error(`dxoc ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout.trim().split('\n').at(-1) ?? '';
  };
  const push = async (base: string, points: { metric: string; unit: string; ts: string; value: number }[]) => {
    batch += 1;
    const response = await fetch(`${base}/api/v1/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ batchId: `processes-${batch}`, points }),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };
  const viewer = async (id: string, request: SubscribeRequest) => {
    const v = new Viewer(instance(id).url, viewerToken);
    viewers.push(v);
    const ack = await v.subscribe(request);
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    return v;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-processes-'));
    fresh = await freshServerDatabase(url!);
    const target = new URL(fresh.url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    db = PgDatabase.connect(fresh.url, 2);
    env = {
      DATABASE_URL: proxy.through(fresh.url),
      DXOC_LOG_LEVEL: 'error',
      DXOC_ALERT_SWEEP_MS: String(SWEEP_MS),
      DXOC_HEALTH_TIMEOUT_MS: '500',
      DXOC_PASSWORD: 'a long enough password',
    };
    // all three start at once: migrations serialise on their advisory lock, the seed is written once
    const started = await Promise.all(
      ['a', 'b', 'c'].map((id) => startBackendProcess({ ...env, DXOC_INSTANCE_ID: `instance-${id}` }, { timeoutMs: 120_000 })),
    );
    started.forEach((p, i) => instances.set(['a', 'b', 'c'][i]!, p));
    key = await cli(['keys', 'create', '--all-units', '--name', 'processes']);
    viewerToken = await cli(['viewer-tokens', 'create', '--name', 'processes']);
    await cli(['users', 'create', '--username', 'staff-processes', '--role', 'staff']);
    const login = await fetch(`${instance('a').url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'staff-processes', password: env.DXOC_PASSWORD }),
    });
    staffToken = ((await login.json()) as { token: string }).token;
  }, 240_000);

  afterAll(async () => {
    for (const v of viewers) v.socket.close();
    for (const child of children) child.kill('SIGKILL');
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    proxy?.restore();
    await Promise.all([...instances.values()].map((p) => p.stop('SIGKILL')));
    await db?.close();
    await proxy?.close();
    await fresh?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a value ingested on A reaches socket clients of B and C', async () => {
    const channel = { metric: 'einvoice.issued', units: ['79'] };
    const [onB, onC] = await Promise.all([viewer('b', { channels: [channel] }), viewer('c', { channels: [channel] })]);
    const ts = new Date(Date.now() - 60_000).toISOString();
    expect((await push(instance('a').url, [{ metric: 'einvoice.issued', unit: '79', ts, value: 4242 }])).status).toBe(202);
    for (const v of [onB, onC]) {
      await until(() => (v.points('einvoice.issued').some((p) => p.value === 4242) ? true : undefined), 'the value on B and C');
      expect(v.points('einvoice.issued')).toEqual([{ unit: '79', ts: Date.parse(ts), value: 4242 }]);
    }
  });

  it('a breach ingested on A is stored as one alert and one firing transition, delivered once to clients of B and C', async () => {
    const created = await fetch(`${instance('b').url}/api/v1/alert-rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staffToken}` },
      body: JSON.stringify({
        name: 'processes',
        severity: 'warning',
        messageVi: '{unit}',
        messageEn: '{unit}',
        metric: 'dvc.level4_share',
        scope: { kind: 'units', units: ['01'] },
        condition: { type: 'above', value: 80 },
      }),
    });
    expect(created.status).toBe(201);
    const rule = (await created.json()) as { id: number };
    const [onB, onC] = await Promise.all([viewer('b', { channels: [], alerts: true }), viewer('c', { channels: [], alerts: true })]);
    const ts = new Date(Date.now() - 30_000).toISOString();
    expect((await push(instance('a').url, [{ metric: 'dvc.level4_share', unit: '01', ts, value: 95 }])).status).toBe(202);
    for (const v of [onB, onC]) await until(() => (v.alerts().some((e) => e.alert.ruleId === rule.id) ? true : undefined), 'the alert');
    // several sweeps later, still exactly one of everything
    await new Promise((resolve) => setTimeout(resolve, 2 * SWEEP_MS));
    for (const v of [onB, onC]) {
      expect(
        v
          .alerts()
          .filter((e) => e.alert.ruleId === rule.id)
          .map((e) => e.transition),
      ).toEqual(['firing']);
    }
    const stored = await db.query<{ transition: string }>(
      `SELECT e.transition FROM alert_event e JOIN alert x ON x.id = e.alert_id WHERE x.rule_id = $1 ORDER BY e.seq`,
      [rule.id],
    );
    expect(stored.rows.map((r) => r.transition)).toEqual(['firing']);
  });

  it('the sweep lease moves to a survivor after kill -9 of its holder, within its 6 s lifetime and a sweep', async () => {
    const holderOf = async () =>
      (await db.query<{ holder: string }>(`SELECT holder FROM lease WHERE name = $1`, [SWEEP_LEASE])).rows[0]?.holder;
    const holder = await until(holderOf, 'a sweep lease holder');
    const id = holder.replace('instance-', '');
    expect(['a', 'b', 'c']).toContain(id);
    await instance(id).stop('SIGKILL');
    instances.delete(id);
    const killedAt = Date.now();
    const survivor = await until(async () => {
      const now = await holderOf();
      return now && now !== holder ? now : undefined;
    }, 'another holder');
    const movedAfterMs = Date.now() - killedAt;
    process.stdout.write(`sweep lease: ${holder} killed, ${survivor} holds it after ${movedAfterMs} ms\n`);
    expect(survivor).not.toBe(holder);
    // the lease runs out 3 sweeps after its last renewal and a survivor takes it at its next sweep
    expect(movedAfterMs).toBeLessThanOrEqual(10_000);
    // keep three instances for what follows
    instances.set(id, await startBackendProcess({ ...env, DXOC_INSTANCE_ID: `instance-${id}-again` }, { timeoutMs: 120_000 }));
  });

  it('a database restart in the middle of a steady ingest by dxoc-agent: 503s meanwhile, then stored = sent, nothing twice, no gap', async () => {
    const metric = 'onestop.applications_received';
    // a local system with three new values at every poll while it is producing
    const served: { ts: string; value: number }[] = [];
    let producing = true;
    const system = http.createServer((_req, res) => {
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
    servers.push(system);
    await new Promise<void>((resolve) => system.listen(0, '127.0.0.1', resolve));
    const port = (system.address() as AddressInfo).port;
    writeFileSync(path.join(dir, 'agent.key'), key);
    const config = path.join(dir, 'agent.yaml');
    writeFileSync(
      config,
      `api: { url: "${instance('a').url}", keyFile: agent.key, timeoutSeconds: 5 }
agent: { name: processes, stateDir: agent-state }
delivery: { flushIntervalSeconds: 0.3, flushJitterSeconds: 0.1, retryInitialSeconds: 0.2, retryMaxSeconds: 1 }
sources:
  - name: counter
    kind: http
    url: http://127.0.0.1:${port}/
    intervalSeconds: 0.2
    items: $.items[*]
    mapping: { metric: ${metric}, unit: "79", ts: { path: $.ts }, value: { path: $.value } }
`,
    );
    const onC = await viewer('c', { channels: [{ metric, units: ['79'] }] });
    const agent = spawn(process.execPath, typescriptArgs(AGENT_MAIN, ['run', '--config', config]), {
      cwd: dir,
      env: childEnv({ DXOC_LOG_LEVEL: 'warn' }),
      stdio: 'ignore',
    });
    children.push(agent);
    const storedCount = async () =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE metric = $1`, [metric])).rows[0]!.n;
    await until(async () => ((await storedCount()) >= 15 ? true : undefined), 'a steady ingest');

    proxy.cut();
    const servedAtCut = served.length;
    const refused = await push(instance('b').url, [{ metric, unit: '79', ts: new Date(BASE - 60_000).toISOString(), value: 1 }]);
    expect(refused.status).toBe(503);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    const health = await fetch(`${instance('c').url}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
    expect(health.status).toBe(503);
    await until(() => (served.length >= servedAtCut + 15 ? true : undefined), 'values produced while the database is down');
    proxy.restore();
    await until(() => (served.length >= servedAtCut + 30 ? true : undefined), 'values produced after the restart');
    producing = false;
    const sent = served.length;
    await until(async () => ((await storedCount()) >= sent ? true : undefined), 'the agent queue to drain', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // anything sent twice would show now

    const stored = await db.query<{ ts: Date; value: number; revisions: number }>(
      `SELECT o.ts, o.value, (SELECT count(*)::int FROM observation_revision r WHERE r.metric = o.metric AND r.unit = o.unit AND r.ts = o.ts) AS revisions
       FROM observation o WHERE o.metric = $1 ORDER BY o.ts`,
      [metric],
    );
    expect(stored.rows.map((r) => ({ ts: r.ts.toISOString(), value: r.value }))).toEqual(served);
    expect(stored.rows.filter((r) => r.revisions > 0)).toEqual([]);
    // C's client saw the stream resume where it stopped: every value once, none missing
    await until(() => (onC.points(metric).length >= sent ? true : undefined), 'the values on C');
    const seen = onC.points(metric);
    expect(seen).toHaveLength(sent);
    expect(seen.map((p) => ({ ts: new Date(p.ts).toISOString(), value: p.value })).sort((x, y) => x.ts.localeCompare(y.ts))).toEqual(
      served,
    );
    agent.kill('SIGTERM');
  }, 180_000);
});
