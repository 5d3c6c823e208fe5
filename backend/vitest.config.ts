import { defineConfig } from 'vitest/config';

const base = {
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  // Each file boots its own embedded TimescaleDB (WASM): give it room, and keep two at a time on 2 cores.
  testTimeout: 60_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
  maxWorkers: 2,
  // The two worker processes run file after file instead of a new process per file: each file no longer loads Nest,
  // pg and the application again (1.4 s), nor compiles the embedded database's WASM afresh (its first open in a
  // process takes 1.8 s, later ones 0.9). Every file still starts its own servers on fresh databases; a test server
  // is a Nest application with its own registry, logger and timers, as several per file already were.
  // Suite 342 → 207–227 s on one machine (load-tests/RESULTS.md, 8 Dec 2026).
  isolate: false,
};

/**
 * With TEST_DATABASE_URL (a TimescaleDB server), the suites run twice: as always ("embedded"), and again with every
 * test server on a fresh database of that server ("server", see defaultDriver in test/support/databases.ts). The
 * storage and upgrade suites already cover every driver themselves; pure unit suites touch no database.
 */
const server = process.env.TEST_DATABASE_URL
  ? [
      { test: { ...base, name: 'embedded' } },
      {
        test: {
          ...base,
          name: 'server',
          env: { DXOC_TEST_DRIVER: 'server' },
          exclude: [
            'test/storage.test.ts',
            'test/migration-upgrade.test.ts',
            'test/alerts-conditions.test.ts',
            'test/alerts-state-machine.test.ts',
            'test/events.test.ts',
            'test/catalog-cache.test.ts',
            'test/config.test.ts',
            'test/pglite-worker.test.ts',
            'test/embedded-host.test.ts',
            'src/**',
          ],
        },
      },
    ]
  : undefined;

// with a server, the run fails if a test file left its database there (test/support/server-databases-left.ts)
export default defineConfig({
  test: server ? { projects: server, globalSetup: ['test/support/server-databases-left.ts'] } : base,
});
