import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestBatch } from '@dxoc/contracts';
import type { Clock } from './clock';
import type { IngestClient, SendOutcome } from './client';
import { parseRetryAfter } from './client';
import { Deliverer, StatusFile, backoffDelay, latestPerSeriesTime, retryDelay } from './delivery';
import { memoryLogger } from './log';
import { DiskQueue, queueDepth, type LabeledPoint } from './queue';
import { fileBatches } from './sources/files';

const point = (value: number, unit = '79', ts = '2026-11-01T00:00:00+07:00'): LabeledPoint => ({
  point: { metric: 'dvc.services_online', unit, ts, value },
  origin: `test row ${value}`,
});

/** Time moves only when the code under test sleeps. */
function fakeClock(start = Date.parse('2026-11-22T10:00:00Z')): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** Answers from a script, and remembers what was sent. */
function scriptedClient(answers: SendOutcome[]): IngestClient & { sent: IngestBatch[] } {
  const sent: IngestBatch[] = [];
  return {
    sent,
    async send(batch) {
      sent.push(batch);
      const answer = answers.shift();
      if (!answer) throw new Error('no scripted answer left');
      return answer;
    },
  };
}

const stored = (accepted: number, duplicate = false): SendOutcome => ({
  kind: 'stored',
  status: duplicate ? 200 : 202,
  body: { batchId: 'x', accepted, duplicate, revised: 0 },
});

describe('DiskQueue', () => {
  let dir: string;
  const open = (clock: Clock = fakeClock(), maxPoints = 3) =>
    DiskQueue.open({ stateDir: dir, agentName: 'hcm', maxPoints, flushIntervalMs: 60_000, flushJitterMs: 0, clock, random: () => 0 });

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-queue-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts batches at maxPoints, seals the rest on flush, and hands them out oldest first with fixed ids', async () => {
    const queue = await open();
    await queue.append([point(1), point(2), point(3), point(4)]);
    expect((await queueDepth(dir)).batches).toBe(2); // one sealed, one open journal
    await queue.flush();
    const first = await queue.next();
    expect(first?.points.map((p) => p.point.value)).toEqual([1, 2, 3]);
    expect(first?.batchId).toMatch(/^hcm\.[0-9a-f]{8}\.1$/);
    await queue.remove(first as NonNullable<typeof first>);
    const second = await queue.next();
    expect(second?.points.map((p) => p.point.value)).toEqual([4]);
    expect(second?.batchId).toMatch(/\.2$/);
    expect(await queue.depth()).toMatchObject({ batches: 1, points: 1 });
  });

  it('keeps every completed append across a kill in the middle of the next one, and seals it on the next start', async () => {
    const queue = await open(fakeClock(), 1000);
    await queue.append([point(1), point(2)]);
    // the process dies while writing the next line: simulate the torn tail a kill -9 leaves behind
    const journal = readdirSync(dir).find((name) => name.startsWith('open-')) as string;
    writeFileSync(path.join(dir, journal), `${readFileSync(path.join(dir, journal), 'utf8')}{"p":{"metric":"dvc.serv`);
    const reopened = await open(fakeClock(), 1000);
    expect(readdirSync(dir).filter((name) => name.startsWith('open-'))).toEqual([]);
    const batch = await reopened.next();
    expect(batch?.points.map((p) => p.point.value)).toEqual([1, 2]);
    // the id was fixed when the journal was opened: a retry after the crash sends the same id
    expect(batch?.batchId).toBe(
      JSON.parse(readFileSync(path.join(dir, 'queue', batch?.file as string), 'utf8').split('\n')[0] as string).batchId,
    );
  });

  it('never reuses an id: a new epoch if the state dir is wiped, the sequence continues otherwise', async () => {
    const first = await open();
    await first.append([point(1)]);
    await first.flush();
    const firstId = (await first.next())?.batchId;
    const again = await open();
    await again.append([point(2)]);
    await again.flush();
    const ids = [];
    for (let b = await again.next(); b; b = await again.next()) {
      ids.push(b.batchId);
      await again.remove(b);
    }
    expect(ids).toEqual([firstId, firstId?.replace(/\.1$/, '.2')]);
    rmSync(dir, { recursive: true, force: true });
    const wiped = await open();
    await wiped.append([point(3)]);
    await wiped.flush();
    expect((await wiped.next())?.batchId.split('.')[1]).not.toBe(firstId?.split('.')[1]);
  });
});

