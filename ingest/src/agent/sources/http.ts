/**
 * Polls a JSON endpoint of a local system (a provincial one-stop-shop, a ministry's portal) on an interval and
 * maps each item with JSON paths. Items that cannot be read are logged with the reason and skipped: the next
 * poll reads the endpoint again, so there is no file to set aside.
 */
import { z } from 'zod';
import type { Clock } from '../clock';
import { selectAll, parseJsonPath } from '../jsonpath';
import { plural, type Logger } from '../log';
import { compileMappings, mapRecord, type CompiledMapping } from '../mapping';
import type { DiskQueue, LabeledPoint } from '../queue';
import { JsonPathSchema, seconds } from '../schema';
import { logSkipped, readSummary, sourceSchema, type CheckResult, type FetchJson, type RunningSource, type Source } from './source';

const HttpSourceSchema = sourceSchema('http', {
  url: z.url(),
  intervalSeconds: seconds(60),
  timeoutSeconds: seconds(10),
  headers: z.record(z.string(), z.string()).default({}),
  /** where the records are in the document: "$" (the document, or each element if it is a list), "$.data.items[*]" */
  items: JsonPathSchema.default('$'),
});

export type HttpSourceConfig = z.infer<typeof HttpSourceSchema>;

export const httpSource: Source<'http', HttpSourceConfig> = {
  kind: 'http',
  reads: 'json',
  schema: HttpSourceSchema,
  resolve: (entry) => entry,
  create: (config, { agent, queue, logger, clock, fetch }) =>
    new HttpSource({ config, offsetMinutes: agent.offsetMinutes, queue, logger, clock, fetch }),
};

export interface HttpPollResult {
  items: number;
  points: LabeledPoint[];
  problems: string[];
}

export interface HttpSourceOptions {
  config: HttpSourceConfig;
  offsetMinutes: number;
  queue: Pick<DiskQueue, 'append'>;
  logger: Logger;
  clock: Clock;
  fetch?: FetchJson;
}

export class HttpSource implements RunningSource {
  private readonly compiled: CompiledMapping[];
  private readonly doFetch: FetchJson;

  constructor(private readonly o: HttpSourceOptions) {
    this.compiled = compileMappings(o.config.mapping);
    this.doFetch = o.fetch ?? ((url, init) => fetch(url, init));
  }

  get name(): string {
    return this.o.config.name;
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.pollOnce().catch((error: unknown) =>
        this.o.logger.log(
          'warn',
          'http.poll_failed',
          `${this.name}: ${(error as Error).message}; next poll in ${this.o.config.intervalSeconds} s`,
          { source: this.name },
        ),
      );
      await this.o.clock.sleep(this.o.config.intervalSeconds * 1000, signal);
    }
  }

  /** Reads the endpoint once and maps it, without queueing (also used by `check`). */
  async read(): Promise<HttpPollResult> {
    const { config } = this.o;
    let response: Response;
    try {
      response = await this.doFetch(config.url, {
        headers: { accept: 'application/json', ...config.headers },
        signal: AbortSignal.timeout(config.timeoutSeconds * 1000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new Error(`GET ${config.url} failed (${cause ?? (error as Error).message})`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${config.url} answered ${response.status}: ${text.slice(0, 200)}`);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new Error(`GET ${config.url} did not answer JSON: ${text.slice(0, 100)}`);
    }
    const selected = selectAll(parseJsonPath(config.items), document);
    // "$" on a list means its elements: the common shape of such endpoints
    const items = config.items === '$' && Array.isArray(document) ? document : selected;
    const now = this.o.clock.now();
    const points: LabeledPoint[] = [];
    const problems: string[] = [];
    items.forEach((item, index) => {
      const mapped = mapRecord({ kind: 'item', item }, this.compiled, { offsetMinutes: this.o.offsetMinutes, now });
      if (mapped.problems.length > 0) problems.push(`item ${index}: ${mapped.problems.join('; ')}`);
      else for (const point of mapped.points) points.push({ point, origin: `${this.name} item ${index}` });
    });
    return { items: items.length, points, problems };
  }

  /** For `check`: reads and maps, queues nothing. */
  async check(): Promise<CheckResult> {
    const result = await this.read();
    return readSummary(plural(result.items, 'item'), result);
  }

  async pollOnce(): Promise<HttpPollResult> {
    const result = await this.read();
    const { logger } = this.o;
    if (result.points.length > 0) await this.o.queue.append(result.points);
    logSkipped(logger, 'http.items_skipped', this.name, { problems: result.problems, of: result.items, what: 'item' });
    logger.log(
      result.points.length > 0 ? 'info' : 'warn',
      'http.polled',
      `${this.name}: ${plural(result.points.length, 'value')} from ${plural(result.items, 'item')} queued`,
      { source: this.name, points: result.points.length },
    );
    return result;
  }
}
