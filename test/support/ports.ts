/** Port allocation for tests: each vitest worker gets its own range so suites can run in parallel. */
import * as net from 'node:net';

const base = 20000 + ((Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 0) * 400 + (process.pid % 50) * 8000) % 40000);
let next = base;

/** A TCP port that is free right now on 127.0.0.1 (bus ports port+10000 are kept free too). */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const p = next++;
    if (next > 54000) next = 20000;
    if ((await isFree(p)) && (await isFree(p + 10000))) return p;
  }
  throw new Error('no free port');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
  });
}
