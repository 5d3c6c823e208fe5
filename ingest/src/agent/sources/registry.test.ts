/**
 * A kind of source that is not built in, registered through the registry: config.ts validates its entries, and
 * `check` and `run` make it, read it and deliver what it queued — with no line of agent.ts or check.ts naming it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { IngestBatch } from '@dxoc/contracts';
import { startAgent } from '../agent';
import { checkAgent } from '../check';
import type { FetchLike } from '../client';
import { systemClock } from '../clock';
import { ConfigFileError, loadAgentConfig } from '../config';
import { memoryLogger, plural } from '../log';
import { compileMappings, mapRecord, type Cell } from '../mapping';
import type { LabeledPoint } from '../queue';
import { SOURCES } from './index';
import { readSummary, sourceSchema, type Source } from './source';

/** A meter that holds its readings in the configuration: rows of cells, read with the source's mapping. */
const MeterSchema = sourceSchema('meter', {
  readings: z.array(z.record(z.string(), z.union([z.string(), z.number()]))).min(1),
  /** makes check fail with this message */
  unplugged: z.string().optional(),
});
type MeterConfig = z.infer<typeof MeterSchema>;

const created: string[] = [];
const meterSource: Source<'meter', MeterConfig> = {
  kind: 'meter',
  reads: 'columns',
  schema: MeterSchema,
  refine(entry, report) {
    if (entry.readings.length > 3) report(['readings'], 'a meter keeps at most 3 readings');
  },
  resolve: (entry) => entry,
  create(config, { agent, queue, clock }) {
    created.push(config.name);
    const compiled = compileMappings(config.mapping);
    const read = () => {
      const points: LabeledPoint[] = [];
      const problems: string[] = [];
      config.readings.forEach((reading, index) => {
        const cells = new Map<string, Cell>(Object.entries(reading));
        const mapped = mapRecord({ kind: 'row', cells }, compiled, { offsetMinutes: agent.offsetMinutes, now: clock.now() });
        if (mapped.problems.length > 0) problems.push(`reading ${index + 1}: ${mapped.problems.join('; ')}`);
        else for (const point of mapped.points) points.push({ point, origin: `${config.name} reading ${index + 1}` });
      });
      return { points, problems };
    };
    return {
      name: config.name,
      async run(signal) {
        await queue.append(read().points);
        await clock.sleep(3_600_000, signal);
      },
      async check() {
        if (config.unplugged) throw new Error(config.unplugged);
        return readSummary(plural(config.readings.length, 'reading'), read());
      },
    };
  },
};

const registry = SOURCES.with(meterSource);

const header = (url = 'http://api.test') =>
  `api: { url: "${url}", key: dxoc_test }\nagent: { name: meters, stateDir: state }\ndelivery: { flushIntervalSeconds: 0.05, flushJitterSeconds: 0 }\n`;
const METER = `sources:
  - name: hall
    kind: meter
    readings:
      - { unit: "79", day: "2026-01-05", count: 12 }
      - { unit: 1, day: "2026-01-05", count: 7 }
      - { unit: "01", day: "yesterday", count: 3 }
    mapping: { metric: dvc.services_online, unit: { column: unit }, ts: { column: day }, value: { column: count } }
`;

/** The ingest API: takes the key (an empty batch is refused as invalid_batch after authentication) and stores batches. */
function fakeApi(): FetchLike & { batches: IngestBatch[] } {
  const batches: IngestBatch[] = [];
  const api: FetchLike = async (_url, init) => {
    const batch = JSON.parse(String(init.body)) as IngestBatch;
    if (batch.points.length === 0) return Response.json({ error: 'invalid_batch', message: 'no points', details: [] }, { status: 400 });
    batches.push(batch);
    return Response.json({ batchId: batch.batchId, accepted: batch.points.length, duplicate: false, revised: 0 }, { status: 202 });
  };
  return Object.assign(api, { batches });
}

