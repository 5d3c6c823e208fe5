/**
 * Vitest global setup of the runs with TEST_DATABASE_URL: every test file's fresh database on the server
 * (`dxoc_test_*`, freshServerDatabase) must be dropped by the file that made it. One left behind keeps a TimescaleDB
 * scheduler of its own, and a few of them take every background worker of the server: its jobs then fail to launch
 * and the suites that wait for a job's run fail far from the cause (seen with 2.28.3 and the default
 * max_worker_processes of 8). The run fails here, naming the databases it left. They are not dropped: one made by
 * another run on the same server meanwhile would be named too, and may still be in use (the message says so).
 */
import { PgDatabase } from '../../src/db/pg-database';
import { TEST_DATABASE_PREFIX } from './databases';

/** The test databases on the server now (LIKE's underscores escaped: they match any character). */
async function testDatabases(url: string): Promise<string[]> {
  const admin = PgDatabase.connect(url, 1);
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname`, [
      `${TEST_DATABASE_PREFIX.replace(/_/g, '\\_')}%`,
    ]);
    return rows.map((r) => r.datname);
  } finally {
    await admin.close();
  }
}

export default async function serverDatabasesLeft(): Promise<(() => Promise<void>) | undefined> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return undefined;
  const before = new Set(await testDatabases(url));
  return async () => {
    const left = (await testDatabases(url)).filter((name) => !before.has(name));
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
