import { parseArgs, type ParseArgsConfig } from 'node:util';
/**
 * What the benchmarks share around the server under test: the real server (`dxoc serve`) in a separate process
 * on a fresh embedded data dir, the CLI against that data dir while it runs (agent keys, users, viewer tokens),
 * temp dirs and cleanups that also run on errors and Ctrl-C, and the exit-code convention (1: the benchmark
 * could not run, 2: bad options; a missed goal is printed, never failed).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProcessAlive } from '@dxoc/contracts/process';
import { commandLine, freePort, killGroup, OutputTail, processTree, request, run, sleep, waitForExit } from './support';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** `npx tsx … backend/src/cli/main.ts`: the dxoc CLI, as `npm run dxoc` runs it. */
export const TSX_ARGS = ['tsx', '--tsconfig', 'backend/tsconfig.json', 'backend/src/cli/main.ts'];

export const out = (line = '') => process.stdout.write(`${line}\n`);

/** Bad command-line options: exit code 2 with the message. */
export class UsageError extends Error {}

/** Parses a benchmark's options; a malformed command line is a UsageError (exit 2), --help prints usage and exits 0. */
export function parseBenchArgs<const T extends ParseArgsConfig['options']>(argv: string[], spec: T, usage: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: spec, allowPositionals: false });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if ((parsed.values as { help?: boolean }).help) {
    for (const line of usage) out(line);
    process.exit(0);
  }
  return parsed.values;
}

export function positive(name: string, text: string | undefined, fallback: number, allowZero = false): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0))
    throw new UsageError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${text}"`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Cleanup: temp dirs, the server and helper processes are removed at the end, on errors, and on Ctrl-C
// ---------------------------------------------------------------------------------------------------------

const cleanups: (() => Promise<void> | void)[] = [];

/** Runs at the end (last registered first). */
export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

