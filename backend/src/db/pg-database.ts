import pg from 'pg';
import { transactionSession, type Database, type QueryResult, type Queryable, type StatementOptions } from './database';
import { DatabaseUnavailableError, toDatabaseError } from './errors';
import { statementDeadlineLifted } from './statement-deadline';

// Return int8 and numeric as JS numbers: counts and values in this product fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export interface PgDatabaseOptions {
  /**
   * DXOC_DB_QUERY_TIMEOUT_MS: how long a statement, or the wait for a connection, may go unanswered before it fails
   * as unavailable ('timeout', answered 503) and its connection is closed; null = as long as TCP takes (minutes, on a
   * network black hole). Statements inside withoutStatementDeadline have no limit.
   */
  queryTimeoutMs?: number | null;
}

/** The wait for a new connection when no statement deadline is shorter. */
const CONNECT_TIMEOUT_MS = 5000;

function noAnswer(ms: number): DatabaseUnavailableError {
  return new DatabaseUnavailableError(new Error(`the database did not answer within ${ms} ms`), 'timeout');
}

/** Settles as `work` does, or fails with noAnswer once `ms` has passed (and calls `expired` then). */
function within<T>(work: Promise<T>, ms: number | null, expired: () => void): Promise<T> {
  if (ms === null) return work;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      expired();
      reject(noAnswer(ms));
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * The statements of one checked-out connection, each failing after `limit` ms without an answer. `expired` is told
 * when one does: nobody knows then where the connection stands (the statement may still run, or its answer may
 * still come), so its holder must close it rather than return it to the pool.
 */
function bounded(client: pg.PoolClient, limit: number | null, expired: () => void, prepares: boolean): Queryable {
  const run = async (sql: string, params?: unknown[], prepared?: string) => {
    try {
      const sent =
        prepared && prepares
          ? client.query({ name: prepared, text: sql, values: params })
          : params
            ? client.query(sql, params)
            : client.query(sql);
      return await within(sent, limit, expired);
    } catch (error) {
      throw toDatabaseError(error);
    }
  };
  return {
    async query<R>(sql: string, params: readonly unknown[] = [], options?: StatementOptions): Promise<QueryResult<R>> {
      const result = await run(sql, params as unknown[], options?.prepared);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await run(sql);
    },
  };
}

/** Where a checked-out connection stands: usable() until a statement passed its deadline or discard() was called. */
interface ConnectionState {
  usable(): boolean;
  discard(): void;
}

/** An error that leaves a checked-out connection unusable: a lost connection, or a statement past its deadline. */
function breaksConnection(error: unknown): boolean {
  return (
    error instanceof DatabaseUnavailableError &&
    (error.reason === 'unreachable' || error.reason === 'timeout' || error.reason === 'restarting')
  );
}

const ignore = () => undefined;

/** A PostgreSQL + TimescaleDB server reached through a `pg` Pool. */
export class PgDatabase implements Database {
  readonly driver = 'pg' as const;
  private readonly queryTimeoutMs: number | null;

  constructor(
    private readonly pool: pg.Pool,
    options: PgDatabaseOptions = {},
    /**
     * Whether StatementOptions.prepared is honoured: `pg` remembers what it prepared per connection, which holds
     * only when a connection is a session of its own (not PGlite's one session behind pglite-socket, which outlives
     * the connection: a reconnected client would prepare the name again and be told it exists).
     */
    private readonly prepares = true,
  ) {
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    this.queryTimeoutMs = options.queryTimeoutMs ?? null;
  }

  /** keepAlive: a connection whose server vanished without closing it (a black hole) is found dead by TCP, not never. */
  static connect(connectionString: string, maxConnections = 10, options: PgDatabaseOptions = {}): PgDatabase {
    return new PgDatabase(
      new pg.Pool({ connectionString, max: maxConnections, connectionTimeoutMillis: connectTimeout(options), keepAlive: true }),
      options,
    );
  }

  /** One connection only: PGlite behind pglite-socket is a single session. */
  static forSingleSession(config: pg.PoolConfig, options: PgDatabaseOptions = {}): PgDatabase {
    return new PgDatabase(new pg.Pool({ ...config, max: 1, connectionTimeoutMillis: connectTimeout(options) }), options, false);
  }

  /** The deadline of statements sent now: none inside withoutStatementDeadline. */
  private limit(): number | null {
    return statementDeadlineLifted() ? null : this.queryTimeoutMs;
  }

  /**
   * A connection of the pool, within the deadline: the pool's own wait for a new connection (a server that accepts
   * nothing) and the wait for a free one (all of them held by statements that hang) both count.
   */
  private async acquire(limit: number | null): Promise<pg.PoolClient> {
    const pending = this.pool.connect();
    try {
      // a connection that arrives after the deadline is fine, and goes back to the pool unused
      const giveBack = () => void pending.then((client) => client.release(), ignore);
      return await within(pending, limit, giveBack);
    } catch (error) {
      throw toDatabaseError(error);
    }
  }

  /**
   * Runs fn on one connection and returns it to the pool, or closes it when fn's statements left it unusable (lost,
   * or past the deadline: closing it is what makes a frozen connection go away instead of being handed to the next
   * request, and the server rolls back what it had of an open transaction).
   */
  private async withConnection<T>(fn: (session: Queryable, connection: ConnectionState) => Promise<T>): Promise<T> {
    const limit = this.limit();
    const client = await this.acquire(limit);
    let expired = false;
    let broken = false;
    // The pool listens for errors only on idle clients. A connection lost while checked out also fails the statement
    // in flight (answered with 503); without a listener the same error, emitted on the client, would end the process.
    const ignoreLostConnection = () => undefined;
    client.on('error', ignoreLostConnection);
    try {
      const connection = { usable: () => !expired && !broken, discard: () => void (broken = true) };
      return await fn(
        bounded(client, limit, () => (expired = true), this.prepares),
        connection,
      );
    } catch (error) {
      broken ||= breaksConnection(error);
      throw error;
    } finally {
      client.removeListener('error', ignoreLostConnection);
      // release(error) ends the client; pg destroys its socket when a statement is still in flight
      client.release(expired || broken);
    }
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<QueryResult<R>> {
    return this.withConnection((session) => session.query<R>(sql, params, options));
  }

  exec(sql: string): Promise<void> {
    return this.withConnection((session) => session.exec(sql));
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.withConnection(async (session, connection) => {
      const tx = transactionSession(session);
      try {
        await session.exec('BEGIN');
        const result = await fn(tx.session);
        tx.end();
        // A COMMIT past its deadline may or may not have been applied: the caller answers 503, and the batch's
        // retry is idempotent (its batchId is either stored with all its points, or not at all).
        await session.exec('COMMIT');
        return result;
      } catch (error) {
        tx.end();
        // a connection past its deadline or lost is closed instead, which rolls back on the server
        if (connection.usable() && !breaksConnection(error)) {
          await session.exec('ROLLBACK').catch(() => connection.discard());
        }
        throw toDatabaseError(error);
      }
    });
  }

  /** Statements run side by side on the pool's connections: there is no queue to go ahead of. */
  get priority(): Queryable {
    return this;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function connectTimeout(options: PgDatabaseOptions): number {
  return Math.min(CONNECT_TIMEOUT_MS, options.queryTimeoutMs ?? CONNECT_TIMEOUT_MS);
}
