/**
 * Sends the queue to the API, oldest batch first, one at a time. Down, busy or rate limited: wait with
 * exponential backoff and jitter (or what Retry-After says) and send the same batch again, same id. Refused:
 * the refused points go to dead-letter/ with the API's reasons, the rest is sent again, and the log says so.
 */
import { readFile } from 'node:fs/promises';
import { type IngestErrorDetail, pointKey } from '@dxoc/contracts';
import type { Clock, Random } from './clock';
import { namesPoints, type IngestClient, type SendOutcome } from './client';
import { plural, type Logger } from './log';
import { derivedId, queuePaths, writeJson, type DiskQueue, type LabeledPoint, type QueuedBatch } from './queue';

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
}

/** Exponential, with "equal jitter": between half and all of the step, so a fleet of agents does not retry in step. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: Random): number {
  const step = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  return step / 2 + random() * (step / 2);
}

/** Retry-After wins over our own backoff (the server knows when it will be ready), with a little jitter, capped at an hour. */
export function retryDelay(attempt: number, retryAfterMs: number | null, policy: RetryPolicy, random: Random): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, 3_600_000) + random() * Math.min(1000, policy.initialMs);
  return backoffDelay(attempt, policy, random);
}

export interface AgentStatus {
  agent: string;
  pid: number;
  api: string;
  startedAt: string;
  updatedAt: string;
  lastSuccess: { at: string; batchId: string; points: number; duplicate: boolean } | null;
  lastError: { at: string; batchId: string | null; status: number | null; error: string; message: string } | null;
  retrying: { since: string; attempts: number; nextAttemptAt: string } | null;
  totals: { batchesStored: number; pointsStored: number; duplicates: number; batchesDeadLettered: number; pointsDeadLettered: number };
}

/** status.json in the state dir: what `dxoc-agent status` shows, also after the agent stopped. */
export class StatusFile {
  readonly status: AgentStatus;

  constructor(
    private readonly file: string,
    init: { agent: string; api: string; now: number },
    previous: AgentStatus | null,
  ) {
    const at = new Date(init.now).toISOString();
    this.status = {
      agent: init.agent,
      pid: process.pid,
      api: init.api,
      startedAt: at,
      updatedAt: at,
      // what happened before a restart is still the last success or error an operator wants to see
      lastSuccess: previous?.lastSuccess ?? null,
      lastError: previous?.lastError ?? null,
      retrying: null,
      totals: { batchesStored: 0, pointsStored: 0, duplicates: 0, batchesDeadLettered: 0, pointsDeadLettered: 0 },
    };
  }

  static async open(stateDir: string, init: { agent: string; api: string; now: number }): Promise<StatusFile> {
    const file = queuePaths(stateDir).status;
    const status = new StatusFile(file, init, await readStatus(stateDir));
    await status.save(init.now);
    return status;
  }

  async save(now: number): Promise<void> {
    this.status.updatedAt = new Date(now).toISOString();
    await writeJson(this.file, this.status);
  }
}

export async function readStatus(stateDir: string): Promise<AgentStatus | null> {
  try {
    return JSON.parse(await readFile(queuePaths(stateDir).status, 'utf8')) as AgentStatus;
  } catch {
    return null;
  }
}

export interface DelivererOptions {
  queue: DiskQueue;
  client: IngestClient;
  clock: Clock;
  random: Random;
  logger: Logger;
  status: StatusFile;
  retry: RetryPolicy;
}

export class Deliverer {
  private attempts = 0;
  private retryingSince: number | null = null;

  constructor(private readonly o: DelivererOptions) {}

