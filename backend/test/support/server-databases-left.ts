/**
 * Vitest global setup of the runs with TEST_DATABASE_URL: every test file's fresh database on the server
 * (`dxoc_test_*`, freshServerDatabase) must be dropped by the file that made it. One left behind keeps a TimescaleDB
 * scheduler of its own, and a few of them take every background worker of the server: its jobs then fail to launch
 * and the suites that wait for a job's run fail far from the cause (seen with 2.28.3 and the default
 * max_worker_processes of 8). The run fails here, naming the databases it left. They are not dropped: one made by
 * another run on the same server meanwhile would be named too, and may still be in use (the message says so).
 */
import pg from 'pg';

const LEFT = `SELECT datname FROM pg_database WHERE datname LIKE 'dxoc\\_test\\_%' ORDER BY datname`;

async function withServer<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export default async function serverDatabasesLeft(): Promise<(() => Promise<void>) | undefined> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return undefined;
  const before = new Set(await withServer(url, async (c) => (await c.query<{ datname: string }>(LEFT)).rows.map((r) => r.datname)));
  return async () => {
    const left = await withServer(url, async (client) =>
      (await client.query<{ datname: string }>(LEFT)).rows.map((r) => r.datname).filter((name) => !before.has(name)),
    );
    if (left.length > 0) {
      // vitest reports an error thrown here but still exits 0: the exit code says it too
      process.exitCode = 1;
      throw new Error(
        `${left.length} test database(s) left on the TimescaleDB server: ${left.join(', ')}. A test closed its pool ` +
          'instead of what the driver opened (TestServer.close, closeDatabase), or another run on the same server is ' +
          `using them. Drop them with: ${left.map((name) => `DROP DATABASE ${name} WITH (FORCE);`).join(' ')}`,
      );
    }
  };
}
