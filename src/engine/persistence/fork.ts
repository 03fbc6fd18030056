/**
 * redisFork(): every child of the server (BGSAVE, BGREWRITEAOF, a diskless transfer) is
 * forked here, so that the time fork() blocks the parent is measured in one place: it is
 * INFO's latest_fork_usec and the latency monitor's "fork" event. The simulation charges
 * the page-table copy from the parent's memory size (the Os's cost model), so a big dataset
 * forks slowly there as in Redis; the native host measures its own (short) fork.
 */
import type { RedisServer } from '../server/server';
import type { ChildMain, ChildProcess } from '../os';
import { latencyAddSampleIfNeeded } from '../server/latency-monitor';
import { usedMemory } from './snapshot';

/** Fork a child of the server; throws (an OsError) as os.fork does. */
export function forkChild(server: RedisServer, name: string, main: ChildMain): ChildProcess {
  const startUs = server.os.nowUs();
  const child = server.os.fork(name, main, { memoryBytes: usedMemory(server) });
  server.stats.totalForks++;
  server.stats.latestForkUs = Math.max(0, server.os.nowUs() - startUs);
  latencyAddSampleIfNeeded(server, 'fork', Math.floor(server.stats.latestForkUs / 1000));
  return child;
}
