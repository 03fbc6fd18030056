/**
 * What the cluster needs from replication, as one replaceable object.
 *
 * Redis Cluster drives replication itself: CLUSTER REPLICATE, an UPDATE that demotes a master
 * and the cron's "my master is known but replication is off" check all call
 * replicationSetMaster(); CLUSTER RESET and a won election call replicationUnsetMaster(); the
 * election ranks replicas by their replication offset.
 *
 * The replication subsystem (src/engine/replication, built separately) installs its own
 * implementation with `setClusterReplicationHooks(server, hooks)` when it starts. Until then
 * the fallback below only records the relation on the server (masterHost/masterPort and
 * replState 'connect', exactly what a `replicaof` directive does before any link exists), so
 * INFO replication, ROLE and the replica-read-only checks already see a replica.
 */
import type { RedisServer } from '../server/server';

export interface ClusterReplicationHooks {
  /** Become a replica of ip:port (replicationSetMaster). */
  setMaster(ip: string, port: number): void;
  /** Stop replicating and become a master (replicationUnsetMaster). */
  unsetMaster(): void;
  /** The offset a replica has processed (replicationGetSlaveOffset), 0 when unknown. */
  replicaOffset(): number;
  /** Empty the dataset before re-syncing (CLUSTER RESET on a replica: emptyData). */
  emptyData(): void;
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
    },
  };
}
