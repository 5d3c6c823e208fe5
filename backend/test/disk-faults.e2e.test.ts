/**
 * The error contract under real storage faults (issue 12), not injected ones (faults.e2e.test.ts): the database's
 * files live on a filesystem of the test's own, which the test fills or the kernel makes read-only.
 *
 * - Disk full, embedded (`dxoc serve`'s worker thread, its data dir on a small tmpfs): a filler file takes the rest of
 *   the space; ingest answers 503 database_unavailable with Retry-After, stores nothing of the batch; once the file
 *   is gone the same batch is stored, once, by the same running backend. Reads still work meanwhile: health answers
 *   200 "degraded" with storage { writable: false, reason: disk_full } and dxoc_storage_writable is 0, until the
 *   stored retry makes them ok and 1.
 * - Read-only data dir, embedded: ext4 on a loop device, mounted errors=remount-ro, told to fail
 *   (/sys/fs/ext4/<dev>/trigger_fs_error), as a disk error makes the kernel do. Linux refuses `mount -o remount,ro`
 *   on a filesystem with files open for writing (the database's), so this is how a data dir becomes read-only under
 *   a running database; it stays so until it is unmounted and checked (e2fsck), which needs the database closed.
 *   Every batch meanwhile answers 503 (never 500), health answers 503 (the embedded database cannot read there
 *   either) with storage not writable, read_only; nothing is stored, and after the repair and a restart the retry is
 *   stored once.
 * - Disk full, TimescaleDB server (TEST_DATABASE_URL on this machine, "server" project): the test's database is
 *   created in a tablespace on a small tmpfs (owned by the server's user); filled → 503, freed → stored once.
 *
 * Needs root and permission to mount (a container without CAP_SYS_ADMIN has neither): elsewhere the suites are
 * skipped, with the reason printed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedForServer } from '../src/db/embedded-host';
import { PgDatabase } from '../src/db/pg-database';
import { WorkerPGliteDatabase } from '../src/db/pglite-worker-database';
import { getJson, push, startTestServer, type TestServer } from './support/app';
import { freshServerDatabase, type DatabaseDriver } from './support/databases';

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

function errorText(error: unknown): string {
  const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
  return stderr || (error instanceof Error ? error.message : String(error));
}

/** Why this machine cannot mount a filesystem for the test, or null when it can. */
function mountProblem(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root';
  const probe = mkdtempSync(path.join(os.tmpdir(), 'dxoc-mount-probe-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
    run('umount', [probe]);
    return null;
  } catch (error) {
    return `mount -t tmpfs is not permitted here: ${errorText(error)}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

function missingTools(tools: string[]): string | null {
  const missing = tools.filter((tool) => {
    try {
      run('sh', ['-c', `command -v ${tool}`]);
      return false;
    } catch {
      return true;
    }
  });
  return missing.length > 0 ? `missing ${missing.join(', ')}` : null;
}

const cannotMount = mountProblem();
const cannotMakeExt4 = cannotMount ?? missingTools(['losetup', 'mkfs.ext4', 'e2fsck', 'fallocate']);
const onServer = process.env.DXOC_TEST_DRIVER === 'server' ? process.env.TEST_DATABASE_URL : undefined;

function skipReason(suite: string, reason: string | null): boolean {
  if (reason) console.log(`[skip] ${suite}: ${reason}`);
  return reason !== null;
}

/** A tmpfs of `size` on a new folder; unmount() is safe to call more than once. */
function mountTmpfs(size: string): { dir: string; unmount(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-full-'));
  run('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
  let mounted = true;
  return {
    dir,
    unmount() {
      if (mounted) unmountHard(dir);
      mounted = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** umount, or a lazy one when something still holds a file there (a test that failed half-way). */
function unmountHard(dir: string): void {
  try {
    run('umount', [dir]);
  } catch {
    run('umount', ['-l', dir]);
  }
}

function availableKb(dir: string): number {
  return Number(run('df', ['-k', '--output=avail', dir]).trim().split('\n').pop());
}

/**
 * Takes every free block of the filesystem that holds dir (a database server writing there meanwhile may take some
 * first: then a smaller part, and again); returns the fillers' paths.
 */
function fill(dir: string): string[] {
  const fillers: string[] = [];
  for (let part = 0; part < 50; part++) {
    const available = availableKb(dir);
    if (available === 0) return fillers;
    const filler = path.join(dir, `filler-${part}`);
    try {
      run('fallocate', ['-l', `${available}k`, filler]);
    } catch {
      rmSync(filler, { force: true });
      run('fallocate', ['-l', `${Math.floor(available / 2) || 1}k`, filler]);
    }
    fillers.push(filler);
  }
  throw new Error(`${dir} still has ${availableKb(dir)} kB free after 50 fillers`);
}

/**
 * 400 values of a gauge, every 15 minutes from the start of a week of 2024 (plus offsetMinutes): in a week no other
 * batch touched, a new chunk (new files); in the same week as another batch, more pages of its chunk.
 */
function batchIn(batchId: string, week: number, offsetMinutes = 0, count = 400) {
  const start = Date.UTC(2024, 0, 1) + week * 7 * 86_400_000 + offsetMinutes * 60_000;
  return {
    batchId,
    points: Array.from({ length: count }, (_, i) => ({
      metric: 'dvc.services_online',
      unit: '79',
      ts: new Date(start + i * 15 * 60_000).toISOString(),
      value: i,
    })),
  };
}

async function stored(server: TestServer, batchId: string): Promise<{ values: number; batches: number }> {
  const values = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE batch_id = $1`, [batchId]);
  const batches = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ingest_batch WHERE batch_id = $1`, [batchId]);
  return { values: values.rows[0]!.n, batches: batches.rows[0]!.n };
}

/** Health while the database refuses writes for its storage: `status` (200: reads still work), `storage` says why and since when. */
function expectNotWritable(health: Awaited<ReturnType<typeof getJson>>, status: number, reason: string): void {
  expect(health.status, JSON.stringify(health.body)).toBe(status);
  if (status === 200) expect(health.body.status).toBe('degraded');
  expect(health.body.storage).toEqual({ writable: false, since: expect.any(String), reason });
  expect(Date.parse(health.body.storage.since)).not.toBeNaN();
}

/** Health once a write was stored again: 200, writable, and "ok" unless a TimescaleDB job is failing or overdue. */
function expectWritable(health: Awaited<ReturnType<typeof getJson>>): void {
  expect(health.status, JSON.stringify(health.body)).toBe(200);
  expect(health.body.storage).toEqual({ writable: true, since: null, reason: null });
  expect(health.body.status).toBe(health.body.jobs.length > 0 ? 'degraded' : 'ok');
}

/** dxoc_storage_writable on the server's metrics port. */
async function storageWritableMetric(server: TestServer): Promise<number> {
  const text = await fetch(server.metricsUrl!).then((r) => r.text());
  const line = text.split('\n').find((l) => l.startsWith('dxoc_storage_writable '));
  return Number(line?.split(' ')[1]);
}

/** The disk-full case, on whichever database `open` gives (its files on `volume`). */
function diskFullCase(label: string, volume: () => string, server: () => TestServer, key: () => string) {
  it(`${label}: a full disk answers 503 with Retry-After and stores nothing; freed, the retry is stored once without a restart`, async () => {
    const before = await push(server().url, key(), batchIn('disk-before', 0));
    expect(before.status).toBe(202);

    const fillers = fill(volume());
    try {
      const full = batchIn('disk-full', 2);
      for (const attempt of [1, 2]) {
        const answer = await push(server().url, key(), full);
        expect(answer.status, `attempt ${attempt}: ${JSON.stringify(answer.body)}`).toBe(503);
        expect(answer.body).toMatchObject({ error: 'database_unavailable' });
        expect(answer.body.message).toMatch(/disk is full.*nothing was stored/);
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      expect(await stored(server(), 'disk-full')).toEqual({ values: 0, batches: 0 });
      // reads still work on a full disk (the wall still serves): health stays 200, but says writes are refused
      const health = await getJson(server().url, '/api/v1/health');
      console.log(`[disk-full] ${label}: health answers ${health.status} ${JSON.stringify(health.body)}`);
      expectNotWritable(health, 200, 'disk_full');
      expect(await storageWritableMetric(server())).toBe(0);
    } finally {
      for (const filler of fillers) rmSync(filler);
    }

    const retried = await push(server().url, key(), batchIn('disk-full', 2));
    expect(retried.status, JSON.stringify(retried.body)).toBe(202);
    expect(retried.body).toEqual({ batchId: 'disk-full', accepted: 400, duplicate: false, revised: 0 });
    expect(await stored(server(), 'disk-full')).toEqual({ values: 400, batches: 1 });
    // the first stored retry clears it
    const health = await getJson(server().url, '/api/v1/health');
    expectWritable(health);
    expect(await storageWritableMetric(server())).toBe(1);
  });
}

describe.skipIf(onServer !== undefined || skipReason('embedded data dir on a full tmpfs', cannotMount))(
  'the embedded database (dxoc serve) on a data dir that fills up',
  () => {
    let volume: ReturnType<typeof mountTmpfs> | undefined;
    let server: TestServer | undefined;
    let key = '';

    beforeAll(async () => {
      // ~30 MB once migrated and seeded; the rest is what the filler takes
      volume = mountTmpfs('64m');
      const dataDir = path.join(volume.dir, 'data');
      const driver: DatabaseDriver = {
        name: 'embedded TimescaleDB in a worker thread, its data dir on a 64 MB tmpfs',
        async open() {
          const embedded = await openEmbeddedForServer(dataDir);
          return { db: embedded.db, close: () => embedded.close() };
        },
      };
      server = await startTestServer({ driver });
      key = await server.createKey(['79']);
    });
    afterAll(async () => {
      await server?.close().catch((error: unknown) => console.log(`[disk-full] close: ${errorText(error)}`));
      volume?.unmount();
    });

    diskFullCase(
      'embedded',
      () => volume!.dir,
      () => server!,
      () => key,
    );
  },
);

describe.skipIf(onServer !== undefined || skipReason('embedded data dir made read-only by the kernel', cannotMakeExt4))(
  'the embedded database (dxoc serve) on a data dir the kernel makes read-only',
  () => {
    let work = '';
    let mountPoint = '';
    let image = '';
    let loop: string | null = null;
    let mounted = false;
    let server: TestServer | undefined;
    let key = '';

    const driver: DatabaseDriver = {
      name: 'embedded TimescaleDB in a worker thread, its data dir on ext4 (errors=remount-ro)',
      async open() {
        const db = await WorkerPGliteDatabase.open({ dataDir: path.join(mountPoint, 'data'), socketPath: null });
        return { db, close: () => db.close() };
      },
    };

    function mountImage(): void {
      loop = run('losetup', ['-f', '--show', image]).trim();
      run('mount', ['-o', 'errors=remount-ro', loop, mountPoint]);
      mounted = true;
    }

    function unmountImage(): void {
      if (mounted) unmountHard(mountPoint);
      mounted = false;
      if (loop) run('losetup', ['-d', loop]);
      loop = null;
    }

    beforeAll(async () => {
      work = mkdtempSync(path.join(os.tmpdir(), 'dxoc-ro-'));
      mountPoint = path.join(work, 'mnt');
      image = path.join(work, 'data.img');
      mkdirSync(mountPoint);
      writeFileSync(image, '');
      run('truncate', ['-s', '160M', image]);
      run('mkfs.ext4', ['-q', '-F', '-m', '0', image]);
      mountImage();
      server = await startTestServer({ driver });
      key = await server.createKey(['79']);
    });
    afterAll(async () => {
      await server?.close().catch((error: unknown) => console.log(`[read-only] close: ${errorText(error)}`));
      unmountImage();
      rmSync(work, { recursive: true, force: true });
    });

    it('every batch answers 503 (never 500) while the data dir is read-only, nothing is stored, and after the repair the retry is stored once', async (ctx) => {
      const trigger = `/sys/fs/ext4/${path.basename(loop!)}/trigger_fs_error`;
      if (!existsSync(trigger)) {
        console.log(`[skip] read-only data dir: this kernel has no ${trigger}`);
        ctx.skip();
      }
      expect((await push(server!.url, key, batchIn('ro-before', 0, 0, 50))).status).toBe(202);

      // The embedded database does not fsync (its file layer's fsync does nothing): what it wrote is in the page cache,
      // and ext4 drops what it had not written back when it aborts. Flushed first, so the test sees the read-only
      // data dir, not that loss (without it, the data dir does not open again after the repair).
      run('sync', ['-f', mountPoint]);
      writeFileSync(trigger, 'dxoc test: the data dir goes read-only\n');
      expect(run('findmnt', ['-n', '-o', 'OPTIONS', mountPoint])).toMatch(/(^|,)ro(,|$)|emergency_ro/);
      // the chunk of ro-before grows by as much again: its free space map is created (a new file) on the way
      const batch = batchIn('ro-during', 0, 5, 500);
      // The first attempt meets the read-only filesystem itself (EROFS, "it is read-only"); the next ones meet what it
      // left behind: the embedded database's file layer believes the file it could not create is there, and
      // PostgreSQL reports "could not create file ...: File exists" (SQLSTATE 58P02). Each is 503, none 500.
      for (const attempt of [1, 2, 3]) {
        const answer = await push(server!.url, key, batch);
        console.log(`[read-only] attempt ${attempt}: ${answer.status} ${answer.body.message}`);
        expect(answer.status, `attempt ${attempt}: ${JSON.stringify(answer.body)}`).toBe(503);
        expect(answer.body).toMatchObject({ error: 'database_unavailable' });
        expect(answer.body.message).toMatch(/\((it is read-only|its files cannot be read or written)\); nothing was stored/);
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      // unlike a full disk, the embedded database cannot read either here (it opens its files for writing: "could not
      // seek to end of file ...: Read-only file system"), so health is 503; its storage still says why
      const health = await getJson(server!.url, '/api/v1/health');
      console.log(`[read-only] health answers ${health.status} ${JSON.stringify(health.body)}`);
      expect(health.body).toMatchObject({ status: 'unavailable' });
      expectNotWritable(health, 503, 'read_only');

      // the operator's repair: stop dxoc, unmount, e2fsck, mount, start dxoc again
      await server!.close().catch((error: unknown) => console.log(`[read-only] close on a read-only data dir: ${errorText(error)}`));
      server = undefined;
      unmountImage();
      try {
        run('e2fsck', ['-f', '-y', image]);
      } catch (error) {
        // exit status 1: errors found and corrected
        if ((error as { status?: number }).status !== 1) throw error;
      }
      mountImage();
      server = await startTestServer({ driver });

      expect(await stored(server, 'ro-during')).toEqual({ values: 0, batches: 0 });
      expect(await stored(server, 'ro-before')).toEqual({ values: 50, batches: 1 });
      const retried = await push(server.url, key, batch);
      expect(retried.status, JSON.stringify(retried.body)).toBe(202);
      expect(retried.body).toEqual({ batchId: 'ro-during', accepted: 500, duplicate: false, revised: 0 });
      expect(await stored(server, 'ro-during')).toEqual({ values: 500, batches: 1 });
      expectWritable(await getJson(server.url, '/api/v1/health'));
    });
  },
);

/** Why the server at `url` cannot get a tablespace on a tmpfs of this machine, or null. */
function localServerProblem(url: string | undefined): string | null {
  if (!url) return 'not the "server" project';
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) return `TEST_DATABASE_URL is not on this machine (${host})`;
  return cannotMount ?? missingTools(['fallocate']);
}

describe.skipIf(skipReason('TimescaleDB server with a full tablespace', localServerProblem(onServer)))(
  'a TimescaleDB server whose tablespace fills up',
  () => {
    let volume: ReturnType<typeof mountTmpfs> | undefined;
    let admin: PgDatabase | undefined;
    let tablespace = '';
    let server: TestServer | undefined;
    let key = '';

    beforeAll(async () => {
      admin = PgDatabase.connect(onServer!, 1);
      const dataDir = (await admin.query<{ setting: string }>(`SELECT current_setting('data_directory') AS setting`)).rows[0]!.setting;
      const owner = statSync(dataDir);
      // TimescaleDB's extension and dxoc's migrations take ~25 MB of the database's own tablespace
      volume = mountTmpfs('96m');
      const location = path.join(volume.dir, 'tablespace');
      mkdirSync(location, { mode: 0o700 });
      execFileSync('chown', [`${owner.uid}:${owner.gid}`, location]);
      tablespace = `dxoc_full_${path
        .basename(volume.dir)
        .replace(/[^a-z0-9]/gi, '')
        .toLowerCase()}`;
      await admin.exec(`CREATE TABLESPACE ${tablespace} LOCATION '${location}'`);
      const url = onServer!;
      const driver: DatabaseDriver = {
        name: 'TimescaleDB server, the database in a tablespace on a 96 MB tmpfs',
        async open(config) {
          const fresh = await freshServerDatabase(url, { tablespace });
          const db = PgDatabase.connect(fresh.url, 4, { queryTimeoutMs: config?.dbQueryTimeoutMs ?? null });
          return {
            db,
            async close() {
              await db.close();
              await fresh.drop();
            },
          };
        },
      };
      server = await startTestServer({ driver });
      key = await server.createKey(['79']);
    });
    afterAll(async () => {
      try {
        await server?.close().catch((error: unknown) => console.log(`[disk-full] close: ${errorText(error)}`));
        if (tablespace)
          await admin?.exec(`DROP TABLESPACE IF EXISTS ${tablespace}`).catch((error: unknown) => console.log(errorText(error)));
        await admin?.close();
      } finally {
        volume?.unmount();
      }
    });

    diskFullCase(
      'server',
      () => volume!.dir,
      () => server!,
      () => key,
    );
  },
);
