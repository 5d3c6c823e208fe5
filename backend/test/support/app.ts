import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Clock } from '../../src/common/clock';
import { loadConfig, type AppConfig } from '../../src/config/config';
import type { Database } from '../../src/db/database';
import { KeysService } from '../../src/keys/keys.service';
import { AuthService } from '../../src/auth/auth.service';
import { startServer } from '../../src/server';
import { defaultDriver, type DatabaseDriver } from './databases';

/** Reads need a session or viewer token: every test server gets a viewer token that getJson uses by default. */
const viewerTokens = new Map<string, string>();

export interface TestServer {
  app: NestExpressApplication;
  url: string;
  /** a viewer token for reads */
  viewerToken: string;
  db: Database;
  config: AppConfig;
  /** Prometheus metrics on the internal port */
  metricsUrl: string | null;
  createKey(units: string[] | null): Promise<string>;
  close(): Promise<void>;
  /**
   * Closes only the database this server opened (a TimescaleDB server's fresh database is dropped), for a test that
   * closed the application itself; `db.close()` alone would leave that database behind on the server.
   */
  closeDatabase(): Promise<void>;
}

/** A real backend on a real port (127.0.0.1, port chosen by the OS) over a fresh database (see defaultDriver). */
export interface TestServerOptions {
  /** undefined unsets a default (DXOC_SECRET_KEY: undefined, no key) */
  env?: Record<string, string | undefined>;
  clock?: Clock;
  driver?: DatabaseDriver;
  /** a second backend instance on the database of this one (it does not close that database) */
  sameDatabaseAs?: TestServer;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DXOC_DATA_DIR: '/nonexistent-unused',
    // secrets (second factor, notification credentials) are sealed with this key rather than one generated into the
    // data dir above, which is not one (tests that need another key or none pass their own)
    DXOC_SECRET_KEY: '5e'.repeat(32),
    DXOC_METRICS_PORT: '0',
    DXOC_LOG_LEVEL: 'warn',
    ...options.env,
  });
  // the driver connects as the product would with this configuration (DXOC_DB_QUERY_TIMEOUT_MS)
  const opened = options.sameDatabaseAs
    ? { db: options.sameDatabaseAs.db, close: async () => undefined }
    : await (options.driver ?? defaultDriver()).open(config);
  const clock = options.clock ?? { now: () => new Date() };
  const server = await startServer({ config, db: opened.db, clock });
  const port = (server.app.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const viewerToken = (await server.app.get(AuthService).createViewerToken('test wall', 'test')).token;
  viewerTokens.set(url, viewerToken);
  return {
    app: server.app,
    url,
    viewerToken,
    db: opened.db,
    config,
    metricsUrl: server.metricsUrl ?? null,
    async createKey(units) {
      return (await server.app.get(KeysService).create({ unitCodes: units })).key;
    },
    async close() {
      await server.close();
      await opened.close();
    },
    closeDatabase: () => opened.close(),
  };
}

export interface Point {
  metric: string;
  unit: string;
  ts: string;
  value: number;
}

export async function push(url: string, key: string | null, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

export async function getJson(url: string, path: string, token: string | null | undefined = viewerTokens.get(url)) {
  const response = await fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

/** Revokes an agent key through the running app's KeysService; takes the full key ("dxoc_<id>_<secret>") or its id. */
export async function revokeKey(server: TestServer, keyOrId: string): Promise<void> {
  const id = /^dxoc_([a-f0-9]{16})_/.exec(keyOrId)?.[1] ?? keyOrId;
  await server.app.get(KeysService).revoke(id);
}

/**
 * A user of the given role (staff by default; an operator is bound to unit 01) signed in over the API: creates the
 * user through AuthService, logs in with POST /api/v1/auth/login and returns the bearer token and the username.
 */
export async function signInAs(
  server: TestServer,
  role: 'viewer' | 'operator' | 'staff' | 'admin' = 'staff',
): Promise<{ token: string; username: string }> {
  const username = `${role}-${Math.random().toString(36).slice(2, 10)}`;
  const password = 'a long enough password';
  await server.app.get(AuthService).createUser({ username, password, role, unitCode: role === 'operator' ? '01' : null }, 'test');
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as { token?: string };
  if (response.status !== 200 || !body.token) throw new Error(`login as ${role} failed: ${response.status} ${JSON.stringify(body)}`);
  return { token: body.token, username };
}

/** A JSON request with a bearer token; answers { status, body }. */
export async function callJson(url: string, method: string, path: string, token: string | null, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as any };
}
