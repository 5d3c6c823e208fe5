// Ingest traffic: batches of simulated points from many units, each posted with the agent key of its unit's group,
// and the latency probe (one point per province stamped with its send time) that the wall clients time.
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
// The demo simulator's generators are pure functions of (unit, metric, time, seed): realistic values, counters
// that never go backwards, whatever order the batches arrive in. k6 runs the TypeScript as it is.
import { buildWorld, METRIC_SHAPES, simulatedValue, vietnamIso } from '../../../ingest/src/simulator/generators.ts';
import { BASE_URL, BATCH_SIZE, CONFIG, LIVE_METRIC } from './config.js';

export const pointsAccepted = new Counter('points_accepted');
export const pointsRevised = new Counter('points_revised');
export const pointsNotAccepted = new Counter('points_not_accepted');
export const batchesAccepted = new Counter('batches_accepted');
/** non-2xx answers to POST /api/v1/ingest (tagged with the status) */
export const ingestErrors = new Rate('ingest_errors');
/** batches without an HTTP answer (connection reset, EOF, timeout), a subset of ingest_errors */
export const ingestConnectionErrors = new Counter('ingest_connection_errors');
/** probe batches posted (whatever the answer: one that timed out may still be stored and delivered) */
export const probesSent = new Counter('probe_batches');
export const probeErrors = new Counter('probe_errors');

const INGEST_URL = `${BASE_URL}/api/v1/ingest`;
const MINUTE = 60_000;
/** Backfilled values are one minute apart, ending an hour before the run: never mistaken for a probe. */
const T0 = Math.floor(CONFIG.createdAt / MINUTE) * MINUTE - 60 * MINUTE;
const RUN_ID = `k6-${CONFIG.createdAt.toString(36)}`;

/** -e INGEST_METRICS=a,b: only these metrics in the batches (e.g. gauges only, to see what counter checks cost) */
const ONLY = __ENV.INGEST_METRICS ? new Set(__ENV.INGEST_METRICS.split(',')) : null;

let state = null;

