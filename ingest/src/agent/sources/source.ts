/**
 * What a kind of source is: its entry in the YAML (a zod schema), how that entry is checked and resolved, and how
 * a running source is made from it. `dxoc-agent run` and `check` know sources only through this interface and
 * the registry (./index.ts); nothing outside a source's own module names its kind.
 */
import { access, constants, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { z } from 'zod';
import type { Clock } from '../clock';
import { plural, type Logger } from '../log';
import type { Mapping } from '../mapping';
import type { DiskQueue, LabeledPoint } from '../queue';
import { MappingsSchema, NameSchema } from '../schema';

/** What every source entry has, whatever its kind. */
export interface SourceConfig {
  name: string;
  kind: string;
  mapping: Mapping[];
}

/** The entry of one kind in `sources:`: sourceSchema(kind, { ...its own fields }). */
export type SourceSchema<Entry extends SourceConfig> = z.ZodType<Entry> & z.core.$ZodTypeDiscriminable;

/** name, kind, the source's own fields, then mapping; unknown fields are refused. */
export function sourceSchema<const Kind extends string, Shape extends z.ZodRawShape>(kind: Kind, shape: Shape) {
  return z.strictObject({ name: NameSchema, kind: z.literal(kind), ...shape, mapping: MappingsSchema });
}

/** A problem at a path inside the source's entry (e.g. ['query']); [] is the entry itself. */
export type Report = (at: PropertyKey[], message: string) => void;

export interface ResolveContext {
  /** a path written in the configuration, relative to the configuration file's folder */
  resolvePath(file: string): string;
  env: NodeJS.ProcessEnv;
  /** a problem stops the start, with the file, the line and the path */
  report: Report;
}

export type FetchJson = (url: string, init: RequestInit) => Promise<Response>;
export type PgClient = Pick<pg.Client, 'connect' | 'query' | 'end' | 'on'>;
export type PgClientFactory = (config: pg.ClientConfig) => PgClient;

/** Everything a running source may use: the agent's settings and narrow, replaceable ways to the outside. */
export interface SourceContext {
  agent: {
    /** prefix of batch ids */
    name: string;
    /** the agent's own files (cursors) */
    stateDir: string;
    /** minutes east of UTC for times written without an offset */
    offsetMinutes: number;
    /** points per batch */
    maxPoints: number;
  };
  /** append: polled values (journal, fsync); enqueueBatch: a whole batch with an id of the source's making. `check` passes one that refuses. */
  queue: Pick<DiskQueue, 'append' | 'enqueueBatch'>;
  clock: Clock;
  logger: Logger;
  /** the transport of sources that read HTTP (default: global fetch) */
  fetch?: FetchJson;
  /** the PostgreSQL client of sources that query a database (default: a pg.Client) */
  pgClient?: PgClientFactory;
}

export interface CheckResult {
  ok: boolean;
  /** the rest of the line `dxoc-agent check` prints after "source <name> (<kind>):" */
  message: string;
}

/** A configured source, made by its kind's create. */
export interface RunningSource {
  readonly name: string;
  /** Reads and queues until signal aborts; a failed read is logged and tried again the next round. */
  run(signal: AbortSignal): Promise<void>;
  /** Reads once without queueing, moving or saving anything; a thrown error is a failed check with its message. */
  check(): Promise<CheckResult>;
}

/**
 * One kind of source. Entry is what its schema gives; Config what resolve makes of it (paths made absolute,
 * secrets read from the environment), the configuration `create` receives.
 *
 * refine, resolve and create are methods on purpose: a Source<'sql', SqlEntry, SqlSourceConfig> is then a
 * Source, and the registry keeps them all in one map. It hands each kind only the entries its own schema parsed.
 */
export interface Source<Kind extends string = string, Entry extends SourceConfig = SourceConfig, Config extends SourceConfig = Entry> {
  readonly kind: Kind;
  /** how its mapping reads a record: columns of a row, or JSON paths into an item */
  readonly reads: 'columns' | 'json';
  readonly schema: SourceSchema<Entry>;
  /** rules across fields, checked once the whole file has been read (after the mapping rules) */
  refine?(entry: Entry, report: Report): void;
  resolve(entry: Entry, context: ResolveContext): Config;
  create(config: Config, context: SourceContext): RunningSource;
}

/** For check(): mkdir, then write and remove a probe file. */
export async function probeWritable(dir: string): Promise<CheckResult> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    const probe = path.join(dir, `.dxoc-agent-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
    return { ok: true, message: `${dir} is writable` };
  } catch (error) {
    return { ok: false, message: `${dir} is not writable: ${(error as Error).message}` };
  }
}

/** For check(): "3 items read, 2 values mapped; 1 would be skipped, first: item 2: ..." */
export function readSummary(read: string, result: { points: readonly LabeledPoint[]; problems: readonly string[] }): CheckResult {
  const skipped = result.problems.length > 0 ? `; ${result.problems.length} would be skipped, first: ${result.problems[0]}` : '';
  return { ok: true, message: `${read} read, ${plural(result.points.length, 'value')} mapped${skipped}` };
}

/** After a poll: "2 rows of 40 skipped: row 3: ...; row 9: ..." (warn, at most three reasons), when any was. */
export function logSkipped(
  logger: Logger,
  event: string,
  source: string,
  skipped: { problems: readonly string[]; of: number; what: string },
): void {
  const { problems, of, what } = skipped;
  if (problems.length === 0) return;
  const reasons = `${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; ...' : ''}`;
  logger.log('warn', event, `${source}: ${plural(problems.length, what)} of ${of} skipped: ${reasons}`, {
    source,
    skipped: problems.length,
  });
}
