/**
 * The counter check's bounded neighbour lookup (ObservationsRepository.counterNeighbours, from latest_value and a
 * window around the batch) against the exhaustive one it replaced (counterNeighboursByScan, every chunk of the
 * series' history): for a long history (three years of 7-day chunks), new points, backfills near and far, a batch
 * out of order and several points of one series in one batch, both must give the same neighbours, hence the same
 * accept/refuse decisions. Runs on the embedded database, and on a server in the "server" project. Through the
 * API: a backfill whose neighbours lie beyond the bounded lookup's window is decided by the exhaustive lookup (the
 * write is rolled back and done again), refusals and repeated batches included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database';
import { migrate } from '../src/db/migrator';
import {
  BACKFILL_WINDOW_MS,
  ObservationsRepository,
  type CounterNeighbours,
  type NewObservation,
} from '../src/ingest/observations.repository';
import { defaultDriver, type TestDatabase } from './support/databases';
import { push, startTestServer, type TestServer } from './support/app';

const DAY = 86_400_000;
const KEY = 'counter-neighbours-test';
const START = Date.parse('2023-01-01T00:00:00+07:00');
const YEARS = 3;
const METRIC = 'test.counter.history';
const UNITS = ['79', '01', '48'];

type Probe = NewObservation & { index: number };

/** The decision the ingest check takes from a point's stored neighbours (IngestService's storedCounterProblems). */
function refused(p: Probe, n: CounterNeighbours): boolean {
  return (n.prevValue !== null && p.value < n.prevValue) || (n.nextValue !== null && p.value > n.nextValue);
}

