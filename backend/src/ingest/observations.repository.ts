import { Inject, Injectable, Optional } from '@nestjs/common';
import { DATABASE, type Database, type Queryable } from '../db/database';
import { binaryFloat8Array, binaryTextArray } from '../db/binary-arrays';
import { seriesKey } from '@dxoc/contracts';
import type { StoredPoints } from '../events/event-map';

export interface NewObservation {
  metric: string;
  unit: string;
  /** epoch milliseconds */
  ts: number;
  value: number;
}

export interface BatchRecord {
  keyId: string;
  batchId: string;
  contentHash: string;
  pointCount: number;
  receivedAt: Date;
  source: string | null;
  /** the distinct units the batch writes (the operator's view of its unit's batches) */
  units?: string[];
}

export interface StoreResult {
  inserted: number;
  revised: number;
  /** the rows that were inserted or changed, for the live stream; unchanged re-sent values are not repeated */
  changed: StoredPoints;
}

/**
 * Stream order without serialising writers: every writer holds this lock *shared* until it commits, so batches are
 * written side by side; the live stream's reader takes it exclusively for an instant (LiveRepository.positions) and
 * reads the stream sequence then, when no writer is between taking a position and committing: every position up to
 * that value is committed or will never be (a reader resuming at N never misses N-1 committed later). Until issue 14
 * writers took it exclusively, one batch at a time, and a server's ingest waited on that one lock.
 */
export const STREAM_ORDER_LOCK = 4_242_002;
/**
 * Counter series are checked and written one batch at a time (two batches must not both pass the check against the
 * same stored neighbours): a transaction-level lock per series, (this key, hash of the series), taken in hash order
 * so that two batches with the same series cannot wait for each other.
 */
const COUNTER_SERIES_LOCK = 4_242_003;

/** What storeNewBatch found: the key's state (null: no such key) and whether the batch was new (then it is stored). */
export interface NewBatchOutcome {
  key: { revokedAt: Date | null } | null;
  isNew: boolean;
}

export interface CounterNeighbours {
  index: number;
  prevValue: number | null;
  prevTs: Date | null;
  nextValue: number | null;
  nextTs: Date | null;
}

/** SQLSTATE unique_violation: a point for a (metric, unit, ts) that is already stored. */
const UNIQUE_VIOLATION = '23505';

/** Nest token of ObservationsRepository's optional array format (never provided by the application). */
export const ARRAY_PARAMS = Symbol('ARRAY_PARAMS');

/** Bounded statements: PGlite behind pglite-socket rejects very large parameter messages. */
export const MAX_ROWS_PER_STATEMENT = 1000;

/**
 * The points as rows `i` (metric, unit, ts, value) from the four columns as the parameters $p..$p+3 (columnParams).
 * Times travel as epoch milliseconds: cheaper than formatting and parsing ISO text for every point.
 */
function incomingRows(p: number): string {
  return `(SELECT r.metric, r.unit, 'epoch'::timestamptz + r.ms * INTERVAL '1 millisecond' AS ts, r.value
    FROM unnest($${p}::text[], $${p + 1}::text[], $${p + 2}::float8[], $${p + 3}::float8[]) AS r(metric, unit, ms, value)) AS i`;
}
const INCOMING_ROWS = incomingRows(1);

/** Points as columns (see StoredPoints): what the API decodes a batch into, and what store() writes. */
export type ObservationColumns = StoredPoints;

export function toColumns(points: readonly NewObservation[]): ObservationColumns {
  const n = points.length;
  const columns: ObservationColumns = { metric: new Array(n), unit: new Array(n), ts: new Array(n), value: new Array(n) };
  for (let i = 0; i < n; i += 1) {
    const p = points[i] as NewObservation;
    columns.metric[i] = p.metric;
    columns.unit[i] = p.unit;
    columns.ts[i] = p.ts;
    columns.value[i] = p.value;
  }
  return columns;
}

function sliceColumns(c: ObservationColumns, start: number, end: number): ObservationColumns {
  return {
    metric: c.metric.slice(start, end),
    unit: c.unit.slice(start, end),
    ts: c.ts.slice(start, end),
    value: c.value.slice(start, end),
  };
}

function isColumns(points: readonly NewObservation[] | ObservationColumns): points is ObservationColumns {
  return !Array.isArray(points);
}

