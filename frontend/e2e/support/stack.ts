/**
 * The whole product for the browser tests: the real backend on a fresh embedded database, the built frontend
 * served by `vite preview` with /api and /socket.io proxied to it (as `npm start` does), users and tokens
 * created the way an administrator would, and demo figures pushed through the ingest API.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, runBackendCli, startBackendProcess } from '@dxoc/contracts/testing';
import { build, preview } from 'vite';
import { demoBatches, pushBatches } from './demo-data';

export const frontendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PASSWORD = 'e2e-password-0123';

export interface Stack {
  backendUrl: string;
  url: string;
  tokens: { admin: string; viewer: string; agentKey: string };
  api<T>(method: string, route: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  /** stops the backend process only (SIGTERM), leaving the frontend server up: the wall loses its backend */
  stopBackend(): Promise<void>;
  /** starts the backend again on the same port with the same data directory (after stopBackend) */
  startBackend(): Promise<void>;
  stop(): Promise<void>;
}

/** The production build of the frontend into outDir (which it empties first). */
export async function buildFrontend(outDir: string): Promise<void> {
  await build({ root: frontendDir, logLevel: 'warn', configFile: path.join(frontendDir, 'vite.config.ts'), build: { outDir } });
}

/**
 * A backend data directory as a fresh installation has it once its administrator made the first account: `dxoc users
 * create --username admin --role admin` on an empty DXOC_DATA_DIR (the embedded database created, migrated and
 * seeded by that command). The browser tests make one per run (run-once.ts) and every stack starts on a copy.
 */
export async function prepareBackendData(dataDir: string): Promise<void> {
  const created = await runBackendCli(['users', 'create', '--username', 'admin', '--role', 'admin'], {
    DXOC_DATA_DIR: dataDir,
    DXOC_PASSWORD: PASSWORD,
  });
  if (created.code !== 0) throw new Error(`users create: ${created.stderr}`);
}

export interface StackOptions {
  /**
   * A build to serve (the browser tests' one build per run, run-once.ts); without it the stack builds its own into
   * its temporary directory, never into frontend/dist (a build empties its outDir, and a shared one was emptied under
   * another stack's preview server).
   */
  dist?: string;
  /**
   * A data directory from prepareBackendData to start on a copy of (the browser tests' one per run); without it the
   * backend creates its database and the stack its administrator, as prepareBackendData does.
   */
  data?: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-frontend-e2e-'));
  const env = { DXOC_DATA_DIR: path.join(dataDir, 'data'), DXOC_PASSWORD: PASSWORD };
  const outDir = options.dist ?? path.join(dataDir, 'dist');
  if (options.data) cpSync(options.data, env.DXOC_DATA_DIR, { recursive: true });
  // build while the backend starts
  let [server] = await Promise.all([startBackendProcess(env), options.dist ? undefined : buildFrontend(outDir)]);
  try {
    const api = async <T>(method: string, route: string, body?: unknown, token?: string) => {
      const headers: Record<string, string> = {};
      if (token) headers.Authorization = `Bearer ${token}`;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(`${server.url}${route}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    };
    // the first administrator comes from the command line, everything else through the API
    if (!options.data) await prepareBackendData(env.DXOC_DATA_DIR);
    const login = await api<{ token: string }>('POST', '/api/v1/auth/login', { username: 'admin', password: PASSWORD });
    const admin = login.body.token;
    for (const user of [
      { username: 'staff1', role: 'staff' },
      { username: 'viewer1', role: 'viewer' },
      { username: 'op79', role: 'operator', unitCode: '79' },
    ]) {
      const response = await api('POST', '/api/v1/users', { ...user, password: PASSWORD }, admin);
      if (response.status >= 300) throw new Error(`create user ${user.username}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    const viewer = await api<{ token: string }>('POST', '/api/v1/viewer-tokens', { name: 'Phòng họp (e2e)' }, admin);
    const key = await api<{ key: string }>('POST', '/api/v1/keys', { units: 'all', name: 'e2e demo' }, admin);
    if (!viewer.body?.token || !key.body?.key) throw new Error(`tokens: ${JSON.stringify([viewer, key])}`);
    await pushBatches(server.url, key.body.key, demoBatches(Date.now(), 'e2e'));

    const port = await freePort();
    const proxy = {
      '/api': { target: server.url, changeOrigin: false },
      '/socket.io': { target: server.url, ws: true, changeOrigin: false },
    };
    const previewServer = await preview({
      root: frontendDir,
      configFile: path.join(frontendDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port, strictPort: true, proxy },
    });
    return {
      backendUrl: server.url,
      url: `http://127.0.0.1:${port}`,
      tokens: { admin, viewer: viewer.body.token, agentKey: key.body.key },
      api,
      async stopBackend() {
        await server.stop();
      },
      async startBackend() {
        if (server.child.exitCode === null && server.child.signalCode === null) throw new Error('the backend is still running');
        server = await startBackendProcess(env, { port: server.port });
      },
      async stop() {
        await new Promise<void>((resolve) => previewServer.httpServer.close(() => resolve()));
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** One value, now, through the real ingest API. */
export async function pushNow(stack: Stack, metric: string, unit: string, value: number, batchId: string): Promise<void> {
  const ts = new Date(Date.now() - 1000);
  const local = new Date(ts.getTime() + 7 * 3600_000).toISOString().slice(0, 19);
  const response = await fetch(`${stack.backendUrl}/api/v1/ingest`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.tokens.agentKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ batchId, points: [{ metric, unit, ts: `${local}+07:00`, value }] }),
  });
  if (response.status !== 202) throw new Error(`ingest ${batchId}: ${response.status} ${await response.text()}`);
}
