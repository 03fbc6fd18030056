/**
 * Becoming a replica and becoming a master again: replicationSetMaster() and
 * replicationUnsetMaster() (replication.c), used by REPLICAOF, the `replicaof` directive,
 * FAILOVER and (through `replicationOf(server)`) by Cluster's CLUSTER REPLICATE.
 *
 * - A master that becomes a replica keeps its replicas (they may PSYNC with it later) and
 *   synthesizes a cached master from its own replication ID and offset, so that if the new
 *   master was its replica, a partial resync is enough.
 * - A replica that becomes a master shifts its replication ID (the old one stays valid up to
 *   the current offset as master_replid2/second_repl_offset, which is PSYNC2), and
 *   disconnects its replicas so they re-handshake and continue with +CONTINUE <newid>.
 */
import { setOomScoreAdj } from '../server/oom-score-adj';
import type { RedisServer } from '../server/server';
import { replState, unixtime } from './state';
import { disconnectSlaves, shiftReplicationId } from './master';
import type { ReplicaSide } from './replica';
import { persistenceOf } from '../persistence/state';

/**
 * disconnectAllBlockedClients(): clients blocked on keys or in WAIT are told the role changed
 * and closed (a paused client is re-run later instead).
 */
export function disconnectAllBlockedClients(server: RedisServer): void {
  for (const c of [...server.clients.values()]) {
    const b = c.blocked;
    if (!b || b.kind === 'pause') continue;
    c.replyError('-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)');
    server.unblockClient(c, false);
    const st = replState(server);
    const i = st.waitingAcks.indexOf(c);
    if (i >= 0) st.waitingAcks.splice(i, 1);
    c.close();
  }
}

/** replicationSetMaster(). */
export function setMaster(server: RedisServer, replica: ReplicaSide, host: string, port: number): void {
  const st = replState(server);
  const wasMaster = server.masterHost === null;
  // masterHost is cleared while the old master client is freed, so that freeing it caches
  // it without reconnecting.
  server.masterHost = null;
  if (st.master?.client) server.freeClient(st.master.client);
  disconnectAllBlockedClients(server);
  server.masterHost = host;
  server.masterPort = port;
  setOomScoreAdj(server, -1);
  if (wasMaster) {
    replica.discardCachedMaster();
    replica.cacheMasterUsingMyself();
  }
  // cancelReplicationHandshake(0), then connect: the machine logs "Connecting to MASTER".
  replica.send({ type: 'SET_MASTER' });
}

/** replicationUnsetMaster(). */
export function unsetMaster(server: RedisServer, replica: ReplicaSide): void {
  const st = replState(server);
  if (server.masterHost === null) return;
  server.masterHost = null;
  server.masterPort = 0;
  if (st.master?.client) server.freeClient(st.master.client);
  setOomScoreAdj(server, -1);
  replica.discardCachedMaster();
  replica.send({ type: 'UNSET_MASTER' });
  shiftReplicationId(server);
  disconnectSlaves(server);
  st.slaveSelDb = -1;
  st.noSlavesSinceSec = unixtime(server);
  st.downSinceSec = 0;
  // The AOF may have been turned off for a sync that never finished.
  if (server.config.get<boolean>('appendonly') && persistenceOf(server).aofState === 'off') replica.restartAofAfterSync();
}
