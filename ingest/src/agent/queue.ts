/**
 * The disk-backed queue between the sources and the API. Nothing a source has handed over is lost when the
 * agent is killed (even with -9), restarted, or the API is down for a day:
 *
 * - points from polled sources are appended to a journal (open-<seq>.jsonl) and fsynced before append()
 *   returns; the journal is sealed into queue/ by one atomic rename when it holds maxPoints or when the flush
 *   interval (plus jitter) has passed, so a batch never exists twice on disk;
 * - a file's rows are written to queue/ as whole batches (write to a temporary name, fsync, rename);
 * - a batch leaves queue/ only when the API has stored it (or said it already had it), or when it was refused
 *   and has been written to dead-letter/ with the API's reasons;
 * - every batch has its id from the moment it is on disk, so a retry after a crash or a lost answer sends the
 *   same id and the API answers duplicate: true instead of storing it twice.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { IngestPoint } from '@dxoc/contracts';
import type { Clock, Random } from './clock';

export interface LabeledPoint {
  point: IngestPoint;
  /** where it came from, for an operator: "reports/bao-cao.csv row 17", "portal item 3" */
  origin: string;
}

export interface QueuedBatch {
  /** file name in queue/ */
  file: string;
  batchId: string;
  createdAt: string;
  points: LabeledPoint[];
}

export interface QueueDepth {
  batches: number;
  points: number;
  oldestCreatedAt: string | null;
}

export interface QueueOptions {
  stateDir: string;
  /** prefix of batch ids */
  agentName: string;
  maxPoints: number;
  flushIntervalMs: number;
  flushJitterMs: number;
  clock: Clock;
  random: Random;
}

interface AgentState {
  /** random per state dir: ids stay unique if the state dir is wiped and the sequence starts again */
  epoch: string;
  nextSeq: number;
}

interface Header {
  v: 1;
  batchId: string;
  createdAt: string;
}

const QUEUE_DIR = 'queue';
const DEAD_LETTER_DIR = 'dead-letter';
const STATE_FILE = 'agent.json';
const JOURNAL = /^open-(\d+)\.jsonl$/;

export const queuePaths = (stateDir: string) => ({
  queue: path.join(stateDir, QUEUE_DIR),
  deadLetter: path.join(stateDir, DEAD_LETTER_DIR),
  state: path.join(stateDir, STATE_FILE),
  status: path.join(stateDir, 'status.json'),
  cursors: path.join(stateDir, 'cursors'),
});

export class DiskQueue {
  private state!: AgentState;
  private journal: { handle: FileHandle; file: string; seq: number; batchId: string; count: number } | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private lock: Promise<unknown> = Promise.resolve();
  private waiters = new Set<() => void>();
  private readonly paths: ReturnType<typeof queuePaths>;

  private constructor(private readonly options: QueueOptions) {
    this.paths = queuePaths(options.stateDir);
  }

  /** Opens (or creates) the state dir and seals journals a previous run left behind. */
  static async open(options: QueueOptions): Promise<DiskQueue> {
    const queue = new DiskQueue(options);
    await mkdir(queue.paths.queue, { recursive: true });
    await mkdir(queue.paths.deadLetter, { recursive: true });
    queue.state = await readState(queue.paths.state);
    await queue.recover();
    return queue;
  }

  get deadLetterDir(): string {
    return this.paths.deadLetter;
  }

  /** Adds points to the open batch; returns once they are on disk. */
  append(points: readonly LabeledPoint[]): Promise<void> {
    return this.exclusive(async () => {
      let rest = points;
      while (rest.length > 0) {
        const journal = this.journal ?? (await this.openJournal());
        const room = this.options.maxPoints - journal.count;
        const chunk = rest.slice(0, room);
        rest = rest.slice(room);
        await journal.handle.appendFile(chunk.map((p) => `${JSON.stringify({ p: p.point, o: p.origin })}\n`).join(''));
        await journal.handle.datasync();
        journal.count += chunk.length;
        if (journal.count >= this.options.maxPoints) await this.sealJournal();
      }
    });
  }

  /** Seals the open batch now (shutdown, tests). */
  flush(): Promise<void> {
    return this.exclusive(() => this.sealJournal());
  }

  /** Writes a whole batch with a caller-chosen id (a file's rows: the id is derived from the file and its content). */
  enqueueBatch(batchId: string, points: readonly LabeledPoint[]): Promise<void> {
    return this.exclusive(async () => {
      const seq = await this.reserveSeq();
      await this.writeBatchFile(`${seqName(seq)}.jsonl`, { v: 1, batchId, createdAt: this.isoNow() }, points);
      this.notify();
    });
  }

