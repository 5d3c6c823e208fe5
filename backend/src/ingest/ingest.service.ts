import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type IngestAccepted,
  type IngestBatch,
  IngestBatchSchema,
  IngestErrorCode,
  type IngestErrorDetail,
  IngestPointSchema,
  MAX_FUTURE_SKEW_MS,
  MAX_POINTS_PER_BATCH,
  localDay,
  parseIsoWithOffset,
  pointKey,
  quote,
  seriesKey,
  toIngestErrorDetails,
  type ValueRange,
} from '@dxoc/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CLOCK, type Clock } from '../common/clock';
import { DATABASE, type Database } from '../db/database';
import { storageFault } from '../db/storage-health';
import { CatalogService, type CatalogSnapshot } from '../catalog/catalog.service';
import { AppError } from '../http/errors';
import { EventBus } from '../events/event-bus';
import { KeysService, type AgentIdentity } from '../keys/keys.service';
import {
  ObservationsRepository,
  type CounterNeighbours,
  type NewObservation,
  type ObservationColumns,
  type StoreResult,
} from './observations.repository';
import { decodeBatch, type DecodedBatch } from './batch-decoder';
import { RateLimiter } from './rate-limiter';

export interface IngestOutcome {
  status: 200 | 202;
  body: IngestAccepted;
}

type IndexedPoint = NewObservation & { index: number; /** ts as sent, quoted in messages */ tsText: string };

/**
 * A batch's points as columns (DecodedBatch); `index[i]` is point i's position in the batch as sent, or null when
 * that is i (only the well-formed points are here when some failed the schema). Objects are made only for counter
 * points and for points with a problem.
 */
interface Points extends ObservationColumns {
  tsText(i: number): string;
  index: number[] | null;
}

/** Points that addPoint fills, point by point. */
interface GatheredPoints extends Points {
  tsTexts: string[];
}

function gatheredPoints(index: number[] | null): GatheredPoints {
  const tsTexts: string[] = [];
  return { metric: [], unit: [], ts: [], value: [], tsTexts, tsText: (i) => tsTexts[i] as string, index };
}

function pointAt(points: Points, i: number): IndexedPoint {
  return {
    metric: points.metric[i] as string,
    unit: points.unit[i] as string,
    ts: points.ts[i] as number,
    value: points.value[i] as number,
    tsText: points.tsText(i),
    index: points.index ? (points.index[i] as number) : i,
  };
}

