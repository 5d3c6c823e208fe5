/**
 * The error contract under faults (issue 12: a full disk answered 500 internal_error). A database that cannot take a
 * write for a reason that is not the batch's fault — disk full, a read-only data directory or standby, out of memory
 * or connections, shutting down — answers 503 database_unavailable with Retry-After, never 500; nothing of the batch
 * is written (the batch record and its values go together or not at all); and once the cause is gone, the agent's
 * retry of the same batch is stored, without restarting dxoc.
 *
 * The faults are PostgreSQL's own errors (SQLSTATE and message as the server sends them, or the operating-system
 * error the embedded database reports), raised by a test double of the Database interface around the real
 * database, at the statement where they happen in production: the first write, the values' insert, or the commit.
 * They pass through toDatabaseError as every driver's errors do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, QueryResult, Queryable } from '../src/db/database';
import { toDatabaseError } from '../src/db/errors';
import { getJson, push, startTestServer, type TestServer } from './support/app';
import { defaultDriver, type DatabaseDriver } from './support/databases';

interface Fault {
  /** the statement that fails, or 'commit' for the end of the transaction */
  at: RegExp | 'commit';
  error: () => Error;
}

/** The real database, with a fault that the test switches on and off. */
class FaultyDatabase implements Database {
  fault: Fault | null = null;

  constructor(private readonly inner: Database) {}

  get driver() {
    return this.inner.driver;
  }

  private check(sql: string): void {
    const fault = this.fault;
    if (fault && fault.at !== 'commit' && fault.at.test(sql)) throw toDatabaseError(fault.error());
  }