  /** The oldest batch, or null when the queue is empty. */
  async next(): Promise<QueuedBatch | null> {
    for (const file of await this.batchFiles()) {
      const batch = await this.read(file);
      if (batch) return batch;
    }
    return null;
  }

  /** The API has the batch: forget it. */
  async remove(batch: QueuedBatch): Promise<void> {
    await rm(path.join(this.paths.queue, batch.file), { force: true });
    await fsyncDir(this.paths.queue);
  }

  /**
   * The API refused (part of) a batch: keep the record in dead-letter/, queue the points it did not name as a
   * new batch with an id derived from the old one (so a crash here re-creates the same batch), then drop the
   * original. Returns the id of that remainder, if any.
   */
  async deadLetter(
    batch: QueuedBatch,
    record: Record<string, unknown>,
    remainder: readonly LabeledPoint[],
  ): Promise<{ file: string; remainderId: string | null }> {
    return this.exclusive(async () => {
      const deadFile = path.join(
        this.paths.deadLetter,
        `${batch.file.replace(/\.jsonl$/, '')}-${batch.batchId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`,
      );
      await writeAtomic(deadFile, `${JSON.stringify(record, null, 2)}\n`);
      let remainderId: string | null = null;
      if (remainder.length > 0) {
        remainderId = derivedId(batch.batchId, 'r');
        await this.writeBatchFile(
          batch.file.replace(/\.jsonl$/, '.r.jsonl'),
          { v: 1, batchId: remainderId, createdAt: batch.createdAt },
          remainder,
        );
      }
      await rm(path.join(this.paths.queue, batch.file), { force: true });
      await fsyncDir(this.paths.queue);
      return { file: deadFile, remainderId };
    });
  }

  async depth(): Promise<QueueDepth> {
    return queueDepth(this.options.stateDir);
  }

  /** The number the next batch gets: every batch queued so far has a lower one (a remainder keeps its batch's). */
  get nextSeq(): number {
    return this.state.nextSeq;
  }

  /** True when no batch numbered below seq is left in queue/: the API has stored or refused all of them. */
  async answeredBelow(seq: number): Promise<boolean> {
    return (await this.batchFiles()).every((name) => Number.parseInt(name, 10) >= seq);
  }