describe('counter neighbours with a long history', () => {
  let handle: TestDatabase;
  let db: Database;
  let observations: ObservationsRepository;
  /** the history: one point a day per unit, the value growing by the day number, with a 60-day gap in unit 01 */
  let lastTs: number;

  beforeAll(async () => {
    handle = await defaultDriver().open();
    db = handle.db;
    await migrate(db);
    observations = new ObservationsRepository(db);
    const points: NewObservation[] = [];
    const days = YEARS * 365;
    for (const unit of UNITS)
      for (let d = 0; d < days; d += 1) {
        if (unit === '01' && d >= 400 && d < 460) continue;
        points.push({ metric: METRIC, unit, ts: START + d * DAY, value: d * 10 });
      }
    lastTs = START + (days - 1) * DAY;
    for (let i = 0; i < points.length; i += 1000) {
      const chunk = points.slice(i, i + 1000);
      await db.transaction((tx) => observations.store(tx, chunk, `history-${i}`, KEY, new Date()));
    }
  });

  afterAll(async () => {
    await handle?.close();
  });

  async function compare(probes: Probe[]): Promise<(CounterNeighbours | null)[]> {
    const bounded = await observations.boundedCounterNeighbours(probes);
    const combined = await observations.counterNeighbours(probes);
    const scanned = await observations.counterNeighboursByScan(probes);
    expect(combined).toEqual(scanned);
    bounded.forEach((n, i) => {
      if (n) expect(n).toEqual(scanned[i]);
    });
    expect(combined.map((n, i) => refused(probes[i] as Probe, n))).toEqual(scanned.map((n, i) => refused(probes[i] as Probe, n)));
    return bounded;
  }

  it('has a history of many chunks', async () => {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'observation'`,
    );
    expect(rows[0]?.n).toBeGreaterThan(150);
  });

  it('new points (newer than the latest) are answered from latest_value, with the same neighbours', async () => {
    const lastValue = (YEARS * 365 - 1) * 10;
    const probes: Probe[] = [
      { index: 0, metric: METRIC, unit: '79', ts: lastTs + DAY, value: lastValue + 5 }, // accepted
      { index: 1, metric: METRIC, unit: '01', ts: lastTs + DAY, value: lastValue - 5 }, // refused: below the latest
      // several points of one series in one batch, out of order
      { index: 2, metric: METRIC, unit: '48', ts: lastTs + 3 * DAY, value: lastValue + 30 },
      { index: 3, metric: METRIC, unit: '48', ts: lastTs + DAY, value: lastValue + 10 },
      { index: 4, metric: METRIC, unit: '48', ts: lastTs + 2 * DAY, value: lastValue - 1 }, // refused
      { index: 5, metric: METRIC, unit: '02', ts: lastTs + DAY, value: 1 }, // nothing stored
    ];
    const bounded = await compare(probes);
    expect(bounded.every((n) => n !== null)).toBe(true);
    expect(bounded.map((n, i) => refused(probes[i] as Probe, n as CounterNeighbours))).toEqual([false, true, false, false, true, false]);
  });

  it('backfills near stored values are answered within the window', async () => {
    const d = 500;
    const probes: Probe[] = [
      { index: 0, metric: METRIC, unit: '79', ts: START + d * DAY + DAY / 2, value: d * 10 + 5 }, // between two days: accepted
      { index: 1, metric: METRIC, unit: '79', ts: START + d * DAY + DAY / 3, value: d * 10 + 11 }, // above the next day: refused
      { index: 2, metric: METRIC, unit: '48', ts: START + d * DAY, value: 123 }, // on a stored ts (a revision): neighbours either side
      { index: 3, metric: METRIC, unit: '48', ts: START + 10 * DAY + DAY / 2, value: 99 }, // an old backfill, refused (below day 10)
      // a batch straddling the latest: a backfill and a new point of one series
      { index: 4, metric: METRIC, unit: '01', ts: lastTs - DAY / 2, value: (YEARS * 365 - 2) * 10 + 1 },
      { index: 5, metric: METRIC, unit: '01', ts: lastTs + DAY / 2, value: (YEARS * 365 - 1) * 10 + 1 },
    ];
    const bounded = await compare(probes);
    expect(bounded.every((n) => n !== null)).toBe(true);
    expect(bounded.map((n, i) => refused(probes[i] as Probe, n as CounterNeighbours))).toEqual([false, true, true, true, false, false]);
  });

  it('backfills far from any stored value fall back to the exhaustive lookup, with the same answers', async () => {
    const probes: Probe[] = [
      { index: 0, metric: METRIC, unit: '01', ts: START + 430 * DAY, value: 4000 }, // in the middle of the 60-day gap
      { index: 1, metric: METRIC, unit: '79', ts: START - 30 * DAY, value: 0 }, // before the history began
      { index: 2, metric: METRIC, unit: '79', ts: START - 30 * DAY + 1, value: 1 }, // a second point of that series
    ];
    const bounded = await compare(probes);
    expect(bounded[0]).toBeNull();
    const scanned = await observations.counterNeighboursByScan(probes);
    expect(scanned[0]).toMatchObject({ prevValue: 3990, nextValue: 4600 });
    expect(scanned[1]).toMatchObject({ prevValue: null, nextValue: 0 });
    // before the history began: the window reaches back past the series' first_ts (migration 017), so "nothing
    // earlier" is an answer, not a reason to scan the whole history
    expect(bounded[1]).toEqual(scanned[1]);
  });

  it('a history sent newest first is checked within the window: first_ts says nothing is stored earlier', async () => {
    const metric = 'test.counter.newest-first';
    const t0 = Date.parse('2025-06-01T00:00:00+07:00');
    const HOUR = 3_600_000;
    // an agent catching up sends its last hour first, then each hour before it
    for (let hour = 0; hour < 6; hour += 1) {
      const end = t0 - hour * HOUR;
      const probes: Probe[] = [0, 1, 2].map((k) => ({
        index: k,
        metric,
        unit: '79',
        ts: end - (3 - k) * 20 * 60_000,
        value: 1000 - hour * 10 + k,
      }));
      const bounded = await compare(probes);
      // answered, never sent to the exhaustive lookup (after the first batch, whose series is new)
      expect(bounded.every((n) => n !== null)).toBe(true);
      await db.transaction((tx) => observations.store(tx, probes, `newest-first-${hour}`, KEY, new Date()));
      const { rows } = await db.query<{ first: Date; earliest: Date }>(
        `SELECT l.first_ts AS first, (SELECT min(ts) FROM observation o WHERE o.metric = l.metric AND o.unit = l.unit) AS earliest
         FROM latest_value l WHERE l.metric = $1 AND l.unit = '79'`,
        [metric],
      );
      expect(rows[0]?.first).toEqual(rows[0]?.earliest);
    }
  });

  it('agrees with the exhaustive lookup on random batches of every kind', async () => {
    // deterministic pseudo-random: the same batches on every run
    let seed = 14;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const span = lastTs - START + 30 * DAY;
    for (let batch = 0; batch < 25; batch += 1) {
      const probes: Probe[] = [];
      const size = 1 + Math.floor(random() * 12);
      for (let i = 0; i < size; i += 1) {
        const unit = UNITS[Math.floor(random() * UNITS.length)] as string;
        // a quarter new points, the rest anywhere in the history (some just past the window's edge)
        const ts = random() < 0.25 ? lastTs + 1 + Math.floor(random() * 5 * DAY) : START - 10 * DAY + Math.floor(random() * span);
        const day = (ts - START) / DAY;
        const value = Math.max(0, Math.round(day * 10 + (random() - 0.5) * 40));
        probes.push({ index: i, metric: METRIC, unit, ts, value });
      }
      await compare(probes);
    }
    expect(BACKFILL_WINDOW_MS).toBe(7 * DAY);
  });

  it('with retention, a latest_value row older than the horizon is not trusted: the answer is the stored values', async () => {
    const metric = 'test.counter.retained';
    const t0 = Date.parse('2025-01-01T00:00:00+07:00');
    const points = [0, 1, 2].map((d) => ({ metric, unit: '79', ts: t0 + d * DAY, value: 100 * (d + 1) }));
    await db.transaction((tx) => observations.store(tx, points, 'retained', KEY, new Date()));
    // what a retention run leaves: the chunks gone, the latest_value row kept (migration 016)
    await db.query(`DELETE FROM observation WHERE metric = $1`, [metric]);
    const probe: Probe = { index: 0, metric, unit: '79', ts: t0 + 100 * DAY, value: 1 };
    expect(await observations.boundedCounterNeighbours([probe], db, '30 days')).toEqual([null]);
    const scanned = await observations.counterNeighboursByScan([probe]);
    expect(scanned).toEqual([{ index: 0, prevValue: null, prevTs: null, nextValue: null, nextTs: null }]);
    expect(await observations.counterNeighbours([probe], db, '30 days')).toEqual(scanned);
    // a horizon that still holds the row's ts: the row is the previous neighbour
    expect(await observations.boundedCounterNeighbours([probe], db, '100 years')).toEqual([
      { index: 0, prevValue: 300, prevTs: new Date(t0 + 2 * DAY), nextValue: null, nextTs: null },
    ]);
  });

  it('ingest of new points after the history still refuses a counter that goes backwards', async () => {
    const lastValue = (YEARS * 365 - 1) * 10;
    const next = [{ index: 0, metric: METRIC, unit: '79', ts: lastTs + 10 * DAY, value: lastValue + 100 }];
    await db.transaction((tx) => observations.store(tx, next, 'after-history', KEY, new Date()));
    const probe: Probe = { index: 0, metric: METRIC, unit: '79', ts: lastTs + 11 * DAY, value: lastValue + 50 };
    const [bounded] = await compare([probe]);
    expect(bounded).toMatchObject({ prevValue: lastValue + 100, nextValue: null });
    expect(refused(probe, bounded as CounterNeighbours)).toBe(true);
  });
});

describe('POST /api/v1/ingest: counter backfills beyond the bounded window', () => {
  const CITIZENS = 'population.citizen_records'; // a counter, for provinces
  let server: TestServer;
  let key: string;
  const pt = (ts: string, value: number) => ({ metric: CITIZENS, unit: '79', ts, value });
  const stored = async () => {
    const { rows } = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE unit = '79'`);
    return rows[0]?.n as number;
  };

  beforeAll(async () => {
    server = await startTestServer();
    key = await server.createKey(['79']);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('accepts, refuses and repeats backfills a month from any stored value as the exhaustive lookup decides', async () => {
    const base = await push(server.url, key, {
      batchId: 'far-base',
      points: [pt('2026-01-01T00:00:00+07:00', 1000), pt('2026-03-01T00:00:00+07:00', 3000)],
    });
    expect(base.status).toBe(202);
    // a month from both neighbours: between them, accepted
    const between = { batchId: 'far-between', points: [pt('2026-02-01T00:00:00+07:00', 2000)] };
    expect((await push(server.url, key, between)).status).toBe(202);
    // nine days after 2000 and a month before 3000: higher than the next stored value, refused, nothing stored
    const before = await stored();
    const above = await push(server.url, key, { batchId: 'far-above', points: [pt('2026-02-10T00:00:00+07:00', 3500)] });
    expect(above.status).toBe(400);
    expect(above.body.details).toEqual([{ index: 0, field: 'value', message: expect.stringContaining('the stored value 3000') }]);
    // lower than the value a month before it (the exhaustive lookup's previous neighbour)
    const below = await push(server.url, key, { batchId: 'far-below', points: [pt('2026-01-20T00:00:00+07:00', 900)] });
    expect(below.status).toBe(400);
    expect(below.body.details[0].message).toContain('the stored value');
    expect(await stored()).toBe(before);
    // the same batch again: a duplicate, also when the write is redone with the exhaustive lookup
    const again = await push(server.url, key, between);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, accepted: 1 });
    // a new point after the latest: from latest_value
    expect((await push(server.url, key, { batchId: 'far-new', points: [pt('2026-03-02T00:00:00+07:00', 2999)] })).status).toBe(400);
    expect((await push(server.url, key, { batchId: 'far-new-2', points: [pt('2026-03-02T00:00:00+07:00', 3001)] })).status).toBe(202);
  });
});
