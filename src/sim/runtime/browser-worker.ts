/**
 * Entry point of a process's Web Worker in the browser (bundled by Vite:
 * `new Worker(new URL('./browser-worker.ts', import.meta.url), { type: 'module' })`).
 * It runs the standard program registry; closures cannot be sent to a worker, so the programs
 * are imported here.
 */
import { serveRunner } from './worker-serve';
import { STANDARD_PROGRAMS } from '../programs';

serveRunner(self as unknown as Parameters<typeof serveRunner>[0], STANDARD_PROGRAMS);
