/** Time and chance come in through these, so tests can drive retries, flush timers and jitter. */
export interface Clock {
  /** epoch milliseconds */
  now(): number;
  /** Resolves after ms, or at once when signal aborts (never rejects: loops check signal.aborted). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type Random = () => number;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
    }),
};
