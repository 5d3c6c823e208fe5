/**
 * The k6 scenarios, checked without k6: every script loads with k6's modules stood in, exports the functions its
 * scenarios run, has scenario configs and thresholds k6 accepts, only imports what k6 can load, and reads its -e
 * knobs. `npm run load` runs them for real; these checks catch what would stop a run before it measured anything.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { durationMs, parseMetricKey, parseThresholdExpression, scenarioProblems, supportsMethod, validTrendStat } from './support/k6-rules';
import { loadScenario, runModule, SCENARIOS_DIR, unloadK6, type Loaded } from './support/harness';

const FILES = readdirSync(SCENARIOS_DIR)
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.slice(0, -3))
  .sort();

afterEach(unloadK6);

it('npm run load offers exactly the scripts in scenarios/, each with a default duration', async () => {
  const run = await runModule();
  expect([...run.SCENARIOS].sort()).toEqual(FILES);
  for (const name of FILES) expect(run.DEFAULT_DURATION_S[name], name).toBeGreaterThanOrEqual(5);
});

describe.each(FILES)('scenarios/%s.js', (name) => {
  it('exports options whose scenarios k6 accepts, each running a function the script exports', async () => {
    const { module } = await loadScenario(name);
    const scenarios = Object.entries(module.options.scenarios ?? {});
    expect(scenarios.length).toBeGreaterThan(0);
    expect(scenarios.flatMap(([scenario, config]) => scenarioProblems(scenario, config, module))).toEqual([]);
    if ('setup' in module) expect(typeof module.setup).toBe('function');
  });

  it('has thresholds k6 accepts: known metrics, aggregations their type has, numbers on the right', async () => {
    const { module, k6 } = await loadScenario(name);
    const thresholds = Object.entries(module.options.thresholds ?? {});
    expect(thresholds.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const [key, expressions] of thresholds) {
      const { metric } = parseMetricKey(key);
      const registered = k6.metrics.get(metric);
      if (!registered) {
        problems.push(`${key}: no metric "${metric}" (k6 stops: "invalid threshold … no metric name found")`);
        continue;
      }
      for (const source of expressions) {
        const parsed = parseThresholdExpression(source);
        if (!Number.isFinite(parsed.value)) problems.push(`${key}: ${source} compares with ${parsed.value}`);
        if (!supportsMethod(registered.type, parsed.method))
          problems.push(`${key}: ${source}: a ${registered.type} has no "${parsed.method}"`);
      }
    }
    expect(problems).toEqual([]);
    for (const stat of module.options.summaryTrendStats ?? []) expect(validTrendStat(stat), stat).toBe(true);
  });

  it('imports only what k6 can load: relative files that exist and k6 modules with a stand-in here', () => {
    expect(importProblems(path.join(SCENARIOS_DIR, `${name}.js`))).toEqual([]);
  });
});

/**
 * Follows the imports from a script as k6 would: TypeScript with its types stripped (an `import type` of a
 * package costs nothing), then every specifier must be a relative path with its extension, or a k6 module. k6
 * resolves no packages from node_modules and has no Node built-ins, so anything else stops the run.
 */
function importProblems(entry: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const stubs = new Set(readdirSync(path.join(SCENARIOS_DIR, '../test/k6')).map((f) => f.replace(/\.ts$/, '')));
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    let source = readFileSync(file, 'utf8');
    if (file.endsWith('.ts'))
      source = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const where = path.relative(path.join(SCENARIOS_DIR, '../..'), file);
    for (const { fileName: spec } of ts.preProcessFile(source, true, true).importedFiles) {
      if (spec.startsWith('./') || spec.startsWith('../')) {
        const target = path.resolve(path.dirname(file), spec);
        if (!/\.(js|ts|mjs)$/.test(spec)) problems.push(`${where}: "${spec}" has no extension (k6 does not guess one)`);
        else if (!seen.has(target)) {
          try {
            readFileSync(target);
            visit(target);
          } catch {
            problems.push(`${where}: "${spec}" does not exist`);
          }
        }
      } else if (/^k6\//.test(spec)) {
        if (!stubs.has(spec.slice(3)))
          problems.push(`${where}: "${spec}" has no stand-in in load-tests/test/k6/ (add one so the tests can load the script)`);
      } else {
        problems.push(`${where}: "${spec}" is not a relative path or a k6 module: k6 cannot load it`);
      }
    }
  };
  visit(entry);
  return problems;
}

