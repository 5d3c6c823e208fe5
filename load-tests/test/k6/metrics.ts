/**
 * Stand-in for k6/metrics: Counter, Gauge, Rate and Trend that register in the shared state and keep every sample.
 * Registration follows k6's registry (metrics/registry.go): the name must match ^[a-zA-Z_][a-zA-Z0-9_]{1,128}$, the
 * same name with another type (a built-in one included) is refused, and metrics can only be created in the init
 * context.
 */
import { checkTags, k6, type MetricType, type StubMetric } from './state';

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]{1,128}$/;

function register(name: string, type: MetricType, isTime = false): StubMetric {
  const state = k6();
  if (state.phase !== 'init') throw new Error(`metric "${name}" created outside the init context: k6 refuses that`);
  if (typeof name !== 'string' || !NAME.test(name)) throw new Error(`Invalid metric name: '${String(name)}'`);
  const existing = state.metrics.get(name);
  if (existing) {
    if (existing.type !== type) throw new Error(`metric '${name}' already exists but with type ${existing.type}, instead of ${type}`);
    return existing;
  }
  const metric: StubMetric = { name, type, isTime, samples: [] };
  state.metrics.set(name, metric);
  return metric;
}

class Metric {
  readonly name: string;
  readonly #metric: StubMetric;
  constructor(name: string, type: MetricType, isTime = false) {
    this.#metric = register(name, type, isTime);
    this.name = name;
  }
  add(value: number | boolean, tags?: Record<string, string>): void {
    const number = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) throw new Error(`${this.name}.add(${String(value)}): not a finite number`);
    this.#metric.samples.push({ value: number, tags: checkTags(tags, `${this.name}.add`) });
  }
}

export class Counter extends Metric {
  constructor(name: string) {
    super(name, 'counter');
  }
}

export class Gauge extends Metric {
  constructor(name: string, isTime = false) {
    super(name, 'gauge', isTime);
  }
}

export class Rate extends Metric {
  constructor(name: string) {
    super(name, 'rate');
  }
}

export class Trend extends Metric {
  constructor(name: string, isTime = false) {
    super(name, 'trend', isTime);
  }
}
