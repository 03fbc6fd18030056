import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { serviceWorkerSource } from './src/ui/offline/service-worker';

/**
 * Modules whose dynamic imports only the inline runtime follows (processes on the page's own
 * thread: the standard programs, the inspection code). The page runs its processes in Web
 * Workers, so those chunks are never loaded there and are not precached.
 */
const INLINE_RUNTIME_IMPORTERS = ['/src/sim/world.ts', '/src/sim/runtime/runtime.ts'];

/**
 * Writes sw.js with the list of every file of the build the page may load (all of them but the
 * chunks only an inline runtime loads), so the page works offline.
 */
function precache(): Plugin {
  return {
    name: 'halab-precache',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const byFacade = new Map(chunks.filter((c) => c.facadeModuleId).map((c) => [c.facadeModuleId!, c.fileName]));
      const inlineOnly = new Set<string>();
      for (const [id, file] of byFacade) {
        const importers = this.getModuleInfo(id)?.dynamicImporters ?? [];
        if (importers.length > 0 && importers.every((m) => INLINE_RUNTIME_IMPORTERS.some((x) => m.endsWith(x)))) inlineOnly.add(file);
      }
      // What the page can load: from the entries, through static and dynamic imports, except
      // into the inline runtime's chunks.
      const reachable = new Set<string>();
      const visit = (file: string) => {
        if (reachable.has(file) || inlineOnly.has(file)) return;
        reachable.add(file);
        const c = bundle[file];
        if (c?.type === 'chunk') for (const f of [...c.imports, ...c.dynamicImports]) visit(f);
      };
      for (const c of chunks) if (c.isEntry) visit(c.fileName);
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map') && (bundle[f].type === 'asset' || reachable.has(f))).sort();
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
