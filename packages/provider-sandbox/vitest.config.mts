import { defineConfig } from 'vitest/config';

/** The sandbox's own tests, without mailsync's stack: `npm test -w @mailsync/provider-sandbox`. The root `npm test` runs them too. */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
  },
});
