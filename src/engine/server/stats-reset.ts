/**
 * CONFIG RESETSTAT (resetServerStats + resetCommandTableStats + resetErrorTableStats): zero
 * the INFO counters, the per-command statistics and latency histograms, and the error
 * statistics. Counters that subsystems keep (rdb_saves, aof_rewrites, sync_full...) are reset
 * through `server.hooks.resetStats`.
 */
import type { RedisServer } from './server';
import { resetCommandHistograms } from './command-latency';
import { resetInstantaneousMetrics } from './instantaneous';

/** Fields resetServerStats() leaves alone. */
const KEPT = new Set(['replyBufferShrinks', 'replyBufferExpands', 'clientQbufLimitDisconnections', 'clientOutbufLimitDisconnections', 'totalBlockingKeys', 'pubsubChannelsSent']);

export function resetAllStats(server: RedisServer): void {
  const st = server.stats as unknown as Record<string, number>;
  for (const k of Object.keys(st)) if (!KEPT.has(k)) st[k] = 0;
  for (const cmd of server.table.walk()) {
    if (cmd.stats) { cmd.stats.calls = 0; cmd.stats.usec = 0; cmd.stats.rejectedCalls = 0; cmd.stats.failedCalls = 0; }
  }
  resetCommandHistograms(server);
  server.errorStats.clear();
  resetInstantaneousMetrics(server);
  for (const h of server.hooks.resetStats) h();
}
