/**
 * What the scenarios send and how they count it, against a fake server and without k6: ingest batches the API
 * accepts (its contract and its rules on units, keys, ranges and counters), the latency probe, REST reads, and a
 * wall client's socket.io conversation. And every threshold of every scenario gets samples when the scenario's
 * functions run once: a threshold whose metric or tags nothing produces passes in k6 without measuring anything.
 */
import {
  channelName,
  INGEST_PATH,
  IngestBatchSchema,
  LatestQuery,
  MAX_BODY_BYTES,
  parseIsoWithOffset,
  SeriesQuery,
  SOCKET_PATH,
  type IngestAccepted,
  type LiveTick,
  type SubscribeRequest,
} from '@dxoc/contracts';
import { seedMetrics } from '@dxoc/contracts/reference';
import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HttpCall, StubAnswer } from './k6/state';
import type { FakeWebSocket } from './k6/websockets';
import { parseMetricKey } from './support/k6-rules';
import {
  loadScenario,
  PROBE_KEY,
  runExec,
  samples,
  SCENARIOS_DIR,
  sum,
  unloadK6,
  VIEWER_TOKEN,
  type K6Config,
  type Loaded,
} from './support/harness';
import { decodeClientFrame, frames, reader } from './support/wall-server';

const METRICS = new Map(seedMetrics.map((m) => [m.code, m]));
const HOUR = 3_600_000;

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined); // the scripts warn about refused batches; some tests cause them
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  unloadK6();
});

/** The API as far as the scripts see it: ingest checked against the contract, reads answered. */
function fakeApi(): (call: HttpCall) => StubAnswer {
  const batches = new Map<string, string>();
  return (call) => {
    const url = new URL(call.url);
    if (call.method === 'POST' && url.pathname === INGEST_PATH) {
      const parsed = IngestBatchSchema.safeParse(JSON.parse(call.body ?? ''));
      if (!parsed.success) return { status: 400, body: JSON.stringify({ error: 'invalid_batch', message: parsed.error.message }) };
      const { batchId, points } = parsed.data;
      const earlier = batches.get(batchId);
      if (earlier !== undefined && earlier !== call.body)
        return { status: 409, body: JSON.stringify({ error: 'batch_conflict', message: batchId }) };
      batches.set(batchId, call.body ?? '');
      const answer: IngestAccepted = { batchId, accepted: points.length, duplicate: earlier !== undefined, revised: 0 };
      return { status: earlier === undefined ? 202 : 200, body: JSON.stringify(answer) };
    }
    if (call.method === 'GET' && (url.pathname === '/api/v1/series' || url.pathname === '/api/v1/latest'))
      return { status: 200, body: '{}' };
    return { status: 404, body: '{"error":"not_found","message":"?"}' };
  };
}

function unitKinds(config: K6Config): Map<string, string> {
  return new Map(config.units.map((u) => [u.code, u.kind]));
}

