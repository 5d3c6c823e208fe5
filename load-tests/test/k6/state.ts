/**
 * What the k6 stand-ins share with the tests: the metrics the scripts registered and every sample added, the HTTP
 * requests made and how the fake server answers them, the WebSockets opened, the execution context. One state per
 * loaded scenario (loadScenario in ../support/harness.ts makes a fresh one), kept on globalThis because the stand-in
 * modules are loaded anew with the scenario.
 */
import type { FakeWebSocket } from './websockets';

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
export type Tags = Record<string, string>;

export interface Sample {
  value: number;
  tags: Tags;
}

export interface StubMetric {
  name: string;
  type: MetricType;
  isTime: boolean;
  samples: Sample[];
}

export interface HttpCall {
  method: 'GET' | 'POST';
  url: string;
  body: string | null;
  headers: Record<string, string>;
  tags: Tags;
  timeout: string | undefined;
}

export interface StubAnswer {
  status: number;
  body?: string;
  /** k6's res.error: set when there was no HTTP answer (status 0) */
  error?: string;
}

export interface ExecContext {
  scenario: { name: string; startTime: number; iterationInTest: number };
  vu: { idInTest: number };
  test: { options: unknown };
}

export interface K6State {
  /** 'init' while the scripts' modules are evaluated (k6's init context), 'vu' afterwards */
  phase: 'init' | 'vu';
  env: Record<string, string>;
  files: Map<string, string>;
  metrics: Map<string, StubMetric>;
  requests: HttpCall[];
  respond: (call: HttpCall) => StubAnswer;
  sockets: FakeWebSocket[];
  exec: ExecContext;
}

/** k6's built-in metrics (metrics/builtin.go): thresholds may name them, and a custom metric may not retype them. */
export const BUILTIN_METRICS: Record<string, MetricType> = {
  vus: 'gauge',
  vus_max: 'gauge',
  iterations: 'counter',
  iteration_duration: 'trend',
  dropped_iterations: 'counter',
  checks: 'rate',
  group_duration: 'trend',
  http_reqs: 'counter',
  http_req_failed: 'rate',
  http_req_duration: 'trend',
  http_req_blocked: 'trend',
  http_req_connecting: 'trend',
  http_req_tls_handshaking: 'trend',
  http_req_sending: 'trend',
  http_req_waiting: 'trend',
  http_req_receiving: 'trend',
  ws_sessions: 'counter',
  ws_msgs_sent: 'counter',
  ws_msgs_received: 'counter',
  ws_ping: 'trend',
  ws_session_duration: 'trend',
  ws_connecting: 'trend',
  grpc_req_duration: 'trend',
  data_sent: 'counter',
  data_received: 'counter',
};

/** A fresh state, with k6's built-in metrics registered as k6 registers them before the script runs. */
export function newK6State(init: Pick<K6State, 'env' | 'files' | 'exec'> & Partial<Pick<K6State, 'respond'>>): K6State {
  const metrics = new Map<string, StubMetric>();
  for (const [name, type] of Object.entries(BUILTIN_METRICS)) metrics.set(name, { name, type, isTime: type === 'trend', samples: [] });
  return {
    phase: 'init',
    metrics,
    requests: [],
    sockets: [],
    respond: () => ({ status: 0, error: 'no fake server answers this request' }),
    ...init,
  };
}

declare global {
  var __k6: K6State | undefined;
}

export function k6(): K6State {
  const state = globalThis.__k6;
  if (!state) throw new Error('no k6 state: load scenarios through loadScenario() in test/support/harness.ts');
  return state;
}

/**
 * Tag values are strings in k6 (its tag sets map names to strings); the stand-ins refuse anything else, so that a
 * number or an object passed as a tag fails here instead of becoming a surprising tag in a run.
 */
export function checkTags(tags: unknown, where: string): Tags {
  if (tags === undefined) return {};
  if (typeof tags !== 'object' || tags === null) throw new Error(`${where}: tags must be an object`);
  for (const [name, value] of Object.entries(tags)) {
    if (typeof value !== 'string') throw new Error(`${where}: tag "${name}" is ${typeof value}, k6 wants strings`);
  }
  return tags as Tags;
}
