/**
 * `dxoc-agent backfill <file>`: sends a historical CSV/XLSX file now, batch after batch, with a progress bar and
 * a summary (accepted, duplicates, rejected with reasons). Batch ids come from the file and its content, so a
 * backfill that is interrupted and run again reports what already arrived as duplicates instead of storing it
 * twice. Refused points are also written to the dead-letter folder, like the agent does.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Clock, Random } from './clock';
import { createIngestClient, type FetchLike } from './client';
import type { AgentConfig } from './config';
import { retryDelay, splitRefusal, type RefusedPoint } from './delivery';
import { plural, type Logger } from './log';
import { derivedId, queuePaths, writeJson, type LabeledPoint } from './queue';
import { FileRefusedError, fileBatches, readAndMapFile, type FilesSourceConfig, type RejectedRow } from './sources/files';

export interface BackfillSummary {
  file: string;
  rows: number;
  values: number;
  accepted: number;
  duplicates: number;
  revised: number;
  batches: number;
  /** rows the agent could not read */
  rejectedRows: RejectedRow[];
  /** values the API refused */
  refused: RefusedPoint[];
  deadLetterFiles: string[];
  /** the run was stopped before the end */
  interrupted: boolean;
}

export interface Progress {
  update(done: number, total: number, summary: BackfillSummary): void;
  finish(): void;
}

export class BackfillError extends Error {}

export function pickFilesSource(config: AgentConfig, name: string | undefined): FilesSourceConfig {
  const files = config.sources.filter((s): s is FilesSourceConfig => s.kind === 'files');
  if (name) {
    const found = files.find((s) => s.name === name);
    if (!found)
      throw new BackfillError(
        `no files source named "${name}" in ${config.file} (files sources: ${files.map((s) => s.name).join(', ') || 'none'})`,
      );
    return found;
  }
  if (files.length === 1) return files[0] as FilesSourceConfig;
  throw new BackfillError(
    files.length === 0
      ? `backfill reads a file with the mapping of a files source, and ${config.file} has none`
      : `${config.file} has ${files.length} files sources (${files.map((s) => s.name).join(', ')}): choose one with --source`,
  );
}

export async function backfill(
  config: AgentConfig,
  file: string,
  options: { source?: string; clock: Clock; random: Random; logger: Logger; progress: Progress; fetch?: FetchLike; signal: AbortSignal },
): Promise<BackfillSummary> {
  const source = pickFilesSource(config, options.source);
  const { clock, logger, signal } = options;
  let mapped;
  try {
    mapped = await readAndMapFile(path.resolve(file), { source, offsetMinutes: config.agent.offsetMinutes, now: clock.now() });
  } catch (error) {
    if (error instanceof FileRefusedError) throw new BackfillError(`${path.basename(file)}: nothing can be imported: ${error.message}`);
    throw error;
  }
  const summary: BackfillSummary = {
    file: path.resolve(file),
    rows: mapped.table.rows.length,
    values: mapped.points.length,
    accepted: 0,
    duplicates: 0,
    revised: 0,
    batches: 0,
    rejectedRows: mapped.rejected,
    refused: [],
    deadLetterFiles: [],
    interrupted: false,
  };
  const client = createIngestClient({
    apiUrl: config.api.url,
    key: config.api.key,
    timeoutMs: config.api.timeoutMs,
    fetch: options.fetch,
    now: clock.now,
  });
  const retry = { initialMs: config.delivery.retryInitialMs, maxMs: config.delivery.retryMaxMs };
  const deadLetterDir = queuePaths(config.agent.stateDir).deadLetter;
  const pending: { batchId: string; points: LabeledPoint[] }[] = fileBatches(config.agent.name, mapped, config.delivery.maxPoints);
  let sent = 0;
  options.progress.update(0, summary.values, summary);
  while (pending.length > 0) {
    if (signal.aborted) {
      summary.interrupted = true;
      break;
    }
    const batch = pending.shift() as { batchId: string; points: LabeledPoint[] };
    let attempt = 0;
    for (;;) {
      const outcome = await client.send({ batchId: batch.batchId, points: batch.points.map((p) => p.point) }, signal);
      if (outcome.kind === 'stored') {
        summary.batches += 1;
        if (outcome.body.duplicate) summary.duplicates += outcome.body.accepted;
        else summary.accepted += outcome.body.accepted;
        summary.revised += outcome.body.revised;
        sent += batch.points.length;
        break;
      }
      if (outcome.kind === 'refused') {
        const { refused, remainder } = splitRefusal(batch.points, outcome);
        summary.refused.push(...refused);
        await mkdir(deadLetterDir, { recursive: true });
        const deadFile = path.join(deadLetterDir, `backfill-${batch.batchId}.json`);
        await writeJson(deadFile, {
          batchId: batch.batchId,
          refusedAt: new Date(clock.now()).toISOString(),
          status: outcome.status,
          error: outcome.error,
          message: outcome.message,
          details: outcome.details,
          refusedPoints: refused,
          file: summary.file,
        });
        summary.deadLetterFiles.push(deadFile);
        sent += refused.length;
        if (remainder.length > 0) pending.unshift({ batchId: derivedId(batch.batchId, 'r'), points: remainder });
        break;
      }
      if (signal.aborted) break;
      attempt += 1;
      const delay = retryDelay(attempt, outcome.retryAfterMs, retry, options.random);
      logger.log(
        'warn',
        'backfill.retry',
        `batch ${batch.batchId}: ${outcome.message}; attempt ${attempt}, next in ${(delay / 1000).toFixed(1)} s`,
        { batchId: batch.batchId, status: outcome.status },
      );
      await clock.sleep(delay, signal);
    }
    options.progress.update(sent, summary.values, summary);
  }
  options.progress.finish();
  return summary;
}

