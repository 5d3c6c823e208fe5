/**
 * `dxoc-agent simulate`: plays every unit of the catalog through the real ingest API with a real key, so the
 * wall is alive a few seconds after `npm start`. It is an agent like any other (same disk queue, retries,
 * dead-letter for the values the API refuses); only its data comes from the generators.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock, Random } from '../agent/clock';
import { createIngestClient, type FetchLike } from '../agent/client';
import { Deliverer, StatusFile } from '../agent/delivery';
import { lockStateDir } from '../agent/agent';
import { plural, type Logger } from '../agent/log';
import { DiskQueue, writeJson, type LabeledPoint } from '../agent/queue';
import type { IngestPoint } from '@dxoc/contracts';
import {
  DAY_MS,
  badPoints,
  buildWorld,
  dayPoints,
  dayStart,
  lastReportedDay,
  latestPerSeriesTime,
  livePoints,
  localDate,
  type SimCatalog,
  type UnitKind,
  type World,
} from './generators';
import { SURVEY_METRICS, surveyPoints } from './surveys';

export interface SimulatorOptions {
  apiUrl: string;
  /** an agent key for all units (dxoc keys create --all-units) */
  key: string;
  /** a viewer token: reading the catalog needs one, agent keys can only ingest */
  viewerToken: string;
  stateDir: string;
  historyDays: number;
  stepSeconds: number;
  badValuesPerHour: number;
  seed: number;
  clock: Clock;
  random: Random;
  logger: Logger;
  fetch?: FetchLike;
}

export class SimulatorError extends Error {}

