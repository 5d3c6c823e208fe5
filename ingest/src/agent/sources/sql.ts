/**
 * Runs a query against a local PostgreSQL on a schedule (the `pg` driver). With a cursor, each run passes the
 * largest value of the cursor column seen so far as $1, and the cursor is saved only after the rows are safely
 * in the queue: a crash re-reads, never skips.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { redactUrl } from '@dxoc/contracts';
import pg from 'pg';
import { z } from 'zod';
import type { Clock } from '../clock';
import { plural, type Logger } from '../log';
import { compileMappings, mapRecord, type Cell, type CompiledMapping } from '../mapping';
import { queuePaths, writeJson, type DiskQueue, type LabeledPoint } from '../queue';
import { seconds } from '../schema';
import { logSkipped, readSummary, sourceSchema, type CheckResult, type PgClientFactory, type RunningSource, type Source } from './source';

const SqlSourceSchema = sourceSchema('sql', {
  /** postgres://user@host:5432/db; or connectionEnv: the name of an environment variable holding it (keeps the password out of the file) */
  connection: z.string().min(1).optional(),
  connectionEnv: z.string().min(1).optional(),
  query: z.string().min(1),
  intervalSeconds: seconds(300),
  timeoutSeconds: seconds(30),
  /** incremental reads: the query gets the largest value of this column seen so far as $1 */
  cursor: z.strictObject({ column: z.string().min(1), initial: z.union([z.string(), z.number()]) }).optional(),
});

type SqlSourceEntry = z.infer<typeof SqlSourceSchema>;
export type SqlSourceConfig = SqlSourceEntry & { connectionString: string };

export const sqlSource: Source<'sql', SqlSourceEntry, SqlSourceConfig> = {
  kind: 'sql',
  reads: 'columns',
  schema: SqlSourceSchema,
  refine(entry, report) {
    if (!entry.connection === !entry.connectionEnv) report([], 'give exactly one of connection or connectionEnv');
    if (entry.cursor && !/\$1\b/.test(entry.query))
      report(['query'], 'with a cursor, the query must use $1 (the last value of the cursor column), e.g. WHERE updated_at > $1');
  },
  resolve(entry, { env, report }) {
    const connectionString = entry.connection ?? (entry.connectionEnv ? env[entry.connectionEnv] : undefined) ?? '';
    if (!connectionString) report(['connectionEnv'], `the environment variable ${entry.connectionEnv} is not set`);
    return { ...entry, connectionString };
  },
  create: (config, { agent, queue, logger, clock, pgClient }) =>
    new SqlSource({ config, stateDir: agent.stateDir, offsetMinutes: agent.offsetMinutes, queue, logger, clock, pgClient }),
};

const newPgClient: PgClientFactory = (config) => new pg.Client(config);

/** OIDs of timestamp and date without time zone: read them as text, in the agent's offset, not the machine's. */
const TIMESTAMP_WITHOUT_TZ = 1114;
const DATE = 1082;
/** timestamptz: a Date for the mapping, which also keeps PostgreSQL's microseconds for the cursor */
const TIMESTAMPTZ = 1184;

/**
 * 'instant': a timestamptz cursor as ISO text with all six fractional digits (PostgreSQL keeps microseconds; a JS
 * Date keeps milliseconds, so a Date cursor re-read the newest rows on every poll). 'date': cursors saved by earlier
 * versions, millisecond precision.
 */
export type CursorValue =
  | { type: 'instant'; value: string }
  | { type: 'date'; value: string }
  | { type: 'number'; value: number }
  | { type: 'string'; value: string };