/** The closing report, for people. */
export function summaryLines(summary: BackfillSummary): string[] {
  const lines = [
    `${path.basename(summary.file)}: ${plural(summary.rows, 'row')} read, ${plural(summary.values, 'value')} to send${summary.interrupted ? ' (interrupted: run the same command again to send the rest; what arrived is answered as duplicates)' : ''}`,
    `  accepted:   ${summary.accepted}${summary.revised ? ` (${summary.revised} revised an earlier value)` : ''}`,
    `  duplicates: ${summary.duplicates} (already stored by an earlier run: nothing written twice)`,
    `  rejected:   ${summary.rejectedRows.length + summary.refused.length} (${plural(summary.rejectedRows.length, 'row')} the agent could not read, ${plural(summary.refused.length, 'value')} the API refused)`,
  ];
  for (const row of summary.rejectedRows.slice(0, 20)) lines.push(`    row ${row.row}: ${row.problems.join('; ')}`);
  if (summary.rejectedRows.length > 20) lines.push(`    ... and ${summary.rejectedRows.length - 20} more rows`);
  for (const point of summary.refused.slice(0, 20)) lines.push(`    ${point.origin}: ${point.problems.join('; ')}`);
  if (summary.refused.length > 20) lines.push(`    ... and ${summary.refused.length - 20} more values`);
  if (summary.deadLetterFiles.length > 0)
    lines.push(`  the API's answers are kept in ${path.dirname(summary.deadLetterFiles[0] as string)}`);
  return lines;
}

/** A bar on a terminal; a line every 10% in a log. */
export function createProgress(stream: NodeJS.WriteStream | { isTTY?: boolean; write(text: string): boolean }, enabled: boolean): Progress {
  let lastDecile = -1;
  const tty = Boolean(stream.isTTY);
  return {
    update(done, total, summary) {
      if (!enabled) return;
      const fraction = total === 0 ? 1 : done / total;
      const counts = `${done}/${total} values  accepted ${summary.accepted}  duplicates ${summary.duplicates}  refused ${summary.refused.length}`;
      if (tty) {
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${counts}`,
        );
      } else {
        const decile = Math.floor(fraction * 10);
        if (decile !== lastDecile) {
          lastDecile = decile;
          stream.write(`backfill ${String(decile * 10).padStart(3)}%  ${counts}\n`);
        }
      }
    },
    finish() {
      if (enabled && tty) stream.write('\n');
    },
  };
}
