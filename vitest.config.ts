import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Differential suites start real redis-server processes; keep a little headroom.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
