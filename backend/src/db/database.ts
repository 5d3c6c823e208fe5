/** The one narrow interface every repository uses; implemented by embedded PGlite and by a `pg` Pool. */
export interface QueryResult<R> {
  rows: R[];
  /** Rows inserted, updated or deleted by the statement. */
  rowCount: number;
}

/** How a statement is sent (a database that has no such choice ignores it). */
export interface StatementOptions {
  /**
   * Prepare the statement on each connection under this name and reuse it: the server parses and plans it once per
   * connection rather than per call. For a hot statement whose text never changes; needs a session (PgBouncer in
   * session mode, as infra/README.md says), not a pooler that moves statements between connections.
   */
  prepared?: string;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<QueryResult<R>>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly driver: 'pglite' | 'pg';
  /**
   * Runs fn in one transaction on one session; rolls back if fn throws. fn may issue statements without
   * awaiting each (they run in the order issued); once the transaction has ended, its session refuses more.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * For short control reads (health, job checks): statements that go ahead of those already waiting for the
   * database, so a probe waits for the statement running now, not for every replay chunk and tick queued behind it.
   * Only the embedded database in its thread has such a queue to jump (one session, statements in turn); a `pg` pool
   * runs statements side by side and in-process PGlite holds the event loop for each: there, the same as query.
   * A wrapper of a Database passes it on, or control reads lose their place.
   */
  readonly priority: Queryable;
}

export const DATABASE = Symbol('Database');

/** The session of one transaction, refusing statements once it has ended: a pipelined statement issued after a failure must not run on a connection already back in the pool. */
export function transactionSession(session: Queryable): { session: Queryable; end(): void } {
  let open = true;
  const ended = () => new Error('this transaction has already ended');
  return {
    session: {
      query: <R>(sql: string, params?: readonly unknown[], options?: StatementOptions) =>
        open ? session.query<R>(sql, params, options) : Promise.reject(ended()),
      exec: (sql: string) => (open ? session.exec(sql) : Promise.reject(ended())),
    },
    end: () => {
      open = false;
    },
  };
}
