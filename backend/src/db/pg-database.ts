import pg from 'pg';
import { transactionSession, type Database, type QueryResult, type Queryable } from './database';
import { toDatabaseError } from './errors';

// Return int8 and numeric as JS numbers: counts and values in this product fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

type PgQueryable = Pick<pg.PoolClient, 'query'>;

function wrap(client: PgQueryable): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      try {
        const result = await client.query(sql, params as unknown[]);
        return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await client.query(sql);
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
  };
}

/** A PostgreSQL + TimescaleDB server reached through a `pg` Pool. */
export class PgDatabase implements Database {
  readonly driver = 'pg' as const;
  private readonly session: Queryable;

  constructor(private readonly pool: pg.Pool) {
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    this.session = wrap(pool);
  }

  /** keepAlive: a connection whose server vanished without closing it (a black hole) is found dead by TCP, not never. */
  static connect(connectionString: string, maxConnections = 10): PgDatabase {
    return new PgDatabase(new pg.Pool({ connectionString, max: maxConnections, connectionTimeoutMillis: 5000, keepAlive: true }));
  }

  /** One connection only: PGlite behind pglite-socket is a single session. */
  static forSingleSession(config: pg.PoolConfig): PgDatabase {
    return new PgDatabase(new pg.Pool({ ...config, max: 1, connectionTimeoutMillis: 5000 }));
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.session.query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.session.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toDatabaseError(error);
    }
    let broken = false;
    const tx = transactionSession(wrap(client));
    // The pool listens for errors only on idle clients. A connection lost mid-transaction also fails the statement
    // in flight (answered with 503); without a listener the same error, emitted on the client, would end the process.
    const ignoreLostConnection = () => undefined;
    client.on('error', ignoreLostConnection);
    try {
      await client.query('BEGIN');
      const result = await fn(tx.session);
      tx.end();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      tx.end();
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw toDatabaseError(error);
    } finally {
      client.removeListener('error', ignoreLostConnection);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
