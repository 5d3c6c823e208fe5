import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, Queryable } from './database';
import { DatabaseSetupError } from './errors';
import { withoutStatementDeadline } from './statement-deadline';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** Two instances starting together serialise on this lock; the second finds nothing left to do. */
const MIGRATION_LOCK_KEY = 4_242_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 3)),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/** Fails with one actionable line when the server has no TimescaleDB; creates the extension when it is available. */
export async function ensureTimescale(db: Queryable): Promise<string> {
  const available = await db.query<{ default_version: string | null; installed_version: string | null }>(
    `SELECT default_version, installed_version FROM pg_available_extensions WHERE name = 'timescaledb'`,
  );
  const row = available.rows[0];
  if (!row) {
    throw new DatabaseSetupError(
      "the TimescaleDB extension is not installed on the database server at DATABASE_URL: install the timescaledb package for this PostgreSQL version (or use the timescale/timescaledb image), add shared_preload_libraries = 'timescaledb' to postgresql.conf and restart the server",
    );
  }
  if (!row.installed_version) {
    try {
      await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb');
    } catch (error) {
      // Another instance starting at the same moment may have created it first.
      const again = await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
      if (again.rows.length === 1) return ensureTimescale(db);
      const reason = error instanceof Error ? error.message : String(error);
      throw new DatabaseSetupError(
        `cannot create the TimescaleDB extension (${reason}): add shared_preload_libraries = 'timescaledb' to postgresql.conf, restart the server, and run the migration as a role allowed to CREATE EXTENSION`,
      );
    }
  }
  const version = await db.query<{ extversion: string }>(`SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'`);
  return version.rows[0]?.extversion ?? 'unknown';
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations in one transaction under an advisory lock; refuses edited migrations. No statement
 * deadline: a migration on a large database, or the wait for another instance's, may rightly take minutes.
 */
export function migrate(db: Database, migrations = readMigrations()): Promise<MigrationReport> {
  return withoutStatementDeadline(() => applyMigrations(db, migrations));
}

async function applyMigrations(db: Database, migrations: Migration[]): Promise<MigrationReport> {
  await ensureTimescale(db);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = await tx.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migration ORDER BY version',
    );
    const applied = new Map(done.rows.map((row) => [row.version, row]));
    const report: MigrationReport = { applied: [], alreadyApplied: 0 };
    for (const migration of migrations) {
      const previous = applied.get(migration.version);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new DatabaseSetupError(
            `migration ${migration.name} was changed after it was applied; add a new numbered migration instead of editing it`,
          );
        }
        report.alreadyApplied += 1;
        continue;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      report.applied.push(migration.name);
    }
    return report;
  });
}
