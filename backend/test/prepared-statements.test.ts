/**
 * StatementOptions.prepared: on a TimescaleDB server (`pg`) the statement is prepared once per connection under its
 * name and reused; the embedded database (in process, or its one session behind pglite-socket, which outlives a
 * connection: test/ingest.e2e.test.ts's outage test reconnects there) runs it as any statement. Every driver answers
 * the same rows either way.
 */
import { describe, expect, it } from 'vitest';
import { PgDatabase } from '../src/db/pg-database';
import { allDrivers, freshServerDatabase } from './support/databases';

const onServer = process.env.TEST_DATABASE_URL;

describe.each(allDrivers())('a prepared statement on $name', (driver) => {
  it('answers as the same statement unprepared, call after call', async () => {
    const { db, close } = await driver.open();
    try {
      for (const n of [1, 2, 3]) {
        const { rows } = await db.query<{ doubled: number }>('SELECT $1::int * 2 AS doubled', [n], { prepared: 'dxoc_test_doubled' });
        expect(rows).toEqual([{ doubled: 2 * n }]);
      }
      const inTransaction = await db.transaction((tx) =>
        tx.query<{ doubled: number }>('SELECT $1::int * 2 AS doubled', [5], { prepared: 'dxoc_test_doubled' }),
      );
      expect(inTransaction.rows).toEqual([{ doubled: 10 }]);
    } finally {
      await close();
    }
  });
});

describe.runIf(onServer)('prepared statements on a TimescaleDB server', () => {
  it('are parsed once per connection and kept there under their name', async () => {
    const fresh = await freshServerDatabase(onServer as string);
    // one connection: every statement below runs on the same session
    const db = PgDatabase.connect(fresh.url, 1);
    try {
      for (let i = 0; i < 3; i += 1) await db.query('SELECT $1::int + 1 AS next', [i], { prepared: 'dxoc_test_next' });
      await db.query('SELECT $1::int + 2 AS unnamed', [1]);
      const { rows } = await db.query<{ name: string; statement: string }>(
        `SELECT name, statement FROM pg_prepared_statements WHERE NOT from_sql ORDER BY name`,
      );
      expect(rows).toEqual([{ name: 'dxoc_test_next', statement: 'SELECT $1::int + 1 AS next' }]);
    } finally {
      await db.close();
      await fresh.drop();
    }
  });
});
