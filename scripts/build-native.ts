/**
 * Bundles the native host's programs (`src/native/*.ts`) into `dist/native/<program>.mjs`, so
 * a process that starts often (Redis's Tcl suites start hundreds of servers) loads one file
 * instead of ~230 TypeScript modules through tsx's loader hooks: our server reaches "Ready to
 * accept connections" in about a tenth of the CPU time (measured in docs/redis-test-suite.md).
 * The bundle is built, never committed (dist/ is ignored); `npm run redis-tests` builds it
 * before every run, so it cannot lag behind the sources there.
 *
 *   npm run build:native                    write dist/native/*.mjs (and their source maps)
 *   node dist/native/redis-server.mjs ...   the same program as npm run redis-server
 */
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROGRAMS = ['redis-server', 'redis-sentinel', 'redis-cli', 'redis-benchmark', 'redis-check-aof', 'redis-check-rdb'] as const;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const NATIVE_DIST = path.join(repoRoot, 'dist/native');

/** Build every program into `outdir`; resolves to it. */
export async function buildNative(outdir = NATIVE_DIST): Promise<string> {
  // Chunk names carry a hash: without this, every change would leave the old chunks behind.
  fs.rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: Object.fromEntries(PROGRAMS.map((p) => [p, path.join(repoRoot, 'src/native', `${p}.ts`)])),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // The programs share the engine: one chunk for it, loaded by each entry.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Stack traces of our own bugs (logged by the server) point into src/ under --enable-source-maps.
    sourcemap: true,
    logLevel: 'warning',
  });
  return outdir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildNative().then((dir) => console.log(`built ${PROGRAMS.length} programs in ${path.relative(process.cwd(), dir) || '.'}`), (e) => {
    console.error(e?.message ?? e);
    process.exit(1);
  });
}
