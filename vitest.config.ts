import { defineConfig, configDefaults } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** What every project shares. */
const common = {
  // Differential suites start real redis-server processes; keep a little headroom.
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  setupFiles: ['test/support/conductor-promises.ts'],
  // On a loaded CI machine a real bash or redis-server oracle sometimes loses a race that the test
  // did not foresee; one retry keeps that from hiding a whole session's work, and the flaky
  // reporter names each such test at the end of the run so the race gets fixed.
  retry: process.env.CI ? 1 : 0,
};

export default defineConfig({
  test: {
    reporters: ['default', './test/support/flaky-reporter.ts'],
    // Two projects so that the e2e files' production build (their globalSetup) is made once per
    // run, and only when an e2e file is selected: `vitest run test/sim/x.test.ts` builds nothing.
    projects: [
      {
        // Compiles Svelte 5 runes in the UI's *.svelte.ts modules (sessions, lesson player) for their tests.
        plugins: [svelte()],
        test: { ...common, name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/e2e/**'] },
      },
      {
        test: { ...common, name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/e2e/global-setup.ts'] },
      },
    ],
  },
});