  /** Resolves when a batch is added to queue/, after timeoutMs, or when signal aborts; leaves no listener behind. */
  waitForBatch(signal: AbortSignal, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Seals the open batch so the next start sends it first. */
  async close(): Promise<void> {
    await this.flush();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private isoNow(): string {
    return new Date(this.options.clock.now()).toISOString();
  }

  private async reserveSeq(): Promise<number> {
    const seq = this.state.nextSeq;
    this.state = { ...this.state, nextSeq: seq + 1 };
    await writeAtomic(this.paths.state, `${JSON.stringify(this.state)}\n`);
    return seq;
  }

  private async openJournal() {
    const seq = await this.reserveSeq();
    const file = path.join(this.options.stateDir, `open-${seq}.jsonl`);
    const batchId = `${this.options.agentName}.${this.state.epoch}.${seq}`;
    const handle = await open(file, 'a');
    await handle.appendFile(`${JSON.stringify({ v: 1, batchId, createdAt: this.isoNow() } satisfies Header)}\n`);
    await handle.datasync();
    await fsyncDir(this.options.stateDir);
    this.journal = { handle, file, seq, batchId, count: 0 };
    const delay = this.options.flushIntervalMs + this.options.random() * this.options.flushJitterMs;
    this.flushTimer = setTimeout(() => void this.flush().catch(() => undefined), delay);
    this.flushTimer.unref();
    return this.journal;
  }

  private async sealJournal(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const journal = this.journal;
    if (!journal) return;
    this.journal = null;
    await journal.handle.close();
    if (journal.count === 0) {
      await rm(journal.file, { force: true });
      return;
    }
    await rename(journal.file, path.join(this.paths.queue, `${seqName(journal.seq)}.jsonl`));
    await fsyncDir(this.paths.queue);
    await fsyncDir(this.options.stateDir);
    this.notify();
  }

  /** Journals of a run that ended (or was killed): keep every complete line, seal, move on. */
  private async recover(): Promise<void> {
    for (const name of await readdir(this.options.stateDir)) {
      const match = JOURNAL.exec(name);
      if (!match) continue;
      const file = path.join(this.options.stateDir, name);
      const lines = (await readFile(file, 'utf8')).split('\n');
      const complete: string[] = [];
      for (const line of lines) {
        if (!line) continue;
        try {
          JSON.parse(line);
          complete.push(line);
        } catch {
          break; // the line being written when the process died: its append() never returned
        }
      }
      if (complete.length <= 1) {
        await rm(file, { force: true });
        continue;
      }
      const target = path.join(this.paths.queue, `${seqName(Number(match[1]))}.jsonl`);
      await writeAtomic(`${file}.sealed`, `${complete.join('\n')}\n`);
      await rename(`${file}.sealed`, target);
      await rm(file, { force: true });
    }
    for (const name of await readdir(this.paths.queue))
      if (name.endsWith('.tmp')) await rm(path.join(this.paths.queue, name), { force: true });
    await fsyncDir(this.paths.queue);
  }

  private async batchFiles(): Promise<string[]> {
    return (await readdir(this.paths.queue)).filter((name) => name.endsWith('.jsonl')).sort();
  }

  private async read(file: string): Promise<QueuedBatch | null> {
    let text: string;
    try {
      text = await readFile(path.join(this.paths.queue, file), 'utf8');
    } catch {
      return null; // removed meanwhile
    }
    try {
      return parseBatchFile(file, text);
    } catch (error) {
      // Written atomically, so this means someone edited it: set it aside rather than block the queue forever.
      await rename(path.join(this.paths.queue, file), path.join(this.paths.deadLetter, `${file}.unreadable`));
      return null;
    }
  }

  private async writeBatchFile(file: string, header: Header, points: readonly LabeledPoint[]): Promise<void> {
    const body = [JSON.stringify(header), ...points.map((p) => JSON.stringify({ p: p.point, o: p.origin }))].join('\n');
    await writeAtomic(path.join(this.paths.queue, file), `${body}\n`);
  }
}

export function parseBatchFile(file: string, text: string): QueuedBatch {
  const [headerLine, ...lines] = text.split('\n').filter(Boolean);
  const header = JSON.parse(headerLine ?? '') as Header;
  if (header.v !== 1 || typeof header.batchId !== 'string') throw new Error(`${file}: not a dxoc-agent batch`);
  const points = lines.map((line) => {
    const parsed = JSON.parse(line) as { p: IngestPoint; o: string };
    return { point: parsed.p, origin: parsed.o };
  });
  return { file, batchId: header.batchId, createdAt: header.createdAt, points };
}

/** Depth without opening the queue (the status command may run next to a running agent). */
export async function queueDepth(stateDir: string): Promise<QueueDepth> {
  const paths = queuePaths(stateDir);
  const depth: QueueDepth = { batches: 0, points: 0, oldestCreatedAt: null };
  const files = await readdir(paths.queue).catch(() => [] as string[]);
  const journals = (await readdir(stateDir).catch(() => [] as string[]))
    .filter((name) => JOURNAL.test(name))
    .map((name) => path.join(stateDir, name));
  for (const full of [
    ...files
      .filter((n) => n.endsWith('.jsonl'))
      .sort()
      .map((n) => path.join(paths.queue, n)),
    ...journals,
  ]) {
    const text = await readFile(full, 'utf8').catch(() => '');
    const lines = text.split('\n').filter(Boolean);
    if (lines.length <= 1) continue;
    depth.batches += 1;
    depth.points += lines.length - 1;
    try {
      const createdAt = (JSON.parse(lines[0] as string) as Header).createdAt;
      if (!depth.oldestCreatedAt || createdAt < depth.oldestCreatedAt) depth.oldestCreatedAt = createdAt;
    } catch {
      // a torn journal header: counted, not dated
    }
  }
  return depth;
}

/** "<id>.r", kept within the API's 128 characters. */
export function derivedId(batchId: string, suffix: string): string {
  const id = `${batchId}.${suffix}`;
  return id.length <= 128 ? id : `${batchId.slice(0, 128 - suffix.length - 1)}.${suffix}`;
}

function seqName(seq: number): string {
  return String(seq).padStart(12, '0');
}

async function readState(file: string): Promise<AgentState> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as AgentState;
    if (typeof parsed.epoch === 'string' && Number.isInteger(parsed.nextSeq)) return parsed;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const fresh = { epoch: randomBytes(4).toString('hex'), nextSeq: 1 };
  await writeAtomic(file, `${JSON.stringify(fresh)}\n`);
  return fresh;
}

/** Write, fsync, rename, fsync the folder: the file is either the old one or the whole new one. */
export async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

export async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // some filesystems do not allow fsync on a directory; the rename is still atomic
  } finally {
    await handle?.close();
  }
}

/** For status.json, cursors: small files rewritten often, atomic but not worth an fsync each time. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, file);
}