it('the import check refuses what k6 cannot load (a package, a Node built-in, a missing extension)', () => {
  // the check above must be able to fail: run it on a throwaway script
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-k6-imports-'));
  const probe = path.join(dir, 'script.ts');
  writeFileSync(path.join(dir, 'config.js'), 'export const CONFIG = {};\n');
  writeFileSync(
    probe,
    "import type { IngestPoint } from '@dxoc/contracts';\nimport { z } from 'zod';\nimport fs from 'node:fs';\nimport { CONFIG } from './config';\nexport const x: IngestPoint | null = z && fs && CONFIG ? null : null;\n",
  );
  try {
    expect(importProblems(probe)).toEqual([
      expect.stringContaining('"zod" is not a relative path or a k6 module'),
      expect.stringContaining('"node:fs" is not a relative path or a k6 module'),
      expect.stringContaining('"./config" has no extension'),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('knobs (-e NAME=value) reach the options', () => {
  it('mixed: rates, clients and the measured phase', async () => {
    const { module } = await loadScenario('mixed', {
      env: { DURATION_S: '30', INGEST_RATE: '20000', BATCH_SIZE: '500', VIEWERS: '200', PROBE_RATE: '3', READ_RATE: '4' },
    });
    const s = module.options.scenarios as Record<string, Record<string, unknown>>;
    expect(s.ingest).toMatchObject({ rate: 2400, timeUnit: '1m', duration: '30s', startTime: '2s' }); // 20,000 points/s in 500-point batches
    expect(s.viewers).toMatchObject({ vus: 200, iterations: 1 });
    expect(s.probe).toMatchObject({ rate: 3, timeUnit: '1s' });
    expect(s.reads).toMatchObject({ rate: 4, duration: '30s', startTime: '2s' });
  });

  it('a knob that is not a number stops the script with its name', async () => {
    await expect(loadScenario('ingest', { env: { INGEST_RATE: 'fast' } })).rejects.toThrow(
      'INGEST_RATE must be a non-negative number, got "fast"',
    );
  });

  it('without DXOC_LOAD_CONFIG the scripts say to go through npm run load', async () => {
    await expect(loadScenario('smoke', { env: { DXOC_LOAD_CONFIG: '' } })).rejects.toThrow('run the scenarios through `npm run load`');
  });
});

describe('timelines', () => {
  /** [start, end] in seconds of each scenario's run (without graceful stops). */
  function spans(loaded: Loaded): Record<string, [number, number]> {
    const out: Record<string, [number, number]> = {};
    for (const [name, c] of Object.entries(loaded.module.options.scenarios)) {
      const start = (durationMs(c.startTime ?? '0s') as number) / 1000;
      const length =
        c.executor === 'per-vu-iterations'
          ? (durationMs(c.maxDuration) as number) / 1000
          : c.executor === 'ramping-arrival-rate'
            ? (c.stages as { duration: string }[]).reduce((s, st) => s + (durationMs(st.duration) as number) / 1000, 0)
            : (durationMs(c.duration) as number) / 1000;
      out[name] = [start, start + length];
    }
    return out;
  }

  it.each(['viewers', 'mixed', 'smoke'])(
    '%s: every probe is sent while all wall clients are connected, and ingest and reads run for the measured phase',
    async (name) => {
      const loaded = await loadScenario(name, { env: { DURATION_S: '40', VIEWERS: '300' } });
      const s = spans(loaded);
      const ramp = 3; // 300 clients at 100 per second
      expect(s.probe?.[0]).toBeGreaterThanOrEqual(ramp);
      // clients leave TAIL_S after the measured phase: the last probe must be before that
      expect(s.probe?.[1]).toBeLessThanOrEqual(ramp + 40);
      expect(s.viewers?.[1]).toBeGreaterThan(ramp + 40);
      for (const other of ['ingest', 'reads']) if (s[other]) expect(s[other], other).toEqual([ramp, ramp + 40]);
    },
  );

  it.each([
    [60, 60],
    [20, 24], // short runs get longer: 3 s of recovery after the 5 s of settling
  ])('spike over %i s: stages of %i s, the burst 10 times the steady rate', async (duration, stagesS) => {
    const loaded = await loadScenario('spike', { env: { DURATION_S: String(duration) } });
    expect(spans(loaded).spike).toEqual([0, stagesS]);
    const stages = loaded.module.options.scenarios.spike?.stages as { target: number }[];
    const steady = stages[0]?.target as number;
    expect(Math.max(...stages.map((st) => st.target))).toBe(steady * 10); // SPIKE_FACTOR
    expect(stages.at(-1)?.target).toBe(steady);
  });
});
