import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database, type Queryable } from '../db/database';
import type { SeedMetric, SeedTarget, SeedUnit } from '@dxoc/contracts';
import type { Metric, Target, Unit } from './catalog.types';

@Injectable()
export class CatalogRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async listUnits(): Promise<Unit[]> {
    const { rows } = await this.db.query<Unit>(`
      SELECT u.code, u.kind, u.name_vi AS "nameVi", u.name_en AS "nameEn",
             u.full_name_vi AS "fullNameVi", u.full_name_en AS "fullNameEn", u.symbol,
             u.valid_from::text AS "validFrom", u.valid_until::text AS "validUntil",
             COALESCE((SELECT array_agg(s.successor ORDER BY s.successor) FROM unit_succession s WHERE s.predecessor = u.code), '{}') AS successors,
             COALESCE((SELECT array_agg(s.predecessor ORDER BY s.predecessor) FROM unit_succession s WHERE s.successor = u.code), '{}') AS predecessors
      FROM unit u
      ORDER BY CASE u.kind WHEN 'nation' THEN 0 WHEN 'province' THEN 1 ELSE 2 END, u.valid_until NULLS FIRST, u.code`);
    return rows;
  }

  async listMetrics(): Promise<Metric[]> {
    const { rows } = await this.db.query<Metric>(`
      SELECT code, name_vi AS "nameVi", name_en AS "nameEn", description_vi AS "descriptionVi",
             description_en AS "descriptionEn", unit_of_measure AS "unitOfMeasure", kind,
             min_value AS min, max_value AS max, cadence, better_when AS "betterWhen",
             default_aggregation AS "defaultAggregation", unit_kinds AS "unitKinds", reported_by AS "reportedBy",
             source_system_vi AS "sourceSystemVi", source_system_en AS "sourceSystemEn"
      FROM metric ORDER BY code`);
    return rows;
  }

  async listTargets(): Promise<Target[]> {
    const { rows } = await this.db.query<Target>(`
      SELECT id::int AS id, metric_code AS "metricCode", unit_code AS "unitCode", value, comparator,
             deadline::text AS deadline, legal_source_vi AS "legalSourceVi", legal_source_en AS "legalSourceEn"
      FROM target ORDER BY metric_code, deadline`);
    return rows;
  }

  /** Inserts what is missing and leaves existing rows alone, so later edits by staff survive a restart. */
  async insertMissingUnits(tx: Queryable, units: readonly SeedUnit[]): Promise<number> {
    const result = await tx.query(
      `INSERT INTO unit (code, kind, name_vi, name_en, full_name_vi, full_name_en, symbol, valid_from, valid_until, legal_basis)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::date[], $10::text[])
       ON CONFLICT (code) DO NOTHING`,
      [
        units.map((u) => u.code),
        units.map((u) => u.kind),
        units.map((u) => u.nameVi),
        units.map((u) => u.nameEn),
        units.map((u) => u.fullNameVi),
        units.map((u) => u.fullNameEn),
        units.map((u) => u.symbol),
        units.map((u) => u.validFrom),
        units.map((u) => u.validUntil),
        units.map((u) => u.legalBasis),
      ],
    );
    const successions = units.flatMap((u) => u.successors.map((successor) => ({ predecessor: u.code, successor, date: u.validUntil })));
    await tx.query(
      `INSERT INTO unit_succession (predecessor, successor, effective_date)
       SELECT * FROM unnest($1::text[], $2::text[], $3::date[])
       ON CONFLICT DO NOTHING`,
      [successions.map((s) => s.predecessor), successions.map((s) => s.successor), successions.map((s) => s.date)],
    );
    return result.rowCount;
  }

  async insertMissingMetrics(tx: Queryable, metrics: readonly SeedMetric[]): Promise<number> {
    let inserted = 0;
    for (const m of metrics) {
      const result = await tx.query(
        `INSERT INTO metric (code, name_vi, name_en, description_vi, description_en, unit_of_measure, kind, min_value, max_value,
                             cadence, better_when, default_aggregation, unit_kinds, reported_by, source_system_vi, source_system_en)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (code) DO NOTHING`,
        [
          m.code,
          m.nameVi,
          m.nameEn,
          m.descriptionVi,
          m.descriptionEn,
          m.unitOfMeasure,
          m.kind,
          m.min,
          m.max,
          m.cadence,
          m.betterWhen,
          m.defaultAggregation,
          m.unitKinds,
          m.reportedBy,
          m.sourceSystemVi,
          m.sourceSystemEn,
        ],
      );
      inserted += result.rowCount;
    }
    return inserted;
  }

  async insertMissingTargets(tx: Queryable, targets: readonly SeedTarget[]): Promise<number> {
    let inserted = 0;
    for (const t of targets) {
      const result = await tx.query(
        `INSERT INTO target (metric_code, unit_code, value, comparator, deadline, legal_source_vi, legal_source_en)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (metric_code, unit_code, deadline, value) DO NOTHING`,
        [t.metricCode, t.unitCode, t.value, t.comparator, t.deadline, t.legalSourceVi, t.legalSourceEn],
      );
      inserted += result.rowCount;
    }
    return inserted;
  }

  async updateMetric(code: string, fields: Record<string, unknown>): Promise<boolean> {
    const columns: Record<string, string> = {
      nameVi: 'name_vi',
      nameEn: 'name_en',
      descriptionVi: 'description_vi',
      descriptionEn: 'description_en',
      unitOfMeasure: 'unit_of_measure',
      min: 'min_value',
      max: 'max_value',
      cadence: 'cadence',
      betterWhen: 'better_when',
      defaultAggregation: 'default_aggregation',
      reportedBy: 'reported_by',
    };
    return this.update('metric', columns, code, fields);
  }

  async updateUnit(code: string, fields: Record<string, unknown>): Promise<boolean> {
    const columns: Record<string, string> = {
      nameVi: 'name_vi',
      nameEn: 'name_en',
      fullNameVi: 'full_name_vi',
      fullNameEn: 'full_name_en',
    };
    return this.update('unit', columns, code, fields);
  }

  /** SET only the given fields; column names come from the fixed maps above, values are parameters. */
  private async update(
    table: 'metric' | 'unit',
    columns: Record<string, string>,
    code: string,
    fields: Record<string, unknown>,
  ): Promise<boolean> {
    const entries = Object.entries(fields).filter(([name, value]) => value !== undefined && columns[name]);
    if (entries.length === 0) return (await this.db.query(`SELECT 1 FROM ${table} WHERE code = $1`, [code])).rows.length === 1;
    const sets = entries.map(([name], i) => `${columns[name]} = $${i + 2}`).join(', ');
    const result = await this.db.query(`UPDATE ${table} SET ${sets} WHERE code = $1`, [code, ...entries.map(([, value]) => value)]);
    return result.rowCount === 1;
  }

  async insertTarget(t: SeedTarget): Promise<number | null> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO target (metric_code, unit_code, value, comparator, deadline, legal_source_vi, legal_source_en)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (metric_code, unit_code, deadline, value) DO NOTHING RETURNING id::int AS id`,
      [t.metricCode, t.unitCode, t.value, t.comparator, t.deadline, t.legalSourceVi, t.legalSourceEn],
    );
    return rows[0]?.id ?? null;
  }

  async updateTarget(id: number, t: SeedTarget): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE target SET metric_code = $2, unit_code = $3, value = $4, comparator = $5, deadline = $6, legal_source_vi = $7, legal_source_en = $8
       WHERE id = $1`,
      [id, t.metricCode, t.unitCode, t.value, t.comparator, t.deadline, t.legalSourceVi, t.legalSourceEn],
    );
    return result.rowCount === 1;
  }

  async deleteTarget(id: number): Promise<boolean> {
    return (await this.db.query(`DELETE FROM target WHERE id = $1`, [id])).rowCount === 1;
  }

  /** Alert rules whose target_at_risk condition names this target. */
  async rulesUsingTarget(id: number): Promise<number[]> {
    const { rows } = await this.db.query<{ id: number }>(
      `SELECT id::int AS id FROM alert_rule WHERE condition->>'type' = 'target_at_risk' AND (condition->>'targetId')::bigint = $1`,
      [id],
    );
    return rows.map((r) => r.id);
  }
}
