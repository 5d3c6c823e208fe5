/**
 * A drop folder: CSV and XLSX files put there are read, queued and moved to done/ (or failed/ with a reason file
 * next to them).
 *
 * Malformed rows (policy, see ingest/README.md): the rows that can be read are imported; the rows that cannot
 * (empty or unreadable value, impossible date, unknown column, a second value for the same metric, unit and time)
 * are written to failed/<name>.rejected-rows.csv with the same header, and failed/<name>.rejected-rows.reason.txt
 * says what is wrong with each, by row number. Fix that file and drop it in again. A file that cannot be read
 * at all, lacks a mapped column, or has no good row goes to failed/ as a whole with <name>.reason.txt.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type IngestPoint, pointKey } from '@dxoc/contracts';
import { z } from 'zod';
import type { Clock } from '../clock';
import { plural, type Logger } from '../log';
import { cellText, columnsUsed, compileMappings, mapRecord, type Cell } from '../mapping';
import type { DiskQueue, LabeledPoint } from '../queue';
import { seconds } from '../schema';
import { UnreadableFileError, formatOf, readTable, toCsvLine, type Table } from '../tabular';
import { probeWritable, sourceSchema, type CheckResult, type RunningSource, type Source } from './source';

const FilesSourceSchema = sourceSchema('files', {
  dir: z.string().min(1),
  doneDir: z.string().min(1).optional(),
  failedDir: z.string().min(1).optional(),
  pollSeconds: seconds(5),
  csv: z.strictObject({ delimiter: z.enum([',', ';', '\t', '|']).default(',') }).prefault({}),
  xlsx: z.strictObject({ sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional() }).prefault({}),
});

type FilesSourceEntry = z.infer<typeof FilesSourceSchema>;
export type FilesSourceConfig = FilesSourceEntry & { doneDir: string; failedDir: string };

export const filesSource: Source<'files', FilesSourceEntry, FilesSourceConfig> = {
  kind: 'files',
  reads: 'columns',
  schema: FilesSourceSchema,
  resolve(entry, { resolvePath }) {
    const dir = resolvePath(entry.dir);
    return {
      ...entry,
      dir,
      doneDir: entry.doneDir ? resolvePath(entry.doneDir) : path.join(dir, 'done'),
      failedDir: entry.failedDir ? resolvePath(entry.failedDir) : path.join(dir, 'failed'),
    };
  },
  create: (config, { agent, queue, logger, clock }) =>
    new FilesSource({
      config,
      agentName: agent.name,
      maxPoints: agent.maxPoints,
      offsetMinutes: agent.offsetMinutes,
      queue,
      logger,
      clock,
    }),
};

export interface RejectedRow {
  row: number;
  cells: string[];
  problems: string[];
}

export interface MappedFile {
  table: Table;
  points: LabeledPoint[];
  rejected: RejectedRow[];
  /** the same file (name, size, time, content) always gets the same batch ids */
  identity: string;
}

/** Why a file was refused as a whole. */
export class FileRefusedError extends Error {}

export interface FileReadContext {
  source: Pick<FilesSourceConfig, 'name' | 'mapping' | 'csv' | 'xlsx'>;
  offsetMinutes: number;
  now: number;
}

/** Reads a CSV or XLSX file and maps its rows; throws FileRefusedError when nothing sensible can be read. */
export async function readAndMapFile(file: string, context: FileReadContext): Promise<MappedFile> {
  const name = path.basename(file);
  const format = formatOf(name);
  if (!format) throw new FileRefusedError('only .csv and .xlsx files are imported');
  const [content, info] = await Promise.all([readFile(file), stat(file)]);
  let table: Table;
  try {
    table = await readTable(content, format, { delimiter: context.source.csv.delimiter, sheet: context.source.xlsx.sheet });
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new FileRefusedError(error.message);
    throw error;
  }
  const missing = columnsUsed(context.source.mapping).filter((column) => !table.header.includes(column));
  if (missing.length > 0) {
    throw new FileRefusedError(
      `the header (row ${table.headerRow}) has no column ${missing.map((c) => `"${c}"`).join(', ')}; it has ${table.header.map((c) => `"${c}"`).join(', ')}`,
    );
  }
  const compiled = compileMappings(context.source.mapping);
  const points: LabeledPoint[] = [];
  const rejected: RejectedRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const row of table.rows) {
    const cells = new Map<string, Cell>(table.header.map((column, i) => [column, row.cells[i] ?? null]));
    const mapped = mapRecord({ kind: 'row', cells }, compiled, { offsetMinutes: context.offsetMinutes, now: context.now });
    const problems = [...mapped.problems];
    if (problems.length === 0) {
      for (const point of mapped.points) {
        const key = pointKey(point.metric, point.unit, Date.parse(point.ts));
        const earlier = firstRowOf.get(key);
        if (earlier !== undefined && earlier !== row.row)
          problems.push(`repeats row ${earlier}: a second value for ${point.metric}, unit ${point.unit}, ${point.ts}`);
      }
    }
    if (problems.length > 0) {
      rejected.push({ row: row.row, cells: table.header.map((_, i) => cellText(row.cells[i] ?? null)), problems });
      continue;
    }
    for (const point of mapped.points) {
      firstRowOf.set(pointKey(point.metric, point.unit, Date.parse(point.ts)), row.row);
      points.push({ point, origin: `${context.source.name}/${name} row ${row.row}` });
    }
  }
  const identity = createHash('sha256').update(`${name}\u0000${info.size}\u0000${info.mtimeMs}\u0000`).update(content).digest('hex');
  return { table, points, rejected, identity };
}

