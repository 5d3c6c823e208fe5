/** `dxoc-agent run`: the sources feed the disk queue, the deliverer empties it into the API. */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock, Random } from './clock';
import { createIngestClient, type FetchLike } from './client';
import type { AgentConfig } from './config';
import { Deliverer, StatusFile } from './delivery';
import { plural, type Logger } from './log';
import { DiskQueue } from './queue';
import { SOURCES, type FetchJson, type PgClientFactory, type SourceContext, type SourceRegistry } from './sources';
import { isProcessAlive } from '@dxoc/contracts/process';

export interface AgentDependencies {
  clock: Clock;
  random: Random;
  logger: Logger;
  /** the API client's transport (tests) */
  fetch?: FetchLike;
  /** the http sources' transport (tests) */
  fetchSource?: FetchJson;
  /** the sql sources' client (tests) */
  pgClient?: PgClientFactory;
  /** the kinds of source: the one the configuration was loaded with (default: every built-in kind) */
  sources?: SourceRegistry;
}

export class AgentLockedError extends Error {}

/** One agent per state dir: two would send the same batches and race on the journal. A lock left by a dead process is taken over. */
export async function lockStateDir(stateDir: string): Promise<() => Promise<void>> {
  const file = path.join(stateDir, 'agent.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return async () => {
        if ((await readLockPid(stateDir)) === process.pid) await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = await readLockPid(stateDir);
      if (pid !== null && pid !== process.pid && isProcessAlive(pid))
        throw new AgentLockedError(`another dxoc-agent (pid ${pid}) uses the state dir ${stateDir}`);
      await rm(file, { force: true }); // its process is gone (killed, crashed): the lock is stale
    }
  }
  throw new AgentLockedError(`cannot lock ${stateDir}`);
}

export async function readLockPid(stateDir: string): Promise<number | null> {
  const text = await readFile(path.join(stateDir, 'agent.lock'), 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export interface RunningAgent {
  queue: DiskQueue;
  /** resolves when everything has stopped after signal aborted */
  done: Promise<void>;
}

/** Starts the agent; it stops when signal aborts (the open batch is sealed so the next start sends it). */
export async function startAgent(config: AgentConfig, deps: AgentDependencies, signal: AbortSignal): Promise<RunningAgent> {
  const { clock, random, logger } = deps;
  const { stateDir } = config.agent;
  const { mkdir } = await import('node:fs/promises');
  await mkdir(stateDir, { recursive: true });
  const unlock = await lockStateDir(stateDir);
  const queue = await DiskQueue.open({
    stateDir,
    agentName: config.agent.name,
    maxPoints: config.delivery.maxPoints,
    flushIntervalMs: config.delivery.flushIntervalMs,
    flushJitterMs: config.delivery.flushJitterMs,
    clock,
    random,
  });
  const status = await StatusFile.open(stateDir, { agent: config.agent.name, api: config.api.url, now: clock.now() });
  const client = createIngestClient({
    apiUrl: config.api.url,
    key: config.api.key,
    timeoutMs: config.api.timeoutMs,
    fetch: deps.fetch,
    now: clock.now,
  });
  const deliverer = new Deliverer({
    queue,
    client,
    clock,
    random,
    logger,
    status,
    retry: { initialMs: config.delivery.retryInitialMs, maxMs: config.delivery.retryMaxMs },
  });
  const registry = deps.sources ?? SOURCES;
  const context = { agent: sourceSettings(config), queue, logger, clock, fetch: deps.fetchSource, pgClient: deps.pgClient };
  const sources = config.sources.map((source) => registry.create(source, context));
  const depth = await queue.depth();
  logger.log(
    'info',
    'agent.start',
    `dxoc-agent "${config.agent.name}" started: ${plural(sources.length, 'source')} (${config.sources.map((s) => `${s.name}: ${s.kind}`).join(', ') || 'none'}), API ${config.api.url}, state in ${stateDir}, ${plural(depth.batches, 'batch', 'batches')} (${plural(depth.points, 'point')}) waiting in the queue`,
    {
      agent: config.agent.name,
      api: config.api.url,
      stateDir,
      queuedBatches: depth.batches,
      queuedPoints: depth.points,
    },
  );
  const done = (async () => {
    try {
      await Promise.all([deliverer.run(signal), ...sources.map((s) => s.run(signal))]);
    } finally {
      await queue.close();
      const left = await queue.depth();
      await status.save(clock.now());
      await unlock();
      logger.log(
        'info',
        'agent.stop',
        `dxoc-agent "${config.agent.name}" stopped; ${plural(left.batches, 'batch', 'batches')} (${plural(left.points, 'point')}) wait in the queue for the next start`,
        {
          queuedBatches: left.batches,
          queuedPoints: left.points,
        },
      );
    }
  })();
  return { queue, done };
}

/** What a source needs to know of the agent (SourceContext.agent). */
export function sourceSettings(config: AgentConfig): SourceContext['agent'] {
  return {
    name: config.agent.name,
    stateDir: config.agent.stateDir,
    offsetMinutes: config.agent.offsetMinutes,
    maxPoints: config.delivery.maxPoints,
  };
}