@Injectable()
export class IngestService {
  private readonly limiter: RateLimiter;
  /** validity dates of units are local calendar days of the configured time zone */
  private readonly timeZone: string;
  /** epoch ms of DXOC_MIN_TIMESTAMP: nothing older is accepted */
  private readonly earliest: number;
  private readonly retainRawFor: string | null;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(ObservationsRepository) private readonly observations: ObservationsRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(KeysService) private readonly keys: KeysService,
  ) {
    this.limiter = new RateLimiter(config.rateLimit);
    this.timeZone = config.timezone;
    this.earliest = config.minTimestamp.getTime();
    this.retainRawFor = config.retainRawFor;
  }

  /** Validates everything first; then writes the whole batch in one transaction or nothing. */
  async ingest(agent: AgentIdentity, body: unknown): Promise<IngestOutcome> {
    const now = this.clock.now();
    const batch = decodeBatch(body) ?? (await this.bySchema(body, now));
    const { batchId } = batch;
    const size = batch.metric.length;
    this.limiter.check(agent.keyId, size, now.getTime());

    const points: Points = {
      metric: batch.metric,
      unit: batch.unit,
      ts: batch.ts,
      value: batch.value,
      tsText: (i) => batch.tsText(i),
      index: null,
    };
    const catalog = await this.catalog.snapshot();
    const writable = writableUnits(agent, catalog);
    const forbidden: IndexedPoint[] = [];
    if (writable)
      for (let i = 0; i < size; i += 1) {
        const unit = points.unit[i] as string;
        if (!writable.has(unit) && catalog.units.has(unit)) forbidden.push(pointAt(points, i));
      }
    if (forbidden.length > 0) {
      throw new AppError(
        403,
        IngestErrorCode.forbiddenUnit,
        `this agent key may not write ${describeUnits(forbidden)}; it is granted ${agent.unitCodes ? agent.unitCodes.join(', ') : 'all units'}`,
        forbidden.map((p) => ({ index: p.index, field: 'unit', message: `unit ${quote(p.unit)} is not granted to this key` })),
      );
    }
    const counters = countersOf(points, catalog);
    const problems = problemsWithinBatch(points, counters, catalog, now, this.timeZone, this.earliest);
    if (problems.length > 0) throw invalid(await this.withStoredCounterProblems(problems, counters));

    const record = {
      keyId: agent.keyId,
      batchId,
      contentHash: hashContent(points),
      pointCount: size,
      receivedAt: now,
      source: null,
      units: [...new Set(points.unit)],
    };
    const columns = { metric: points.metric, unit: points.unit, ts: points.ts, value: points.value };
    // A batch with counters is written in a transaction of pipelined statements: the key check, the idempotency
    // record, the stream lock (shared: batches are written side by side), the locks of the batch's counter series
    // and their stored neighbours (read under those locks, before the insert, so two batches cannot both pass the
    // check) and the points. A revoked key, a batch already received or a counter going backwards rolls all of it
    // back. The bounded neighbour lookup (boundedCounterNeighbours, its cost independent of a series' history)
    // answers almost every batch; when it cannot (a backfill far from any stored value), the write is rolled back
    // and done again with the exhaustive lookup in its place.
    const inTransaction = (exhaustive: boolean) =>
      this.db.transaction(async (tx) => {
        const [, isNew, , , found, stored] = await Promise.all([
          this.keys.confirmActive(tx, agent.keyId),
          this.observations.recordBatch(tx, record),
          this.observations.joinStreamWriters(tx),
          this.observations.lockCounterSeries(tx, counters),
          exhaustive
            ? this.observations.counterNeighboursByScan(counters, tx)
            : this.observations.boundedCounterNeighbours(counters, tx, this.retainRawFor),
          this.observations.store(tx, columns, batchId, agent.keyId, now, { streamJoined: true }),
        ]);
        if (found.some((n) => n === null)) throw new NeedsExhaustiveLookup();
        const neighbours = found as CounterNeighbours[];
        const counterProblems = storedCounterProblems(counters, neighbours);
        if (counterProblems.length > 0) throw invalid(counterProblems.sort(byIndex));
        if (!isNew) throw new AlreadyReceived();
        if (stored.revised > 0) await this.observations.recordRevisions(tx, agent.keyId, batchId, stored.revised);
        return stored;
      });
    // Every other batch (most: gauges of the present) is first written in one statement (storeNewBatch), which
    // writes nothing when one of its points is stored already: then in the transaction, which handles repeats.
    const write = async (exhaustive: boolean): Promise<StoreResult> => {
      if (counters.length === 0 && this.observations.storesInOneStatement(size)) {
        const outcome = await this.observations.storeNewBatch(record, columns);
        if (outcome) {
          this.keys.refuseUnlessActive(agent.keyId, outcome.key);
          if (!outcome.isNew) throw new AlreadyReceived();
          return { inserted: size, revised: 0, changed: columns };
        }
      }
      return inTransaction(exhaustive);
    };
    // Batches are written side by side: two that insert the same new points (or revise the same ones) in different
    // orders can each wait for the other; PostgreSQL then fails one of them, which is written again.
    const attempt = (exhaustive: boolean, deadlocks = 0): Promise<StoreResult> =>
      write(exhaustive).catch((error: unknown) => {
        if (error instanceof NeedsExhaustiveLookup) return attempt(true, deadlocks);
        if (isDeadlock(error) && deadlocks < MAX_DEADLOCK_RETRIES) return attempt(exhaustive, deadlocks + 1);
        return Promise.reject(error);
      });
    const written = await attempt(false).catch((error: unknown) => {
      if (error instanceof AlreadyReceived) return null;
      // health's version query still answers on a full or read-only disk: only a write tells (StorageHealth)
      const fault = storageFault(error);
      if (fault) this.bus.emit('storage.write_settled', { ok: false, reason: fault, message: (error as Error).message });
      throw error;
    });
    if (written) {
      this.bus.emit('storage.write_settled', { ok: true });
      if (written.changed.metric.length > 0) this.bus.emit('observations.stored', { batchId, keyId: agent.keyId, points: written.changed });
      return { status: 202, body: { batchId, accepted: size, duplicate: false, revised: written.revised } };
    }
    const previous = await this.observations.findBatchHash(agent.keyId, batchId);
    if (previous && previous.contentHash === record.contentHash) {
      return { status: 200, body: { batchId, accepted: previous.pointCount, duplicate: true, revised: 0 } };
    }
    throw new AppError(
      409,
      IngestErrorCode.batchConflict,
      `batchId ${quote(batchId)} was already used by this key for different points; use a new batchId for new data`,
      { batchId },
    );
  }

  /**
   * A body decodeBatch did not take, read by the schema: the decoder refuses only what the schema refuses
   * (test/batch-decoder.test.ts); were they ever to disagree, the schema, the contract, decides.
   */
  private async bySchema(body: unknown, now: Date): Promise<DecodedBatch> {
    const parsed = IngestBatchSchema.safeParse(body);
    if (!parsed.success) throw invalid(await this.schemaProblems(body, parsed.error.issues, now));
    return fromSchema(parsed.data);
  }

  /**
   * A batch that is refused anyway lists every invalid point: the counter points with no other problem are also
   * checked against the stored values (outside any transaction: nothing is written).
   */
  private async withStoredCounterProblems(problems: IngestErrorDetail[], counters: IndexedPoint[]): Promise<IngestErrorDetail[]> {
    const flagged = new Set(problems.map((d) => d.index));
    const unflagged = counters.filter((p) => !flagged.has(p.index));
    const stored = storedCounterProblems(unflagged, await this.observations.counterNeighbours(unflagged, undefined, this.retainRawFor));
    return [...problems, ...stored].sort(byIndex);
  }

  /** A batch that fails the schema: its shape problems plus the problems of its well-formed points, so every invalid point is listed. */
  private async schemaProblems(body: unknown, issues: Parameters<typeof toIngestErrorDetails>[0], now: Date): Promise<IngestErrorDetail[]> {
    const details = toIngestErrorDetails(issues);
    const raw = typeof body === 'object' && body !== null ? (body as { points?: unknown }).points : undefined;
    if (!Array.isArray(raw) || raw.length > MAX_POINTS_PER_BATCH) return details;
    const points = gatheredPoints([]);
    raw.forEach((candidate, index) => {
      const point = IngestPointSchema.safeParse(candidate);
      if (point.success) addPoint(points, point.data, index);
    });
    if (points.metric.length === 0) return details;
    const catalog = await this.catalog.snapshot();
    const counters = countersOf(points, catalog);
    const problems = problemsWithinBatch(points, counters, catalog, now, this.timeZone, this.earliest);
    return [...details, ...(await this.withStoredCounterProblems(problems, counters))].sort(byIndex);
  }
}

