/**
 * What the cluster needs from replication, as one replaceable object.
 *
 * Redis Cluster drives replication itself: CLUSTER REPLICATE, an UPDATE that demotes a master
 * and the cron's "my master is known but replication is off" check all call
 * replicationSetMaster(); CLUSTER RESET and a won election call replicationUnsetMaster(); the
 * election ranks replicas by their replication offset.
 *
 * `replicationHooks(server)` uses the server's replication subsystem
 * (src/engine/replication, `replicationOf(server)`): REPLICATE starts a real link. A server
 * without replication attached (a bare test server) gets `recordOnlyReplicationHooks`, which
 * only records the relation (masterHost/masterPort and replState 'connect', what a
 * `replicaof` directive does before any link exists).
 */
import type { RedisServer } from '../server/server';
import { replicationOf } from '../replication';
import { replState, unixtime } from '../replication/state';
import { forgetReplicaKeysWithExpire } from '../keyspace/replica-expire';

export interface ClusterReplicationHooks {
  /** Become a replica of ip:port (replicationSetMaster). */
  setMaster(ip: string, port: number): void;
  /** Stop replicating and become a master (replicationUnsetMaster). */
  unsetMaster(): void;
  /** The offset a replica has processed (replicationGetSlaveOffset), 0 when unknown. */
  replicaOffset(): number;
  /** Empty the dataset before re-syncing (CLUSTER RESET on a replica: emptyData). */
  emptyData(): void;
  /**
   * How old a replica's data is (clusterHandleSlaveFailover's data_age, whole seconds × 1000):
   * since the last interaction with a connected master, else since the link went down
   * (repl_down_since, 0 = never up, hence "very old").
   */
  dataAgeMs(): number;
}

export function recordOnlyReplicationHooks(server: RedisServer): ClusterReplicationHooks {
  return {
    setMaster(ip, port) {
      server.masterHost = ip;
      server.masterPort = port;
      server.replState = 'connect';
    },
    unsetMaster() {
      server.masterHost = null;
      server.masterPort = 0;
      server.replState = 'none';
    },
    replicaOffset() {
      return 0;
    },
    emptyData() {
      for (const db of server.dbs) db.clear();
      forgetReplicaKeysWithExpire(server);
    },
    // No replication link to age: nothing stops an election.
    dataAgeMs() {
      return 0;
    },
  };
}

/** replicationGetSlaveOffset(): the offset processed from our (possibly cached) master, else 0. */
function replicaProcessedOffset(server: RedisServer): number {
  if (server.masterHost === null) return 0;
  const st = replState(server);
  const link = st.master ?? st.cachedMaster;
  return link ? Math.max(0, link.reploff) : 0;
}

function replicaDataAgeMs(server: RedisServer): number {
  const now = unixtime(server);
  const st = replState(server);
  const master = st.master?.client;
  if (server.replState === 'connected' && master) return (now - Math.floor(master.lastInteractionMs / 1000)) * 1000;
  return (now - st.downSinceSec) * 1000;
}

/** The hooks backed by the server's replication subsystem (record-only when it is absent). */
export function replicationHooks(server: RedisServer): ClusterReplicationHooks {
  let repl: ReturnType<typeof replicationOf>;
  try {
    repl = replicationOf(server);
  } catch {
    return recordOnlyReplicationHooks(server);
  }
  return {
    setMaster: (ip, port) => repl.setMaster(ip, port),
    unsetMaster: () => repl.unsetMaster(),
    replicaOffset: () => replicaProcessedOffset(server),
    dataAgeMs: () => replicaDataAgeMs(server),
    emptyData() {
      for (const db of server.dbs) db.clear();
      forgetReplicaKeysWithExpire(server);
    },
  };
}