describe('ingest batches (lib/ingest.js)', () => {
  it('are what the API accepts: contract, keys, units in force, metric ranges, no value twice, counters that never go back', async () => {
    const loaded = await loadScenario('ingest');
    const { config, k6 } = loaded;
    k6.respond = fakeApi();
    const keyUnits = new Map(config.agents.map((a) => [`Bearer ${a.key}`, new Set(a.units)]));
    const inForce = config.agents.flatMap((a) => a.units);
    const kinds = unitKinds(config);
    expect(inForce).toHaveLength(52); // the nation, 34 provinces, 17 ministries
    const rounds = 3;
    for (let i = 0; i < inForce.length * rounds; i += 1) runExec(loaded, 'ingest', { name: 'ingest', iterationInTest: i });

    const problems = new Set<string>();
    const seen = new Set<string>();
    const ids = new Set<string>();
    const units = new Set<string>();
    const series = new Map<string, { t: number; value: number }[]>();
    let points = 0;
    for (const call of k6.requests) {
      expect(call.method).toBe('POST');
      expect(call.url).toBe(`${config.baseUrl}${INGEST_PATH}`);
      expect(call.headers['Content-Type']).toBe('application/json');
      expect(call.tags.name).toBe('ingest');
      expect(Buffer.byteLength(call.body ?? '')).toBeLessThanOrEqual(MAX_BODY_BYTES);
      const batch = IngestBatchSchema.parse(JSON.parse(call.body ?? ''));
      expect(batch.points).toHaveLength(1000); // BATCH_SIZE
      expect(ids.has(batch.batchId), `batchId ${batch.batchId} twice`).toBe(false);
      ids.add(batch.batchId);
      const allowed = keyUnits.get(call.headers.Authorization ?? '');
      expect(allowed, 'an agent key of the config').toBeDefined();
      expect(new Set(batch.points.map((p) => p.unit)).size, 'one unit per batch').toBe(1);
      for (const p of batch.points) {
        points += 1;
        units.add(p.unit);
        const metric = METRICS.get(p.metric);
        const t = parseIsoWithOffset(p.ts) as number;
        if (!allowed?.has(p.unit)) problems.add(`${p.unit} sent with a key for ${[...(allowed ?? [])].join(',')}`);
        if (!metric) problems.add(`unknown metric ${p.metric}`);
        else {
          if (!metric.unitKinds.includes(kinds.get(p.unit) as never)) problems.add(`${p.metric} is not reported by a ${kinds.get(p.unit)}`);
          if ((metric.min !== null && p.value < metric.min) || (metric.max !== null && p.value > metric.max))
            problems.add(`${p.metric} ${p.value} out of [${metric.min}, ${metric.max}]`);
        }
        // backfill ends an hour before the run: never in the future, never mistaken for a probe
        if (t > config.createdAt - HOUR) problems.add(`${p.metric} ${p.unit} at ${p.ts}: not an hour before the run`);
        const key = `${p.metric}|${p.unit}|${t}`;
        if (seen.has(key)) problems.add(`${key} sent twice`);
        seen.add(key);
        if (metric?.kind === 'counter') {
          const list = series.get(`${p.metric}|${p.unit}`) ?? [];
          list.push({ t, value: p.value });
          series.set(`${p.metric}|${p.unit}`, list);
        }
      }
    }
    for (const [key, list] of series) {
      list.sort((a, b) => a.t - b.t);
      for (let i = 1; i < list.length; i += 1) {
        if ((list[i]?.value as number) < (list[i - 1]?.value as number)) {
          problems.add(`counter ${key} goes back at ${new Date(list[i]?.t as number).toISOString()}`);
          break;
        }
      }
    }
    expect([...problems].slice(0, 10)).toEqual([]);
    expect([...units].sort()).toEqual([...inForce].sort()); // every unit in force, in turn
    expect(series.size).toBeGreaterThan(0); // counters were there to check
    // every point counted as accepted, once
    expect(sum(samples(k6, 'points_accepted'))).toBe(points);
    expect(sum(samples(k6, 'batches_accepted'))).toBe(k6.requests.length);
    expect(samples(k6, 'ingest_errors').every((v) => v === 0)).toBe(true);
  });

  it('INGEST_METRICS and BATCH_SIZE: 5,000-point batches of the one metric, within the body limit, from the units that report it', async () => {
    const loaded = await loadScenario('ingest', { env: { INGEST_METRICS: 'einvoice.issued', BATCH_SIZE: '5000' } });
    loaded.k6.respond = fakeApi();
    const kinds = unitKinds(loaded.config);
    for (let i = 0; i < 40; i += 1) runExec(loaded, 'ingest', { name: 'ingest', iterationInTest: i });
    for (const call of loaded.k6.requests) {
      expect(Buffer.byteLength(call.body ?? '')).toBeLessThanOrEqual(MAX_BODY_BYTES);
      const batch = IngestBatchSchema.parse(JSON.parse(call.body ?? ''));
      expect(batch.points).toHaveLength(5000);
      expect(new Set(batch.points.map((p) => p.metric))).toEqual(new Set(['einvoice.issued']));
      expect(['nation', 'province']).toContain(kinds.get(batch.points[0]?.unit as string));
    }
    expect(sum(samples(loaded.k6, 'points_accepted'))).toBe(40 * 5000);
  });

  it('counts each kind of answer: duplicate, refused (by status), no answer at all, revisions', async () => {
    const loaded = await loadScenario('ingest');
    const { k6 } = loaded;
    const answers: StubAnswer[] = [
      { status: 200, body: JSON.stringify({ batchId: 'x', accepted: 1000, duplicate: true, revised: 0 }) },
      { status: 400, body: JSON.stringify({ error: 'invalid_batch', message: 'no' }) },
      { status: 0, error: 'read: connection reset by peer' },
      { status: 202, body: JSON.stringify({ batchId: 'y', accepted: 1000, duplicate: false, revised: 7 }) },
    ];
    k6.respond = () => answers.shift() as StubAnswer;
    for (let i = 0; i < 4; i += 1) runExec(loaded, 'ingest', { name: 'ingest', iterationInTest: i });
    expect(sum(samples(k6, 'points_accepted'))).toBe(1000); // the duplicate adds nothing
    expect(sum(samples(k6, 'points_revised'))).toBe(7);
    expect(sum(samples(k6, 'batches_accepted'))).toBe(2);
    expect(samples(k6, 'ingest_errors')).toEqual([0, 1, 1, 0]);
    expect(samples(k6, 'ingest_errors', { status: '400' })).toEqual([1]);
    expect(sum(samples(k6, 'points_not_accepted', { status: '400' }))).toBe(1000);
    expect(sum(samples(k6, 'ingest_connection_errors'))).toBe(1);
  });
});