/** A timestamptz as read from PostgreSQL: a Date (milliseconds) that remembers the microseconds since the epoch. */
export class PreciseInstant extends Date {
  constructor(readonly epochMicros: bigint) {
    super(Number(epochMicros / 1000n) - (epochMicros < 0n && epochMicros % 1000n !== 0n ? 1 : 0));
  }
  /** ISO-8601 in UTC with six fractional digits: PostgreSQL reads it back exactly */
  toPreciseIso(): string {
    const micros = ((this.epochMicros % 1_000_000n) + 1_000_000n) % 1_000_000n;
    return `${this.toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
  }
}

const PG_TIMESTAMPTZ = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?$/;

/**
 * PostgreSQL's text form of a timestamptz ("2026-11-20 09:00:00.123456+07", in the session's time zone) with its
 * microseconds; other forms (infinity, BC dates) fall back to pg's own parser.
 */
export function parseTimestamptz(text: string): Date {
  const m = PG_TIMESTAMPTZ.exec(text);
  if (!m) return pg.types.getTypeParser(TIMESTAMPTZ, 'text')(text) as Date;
  const [, y, mo, d, h, mi, s, fraction = '', sign, oh, om = '0', os = '0'] = m;
  const wallMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const offsetSeconds = (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os));
  const seconds = BigInt(wallMs / 1000 - offsetSeconds);
  return new PreciseInstant(seconds * 1_000_000n + BigInt(fraction.padEnd(6, '0')));
}

/** Microseconds since the epoch of an ISO-8601 text with up to six fractional digits (a saved 'instant' cursor). */
function isoMicros(text: string): bigint {
  const m = /^(.*?)(?:\.(\d{1,6}))?Z$/.exec(text);
  const wholeMs = Date.parse(m ? `${m[1]}Z` : text);
  return BigInt(wholeMs) * 1000n + BigInt((m?.[2] ?? '').padEnd(6, '0'));
}

export interface SqlReadResult {
  rows: number;
  points: LabeledPoint[];
  problems: string[];
  cursor: CursorValue | null;
}

export interface SqlSourceOptions {
  config: SqlSourceConfig;
  stateDir: string;
  offsetMinutes: number;
  queue: Pick<DiskQueue, 'append'>;
  logger: Logger;
  clock: Clock;
  pgClient?: PgClientFactory;
}

export class SqlSource implements RunningSource {
  private readonly compiled: CompiledMapping[];

  constructor(private readonly o: SqlSourceOptions) {
    this.compiled = compileMappings(o.config.mapping);
  }

  get name(): string {
    return this.o.config.name;
  }

  private get cursorFile(): string {
    return path.join(queuePaths(this.o.stateDir).cursors, `${this.name}.json`);
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.pollOnce().catch((error: unknown) =>
        this.o.logger.log(
          'warn',
          'sql.poll_failed',
          `${this.name}: ${(error as Error).message}; next run in ${this.o.config.intervalSeconds} s`,
          { source: this.name },
        ),
      );
      await this.o.clock.sleep(this.o.config.intervalSeconds * 1000, signal);
    }
  }

  /** Runs the query once and maps the rows, without queueing. readOnly: inside a transaction that is rolled back (for `check`). */
  async read(options: { readOnly?: boolean } = {}): Promise<SqlReadResult> {
    const { config } = this.o;
    const client = (this.o.pgClient ?? newPgClient)({
      connectionString: config.connectionString,
      connectionTimeoutMillis: config.timeoutSeconds * 1000,
      statement_timeout: config.timeoutSeconds * 1000,
      application_name: `dxoc-agent ${this.name}`,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === TIMESTAMP_WITHOUT_TZ || oid === DATE
            ? (text: string) => text
            : oid === TIMESTAMPTZ
              ? parseTimestamptz
              : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    client.on('error', () => undefined); // a dropped connection surfaces as the query's error
    try {
      await client.connect();
    } catch (error) {
      throw new Error(`cannot connect to ${redactUrl(config.connectionString, 'the configured database')}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    try {
      const previous = config.cursor ? await this.loadCursor() : null;
      const parameters = config.cursor ? [previous ? cursorParameter(previous) : config.cursor.initial] : [];
      if (options.readOnly) await client.query('BEGIN READ ONLY');
      const result = await client.query(config.query, parameters).catch((error: Error) => {
        throw new Error(`the query failed: ${error.message}`);
      });
      if (options.readOnly) await client.query('ROLLBACK');
      const now = this.o.clock.now();
      const points: LabeledPoint[] = [];
      const problems: string[] = [];
      let cursor = previous;
      result.rows.forEach((row: Record<string, unknown>, index: number) => {
        const cells = new Map<string, Cell>(Object.entries(row).map(([k, v]) => [k, toCell(v)]));
        const mapped = mapRecord({ kind: 'row', cells }, this.compiled, { offsetMinutes: this.o.offsetMinutes, now });
        if (mapped.problems.length > 0) problems.push(`row ${index + 1}: ${mapped.problems.join('; ')}`);
        else for (const point of mapped.points) points.push({ point, origin: `${this.name} row ${index + 1}` });
        if (config.cursor) {
          const candidate = toCursor(row[config.cursor.column]);
          if (candidate && (!cursor || compareCursor(candidate, cursor) > 0)) cursor = candidate;
        }
      });
      if (config.cursor && result.rows.length > 0 && !(config.cursor.column in (result.rows[0] as object))) {
        throw new Error(
          `the cursor column "${config.cursor.column}" is not in the query's result (columns: ${result.fields.map((f) => f.name).join(', ')})`,
        );
      }
      return { rows: result.rows.length, points, problems, cursor };
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** For `check`: runs the query in a read-only transaction that is rolled back; queues nothing, moves no cursor. */
  async check(): Promise<CheckResult> {
    const result = await this.read({ readOnly: true });
    return readSummary(plural(result.rows, 'row'), result);
  }

  async pollOnce(): Promise<SqlReadResult> {
    const result = await this.read();
    const { logger } = this.o;
    if (result.points.length > 0) await this.o.queue.append(result.points);
    // the rows are on disk in the queue: now the cursor may move past them
    if (this.o.config.cursor && result.cursor) await writeJson(this.cursorFile, result.cursor);
    logSkipped(logger, 'sql.rows_skipped', this.name, { problems: result.problems, of: result.rows, what: 'row' });
    logger.log(
      'info',
      'sql.polled',
      `${this.name}: ${plural(result.points.length, 'value')} from ${plural(result.rows, 'row')} queued${result.cursor ? `; cursor ${result.cursor.value}` : ''}`,
      { source: this.name, points: result.points.length, rows: result.rows },
    );
    return result;
  }

  private async loadCursor(): Promise<CursorValue | null> {
    try {
      return JSON.parse(await readFile(this.cursorFile, 'utf8')) as CursorValue;
    } catch {
      return null;
    }
  }
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (
    value instanceof Date ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  )
    return value;
  return JSON.stringify(value);
}

function toCursor(value: unknown): CursorValue | null {
  if (value instanceof PreciseInstant) return { type: 'instant', value: value.toPreciseIso() };
  if (value instanceof Date) return { type: 'date', value: value.toISOString() };
  if (typeof value === 'number') return { type: 'number', value };
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'bigint') return { type: 'number', value: Number(value) };
  return null;
}

export function compareCursor(a: CursorValue, b: CursorValue): number {
  if (a.type === 'number' && b.type === 'number') return a.value - b.value;
  if ((a.type === 'date' || a.type === 'instant') && (b.type === 'date' || b.type === 'instant')) {
    const [x, y] = [isoMicros(a.value), isoMicros(b.value)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const [x, y] = [String(a.value), String(b.value)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The saved cursor as the query's $1: an instant goes as its exact text, which PostgreSQL reads as timestamptz. */
function cursorParameter(cursor: CursorValue): unknown {
  return cursor.type === 'date' ? new Date(cursor.value) : cursor.value;
}
