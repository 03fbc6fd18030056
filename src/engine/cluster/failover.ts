/**
 * Failover: the master side (voting, pausing for a manual failover) and the replica side
 * (the election, manual failover, TAKEOVER's last step, replica migration).
 *
 * Voting (clusterSendFailoverAuthIfNeeded). A master serving slots grants at most one vote per
 * currentEpoch (lastVoteEpoch), and only to a replica whose master is FAIL (or that asks with
 * FORCEACK during a manual failover), not sooner than node_timeout × 2 after voting for
 * another replica of the same master, and only if no slot the replica claims is known to be
 * served under a newer configEpoch. The winner needs size/2 + 1 votes.
 *
 * The replica side: `handleReplicaFailover` runs the election (its own comment has the
 * steps), `handleManualFailover` waits for the paused master's offset in a manual failover,
 * and `failoverReplaceMyMaster` is the last step of every failover. The cron and beforeSleep
 * call them where Redis does; FAILOVER_AUTH_ACKs are counted in packet.ts.
 *
 * After a won election the other nodes learn the new owner of the slots from its PONGs
 * (updateSlotsConfigWith in packet.ts adopts the newer configEpoch); the old master, when it
 * comes back, claims its slots with an older configEpoch, is sent an UPDATE, and turns into
 * a replica of the new master (and resyncs from it).
 */
import type { Cluster } from './cluster';
import {
  CANT_FAILOVER_DATA_AGE, CANT_FAILOVER_EXPIRED, CANT_FAILOVER_NONE, CANT_FAILOVER_WAITING_DELAY, CANT_FAILOVER_WAITING_VOTES,
  TODO_FSYNC_CONFIG, TODO_HANDLE_FAILOVER, TODO_HANDLE_MANUALFAILOVER, TODO_SAVE_CONFIG, TODO_UPDATE_STATE,
} from './cluster';
import type { ClusterLink } from './link';
import { NODE_MIGRATE_TO, NODE_NOFAILOVER, type ClusterNode } from './node';
import { MFLAG0_FORCEACK, MSG_PING, type MsgHeader } from './message';
import { CLUSTER_SLOTS } from './crc16';
import { broadcastPong, requestFailoverAuth, sendFailoverAuth, sendPing } from './bus';
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
  cl.failoverWonEpoch = me.configEpoch;
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

/** clusterGetSlaveRank: how many replicas of our master (that may fail over) have more data. */
export function replicaRank(cl: Cluster): number {
  const master = cl.myself.slaveof;
  if (master === null) return 0;
  const myOffset = cl.replication.replicaOffset();
  let rank = 0;
  for (const s of master.slaves) {
    if (s !== cl.myself && !(s.flags & NODE_NOFAILOVER) && s.replOffset > myOffset) rank++;
  }
  return rank;
}

/** CLUSTER_CANT_FAILOVER_RELOG_PERIOD: the same reason is logged again after 5 minutes. */
const CANT_FAILOVER_RELOG_SEC = 60 * 5;

/** The texts of clusterLogCantFailover (a function: the reason constants come from a module in an import cycle). */
function cantFailoverText(reason: number): string {
  switch (reason) {
    case CANT_FAILOVER_DATA_AGE: return "Disconnected from master for longer than allowed. Please check the 'cluster-replica-validity-factor' configuration option.";
    case CANT_FAILOVER_WAITING_DELAY: return 'Waiting the delay before I can start a new failover.';
    case CANT_FAILOVER_EXPIRED: return 'Failover attempt expired.';
    case CANT_FAILOVER_WAITING_VOTES: return 'Waiting for votes, but majority still not reached.';
    default: return 'Unknown reason code.';
  }
}

/**
 * clusterLogCantFailover: say why we do not fail over, but only when the reason changes (or
 * every 5 minutes), and only once the master has been FAIL for node_timeout + 5 s: a failover
 * that completes in reasonable time logs nothing of this.
 */
function logCantFailover(cl: Cluster, reason: number): void {
  const nowSec = Math.floor(cl.os.now() / 1000);
  if (reason === cl.cantFailoverReason && nowSec - cl.cantFailoverLastLogSec < CANT_FAILOVER_RELOG_SEC) return;
  cl.cantFailoverReason = reason;
  const master = cl.myself.slaveof;
  if (master && master.failed() && cl.now() - master.failTimeMs < cl.nodeTimeoutMs() + 5000) return;
  cl.cantFailoverLastLogSec = nowSec;
  cl.log.warning(`Currently unable to failover: ${cantFailoverText(reason)}`);
}

/**
 * clusterHandleSlaveFailover: the replica's side of an election, re-run by the cron and after
 * every packet that may matter, each call taking the next step:
 *
 * 1. Nothing to do unless our master is FAIL (or a manual failover may start), serves slots,
 *    and (for an automatic failover) cluster-replica-no-failover is off.
 * 2. Data too old? The time since we last heard from the master, minus node_timeout (the
 *    master was allowed that long to be declared failed), must not exceed
 *    repl-ping-replica-period × 1000 + node_timeout × cluster-replica-validity-factor
 *    (factor 0: no limit). Manual failovers skip this.
 * 3. No election scheduled, or the last one is older than the retry time (node_timeout × 4,
 *    at least 4 s)? Schedule one: now + 500 ms (for the FAIL to spread) + random 0..499 ms
 *    (so replicas do not collide) + rank × 1000 ms (so the replica with the most data usually
 *    goes first); a manual failover starts at once. Tell the other replicas our offset.
 * 4. Before asking for votes, a rank that worsened (another replica announced more data)
 *    adds a second per place.
 * 5. When the delay is over (and the election is not older than node_timeout × 2, at least
 *    2 s): currentEpoch++, which is the election's epoch, and ask every master for its vote.
 * 6. With size/2 + 1 votes (ACKs counted in packet.ts): take the election epoch as our
 *    configEpoch and replace our master. Otherwise keep waiting until the election expires;
 *    step 3 then schedules a new one.
 */
