import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../db/database';
import type { Aggregation } from '@dxoc/contracts';

export type SeriesSource = 'raw' | 'hourly' | 'daily';

export interface SeriesRequest {
  metric: string;
  /** units to read and, for absorbed units, the instant their values stop counting (null: no cut-off). */
  units: { code: string; until: Date | null }[];
  from: Date | null;
  to: Date;
  /** Postgres interval text, or null for raw values. */
  bucket: string | null;
  agg: Aggregation;
  /** How several units' values at one time are combined (predecessors): sum for amounts, avg for ratios. */
  combine: 'sum' | 'avg';
  source: SeriesSource;
  timezone: string;
  limit: number;
}

/**
 * Values the aggregates leave out: beyond ±1e15 (PLAUSIBLE_MAGNITUDE), stored before ingest refused them; summed
 * they overflow double precision (backend/migrations/007_plausible_values.sql). Aggregates of raw values leave them
 * out too, so a bucket answers the same from raw values as from a continuous aggregate.
 */
const PLAUSIBLE_RAW = 'AND o.value BETWEEN -1e15 AND 1e15';
/** Aggregates over raw values, and the same aggregates re-combined from continuous-aggregate rows. */
const RAW_AGG: Record<Aggregation, string> = {
  avg: 'avg(value)',
  sum: 'sum(value)',
  min: 'min(value)',
  max: 'max(value)',
  last: 'last(value, ts)',
};
const ROLLUP_AGG: Record<Aggregation, string> = {
  avg: 'sum(sum_value) / sum(n)',
  sum: 'sum(sum_value)',
  min: 'min(min_value)',
  max: 'max(max_value)',
  last: 'last(last_value, last_ts)',
};
const COMBINE: Record<'sum' | 'avg', string> = { sum: 'sum(v)', avg: 'avg(v)' };
const TABLE: Record<SeriesSource, { table: string; time: string }> = {
  raw: { table: 'observation', time: 'ts' },
  hourly: { table: 'observation_hourly', time: 'bucket' },
  daily: { table: 'observation_daily', time: 'bucket' },
};

export interface LatestRow {
  unit: string;
  ts: Date;
  value: number;
  receivedAt: Date;
}

export interface RevisionRow {
  revision: number;
  value: number;
  batchId: string;
  keyId: string;
  /** the agent key's name as it is now (null if the key row is gone) */
  keyName: string | null;
  receivedAt: Date;
  supersededAt: Date | null;
}

