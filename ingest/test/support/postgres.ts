/**
 * The machine's shared PostgreSQL (127.0.0.1:5432 unless TEST_PLAIN_POSTGRES_URL says otherwise), which other test
 * runs and people may restart at any time. A pg.Client held open across a test file turns such a restart into
 * unhandled 'error' events (the server's FATAL 57P01 "terminating connection due to administrator command", then
 * "Connection terminated unexpectedly"): vitest reports them as errors outside any test and fails the run without
 * naming a test. So: one short-lived connection per use, an 'error' listener on it (a lost connection also rejects
 * the query in flight, which is where it is handled), and a retry of the whole use while the server is away.
 */
import pg from 'pg';

export const POSTGRES_URL = process.env.TEST_PLAIN_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** SQLSTATEs and socket errors of a server that is restarting or unreachable, not of a wrong statement. */
const CONNECTION_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    (typeof code === 'string' && CONNECTION_CODES.has(code)) ||
    /Connection terminated|timeout expired|Client has encountered a connection error/.test(error.message)
  );
}

/**
 * Runs `use` on a fresh connection and closes it. When the connection is lost (a restart, the server not accepting
 * connections yet), `use` runs again on a new connection until `timeoutMs` has passed: its statements must be safe
 * to repeat (IF NOT EXISTS, ON CONFLICT DO NOTHING, IF EXISTS). Any other error is thrown at once.
 */
export async function withPostgres<T>(use: (client: pg.Client) => Promise<T>, { url = POSTGRES_URL, timeoutMs = 60_000 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined); // see above: the query in flight gets the same error
    try {
      await client.connect();
      return await use(client);
    } catch (error) {
      if (!isConnectionLoss(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 250 * attempt)));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
