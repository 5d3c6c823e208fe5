/**
 * What the benchmarks need of a TimescaleDB server named by DATABASE_URL: a fresh database of their own on it
 * (dropped at the end), and the CPU its postgres processes use, so that a server run can say whether node or
 * postgres is the one working.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { onCleanup, out } from './server-process';
import { cpuSeconds, cpuSecondsWithReaped, processTree } from './support';

export interface BenchDatabase {
  /** DATABASE_URL of the fresh database */
  url: string;
  name: string;
  postgresVersion: string;
  timescaledbVersion: string;
  /** where the TimescaleDB version came from */
  versionSource: string;
  cpu: PostgresCpu;
}

/**
 * Creates `dxoc_bench_<random>` on the server `url` names and the TimescaleDB extension in it, at the version the
 * database `url` names has: every TimescaleDB build installed on a server is available to CREATE EXTENSION, and the
 * default is the newest, so without VERSION a server kept on 2.23 for its own databases would be measured on 2.28.
 * Dropped (WITH FORCE) by the benchmark's cleanup, also on errors and Ctrl-C.
 */
export async function createBenchDatabase(url: string, prefix = 'dxoc_bench'): Promise<BenchDatabase> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows: versions } = await admin.query<{ server: string; ext: string | null }>(
      `SELECT current_setting('server_version') AS server, (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS ext`,
    );
    const postgresVersion = versions[0]?.server ?? '?';
    const named = versions[0]?.ext ?? null;
    const name = `${prefix}_${randomBytes(5).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    onCleanup(async () => {
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        out(`database ${name} dropped`);
      } finally {
        await dropper.end();
      }
    });
    const target = new URL(url);
    target.pathname = `/${name}`;
    const fresh = new pg.Client({ connectionString: target.toString() });
    await fresh.connect();
    let timescaledbVersion: string;
    try {
      // dxoc's migration runs CREATE EXTENSION IF NOT EXISTS: the version created here is the one it keeps
      await fresh.query(named ? `CREATE EXTENSION timescaledb VERSION '${named.replace(/'/g, "''")}'` : 'CREATE EXTENSION timescaledb');
      const { rows } = await fresh.query<{ v: string }>(`SELECT extversion AS v FROM pg_extension WHERE extname = 'timescaledb'`);
      timescaledbVersion = rows[0]?.v ?? '?';
    } finally {
      await fresh.end();
    }
    const cpu = await PostgresCpu.open(url, name);
    return {
      url: target.toString(),
      name,
      postgresVersion,
      timescaledbVersion,
      versionSource: named ? `as in ${new URL(url).pathname.slice(1)}` : 'the server default',
      cpu,
    };
  } finally {
    await admin.end();
  }
}

export interface PostgresCpuSample {
  /** every process of the cluster, with the CPU of the backends that exited since the postmaster started */
  cluster: number | null;
  /** the backends connected to the benchmark's database */
  database: number | null;
  /** those backends' CPU seconds at sampling time, by pid */
  pids: Map<number, number>;
}

/**
 * CPU seconds of a PostgreSQL cluster on this machine. The postmaster is found from the data directory's
 * postmaster.pid when this user may read it, else as the parent of a backend (pg_backend_pid); its descendants are
 * every process of the cluster, and its cutime/cstime hold the CPU of backends that have exited (it reaps them), so
 * connections that come and go during a window are counted too. The cluster figure includes other databases' work
 * (other people's tests on a shared server), so the benchmark database's own backends are counted apart.
 */
export class PostgresCpu {
  private constructor(
    readonly postmasterPid: number | null,
    readonly how: string,
    /** kept open: connecting for every sample would fork a backend inside the window being measured */
    private readonly monitor: pg.Client,
    private readonly database: string,
  ) {}

  static async open(url: string, database: string): Promise<PostgresCpu> {
    const monitor = new pg.Client({ connectionString: url });
    await monitor.connect();
    onCleanup(() => monitor.end());
    let postmaster: number | null = null;
    let how = '';
    try {
      const { rows } = await monitor.query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`);
      const dir = rows[0]?.dir;
      if (dir) {
        postmaster = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
        how = `${dir}/postmaster.pid`;
      }
    } catch {
      postmaster = null;
    }
    if (!postmaster || cpuSeconds(postmaster) === null) {
      const { rows } = await monitor.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const backend = rows[0]?.pid;
      postmaster = backend === undefined ? null : parentPid(backend);
      how = `parent of backend ${backend ?? '?'}`;
    }
    if (postmaster !== null && cpuSeconds(postmaster) === null) {
      how = `postmaster ${postmaster} not readable in /proc: postgres CPU not measured`;
      postmaster = null;
    }
    return new PostgresCpu(postmaster, how, monitor, database);
  }

  async sample(): Promise<PostgresCpuSample> {
    const pids = new Map<number, number>();
    if (this.postmasterPid === null) return { cluster: null, database: null, pids };
    let cluster = cpuSecondsWithReaped(this.postmasterPid) ?? 0;
    for (const pid of processTree(this.postmasterPid).slice(1)) cluster += cpuSeconds(pid) ?? 0;
    let database: number | null;
    try {
      const { rows } = await this.monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.database]);
      database = 0;
      for (const { pid } of rows) {
        const seconds = cpuSeconds(pid);
        if (seconds === null) continue;
        pids.set(pid, seconds);
        database += seconds;
      }
    } catch {
      database = null;
    }
    return { cluster, database, pids };
  }
}

/** CPU seconds between two samples; a backend of the database that appeared meanwhile counts from zero. */
export function postgresCpuDelta(start: PostgresCpuSample, end: PostgresCpuSample): { cluster: number | null; database: number | null } {
  let database: number | null = null;
  if (start.database !== null && end.database !== null) {
    database = 0;
    for (const [pid, seconds] of end.pids) database += seconds - (start.pids.get(pid) ?? 0);
  }
  return { cluster: start.cluster === null || end.cluster === null ? null : end.cluster - start.cluster, database };
}

function parentPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}
