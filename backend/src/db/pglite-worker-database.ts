import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Database, QueryResult, Queryable } from './database';
import { DatabaseSetupError, DatabaseUnavailableError, toDatabaseError } from './errors';
import { SETUP_ID, deserializeError, type WorkerReply, type WorkerRequest, type WorkerSetup } from './pglite-worker-protocol';

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Starts pglite-worker.ts in a thread. Node 20 gives a worker neither the parent's module hooks nor a way to run
 * a .ts entry, so a small bootstrap loads it through tsx's API (tsx is what runs the backend everywhere).
 */
function startWorker(setup: WorkerSetup): Worker {
  const require = createRequire(import.meta.url);
  const tsxPackage = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(tsxPackage, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsxApi = pathToFileURL(path.join(path.dirname(tsxPackage), manifest.exports['./esm/api']!.import.default)).href;
  const entry = new URL('./pglite-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`;
  // No inherited flags: tsx's own hooks from execArgv clash with tsImport, and profiling flags are for the main thread.
  return new Worker(bootstrap, { eval: true, workerData: setup, execArgv: [] });
}

/**
 * Embedded TimescaleDB in a worker thread, for `dxoc serve`: the WASM Postgres gets a core of its own, so SQL
 * overlaps the main thread's HTTP, JSON and validation work instead of taking turns with it. Same semantics as
 * PGliteDatabase (one session; transactions are exclusive), same errors.
 */
export class WorkerPGliteDatabase implements Database {
  readonly driver = 'pglite' as const;
  private readonly pending = new Map<number, { resolve: (reply: WorkerReply & { ok: true }) => void; reject: (error: Error) => void }>();
  private nextId = SETUP_ID + 1;
  /** Set when the worker is gone: every later call fails at once, as a closed database would. */
  private gone: Error | null = null;
  private closing = false;
  private readonly lostListeners: ((error: Error) => void)[] = [];

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply);
      else waiter.reject(toDatabaseError(deserializeError(reply.error)) as Error);
    });
    const lost = (reason: string) => {
      const first = !this.gone;
      this.gone ??= new DatabaseUnavailableError(new Error(`the embedded database thread ${reason}`));
      for (const waiter of this.pending.values()) waiter.reject(this.gone);
      this.pending.clear();
      if (first && !this.closing) for (const listener of this.lostListeners) listener(this.gone);
    };
    worker.on('error', (error) => lost(`failed: ${error.message}`));
    worker.on('exit', (code) => lost(`exited (code ${code})`));
  }

  /** Opens dataDir in a new worker thread and, with socketPath, shares it there with CLI commands. */
  static async open(setup: WorkerSetup): Promise<WorkerPGliteDatabase> {
    const worker = startWorker(setup);
    const db = new WorkerPGliteDatabase(worker);
    const ready = new Promise<void>((resolve, reject) => db.pending.set(SETUP_ID, { resolve: () => resolve(), reject }));
    try {
      await ready;
    } catch (error) {
      await worker.terminate();
      const reason =
        error instanceof DatabaseUnavailableError && error.cause instanceof Error ? error.cause.message : (error as Error).message;
      throw new DatabaseSetupError(`cannot open the embedded database in ${setup.dataDir}: ${reason}`);
    }
    return db;
  }

  /** Called once if the database thread dies without close() (a WASM abort, out of memory): nothing more will work. */
  onLost(listener: (error: Error) => void): void {
    this.lostListeners.push(listener);
  }

  private call(request: Request): Promise<WorkerReply & { ok: true }> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId;
    this.nextId += 1;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } as WorkerRequest);
    });
  }

  private session(tx: number | null, priority = false): Queryable {
    return {
      query: async <R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> => {
        const reply = await this.call({ op: 'query', tx, sql, params, priority });
        return { rows: (reply.rows ?? []) as R[], rowCount: reply.rowCount ?? 0 };
      },
      exec: async (sql: string): Promise<void> => {
        await this.call({ op: 'exec', tx, sql, priority });
      },
    };
  }

  /** The worker runs these next, ahead of the statements and transactions already waiting (see pglite-worker.ts). */
  readonly priority: Queryable = this.session(null, true);

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.session(null).query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.session(null).exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const tx = this.nextId; // the id of the begin request names the transaction
    // Not awaited before fn: its statements queue behind the BEGIN in the worker, saving a round trip while the
    // transaction holds the database. If BEGIN fails, the worker fails them too.
    const begun = this.call({ op: 'begin' });
    begun.catch(() => undefined);
    let result: T;
    try {
      result = await fn(this.session(tx));
      await begun;
    } catch (error) {
      const beginError = await begun.then(
        () => null,
        (failure: unknown) => failure,
      );
      if (beginError) throw beginError;
      await this.call({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.call({ op: 'end', tx, commit: true });
    return result;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.gone) return;
    await this.call({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
