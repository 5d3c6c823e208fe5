/**
 * Real processes for the end-to-end tests: `dxoc serve` on a temporary data dir (the same spawn the backend's own
 * test support uses, copied because @dxoc/backend depends on this package and the reverse would be a cycle), the
 * backend CLI for keys and viewer tokens, and `dxoc-agent` itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
/** tsx as a loader in the same process (not tsx's CLI, which runs the program in a child): kill -9 must hit the program itself. */
const tsxLoader = pathToFileURL(require.resolve('tsx/esm')).href;
const ingestDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repoDir = path.resolve(ingestDir, '..');
const backendDir = path.join(repoDir, 'backend');
const backendMain = path.join(backendDir, 'src/cli/main.ts');
const agentMain = path.join(ingestDir, 'src/agent/main.ts');
const backendArgs = (args: string[]) => ['--import', tsxLoader, backendMain, ...args];
const agentArgs = (args: string[]) => ['--import', tsxLoader, agentMain, ...args];

/** The child must not inherit a database, data dir or ports from the developer's shell. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'DXOC_DATA_DIR', 'PORT', 'HOST', 'DXOC_AGENT_CONFIG', 'REDIS_URL']) delete env[name];
  // a second backend in the same test run must not fight over the metrics port; decorators need the backend's tsconfig
  return { ...env, DXOC_METRICS_PORT: 'off', DXOC_LOG_LEVEL: 'warn', TSX_TSCONFIG_PATH: path.join(backendDir, 'tsconfig.json'), ...extra };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runProcess(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoDir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
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

/** `npm run dxoc -- <args>` */
export function runBackendCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return runProcess(backendArgs(args), env);
}

/** `dxoc-agent <args>` to completion */
export function runAgentCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runProcess(agentArgs(args), env, 120_000);
}

export interface Backend {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** SIGTERM (or the given signal) and wait for the exit */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `dxoc serve` on the port and data dir given and waits for /api/v1/health. */
export async function startBackend(dataDir: string, port?: number): Promise<Backend> {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, backendArgs(['serve']), {
    cwd: repoDir,
    env: cleanEnv({ DXOC_DATA_DIR: dataDir, PORT: String(chosen), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${chosen}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dxoc serve exited (${child.exitCode}): ${output}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dxoc serve did not become healthy: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    port: chosen,
    dataDir,
    child,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** An agent key for all units and a viewer token (for reading series back), through the CLI like an operator. */
export async function createCredentials(dataDir: string): Promise<{ key: string; viewerToken: string }> {
  const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';
  const [key, token] = await Promise.all([
    runBackendCli(['keys', 'create', '--all-units', '--name', 'agent e2e'], { DXOC_DATA_DIR: dataDir }),
    runBackendCli(['viewer-tokens', 'create', '--name', 'agent e2e'], { DXOC_DATA_DIR: dataDir }),
  ]);
  if (key.code !== 0) throw new Error(`keys create failed: ${key.stderr}`);
  if (token.code !== 0) throw new Error(`viewer-tokens create failed: ${token.stderr}`);
  return { key: lastLine(key.stdout), viewerToken: lastLine(token.stdout) };
}

export interface AgentProcess {
  child: ChildProcess;
  /** the JSON log lines so far */
  events: Record<string, unknown>[];
  output(): string;
  waitFor(predicate: (event: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `dxoc-agent run --config <file> --json` in the background. */
export function startAgentProcess(configFile: string, env: Record<string, string> = {}): AgentProcess {
  return startAgentCommand(['run', '--config', configFile, '--json'], env);
}

/** `dxoc-agent <args>` in the background (give --json to read its events). */
export function startAgentCommand(args: string[], env: Record<string, string> = {}): AgentProcess {
  const child = spawn(process.execPath, agentArgs(args), { cwd: repoDir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const events: Record<string, unknown>[] = [];
  let text = '';
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        events.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line (npm or tsx noise)
      }
    }
  });
  child.stderr?.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    events,
    output: () => text,
    async waitFor(predicate, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(predicate);
        if (found) return found;
        if (child.exitCode !== null) throw new Error(`the agent exited (${child.exitCode}) before ${what}:\n${text}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; agent output:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

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

/** GET a read endpoint with the viewer token. */
export async function readApi<T = Record<string, any>>(url: string, pathAndQuery: string, viewerToken: string): Promise<T> {
  const response = await fetch(`${url}${pathAndQuery}`, { headers: { authorization: `Bearer ${viewerToken}` } });
  if (!response.ok) throw new Error(`GET ${pathAndQuery} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function series(url: string, viewerToken: string, metric: string, unit: string): Promise<{ ts: string; value: number }[]> {
  const body = await readApi<{ points: { ts: string; value: number }[] }>(url, `/api/v1/series?metric=${encodeURIComponent(metric)}&unit=${encodeURIComponent(unit)}&from=2000-01-01T00:00:00Z`, viewerToken);
  return body.points;
}

/** Polls until check() returns a value (not undefined) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
