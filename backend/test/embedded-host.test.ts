/**
 * The embedded database host: one process owns a data dir (lock file beside it); the server shares its database
 * with CLI commands over a private Unix socket; a CLI with no server opens the dir itself.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedForCli, openEmbeddedForServer } from '../src/db/embedded-host';
import { DatabaseSetupError } from '../src/db/errors';
import { migrate, readMigrations } from '../src/db/migrator';

interface LockFile {
  pid: number;
  socketDir: string | null;
}

const lockOf = (dataDir: string): LockFile => JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8')) as LockFile;

function writeLock(dataDir: string, lock: { pid: number; socketDir: string | null }): void {
  writeFileSync(`${dataDir}.lock`, JSON.stringify({ ...lock, startedAt: new Date().toISOString() }));
}

/** The pid of a process that has exited (so no process has it, barring reuse in the meantime). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const result = await promise.then(
    () => null,
    (error: unknown) => error as Error,
  );
  if (!result) throw new Error('expected a failure, but it succeeded');
  return result;
}

describe('embedded database host', () => {
  let root: string;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'dxoc-host-'));
  });

  afterAll(async () => {
    // whatever a failed test left open
    for (const close of closers.reverse()) await close().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  /** Registers a close for afterAll (in case the test fails before closing); closing twice is harmless to track. */
  function track<T extends { close(): Promise<void> }>(opened: T): T {
    let closed = false;
    const close = opened.close.bind(opened);
    opened.close = async () => {
      if (closed) return;
      closed = true;
      await close();
    };
    closers.push(() => opened.close());
    return opened;
  }

  it('the server owns the dir and shares it with the CLI over its socket; once it stops, the CLI opens the dir itself', async () => {
    const dataDir = path.join(root, 'shared', 'data');
    const server = track(await openEmbeddedForServer(dataDir));
    expect(lockOf(dataDir)).toMatchObject({ pid: process.pid, socketDir: server.socketDir });
    expect(existsSync(path.join(server.socketDir, '.s.PGSQL.5432'))).toBe(true);

    // a second server on the same dir is refused with one clear line naming the holder
    const second = await failure(openEmbeddedForServer(dataDir));
    expect(second).toBeInstanceOf(DatabaseSetupError);
    expect(second.message).toContain(`already served by process ${process.pid}`);
    expect(second.message).toContain(dataDir);
    // ... and the refusal did not disturb the running server or its lock
    expect(lockOf(dataDir)).toMatchObject({ pid: process.pid, socketDir: server.socketDir });
    expect((await server.db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);

    // a CLI command while the server runs: through the socket, e.g. `dxoc migrate` and `dxoc keys create`
    const cli = track(await openEmbeddedForCli(dataDir));
    expect(cli.viaServer).toBe(true);
    expect(cli.db.driver).toBe('pg');
    const report = await migrate(cli.db);
    expect(report.applied).toEqual(readMigrations().map((m) => m.name));
    await cli.db.query(`INSERT INTO agent_key (id, name, unit_codes, secret_hash) VALUES ('from-cli', 'written by the CLI', '{79}', 'h')`);
    await cli.close(); // pglite-socket lends the session to one connection at a time: release it

    // the server's own connection sees what the CLI wrote
    const seen = await server.db.query<{ id: string; unit_codes: string[] }>(`SELECT id, unit_codes FROM agent_key WHERE id = 'from-cli'`);
    expect(seen.rows).toEqual([{ id: 'from-cli', unit_codes: ['79'] }]);
    expect((await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migration')).rows).toEqual([
      { n: readMigrations().length },
    ]);

    // and the other way round: what the server writes, the next CLI command reads
    await server.db.query(
      `INSERT INTO agent_key (id, name, unit_codes, secret_hash) VALUES ('from-server', 'written by the server', NULL, 'h')`,
    );
    const cli2 = track(await openEmbeddedForCli(dataDir));
    expect(cli2.viaServer).toBe(true);
    const keys = await cli2.db.query<{ id: string }>(`SELECT id FROM agent_key WHERE id LIKE 'from-%' ORDER BY id`);
    expect(keys.rows).toEqual([{ id: 'from-cli' }, { id: 'from-server' }]);
    await cli2.close();

    await server.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    expect(existsSync(path.join(server.socketDir, '.s.PGSQL.5432'))).toBe(false);

    // no server: the CLI opens the dir directly, takes the lock, and sees everything written before
    const direct = track(await openEmbeddedForCli(dataDir));
    expect(direct.viaServer).toBe(false);
    expect(direct.db.driver).toBe('pglite');
    expect(lockOf(dataDir)).toMatchObject({ pid: process.pid, socketDir: null });
    const after = await direct.db.query<{ id: string }>(`SELECT id FROM agent_key WHERE id LIKE 'from-%' ORDER BY id`);
    expect(after.rows).toEqual([{ id: 'from-cli' }, { id: 'from-server' }]);
    // a server cannot start while a CLI holds the dir itself
    expect(await failure(openEmbeddedForServer(dataDir))).toBeInstanceOf(DatabaseSetupError);
    await direct.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('data survives close and reopen', async () => {
    const dataDir = path.join(root, 'persist');
    const first = track(await openEmbeddedForServer(dataDir));
    await first.db.exec(`CREATE TABLE note (id integer PRIMARY KEY, body text NOT NULL)`);
    await first.db.query(`INSERT INTO note VALUES (1, $1), (2, $2)`, ['xin chào', 'second']);
    await first.db.transaction(async (tx) => {
      await tx.query(`UPDATE note SET body = 'changed' WHERE id = 2`);
    });
    await first.close();

    const reopened = track(await openEmbeddedForServer(dataDir));
    const rows = await reopened.db.query<{ id: number; body: string }>('SELECT id, body FROM note ORDER BY id');
    expect(rows.rows).toEqual([
      { id: 1, body: 'xin chào' },
      { id: 2, body: 'changed' },
    ]);
    await reopened.close();
  });

  it('a data dir too deep for a Unix socket path gets its socket in a private folder in tmp', async () => {
    const dataDir = path.join(root, 'deep', 'd'.repeat(90), 'data');
    const server = track(await openEmbeddedForServer(dataDir));
    try {
      expect(server.socketDir).not.toBe(`${dataDir}.run`);
      expect(path.dirname(server.socketDir)).toBe(os.tmpdir());
      expect(path.basename(server.socketDir)).toMatch(/^dxoc-[0-9a-f]{12}$/);
      const cli = track(await openEmbeddedForCli(dataDir));
      expect(cli.viaServer).toBe(true);
      expect((await cli.db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await cli.close();
      await server.close();
    } finally {
      rmSync(server.socketDir, { recursive: true, force: true });
    }
  });

  describe('the lock file', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = path.join(root, 'locks', 'data');
      mkdirSync(path.dirname(dataDir), { recursive: true });
    });

    it('a lock left by a process that no longer exists is taken over, by the CLI and by the server', async () => {
      const gone = await deadPid();
      // it claims a socket that is no longer there: the CLI must not try to reach it
      writeLock(dataDir, { pid: gone, socketDir: path.join(root, 'locks', 'gone.run') });
      const cli = track(await openEmbeddedForCli(dataDir));
      expect(cli.viaServer).toBe(false);
      expect(lockOf(dataDir).pid).toBe(process.pid);
      await cli.close();
      expect(existsSync(`${dataDir}.lock`)).toBe(false);

      writeLock(dataDir, { pid: gone, socketDir: null });
      const server = track(await openEmbeddedForServer(dataDir));
      expect(lockOf(dataDir)).toMatchObject({ pid: process.pid, socketDir: server.socketDir });
      await server.close();
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
    });

    it('a lock left by an earlier process with this same pid (a restarted container) is taken over', async () => {
      writeLock(dataDir, { pid: process.pid, socketDir: null });
      const server = track(await openEmbeddedForServer(dataDir));
      expect(lockOf(dataDir)).toMatchObject({ pid: process.pid, socketDir: server.socketDir });
      await server.close();
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
    });

    it('a lock held by another live process is respected: the server refuses and names that process', async () => {
      const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      try {
        await new Promise((resolve, reject) => {
          holder.once('spawn', resolve);
          holder.once('error', reject);
        });
        writeLock(dataDir, { pid: holder.pid!, socketDir: null });
        const refused = await failure(openEmbeddedForServer(dataDir));
        expect(refused).toBeInstanceOf(DatabaseSetupError);
        expect(refused.message).toContain(`process ${holder.pid}`);
        expect(lockOf(dataDir).pid).toBe(holder.pid); // left alone
      } finally {
        holder.kill();
        rmSync(`${dataDir}.lock`, { force: true });
      }
    });
  });
});
