/**
 * Issue 14 goal 1: a batch of new points with no counter among them is written in one statement, its own
 * transaction (ObservationsRepository.storeNewBatch), instead of eight pipelined ones that each wait for the
 * database. What only a transaction can do stays there: a batch with a point already stored (a revision) is written
 * again by the transaction that handles repeats, with nothing left of the failed statement; a batch with counters
 * (their check reads stored neighbours under locks before the insert) is written in a transaction. The database is
 * the real one (embedded, or the TimescaleDB server in the "server" project) behind a recorder of the statements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, QueryResult, Queryable, StatementOptions } from '../src/db/database';
import { push, startTestServer, type TestServer } from './support/app';
import { defaultDriver, type DatabaseDriver } from './support/databases';

interface Recorded {
  sql: string;
  /** the number of the transaction it ran in, or null for a statement on its own */
  transaction: number | null;
  /** the name it is prepared under, if any */
  prepared?: string;
}

/** The real database, recording every statement and the transaction it ran in. */
class RecordingDatabase implements Database {
  readonly statements: Recorded[] = [];
  private transactions = 0;

  constructor(private readonly inner: Database) {}

  get driver() {
    return this.inner.driver;
  }

  private recorded(session: Queryable, transaction: number | null): Queryable {
    return {
      query: <R>(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<QueryResult<R>> => {
        this.statements.push({ sql, transaction, prepared: options?.prepared });
        return session.query<R>(sql, params, options);
      },
      exec: (sql: string) => {
        this.statements.push({ sql, transaction });
        return session.exec(sql);
      },
    };
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<QueryResult<R>> {
    return this.recorded(this.inner, null).query<R>(sql, params, options);
  }

  exec(sql: string): Promise<void> {
    return this.recorded(this.inner, null).exec(sql);
  }

  get priority(): Queryable {
    return this.recorded(this.inner.priority, null);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const number = ++this.transactions;
    return this.inner.transaction((tx) => fn(this.recorded(tx, number)));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

const WRITES_POINTS = /INSERT INTO observation \(/;

describe('ingest in one statement', () => {
  let recording: RecordingDatabase;
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    const base = defaultDriver();
    const driver: DatabaseDriver = {
      name: `${base.name}, statements recorded`,
      async open(config) {
        const opened = await base.open(config);
        recording = new RecordingDatabase(opened.db);
        return { db: recording, close: () => opened.close() };
      },
    };
    server = await startTestServer({ driver });
    key = await server.createKey(null);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** The statements a push issued that write points, and every statement of the transactions they ran in. */
  const pushRecorded = async (body: unknown, withKey = key) => {
    const from = recording.statements.length;
    const response = await push(server.url, withKey, body);
    const issued = recording.statements.slice(from);
    const writes = issued.filter((s) => WRITES_POINTS.test(s.sql));
    const transactions = new Set(writes.map((s) => s.transaction).filter((t) => t !== null));
    return {
      response,
      writes,
      transactionStatements: issued.filter((s) => s.transaction !== null && transactions.has(s.transaction)),
    };
  };

  const stored = async (batchId: string) => {
    const { rows } = await server.db.query<{ batches: number; points: number; total: number }>(
      `SELECT (SELECT count(*) FROM ingest_batch WHERE batch_id = $1)::int AS batches,
              (SELECT count(*) FROM observation WHERE batch_id = $1)::int AS points,
              (SELECT coalesce(sum(value), 0) FROM observation WHERE batch_id = $1)::float8 AS total`,
      [batchId],
    );
    return rows[0];
  };

  const gauges = (batchId: string, day: number, count: number, units = ['79', '01', '48']) => ({
    batchId,
    points: Array.from({ length: count }, (_, i) => ({
      metric: 'einvoice.issued',
      unit: units[i % units.length] as string,
      ts: new Date(Date.UTC(2026, 2, day, 0, 0, Math.floor(i / units.length))).toISOString(),
      value: i,
    })),
  });

  it('writes a batch of new gauge points in one statement, outside any transaction, with its record and latest_value', async () => {
    const batch = gauges('one-statement-1', 2, 999);
    const { response, writes } = await pushRecorded(batch);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ batchId: 'one-statement-1', accepted: 999, duplicate: false, revised: 0 });
    expect(writes).toHaveLength(1);
    expect(writes[0]?.transaction).toBeNull();
    expect(writes[0]?.sql).toMatch(/INSERT INTO ingest_batch/);
    expect(writes[0]?.sql).toMatch(/INSERT INTO latest_value/);
    // the same text for every batch: parsed and planned once per connection on a server
    expect(writes[0]?.prepared).toBe('dxoc_store_new_batch');
    expect(await stored('one-statement-1')).toEqual({ batches: 1, points: 999, total: (998 * 999) / 2 });
    const { rows } = await server.db.query<{ unit: string; value: number; ts: Date }>(
      `SELECT unit, value, ts FROM latest_value WHERE metric = 'einvoice.issued' AND unit = ANY($1) ORDER BY unit`,
      [['01', '48', '79']],
    );
    // the newest point of each series: 998 is the last of unit 01 (998 % 3 = 2 is 48's, 997 % 3 = 1 is 01's)
    expect(rows.map((r) => [r.unit, r.value])).toEqual([
      ['01', 997],
      ['48', 998],
      ['79', 996],
    ]);
    expect(rows.every((r) => r.ts.getTime() === Date.UTC(2026, 2, 2, 0, 5, 32))).toBe(true);
  });

  it('answers the same batch again as a duplicate without writing anything', async () => {
    const batch = gauges('one-statement-2', 3, 30);
    expect((await pushRecorded(batch)).response.status).toBe(202);
    const again = await pushRecorded(batch);
    expect(again.response.status).toBe(200);
    expect(again.response.body).toEqual({ batchId: 'one-statement-2', accepted: 30, duplicate: true, revised: 0 });
    expect(await stored('one-statement-2')).toEqual({ batches: 1, points: 30, total: (29 * 30) / 2 });
  });

  it('writes a batch with a point already stored in a transaction, as a revision, with nothing left of the failed statement', async () => {
    expect((await pushRecorded(gauges('one-statement-3', 4, 6))).response.status).toBe(202);
    // point 5 again with another value, and three new points
    const revising = gauges('one-statement-4', 4, 9);
    revising.points = revising.points.slice(5).map((p, i) => (i === 0 ? { ...p, value: 500 } : p));
    const { response, writes, transactionStatements } = await pushRecorded(revising);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ batchId: 'one-statement-4', accepted: 4, duplicate: false, revised: 1 });
    // the one statement (refused: a point was stored), then one transaction (its plain insert, refused too, and the
    // insert that skips stored points)
    expect(writes[0]?.transaction).toBeNull();
    expect(writes.length).toBeGreaterThan(1);
    expect(new Set(writes.slice(1).map((w) => w.transaction)).size).toBe(1);
    expect(writes[1]?.transaction).not.toBeNull();
    expect(transactionStatements.some((s) => /INSERT INTO ingest_batch/.test(s.sql))).toBe(true);
    expect(await stored('one-statement-4')).toEqual({ batches: 1, points: 4, total: 500 + 6 + 7 + 8 });
    const { rows } = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM observation_revision WHERE metric = 'einvoice.issued' AND batch_id = 'one-statement-3'`,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('writes a batch with a counter in a transaction that reads the counter’s stored neighbours first', async () => {
    const batch = {
      batchId: 'one-statement-5',
      points: [
        { metric: 'ndxp.transactions', unit: '79', ts: '2026-03-05T00:00:00+07:00', value: 100 },
        { metric: 'einvoice.issued', unit: '79', ts: '2026-03-05T00:00:00+07:00', value: 1 },
      ],
    };
    const { response, writes } = await pushRecorded(batch);
    expect(response.status).toBe(202);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.transaction).not.toBeNull();
    expect(await stored('one-statement-5')).toMatchObject({ batches: 1, points: 2 });
  });

  it('refuses a key revoked between its check and the write, and writes nothing', async () => {
    const revoked = await server.createKey(['79']);
    // authenticated once: the next request reuses its row (KeysService), the statement still finds it revoked
    expect((await pushRecorded(gauges('one-statement-6', 6, 3, ['79']), revoked)).response.status).toBe(202);
    await server.db.query(`UPDATE agent_key SET revoked_at = now() WHERE id = $1`, [revoked.split('_')[1]]);
    const refused = await pushRecorded(gauges('one-statement-7', 7, 3, ['79']), revoked);
    expect(refused.response.status).toBe(401);
    expect(refused.writes).toHaveLength(1);
    expect(await stored('one-statement-7')).toEqual({ batches: 0, points: 0, total: 0 });
  });
});
