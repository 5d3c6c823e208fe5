import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // building k6 from source takes several minutes on 2 cores (once per machine), then the smoke run about one
    testTimeout: 20 * 60_000,
    hookTimeout: 20 * 60_000,
  },
});
