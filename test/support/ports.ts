/**
 * Port allocation for tests. Suites run in parallel (several vitest workers) and one after the
 * other in the same worker, and a port must not be handed out twice in a run: a server or a
 * sentinel that outlives its test (or a sentinel that still remembers an address) would talk to
 * whatever another test starts on that port later — a sentinel reconfiguring a stranger's server
 * as its replica, for instance. So every port handed out is claimed with a file created
 * exclusively in a directory shared by all workers; claims expire after a while so repeated
 * runs on one machine don't run out. The cluster bus port (port + 10000) is claimed with it.
 */
import * as net from 'node:net';
import { mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIRST_PORT = 20000;
const LAST_PORT = 44000;
const BUS_OFFSET = 10000;
const CLAIMS_DIR = join(tmpdir(), 'halab-test-ports');
const CLAIM_TTL_MS = 30 * 60_000;

// Workers start at different places so they rarely contend for the same claims.
const span = LAST_PORT - FIRST_PORT;
let next = FIRST_PORT + ((Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 0) * 1500 + (process.pid % 97) * 211) % span);

/** A TCP port that is free on 127.0.0.1 and was not handed to any other test of this run. */
export async function freePort(): Promise<number> {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  for (let tries = 0; tries < 2000; tries++) {
    const p = next++;
    if (next > LAST_PORT) next = FIRST_PORT;
    if (!claim(p)) continue;
    if (!claim(p + BUS_OFFSET)) continue;
    if ((await isFree(p)) && (await isFree(p + BUS_OFFSET))) return p;
  }
  throw new Error('no free port');
}

/** Create the port's claim file; false when a live claim exists (a stale one is replaced). */
function claim(port: number, retry = true): boolean {
  const file = join(CLAIMS_DIR, String(port));
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    try {
      if (retry && Date.now() - statSync(file).mtimeMs > CLAIM_TTL_MS) {
        unlinkSync(file);
        return claim(port, false);
      }
    } catch {
      // Another worker replaced it first.
    }
    return false;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
  });
}
