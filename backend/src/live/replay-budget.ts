/**
 * How many replay chunks (one database read of up to REPLAY_CHUNK values each) may run at once across every client
 * of an instance. The embedded database runs one statement at a time, so every chunk in flight is a chunk that a
 * health probe or an ingest batch waits behind: with a budget of 2, they wait for at most two chunks however many
 * clients are catching up, and those clients take turns (first come, first served) instead of all reading at once.
 */
export const REPLAY_CONCURRENCY = 2;

/** A counting semaphore, FIFO: a client that asked first replays its next chunk first, so none starves. */
export class ReplayBudget {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly slots: number = REPLAY_CONCURRENCY) {}

  /** Runs one chunk when a slot is free. */
  async run<T>(chunk: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await chunk();
    } finally {
      // hand the slot straight to the next waiter (running stays the same), or free it
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** chunks running now (for tests and metrics) */
  get inUse(): number {
    return this.running;
  }
}
