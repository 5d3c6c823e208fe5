/**
 * `dxoc-agent check`: is this installation ready? The configuration is valid (it was loaded), the API takes the
 * key, the state dir is writable, and every source can be read — without sending anything or moving any file.
 */
import { access, constants, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { INGEST_PATH } from '@dxoc/contracts';
import type { Clock } from './clock';
import type { AgentConfig } from './config';
import type { FetchLike } from './client';
import { plural, memoryLogger } from './log';
import { formatOf } from './tabular';
import { HttpSource, type FetchJson } from './sources/http';
import { SqlSource } from './sources/sql';

export interface CheckItem {
  name: string;
  ok: boolean;
  message: string;
}

/** The key is tried with an empty batch: the API authenticates first and then refuses the batch, so nothing is stored. */
export async function checkKey(apiUrl: string, key: string, timeoutMs: number, doFetch: FetchLike = (u, i) => fetch(u, i)): Promise<CheckItem> {
  const url = `${apiUrl}${INGEST_PATH}`;
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ batchId: 'dxoc-agent-check', points: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
    if (response.status === 400 && body.error === 'invalid_batch') return { name: 'api key', ok: true, message: `the API at ${apiUrl} accepts the key` };
    if (response.status === 401) return { name: 'api key', ok: false, message: `the API at ${apiUrl} refuses the key: ${body.message ?? 'unauthorized'}` };
    return { name: 'api key', ok: false, message: `POST ${url} answered ${response.status}${body.message ? `: ${body.message}` : ''}; is api.url the dxoc API?` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { name: 'api key', ok: false, message: `the API at ${apiUrl} did not answer (${cause ?? (error as Error).message})` };
  }
}

export async function checkAgent(config: AgentConfig, deps: { clock: Clock; fetch?: FetchLike; fetchSource?: FetchJson }): Promise<CheckItem[]> {
  const items: CheckItem[] = [{ name: 'configuration', ok: true, message: `${config.file} is valid: agent "${config.agent.name}", ${plural(config.sources.length, 'source')}` }];
  items.push(await checkKey(config.api.url, config.api.key, config.api.timeoutMs, deps.fetch));
  items.push(await writable('state dir', config.agent.stateDir));
  // check only reads: a queue that refuses makes sure of it
  const queue = { append: () => Promise.reject(new Error('check never queues data')) };
  const common = { offsetMinutes: config.agent.offsetMinutes, queue, logger: memoryLogger(), clock: deps.clock };
  for (const source of config.sources) {
    const name = `source ${source.name} (${source.kind})`;
    try {
      if (source.kind === 'files') {
        const dirs = await Promise.all([source.dir, source.doneDir, source.failedDir].map((dir) => writable(name, dir)));
        const failed = dirs.find((d) => !d.ok);
        if (failed) {
          items.push(failed);
          continue;
        }
        const waiting = (await readdir(source.dir, { withFileTypes: true })).filter((e) => e.isFile() && formatOf(e.name)).length;
        items.push({ name, ok: true, message: `${source.dir} is ready; ${plural(waiting, 'file')} waiting` });
      } else {
        const reader = source.kind === 'http' ? new HttpSource({ ...common, config: source, fetch: deps.fetchSource }) : new SqlSource({ ...common, config: source, stateDir: config.agent.stateDir });
        const result = source.kind === 'http' ? await (reader as HttpSource).read() : await (reader as SqlSource).read({ readOnly: true });
        const count = 'items' in result ? plural(result.items, 'item') : plural(result.rows, 'row');
        const skipped = result.problems.length > 0 ? `; ${result.problems.length} would be skipped, first: ${result.problems[0]}` : '';
        items.push({ name, ok: true, message: `${count} read, ${plural(result.points.length, 'value')} mapped${skipped}` });
      }
    } catch (error) {
      items.push({ name, ok: false, message: (error as Error).message });
    }
  }
  return items;
}

async function writable(name: string, dir: string): Promise<CheckItem> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    const probe = path.join(dir, `.dxoc-agent-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
    return { name, ok: true, message: `${dir} is writable` };
  } catch (error) {
    return { name, ok: false, message: `${dir} is not writable: ${(error as Error).message}` };
  }
}