export async function cleanupAll(): Promise<void> {
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop() as () => Promise<void> | void;
    try {
      await cleanup();
    } catch (error) {
      process.stderr.write(`cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Runs a benchmark's main and exits with its code after the cleanups; an exception exits 1 ("<name> failed: …"),
 * a UsageError 2. SIGINT/SIGTERM stop the server and remove temp dirs (exit 130).
 */
export function runBenchmark(name: string, main: () => Promise<number>): void {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      process.stderr.write(`\n${signal}: stopping the server and removing temp dirs\n`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }

  main().then(
    async (code) => {
      await cleanupAll();
      process.exit(code);
    },
    async (error: unknown) => {
      process.stderr.write(
        `${name} failed: ${error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      await cleanupAll();
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// The server under test, in a separate process
// ---------------------------------------------------------------------------------------------------------

export interface ServerProcess {
  child: ChildProcess;
  url: URL;
  /** Prometheus /metrics of this server (on a free port of its own) */
  metricsUrl: URL;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  output: OutputTail;
  /** the node process that runs the server (npx → tsx → node), once known */
  serverPid(): number | null;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** directory for the server's V8 CPU profile (--cpu-prof), or null */
  profileDir: string | null;
  /** prefix of the "server ready" line (default "api") */
  label?: string;
  /** a TimescaleDB server's database (DATABASE_URL) instead of a fresh embedded data dir */
  databaseUrl?: string | null;
  /** DXOC_INSTANCE_ID: names the instance in leases and logs when several serve one database */
  instanceId?: string;
  /** V8 flags for the server's node only (e.g. --max-old-space-size=256), not for the benchmark's own processes */
  nodeOptions?: string;
}

/**
 * The environment of the server and of CLI commands against it. The metrics listener gets a free port of its
 * own: the default (9464) is often taken by a server already running on the machine, which would stop startup.
 */
export function serverEnv(
  dataDir: string,
  port: number,
  metricsPort: number,
  server: { databaseUrl?: string | null; instanceId?: string } = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DXOC_DATA_DIR: dataDir,
    DXOC_METRICS_HOST: '127.0.0.1',
    DXOC_METRICS_PORT: String(metricsPort),
    DXOC_RATE_LIMIT_POINTS_PER_SEC: '10000000',
    DXOC_RATE_LIMIT_BATCHES_PER_SEC: '100000',
  };
  // the embedded database is what is measured, unless the benchmark was given a server (its own fresh database)
  if (server.databaseUrl) env.DATABASE_URL = server.databaseUrl;
  else delete env.DATABASE_URL;
  if (server.instanceId) env.DXOC_INSTANCE_ID = server.instanceId;
  return env;
}

/**
 * `dxoc serve` on a fresh embedded data dir in a temp dir, or on options.databaseUrl; resolves once GET
 * /api/v1/health answers 200.
 */
export async function startServer(options: StartServerOptions): Promise<ServerProcess> {
  const dir = tempDir('dxoc-bench-api-');
  const dataDir = path.join(dir, 'data');
  const port = await freePort();
  const metricsPort = await freePort();
  const env = serverEnv(dataDir, port, metricsPort, options);
  if (options.nodeOptions) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} ${options.nodeOptions}`.trim();
  // Node 20 refuses --cpu-prof in NODE_OPTIONS; tsx passes node flags before the script to the node it starts.
  const nodeFlags = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const output = new OutputTail();
  // detached: its own process group, so SIGTERM reaches npx, tsx and the node process that serves.
  const [tsx, ...tsxArgs] = TSX_ARGS;
  const child = spawn('npx', [tsx as string, ...nodeFlags, ...tsxArgs, 'serve'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  let pid: number | null = null;
  let healthy = false;
  const serverPid = () => {
    if (pid !== null) return pid;
    if (options.databaseUrl) {
      // no lock file on a server database: the deepest process running the CLI's serve (npx → tsx → node)
      const tree = child.pid === undefined ? [] : processTree(child.pid);
      const serving = tree.filter((p) => /backend\/src\/cli\/main\.ts serve/.test(commandLine(p) ?? ''));
      const last = serving[serving.length - 1];
      // npx and tsx run the same command line: once the server answers, the deepest of them is the one serving
      if (healthy && last !== undefined) pid = last;
      return last ?? null;
    }
    try {
      // the server writes its pid into the data dir's lock file (backend/src/db/embedded-host.ts)
      const lock = JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8')) as { pid?: number };
      if (typeof lock.pid === 'number') pid = lock.pid;
    } catch {
      const tree = child.pid === undefined ? [] : processTree(child.pid);
      return tree.length > 1 ? (tree[tree.length - 1] as number) : null;
    }
    return pid;
  };
  let stopped = false;
  const server: ServerProcess = {
    child,
    url: new URL(`http://127.0.0.1:${port}`),
    metricsUrl: new URL(`http://127.0.0.1:${metricsPort}/metrics`),
    dataDir,
    env,
    output,
    serverPid,
    async stop() {
      if (stopped) return;
      stopped = true;
      const node = serverPid();
      // SIGTERM to the server's own process, not to the group: tsx relays a signal to its child and SIGKILLs it
      // when the child does not acknowledge it within ~60 ms, which a busy event loop cannot — the server would
      // then die without closing its database or writing its CPU profile. npx and tsx exit when it exits.
      if (node !== null && isProcessAlive(node)) process.kill(node, 'SIGTERM');
      else killGroup(child, 'SIGTERM');
      const deadline = Date.now() + 20_000;
      while (node !== null && isProcessAlive(node) && Date.now() < deadline) await sleep(100);
      const exited = await waitForExit(child, Math.max(1_000, deadline - Date.now()));
      if (!exited || (node !== null && isProcessAlive(node))) {
        process.stderr.write('server did not stop within 20 s of SIGTERM: killing it\n');
        killGroup(child, 'SIGKILL');
        if (node !== null && isProcessAlive(node)) process.kill(node, 'SIGKILL');
        await waitForExit(child, 5_000);
      }
    },
  };
  cleanups.push(() => server.stop());

  const agent = new http.Agent({ keepAlive: false });
  const deadline = Date.now() + 180_000;
  const startedAt = performance.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before answering /api/v1/health:\n${output}`);
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer GET /api/v1/health with 200 within 180 s:\n${output}`);
    try {
      const health = await request(agent, new URL('/api/v1/health', server.url), 'GET', {});
      if (health.status === 200) {
        healthy = true;
        break;
      }
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  agent.destroy();
  out(
    `${options.label ?? 'api'}: server pid ${serverPid() ?? '?'} ready on ${server.url.origin} after ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
  );
  return server;
}

// ---------------------------------------------------------------------------------------------------------
// The CLI against the running server's data dir
// ---------------------------------------------------------------------------------------------------------

/** Runs `dxoc <args>` against the server's database and returns its stdout. */
export function dxoc(server: ServerProcess, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  return run('npx', [...TSX_ARGS, ...args], { cwd: REPO_ROOT, env: { ...server.env, ...extraEnv }, timeoutMs: 120_000 });
}

function lastLine(stdout: string): string {
  return stdout.trim().split('\n').pop()?.trim() ?? '';
}

/** An agent key for all units (`keys create --all-units`); the key is the last line of stdout. */
export async function createKey(server: ServerProcess, name = 'ingest benchmark'): Promise<string> {
  const stdout = await dxoc(server, ['keys', 'create', '--all-units', '--name', name]);
  const key = lastLine(stdout);
  if (!/^dxoc_[a-f0-9]{16}_[A-Za-z0-9_-]{43}$/.test(key)) throw new Error(`keys create did not print a key as its last line:\n${stdout}`);
  return key;
}

/** A wall's viewer token (`viewer-tokens create`); the token is the last line of stdout. */
export async function createViewerToken(server: ServerProcess, name: string): Promise<string> {
  const stdout = await dxoc(server, ['viewer-tokens', 'create', '--name', name]);
  const token = lastLine(stdout);
  if (!/^dxv_[A-Za-z0-9_-]{43}$/.test(token)) throw new Error(`viewer-tokens create did not print a token as its last line:\n${stdout}`);
  return token;
}

/** A user (`users create`), with the password from DXOC_PASSWORD. */
export async function createUser(
  server: ServerProcess,
  username: string,
  role: 'viewer' | 'staff' | 'admin',
  password: string,
): Promise<void> {
  await dxoc(server, ['users', 'create', '--username', username, '--role', role], { DXOC_PASSWORD: password });
}
