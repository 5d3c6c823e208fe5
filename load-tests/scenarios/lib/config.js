// Run configuration shared by every scenario: the JSON file written by load-tests/run.mjs (base URL, agent keys
// and the units each may write, the viewer token, the catalog) and the knobs passed with -e NAME=value.
/* global open, __ENV */

if (!__ENV.DXOC_LOAD_CONFIG) {
  throw new Error(
    'DXOC_LOAD_CONFIG is not set: run the scenarios through `npm run load` (load-tests/run.mjs), which starts the server and writes it',
  );
}

/**
 * {
 *   baseUrl: "http://127.0.0.1:PORT",
 *   viewerToken: "dxv_…",
 *   probeKey: "dxoc_…",                            // --all-units key for the latency probe
 *   agents: [{ key: "dxoc_…", units: ["01", …] }],  // one key per group of units
 *   units: [{ code, kind, validFrom, validUntil }], // the catalog, as GET /api/v1/catalog/units answers
 *   metrics: [{ code, unitKinds, kind }],
 *   createdAt: epoch ms
 * }
 */
export const CONFIG = JSON.parse(open(__ENV.DXOC_LOAD_CONFIG));
export const BASE_URL = CONFIG.baseUrl;
export const WS_URL = `${BASE_URL.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;

export function num(name, fallback) {
  const text = __ENV[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${text}"`);
  return value;
}

/** Seconds of the measured phase (--duration of npm run load). */
export const DURATION_S = num('DURATION_S', 60);
/** Points per ingest batch. */
export const BATCH_SIZE = num('BATCH_SIZE', 1000);
/** The metric the wall clients watch and the probe writes: a gauge reported for provinces. */
export const LIVE_METRIC = __ENV.LIVE_METRIC || 'einvoice.issued';

/** Every k6 summary reports these (p99 is not in k6's default list). */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

/** Preallocated and maximum VUs for an arrival rate of `perSecond` iterations that each take about `expectedMs`. */
export function vusFor(perSecond, expectedMs = 250, cap = 400) {
  const pre = Math.max(2, Math.ceil((perSecond * expectedMs) / 1000));
  return { preAllocatedVUs: Math.min(pre, cap), maxVUs: Math.min(Math.max(pre * 4, 10), cap) };
}