describe('the latency probe', () => {
  it('posts one value of the live metric for every province in force, stamped with its send time, with the --all-units key', async () => {
    const loaded = await loadScenario('viewers');
    loaded.k6.respond = fakeApi();
    const before = Date.now();
    runExec(loaded, 'probe', { name: 'probe' });
    const [call] = loaded.k6.requests;
    expect(call?.headers.Authorization).toBe(`Bearer ${PROBE_KEY}`);
    expect(call?.tags.name).toBe('probe');
    const batch = IngestBatchSchema.parse(JSON.parse(call?.body ?? ''));
    const provinces = loaded.config.units.filter((u) => u.kind === 'province' && !u.validUntil).map((u) => u.code);
    expect(provinces).toHaveLength(34);
    expect(batch.points.map((p) => p.unit).sort()).toEqual(provinces.sort());
    expect(new Set(batch.points.map((p) => p.metric))).toEqual(new Set(['einvoice.issued']));
    expect(METRICS.get('einvoice.issued')?.unitKinds).toContain('province');
    const stamps = new Set(batch.points.map((p) => parseIsoWithOffset(p.ts)));
    expect(stamps.size).toBe(1);
    const [stamp] = stamps;
    expect(stamp).toBeGreaterThanOrEqual(before - 1); // ms precision in the text
    expect(stamp).toBeLessThanOrEqual(Date.now());
    expect(sum(samples(loaded.k6, 'probe_batches'))).toBe(1);
  });
});

describe('REST reads (lib/reads.js)', () => {
  it('read a province series raw and hourly and the latest per province, with the viewer token, in queries the API knows', async () => {
    const loaded = await loadScenario('mixed');
    loaded.k6.respond = fakeApi();
    for (let i = 0; i < 3; i += 1) runExec(loaded, 'reads', { name: 'reads' });
    const provinces = new Set(loaded.config.units.filter((u) => u.kind === 'province' && !u.validUntil).map((u) => u.code));
    const seen: string[] = [];
    for (const call of loaded.k6.requests) {
      expect(call.method).toBe('GET');
      expect(call.headers.Authorization).toBe(`Bearer ${VIEWER_TOKEN}`);
      const url = new URL(call.url);
      const query = Object.fromEntries(url.searchParams);
      if (url.pathname === '/api/v1/series') {
        const q = SeriesQuery.strict().parse(query); // strict: a parameter the API does not know fails
        expect(provinces.has(q.unit)).toBe(true);
        expect(parseIsoWithOffset(q.from as string)).not.toBeNull();
        seen.push(`series ${q.bucket ?? 'raw'} (${call.tags.name})`);
      } else if (url.pathname === '/api/v1/latest') {
        expect(LatestQuery.strict().parse(query)).toEqual({ metric: 'einvoice.issued', unitKind: 'province', includeEnded: false });
        seen.push(`latest (${call.tags.name})`);
      } else seen.push(url.pathname);
    }
    expect(seen.sort()).toEqual(['latest (latest)', 'series 1h (series)', 'series raw (series)']);
    expect(samples(loaded.k6, 'read_errors')).toEqual([0, 0, 0]);
    loaded.k6.respond = () => ({ status: 503, body: '{"error":"database_unavailable","message":"down"}' });
    runExec(loaded, 'reads', { name: 'reads' });
    expect(samples(loaded.k6, 'read_errors', { status: '503' })).toEqual([1]);
  });
});

