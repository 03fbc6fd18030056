// Worker-thread bootstrap for Node: register tsx so the TypeScript entry can be imported.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