/** Batches of at most maxPoints with ids derived from the file and their content: re-reading the same file sends the same ids. */
export function fileBatches(
  agentName: string,
  mapped: Pick<MappedFile, 'points' | 'identity'>,
  maxPoints: number,
): { batchId: string; points: LabeledPoint[] }[] {
  const batches: { batchId: string; points: LabeledPoint[] }[] = [];
  for (let start = 0, index = 0; start < mapped.points.length; start += maxPoints, index += 1) {
    const points = mapped.points.slice(start, start + maxPoints);
    const digest = createHash('sha256')
      .update(mapped.identity)
      .update(canonical(points.map((p) => p.point)))
      .digest('hex')
      .slice(0, 24);
    batches.push({ batchId: `${agentName}.f.${digest}.${index}`, points });
  }
  return batches;
}

function canonical(points: IngestPoint[]): string {
  return points.map((p) => `${pointKey(p.metric, p.unit, p.ts)}\u0000${p.value}`).join('\n');
}

/** What to write next to a refused file or rows: one line per problem, by row. */
export function reasonText(name: string, rejected: readonly RejectedRow[], accepted: number): string {
  const lines = [
    accepted > 0
      ? `${name}: ${plural(rejected.length, 'row was', 'rows were')} not imported; the other ${plural(accepted, 'value')} were queued for the API.`
      : `${name}: nothing was imported: no row could be read.`,
    ...rejected.map((r) => `row ${r.row}: ${r.problems.join('; ')}`),
  ];
  return `${lines.join('\n')}\n`;
}

export interface FilesSourceOptions {
  config: FilesSourceConfig;
  agentName: string;
  maxPoints: number;
  offsetMinutes: number;
  queue: Pick<DiskQueue, 'enqueueBatch'>;
  logger: Logger;
  clock: Clock;
}

const IGNORED = /^\.|^~\$|\.(tmp|part|partial|crdownload|swp)$/i;

export class FilesSource implements RunningSource {
  /** size and time of each file at the previous scan: a file is taken once it stopped changing */
  private lastSeen = new Map<string, string>();

  constructor(private readonly o: FilesSourceOptions) {}

  get name(): string {
    return this.o.config.name;
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.prepare();
    while (!signal.aborted) {
      await this.scanOnce().catch((error: unknown) =>
        this.o.logger.log('error', 'files.scan_failed', `${this.name}: cannot scan ${this.o.config.dir}: ${(error as Error).message}`, {
          source: this.name,
        }),
      );
      await this.o.clock.sleep(this.o.config.pollSeconds * 1000, signal);
    }
  }

  async prepare(): Promise<void> {
    await Promise.all([this.o.config.dir, this.o.config.doneDir, this.o.config.failedDir].map((dir) => mkdir(dir, { recursive: true })));
  }

  /** For `check`: the folders are writable (created if need be) and how many files wait; nothing is read or moved. */
  async check(): Promise<CheckResult> {
    const dirs = await Promise.all([this.o.config.dir, this.o.config.doneDir, this.o.config.failedDir].map(probeWritable));
    const failed = dirs.find((d) => !d.ok);
    if (failed) return failed;
    const waiting = (await readdir(this.o.config.dir, { withFileTypes: true })).filter((e) => e.isFile() && formatOf(e.name)).length;
    return { ok: true, message: `${this.o.config.dir} is ready; ${plural(waiting, 'file')} waiting` };
  }

