/**
 * cluster_state: ok or fail (clusterUpdateState).
 *
 * The cluster is "fail" when, with cluster-require-full-coverage yes, some slot is unassigned
 * or served by a FAIL master, or when we are in a minority partition: fewer than size/2 + 1 of
 * the masters serving slots are reachable (neither PFAIL nor FAIL) from here.
 *
 * Two delays keep a master from accepting writes too early:
 * - after start-up, a master stays "fail" for 2 s (CLUSTER_WRITABLE_DELAY) from the first
 *   evaluation, giving the cluster a chance to reconfigure it;
 * - a master that was in a minority partition waits node_timeout (clamped to 500..5000 ms)
 *   after it last saw itself in the minority before turning "ok" again.
 */
import type { Cluster } from './cluster';
import { CLUSTER_FAIL, CLUSTER_OK, TODO_UPDATE_STATE } from './cluster';
import { CLUSTER_SLOTS } from './crc16';
import { NODE_FAIL, NODE_PFAIL } from './node';

const MAX_REJOIN_DELAY_MS = 5000;
const MIN_REJOIN_DELAY_MS = 500;
const WRITABLE_DELAY_MS = 2000;

/**
 * Every slot is assigned, to a node not FAIL. Redis scans the slot table; the slots' owners
 * (Cluster.slotCounts) say the same, and the state is updated on most events of a cluster.
 */
export function everySlotServed(cl: Cluster): boolean {
  if (cl.assignedSlots < CLUSTER_SLOTS) return false;
  for (const n of cl.slotCounts.keys()) if (n.flags & NODE_FAIL) return false;
  return true;
}

export function updateClusterState(cl: Cluster): void {
  cl.todo &= ~TODO_UPDATE_STATE;
  const now = cl.now();
  if (cl.firstUpdateStateCallMs === 0) cl.firstUpdateStateCallMs = now;
  if (cl.myself.isMaster() && cl.state === CLUSTER_FAIL && now - cl.firstUpdateStateCallMs < WRITABLE_DELAY_MS) return;

  let newState = CLUSTER_OK;
  if (cl.server.config.get<boolean>('cluster-require-full-coverage') && !everySlotServed(cl)) newState = CLUSTER_FAIL;

  let reachableMasters = 0;
  cl.size = 0;
  for (const n of cl.nodes.values()) {
    if (n.isMaster() && n.numSlots) {
      cl.size++;
      if ((n.flags & (NODE_FAIL | NODE_PFAIL)) === 0) reachableMasters++;
    }
  }
  const neededQuorum = Math.floor(cl.size / 2) + 1;
  if (reachableMasters < neededQuorum) {
    newState = CLUSTER_FAIL;
    cl.amongMinorityTimeMs = now;
  }

  if (newState !== cl.state) {
    const rejoinDelay = Math.min(MAX_REJOIN_DELAY_MS, Math.max(MIN_REJOIN_DELAY_MS, cl.nodeTimeoutMs()));
    if (newState === CLUSTER_OK && cl.myself.isMaster() && now - cl.amongMinorityTimeMs < rejoinDelay) return;
    cl.log.warning(`Cluster state changed: ${newState === CLUSTER_OK ? 'ok' : 'fail'}`);
    cl.state = newState;
  }
}
