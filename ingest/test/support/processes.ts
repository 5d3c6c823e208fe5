/**
 * Real processes for the end-to-end tests: `dxoc serve` on a temporary data dir and the backend CLI for keys and
 * viewer tokens (through @dxoc/contracts/testing, the spawn every workspace's tests share), and `dxoc-agent` itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  childEnv,
  freePort,
  repoDir,
  runBackendCli as runCli,
  runNode,
  startBackendProcess,
  typescriptArgs,
  type BackendProcess,
  type ProcessResult,
} from '@dxoc/contracts/testing';

export { freePort };

const agentMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/agent/main.ts');
const agentArgs = (args: string[]) => typescriptArgs(agentMain, args);
/** the backends and agents of these tests log warnings and errors only */
const quiet = (env: Record<string, string>) => ({ DXOC_LOG_LEVEL: 'warn', ...env });

/** `npm run dxoc -- <args>` */
export function runBackendCli(args: string[], env: Record<string, string>): Promise<ProcessResult> {
  return runCli(args, quiet(env));
}

/** `dxoc-agent <args>` to completion */
export function runAgentCli(args: string[], env: Record<string, string> = {}): Promise<ProcessResult> {
  return runNode(agentArgs(args), quiet(env), 120_000);
}

export interface Backend extends BackendProcess {
  dataDir: string;
}

/** Starts `dxoc serve` on the port and data dir given and waits for /api/v1/health. */
export async function startBackend(dataDir: string, port?: number): Promise<Backend> {
  const backend = await startBackendProcess(quiet({ DXOC_DATA_DIR: dataDir }), { port, timeoutMs: 90_000 });
  return { ...backend, dataDir };
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
  const child = spawn(process.execPath, agentArgs(args), { cwd: repoDir, env: childEnv(quiet(env)), stdio: ['ignore', 'pipe', 'pipe'] });
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

/** GET a read endpoint with the viewer token. */
export async function readApi<T = Record<string, any>>(url: string, pathAndQuery: string, viewerToken: string): Promise<T> {
  const response = await fetch(`${url}${pathAndQuery}`, { headers: { authorization: `Bearer ${viewerToken}` } });
  if (!response.ok) throw new Error(`GET ${pathAndQuery} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function series(url: string, viewerToken: string, metric: string, unit: string): Promise<{ ts: string; value: number }[]> {
  const body = await readApi<{ points: { ts: string; value: number }[] }>(
    url,
    `/api/v1/series?metric=${encodeURIComponent(metric)}&unit=${encodeURIComponent(unit)}&from=2000-01-01T00:00:00Z`,
    viewerToken,
  );
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
