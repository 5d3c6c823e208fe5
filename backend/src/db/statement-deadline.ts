import { AsyncLocalStorage } from 'node:async_hooks';

const lifted = new AsyncLocalStorage<true>();

/**
 * Runs fn with no statement deadline (DXOC_DB_QUERY_TIMEOUT_MS) on the statements it sends: maintenance that may
 * rightly run for minutes on a large database (migrations, a TimescaleDB job run in the scheduler's stead, an
 * aggregate refresh). Requests keep the deadline, so an agent is answered 503 instead of waiting on a silent server.
 */
export function withoutStatementDeadline<T>(fn: () => Promise<T>): Promise<T> {
  return lifted.run(true, fn);
}

/** True inside withoutStatementDeadline. */
export function statementDeadlineLifted(): boolean {
  return lifted.getStore() === true;
}
