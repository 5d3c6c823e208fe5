/** The dxoc-agent command line: run, check, backfill, status, simulate. */
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runSimulator, SimulatorError } from '../simulator/simulate';
import { isProcessAlive } from '@dxoc/contracts/process';
import { AgentLockedError, readLockPid, startAgent } from './agent';
import { BackfillError, backfill, createProgress, summaryLines } from './backfill';
import { checkAgent } from './check';
import { systemClock } from './clock';
import { ConfigFileError, loadAgentConfig } from './config';
import { readStatus } from './delivery';
import { createLogger, plural } from './log';
import { queueDepth, queuePaths } from './queue';

export const USAGE = `dxoc-agent — sends a unit's indicator values to the dxoc ingest API

Usage: dxoc-agent <command> [options]

  run       [--config <file>]        read the sources and deliver to the API until stopped (Ctrl-C)
  check     [--config <file>]        check the configuration, try the key, read each source once (sends nothing)
  backfill  <file> [--config <file>] [--source <name>]
                                     send a historical CSV/XLSX now, with a progress bar and a summary
  status    [--config <file>]        queue depth, last success, last error
  simulate  --api <url> --key <key> | --key-file <file>
            --viewer-token <token> | --viewer-token-file <file>
            [--state-dir <dir>] [--history-days 30] [--step-seconds 30] [--bad-values-per-hour 6] [--seed 2026]
                                     the demo: every unit of the catalog, through the real API

  --json     one JSON object per line instead of text (for machines)
  --config   default: $DXOC_AGENT_CONFIG, else ./dxoc-agent.yaml`;

class UsageError extends Error {}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  stderr: NodeJS.WriteStream | { isTTY?: boolean; write(text: string): boolean };
  /** aborted on SIGINT / SIGTERM */
  signal: AbortSignal;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  try {
    switch (command) {
      case 'run':
        return await run(rest, io);
      case 'check':
        return await check(rest, io);
      case 'backfill':
        return await backfillCommand(rest, io);
      case 'status':
        return await status(rest, io);
      case 'simulate':
        return await simulate(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      io.err(`dxoc-agent: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigFileError) {
      io.err(`dxoc-agent: the configuration has ${plural(error.problems.length, 'problem')}:\n${error.message}`);
      return 1;
    }
    if (error instanceof AgentLockedError || error instanceof BackfillError || error instanceof SimulatorError) {
      io.err(`dxoc-agent: ${error.message}`);
      return 1;
    }
    io.err(`dxoc-agent: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

const common = { config: { type: 'string' }, json: { type: 'boolean' }, debug: { type: 'boolean' } } as const;

/** Paths given on the command line are relative to where the command was typed (npm run -w changes the working directory). */
function fromInvocation(file: string, env: NodeJS.ProcessEnv): string {
  return path.resolve(env.INIT_CWD ?? process.cwd(), file);
}

function configPath(value: string | undefined, env: NodeJS.ProcessEnv): string {
  return fromInvocation(value ?? env.DXOC_AGENT_CONFIG ?? 'dxoc-agent.yaml', env);
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: common });
  const config = loadAgentConfig(configPath(values.config, io.env), io.env);
  const logger = createLogger({ json: Boolean(values.json), write: io.out, debug: values.debug });
  const agent = await startAgent(config, { clock: systemClock, random: Math.random, logger }, io.signal);
  await agent.done;
  return 0;
}

async function check(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: common });
  const config = loadAgentConfig(configPath(values.config, io.env), io.env);
  const items = await checkAgent(config, { clock: systemClock });
  for (const item of items) io.out(values.json ? JSON.stringify(item) : `${item.ok ? 'ok  ' : 'FAIL'}  ${item.name}: ${item.message}`);
  const failed = items.filter((i) => !i.ok).length;
  if (!values.json) io.out(failed === 0 ? 'ready' : `${plural(failed, 'check')} failed`);
  return failed === 0 ? 0 : 1;
}

async function backfillCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...common, source: { type: 'string' } } });
  const [given] = positionals;
  if (!given) throw new UsageError('backfill needs the file to send');
  const file = fromInvocation(given, io.env);
  if (!existsSync(file)) throw new BackfillError(`${file} does not exist`);
  const config = loadAgentConfig(configPath(values.config, io.env), io.env);
  const logger = createLogger({ json: Boolean(values.json), write: io.err, debug: values.debug });
  const summary = await backfill(config, file, {
    source: values.source,
    clock: systemClock,
    random: Math.random,
    logger,
    progress: createProgress(io.stderr, !values.json),
    signal: io.signal,
  });
  if (values.json) {
    io.out(JSON.stringify({ ...summary, rejectedRows: summary.rejectedRows.map((r) => ({ row: r.row, problems: r.problems })) }));
  } else {
    for (const line of summaryLines(summary)) io.out(line);
  }
  return summary.interrupted ? 1 : summary.rejectedRows.length + summary.refused.length > 0 ? 3 : 0;
}

