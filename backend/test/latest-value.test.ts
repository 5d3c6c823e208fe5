/**
 * latest_value (migrations/016_latest_value.sql) answers `latest` and `compliance` exactly as the scan of
 * observation it replaced: over a seeded dataset stored the way ingest stores it — batches out of order, backfills
 * of older points, revisions of the latest point and of older ones, values re-sent unchanged, a value dated ahead of
 * the clock, units dissolved at the 2025 merger — both are computed and compared, in the repository and over HTTP
 * (the same server answering with the old query swapped in). The migration's backfill of values stored before it is
 * compared too. On the embedded database, and on a TimescaleDB server in the "server" project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMetrics, seedUnits } from '@dxoc/contracts/reference';
import { migrate, readMigrations } from '../src/db/migrator';
import type { Database } from '../src/db/database';
import { ObservationsRepository, type NewObservation } from '../src/ingest/observations.repository';
import { SeriesRepository } from '../src/query/series.repository';
import { getJson, startTestServer, type TestServer } from './support/app';
import { defaultDriver, type TestDatabase } from './support/databases';

const DAY = 86_400_000;
const METRICS = ['onestop.applications_received', 'dvc.services_online', 'dvc.level4_share'];
const UNITS = seedUnits.filter((u) => u.kind === 'province' || u.kind === 'ministry').map((u) => u.code);
const NOW = Date.parse('2026-12-01T10:00:00+07:00');

/** A small deterministic generator: the same dataset on every run and driver. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Batches of points for every (metric, unit): about 40 values per series over 400 days, stored in shuffled batches
 * (so newer values often arrive before older ones), then revisions of each series' latest point and of an older
 * one, values re-sent unchanged, and a point dated an hour ahead of NOW. Some units get nothing (never reported).
 */
function dataset(seed: number): NewObservation[][] {
  const next = random(seed);
  const stored = new Map<string, NewObservation[]>();
  const points: NewObservation[] = [];
  for (const metric of METRICS)
    for (const unit of UNITS) {
      if (next() < 0.1) continue;
      const series: NewObservation[] = [];
      const seen = new Set<number>();
      for (let i = 0; i < 40; i++) {
        const ts = NOW - Math.floor((next() * 400 * DAY) / 60_000) * 60_000;
        if (seen.has(ts)) continue;
        seen.add(ts);
        series.push({ metric, unit, ts, value: Math.round(next() * 1000) });
      }
      stored.set(`${metric}|${unit}`, series);
      points.push(...series);
    }
  for (let i = points.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [points[i], points[j]] = [points[j] as NewObservation, points[i] as NewObservation];
  }
  const batches: NewObservation[][] = [];
  for (let start = 0; start < points.length; start += 200) batches.push(points.slice(start, start + 200));
  const later: NewObservation[] = [];
  for (const series of stored.values()) {
    const sorted = [...series].sort((a, b) => b.ts - a.ts);
    const newest = sorted[0] as NewObservation;
    const older = sorted[Math.min(3, sorted.length - 1)] as NewObservation;
    const roll = next();
    if (roll < 0.3)
      later.push({ ...newest, value: newest.value + 1 }); // a revision of the latest value
    else if (roll < 0.5)
      later.push({ ...older, value: older.value + 7 }); // a revision of an older value
    else if (roll < 0.7)
      later.push({ ...newest }); // re-sent unchanged: received_at must stay the first one's
    else if (roll < 0.75) later.push({ ...newest, ts: NOW + 3_600_000, value: 1 }); // dated ahead of the clock
  }
  // one batch mixing new points with repeats takes the careful path of store()
  const mixed = later.splice(0, 30);
  mixed.push({ metric: METRICS[0] as string, unit: UNITS[0] as string, ts: NOW - 500 * DAY, value: 3 });
  batches.push(mixed);
  for (let start = 0; start < later.length; start += 50) batches.push(later.slice(start, start + 50));
  return batches;
}

async function storeAll(db: Database, batches: NewObservation[][]): Promise<void> {
  const repository = new ObservationsRepository(db);
  for (const [i, batch] of batches.entries()) {
    // every batch arrives a minute after the previous: received_at tells them apart
    await db.transaction((tx) => repository.store(tx, batch, `latest-${i}`, 'seed', new Date(NOW + i * 60_000)));
  }
}

/** The instants both answers are compared at: now, past ones, exactly at stored points, before everything. */
function instants(batches: NewObservation[][]): Date[] {
  const some = batches.flat().filter((_, i) => i % 661 === 0);
  return [
    NOW,
    NOW + 2 * 3_600_000,
    NOW - DAY,
    NOW - 45 * DAY,
    NOW - 200 * DAY,
    NOW - 1000 * DAY,
    ...some.map((p) => p.ts),
    ...some.map((p) => p.ts - 1),
  ].map((t) => new Date(t));
}

async function compareRepository(series: SeriesRepository, at: Date[]): Promise<number> {
  const unitSets: (string[] | null)[] = [null, UNITS, [...UNITS.slice(0, 5), 'nowhere'], []];
  let rows = 0;
  for (const metric of [...METRICS, 'no.such.metric'])
    for (const asOf of at)
      for (const units of unitSets) {
        const [fast, scan] = await Promise.all([series.latest(metric, asOf, units), series.latestByScan(metric, asOf, units)]);
        expect(fast, `${metric} at ${asOf.toISOString()} for ${units === null ? 'all' : units.length} units`).toEqual(scan);
        rows += scan.length;
      }
  return rows;
}

