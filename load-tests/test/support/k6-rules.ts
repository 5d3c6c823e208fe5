/**
 * The rules k6 applies to a script's options before it runs anything, restated for the tests (k6 itself is not
 * installed by `npm test`). Each follows k6's source: thresholds (metrics/thresholds_parser.go, thresholds.go:
 * a threshold on a metric that does not exist, or with an aggregation its type lacks, stops the run), scenario
 * configs (lib/executor/*.go: strict JSON, so an unknown field stops the run; integers where k6 has null.Int;
 * durations as Go durations of at least 1 s), scenario names (base_config.go).
 */
import type { MetricType } from '../k6/state';

export const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a k6 duration ("1m30s"), or null when k6 would not parse it. */
export function durationMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string' || !DURATION.test(value)) return null;
  let total = 0;
  for (const [, amount, , unit] of value.matchAll(/(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
    total += Number(amount) * (UNIT_MS[unit as string] as number);
  return total;
}

const OPERATORS = ['<=', '<', '>=', '>', '===', '==', '!='] as const; // k6's scan order: longer tokens first
const METHODS: Record<MetricType, string[]> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p'],
};
const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export interface ThresholdExpression {
  method: string;
  percentile: number | null;
  operator: (typeof OPERATORS)[number];
  value: number;
}

/** "p(95)<=250" → { method: 'p', percentile: 95, operator: '<=', value: 250 }; throws what k6 would refuse. */
export function parseThresholdExpression(source: string): ThresholdExpression {
  for (const operator of OPERATORS) {
    const at = source.indexOf(operator);
    if (at < 0) continue;
    const left = source.slice(0, at).trim();
    const right = source.slice(at + operator.length).trim();
    if (!FLOAT.test(right)) throw new Error(`threshold "${source}": right-hand side "${right}" is not a number`);
    const percentile = /^p\((.*)\)$/.exec(left);
    if (percentile) {
      if (!FLOAT.test(percentile[1] as string)) throw new Error(`threshold "${source}": malformed percentile`);
      return { method: 'p', percentile: Number(percentile[1]), operator, value: Number(right) };
    }
    if (!['value', 'count', 'rate', 'avg', 'min', 'med', 'max'].includes(left))
      throw new Error(`threshold "${source}": unknown aggregation "${left}"`);
    return { method: left, percentile: null, operator, value: Number(right) };
  }
  throw new Error(`threshold "${source}": malformed threshold expression`);
}

export function supportsMethod(type: MetricType, method: string): boolean {
  return METHODS[type].includes(method);
}

/** "http_req_duration{name:ingest,phase:spike}" → the metric and the tags its submetric selects. */
export function parseMetricKey(key: string): { metric: string; tags: Record<string, string> } {
  const match = /^([^{}]+)(?:\{(.*)\})?$/.exec(key);
  if (!match) throw new Error(`threshold key "${key}": malformed metric name`);
  const tags: Record<string, string> = {};
  if (match[2] !== undefined) {
    for (const pair of (match[2] as string).split(',')) {
      const colon = pair.indexOf(':');
      if (colon < 1) throw new Error(`threshold key "${key}": tag "${pair}" is not name:value`);
      tags[pair.slice(0, colon).trim()] = pair
        .slice(colon + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
    }
  }
  return { metric: (match[1] as string).trim(), tags };
}

const BASE_FIELDS = ['executor', 'startTime', 'gracefulStop', 'env', 'exec', 'tags', 'options'];
const EXECUTORS: Record<string, { fields: string[]; integers: string[]; required: string[]; durations: string[] }> = {
  'constant-arrival-rate': {
    fields: ['rate', 'timeUnit', 'duration', 'preAllocatedVUs', 'maxVUs'],
    integers: ['rate', 'preAllocatedVUs', 'maxVUs'],
    required: ['rate', 'duration', 'preAllocatedVUs'],
    durations: ['timeUnit', 'duration'],
  },
  'ramping-arrival-rate': {
    fields: ['startRate', 'timeUnit', 'stages', 'preAllocatedVUs', 'maxVUs'],
    integers: ['startRate', 'preAllocatedVUs', 'maxVUs'],
    required: ['stages', 'preAllocatedVUs'],
    durations: ['timeUnit'],
  },
  'per-vu-iterations': {
    fields: ['vus', 'iterations', 'maxDuration'],
    integers: ['vus', 'iterations'],
    required: [],
    durations: ['maxDuration'],
  },
};

/** What k6 would refuse in one scenario's config (empty when it would run it). */
export function scenarioProblems(name: string, config: Record<string, unknown>, exported: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const where = `scenario "${name}"`;
  if (!/^[0-9a-zA-Z_-]+$/.test(name)) problems.push(`${where}: the name must be latin letters, digits, _ and -`);
  const executor = EXECUTORS[String(config.executor)];
  if (!executor)
    return [
      ...problems,
      `${where}: executor "${String(config.executor)}" is not one these checks know (add its rules from k6's lib/executor)`,
    ];
  for (const field of Object.keys(config)) {
    if (!BASE_FIELDS.includes(field) && !executor.fields.includes(field))
      problems.push(`${where}: unknown field "${field}" (k6 unmarshals scenarios strictly)`);
  }
  for (const field of executor.required) if (config[field] === undefined) problems.push(`${where}: "${field}" is required`);
  for (const field of executor.integers) {
    const value = config[field];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0))
      problems.push(`${where}: "${field}" must be a non-negative integer, got ${String(value)}`);
  }
  for (const field of [...executor.durations, 'startTime', 'gracefulStop']) {
    if (config[field] !== undefined && durationMs(config[field]) === null)
      problems.push(`${where}: "${field}" is not a duration: ${String(config[field])}`);
  }
  const exec = config.exec === undefined ? 'default' : String(config.exec);
  if (typeof exported[exec] !== 'function') problems.push(`${where}: exec "${exec}" is not a function the script exports`);
  switch (config.executor) {
    case 'constant-arrival-rate':
      if (!((config.rate as number) > 0)) problems.push(`${where}: the iteration rate must be more than 0`);
      if ((durationMs(config.duration) ?? 0) < 1000) problems.push(`${where}: the duration must be at least 1s`);
      break;
    case 'ramping-arrival-rate': {
      const stages = config.stages as { duration?: unknown; target?: unknown }[];
      if (!Array.isArray(stages) || stages.length === 0) problems.push(`${where}: stages are required`);
      else
        for (const [i, stage] of stages.entries()) {
          if (durationMs(stage.duration) === null) problems.push(`${where}: stage ${i} duration "${String(stage.duration)}"`);
          if (!(Number.isInteger(stage.target) && (stage.target as number) >= 0))
            problems.push(`${where}: stage ${i} target must be a non-negative integer, got ${String(stage.target)}`);
          for (const key of Object.keys(stage))
            if (key !== 'duration' && key !== 'target') problems.push(`${where}: stage ${i} has unknown field "${key}"`);
        }
      break;
    }
    case 'per-vu-iterations':
      if (config.vus !== undefined && !((config.vus as number) > 0)) problems.push(`${where}: vus must be more than 0`);
      if (config.maxDuration !== undefined && (durationMs(config.maxDuration) ?? 0) < 1000)
        problems.push(`${where}: maxDuration must be at least 1s`);
      break;
  }
  if (config.maxVUs !== undefined && (config.maxVUs as number) < (config.preAllocatedVUs as number))
    problems.push(`${where}: maxVUs can't be less than preAllocatedVUs`);
  return problems;
}

/** k6's summaryTrendStats: avg, min, med, max, count and percentiles p(N). */
export function validTrendStat(stat: string): boolean {
  return ['avg', 'min', 'med', 'max', 'count'].includes(stat) || /^p\(\d+(\.\d+)?\)$/.test(stat);
}
