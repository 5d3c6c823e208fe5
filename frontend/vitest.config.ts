import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    // the browser tests share one backend, one build and one Chromium: keep files in one worker each
    fileParallelism: true,
    // browser tests share the machine with every other workspace's tests under `npm test`: generous limits,
    // and no timing assertion except the "alert on the wall within 2 s"
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
