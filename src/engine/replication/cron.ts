/**
 * replicationCron(): once a second (ten times a second while a FAILOVER runs), from
 * serverCron. The replica half reconnects a link in `connect` state and sends REPLCONF ACK;
 * the master half PINGs replicas every `repl-ping-replica-period` seconds (those PINGs are
 * part of the stream and count in the offsets), sends newlines to replicas waiting for their
 * RDB, drops replicas that stopped acknowledging, frees an unused backlog after
 * `repl-backlog-ttl`, starts the BGSAVE replicas wait for (after `repl-diskless-sync-delay`)
 * and deletes an RDB made only for replicas on a persistence-less master.
 *
 * The link's own timeouts (connecting, handshake, transfer, master silence) are delayed
 * transitions of the link machine (link-machine.ts), not checks here.
 */
import type { CronTick, RedisServer } from '../server/server';
import { replState } from './state';
import { masterCron, refreshGoodSlavesCount, replicasWaitingRdb, checkSocketChildDone, replicaStreamOwed } from './master';
import { removeRdbUsedToSyncReplicas } from '../persistence/rdb-sync-files';
import { persistenceOf } from '../persistence/state';
import type { ReplicaSide } from './replica';
import { updateFailoverStatus, failoverPausedWrites } from './failover';

/**
 * run_with_period(ms) at the current serverCron loop. Redis's first serverCron runs 1 ms
 * after start-up (loop 0); ours ticks first one period later, so the start-up run is made by
 * `firstReplicationCron` and the periodic ones fall on the loops Redis would use.
 */
function runWithPeriod(server: RedisServer, ms: number): boolean {
  const hz = Math.max(1, Math.min(500, server.config.get<number>('hz')));
  const every = 1000 / hz;
  return ms <= every || server.cronLoops % Math.floor(ms / every) === 0;
}

/** Redis's serverCron loop 0, right after start-up. */
export function firstReplicationCron(server: RedisServer, replica: ReplicaSide): void {
  server.os.setTimer(1, () => server.event(() => replicationCron(server, replica)));
}

/** The serverCron part: reap the diskless child every tick, replicationCron at its period. */
export function serverCronReplication(server: RedisServer, replica: ReplicaSide): void {
  checkSocketChildDone(server);
  const st = replState(server);
  const period = st.failoverState !== 'no-failover' ? 100 : 1000;
  if (runWithPeriod(server, period)) replicationCron(server, replica);
}

/**
 * When serverCronReplication could first act (CronHook.quietUntil): at once while an RDB
 * goes to replicas through a socket child or a FAILOVER runs, else on the next loop that runs
 * replicationCron (which may PING, ACK, reconnect or time a replica out).
 */
export function replicationQuietUntil(server: RedisServer, tick: CronTick): number {
  const st = replState(server);
  if (st.socketTransfer || st.failoverState !== 'no-failover' || st.waitingAcks.length > 0 || st.getAckFromSlaves) return tick.atMs;
  if (replicaStreamOwed(server)) return tick.atMs;
  // A master with no replicas: replicationCron only counts its loops, until an unused
  // backlog's repl-backlog-ttl runs out (it is freed, and that is logged) or an RDB made only
  // for replicas is to be deleted.
  if (st.replicas.length === 0 && server.masterHost === null && !persistenceOf(server).rdbGeneratedByReplication) {
    const ttlSec = server.config.get<number>('repl-backlog-ttl');
    return ttlSec && st.backlog ? Math.max(tick.atMs, (st.noSlavesSinceSec + ttlSec + 1) * 1000) : Infinity;
  }
  // runWithPeriod(1000) on loops that are multiples of this (a replication server's ticks come
  // every tick.periodMs: it has no sentinel's hz override).
  if (1000 <= tick.periodMs) return tick.atMs;
  const loops = Math.floor(1000 / tick.periodMs);
  return tick.atMs + ((loops - (tick.loops % loops)) % loops) * tick.periodMs;
}

export function replicationCron(server: RedisServer, replica: ReplicaSide): void {
  const st = replState(server);
  updateFailoverStatus(server, replica);
  if (server.masterHost !== null && replica.state() === 'connect') replica.send({ type: 'CRON' });
  if (server.masterHost !== null && st.master && !st.master.prePsync) replica.sendAck();
  masterCron(server, failoverPausedWrites(server));
  removeRdbUsedToSyncReplicas(server, replicasWaitingRdb(server));
  refreshGoodSlavesCount(server);
  st.cronLoops++;
}
