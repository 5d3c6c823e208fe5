import { randomBytes } from 'node:crypto';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { AppConfig } from '../../src/config/config';
import type { Database } from '../../src/db/database';
import { PGliteDatabase } from '../../src/db/pglite-database';
import { PgDatabase } from '../../src/db/pg-database';
import { WorkerPGliteDatabase } from '../../src/db/pglite-worker-database';
import { TcpProxy } from './tcp-proxy';

export interface TestDatabase {
  db: Database;
  close(): Promise<void>;
}

export interface DatabaseDriver {
  name: string;
  /** config: the test server's, when a test server opens it (drivers that connect through `pg` apply its DXOC_DB_QUERY_TIMEOUT_MS) */
  open(config?: AppConfig): Promise<TestDatabase>;
}

/** The `pg` options the product derives from its configuration (see openForServer). */
function pgOptions(config: AppConfig | undefined) {
  return { queryTimeoutMs: config?.dbQueryTimeoutMs ?? null };
}

/** Embedded TimescaleDB used directly, the way CLI commands use it when no server runs. */
export const inProcess: DatabaseDriver = {
  name: 'embedded TimescaleDB in-process',
  async open() {
    const db = await PGliteDatabase.open();
    return { db, close: () => db.close() };
  },
};

/** Embedded TimescaleDB in a worker thread, the way `dxoc serve` uses it. */
export const inWorker: DatabaseDriver = {
  name: 'embedded TimescaleDB in a worker thread',
  async open() {
    const db = await WorkerPGliteDatabase.open({ dataDir: 'memory://', socketPath: null });
    return { db, close: () => db.close() };
  },
};