/** The problems visible without the database: the catalog, the clock, repeats and counter order inside the batch. */
function problemsWithinBatch(
  points: Points,
  counters: IndexedPoint[],
  catalog: CatalogSnapshot,
  now: Date,
  timeZone: string,
  earliest: number,
): IngestErrorDetail[] {
  const problems = [...validateAgainstCatalog(points, catalog, now, timeZone, earliest), ...duplicatesWithinBatch(points)];
  const flagged = new Set(problems.map((d) => d.index));
  problems.push(...counterOrderWithinBatch(counters.filter((p) => !flagged.has(p.index))));
  return problems;
}

/** Points of counter metrics: a counter is a running total, never lower than an earlier value nor higher than a later one. */
function countersOf(points: Points, catalog: CatalogSnapshot): IndexedPoint[] {
  const counters: IndexedPoint[] = [];
  let metric: string | undefined;
  let isCounter = false;
  for (let i = 0; i < points.metric.length; i += 1) {
    // a batch is mostly runs of one metric: look it up when it changes
    if (points.metric[i] !== metric) {
      metric = points.metric[i] as string;
      isCounter = catalog.metrics.get(metric)?.kind === 'counter';
    }
    if (isCounter) counters.push(pointAt(points, i));
  }
  return counters;
}

/** A batch the schema accepted, as columns. */
function fromSchema(batch: IngestBatch): DecodedBatch {
  const points = gatheredPoints(null);
  for (const p of batch.points) addPoint(points, p, 0);
  return { batchId: batch.batchId, metric: points.metric, unit: points.unit, ts: points.ts, value: points.value, tsText: points.tsText };
}

