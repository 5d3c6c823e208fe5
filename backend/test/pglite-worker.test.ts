/**
 * The embedded database in a worker thread (what `dxoc serve` uses): the relay itself. The SQL on top of it is
 * covered by the storage tests, which run on this driver too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseSetupError, DatabaseUnavailableError } from '../src/db/errors';
import { WorkerPGliteDatabase } from '../src/db/pglite-worker-database';

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error as Error,
  );
  if (!outcome) throw new Error('expected a failure, but it succeeded');
  return outcome;
}

describe('embedded database in a worker thread', () => {
  let db: WorkerPGliteDatabase;

  beforeAll(async () => {
    db = await WorkerPGliteDatabase.open({ dataDir: 'memory://', socketPath: null });
    await db.exec(`CREATE TABLE item (id int PRIMARY KEY, at timestamptz, tags text[], doc jsonb)`);
  });
  afterAll(() => db.close());

  it('passes parameters and typed rows across the thread boundary', async () => {
    const at = new Date('2026-03-01T01:02:03.456Z');
    const insert = await db.query(`INSERT INTO item VALUES ($1, $2, $3, $4)`, [1, at, ['a', 'b'], JSON.stringify({ vi: 'Hà Nội' })]);
    expect(insert.rowCount).toBe(1);
    const { rows } = await db.query<{ id: number; at: Date; tags: string[]; doc: unknown }>(`SELECT * FROM item WHERE id = $1`, [1]);
    expect(rows).toEqual([{ id: 1, at, tags: ['a', 'b'], doc: { vi: 'Hà Nội' } }]);
    expect(rows[0]!.at).toBeInstanceOf(Date);
  });

  it('keeps the Postgres error code and message of a failed statement', async () => {
    const duplicate = await failure(db.query(`INSERT INTO item (id) VALUES (1)`));
    expect(duplicate.code).toBe('23505');
    expect(duplicate.message).toContain('duplicate key');
    expect((await failure(db.query(`SELECT * FROM no_such_table`))).code).toBe('42P01');
  });

  it('runs statements issued without awaiting each in order, and rolls all of them back when the transaction fails', async () => {
    const error = await failure(
      db.transaction(async (tx) => {
        const first = tx.query(`INSERT INTO item (id) VALUES (10)`);
        const second = tx.query(`INSERT INTO item (id) VALUES (11)`);
        const seen = tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM item WHERE id IN (10, 11)`);
        await Promise.all([first, second]);
        expect((await seen).rows[0]!.n).toBe(2);
        throw new Error('changed my mind');
      }),
    );
    expect(error.message).toBe('changed my mind');
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM item WHERE id >= 10`)).rows[0]!.n).toBe(0);
  });

  it('commits a transaction, and a statement after a failed one inside it fails too without leaking outside', async () => {
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO item (id) VALUES (20)`);
    });
    const error = await failure(
      db.transaction(async (tx) => {
        const bad = tx.query(`INSERT INTO item (id) VALUES (20)`);
        const after = tx.query(`INSERT INTO item (id) VALUES (21)`);
        await Promise.all([bad, after]);
      }),
    );
    expect(error.code).toBe('23505');
    const { rows } = await db.query<{ id: number }>(`SELECT id FROM item WHERE id >= 20 ORDER BY id`);
    expect(rows).toEqual([{ id: 20 }]);
    // the session is usable again
    expect((await db.query<{ one: number }>(`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
  });

  it('runs a priority statement right after the one running now, ahead of the statements and transactions waiting', async () => {
    const answered: string[] = [];
    const track = <T>(name: string, promise: Promise<T>) => promise.then(() => answered.push(name));
    // sent together: the first starts at once, the rest wait for the session (statements of 50 ms each)
    const slow = Array.from({ length: 4 }, (_, i) => track(`slow ${i}`, db.query(`SELECT pg_sleep(0.05), $1::int AS i`, [i])));
    const transaction = track(
      'transaction',
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO item (id) VALUES (30)`);
      }),
    );
    const last = track('slow 4', db.query(`SELECT pg_sleep(0.05)`));
    const health = track('priority', db.priority.query<{ one: number }>(`SELECT 1 AS one`));
    await Promise.all([...slow, transaction, last, health]);
    // after at most the statement that was running when it arrived; the others keep their order
    expect(answered.indexOf('priority')).toBeLessThanOrEqual(1);
    expect(answered.filter((name) => name !== 'priority')).toEqual(['slow 0', 'slow 1', 'slow 2', 'slow 3', 'transaction', 'slow 4']);
    expect((await db.priority.query<{ id: number }>(`SELECT id FROM item WHERE id = 30`)).rows).toEqual([{ id: 30 }]);
  });

  it('answers "database unavailable" once closed, without calling it lost', async () => {
    const other = await WorkerPGliteDatabase.open({ dataDir: 'memory://', socketPath: null });
    const lost: Error[] = [];
    other.onLost((error) => lost.push(error));
    await other.close();
    expect(await failure(other.query('SELECT 1'))).toBeInstanceOf(DatabaseUnavailableError);
    expect(lost).toEqual([]);
  });

  it('tells its owner once when the thread dies on its own, and fails what was waiting', async () => {
    const other = await WorkerPGliteDatabase.open({ dataDir: 'memory://', socketPath: null });
    const lost: Error[] = [];
    other.onLost((error) => lost.push(error));
    const waiting = other.query('SELECT pg_sleep(5)');
    // stands in for a WASM abort or an out-of-memory kill: the test reaches the private thread to end it
    await (other as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    expect(await failure(waiting)).toBeInstanceOf(DatabaseUnavailableError);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.message).toContain('the embedded database thread exited');
    expect(await failure(other.query('SELECT 1'))).toBeInstanceOf(DatabaseUnavailableError);
    await other.close();
  });

  describe('a data dir that cannot be opened', () => {
    let root: string;
    beforeAll(() => {
      root = mkdtempSync(path.join(os.tmpdir(), 'dxoc-worker-'));
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('fails to open with one line naming the dir', async () => {
      const notADir = path.join(root, 'file');
      writeFileSync(notADir, 'not a database');
      const error = await failure(WorkerPGliteDatabase.open({ dataDir: notADir, socketPath: null }));
      expect(error).toBeInstanceOf(DatabaseSetupError);
      expect(error.message).toContain(`cannot open the embedded database in ${notADir}`);
    });
  });
});
