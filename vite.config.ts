import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { serviceWorkerSource } from './src/ui/offline/service-worker';

/**
 * Writes sw.js with the list of every file of the build (the page, its chunks, the process
 * workers, and the programs for processes placed on the page), so the page works offline.
 */
function precache(): Plugin {
  return {
    name: 'halab-precache',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map')).sort();
      files.push('favicon.svg');
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: serviceWorkerSource(files, version) });
    },
  };
}

export default defineConfig({
  // Relative URLs: dist/ works from any static web server, at any path.
  base: './',
  plugins: [svelte(), precache()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