  private wrap(session: Queryable): Queryable {
    return {
      query: async <R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
        this.check(sql);
        return session.query<R>(sql, params);
      },
      exec: async (sql: string) => {
        this.check(sql);
        await session.exec(sql);
      },
    };
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    // a write outside a transaction commits on its own (ingest stores most batches in one statement): a commit that
    // fails rolls it back
    if (this.fault?.at === 'commit' && WRITES.test(sql)) {
      return this.inner.transaction(async (tx) => {
        await this.wrap(tx).query<R>(sql, params);
        throw toDatabaseError((this.fault as Fault).error());
      });
    }
    return this.wrap(this.inner).query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.wrap(this.inner).exec(sql);
  }

  get priority(): Queryable {
    return this.wrap(this.inner.priority);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.inner.transaction(async (tx) => {
      const result = await fn(this.wrap(tx));
      // a commit that fails (the WAL cannot be written): the transaction is rolled back, as the server does
      const fault = this.fault;
      if (fault?.at === 'commit') throw toDatabaseError(fault.error());
      return result;
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** An error as PostgreSQL reports it: its message and SQLSTATE. */
function postgresError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

/** An operating-system error as Node reports it (the embedded database writing its data directory). */
function systemError(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code, errno: -28, syscall: 'write' });
}

const VALUES_INSERT = /INSERT INTO observation\b/;
const WRITES = /\b(INSERT|UPDATE|DELETE)\b/;
const BATCH_INSERT = /INSERT INTO ingest_batch\b/;

/** name, fault, what the 503 says, and what health's `storage.reason` says meanwhile (null: still writable, not a storage fault) */
const faults: [string, Fault, RegExp, string | null][] = [
  [
    'disk full (53100) while inserting the values',
    { at: VALUES_INSERT, error: () => postgresError('53100', 'could not extend file "base/16384/16990.1": No space left on device') },
    /disk is full/,
    'disk_full',
  ],
  [
    'disk full (53100) at commit',
    { at: 'commit', error: () => postgresError('53100', 'could not write to file "pg_wal/xlogtemp.1234": No space left on device') },
    /disk is full/,
    'disk_full',
  ],
  [
    'a read-only database (25006)',
    { at: BATCH_INSERT, error: () => postgresError('25006', 'cannot execute INSERT in a read-only transaction') },
    /read-only/,
    'read_only',
  ],
  [
    'out of memory (53200)',
    { at: VALUES_INSERT, error: () => postgresError('53200', 'out of memory') },
    /out of memory or connections/,
    null,
  ],
  [
    'too many connections (53300)',
    { at: BATCH_INSERT, error: () => postgresError('53300', 'sorry, too many clients already') },
    /out of memory or connections/,
    null,
  ],
  [
    'an administrator shutting the server down (57P01)',
    { at: VALUES_INSERT, error: () => postgresError('57P01', 'terminating connection due to administrator command') },
    /shutting down or starting/,
    null,
  ],
  [
    'the server starting up (57P03)',
    { at: BATCH_INSERT, error: () => postgresError('57P03', 'the database system is starting up') },
    /shutting down or starting/,
    null,
  ],
  [
    'a full disk under the embedded database (ENOSPC)',
    { at: VALUES_INSERT, error: () => systemError('ENOSPC', 'no space left on device, write') },
    /disk is full/,
    'disk_full',
  ],
  [
    'a read-only data directory under the embedded database (EROFS)',
    { at: BATCH_INSERT, error: () => systemError('EROFS', "read-only file system, open '/var/lib/dxoc/base/5/2601'") },
    /read-only/,
    'read_only',
  ],
];

describe('ingest under database faults', () => {
  let faulty: FaultyDatabase;
  let server: TestServer;
  let key: string;
  let minute = 0;

  beforeAll(async () => {
    const base = defaultDriver();
    const driver: DatabaseDriver = {
      name: `${base.name} behind a fault injector`,
      async open() {
        const opened = await base.open();
        faulty = new FaultyDatabase(opened.db);
        return { db: faulty, close: () => opened.close() };
      },
    };
    server = await startTestServer({ driver });
    key = await server.createKey(['79']);
  });
  afterAll(async () => {
    await server?.close();
  });

  const written = async (batchId: string) => {
    const { rows } = await server.db.query<{ batches: number; points: number }>(
      `SELECT (SELECT count(*) FROM ingest_batch WHERE batch_id = $1)::int AS batches,
              (SELECT count(*) FROM observation WHERE batch_id = $1)::int AS points`,
      [batchId],
    );
    return rows[0];
  };

  it.each(faults)(
    'answers 503 with Retry-After to %s, writes nothing, and stores the retry once it is fixed',
    async (_name, fault, why, storageReason) => {
      minute += 1;
      const batchId = `fault-${minute}`;
      const ts = new Date(Date.UTC(2026, 2, 18, 2, minute)).toISOString();
      const batch = {
        batchId,
        points: [1, 2, 3].map((unitOffset) => ({
          metric: 'einvoice.issued',
          unit: '79',
          ts: ts.replace(':00.000Z', `:0${unitOffset}.000Z`),
          value: unitOffset,
        })),
      };

      faulty.fault = fault;
      let refused: Awaited<ReturnType<typeof push>>;
      try {
        refused = await push(server.url, key, batch);
      } finally {
        faulty.fault = null;
      }
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: 'database_unavailable', message: expect.stringMatching(why) });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await written(batchId)).toEqual({ batches: 0, points: 0 });
      // reads still work: health stays 200, "degraded" with why the storage refused the write (other causes are no
      // state of the storage: ingest's 503 says them)
      const during = await getJson(server.url, '/api/v1/health');
      expect(during.status).toBe(200);
      if (storageReason) {
        expect(during.body).toMatchObject({
          status: 'degraded',
          storage: { writable: false, since: expect.any(String), reason: storageReason },
        });
      } else {
        expect(during.body.storage).toEqual({ writable: true, since: null, reason: null });
        expect(during.body.status).toBe(during.body.jobs.length > 0 ? 'degraded' : 'ok');
      }

      // fixed (disk freed, data dir writable, server back): the same batch is stored, without a restart of dxoc
      const stored = await push(server.url, key, batch);
      expect(stored.status).toBe(202);
      expect(stored.body).toMatchObject({ batchId, accepted: 3, duplicate: false });
      expect(await written(batchId)).toEqual({ batches: 1, points: 3 });
      const after = await getJson(server.url, '/api/v1/health');
      expect(after.status).toBe(200);
      // the stored retry clears it
      expect(after.body.storage).toEqual({ writable: true, since: null, reason: null });
      expect(after.body.status).toBe(after.body.jobs.length > 0 ? 'degraded' : 'ok');
    },
  );
});