describe('latest_value kept by ingest', () => {
  let server: TestServer;
  const batches = dataset(14);

  beforeAll(async () => {
    server = await startTestServer({ clock: { now: () => new Date(NOW) } });
    await storeAll(server.db, batches);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers latest exactly as the scan of observation, for every metric, instant and set of units', async () => {
    const rows = await compareRepository(server.app.get(SeriesRepository), instants(batches));
    // the comparison compared something: most series have values at most instants
    expect(rows).toBeGreaterThan(5000);
  }, 240_000);

  it('keeps the first received_at of a value re-sent unchanged, and takes a revision of the latest value', async () => {
    const series = server.app.get(SeriesRepository);
    const metric = METRICS[1] as string;
    const unit = UNITS[2] as string;
    const repository = new ObservationsRepository(server.db);
    const ts = NOW + 2 * DAY;
    const store = (value: number, minute: number, id: string) =>
      server.db.transaction((tx) => repository.store(tx, [{ metric, unit, ts, value }], id, 'seed', new Date(NOW + minute * 60_000)));
    await store(5, 10_000, 'latest-own-1');
    await store(5, 10_001, 'latest-own-2');
    const asOf = new Date(NOW + 3 * DAY);
    expect(await series.latest(metric, asOf, [unit])).toEqual([
      { unit, ts: new Date(ts), value: 5, receivedAt: new Date(NOW + 10_000 * 60_000) },
    ]);
    await store(6, 10_002, 'latest-own-3');
    // an older backfill afterwards changes nothing
    await server.db.transaction((tx) =>
      repository.store(tx, [{ metric, unit, ts: ts - DAY, value: 99 }], 'latest-own-4', 'seed', new Date(NOW + 10_003 * 60_000)),
    );
    expect(await series.latest(metric, asOf, [unit])).toEqual([
      { unit, ts: new Date(ts), value: 6, receivedAt: new Date(NOW + 10_002 * 60_000) },
    ]);
    expect(await series.latest(metric, asOf, [unit])).toEqual(await series.latestByScan(metric, asOf, [unit]));
  });

  it('answers /latest and /reporting/compliance over HTTP exactly as with the old query', async () => {
    const series = server.app.get(SeriesRepository);
    const reads: string[] = [];
    for (const metric of METRICS) {
      const ofMetric = seedMetrics.find((m) => m.code === metric);
      for (const asOf of ['', new Date(NOW - 45 * DAY).toISOString(), new Date(NOW - 400 * DAY).toISOString()]) {
        const at: Record<string, string> = asOf ? { asOf } : {};
        for (const unitKind of ofMetric?.unitKinds ?? []) {
          reads.push(`/api/v1/latest?${new URLSearchParams({ metric, unitKind, ...at })}`);
          reads.push(`/api/v1/latest?${new URLSearchParams({ metric, unitKind, includeEnded: 'true', ...at })}`);
          reads.push(`/api/v1/reporting/compliance?${new URLSearchParams({ metric, unitKind, ...at })}`);
        }
        reads.push(`/api/v1/latest?${new URLSearchParams({ metric, includeEnded: 'true', ...at })}`);
      }
    }
    reads.push(`/api/v1/reporting/compliance/overview?${new URLSearchParams({ unitKind: 'province' })}`);
    const answer = async () => Promise.all(reads.map(async (path) => ({ path, ...(await getJson(server.url, path)) })));
    const fast = await answer();
    const latest = series.latest.bind(series);
    series.latest = series.latestByScan.bind(series);
    let scan: Awaited<ReturnType<typeof answer>>;
    try {
      scan = await answer();
    } finally {
      series.latest = latest;
    }
    for (const [i, read] of fast.entries()) {
      expect(read.status, read.path).toBe(200);
      expect(read.body, read.path).toEqual(scan[i]?.body);
    }
    const listed = fast.filter((r) => r.path.includes('/latest?')).map((r) => (r.body.values as unknown[]).length);
    expect(Math.max(...listed)).toBeGreaterThan(30);
  });
});

describe('the migration fills latest_value from the values stored before it', () => {
  let opened: TestDatabase;

  beforeAll(async () => {
    opened = await defaultDriver().open();
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('gives the same answers as the scan right after the upgrade', async () => {
    const db = opened.db;
    const all = readMigrations();
    await migrate(
      db,
      all.filter((m) => m.version < 16),
    );
    // values as the earlier release stored them, revisions included
    const batches = dataset(7).slice(0, 12);
    for (const [i, batch] of batches.entries()) {
      await db.query(
        `INSERT INTO observation (metric, unit, ts, value, batch_id, key_id, received_at)
         SELECT r.metric, r.unit, 'epoch'::timestamptz + r.ms * INTERVAL '1 millisecond', r.value, $5, 'seed', $6
         FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) AS r(metric, unit, ms, value)
         ON CONFLICT (metric, unit, ts) DO UPDATE SET value = EXCLUDED.value, revision = observation.revision + 1,
           received_at = EXCLUDED.received_at`,
        [
          batch.map((p) => p.metric),
          batch.map((p) => p.unit),
          batch.map((p) => p.ts),
          batch.map((p) => p.value),
          `old-${i}`,
          new Date(NOW + i * 60_000),
        ],
      );
    }
    expect((await migrate(db, all)).applied.length).toBeGreaterThan(0);
    const rows = await compareRepository(new SeriesRepository(db), instants(batches).slice(0, 8));
    expect(rows).toBeGreaterThan(500);
  });
});
