/**
 * redisFork(): every child of the server (BGSAVE, BGREWRITEAOF, a diskless transfer) is
 * forked here, so that what a fork does happens in one place:
 *
 * - the time fork() blocks the parent is INFO's latest_fork_usec and the latency monitor's
 *   "fork" event. The simulation charges the page-table copy from the parent's memory size
 *   (the Os's cost model), so a big dataset forks slowly there as in Redis; the native host
 *   measures its own (short) fork;
 * - the child first sets its own oom_score_adj (the background-child class), from the state
 *   its parent had when it forked.
 */
import type { Os, ChildMain, ChildProcess } from '../os';
import type { RedisServer } from '../server/server';
import { Logger, type LogLevel } from '../server/log';
import { latencyAddSampleIfNeeded } from '../server/latency-monitor';
import { childOomScoreAdj } from '../server/oom-score-adj';
import { usedMemory } from './snapshot';

/** Fork a child of the server; throws (an OsError) as os.fork does. */
export function forkChild(server: RedisServer, name: string, main: ChildMain): ChildProcess {
  const oomState = { ...server.oomScore };
  const startUs = server.os.nowUs();
  const child = server.os.fork(name, (cos) => {
    childOomScoreAdj(server, cos, oomState, childLogger(server, cos));
    return main(cos);
  }, { memoryBytes: usedMemory(server) });
  server.stats.totalForks++;
  server.stats.latestForkUs = Math.max(0, server.os.nowUs() - startUs);
  latencyAddSampleIfNeeded(server, 'fork', Math.floor(server.stats.latestForkUs / 1000));
  return child;
}

/** A logger for a forked child: same log destination, role C, the child's pid. */
export function childLogger(server: RedisServer, childOs: Os): Logger {
  return new Logger(childOs, () => 'C', () => server.config.get<string>('loglevel') as LogLevel, () => server.config.get<string>('logfile'));
}