@Injectable()
export class SeriesRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Returns up to limit + 1 rows so the caller can tell the answer was cut. */
  async series(request: SeriesRequest): Promise<{ ts: Date; value: number }[]> {
    const { table, time } = TABLE[request.source];
    const params: unknown[] = [
      request.metric,
      request.units.map((u) => u.code),
      request.units.map((u) => u.until?.toISOString() ?? null),
      request.from?.toISOString() ?? null,
      request.to.toISOString(),
      request.limit + 1,
    ];
    const plausible = request.bucket !== null && request.source === 'raw' ? PLAUSIBLE_RAW : '';
    const scope = `FROM ${table} o JOIN unnest($2::text[], $3::timestamptz[]) AS u(code, until) ON o.unit = u.code
      WHERE o.metric = $1 AND ($4::timestamptz IS NULL OR o.${time} >= $4) AND o.${time} < $5
        AND (u.until IS NULL OR o.${time} < u.until) ${plausible}`;
    let perUnit: string;
    if (request.bucket === null) {
      perUnit = `SELECT o.unit, o.ts AS t, o.value AS v ${scope}`;
    } else {
      params.push(request.bucket, request.timezone);
      const agg = request.source === 'raw' ? RAW_AGG[request.agg] : ROLLUP_AGG[request.agg];
      perUnit = `SELECT o.unit, time_bucket($7::interval, o.${time}, $8) AS t, ${agg} AS v ${scope} GROUP BY o.unit, t`;
    }
    const sql =
      request.units.length === 1
        ? `SELECT t AS ts, v AS value FROM (${perUnit}) per_unit ORDER BY t LIMIT $6`
        : `SELECT t AS ts, ${COMBINE[request.combine]} AS value FROM (${perUnit}) per_unit GROUP BY t ORDER BY t LIMIT $6`;
    const { rows } = await this.db.query<{ ts: Date; value: number }>(sql, params);
    return rows;
  }

  /**
   * One aggregate per unit over [from, to). `owner` maps each read unit to the unit its value counts for
   * (an absorbed unit's history counts for its successor; cut off at `until`).
   */
  async aggregateByUnit(request: {
    metric: string;
    units: { code: string; owner: string; until: Date | null }[];
    from: Date;
    to: Date;
    agg: Aggregation;
    source: 'raw' | 'daily';
  }): Promise<{ unit: string; value: number; lastTs: Date }[]> {
    const { table, time } = TABLE[request.source];
    const agg = request.source === 'raw' ? RAW_AGG[request.agg] : ROLLUP_AGG[request.agg];
    const lastTs = request.source === 'raw' ? 'max(o.ts)' : 'max(o.last_ts)';
    const { rows } = await this.db.query<{ unit: string; value: number; lastTs: Date }>(
      `SELECT u.owner AS unit, ${agg} AS value, ${lastTs} AS "lastTs"
       FROM ${table} o JOIN unnest($2::text[], $3::text[], $4::timestamptz[]) AS u(code, owner, until) ON o.unit = u.code
       WHERE o.metric = $1 AND o.${time} >= $5 AND o.${time} < $6 AND (u.until IS NULL OR o.${time} < u.until)
         ${request.source === 'raw' ? PLAUSIBLE_RAW : ''}
       GROUP BY u.owner ORDER BY u.owner`,
      [
        request.metric,
        request.units.map((u) => u.code),
        request.units.map((u) => u.owner),
        request.units.map((u) => u.until?.toISOString() ?? null),
        request.from.toISOString(),
        request.to.toISOString(),
      ],
    );
    return rows;
  }

  /**
   * The latest value per unit at asOf, from latest_value (migrations/016_latest_value.sql): one row per unit. A unit
   * whose newest value is dated after asOf (a past asOf, as a KPI tile's comparison with the day or month before
   * asks, or a value dated slightly ahead of the clock) is looked up in observation by a second query for those units
   * only (latestAtOrBefore); the answer is the same as latestByScan's. The usual read (asOf now) touches no
   * hypertable: planning a query over every chunk of observation cost more than the read itself.
   */
  async latest(metric: string, asOf: Date, unitCodes: string[] | null): Promise<LatestRow[]> {
    const at = asOf.toISOString();
    const { rows } = await this.db.query<LatestRow & { due: boolean }>(
      `SELECT unit, ts, value, received_at AS "receivedAt", ts <= $2 AS due
       FROM latest_value WHERE metric = $1 AND ($3::text[] IS NULL OR unit = ANY($3))
       ORDER BY unit`,
      [metric, at, unitCodes],
    );
    const ahead = rows.filter((r) => !r.due).map((r) => r.unit);
    const earlier =
      ahead.length === 0
        ? new Map<string, LatestRow>()
        : new Map((await this.latestAtOrBefore(metric, asOf, ahead)).map((r) => [r.unit, r]));
    // in the order of the first query (the database's collation), each unit ahead of asOf replaced or left out
    const answer: LatestRow[] = [];
    for (const { due, ...row } of rows) {
      if (due) answer.push(row);
      else {
        const before = earlier.get(row.unit);
        if (before) answer.push(before);
      }
    }
    return answer;
  }

  /**
   * Each unit's newest value dated at or before asOf, by one probe of the series index per unit, newest chunk first,
   * stopping at the first value found: the DISTINCT ON scan (latestByScan) read every chunk of the metric's history
   * up to asOf (30 ms for 34 provinces and a year of daily values on the embedded database, load-tests/RESULTS.md).
   * Units without such a value are left out.
   */
  private async latestAtOrBefore(metric: string, asOf: Date, unitCodes: string[]): Promise<LatestRow[]> {
    const { rows } = await this.db.query<LatestRow>(
      `SELECT u.code AS unit, o.ts, o.value, o.received_at AS "receivedAt"
       FROM unnest($3::text[]) AS u(code),
            LATERAL (SELECT ts, value, received_at FROM observation
                     WHERE metric = $1 AND unit = u.code AND ts <= $2 ORDER BY ts DESC LIMIT 1) AS o`,
      [metric, asOf.toISOString(), unitCodes],
    );
    return rows;
  }

  /**
   * The latest value per unit by a scan of observation, as latest answered before latest_value: kept as the
   * reference the equivalence test and the wall-reads benchmark compare latest with.
   */
  async latestByScan(metric: string, asOf: Date, unitCodes: string[] | null): Promise<LatestRow[]> {
    const { rows } = await this.db.query<LatestRow>(
      `SELECT DISTINCT ON (unit) unit, ts, value, received_at AS "receivedAt"
       FROM observation
       WHERE metric = $1 AND ts <= $2 AND ($3::text[] IS NULL OR unit = ANY($3))
       ORDER BY unit, ts DESC`,
      [metric, asOf.toISOString(), unitCodes],
    );
    return rows;
  }

  /** The time of the first value any of these units sent for the metric (when reporting began), or null. */
  async firstTs(metric: string, unitCodes: string[]): Promise<Date | null> {
    // one index probe per unit (the series index read forwards) instead of a scan of the metric's values
    const { rows } = await this.db.query<{ first: Date | null }>(
      `SELECT min(f.ts) AS first
       FROM unnest($2::text[]) AS u(code),
            LATERAL (SELECT ts FROM observation WHERE metric = $1 AND unit = u.code ORDER BY ts ASC LIMIT 1) AS f`,
      [metric, unitCodes],
    );
    return rows[0]?.first ?? null;
  }

  /** Every value ever accepted for one (metric, unit, ts), newest first, with the name of the key that sent it. */
  async revisions(metric: string, unit: string, ts: Date): Promise<RevisionRow[]> {
    const { rows } = await this.db.query<RevisionRow>(
      `SELECT r.revision, r.value, r.batch_id AS "batchId", r.key_id AS "keyId", k.name AS "keyName",
              r.received_at AS "receivedAt", r.superseded_at AS "supersededAt"
       FROM (
         SELECT revision, value, batch_id, key_id, received_at, NULL::timestamptz AS superseded_at
         FROM observation WHERE metric = $1 AND unit = $2 AND ts = $3
         UNION ALL
         SELECT revision, value, batch_id, key_id, received_at, superseded_at
         FROM observation_revision WHERE metric = $1 AND unit = $2 AND ts = $3
       ) r
       LEFT JOIN agent_key k ON k.id = r.key_id
       ORDER BY r.revision DESC`,
      [metric, unit, ts.toISOString()],
    );
    return rows;
  }
}
