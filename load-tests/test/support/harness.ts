/**
 * Loads the k6 scenario scripts in vitest, with the k6 modules replaced by the stand-ins in ../k6 (vitest.config.ts
 * maps `k6/*` to them) and k6's init-context globals (__ENV, open) provided, so that the tests can read a script's
 * options and run its functions against a fake server without k6. Each load evaluates the scripts anew, as k6 does
 * for each run, so that -e knobs read at init take effect.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedMetrics, seedUnits } from '@dxoc/contracts/reference';
import { vi } from 'vitest';
import { newK6State, type K6State } from '../k6/state';

export const LOAD_TESTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCENARIOS_DIR = path.join(LOAD_TESTS, 'scenarios');
/** Where the scripts open() the run's config (DXOC_LOAD_CONFIG); served from memory. */
export const CONFIG_PATH = '/tmp/dxoc-load-test/k6-config.json';

declare global {
  var __ENV: Record<string, string> | undefined;
  var open: ((file: string) => string) | undefined;
}

export interface K6Config {
  baseUrl: string;
  viewerToken: string;
  probeKey: string;
  agents: { key: string; units: string[] }[];
  units: { code: string; kind: string; validFrom: string | null; validUntil: string | null }[];
  metrics: { code: string; kind: string; unitKinds: string[] }[];
  createdAt: number;
}

export interface K6Options {
  scenarios: Record<string, Record<string, unknown>>;
  thresholds?: Record<string, string[]>;
  summaryTrendStats?: string[];
  [option: string]: unknown;
}

export type ScenarioModule = Record<string, unknown> & { options: K6Options };

/** The parts of load-tests/run.mjs the tests use (it is plain JavaScript: these are its shapes). */
export interface RunModule {
  SCENARIOS: string[];
  DEFAULT_DURATION_S: Record<string, number>;
  UsageError: new (message: string) => Error;
  parseOptions(argv: string[]): {
    scenario: string;
    durationS: number;
    env: Record<string, string>;
    keys: number;
    report: string | null;
    keep: boolean;
  };
  splitUnits(
    units: readonly { code: string; validFrom: string | null; validUntil: string | null }[],
    groups: number,
    today?: string,
  ): { current: string[]; unitGroups: string[][] };
  k6Config(input: {
    baseUrl: string;
    viewerToken: string;
    probeKey: string;
    agentKeys: string[];
    unitGroups: string[][];
    current: string[];
    units: readonly object[];
    metrics: readonly object[];
    createdAt?: number;
  }): K6Config;
  thresholdResults(metrics: Record<string, { thresholds?: Record<string, unknown> }>): { metric: string; threshold: string; ok: boolean }[];
}

const RUN_MJS = path.join(LOAD_TESTS, 'run.mjs');

export async function runModule(): Promise<RunModule> {
  return (await import(RUN_MJS)) as RunModule;
}

export const VIEWER_TOKEN = 'dxv_load-test-viewer';
export const PROBE_KEY = 'dxoc_probe0000000000_all-units';

/**
 * The config a run would write (run.mjs's own splitUnits and k6Config), over the reference catalog the server is
 * seeded with, as GET /api/v1/catalog/units and /metrics serve it.
 */
export async function k6ConfigFor({ groups = 4, createdAt = Date.now() }: { groups?: number; createdAt?: number } = {}): Promise<K6Config> {
  const run = await runModule();
  const { current, unitGroups } = run.splitUnits(seedUnits, groups, new Date(createdAt).toISOString().slice(0, 10));
  const agentKeys = unitGroups.map((_, g) => `dxoc_agent${String(g).padStart(10, '0')}_group-${g + 1}`);
  return run.k6Config({
    baseUrl: 'http://127.0.0.1:40123',
    viewerToken: VIEWER_TOKEN,
    probeKey: PROBE_KEY,
    agentKeys,
    unitGroups,
    current,
    units: seedUnits,
    metrics: seedMetrics,
    createdAt,
  });
}

export interface Loaded {
  module: ScenarioModule;
  k6: K6State;
  config: K6Config;
}

/** Evaluates scenarios/<name>.js as k6's init context would, with `-e` knobs `env`. */
export async function loadScenario(
  name: string,
  { env = {}, config }: { env?: Record<string, string>; config?: K6Config } = {},
): Promise<Loaded> {
  vi.resetModules();
  const cfg = config ?? (await k6ConfigFor());
  const state = newK6State({
    env: { DXOC_LOAD_CONFIG: CONFIG_PATH, ...env },
    files: new Map([[CONFIG_PATH, JSON.stringify(cfg)]]),
    exec: { scenario: { name: '', startTime: Date.now(), iterationInTest: 0 }, vu: { idInTest: 1 }, test: { options: {} } },
  });
  globalThis.__k6 = state;
  globalThis.__ENV = state.env;
  globalThis.open = (file: string) => {
    if (state.phase !== 'init') throw new Error(`open(${file}) outside the init context: k6 only allows it there`);
    const text = state.files.get(file);
    if (text === undefined) throw new Error(`open(${file}): no such file`);
    return text;
  };
  let module: ScenarioModule;
  try {
    module = (await import(path.join(SCENARIOS_DIR, `${name}.js`))) as ScenarioModule;
  } finally {
    state.phase = 'vu';
  }
  state.exec.test.options = module.options;
  return { module, k6: state, config: cfg };
}

export function unloadK6(): void {
  delete globalThis.__k6;
  delete globalThis.__ENV;
  delete globalThis.open;
}

/** Calls a function the script exports (a scenario's exec), as one iteration of `scenario`. */
export function runExec(
  loaded: Loaded,
  exec: string,
  scenario: Partial<K6State['exec']['scenario']> = {},
  data: unknown = { startedAt: Date.now() },
): unknown {
  const fn = loaded.module[exec];
  if (typeof fn !== 'function') throw new Error(`the script exports no function "${exec}"`);
  Object.assign(loaded.k6.exec.scenario, scenario);
  return (fn as (data: unknown) => unknown)(data);
}

/** Samples of a metric whose tags include `tags` (how k6 selects a submetric). */
export function samples(state: K6State, metric: string, tags: Record<string, string> = {}): number[] {
  const m = state.metrics.get(metric);
  if (!m) throw new Error(`no metric "${metric}"`);
  return m.samples.filter((s) => Object.entries(tags).every(([k, v]) => s.tags[k] === v)).map((s) => s.value);
}

export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