describe('Deliverer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-deliver-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function setup(answers: SendOutcome[]) {
    const clock = fakeClock();
    const queue = await DiskQueue.open({
      stateDir: dir,
      agentName: 'hcm',
      maxPoints: 1000,
      flushIntervalMs: 60_000,
      flushJitterMs: 0,
      clock,
      random: () => 0,
    });
    const client = scriptedClient(answers);
    const logger = memoryLogger();
    const status = await StatusFile.open(dir, { agent: 'hcm', api: 'http://api', now: clock.now() });
    const deliverer = new Deliverer({ queue, client, clock, random: () => 0, logger, status, retry: { initialMs: 1000, maxMs: 60_000 } });
    return { clock, queue, client, logger, status, deliverer, signal: new AbortController().signal };
  }

  it('waits as long as Retry-After says, then sends the same batch id again until it is stored', async () => {
    const { clock, queue, client, logger, deliverer, signal, status } = await setup([
      { kind: 'retry', status: 503, error: 'database_unavailable', message: 'database unavailable', retryAfterMs: 5000 },
      { kind: 'retry', status: null, error: 'unreachable', message: 'the API did not answer', retryAfterMs: null },
      stored(2),
    ]);
    await queue.append([point(1), point(2)]);
    await queue.flush();
    await deliverer.drain(signal);
    expect(client.sent.map((b) => b.batchId)).toEqual([client.sent[0]?.batchId, client.sent[0]?.batchId, client.sent[0]?.batchId]);
    expect(clock.sleeps).toEqual([5000, 1000]); // Retry-After, then the exponential backoff's second step (2 s, half of it with random 0)
    expect(await queue.next()).toBeNull();
    expect(logger.entries.map((e) => e.event)).toEqual(['batch.retry', 'batch.retry', 'api.recovered', 'batch.stored']);
    expect(status.status.lastSuccess).toMatchObject({ points: 2, duplicate: false });
    expect(status.status.retrying).toBeNull();
  });

  it('keeps a batch the key is refused for (an operator must fix the key) and says so as an error', async () => {
    const { queue, logger, deliverer, signal } = await setup([
      {
        kind: 'retry',
        status: 401,
        error: 'unauthorized',
        message: 'unknown agent key (fix api.key / api.keyFile and restart the agent; the data waits in the queue)',
        retryAfterMs: null,
      },
    ]);
    await queue.append([point(1)]);
    await queue.flush();
    const batch = await queue.next();
    await deliverer.deliver(batch as NonNullable<typeof batch>, signal);
    expect(await queue.next()).not.toBeNull();
    expect(logger.entries[0]).toMatchObject({ level: 'error', event: 'batch.retry' });
    expect(readdirSync(path.join(dir, 'dead-letter'))).toEqual([]);
  });

  it('dead-letters the points the API names with its reasons, and sends the rest again under a derived id', async () => {
    const { queue, client, logger, deliverer, signal, status } = await setup([
      {
        kind: 'refused',
        status: 400,
        error: 'invalid_batch',
        message: 'invalid batch: unknown unit "7". Nothing from this batch was stored.',
        details: [{ index: 1, field: 'unit', message: 'unknown unit "7"' }],
      },
      stored(2),
    ]);
    await queue.append([point(1), point(2, '7'), point(3, '01')]);
    await queue.flush();
    await deliverer.drain(signal);
    const [original, resent] = client.sent;
    expect(resent?.batchId).toBe(`${original?.batchId}.r`);
    expect(resent?.points.map((p) => p.value)).toEqual([1, 3]);
    const [deadFile] = readdirSync(path.join(dir, 'dead-letter'));
    const record = JSON.parse(readFileSync(path.join(dir, 'dead-letter', deadFile as string), 'utf8'));
    expect(record).toMatchObject({
      batchId: original?.batchId,
      status: 400,
      error: 'invalid_batch',
      refusedPoints: [{ index: 1, origin: 'test row 2', point: { unit: '7' }, problems: ['unknown unit "7"'] }],
      resentPoints: 2,
      resentAs: `${original?.batchId}.r`,
    });
    const line = logger.entries.find((e) => e.event === 'batch.dead_letter');
    expect(line?.message).toContain('1 of 3 points refused by the API (400 invalid_batch): point 1 (test row 2): unknown unit "7"');
    expect(line?.message).toContain(`the other 2 points are sent again as batch ${original?.batchId}.r`);
    expect(status.status.totals).toMatchObject({ batchesDeadLettered: 1, pointsDeadLettered: 1, pointsStored: 2 });
  });

  it('dead-letters a whole batch the API refuses without naming points (a reused batch id)', async () => {
    const { queue, client, deliverer, signal } = await setup([
      { kind: 'refused', status: 409, error: 'batch_conflict', message: 'batchId "x" was already used', details: null },
    ]);
    await queue.append([point(1), point(2, '01')]);
    await queue.flush();
    await deliverer.drain(signal);
    expect(client.sent).toHaveLength(1);
    expect(await queue.next()).toBeNull();
    const record = JSON.parse(readFileSync(path.join(dir, 'dead-letter', readdirSync(path.join(dir, 'dead-letter'))[0] as string), 'utf8'));
    expect(record.refusedPoints).toHaveLength(2);
    expect(record.resentAs).toBeNull();
  });

  it('sends one value per series and time when a fast poll queued the same one twice (the last wins)', async () => {
    const { queue, client, deliverer, signal } = await setup([stored(2)]);
    await queue.append([point(1), point(5, '01'), point(2)]);
    await queue.flush();
    await deliverer.drain(signal);
    expect(client.sent[0]?.points.map((p) => [p.unit, p.value])).toEqual([
      ['79', 2],
      ['01', 5],
    ]);
    expect(latestPerSeriesTime([point(1, '79', '2026-11-01T00:00:00+07:00'), point(2, '79', '2026-10-31T17:00:00Z')])).toHaveLength(1);
  });
});

describe('retry timing', () => {
  it('doubles up to the maximum, with jitter between half and all of the step', () => {
    const policy = { initialMs: 1000, maxMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, policy, () => 1))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(backoffDelay(3, policy, () => 0)).toBe(2000);
    expect(retryDelay(1, 7000, policy, () => 0)).toBe(7000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('file batch ids', () => {
  it('are the same for the same file and content, and change with either', () => {
    const mapped = { identity: 'a'.repeat(64), points: [point(1), point(2), point(3)] };
    const once = fileBatches('hcm', mapped, 2);
    expect(once.map((b) => b.points.length)).toEqual([2, 1]);
    expect(fileBatches('hcm', mapped, 2).map((b) => b.batchId)).toEqual(once.map((b) => b.batchId));
    expect(once[0]?.batchId).toMatch(/^hcm\.f\.[0-9a-f]{24}\.0$/);
    expect(fileBatches('hcm', { ...mapped, identity: 'b'.repeat(64) }, 2)[0]?.batchId).not.toBe(once[0]?.batchId);
    expect(fileBatches('hcm', { ...mapped, points: [point(9), point(2), point(3)] }, 2)[0]?.batchId).not.toBe(once[0]?.batchId);
  });
});