describe('a source kind registered through the registry', () => {
  let dir: string;
  const write = (text: string) => {
    const file = path.join(dir, `agent-${created.length}-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    return file;
  };
  const problems = (text: string, sources = registry) => {
    try {
      loadAgentConfig(write(text), {}, sources);
    } catch (error) {
      if (error instanceof ConfigFileError) return error.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`);
      throw error;
    }
    return [];
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-registry-'));
    created.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is a kind the configuration accepts only where it is registered, with the mapping rules and its own', () => {
    expect(registry.kinds).toEqual(['files', 'http', 'sql', 'meter']);
    expect(problems(header() + METER, SOURCES)).toEqual(['6: sources[0].kind: kind must be "files", "http" or "sql" "meter"']);
    expect(problems(header() + METER.replace('kind: meter', 'kind: gauge'))).toEqual([
      '6: sources[0].kind: kind must be "files", "http", "sql" or "meter" "gauge"',
    ]);
    const wrong = METER.replace('ts: { column: day }', 'ts: { path: $.day }')
      .replace('readings:', 'colour: red\n    readings:')
      .replace('- { unit: "01"', '- { unit: "02" }\n      - { unit: "01"');
    expect(problems(header() + wrong)).toEqual(['5: sources[0]: unknown field "colour"']);
    expect(problems(header() + wrong.replace('colour: red\n    ', ''))).toEqual([
      '12: sources[0].mapping.ts.path: a meter source reads columns: use column: <name>',
      '8: sources[0].readings: a meter keeps at most 3 readings',
    ]);
    const config = loadAgentConfig(write(header() + METER), {}, registry);
    expect(config.sources).toEqual([
      expect.objectContaining({
        name: 'hall',
        kind: 'meter',
        mapping: [expect.objectContaining({ metric: { const: 'dvc.services_online' } })],
      }),
    ]);
  });

  it('is checked by `check` through its own check(), next to the built-in kinds', async () => {
    const inbox = path.join(dir, 'inbox');
    const files = `  - { name: drop, kind: files, dir: inbox, mapping: { metric: m, unit: u, ts: { now: day }, value: { column: v } } }\n`;
    const unplugged = METER.replace('sources:\n', '')
      .replace('name: hall', 'name: cellar')
      .replace('kind: meter', 'kind: meter\n    unplugged: "the meter answers nothing on COM3"');
    const config = loadAgentConfig(write(`${header()}${METER}${files}${unplugged}`), {}, registry);
    const items = await checkAgent(config, { clock: systemClock, fetch: fakeApi(), sources: registry });
    expect(items.map((i) => [i.name, i.ok, i.message])).toEqual([
      ['configuration', true, `${config.file} is valid: agent "meters", 3 sources`],
      ['api key', true, 'the API at http://api.test accepts the key'],
      ['state dir', true, `${path.join(dir, 'state')} is writable`],
      [
        'source hall (meter)',
        true,
        expect.stringMatching(
          /^3 readings read, 2 values mapped; 1 would be skipped, first: reading 3: ts \(column "day"\) "yesterday" is not a date and time/,
        ),
      ],
      ['source drop (files)', true, `${inbox} is ready; 0 files waiting`],
      ['source cellar (meter)', false, 'the meter answers nothing on COM3'],
    ]);
    expect(created).toEqual(['hall', 'cellar']);
  });

  it('is run by `run`: what it queues is delivered to the API', async () => {
    const config = loadAgentConfig(write(header() + METER), {}, registry);
    const api = fakeApi();
    const logger = memoryLogger();
    const stop = new AbortController();
    const agent = await startAgent(config, { clock: systemClock, random: () => 0, logger, fetch: api, sources: registry }, stop.signal);
    try {
      for (let waited = 0; api.batches.length === 0 && waited < 10_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      stop.abort();
      await agent.done;
    }
    expect(created).toEqual(['hall']);
    expect(logger.entries.find((e) => e.event === 'agent.start')?.message).toContain('1 source (hall: meter)');
    expect(api.batches.flatMap((b) => b.points)).toEqual([
      { metric: 'dvc.services_online', unit: '79', ts: '2026-01-05T00:00:00+07:00', value: 12 },
      { metric: 'dvc.services_online', unit: '01', ts: '2026-01-05T00:00:00+07:00', value: 7 },
    ]);
    expect(api.batches[0]?.batchId).toMatch(/^meters\./);
  });
});