/** Adds a point that passed the schema (its ts therefore parses) at its position in the batch as sent. */
function addPoint(points: GatheredPoints, point: { metric: string; unit: string; ts: string; value: number }, index: number): void {
  points.metric.push(point.metric);
  points.unit.push(point.unit);
  points.ts.push(parseIsoWithOffset(point.ts) as number);
  points.value.push(point.value);
  points.tsTexts.push(point.ts);
  points.index?.push(index);
}

function counterOrderWithinBatch(counters: IndexedPoint[]): IngestErrorDetail[] {
  const problems: IngestErrorDetail[] = [];
  const bySeries = new Map<string, IndexedPoint[]>();
  for (const p of counters) {
    const key = seriesKey(p.metric, p.unit);
    const series = bySeries.get(key);
    if (series) series.push(p);
    else bySeries.set(key, [p]);
  }
  for (const series of bySeries.values()) {
    series.sort((a, b) => a.ts - b.ts);
    for (let i = 1; i < series.length; i += 1) {
      const before = series[i - 1] as IndexedPoint;
      const point = series[i] as IndexedPoint;
      if (point.value < before.value)
        problems.push(backwards(point, before.value, new Date(before.ts), `point ${before.index} of this batch`));
    }
  }
  return problems;
}

function storedCounterProblems(counters: IndexedPoint[], neighbours: CounterNeighbours[]): IngestErrorDetail[] {
  const problems: IngestErrorDetail[] = [];
  const byIndex = new Map(counters.map((p) => [p.index, p]));
  for (const n of neighbours) {
    const point = byIndex.get(n.index) as IndexedPoint;
    if (n.prevValue !== null && point.value < n.prevValue) {
      problems.push(backwards(point, n.prevValue, n.prevTs as Date, 'the stored value'));
    } else if (n.nextValue !== null && point.value > n.nextValue) {
      problems.push({
        index: point.index,
        field: 'value',
        message: `counter "${point.metric}" for unit "${point.unit}" would go backwards: ${point.value} at ${new Date(point.ts).toISOString()} is more than the stored value ${n.nextValue} at ${(n.nextTs as Date).toISOString()}`,
      });
    }
  }
  return problems;
}

/** SQLSTATE deadlock_detected. */
const DEADLOCK_DETECTED = '40P01';
const MAX_DEADLOCK_RETRIES = 3;

function isDeadlock(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DEADLOCK_DETECTED;
}

/** Thrown inside the write to roll it back: this key already sent this batchId. */
class AlreadyReceived extends Error {}

/** Thrown inside the write to roll it back: a counter's neighbours lie outside the bounded lookup's window. */
class NeedsExhaustiveLookup extends Error {}

function byIndex(a: IngestErrorDetail, b: IngestErrorDetail): number {
  return (a.index ?? -1) - (b.index ?? -1);
}

