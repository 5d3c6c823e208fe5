/**
 * `dxoc-agent check`: is this installation ready? The configuration is valid (it was loaded), the API takes the
 * key, the state dir is writable, and every source can be read — without sending anything or moving any file.
 */
import { INGEST_PATH } from '@dxoc/contracts';
import { sourceSettings } from './agent';
import type { Clock } from './clock';
import type { AgentConfig } from './config';
import type { FetchLike } from './client';
import { plural, memoryLogger } from './log';
import { SOURCES, type FetchJson, type PgClientFactory, type SourceRegistry } from './sources';
import { probeWritable } from './sources/source';

export interface CheckItem {
  name: string;
  ok: boolean;
  message: string;
}

/** The key is tried with an empty batch: the API authenticates first and then refuses the batch, so nothing is stored. */
export async function checkKey(
  apiUrl: string,
  key: string,
  timeoutMs: number,
  doFetch: FetchLike = (u, i) => fetch(u, i),
): Promise<CheckItem> {
  const url = `${apiUrl}${INGEST_PATH}`;
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ batchId: 'dxoc-agent-check', points: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
    if (response.status === 400 && body.error === 'invalid_batch')
      return { name: 'api key', ok: true, message: `the API at ${apiUrl} accepts the key` };
    if (response.status === 401)
      return { name: 'api key', ok: false, message: `the API at ${apiUrl} refuses the key: ${body.message ?? 'unauthorized'}` };
    return {
      name: 'api key',
      ok: false,
      message: `POST ${url} answered ${response.status}${body.message ? `: ${body.message}` : ''}; is api.url the dxoc API?`,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { name: 'api key', ok: false, message: `the API at ${apiUrl} did not answer (${cause ?? (error as Error).message})` };
  }
}

export interface CheckDependencies {
  clock: Clock;
  /** the API client's transport (tests) */
  fetch?: FetchLike;
  /** the http sources' transport (tests) */
  fetchSource?: FetchJson;
  /** the sql sources' client (tests) */
  pgClient?: PgClientFactory;
  /** the kinds of source: the one the configuration was loaded with (default: every built-in kind) */
  sources?: SourceRegistry;
}

export async function checkAgent(config: AgentConfig, deps: CheckDependencies): Promise<CheckItem[]> {
  const items: CheckItem[] = [
    {
      name: 'configuration',
      ok: true,
      message: `${config.file} is valid: agent "${config.agent.name}", ${plural(config.sources.length, 'source')}`,
    },
  ];
  items.push(await checkKey(config.api.url, config.api.key, config.api.timeoutMs, deps.fetch));
  items.push({ name: 'state dir', ...(await probeWritable(config.agent.stateDir)) });
  // check only reads: a queue that refuses makes sure of it
  const refuse = () => Promise.reject(new Error('check never queues data'));
  const registry = deps.sources ?? SOURCES;
  const context = {
    agent: sourceSettings(config),
    queue: { append: refuse, enqueueBatch: refuse },
    logger: memoryLogger(),
    clock: deps.clock,
    fetch: deps.fetchSource,
    pgClient: deps.pgClient,
  };
  for (const source of config.sources) {
    const name = `source ${source.name} (${source.kind})`;
    try {
      items.push({ name, ...(await registry.create(source, context).check()) });
    } catch (error) {
      items.push({ name, ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return items;
}