function emptyColumns(): ObservationColumns {
  return { metric: [], unit: [], ts: [], value: [] };
}

/** n rows in statements of at most rowsPerStatement: slice(start, end) of each statement's rows. */
function inStatements<T>(n: number, rowsPerStatement: number, slice: (start: number, end: number) => T): T[] {
  const chunks: T[] = [];
  for (let start = 0; start < n; start += rowsPerStatement) chunks.push(slice(start, start + rowsPerStatement));
  return chunks;
}

function chunksOf(c: ObservationColumns): ObservationColumns[] {
  return c.metric.length <= MAX_ROWS_PER_STATEMENT
    ? [c]
    : inStatements(c.metric.length, MAX_ROWS_PER_STATEMENT, (start, end) => sliceColumns(c, start, end));
}

/**
 * A text[] parameter as one array literal, built by a join: `pg` otherwise quotes and escapes every element with two
 * regular expressions, a tenth of the server's ingest time. Codes never hold `"` or `\`; values that do are left to `pg`.
 */
function textArray(values: readonly string[]): string | readonly string[] {
  // anything else (a null the table refuses, a quote) is left to pg, which quotes each element
  for (const v of values) if (typeof v !== 'string' || v.includes('"') || v.includes('\\')) return values;
  return values.length === 0 ? '{}' : `{"${values.join('","')}"}`;
}

/** A float8[] parameter as one array literal (JavaScript's number text is float8's: 1e+21, 0.1, -5e-7). */
function numberArray(values: readonly number[]): string | readonly number[] {
  for (const v of values) if (typeof v !== 'number') return values;
  return `{${values.join(',')}}`;
}

/**
 * The four columns as the parameters of incomingRows: binary arrays (binary-arrays.ts) where the driver is `pg` (a
 * server, or PGlite's one session over pglite-socket), text literals for PGlite in process, whose query() takes text.
 */
function columnParams(c: ObservationColumns, binary: boolean): unknown[] {
  if (binary) {
    const arrays = [binaryTextArray(c.metric), binaryTextArray(c.unit), binaryFloat8Array(c.ts), binaryFloat8Array(c.value)];
    if (arrays.every((a) => a !== null)) return arrays;
  }
  return [textArray(c.metric), textArray(c.unit), numberArray(c.ts), numberArray(c.value)];
}

/**
 * Keeps latest_value (migrations/016_latest_value.sql, 017): a newer point replaces a series' row, an older one leaves
 * it, a revision of the latest point (same ts) replaces its value and received_at; a point earlier than first_ts
 * lowers it, and a first_ts not known (NULL) stays so. $p..$p+4: each series' newest point and its earliest ts in
 * the batch (latestArrays); receivedAt: the SQL of received_at; join: what the rows are joined to (a statement that
 * writes them only with its batch's record).
 */
function latestUpsert(p: number, receivedAt: string, join = ''): string {
  return `INSERT INTO latest_value (metric, unit, ts, value, received_at, first_ts)
  SELECT r.metric, r.unit, 'epoch'::timestamptz + r.ms * INTERVAL '1 millisecond', r.value, ${receivedAt},
         'epoch'::timestamptz + r.first_ms * INTERVAL '1 millisecond'
  FROM unnest($${p}::text[], $${p + 1}::text[], $${p + 2}::float8[], $${p + 3}::float8[], $${p + 4}::float8[]) AS r(metric, unit, ms, value, first_ms) ${join}
  ON CONFLICT (metric, unit) DO UPDATE SET
    ts = CASE WHEN EXCLUDED.ts >= latest_value.ts THEN EXCLUDED.ts ELSE latest_value.ts END,
    value = CASE WHEN EXCLUDED.ts >= latest_value.ts THEN EXCLUDED.value ELSE latest_value.value END,
    received_at = CASE WHEN EXCLUDED.ts >= latest_value.ts THEN EXCLUDED.received_at ELSE latest_value.received_at END,
    first_ts = CASE WHEN latest_value.first_ts IS NULL THEN NULL ELSE LEAST(latest_value.first_ts, EXCLUDED.first_ts) END
  WHERE EXCLUDED.ts >= latest_value.ts OR EXCLUDED.first_ts < latest_value.first_ts`;
}

/** latest_value's upsert on its own: $6 is received_at. */
const LATEST_UPSERT = latestUpsert(1, '$6');

