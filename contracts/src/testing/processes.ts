/**
 * Real processes for tests (`@dxoc/contracts/testing`, Node only, never imported outside tests): the dxoc backend
 * run from its TypeScript sources — `dxoc <command>` to completion and `dxoc serve` until it answers — and any
 * other TypeScript program the same way. It lives here because the backend's, the agent's and the browser tests
 * all start the backend, and no workspace may import another's files (nor anything the backend's at all); every
 * workspace already depends on @dxoc/contracts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
/** tsx as a loader in the same process (not tsx's CLI, which runs the program in a child): kill -9 must hit the program itself. */
const tsxLoader = pathToFileURL(require.resolve('tsx/esm')).href;
export const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const backendDir = path.join(repoDir, 'backend');
const backendMain = path.join(backendDir, 'src/cli/main.ts');

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node` arguments that run a TypeScript program (a path) with its arguments. */
export function typescriptArgs(main: string, args: string[]): string[] {
  return ['--import', tsxLoader, main, ...args];
}

/**
 * The environment of a child: the shell's, without what would point it at the developer's database, data dir,
 * ports or agent configuration; then extra.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'DXOC_DATA_DIR', 'PORT', 'HOST', 'DXOC_AGENT_CONFIG', 'REDIS_URL']) delete env[name];
  // a second backend in the same test run must not fight over the metrics port; decorators need the backend's tsconfig
  return { ...env, DXOC_METRICS_PORT: 'off', TSX_TSCONFIG_PATH: path.join(backendDir, 'tsconfig.json'), ...extra };
}

/** Runs `node <args>` from the repository root to completion (SIGKILL after timeoutMs), with childEnv(env). */
export function runNode(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoDir, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `dxoc <args>`, as `npm run dxoc -- <args>` runs it, to completion. */
export function runBackendCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<ProcessResult> {
  return runNode(typescriptArgs(backendMain, args), env, timeoutMs);
}

export interface BackendProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGTERM (or the given signal) and wait for the exit */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `dxoc serve` with childEnv(env) on the port given (a free one by default) and waits for /api/v1/health.
 * A free port can be taken by another process before the child binds it (a busy machine runs many backends): the
 * health answer must then come from the child itself, or a test talks to someone else's backend (a key it just
 * created answered 401 there). So the child must own the listening socket; on a taken free port it starts again
 * on another one.
 */
export async function startBackendProcess(
  env: Record<string, string>,
  options: { port?: number; timeoutMs?: number } = {},
): Promise<BackendProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const started = await startOnPort(env, port, options.timeoutMs ?? 90_000);
    if (typeof started !== 'string') return started;
    if (options.port !== undefined || attempt === 3) throw new Error(started);
  }
}

/** The process, or why the port was not its own (a string: try another port). */
async function startOnPort(env: Record<string, string>, port: number, timeoutMs: number): Promise<BackendProcess | string> {
  const child = spawn(process.execPath, typescriptArgs(backendMain, ['serve']), {
    cwd: repoDir,
    env: childEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      if (/EADDRINUSE/.test(output)) return `port ${port} was taken before dxoc serve bound it: ${output}`;
      throw new Error(`dxoc serve exited (${child.exitCode ?? child.signalCode}): ${output}`);
    }
    try {
      if ((await fetch(`${url}/api/v1/health`)).status === 200) {
        const owner = listeningOwner(port, child.pid);
        if (owner === 'child' || owner === 'unknown') break;
        // someone else answers on the port: unless the child binds it in a moment, it is not ours
        if (Date.now() > deadline) {
          await stop('SIGKILL');
          return `another process answers on port ${port}`;
        }
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dxoc serve did not become healthy: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, port, child, stop };
}

/**
 * Who listens on 127.0.0.1:port, from Linux's /proc: 'child' when one of the child's file descriptors is the
 * listening socket, 'other' when it is someone else's, 'unknown' without /proc (then health alone has to do).
 */
function listeningOwner(port: number, pid: number | undefined): 'child' | 'other' | 'unknown' {
  if (pid === undefined) return 'unknown';
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return 'unknown';
  }
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  // columns: sl local_address rem_address st … inode; LISTEN is st 0A
  const inodes = new Set(
    table
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[1]?.endsWith(`:${portHex}`) && cols[3] === '0A')
      .map((cols) => cols[9]),
  );
  if (inodes.size === 0) return 'other';
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue; // closed meanwhile
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return 'child';
    }
  } catch {
    return 'unknown';
  }
  return 'other';
}

/** A port the OS considers free right now (there is a small race until the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
