/**
 * Failover: the master side (voting, pausing for a manual failover) and the parts of the
 * replica side that need no replication (TAKEOVER, manual failover bookkeeping).
 *
 * Voting (clusterSendFailoverAuthIfNeeded). A master serving slots grants at most one vote per
 * currentEpoch (lastVoteEpoch), and only to a replica whose master is FAIL (or that asks with
 * FORCEACK during a manual failover), not sooner than node_timeout × 2 after voting for
 * another replica of the same master, and only if no slot the replica claims is known to be
 * served under a newer configEpoch. The winner needs size/2 + 1 votes.
 *
 * Phase 2 (needs the replication subsystem): `handleReplicaFailover` is where
 * clusterHandleSlaveFailover goes: eligibility (master FAIL with slots, not
 * cluster-replica-no-failover, data not older than repl-ping-replica-period × 1000 +
 * node_timeout × cluster-replica-validity-factor), the delay 500 ms + random(0..499) + rank ×
 * 1000 (rank = replicas with a greater offset), currentEpoch++ and requestFailoverAuth(),
 * counting FAILOVER_AUTH_ACKs (packet.ts already counts them into failoverAuthCount), and on a
 * majority: configEpoch = failoverAuthEpoch, then `failoverReplaceMyMaster`. The manual
 * failover's "wait for the master's offset" step goes to `handleManualFailover`. The cron and
 * beforeSleep already call both at the places Redis does.
 */
import type { Cluster } from './cluster';
import { TODO_FSYNC_CONFIG, TODO_SAVE_CONFIG } from './cluster';
import type { ClusterLink } from './link';
import { NODE_MIGRATE_TO, type ClusterNode } from './node';
import { MFLAG0_FORCEACK, MSG_PING, type MsgHeader } from './message';
import { CLUSTER_SLOTS } from './crc16';
import { broadcastPong, sendFailoverAuth, sendPing } from './bus';
import { updateClusterState } from './cluster-state';
import { pauseClients } from '../server/pause';

/** CLUSTER_MF_TIMEOUT: how long a manual failover may take. */
export const MANUAL_FAILOVER_TIMEOUT_MS = 5000;
/** CLUSTER_MF_PAUSE_MULT: the master pauses writes for twice that. */
const MANUAL_FAILOVER_PAUSE_MULT = 2;

/** clusterSendFailoverAuthIfNeeded: maybe vote for replica `node` (see the top comment). */
export function grantVoteIfNeeded(cl: Cluster, node: ClusterNode, request: MsgHeader): void {
  const me = cl.myself;
  const master = node.slaveof;
  const forceAck = (request.mflags0 & MFLAG0_FORCEACK) !== 0;
  if (me.isSlave() || me.numSlots === 0) return;
  if (request.currentEpoch < cl.currentEpoch) {
    cl.log.warning(`Failover auth denied to ${node.name}: reqEpoch (${request.currentEpoch}) < curEpoch(${cl.currentEpoch})`);
    return;
  }
  if (cl.lastVoteEpoch === cl.currentEpoch) {
    cl.log.warning(`Failover auth denied to ${node.name}: already voted for epoch ${cl.currentEpoch}`);
    return;
  }
  if (node.isMaster() || master === null || (!master.failed() && !forceAck)) {
    if (node.isMaster()) cl.log.warning(`Failover auth denied to ${node.name}: it is a master node`);
    else if (master === null) cl.log.warning(`Failover auth denied to ${node.name}: I don't know its master`);
    else cl.log.warning(`Failover auth denied to ${node.name}: its master is up`);
    return;
  }
  const sinceVote = cl.now() - master.votedTimeMs;
  if (sinceVote < cl.nodeTimeoutMs() * 2) {
    cl.log.warning(`Failover auth denied to ${node.name}: can't vote about this master before ${cl.nodeTimeoutMs() * 2 - sinceVote} milliseconds`);
    return;
  }
  for (let j = 0; j < CLUSTER_SLOTS; j++) {
    if (!(request.myslots[j >> 3] & (1 << (j & 7)))) continue;
    if (cl.isSlotUnclaimed(j) || cl.slots[j]!.configEpoch <= request.configEpoch) continue;
    cl.log.warning(`Failover auth denied to ${node.name}: slot ${j} epoch (${cl.slots[j]!.configEpoch}) > reqEpoch (${request.configEpoch})`);
    return;
  }
  cl.lastVoteEpoch = cl.currentEpoch;
  master.votedTimeMs = cl.now();
  cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_FSYNC_CONFIG);
  sendFailoverAuth(cl, node);
  cl.log.warning(`Failover auth granted to ${node.name} for epoch ${cl.currentEpoch}`);
}