/** Per VU: the simulator's world and, for every unit an agent key may write, its key and simulated metrics. */
function world() {
  if (state) return state;
  const w = buildWorld({ units: CONFIG.units, metrics: CONFIG.metrics }, CONFIG.createdAt);
  const units = [];
  for (const agent of CONFIG.agents) {
    for (const code of agent.units) {
      const unit = w.units.get(code);
      if (!unit) continue;
      const metrics = [...w.metrics]
        .filter(([metric, kinds]) => kinds.includes(unit.kind) && METRIC_SHAPES[metric] && (!ONLY || ONLY.has(metric)))
        .map(([metric]) => metric);
      if (metrics.length > 0) units.push({ code, key: agent.key, metrics, auth: `Bearer ${agent.key}` });
    }
  }
  units.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  if (units.length === 0) throw new Error('no agent key covers a unit with simulated metrics');
  const provinces = [...w.units.values()]
    .filter((u) => u.kind === 'province')
    .map((u) => u.code)
    .sort();
  state = { world: w, units, provinces, cache: new Map() };
  return state;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
const VN_OFFSET = 25_200_000;

function cached(s, key, compute) {
  let value = s.cache.get(key);
  if (value === undefined) {
    value = compute();
    if (s.cache.size > 100_000) s.cache.clear();
    s.cache.set(key, value);
  }
  return value;
}

/**
 * The simulated value, cheaply enough for k6 to generate 50,000 points/s on a machine it shares with the server
 * (one generator call costs 10–100 µs in k6's JavaScript engine): a level (gauge or ratio of the day) once per
 * day; counters and per-day or per-quarter running amounts exactly at the start and the end of each hour, linearly
 * in between. Amounts restart at midnight and quarters start at midnight, so no hour straddles a restart; a line
 * between two values of a counter never goes backwards, so counters stay monotonic whatever the order of arrival.
 * `slot` remembers the hour (or day) last used for this metric in this batch.
 */
function valueOf(s, metric, unit, t, slot) {
  if (METRIC_SHAPES[metric] === 'level') {
    const day = Math.floor((t + VN_OFFSET) / DAY) * DAY - VN_OFFSET;
    if (slot.at !== day) {
      slot.at = day;
      slot.v0 = cached(s, `${metric}|${unit}|d${day}`, () => simulatedValue(s.world, metric, unit, day));
      slot.slope = 0;
    }
    return slot.v0;
  }
  const h0 = Math.floor(t / HOUR) * HOUR;
  if (slot.at !== h0) {
    slot.at = h0;
    slot.v0 = cached(s, `${metric}|${unit}|${h0}`, () => simulatedValue(s.world, metric, unit, h0));
    slot.slope = (cached(s, `${metric}|${unit}|${h0}e`, () => simulatedValue(s.world, metric, unit, h0 + HOUR - 1)) - slot.v0) / HOUR;
  }
  return Math.floor(slot.v0 + slot.slope * (t - h0));
}

/**
 * Batch number `iteration` (unique in the run): unit `iteration mod units`, its simulated metrics at one-minute
 * steps going back from an hour before the run, each batch a slice of time of its own, so no value is sent
 * twice. Built as a string: JSON.stringify of 1,000 objects per batch costs k6 more CPU than the server's parse.
 */
export function buildBatch(iteration, size = BATCH_SIZE) {
  const s = world();
  const unit = s.units[iteration % s.units.length];
  const slot = Math.floor(iteration / s.units.length);
  const perTs = unit.metrics.length;
  const tsCount = Math.ceil(size / perTs);
  const batchId = `${RUN_ID}-${iteration}`;
  const slots = unit.metrics.map(() => ({ at: NaN, v0: 0, slope: 0 }));
  const prefixes = unit.metrics.map((metric) => `{"metric":"${metric}","unit":"${unit.code}","ts":"`);
  const parts = [];
  for (let j = 0; j < tsCount && parts.length < size; j += 1) {
    const t = T0 - (slot * tsCount + j) * MINUTE;
    const ts = `${vietnamIso(t)}","value":`;
    for (let m = 0; m < perTs && parts.length < size; m += 1) {
      parts.push(`${prefixes[m]}${ts}${valueOf(s, unit.metrics[m], unit.code, t, slots[m])}}`);
    }
  }
  return { auth: unit.auth, unit: unit.code, points: parts.length, body: `{"batchId":"${batchId}","points":[${parts.join(',')}]}` };
}

let warned = 0;

/** POSTs one batch; counts accepted points, errors by status; returns the response. */
export function postBatch(batch, tags = {}) {
  const res = http.post(INGEST_URL, batch.body, {
    headers: { Authorization: batch.auth, 'Content-Type': 'application/json' },
    tags: { name: 'ingest', ...tags },
    timeout: '60s',
  });
  const ok = res.status === 202 || res.status === 200;
  ingestErrors.add(!ok, { status: String(res.status), ...tags });
  if (ok) {
    const answer = res.json();
    pointsAccepted.add(answer.duplicate ? 0 : answer.accepted, tags);
    pointsRevised.add(answer.revised ?? 0, tags);
    batchesAccepted.add(1, tags);
  } else {
    pointsNotAccepted.add(batch.points, { status: String(res.status), ...tags });
    if (res.status === 0) ingestConnectionErrors.add(1, tags);
    if (warned < 3) {
      warned += 1;
      console.warn(`ingest ${res.status} for unit ${batch.unit}: ${res.status === 0 ? res.error : String(res.body).slice(0, 300)}`);
    }
  }
  return res;
}

/**
 * The latency probe: one value of the live metric for every province, all stamped with the send time (ts, in
 * ms), posted with the --all-units key. A wall client subscribed to the metric for 'provinces' receives the
 * points and records receive time − ts: the ingest→receive latency (both clocks are this k6 process's).
 */
export function sendProbe() {
  const s = world();
  const now = Date.now();
  const ts = vietnamIso(now);
  const points = s.provinces.map(
    (unit) => `{"metric":"${LIVE_METRIC}","unit":"${unit}","ts":"${ts}","value":${simulatedValue(s.world, LIVE_METRIC, unit, now) ?? 0}}`,
  );
  const res = http.post(
    INGEST_URL,
    `{"batchId":"${RUN_ID}-probe-${now}-${Math.floor(Math.random() * 1e9)}","points":[${points.join(',')}]}`,
    {
      headers: { Authorization: `Bearer ${CONFIG.probeKey}`, 'Content-Type': 'application/json' },
      tags: { name: 'probe' },
      timeout: '30s',
    },
  );
  const ok = res.status === 202 || res.status === 200;
  probesSent.add(1);
  if (!ok) probeErrors.add(1, { status: String(res.status) });
  if (!ok && warned < 3) {
    warned += 1;
    console.warn(`probe ${res.status}: ${res.status === 0 ? res.error : String(res.body).slice(0, 300)}`);
  }
  return res;
}