  /** Until signal aborts: send what is queued, wait for more. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const batch = await this.o.queue.next();
      if (!batch) {
        // a batch sealed between next() and the wait is caught by the timeout
        await this.o.queue.waitForBatch(signal, 1000);
        continue;
      }
      await this.deliver(batch, signal);
    }
  }

  /** Sends until the queue is empty (or signal aborts); retries like run(). */
  async drain(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (signal.aborted) return;
      const batch = await this.o.queue.next();
      if (!batch) return;
      await this.deliver(batch, signal);
    }
  }

  /** One attempt at one batch, then what follows from the answer. Returns the outcome for callers that count. */
  async deliver(batch: QueuedBatch, signal: AbortSignal): Promise<SendOutcome> {
    const { clock, logger, status } = this.o;
    // A source that polls faster than it flushes can queue the same (metric, unit, ts) twice in one batch; the API
    // takes one value per time per batch, so send the latest. Deterministic: every retry sends the same content.
    const points = latestPerSeriesTime(batch.points);
    const outcome = await this.o.client.send({ batchId: batch.batchId, points: points.map((p) => p.point) }, signal);
    const now = clock.now();
    const at = new Date(now).toISOString();
    if (outcome.kind === 'stored') {
      await this.o.queue.remove(batch);
      const { accepted, duplicate, revised } = outcome.body;
      status.status.lastSuccess = { at, batchId: batch.batchId, points: accepted, duplicate };
      status.status.retrying = null;
      status.status.totals.batchesStored += 1;
      status.status.totals.pointsStored += accepted;
      if (duplicate) status.status.totals.duplicates += 1;
      if (this.attempts > 0)
        logger.log('info', 'api.recovered', `the API answers again after ${plural(this.attempts, 'failed attempt')}; sending the queue`, {
          batchId: batch.batchId,
        });
      this.attempts = 0;
      this.retryingSince = null;
      if (duplicate) {
        logger.log(
          'info',
          'batch.duplicate',
          `batch ${batch.batchId}: the API already had it (${plural(accepted, 'point')}); nothing stored twice`,
          { batchId: batch.batchId, points: accepted, duplicate: true },
        );
      } else {
        logger.log(
          'info',
          'batch.stored',
          `batch ${batch.batchId}: ${plural(accepted, 'point')} stored${revised ? `, ${revised} of them revised an earlier value` : ''}`,
          { batchId: batch.batchId, points: accepted, revised, duplicate: false },
        );
      }
      await status.save(now);
      return outcome;
    }
    if (outcome.kind === 'refused') {
      this.attempts = 0;
      this.retryingSince = null;
      await this.deadLetter({ ...batch, points }, outcome, at);
      await status.save(now);
      return outcome;
    }
    // stopping: the answer was cut short on purpose; the batch stays queued for the next start
    if (signal.aborted) return outcome;
    this.attempts += 1;
    this.retryingSince ??= now;
    const delay = retryDelay(this.attempts, outcome.retryAfterMs, this.o.retry, this.o.random);
    status.status.lastError = { at, batchId: batch.batchId, status: outcome.status, error: outcome.error, message: outcome.message };
    status.status.retrying = {
      since: new Date(this.retryingSince).toISOString(),
      attempts: this.attempts,
      nextAttemptAt: new Date(now + delay).toISOString(),
    };
    const level = outcome.status === 401 || outcome.status === 404 ? 'error' : 'warn';
    const why = outcome.retryAfterMs !== null ? ` (Retry-After ${Math.round(outcome.retryAfterMs / 1000)} s)` : '';
    logger.log(
      level,
      'batch.retry',
      `batch ${batch.batchId}: ${outcome.message}; attempt ${this.attempts}, next in ${(delay / 1000).toFixed(1)} s${why}; the batch stays queued`,
      {
        batchId: batch.batchId,
        status: outcome.status,
        error: outcome.error,
        attempt: this.attempts,
        retryInMs: Math.round(delay),
      },
    );
    await status.save(now);
    await clock.sleep(delay, signal);
    return outcome;
  }

  private async deadLetter(batch: QueuedBatch, outcome: Extract<SendOutcome, { kind: 'refused' }>, at: string): Promise<void> {
    const { logger, status } = this.o;
    const { split, refused, remainder } = splitRefusal(batch.points, outcome);
    const record = {
      batchId: batch.batchId,
      refusedAt: at,
      queuedAt: batch.createdAt,
      status: outcome.status,
      error: outcome.error,
      message: outcome.message,
      details: outcome.details,
      refusedPoints: refused,
      resentPoints: remainder.length,
      resentAs: remainder.length > 0 ? derivedId(batch.batchId, 'r') : null,
    };
    const { file, remainderId } = await this.o.queue.deadLetter(batch, record, remainder);
    status.status.lastError = { at, batchId: batch.batchId, status: outcome.status, error: outcome.error, message: outcome.message };
    status.status.totals.batchesDeadLettered += 1;
    status.status.totals.pointsDeadLettered += refused.length;
    const reasons = split ? describeRefused(refused) : outcome.message;
    const rest = remainderId ? `; the other ${plural(remainder.length, 'point')} are sent again as batch ${remainderId}` : '';
    logger.log(
      'error',
      'batch.dead_letter',
      `batch ${batch.batchId}: ${refused.length} of ${plural(batch.points.length, 'point')} refused by the API (${outcome.status} ${outcome.error}): ${reasons}; kept in ${file}${rest}`,
      {
        batchId: batch.batchId,
        status: outcome.status,
        error: outcome.error,
        refused: refused.length,
        resent: remainder.length,
        remainderId,
        deadLetterFile: file,
      },
    );
  }
}

export interface RefusedPoint {
  index: number;
  origin: string;
  point: LabeledPoint['point'];
  problems: string[];
}

/** Which points the API named (they are dead-lettered) and which it did not (they are sent again). */
export function splitRefusal(
  points: readonly LabeledPoint[],
  outcome: Extract<SendOutcome, { kind: 'refused' }>,
): { split: boolean; refused: RefusedPoint[]; remainder: LabeledPoint[] } {
  const byIndex = new Map<number, IngestErrorDetail[]>();
  const split = namesPoints(outcome);
  if (split) for (const d of outcome.details ?? []) byIndex.set(d.index as number, [...(byIndex.get(d.index as number) ?? []), d]);
  const refused: RefusedPoint[] = [];
  const remainder: LabeledPoint[] = [];
  points.forEach((p, index) => {
    const problems = byIndex.get(index);
    if (!split || problems)
      refused.push({ index, origin: p.origin, point: p.point, problems: problems?.map((d) => d.message) ?? [outcome.message] });
    else remainder.push(p);
  });
  return { split, refused, remainder };
}

export function describeRefused(refused: readonly RefusedPoint[], limit = 3): string {
  const shown = refused
    .slice(0, limit)
    .map((r) => `point ${r.index} (${r.origin}): ${r.problems.join('; ')}`)
    .join('; ');
  return refused.length > limit ? `${shown}; and ${refused.length - limit} more` : shown;
}

/** One point per (metric, unit, instant): the last one queued wins, in the position of the first. */
export function latestPerSeriesTime(points: readonly LabeledPoint[]): LabeledPoint[] {
  const at = new Map<string, number>();
  const result: LabeledPoint[] = [];
  for (const p of points) {
    const key = pointKey(p.point.metric, p.point.unit, Date.parse(p.point.ts));
    const index = at.get(key);
    if (index === undefined) {
      at.set(key, result.length);
      result.push(p);
    } else {
      result[index] = p;
    }
  }
  return result;
}
