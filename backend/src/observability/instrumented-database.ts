import type { Database, QueryResult, Queryable, StatementOptions } from '../db/database';
import type { Metrics } from './metrics';

/** Times every statement into dxoc_db_query_duration_seconds without the repositories knowing. */
export function instrumentDatabase(db: Database, metrics: Metrics): Database {
  const timed = <T>(kind: string, run: () => Promise<T>): Promise<T> => {
    const stop = metrics.dbQuerySeconds.startTimer({ kind });
    return run().finally(() => stop());
  };
  const wrap = (session: Queryable): Queryable => ({
    query: <R>(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<QueryResult<R>> =>
      timed('query', () => session.query<R>(sql, params, options)),
    exec: (sql: string) => timed('exec', () => session.exec(sql)),
  });
  const plain = wrap(db);
  return {
    driver: db.driver,
    query: plain.query,
    exec: plain.exec,
    priority: wrap(db.priority),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => timed('transaction', () => db.transaction((tx) => fn(wrap(tx)))),
    close: () => db.close(),
  };
}