function invalid(details: IngestErrorDetail[]): AppError {
  const count = new Set(details.map((d) => d.index)).size;
  const first = details[0]?.message ?? 'invalid batch';
  const message =
    details.length === 1 ? `invalid batch: ${first}` : `invalid batch: ${details.length} problems in ${count} place(s); first: ${first}`;
  return new AppError(400, IngestErrorCode.invalidBatch, `${message}. Nothing from this batch was stored.`, details);
}

function backwards(point: IndexedPoint, earlierValue: number, earlierTs: Date, what: string): IngestErrorDetail {
  return {
    index: point.index,
    field: 'value',
    message: `counter "${point.metric}" for unit "${point.unit}" went backwards: ${point.value} at ${new Date(point.ts).toISOString()} is less than ${earlierValue} at ${earlierTs.toISOString()} (${what}); a counter is a running total that never decreases`,
  };
}

function describeUnits(points: IndexedPoint[]): string {
  const units = [...new Set(points.map((p) => p.unit))];
  return `unit${units.length > 1 ? 's' : ''} ${units.map((u) => `"${u}"`).join(', ')} (point${points.length > 1 ? 's' : ''} ${points
    .slice(0, 10)
    .map((p) => p.index)
    .join(', ')}${points.length > 10 ? ', ...' : ''})`;
}

/**
 * The units a key may write: its granted units and, for their history, the units those absorbed (79 may send
 * 74 and 77); null for a key granted every unit. Worked out once per batch, not per point.
 */
function writableUnits(agent: AgentIdentity, catalog: CatalogSnapshot): Set<string> | null {
  if (agent.unitCodes === null) return null;
  return new Set(agent.unitCodes.flatMap((granted) => CatalogService.withPredecessors(catalog.units, granted)));
}

function validateAgainstCatalog(
  points: Points,
  catalog: CatalogSnapshot,
  now: Date,
  timeZone: string,
  earliest: number,
): IngestErrorDetail[] {
  const problems: IngestErrorDetail[] = [];
  const latestAllowed = now.getTime() + MAX_FUTURE_SKEW_MS;
  for (let i = 0; i < points.metric.length; i += 1) {
    const metric = catalog.metrics.get(points.metric[i] as string);
    const unit = catalog.units.get(points.unit[i] as string);
    const ts = points.ts[i] as number;
    const value = points.value[i] as number;
    // The common case in one test, with no object made: every check below passes (a unit that began or ended is
    // always checked in full: its validity depends on the local day of ts).
    if (
      metric &&
      unit &&
      ts <= latestAllowed &&
      ts >= earliest &&
      Number.isFinite(value) &&
      value >= metric.min &&
      value <= metric.max &&
      !unit.validUntil &&
      !unit.validFrom &&
      metric.unitKinds.includes(unit.kind)
    )
      continue;
    const p = pointAt(points, i);
    if (!metric)
      problems.push({
        index: p.index,
        field: 'metric',
        message: `unknown metric ${quote(p.metric)}; see GET /api/v1/catalog/metrics for the codes`,
      });
    if (!unit)
      problems.push({
        index: p.index,
        field: 'unit',
        message: `unknown unit ${quote(p.unit)}; see GET /api/v1/catalog/units for the codes (provinces use GSO codes such as "79")`,
      });
    if (p.ts > latestAllowed) {
      problems.push({
        index: p.index,
        field: 'ts',
        message: `"ts" ${quote(p.tsText)} (${new Date(p.ts).toISOString()}) is more than 5 minutes in the future (server time ${now.toISOString()}); check the agent's clock and time zone`,
      });
    } else if (p.ts < earliest) {
      problems.push({
        index: p.index,
        field: 'ts',
        message: `"ts" ${quote(p.tsText)} (${new Date(p.ts).toISOString()}) is before ${new Date(earliest).toISOString()}, the earliest time this server accepts (DXOC_MIN_TIMESTAMP); check the source's date column and the agent's clock`,
      });
    }
    if (!Number.isFinite(p.value)) {
      problems.push({ index: p.index, field: 'value', message: `"value" must be a finite number, got ${quote(p.value)}` });
    } else if (metric) {
      // the catalog's finite range: the metric's own bounds, or the default for its unit of measure
      const range = { min: metric.min, max: metric.max };
      if (p.value < range.min) {
        problems.push({
          index: p.index,
          field: 'value',
          message: `${p.value} is below the valid range of "${metric.code}" (${rangeText(range)} ${metric.unitOfMeasure})`,
        });
      } else if (p.value > range.max) {
        problems.push({
          index: p.index,
          field: 'value',
          message: `${p.value} is above the valid range of "${metric.code}" (${rangeText(range)} ${metric.unitOfMeasure})`,
        });
      }
    }
    if (metric && unit && !metric.unitKinds.includes(unit.kind)) {
      problems.push({
        index: p.index,
        field: 'unit',
        message: `metric "${metric.code}" is reported for ${metric.unitKinds.join('/')} units, not for ${unit.kind} "${unit.code}" (${unit.nameEn})`,
      });
    }
    if (unit) {
      // Only units that began or ended have a validity to check: most points skip the date formatting.
      const day = unit.validUntil || unit.validFrom ? localDay(p.ts, timeZone) : '';
      if (unit.validUntil && day >= unit.validUntil) {
        const successors = unit.successors.map((code) => `"${code}" (${catalog.units.get(code)?.nameVi ?? code})`).join(', ');
        problems.push({
          index: p.index,
          field: 'unit',
          message: `unit "${unit.code}" (${unit.nameVi}) ceased on ${unit.validUntil} and was merged into ${successors}; send values for ${day} as ${unit.successors.map((s) => `"${s}"`).join(', ')}`,
        });
      } else if (unit.validFrom && day < unit.validFrom) {
        problems.push({
          index: p.index,
          field: 'unit',
          message: `unit "${unit.code}" (${unit.nameVi}) exists only from ${unit.validFrom}; send values for ${day} under the unit that existed then (${unit.predecessors.join(', ') || 'see the catalog'})`,
        });
      }
    }
  }
  return problems;
}