/** GET /api/v1/catalog/units and /metrics. */
export async function fetchCatalog(apiUrl: string, viewerToken: string, doFetch: FetchLike = (u, i) => fetch(u, i)): Promise<SimCatalog> {
  const get = async <T>(what: string): Promise<T> => {
    const url = `${apiUrl}/api/v1/catalog/${what}`;
    let response: Response;
    try {
      response = await doFetch(url, { headers: { authorization: `Bearer ${viewerToken}` }, signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      throw new SimulatorError(`GET ${url} failed: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`);
    }
    if (!response.ok) throw new SimulatorError(`GET ${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    return (await response.json()) as T;
  };
  const [units, metrics] = await Promise.all([
    get<{ units: { code: string; kind: UnitKind; validFrom: string | null; validUntil: string | null }[] }>('units'),
    get<{ metrics: { code: string; unitKinds: UnitKind[] }[] }>('metrics'),
  ]);
  return { units: units.units, metrics: metrics.metrics };
}

interface Coverage {
  /** unit → start of the last complete day already sent */
  [unit: string]: number;
}

/** Runs until signal aborts. */
export async function runSimulator(options: SimulatorOptions, signal: AbortSignal): Promise<void> {
  const { clock, logger } = options;
  await mkdir(options.stateDir, { recursive: true });
  const unlock = await lockStateDir(options.stateDir);
  try {
    const catalog = await fetchCatalog(options.apiUrl, options.viewerToken, options.fetch);
    const world = buildWorld(catalog, clock.now(), options.seed);
    const queue = await DiskQueue.open({
      stateDir: options.stateDir,
      agentName: 'simulator',
      maxPoints: 1000,
      flushIntervalMs: 1000,
      flushJitterMs: 500,
      clock,
      random: options.random,
    });
    const status = await StatusFile.open(options.stateDir, { agent: 'simulator', api: options.apiUrl, now: clock.now() });
    const counts = { values: 0, batches: 0, refused: 0 };
    const quiet: Logger = {
      // per-batch lines every second would drown the backend's log in `npm start`: count them, report each minute
      log(level, event, message, fields) {
        if (event === 'batch.stored' || event === 'batch.duplicate') {
          counts.batches += 1;
          counts.values += Number(fields?.points ?? 0);
          return;
        }
        if (event === 'batch.dead_letter') {
          // the simulator sends these on purpose: show that the API refused them, without raising an alarm
          counts.refused += Number(fields?.refused ?? 0);
          logger.log('info', 'sim.refused_as_intended', message, fields);
          return;
        }
        logger.log(level, event, message, fields);
      },
    };
    const client = createIngestClient({
      apiUrl: options.apiUrl,
      key: options.key,
      timeoutMs: 30_000,
      fetch: options.fetch,
      now: clock.now,
    });
    const deliverer = new Deliverer({
      queue,
      client,
      clock,
      random: options.random,
      logger: quiet,
      status,
      retry: { initialMs: 1000, maxMs: 30_000 },
    });
    const delivering = deliverer.run(signal);

    const coverageFile = path.join(options.stateDir, 'simulator.json');
    const coverage: Coverage = await readFile(coverageFile, 'utf8').then(
      (text) => JSON.parse(text) as Coverage,
      () => ({}),
    );
    const catchUp = async (now: number) => {
      const points: IngestPoint[] = [];
      const oldest = dayStart(now) - options.historyDays * DAY_MS;
      for (const unit of world.units.values()) {
        const from = Math.max(oldest, (coverage[unit.code] ?? -Infinity) + DAY_MS);
        const to = lastReportedDay(unit, now);
        for (let day = from; day <= to; day += DAY_MS) points.push(...dayPoints(world, unit.code, day, now));
        if (to >= from) coverage[unit.code] = Math.min(to, dayStart(now) - DAY_MS);
      }
      const unique = latestPerSeriesTime(points);
      await queue.append(unique.map(labeled));
      await writeJson(coverageFile, coverage);
      return unique.length;
    };

    const started = clock.now();
    const history = await catchUp(started);
    // the published survey figures, once at start, as an agent importing the survey would send them
    const published = surveyPoints(catalog, started);
    await queue.append(published.map((point) => ({ point, origin: `UN E-Government Survey ${point.unit}` })));
    // seal the history's last batch now: every batch numbered below `mark` is history (or what a previous run left)
    await queue.flush();
    const mark = queue.nextSeq;
    const late = [...world.units.values()].filter((u) => u.reportDelayDays > 0).map((u) => `${u.code} (${u.reportDelayDays} d)`);
    const surveyed = new Set(published.map((p) => p.metric)).size;
    logger.log(
      'info',
      'sim.start',
      `simulating ${plural(world.units.size, 'unit')} and ${plural(world.metrics.size, 'metric')} of the catalog of ${options.apiUrl}: ${plural(history, 'value')} of history (up to ${options.historyDays} days) and ${plural(published.length, 'published survey figure')} of ${plural(surveyed, 'metric')} (${SURVEY_METRICS.join(', ')}: sent as published, never generated) queued, then live values every ${options.stepSeconds} s; late reporters ${late.join(', ') || 'none'}; about ${options.badValuesPerHour} refused values an hour on purpose`,
      {
        units: world.units.size,
        metrics: world.metrics.size,
        historyValues: history,
        surveyValues: published.length,
        surveyMetrics: surveyed,
      },
    );

    // Until the history is with the API the wall shows gaps: say when it is complete (the queue is sent oldest
    // first, so the live values queued meanwhile do not delay it). A check a second, only while catching up.
    const announcing = (async () => {
      while (!signal.aborted) {
        if (await queue.answeredBelow(mark)) {
          const seconds = Math.round((clock.now() - started) / 1000);
          logger.log(
            'info',
            'sim.history_delivered',
            `the history is delivered: the API has answered for all ${plural(history, 'value')} of history (up to ${options.historyDays} days) and the ${plural(published.length, 'published survey figure')} queued at start, after ${seconds} s`,
            { historyValues: history, surveyValues: published.length, seconds },
          );
          return;
        }
        await clock.sleep(1000, signal);
      }
    })().catch(() => undefined); // a notice only: the deliverer reports a queue it cannot read

    const stepMs = options.stepSeconds * 1000;
    const badProbability = Math.min(1, (options.badValuesPerHour * options.stepSeconds) / 3600);
    let lastDay = dayStart(started);
    let lastReport = started;
    while (!signal.aborted) {
      const now = clock.now();
      const next = Math.ceil((now + 1) / stepMs) * stepMs;
      await clock.sleep(next - now, signal);
      if (signal.aborted) break;
      if (dayStart(next) !== lastDay) {
        lastDay = dayStart(next);
        const added = await catchUp(next);
        logger.log(
          'info',
          'sim.new_day',
          `a new day in Viet Nam (${localDate(next)}): ${plural(added, 'value')} of the day before (and of late reporters) queued`,
        );
      }
      await queue.append([...livePoints(world, next), ...badPoints(world, next, badProbability)].map(labeled));
      if (next - lastReport >= 60_000) {
        const depth = await queue.depth();
        logger.log(
          'info',
          'sim.progress',
          `${plural(counts.values, 'value')} stored in ${plural(counts.batches, 'batch', 'batches')} over the last ${Math.round((next - lastReport) / 1000)} s, ${plural(counts.refused, 'value')} refused by the API as intended; ${plural(depth.points, 'value')} queued`,
          { ...counts, queued: depth.points },
        );
        counts.values = 0;
        counts.batches = 0;
        counts.refused = 0;
        lastReport = next;
      }
    }
    await queue.close();
    await delivering;
    await announcing;
  } finally {
    await unlock();
  }
}

function labeled(point: IngestPoint): LabeledPoint {
  return { point, origin: `simulator ${point.unit}` };
}

export type { World };
