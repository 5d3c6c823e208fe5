import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../db/database';

export interface SeriesRef {
  metric: string;
  unit: string;
}

/** The values a target's status is judged on: every stored value (newest revision) of its metric and unit. */
@Injectable()
export class TargetStatusRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Values up to `until`, by series "metric|unit", in time order. */
  async values(series: readonly SeriesRef[], until: Date): Promise<Map<string, { t: number; v: number }[]>> {
    const result = new Map<string, { t: number; v: number }[]>(series.map((s) => [`${s.metric}|${s.unit}`, []]));
    if (series.length === 0) return result;
    const { rows } = await this.db.query<{ metric: string; unit: string; ts: Date; value: number }>(
      `SELECT o.metric, o.unit, o.ts, o.value
       FROM observation o JOIN unnest($1::text[], $2::text[]) AS s(metric, unit) ON o.metric = s.metric AND o.unit = s.unit
       WHERE o.ts <= $3
       ORDER BY o.metric, o.unit, o.ts`,
      [series.map((s) => s.metric), series.map((s) => s.unit), until.toISOString()],
    );
    for (const row of rows) result.get(`${row.metric}|${row.unit}`)?.push({ t: row.ts.getTime(), v: row.value });
    return result;
  }
}
