/**
 * The e2e project's globalSetup: one production build, served by `vite preview`, for every e2e
 * file of the run. It runs in vitest's main process, once, and only when e2e files are
 * selected (a unit test file run alone builds nothing); the files, in their own worker
 * processes, read the address with `inject('e2eBuild')` (browser.ts's useServedBrowser).
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildAndServe, CHROMIUM } from './browser';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  // Without Chromium the suites skip (or fail under CI=true, in their files): nothing to build.
  if (!CHROMIUM) {
    project.provide('e2eBuild', null);
    return undefined;
  }
  const served = await buildAndServe();
  project.provide('e2eBuild', { url: served.url, outDir: served.outDir });
  return async () => {
    await served.close();
    rmSync(served.outDir, { recursive: true, force: true });
  };
}