async function status(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: common });
  const config = loadAgentConfig(configPath(values.config, io.env), io.env);
  const { stateDir } = config.agent;
  const [depth, saved, pid, deadLetters] = await Promise.all([
    queueDepth(stateDir),
    readStatus(stateDir),
    readLockPid(stateDir),
    readdir(queuePaths(stateDir).deadLetter).then(
      (names) => names.filter((n) => n.endsWith('.json')),
      () => [] as string[],
    ),
  ]);
  const running = pid !== null && isProcessAlive(pid);
  if (values.json) {
    io.out(
      JSON.stringify({
        agent: config.agent.name,
        stateDir,
        running,
        pid: running ? pid : null,
        queue: depth,
        deadLetter: deadLetters.length,
        lastSuccess: saved?.lastSuccess ?? null,
        lastError: saved?.lastError ?? null,
        retrying: running ? (saved?.retrying ?? null) : null,
      }),
    );
    return 0;
  }
  const ago = (iso: string) => {
    const seconds = Math.round((systemClock.now() - Date.parse(iso)) / 1000);
    return seconds < 120
      ? `${seconds} s ago`
      : seconds < 7200
        ? `${Math.round(seconds / 60)} min ago`
        : `${Math.round(seconds / 3600)} h ago`;
  };
  io.out(`agent "${config.agent.name}": ${running ? `running (pid ${pid})` : 'not running'}; state in ${stateDir}`);
  io.out(
    `queue: ${plural(depth.batches, 'batch', 'batches')}, ${plural(depth.points, 'point')} waiting${depth.oldestCreatedAt ? ` (oldest queued ${depth.oldestCreatedAt}, ${ago(depth.oldestCreatedAt)})` : ''}`,
  );
  const success = saved?.lastSuccess;
  io.out(
    `last success: ${success ? `${success.at} (${ago(success.at)}): batch ${success.batchId}, ${plural(success.points, 'point')}${success.duplicate ? ', already stored' : ''}` : 'none yet'}`,
  );
  const error = saved?.lastError;
  io.out(
    `last error: ${error ? `${error.at} (${ago(error.at)}): ${error.status ?? 'no answer'} ${error.error}: ${error.message}` : 'none'}`,
  );
  if (running && saved?.retrying)
    io.out(
      `retrying since ${saved.retrying.since} (${plural(saved.retrying.attempts, 'attempt')}), next at ${saved.retrying.nextAttemptAt}`,
    );
  io.out(`dead-letter: ${plural(deadLetters.length, 'file')}${deadLetters.length > 0 ? ` in ${queuePaths(stateDir).deadLetter}` : ''}`);
  return 0;
}

async function simulate(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
      api: { type: 'string' },
      key: { type: 'string' },
      'key-file': { type: 'string' },
      'viewer-token': { type: 'string' },
      'viewer-token-file': { type: 'string' },
      'state-dir': { type: 'string' },
      'history-days': { type: 'string' },
      'step-seconds': { type: 'string' },
      'bad-values-per-hour': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const secret = async (direct: string | undefined, file: string | undefined, what: string) => {
    if (direct) return direct;
    if (file) return (await readFile(fromInvocation(file, io.env), 'utf8')).trim();
    throw new UsageError(`simulate needs --${what} or --${what}-file`);
  };
  const number = (text: string | undefined, fallback: number, name: string, min: number) => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min) throw new UsageError(`--${name} must be a number of at least ${min}, got "${text}"`);
    return value;
  };
  const apiUrl = (values.api ?? io.env.DXOC_API_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  const logger = createLogger({ json: Boolean(values.json), write: io.out, debug: values.debug });
  await runSimulator(
    {
      apiUrl,
      key: await secret(values.key, values['key-file'], 'key'),
      viewerToken: await secret(values['viewer-token'], values['viewer-token-file'], 'viewer-token'),
      stateDir: fromInvocation(values['state-dir'] ?? '.dxoc/simulator', io.env),
      historyDays: number(values['history-days'], 30, 'history-days', 0),
      stepSeconds: number(values['step-seconds'], 30, 'step-seconds', 1),
      badValuesPerHour: number(values['bad-values-per-hour'], 6, 'bad-values-per-hour', 0),
      seed: number(values.seed, 2026, 'seed', 0),
      clock: systemClock,
      random: Math.random,
      logger,
    },
    io.signal,
  );
  return 0;
}
