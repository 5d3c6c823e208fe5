import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the checks read files and spawn a few short shell scripts: seconds, not minutes
    testTimeout: 20_000,
  },
});
