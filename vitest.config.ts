import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  // Compiles Svelte 5 runes in the UI's *.svelte.ts modules (sessions, lesson player) for their tests.
  plugins: [svelte()],
  test: {
    include: ['test/**/*.test.ts'],
    // Differential suites start real redis-server processes; keep a little headroom.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/support/conductor-promises.ts'],
  },
});