/** The five arrays of latestUpsert for some series. */
function latestArrays(newest: SeriesBounds, binary: boolean): unknown[] {
  return [...columnParams(newest, binary), (binary && binaryFloat8Array(newest.first)) || numberArray(newest.first)];
}

/**
 * The newest of the given stored points of each series, in statements of at most MAX_ROWS_PER_STATEMENT rows.
 * Reduced here rather than in SQL: an upsert may not touch one row twice, and a batch is mostly many points of
 * few series, so the statement carries one row per series. Series are found through a map per metric (no key
 * string per point), and listed in one order (metric, then unit) in every transaction: two batches upserting the
 * same series lock their rows in the same order and cannot wait for each other.
 */
function newestPerSeries(c: ObservationColumns, rowsPerStatement = MAX_ROWS_PER_STATEMENT): SeriesBounds[] {
  // per series: the index of its newest point and its earliest ts
  const byMetric = new Map<string, Map<string, { newest: number; first: number }>>();
  for (let i = 0; i < c.metric.length; i += 1) {
    const metric = c.metric[i] as string;
    let units = byMetric.get(metric);
    if (!units) byMetric.set(metric, (units = new Map()));
    const unit = c.unit[i] as string;
    const ts = c.ts[i] as number;
    const known = units.get(unit);
    if (known === undefined) units.set(unit, { newest: i, first: ts });
    else {
      if ((c.ts[known.newest] as number) < ts) known.newest = i;
      if (ts < known.first) known.first = ts;
    }
  }
  const all: SeriesBounds = { ...emptyColumns(), first: [] };
  for (const metric of [...byMetric.keys()].sort()) {
    const units = byMetric.get(metric) as Map<string, { newest: number; first: number }>;
    for (const unit of [...units.keys()].sort()) {
      const { newest: i, first } = units.get(unit) as { newest: number; first: number };
      all.metric.push(metric);
      all.unit.push(unit);
      all.ts.push(c.ts[i] as number);
      all.value.push(c.value[i] as number);
      all.first.push(first);
    }
  }
  return inStatements(all.metric.length, rowsPerStatement, (start, end) => ({
    ...sliceColumns(all, start, end),
    first: all.first.slice(start, end),
  }));
}

/** Each series' newest point, and its earliest ts in `first`. */
interface SeriesBounds extends ObservationColumns {
  first: number[];
}

/**
 * How far from a batch's points a backfill's neighbours are looked for: one chunk interval (migration 002), so the
 * lookup plans two or three chunks. A neighbour further away sends the batch to the exhaustive lookup.
 */
export const BACKFILL_WINDOW_MS = 7 * 86_400_000;

/** Each series' time range in the batch, in order of first appearance. */
function seriesRanges(points: readonly NewObservation[]): { metric: string; unit: string; lo: number; hi: number }[] {
  const series = new Map<string, { metric: string; unit: string; lo: number; hi: number }>();
  for (const p of points) {
    const key = seriesKey(p.metric, p.unit);
    const known = series.get(key);
    if (known) {
      known.lo = Math.min(known.lo, p.ts);
      known.hi = Math.max(known.hi, p.ts);
    } else series.set(key, { metric: p.metric, unit: p.unit, lo: p.ts, hi: p.ts });
  }
  return [...series.values()];
}

/** Stored values found by a neighbour lookup, per series (its 1-based number in the lookup), in time order. */
function storedBySeries(rows: readonly { series: number; ts: Date; value: number }[]): Map<number, { ts: Date; value: number }[]> {
  const stored = new Map<number, { ts: Date; value: number }[]>();
  for (const row of rows) {
    const values = stored.get(row.series);
    if (values) values.push({ ts: row.ts, value: row.value });
    else stored.set(row.series, [{ ts: row.ts, value: row.value }]);
  }
  for (const values of stored.values()) values.sort((a, b) => a.ts.getTime() - b.ts.getTime());
  return stored;
}

/** Point `index`'s neighbours as around() found them (none: null). */
function neighboursOf(
  index: number,
  prev: { ts: Date; value: number } | undefined,
  next: { ts: Date; value: number } | undefined,
): CounterNeighbours {
  return { index, prevValue: prev?.value ?? null, prevTs: prev?.ts ?? null, nextValue: next?.value ?? null, nextTs: next?.ts ?? null };
}

