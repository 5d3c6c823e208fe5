import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from './database';
import { DatabaseSetupError } from './errors';
import { PGliteDatabase } from './pglite-database';
import { PgDatabase, type PgDatabaseOptions } from './pg-database';
import { WorkerPGliteDatabase } from './pglite-worker-database';
import { isProcessAlive } from '@dxoc/contracts/process';

/**
 * Only one process may open an embedded data dir. The server that holds it exposes the same database on a
 * private Unix socket, so the CLI (keys create, migrate, ...) works while the server runs: pglite-socket gives
 * the CLI's connection exclusive use of the single PGlite session for the few milliseconds it needs.
 */
interface LockInfo {
  pid: number;
  /** Tells this process from an earlier one that had the same pid (a restarted container's server often does). */
  token?: string;
  socketDir: string | null;
  startedAt: string;
}

const PROCESS_TOKEN = randomUUID();

const SOCKET_PORT = 5432;

function lockPath(dataDir: string): string {
  return `${dataDir}.lock`;
}

function socketDirFor(dataDir: string): string {
  const beside = `${dataDir}.run`;
  // Unix socket paths are limited to ~107 bytes; fall back to a private folder in tmp for deep checkouts.
  if (Buffer.byteLength(path.join(beside, `.s.PGSQL.${SOCKET_PORT}`)) < 100) return beside;
  const digest = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  return path.join(os.tmpdir(), `dxoc-${digest}`);
}

/** A lock with our pid is ours only if it carries our token; otherwise an earlier process with the same pid left it. */
function heldByLiveProcess(holder: LockInfo | null): boolean {
  if (!holder) return false;
  if (holder.pid === process.pid) return holder.token === PROCESS_TOKEN;
  return isProcessAlive(holder.pid);
}

function isFresh(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < 5_000;
  } catch {
    return false;
  }
}

function readLock(dataDir: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

/** Takes the data dir for this process, clearing a lock left by a process that died. Returns null if a live process holds it. */
function tryLock(dataDir: string): (() => void) | null {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath(dataDir), 'wx', 0o600);
      const info: LockInfo = { pid: process.pid, token: PROCESS_TOKEN, socketDir: null, startedAt: new Date().toISOString() };
      writeFileSync(fd, JSON.stringify(info));
      closeSync(fd);
      return () => {
        const holder = readLock(dataDir);
        if (holder?.pid === process.pid && holder.token === PROCESS_TOKEN) rmSync(lockPath(dataDir), { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(dataDir);
      if (heldByLiveProcess(holder)) return null;
      // Unreadable: possibly being written right now by a process that just created it; not stale yet.
      if (!holder && isFresh(lockPath(dataDir))) return null;
      rmSync(lockPath(dataDir), { force: true }); // stale: its process is gone
    }
  }
  return null;
}

async function waitForLock(dataDir: string, timeoutMs: number): Promise<(() => void) | LockInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const release = tryLock(dataDir);
    if (release) return release;
    const holder = readLock(dataDir);
    if (holder?.socketDir) return holder;
    if (Date.now() > deadline) {
      throw new DatabaseSetupError(
        `the embedded database in ${dataDir} is in use by process ${holder?.pid ?? '?'}, which does not share it; stop that process and retry`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface EmbeddedServerDatabase {
  db: Database;
  socketDir: string;
  /** Called if the database thread dies on its own: the process cannot go on. */
  onLost(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

/** For `dxoc serve`: owns the data dir, runs the database in a worker thread and shares it on a private socket. */
export async function openEmbeddedForServer(dataDir: string): Promise<EmbeddedServerDatabase> {
  const release = tryLock(dataDir);
  if (!release) {
    const holder = readLock(dataDir);
    throw new DatabaseSetupError(
      `the embedded database in ${dataDir} is already served by process ${holder?.pid ?? '?'}; the embedded database serves one backend instance (set DATABASE_URL to run several)`,
    );
  }
  let db: WorkerPGliteDatabase | undefined;
  try {
    const socketDir = socketDirFor(dataDir);
    mkdirSync(socketDir, { recursive: true, mode: 0o700 });
    chmodSync(socketDir, 0o700);
    const socketPath = path.join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
    rmSync(socketPath, { force: true });
    db = await WorkerPGliteDatabase.open({ dataDir, socketPath });
    // write-then-rename: a reader never sees a half-written lock
    const next = `${lockPath(dataDir)}.${process.pid}.tmp`;
    writeFileSync(
      next,
      JSON.stringify({ pid: process.pid, token: PROCESS_TOKEN, socketDir, startedAt: new Date().toISOString() } satisfies LockInfo),
      { mode: 0o600 },
    );
    renameSync(next, lockPath(dataDir));
    const opened = db;
    return {
      db: opened,
      socketDir,
      onLost: (listener) => opened.onLost(listener),
      async close() {
        await opened.close();
        rmSync(socketPath, { force: true });
        release();
      },
    };
  } catch (error) {
    await db?.close();
    release();
    throw error;
  }
}

/** For CLI commands: the running server's socket when there is one, else the data dir itself. */
export async function openEmbeddedForCli(
  dataDir: string,
  options: PgDatabaseOptions = {},
): Promise<{ db: Database; viaServer: boolean; close(): Promise<void> }> {
  const lock = await waitForLock(dataDir, 10_000);
  if (typeof lock === 'function') {
    try {
      const db = await PGliteDatabase.open(dataDir);
      return {
        db,
        viaServer: false,
        close: async () => {
          await db.close();
          lock();
        },
      };
    } catch (error) {
      lock();
      throw error;
    }
  }
  const db = PgDatabase.forSingleSession(
    { host: lock.socketDir ?? undefined, port: SOCKET_PORT, user: 'postgres', database: 'postgres' },
    options,
  );
  return { db, viaServer: true, close: () => db.close() };
}