describe('a wall client (lib/viewer.js) speaking socket.io', () => {
  /** Loads viewers.js with 10 clients (2 s ramp), 20 s measured and 3 s tail, on fake timers from now. */
  async function wall(): Promise<{ loaded: Loaded; start: number; closeAt: number }> {
    const loaded = await loadScenario('viewers', { env: { VIEWERS: '10', DURATION_S: '20', TAIL_S: '3' } });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const start = Date.now();
    runExec(loaded, 'viewer', { name: 'viewers', startTime: start, iterationInTest: 0 }, { startedAt: start });
    return { loaded, start, closeAt: start + 2000 + 23_000 };
  }

  /** Engine.IO open → socket.io CONNECT with the token → connected → subscribe → ack; returns the request. */
  function handshake(ws: FakeWebSocket, cursor: string): SubscribeRequest {
    const next = reader(ws);
    ws.serverOpen();
    ws.serverSend(frames.open());
    const [connect] = next().map(decodeClientFrame);
    expect(connect?.sio).toEqual({ type: 0, nsp: '/', data: { token: VIEWER_TOKEN } });
    ws.serverSend(frames.connected());
    const [subscribe] = next().map(decodeClientFrame);
    expect(subscribe?.sio).toMatchObject({ type: 2, nsp: '/', id: 0 });
    const [event, request] = subscribe?.sio?.data as [string, SubscribeRequest];
    expect(event).toBe('subscribe');
    ws.serverSend(frames.ack(0, { ok: true, channels: request.channels.map(channelName), cursor }));
    return request;
  }

  function probeTick(at: number, cursor: string, config: K6Config): LiveTick {
    const provinces = config.units.filter((u) => u.kind === 'province' && !u.validUntil).map((u) => u.code);
    const metric = 'einvoice.issued';
    // a backfilled value (older than the run) in the same delta: received, not timed
    const units = [...provinces, '79'];
    const ts = [...provinces.map(() => at), config.createdAt - 2 * HOUR];
    return {
      deltas: [{ channel: channelName({ metric, units: 'provinces' }), metric, units, ts, values: units.map(() => 12) }],
      alerts: [],
      cursor,
    };
  }

  it('connects with the viewer token, subscribes, times each probe once, answers pings, resumes after a drop, leaves', async () => {
    const { loaded, closeAt } = await wall();
    const { k6, config } = loaded;
    vi.advanceTimersByTime(0);
    const [first] = k6.sockets;
    if (!first) throw new Error('no socket opened');
    const url = new URL(first.url);
    expect(url.origin).toBe(config.baseUrl.replace(/^http/, 'ws'));
    expect(url.pathname.replace(/\/$/, '')).toBe(SOCKET_PATH);
    expect(Object.fromEntries(url.searchParams)).toEqual({ EIO: '4', transport: 'websocket' });

    const request = handshake(first, '100');
    expect(request).toEqual({ channels: [{ metric: 'einvoice.issued', units: 'provinces' }], alerts: true });
    const next = reader(first);
    const probeAt = Date.now();
    vi.advanceTimersByTime(40);
    first.serverSend(frames.tick(probeTick(probeAt, '101', config)));
    first.serverSend(frames.tick(probeTick(probeAt, '102', config))); // the same probe again (a replay): timed once
    first.serverSend(frames.ping());
    expect(next().map((f) => decodeClientFrame(f).eio.type)).toEqual(['pong']);

    // the connection drops: a reconnect one second later resumes from the last cursor
    vi.advanceTimersByTime(1000);
    first.serverDrop();
    expect(k6.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    const second = k6.sockets[1];
    if (!second) throw new Error('no reconnect');
    expect(handshake(second, '102')).toEqual({ ...request, since: '102' });

    // the server dropped its backlog: subscribe afresh
    const after = reader(second);
    second.serverSend(frames.streamReset('slow client'));
    const [again] = after().map(decodeClientFrame);
    expect(again?.sio?.data).toEqual(['subscribe', request]);

    // at the end of the tail the client says goodbye and is not counted as dropped
    vi.advanceTimersByTime(closeAt - Date.now());
    expect(after().map((f) => decodeClientFrame(f).sio)).toEqual([{ type: 1, nsp: '/' }]);
    expect(second.closedByClient).toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(k6.sockets).toHaveLength(2);

    expect(samples(k6, 'live_latency')).toEqual([40]);
    expect(sum(samples(k6, 'live_probes_received'))).toBe(1);
    expect(sum(samples(k6, 'live_messages'))).toBe(2);
    expect(sum(samples(k6, 'live_points'))).toBe(2 * 35);
    expect(samples(k6, 'viewer_connected')).toEqual([1, 1]);
    expect(sum(samples(k6, 'viewer_clients'))).toBe(1);
    expect(sum(samples(k6, 'viewer_reconnects'))).toBe(1);
    expect(sum(samples(k6, 'viewer_drops'))).toBe(1);
    expect(sum(samples(k6, 'viewer_stream_resets'))).toBe(1);
    expect(samples(k6, 'viewer_subscribe_failures')).toEqual([]);
  });

  it('counts a refused connection and a refused subscription', async () => {
    const { loaded } = await wall();
    const { k6 } = loaded;
    vi.advanceTimersByTime(0);
    const ws = k6.sockets[0] as FakeWebSocket;
    ws.serverOpen();
    ws.serverSend(frames.open());
    ws.serverSend(frames.connectError('unauthorized'));
    expect(samples(k6, 'viewer_connected')).toEqual([0]);
    expect(ws.closedByClient).toBe(true);
    vi.advanceTimersByTime(5000);
    expect(k6.sockets).toHaveLength(1); // refused: no retry loop

    const other = await wall();
    vi.advanceTimersByTime(0);
    const ws2 = other.loaded.k6.sockets[0] as FakeWebSocket;
    ws2.serverOpen();
    ws2.serverSend(frames.open());
    ws2.serverSend(frames.connected());
    ws2.serverSend(frames.ack(0, { ok: false, error: 'unknown_metric', message: 'no such metric' }));
    expect(sum(samples(other.loaded.k6, 'viewer_subscribe_failures'))).toBe(1);
  });
});

/** Runs a few iterations of each of a scenario's scenarios (ramping ones over their whole timeline), one wall client included. */
function runEveryScenarioOnce(loaded: Loaded): void {
  const start = Date.now();
  for (const [name, config] of Object.entries(loaded.module.options.scenarios)) {
    const exec = String(config.exec ?? 'default');
    if (exec === 'viewer') continue; // played below, on fake timers
    if (config.executor === 'ramping-arrival-rate') {
      // the phase tag comes from the time since the scenario started: one iteration per second of its stages
      const total = (config.stages as { duration: string }[]).reduce((s, st) => s + Number.parseInt(st.duration, 10), 0);
      for (let s = 0; s < total; s += 1) runExec(loaded, exec, { name, startTime: start - s * 1000, iterationInTest: s });
    } else for (let i = 0; i < 3; i += 1) runExec(loaded, exec, { name, iterationInTest: i }); // reads take turns over 3 kinds
  }
  const viewers = Object.entries(loaded.module.options.scenarios).find(([, c]) => c.exec === 'viewer');
  if (!viewers) return;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  const now = Date.now();
  runExec(loaded, 'viewer', { name: viewers[0], startTime: now, iterationInTest: 0 }, { startedAt: now });
  vi.advanceTimersByTime(0);
  const ws = loaded.k6.sockets[0] as FakeWebSocket;
  ws.serverOpen();
  ws.serverSend(frames.open());
  ws.serverSend(frames.connected());
  ws.serverSend(frames.ack(0, { ok: true, channels: ['series:einvoice.issued:provinces'], cursor: '1' }));
  vi.advanceTimersByTime(25);
  ws.serverSend(
    frames.tick({
      deltas: [{ channel: 'series:einvoice.issued:provinces', metric: 'einvoice.issued', units: ['79'], ts: [now], values: [1] }],
      alerts: [],
      cursor: '2',
    }),
  );
  vi.advanceTimersByTime(10 * 60_000);
  vi.useRealTimers();
}

describe.each(readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.js')))('scenarios/%s', (file) => {
  it('every threshold gets samples when the scenario runs (those that want none aside)', async () => {
    const loaded = await loadScenario(file.slice(0, -3), { env: { DURATION_S: '20' } });
    loaded.k6.respond = fakeApi();
    runEveryScenarioOnce(loaded);
    const empty: string[] = [];
    for (const [key, expressions] of Object.entries(loaded.module.options.thresholds ?? {})) {
      if (expressions.every((e) => /^count\s*==\s*0$/.test(e))) continue; // e.g. viewer_drops: none is the goal
      const { metric, tags } = parseMetricKey(key);
      if (samples(loaded.k6, metric, tags).length === 0) empty.push(key);
    }
    expect(empty).toEqual([]);
  });
});
