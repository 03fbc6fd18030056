/**
 * Entry point of a process's worker thread under Node (tests, benchmarks): the same runner as
 * in the browser, over comlink's Node adapter. `workerData.registry` is the URL of a module
 * exporting `programs` (a ProgramRegistry), since functions cannot be sent to a thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { serveRunner } from './worker-serve';
import type { ProgramRegistry } from '../programs';

const mod = (await import(workerData.registry as string)) as { programs?: ProgramRegistry; default?: ProgramRegistry };
serveRunner(nodeEndpoint(parentPort as never), mod.programs ?? mod.default ?? {});