/** An in-process embedded database served by pglite-socket on a free port, and a `pg` session to it. */
async function embeddedOverSocket(
  reach: (port: number) => Promise<number> = async (port) => port,
  config?: AppConfig,
): Promise<{ embedded: PGliteDatabase; server: PGLiteSocketServer; db: PgDatabase }> {
  const embedded = await PGliteDatabase.open();
  const server = new PGLiteSocketServer({ db: embedded.pglite as never, host: '127.0.0.1', port: 0 });
  await server.start();
  const port = await reach(Number((server as unknown as { port: number }).port));
  const db = PgDatabase.forSingleSession({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' }, pgOptions(config));
  return { embedded, server, db };
}

/** The same embedded database reached through `pg` over pglite-socket: the SQL must work on both drivers. */
export const overSocket: DatabaseDriver = {
  name: 'embedded TimescaleDB through pg over pglite-socket',
  async open() {
    const { embedded, server, db } = await embeddedOverSocket();
    return {
      db,
      async close() {
        await db.close();
        await server.stop();
        await embedded.close();
      },
    };
  },
};

/**
 * A new database on the server `url` names (the same server and credentials), with the TimescaleDB version of the
 * database `url` names, and how to drop it; with options.tablespace, stored in that tablespace. Several versions may
 * be installed side by side on one server (2.23.1 and 2.28.3 here): a plain CREATE EXTENSION would take the newest,
 * and the run would not test the version it names.
 */
/** The name of every database freshServerDatabase makes starts with this (server-databases-left.ts looks for them). */
export const TEST_DATABASE_PREFIX = 'dxoc_test_';

export async function freshServerDatabase(
  url: string,
  options: { tablespace?: string } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = PgDatabase.connect(url, 1);
  const name = `${TEST_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  const version = (await admin.query<{ v: string }>(`SELECT extversion AS v FROM pg_extension WHERE extname = 'timescaledb'`)).rows[0]?.v;
  // a tablespace of the test's own (a name it made up): every file of the database, its catalogs included, is there
  await admin.exec(`CREATE DATABASE ${name}${options.tablespace ? ` TABLESPACE ${options.tablespace}` : ''}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  if (version) {
    const created = PgDatabase.connect(target.toString(), 1);
    try {
      await created.exec(`CREATE EXTENSION timescaledb VERSION '${version.replace(/'/g, "''")}'`);
    } finally {
      await created.close();
    }
  }
  return {
    url: target.toString(),
    async drop() {
      // DROP DATABASE asks for a checkpoint, which fails while another test file holds a deliberately full
      // tablespace with dirty pages (disk-faults.e2e): retry for a while instead of failing this file's cleanup
      for (let attempt = 1; ; attempt += 1) {
        try {
          await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          break;
        } catch (error) {
          if (attempt >= 20 || !/checkpoint request failed/.test((error as Error).message)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
      await admin.close();
    },
  };
}

/** A real PostgreSQL + TimescaleDB server, when TEST_DATABASE_URL names one: each test file gets a fresh database. */
export function serverDriver(url: string): DatabaseDriver {
  return {
    name: `TimescaleDB server at TEST_DATABASE_URL`,
    async open(config) {
      const fresh = await freshServerDatabase(url);
      const db = PgDatabase.connect(fresh.url, 4, pgOptions(config));
      return {
        db,
        async close() {
          await db.close();
          await fresh.drop();
        },
      };
    },
  };
}

/** Every driver the repository tests run on. */
export function allDrivers(): DatabaseDriver[] {
  const drivers = [inProcess, inWorker, overSocket];
  // tests choose their database; the product reads the environment only in config.ts
  const url = process.env.TEST_DATABASE_URL;
  if (url) drivers.push(serverDriver(url));
  return drivers;
}

/**
 * The database of a test server that does not name one: the embedded database, or — in the "server" project that
 * vitest.config.ts adds when TEST_DATABASE_URL is set (DXOC_TEST_DRIVER=server) — a fresh database on that server
 * for every test server, so every HTTP, live, alert, auth and reporting suite also runs against TimescaleDB there.
 */
export function defaultDriver(): DatabaseDriver {
  const url = process.env.TEST_DATABASE_URL;
  return process.env.DXOC_TEST_DRIVER === 'server' && url ? serverDriver(url) : inProcess;
}

export interface StoppableDriver extends DatabaseDriver {
  /** Stops the socket server: the open connection is cut and new ones are refused, as when the database goes away. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** Like overSocket, with the socket server under the test's control (one open() per driver). */
export function stoppableOverSocket(): StoppableDriver {
  let server: PGLiteSocketServer | null = null;
  let running = false;
  const opened = () => {
    if (!server) throw new Error('stoppableOverSocket: open() the driver first');
    return server;
  };
  return {
    name: 'embedded TimescaleDB through pg over a pglite-socket the test can stop',
    async open() {
      const socket = await embeddedOverSocket();
      const { embedded, db } = socket;
      server = socket.server;
      running = true;
      return {
        db,
        async close() {
          await db.close();
          if (running) await opened().stop();
          running = false;
          await embedded.close();
        },
      };
    },
    async stop() {
      await opened().stop();
      running = false;
    },
    async start() {
      await opened().start();
      running = true;
    },
  };
}

export interface ProxiedDriver extends DatabaseDriver {
  /** the proxy between the backend and its database, once open() has run */
  proxy(): TcpProxy;
}

/**
 * The default driver's database reached through a TcpProxy the test can cut or freeze: a TimescaleDB server in the
 * "server" project, otherwise the embedded database served over pglite-socket.
 */
export function proxiedDriver(): ProxiedDriver {
  let proxy: TcpProxy | null = null;
  const url = process.env.TEST_DATABASE_URL;
  const onServer = process.env.DXOC_TEST_DRIVER === 'server' && url;
  return {
    name: onServer ? 'TimescaleDB server through a TCP proxy' : 'embedded TimescaleDB through pg over pglite-socket and a TCP proxy',
    async open(config) {
      if (onServer) {
        const fresh = await freshServerDatabase(url);
        const target = new URL(fresh.url);
        proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
        const db = PgDatabase.connect(proxy.through(fresh.url), 4, pgOptions(config));
        const opened = proxy;
        return {
          db,
          async close() {
            await db.close();
            await opened.close();
            await fresh.drop();
          },
        };
      }
      const { embedded, server, db } = await embeddedOverSocket(async (port) => {
        proxy = await TcpProxy.start('127.0.0.1', port);
        return proxy.port;
      }, config);
      const opened = this.proxy();
      return {
        db,
        async close() {
          await db.close();
          await opened.close();
          await server.stop();
          await embedded.close();
        },
      };
    },
    proxy() {
      if (!proxy) throw new Error('proxiedDriver: open() the driver first');
      return proxy;
    },
  };
}