/**
 * MFSTART from one of our replicas: pause writes so its offset can catch up with ours, and
 * ping it at once (the ping carries the PAUSED flag and our final offset).
 */
export function handleMfStart(cl: Cluster, sender: ClusterNode, link: ClusterLink): void {
  cl.resetManualFailover();
  const now = cl.now();
  cl.mfEndMs = now + MANUAL_FAILOVER_TIMEOUT_MS;
  cl.mfSlave = sender;
  pauseClients(cl.server, 'failover', now + MANUAL_FAILOVER_TIMEOUT_MS * MANUAL_FAILOVER_PAUSE_MULT, 'write');
  cl.log.warning(`Manual failover requested by replica ${sender.name}.`);
  sendPing(cl, link, MSG_PING);
}

/** manualFailoverCheckTimeout: give up a manual failover after 5 seconds. */
export function manualFailoverCheckTimeout(cl: Cluster): void {
  if (cl.mfEndMs && cl.mfEndMs < cl.now()) {
    cl.log.warning('Manual failover timed out.');
    cl.resetManualFailover();
  }
}

/**
 * clusterFailoverReplaceYourMaster: the end of every failover. Become a master, take all our
 * old master's slots, persist, and PONG everyone so the cluster learns the new owner. The
 * caller has already given us a new configEpoch.
 */
export function failoverReplaceMyMaster(cl: Cluster): void {
  const me = cl.myself;
  const oldMaster = me.slaveof;
  if (me.isMaster() || oldMaster === null) return;
  cl.setNodeAsMaster(me);
  cl.replication.unsetMaster();
  for (let j = 0; j < CLUSTER_SLOTS; j++) {
    if (oldMaster.hasSlot(j)) {
      cl.delSlot(j);
      cl.addSlot(me, j);
    }
  }
  updateClusterState(cl);
  cl.saveConfigOrDie(true);
  broadcastPong(cl, 'all');
  cl.resetManualFailover();
}

/**
 * clusterHandleSlaveFailover — phase 2 (see the top comment). Until replication provides the
 * master link state and offsets, a replica does not start elections: its master's slots stay
 * unserved (cluster_state:fail), as with a real replica that may not fail over.
 */
export function handleReplicaFailover(_cl: Cluster): void {
  // Intentionally empty until the replication subsystem lands (phase 2).
}

/** clusterHandleManualFailover — phase 2: start once our offset matches the paused master's. */
export function handleManualFailover(_cl: Cluster): void {
  // Intentionally empty until the replication subsystem lands (phase 2).
}

/** CLUSTER_SLAVE_MIGRATION_DELAY: an orphaned master must stay orphaned this long. */
const REPLICA_MIGRATION_DELAY_MS = 5000;

/**
 * clusterHandleSlaveMigration: a replica of the master with the most working replicas (the
 * one with the smallest name among them) moves to a master left without any, once that
 * master has been orphaned for 5 s, if its own master keeps more than
 * cluster-migration-barrier working replicas.
 */
export function handleReplicaMigration(cl: Cluster, maxSlaves: number): void {
  if (cl.state !== 0) return;
  const me = cl.myself;
  const myMaster = me.slaveof;
  if (myMaster === null) return;
  const okSlaves = myMaster.slaves.filter((s) => !s.failed() && !s.timedOut()).length;
  if (okSlaves <= cl.server.config.get<number>('cluster-migration-barrier')) return;
  let candidate: ClusterNode = me;
  let target: ClusterNode | null = null;
  for (const node of cl.nodes.values()) {
    let isOrphaned = !(node.isSlave() || node.failed()) && (node.flags & NODE_MIGRATE_TO) !== 0;
    const nodeOk = node.isMaster() ? node.countNonFailingSlaves() : 0;
    if (nodeOk > 0) isOrphaned = false;
    if (isOrphaned) {
      if (!target && node.numSlots > 0) target = node;
      if (!node.orphanedTimeMs) node.orphanedTimeMs = cl.now();
    } else {
      node.orphanedTimeMs = 0;
    }
    if (nodeOk === maxSlaves) {
      for (const s of node.slaves) if (s.name < candidate.name) candidate = s;
    }
  }
  if (target && candidate === me && cl.now() - target.orphanedTimeMs > REPLICA_MIGRATION_DELAY_MS) {
    cl.log.warning(`Migrating to orphaned master ${target.name}`);
    cl.setMyMaster(target);
  }
}