/** Points that repeat an earlier point's (metric, unit, ts): a map per series of the times seen, no key string per point. */
function duplicatesWithinBatch(points: Points): IngestErrorDetail[] {
  const seen = new Map<string, Map<string, Map<number, number>>>();
  const problems: IngestErrorDetail[] = [];
  for (let i = 0; i < points.metric.length; i += 1) {
    const metric = points.metric[i] as string;
    const unit = points.unit[i] as string;
    let units = seen.get(metric);
    if (!units) seen.set(metric, (units = new Map()));
    let times = units.get(unit);
    if (!times) units.set(unit, (times = new Map()));
    const ts = points.ts[i] as number;
    const earlier = times.get(ts);
    if (earlier === undefined) {
      times.set(ts, points.index ? (points.index[i] as number) : i);
      continue;
    }
    const p = pointAt(points, i);
    problems.push({
      index: p.index,
      field: 'ts',
      message: `point repeats metric "${p.metric}", unit "${p.unit}", ts ${quote(p.tsText)} (${new Date(p.ts).toISOString()}) of point ${earlier}; send one value per time`,
    });
  }
  return problems;
}

function rangeText(range: ValueRange): string {
  return `${range.min}..${range.max}`;
}

/**
 * Same points in the same order, whatever the offset notation of ts: "+07:00" and "Z" for the same instant match.
 * The text hashed is pointKey(metric, unit, ts) + NUL + value per point, joined by newlines, as since the first
 * release: a batch retried across an upgrade is still recognised as the same.
 */
function hashContent(points: Points): string {
  let text = '';
  for (let i = 0; i < points.metric.length; i += 1) {
    if (i > 0) text += '\n';
    text += `${pointKey(points.metric[i] as string, points.unit[i] as string, points.ts[i] as number)}\u0000${points.value[i] as number}`;
  }
  return createHash('sha256').update(text).digest('hex');
}
