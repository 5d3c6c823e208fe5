import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // browser tests share the machine with every other workspace's tests under `npm test`: generous limits,
    // and no timing assertion except the "alert on the wall within 2 s"
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // two files at a time (vitest's default on 2 cores is one): a browser-test file spends much of its time waiting,
    // for its backend process to start, for socket.io's reconnect back-off, for the wall, and the other file uses it
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['e2e/**/*.test.ts'],
          // the frontend build and a backend data directory are made once for every file (run-once.ts), only when a
          // browser test runs; each file starts its own backend (on a copy of that data) and Chromium, in one worker each
          globalSetup: ['e2e/support/run-once.ts'],
          fileParallelism: true,
        },
      },
    ],
  },
});