export function handleReplicaFailover(cl: Cluster): void {
  const me = cl.myself;
  const now = cl.now();
  const authAge = now - cl.failoverAuthTimeMs;
  const neededQuorum = Math.floor(cl.size / 2) + 1;
  const manualFailover = cl.mfEndMs !== 0 && cl.mfCanStart;
  cl.todo &= ~TODO_HANDLE_FAILOVER;
  const authTimeout = Math.max(cl.nodeTimeoutMs() * 2, 2000);
  const authRetryTime = authTimeout * 2;

  const master = me.slaveof;
  if (me.isMaster() || master === null || (!master.failed() && !manualFailover)
    || (cl.server.config.get<boolean>('cluster-replica-no-failover') && !manualFailover) || master.numSlots === 0) {
    cl.cantFailoverReason = CANT_FAILOVER_NONE;
    return;
  }

  let dataAge = cl.replication.dataAgeMs();
  if (dataAge > cl.nodeTimeoutMs()) dataAge -= cl.nodeTimeoutMs();
  const validityFactor = cl.server.config.get<number>('cluster-replica-validity-factor');
  const maxDataAge = cl.server.config.get<number>('repl-ping-replica-period') * 1000 + cl.nodeTimeoutMs() * validityFactor;
  if (validityFactor && dataAge > maxDataAge && !manualFailover) {
    logCantFailover(cl, CANT_FAILOVER_DATA_AGE);
    return;
  }

  if (authAge > authRetryTime) {
    cl.failoverAuthTimeMs = now + 500 + Math.floor(cl.os.random() * 500);
    cl.failoverAuthCount = 0;
    cl.failoverAuthSent = false;
    cl.failoverAuthRank = replicaRank(cl);
    cl.failoverAuthTimeMs += cl.failoverAuthRank * 1000;
    if (cl.mfEndMs) {
      cl.failoverAuthTimeMs = now;
      cl.failoverAuthRank = 0;
      cl.doBeforeSleep(TODO_HANDLE_FAILOVER);
    }
    cl.log.warning(`Start of election delayed for ${cl.failoverAuthTimeMs - now} milliseconds (rank #${cl.failoverAuthRank}, offset ${cl.replication.replicaOffset()}).`);
    broadcastPong(cl, 'local-slaves');
    return;
  }

  if (!cl.failoverAuthSent && cl.mfEndMs === 0) {
    const newRank = replicaRank(cl);
    if (newRank > cl.failoverAuthRank) {
      const addedDelay = (newRank - cl.failoverAuthRank) * 1000;
      cl.failoverAuthTimeMs += addedDelay;
      cl.failoverAuthRank = newRank;
      cl.log.warning(`Replica rank updated to #${newRank}, added ${addedDelay} milliseconds of delay.`);
    }
  }

  if (now < cl.failoverAuthTimeMs) {
    logCantFailover(cl, CANT_FAILOVER_WAITING_DELAY);
    return;
  }
  if (authAge > authTimeout) {
    logCantFailover(cl, CANT_FAILOVER_EXPIRED);
    return;
  }

  if (!cl.failoverAuthSent) {
    cl.currentEpoch++;
    cl.failoverAuthEpoch = cl.currentEpoch;
    cl.log.warning(`Starting a failover election for epoch ${cl.currentEpoch}.`);
    requestFailoverAuth(cl);
    cl.failoverAuthSent = true;
    cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
    return;
  }

  if (cl.failoverAuthCount >= neededQuorum) {
    cl.log.warning("Failover election won: I'm the new master.");
    if (me.configEpoch < cl.failoverAuthEpoch) {
      me.configEpoch = cl.failoverAuthEpoch;
      cl.log.warning(`configEpoch set to ${me.configEpoch} after successful failover`);
    }
    failoverReplaceMyMaster(cl);
  } else {
    logCantFailover(cl, CANT_FAILOVER_WAITING_VOTES);
  }
}

/**
 * clusterHandleManualFailover: a replica in a manual failover waits for its paused master's
 * final offset (from a ping flagged PAUSED), then for its own offset to reach it; only then
 * may the election (with FORCEACK, at once, no delay) start.
 */
export function handleManualFailover(cl: Cluster): void {
  if (cl.mfEndMs === 0 || cl.mfCanStart || cl.mfMasterOffset === -1) return;
  if (cl.mfMasterOffset === cl.replication.replicaOffset()) {
    cl.mfCanStart = true;
    cl.log.warning('All master replication stream processed, manual failover can start.');
    cl.doBeforeSleep(TODO_HANDLE_FAILOVER);
    return;
  }
  cl.doBeforeSleep(TODO_HANDLE_MANUALFAILOVER);
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
