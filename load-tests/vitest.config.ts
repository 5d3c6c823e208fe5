import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    // The scenario scripts import k6's built-in modules; without k6 the tests load stand-ins (test/k6/*.ts) that record
    // what the scripts do. A k6 module without a stand-in fails to load, and the import-graph test names it.
    alias: [{ find: /^k6\/(.+)$/, replacement: path.join(here, 'test/k6/$1.ts') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // the scripts are re-evaluated for each load (knobs are read at init): a few seconds per file at most
    testTimeout: 60_000,
  },
});