/** The stored values just before and just after ts among values sorted by ts (same ts excluded). */
function around(values: readonly { ts: Date; value: number }[], ts: number) {
  let prev: { ts: Date; value: number } | undefined;
  let next: { ts: Date; value: number } | undefined;
  for (const v of values) {
    const t = v.ts.getTime();
    if (t < ts) prev = v;
    else if (t > ts) {
      next = v;
      break;
    }
  }
  return { prev, next };
}

@Injectable()
export class ObservationsRepository {
  /** whether the points travel as binary arrays (columnParams) */
  private readonly binary: boolean;

  /** arrays: how points travel to a `pg` database; 'text' only for bench:array-params, which measures both. */
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Optional() @Inject(ARRAY_PARAMS) arrays?: 'binary' | 'text',
  ) {
    this.binary = db.driver === 'pg' && arrays !== 'text';
  }

  /** Records the batch for idempotency; false when this key already sent this batchId. */
  async recordBatch(tx: Queryable, batch: BatchRecord): Promise<boolean> {
    const result = await tx.query(
      `INSERT INTO ingest_batch (key_id, batch_id, content_hash, point_count, received_at, source, units)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key_id, batch_id) DO NOTHING`,
      [batch.keyId, batch.batchId, batch.contentHash, batch.pointCount, batch.receivedAt, batch.source, batch.units ?? null],
    );
    return result.rowCount === 1;
  }

  /** How many points of a just recorded batch revised a stored value (called only when some did). */
  async recordRevisions(tx: Queryable, keyId: string, batchId: string, revised: number): Promise<void> {
    await tx.query('UPDATE ingest_batch SET revised_count = $3 WHERE key_id = $1 AND batch_id = $2', [keyId, batchId, revised]);
  }

  async findBatchHash(keyId: string, batchId: string): Promise<{ contentHash: string; pointCount: number } | null> {
    const { rows } = await this.db.query<{ contentHash: string; pointCount: number }>(
      `SELECT content_hash AS "contentHash", point_count AS "pointCount" FROM ingest_batch WHERE key_id = $1 AND batch_id = $2`,
      [keyId, batchId],
    );
    return rows[0] ?? null;
  }

  /** Whether storeNewBatch takes a batch of this many points (PGlite's statements stay bounded, see MAX_ROWS_PER_STATEMENT). */
  storesInOneStatement(points: number): boolean {
    return this.db.driver === 'pg' || points <= MAX_ROWS_PER_STATEMENT;
  }

  /**
   * A whole batch of new points in one statement, its own transaction, with no counter among them (their check
   * needs their stored neighbours read under their series' locks before the insert: IngestService writes those in a
   * transaction). One round trip instead of eight: the key's state (locked FOR SHARE: a revocation waits for the
   * batch, or the batch for the revocation), the idempotency record, the stream's writer lock (shared, held from
   * before the first stream_seq is drawn — the points are joined to it — until the commit), the points and
   * latest_value. A key that is not active or a batchId already received writes nothing (every write depends on
   * the batch's record); a point already stored fails the statement (unique_violation): nothing is written, and
   * the answer is null — the caller writes the batch again in a transaction that handles repeats (store()).
   */
  async storeNewBatch(batch: BatchRecord, points: ObservationColumns): Promise<NewBatchOutcome | null> {
    const writer =
      this.db.driver === 'pglite'
        ? 'SELECT 1 FROM batch' // one transaction at a time there: no other writers to order against
        : `SELECT pg_advisory_xact_lock_shared(${STREAM_ORDER_LOCK}) FROM batch`;
    try {
      const { rows } = await this.db.query<{ known: boolean; revokedAt: Date | null; isNew: boolean }>(
        `WITH key AS (
           SELECT revoked_at FROM agent_key WHERE id = $1 FOR SHARE
         ), batch AS (
           INSERT INTO ingest_batch (key_id, batch_id, content_hash, point_count, received_at, source, units)
           SELECT $1, $2, $3, $4, $5, $6, $7 FROM key WHERE key.revoked_at IS NULL
           ON CONFLICT (key_id, batch_id) DO NOTHING
           RETURNING 1
         ), writer AS (${writer}
         ), points AS (
           INSERT INTO observation (metric, unit, ts, value, batch_id, key_id, received_at)
           SELECT i.metric, i.unit, i.ts, i.value, $2, $1, $5 FROM ${incomingRows(8)} CROSS JOIN writer
           RETURNING 1
         ), latest AS (${latestUpsert(12, '$5', 'CROSS JOIN writer CROSS JOIN (SELECT count(*) FROM points) AS stored')}
         )
         SELECT EXISTS (SELECT 1 FROM key) AS known, (SELECT revoked_at FROM key) AS "revokedAt", EXISTS (SELECT 1 FROM batch) AS "isNew"`,
        [
          batch.keyId,
          batch.batchId,
          batch.contentHash,
          batch.pointCount,
          batch.receivedAt,
          batch.source,
          batch.units ?? null,
          ...columnParams(points, this.binary),
          ...latestArrays(newestPerSeries(points, Infinity)[0] as SeriesBounds, this.binary),
        ],
        // parsed and planned once per connection: a batch of 1,000 points spent a tenth of its postgres time on it
        { prepared: 'dxoc_store_new_batch' },
      );
      const row = rows[0] as { known: boolean; revokedAt: Date | null; isNew: boolean };
      return { key: row.known ? { revokedAt: row.revokedAt } : null, isNew: row.isNew };
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return null;
      throw error;
    }
  }

  /** Joins the stream's writers until this transaction ends (STREAM_ORDER_LOCK; taken again by store: re-entrant). */
  async joinStreamWriters(tx: Queryable): Promise<void> {
    // the embedded database runs one transaction at a time: there are no other writers to order against
    if (this.db.driver === 'pglite') return;
    await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [STREAM_ORDER_LOCK]);
  }

  /** Locks the counter series of these points until this transaction ends (COUNTER_SERIES_LOCK): take it before reading their neighbours. */
  async lockCounterSeries(tx: Queryable, points: readonly NewObservation[]): Promise<void> {
    if (points.length === 0 || this.db.driver === 'pglite') return; // one transaction at a time there
    const series = seriesRanges(points);
    await tx.query(
      `SELECT count(pg_advisory_xact_lock($1, s.h)) FROM (
         SELECT DISTINCT hashtext(r.metric || chr(1) || r.unit) AS h FROM unnest($2::text[], $3::text[]) AS r(metric, unit) ORDER BY h
       ) s`,
      [COUNTER_SERIES_LOCK, series.map((x) => x.metric), series.map((x) => x.unit)],
    );
  }

  /**
   * Stores points. New (metric, unit, ts) are inserted; an existing one with a different value becomes a
   * revision: the old row is copied to observation_revision first, so nothing is silently overwritten.
   *
   * Points are almost always new, so they are first inserted plainly (the unique index refuses a repeat), which
   * costs less than ON CONFLICT probing the index before every row; a repeat rolls back to a savepoint and the
   * points take the careful path. The statements are issued together, not one after another: on the embedded
   * database every awaited statement is a round trip between threads while this transaction holds the database.
   */
  async store(
    tx: Queryable,
    points: readonly NewObservation[] | ObservationColumns,
    batchId: string,
    keyId: string,
    receivedAt: Date,
    /** the caller has joined the stream's writers in this transaction already (one statement less) */
    options: { streamJoined?: boolean } = {},
  ): Promise<StoreResult> {
    const all = isColumns(points) ? points : toColumns(points);
    const chunks = chunksOf(all);
    const [, allNew] = await Promise.all([
      options.streamJoined ? undefined : this.joinStreamWriters(tx),
      Promise.all([
        tx.query('SAVEPOINT store_points'),
        ...chunks.map((chunk) =>
          tx.query(
            `INSERT INTO observation (metric, unit, ts, value, batch_id, key_id, received_at)
             SELECT i.metric, i.unit, i.ts, i.value, $5, $6, $7 FROM ${INCOMING_ROWS}`,
            [...columnParams(chunk, this.binary), batchId, keyId, receivedAt],
          ),
        ),
        // inside the savepoint: a repeated point rolls it back too, and the careful path keeps latest_value itself.
        // The savepoint is not released: the commit keeps what it holds, and a RELEASE would be one more round trip.
        ...newestPerSeries(all).map((newest) => tx.query(LATEST_UPSERT, [...latestArrays(newest, this.binary), receivedAt])),
      ]).then(
        () => true,
        async (error: unknown) => {
          if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
          await tx.query('ROLLBACK TO SAVEPOINT store_points');
          return false;
        },
      ),
    ]);
    if (allNew) return { inserted: all.metric.length, revised: 0, changed: all };
    return this.storeWithRepeats(tx, chunks, batchId, keyId, receivedAt);
  }

  /** Some points may exist already: insert the new ones, turn changed values into revisions, leave equal ones. */
  private async storeWithRepeats(
    tx: Queryable,
    chunks: readonly ObservationColumns[],
    batchId: string,
    keyId: string,
    receivedAt: Date,
  ): Promise<StoreResult> {
    let inserted = 0;
    let revised = 0;
    const changed = emptyColumns();
    const add = (rows: readonly { metric: string; unit: string; ts: number; value: number }[]) => {
      for (const row of rows) {
        changed.metric.push(row.metric);
        changed.unit.push(row.unit);
        changed.ts.push(row.ts);
        changed.value.push(row.value);
      }
    };
    for (const chunk of chunks) {
      const params = columnParams(chunk, this.binary);
      // No RETURNING: reading 1,000 rows back costs more than the insert's own work.
      const insert = await tx.query(
        `INSERT INTO observation (metric, unit, ts, value, batch_id, key_id, received_at)
         SELECT i.metric, i.unit, i.ts, i.value, $5, $6, $7 FROM ${INCOMING_ROWS}
         ON CONFLICT (metric, unit, ts) DO NOTHING`,
        [...params, batchId, keyId, receivedAt],
      );
      inserted += insert.rowCount;
      if (insert.rowCount === chunk.metric.length) {
        changed.metric.push(...chunk.metric);
        changed.unit.push(...chunk.unit);
        changed.ts.push(...chunk.ts);
        changed.value.push(...chunk.value);
        continue;
      }
      // Some points already existed: find which were inserted now, then turn changed values into revisions.
      const minTs = new Date(Math.min(...chunk.ts));
      const maxTs = new Date(Math.max(...chunk.ts));
      // joined on the series key so it probes the unique index (there is no index on ts alone)
      const insertedNow = await tx.query<{ metric: string; unit: string; ts: number; value: number }>(
        `SELECT o.metric, o.unit, floor(extract(epoch FROM o.ts) * 1000)::float8 AS ts, o.value FROM ${INCOMING_ROWS}
         JOIN observation o ON o.metric = i.metric AND o.unit = i.unit AND o.ts = i.ts
         WHERE o.batch_id = $5 AND o.key_id = $6 AND o.received_at = $7 AND o.revision = 1 AND o.ts BETWEEN $8 AND $9`,
        [...params, batchId, keyId, receivedAt, minTs, maxTs],
      );
      add(insertedNow.rows);
      await tx.query(
        `INSERT INTO observation_revision (metric, unit, ts, value, revision, batch_id, key_id, received_at, superseded_at)
         SELECT o.metric, o.unit, o.ts, o.value, o.revision, o.batch_id, o.key_id, o.received_at, $5
         FROM ${INCOMING_ROWS}
         JOIN observation o ON o.metric = i.metric AND o.unit = i.unit AND o.ts = i.ts
         WHERE o.value <> i.value AND o.ts BETWEEN $6 AND $7`,
        [...params, receivedAt, minTs, maxTs],
      );
      const update = await tx.query<{ metric: string; unit: string; ts: number; value: number }>(
        `UPDATE observation o
         SET value = i.value, revision = o.revision + 1, batch_id = $5, key_id = $6, received_at = $7,
             stream_seq = nextval('observation_stream_seq')
         FROM ${INCOMING_ROWS}
         WHERE o.metric = i.metric AND o.unit = i.unit AND o.ts = i.ts AND o.value <> i.value
           AND o.ts BETWEEN $8 AND $9
         RETURNING o.metric, o.unit, floor(extract(epoch FROM o.ts) * 1000)::float8 AS ts, o.value`,
        [...params, batchId, keyId, receivedAt, minTs, maxTs],
      );
      revised += update.rowCount;
      add(update.rows);
    }
    // only what was inserted or revised: a value re-sent unchanged keeps its received_at, as observation does
    for (const newest of newestPerSeries(changed)) await tx.query(LATEST_UPSERT, [...latestArrays(newest, this.binary), receivedAt]);
    return { inserted, revised, changed };
  }

  /**
   * For counters: the stored values just before and just after each point's ts (same ts excluded: that is a
   * revision), in one statement whose cost does not grow with a series' history (issue 14 goal 2).
   *
   * A series whose points are all newer than its latest_value row (the common case: an agent sending what it just
   * measured) has that row as every point's previous neighbour and no next one: no observation lookup. A backfill
   * (a point at or before the latest) looks its neighbours up within BACKFILL_WINDOW_MS of the batch's points; the
   * bounds are constants (both of them on each of the three lookups: with only an upper one, the planner keeps
   * every older chunk), so TimescaleDB plans only the chunks in that window instead of every chunk of the history.
   * A point with no earlier stored value in the window has none at all when the window reaches back to the series'
   * first_ts (migration 017: an agent sending its history newest first). Otherwise, a point whose neighbour may lie
   * beyond the window gets `null` (unresolved): the caller then asks
   * counterNeighboursByScan (counterNeighbours does both), the exhaustive lookup, before storing anything. latest_value rows older than the
   * retention horizon (their chunks may be dropped) are not trusted as neighbours: those series take the backfill path.
   */
  async boundedCounterNeighbours(
    points: readonly (NewObservation & { index: number })[],
    q: Queryable = this.db,
    retainRawFor: string | null = null,
  ): Promise<(CounterNeighbours | null)[]> {
    if (points.length === 0) return [];
    const list = seriesRanges(points);
    const lo = Math.min(...list.map((x) => x.lo)) - BACKFILL_WINDOW_MS;
    const hi = Math.max(...list.map((x) => x.hi)) + BACKFILL_WINDOW_MS;
    const { rows } = await q.query<{ series: number; latest: boolean; newer: boolean; covered: boolean; ts: Date; value: number }>(
      `WITH s AS (
         SELECT s.i::int AS i, s.metric, s.unit, 'epoch'::timestamptz + s.lo_ms * INTERVAL '1 millisecond' AS lo, l.first_ts,
                'epoch'::timestamptz + s.hi_ms * INTERVAL '1 millisecond' AS hi, l.ts AS latest_ts, l.value AS latest_value,
                (l.ts < 'epoch'::timestamptz + s.lo_ms * INTERVAL '1 millisecond'
                 AND ($7::interval IS NULL OR l.ts >= now() - $7::interval)) AS newer
         FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) WITH ORDINALITY AS s(metric, unit, lo_ms, hi_ms, i)
         LEFT JOIN latest_value l ON l.metric = s.metric AND l.unit = s.unit
       )
       SELECT s.i AS series, true AS latest, s.newer, COALESCE(s.first_ts >= $5::timestamptz, false) AS covered, s.latest_ts AS ts,
              s.latest_value AS value
       FROM s WHERE s.latest_ts IS NOT NULL
       UNION ALL
       SELECT s.i, false, false, false, c.ts, c.value FROM s
       CROSS JOIN LATERAL (
         (SELECT o.ts, o.value FROM observation o
          WHERE o.metric = s.metric AND o.unit = s.unit AND o.ts < s.lo
            AND o.ts >= $5::timestamptz AND o.ts <= $6::timestamptz
          ORDER BY o.ts DESC LIMIT 1)
         UNION ALL
         (SELECT o.ts, o.value FROM observation o
          WHERE o.metric = s.metric AND o.unit = s.unit AND o.ts BETWEEN s.lo AND s.hi
            AND o.ts >= $5::timestamptz AND o.ts <= $6::timestamptz)
         UNION ALL
         (SELECT o.ts, o.value FROM observation o
          WHERE o.metric = s.metric AND o.unit = s.unit AND o.ts > s.hi
            AND o.ts >= $5::timestamptz AND o.ts <= $6::timestamptz
          ORDER BY o.ts ASC LIMIT 1)
       ) c
       WHERE s.latest_ts IS NOT NULL AND NOT s.newer`,
      [
        list.map((x) => x.metric),
        list.map((x) => x.unit),
        list.map((x) => x.lo),
        list.map((x) => x.hi),
        new Date(lo),
        new Date(hi),
        retainRawFor,
      ],
    );
    const latest = new Map<number, { ts: Date; value: number; newer: boolean; covered: boolean }>();
    for (const row of rows)
      if (row.latest) latest.set(row.series, { ts: row.ts, value: row.value, newer: row.newer, covered: row.covered });
    const stored = storedBySeries(rows.filter((row) => !row.latest));
    const seriesIndex = new Map(list.map((x, i) => [seriesKey(x.metric, x.unit), i + 1]));
    return points.map((p) => {
      const series = seriesIndex.get(seriesKey(p.metric, p.unit)) as number;
      const last = latest.get(series);
      // never stored (latest_value has a row for every series with a stored value)
      if (!last) return { index: p.index, prevValue: null, prevTs: null, nextValue: null, nextTs: null };
      // the newer path (no lookup rows are asked for it): the latest value is every point's previous neighbour
      if (last.newer) return { index: p.index, prevValue: last.value, prevTs: last.ts, nextValue: null, nextTs: null };
      const values = stored.get(series) ?? [];
      const { prev, next } = around(values, p.ts);
      // a neighbour outside the window: there is a stored value before (or after) it that was not looked at; none
      // before, when the window reaches back to the series' earliest stored value (first_ts, migration 017)
      if (!prev && !last.covered) return null;
      if (!next && last.ts.getTime() > p.ts) return null;
      return neighboursOf(p.index, prev, next);
    });
  }

  /**
   * The stored neighbours of each point: the bounded lookup, and the exhaustive one when it cannot answer. Two
   * statements one after the other: inside a write whose statements are pipelined (IngestService.ingest) use
   * boundedCounterNeighbours and redo the write when it cannot answer.
   */
  async counterNeighbours(
    points: readonly (NewObservation & { index: number })[],
    q: Queryable = this.db,
    retainRawFor: string | null = null,
  ): Promise<CounterNeighbours[]> {
    const found = await this.boundedCounterNeighbours(points, q, retainRawFor);
    if (found.some((n) => n === null)) return this.counterNeighboursByScan(points, q);
    return found as CounterNeighbours[];
  }

  /**
   * The exhaustive neighbour lookup: for each series, the stored values inside the batch's time range plus the one
   * before and the one after it, with no bound on time, so every chunk of the series' history is planned. Used
   * when counterNeighbours cannot answer within its window (a backfill far from any stored value, or a series
   * whose older values retention may have dropped); it was the only lookup before latest_value (the tests compare
   * the two).
   */
  async counterNeighboursByScan(
    points: readonly (NewObservation & { index: number })[],
    q: Queryable = this.db,
  ): Promise<CounterNeighbours[]> {
    if (points.length === 0) return [];
    const list = seriesRanges(points);
    const { rows } = await q.query<{ series: number; ts: Date; value: number }>(
      `SELECT s.i::int AS series, c.ts, c.value
       FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) WITH ORDINALITY AS s(metric, unit, lo_ms, hi_ms, i)
       CROSS JOIN LATERAL (
         (SELECT o.ts, o.value FROM observation o
          WHERE o.metric = s.metric AND o.unit = s.unit AND o.ts < 'epoch'::timestamptz + s.lo_ms * INTERVAL '1 millisecond'
          ORDER BY o.ts DESC LIMIT 1)
         UNION ALL
         (SELECT o.ts, o.value FROM observation o
          WHERE o.metric = s.metric AND o.unit = s.unit
            AND o.ts BETWEEN 'epoch'::timestamptz + s.lo_ms * INTERVAL '1 millisecond' AND 'epoch'::timestamptz + s.hi_ms * INTERVAL '1 millisecond')
         UNION ALL
         (SELECT o.ts, o.value FROM observation o
          WHERE o.metric = s.metric AND o.unit = s.unit AND o.ts > 'epoch'::timestamptz + s.hi_ms * INTERVAL '1 millisecond'
          ORDER BY o.ts ASC LIMIT 1)
       ) c`,
      [list.map((x) => x.metric), list.map((x) => x.unit), list.map((x) => x.lo), list.map((x) => x.hi)],
    );
    const stored = storedBySeries(rows);
    const seriesIndex = new Map(list.map((x, i) => [seriesKey(x.metric, x.unit), i + 1]));
    return points.map((p) => {
      const { prev, next } = around(stored.get(seriesIndex.get(seriesKey(p.metric, p.unit)) as number) ?? [], p.ts);
      return neighboursOf(p.index, prev, next);
    });
  }

  /** Idempotency records older than the retry window are no longer needed; observations keep their batch id. */
  async pruneBatchesBefore(cutoff: Date): Promise<number> {
    const result = await this.db.query(`DELETE FROM ingest_batch WHERE received_at < $1 AND key_id <> 'seed'`, [cutoff]);
    return result.rowCount;
  }
}