  /** Imports every file that has not changed since the previous scan. Returns how many were handled. */
  async scanOnce(): Promise<number> {
    const seen = new Map<string, string>();
    let handled = 0;
    for (const entry of await readdir(this.o.config.dir, { withFileTypes: true })) {
      if (!entry.isFile() || IGNORED.test(entry.name)) continue;
      const full = path.join(this.o.config.dir, entry.name);
      const info = await stat(full).catch(() => null);
      if (!info) continue;
      const signature = `${info.size}:${info.mtimeMs}`;
      seen.set(entry.name, signature);
      if (this.lastSeen.get(entry.name) !== signature) continue; // new or still being written
      seen.delete(entry.name);
      await this.importFile(full);
      handled += 1;
    }
    this.lastSeen = seen;
    return handled;
  }

  private async importFile(full: string): Promise<void> {
    const name = path.basename(full);
    const { logger, config } = this.o;
    let mapped: MappedFile;
    try {
      mapped = await readAndMapFile(full, { source: config, offsetMinutes: this.o.offsetMinutes, now: this.o.clock.now() });
    } catch (error) {
      if (!(error instanceof FileRefusedError)) throw error;
      const target = await this.moveTo(full, config.failedDir);
      await writeFile(`${target}.reason.txt`, `${name}: nothing was imported: ${error.message}\n`);
      logger.log(
        'error',
        'file.failed',
        `${this.name}: ${name}: nothing imported: ${error.message}; moved to ${path.relative(config.dir, target)}`,
        { source: this.name, file: name },
      );
      return;
    }
    if (mapped.points.length === 0) {
      const target = await this.moveTo(full, config.failedDir);
      await writeFile(`${target}.reason.txt`, reasonText(name, mapped.rejected, 0));
      logger.log(
        'error',
        'file.failed',
        `${this.name}: ${name}: nothing imported, ${plural(mapped.rejected.length, 'row')} refused (${firstProblems(mapped.rejected)}); moved to ${path.relative(config.dir, target)} with a reason file`,
        {
          source: this.name,
          file: name,
          rejectedRows: mapped.rejected.length,
        },
      );
      return;
    }
    const batches = fileBatches(this.o.agentName, mapped, this.o.maxPoints);
    for (const batch of batches) await this.o.queue.enqueueBatch(batch.batchId, batch.points);
    // only now, with every good row on disk in the queue, does the file leave the folder
    if (mapped.rejected.length > 0) {
      const stem = name.replace(/\.[^.]+$/, '');
      const rowsFile = await freeName(config.failedDir, `${stem}.rejected-rows.csv`);
      const delimiter = name.toLowerCase().endsWith('.csv') ? config.csv.delimiter : ',';
      await writeFile(
        rowsFile,
        `${[mapped.table.header, ...mapped.rejected.map((r) => r.cells)].map((cells) => toCsvLine(cells, delimiter)).join('\n')}\n`,
      );
      await writeFile(rowsFile.replace(/\.csv$/, '.reason.txt'), reasonText(name, mapped.rejected, mapped.points.length));
      logger.log(
        'warn',
        'file.rows_rejected',
        `${this.name}: ${name}: ${plural(mapped.rejected.length, 'row')} not imported (${firstProblems(mapped.rejected)}); written to ${path.relative(config.dir, rowsFile)} with reasons`,
        {
          source: this.name,
          file: name,
          rejectedRows: mapped.rejected.length,
        },
      );
    }
    const target = await this.moveTo(full, config.doneDir);
    logger.log(
      'info',
      'file.imported',
      `${this.name}: ${name}: ${plural(mapped.points.length, 'value')} from ${plural(mapped.table.rows.length - mapped.rejected.length, 'row')} queued in ${plural(batches.length, 'batch', 'batches')}; moved to ${path.relative(config.dir, target)}`,
      {
        source: this.name,
        file: name,
        points: mapped.points.length,
        batches: batches.map((b) => b.batchId),
      },
    );
  }

  private async moveTo(full: string, dir: string): Promise<string> {
    const target = await freeName(dir, path.basename(full));
    await rename(full, target);
    return target;
  }
}

/** dir/name, or dir/name-2, -3 ... when a file of that name is already there (the same report every month). */
async function freeName(dir: string, name: string): Promise<string> {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n += 1) {
    const candidate = path.join(dir, n === 1 ? name : `${stem}-${n}${ext}`);
    const exists = await stat(candidate).then(
      () => true,
      () => false,
    );
    if (!exists) return candidate;
  }
}

function firstProblems(rejected: readonly RejectedRow[]): string {
  const shown = rejected
    .slice(0, 2)
    .map((r) => `row ${r.row}: ${r.problems.join('; ')}`)
    .join('; ');
  return rejected.length > 2 ? `${shown}; and ${rejected.length - 2} more` : shown;
}
