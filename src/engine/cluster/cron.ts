/**
 * clusterCron (every 100 ms) and clusterBeforeSleep (after every event).
 *
 * The cron, for every known node:
 * - gives back the unused space of its links' send buffers, frees a link whose send buffer is
 *   still larger than cluster-link-sendbuf-limit (it is reopened at once if outbound), and
 *   adds what its links take to the memory figure INFO and MEMORY STATS report;
 * - drops handshake nodes older than the handshake timeout (node_timeout, at least 1 s);
 * - opens the outbound link if there is none (a new link pings at once);
 * then, once a second, pings the node with the oldest pong among 5 random ones (with a link,
 * no ping pending, not in handshake); then, for every node:
 * - reconnects a link that has waited more than node_timeout/2 for a pong and received
 *   nothing at all for as long (and is older than node_timeout);
 * - pings a node whose last pong is older than node_timeout/2 (so every node is pinged at
 *   least that often), or continuously the replica doing a manual failover with us;
 * - marks PFAIL a node with a ping pending and no pong nor any data for node_timeout.
 * Finally a replica whose replication is off but whose master is known turns it on, manual
 * failovers time out, replicas run the election and the replica migration, and the cluster
 * state is re-evaluated when something changed or while it is "fail".
 */
import type { Cluster } from './cluster';
import { CLUSTER_FAIL, TODO_FSYNC_CONFIG, TODO_HANDLE_FAILOVER, TODO_HANDLE_MANUALFAILOVER, TODO_SAVE_CONFIG, TODO_UPDATE_STATE } from './cluster';
import { NODE_FAIL, NODE_HANDSHAKE, NODE_MIGRATE_TO, NODE_MYSELF, NODE_NOADDR, NODE_PFAIL, type ClusterNode } from './node';
import { MSG_PING } from './message';
import { connectLink, scheduleLinkWrites, sendPing } from './bus';
import { updateClusterState } from './cluster-state';
import { handleManualFailover, handleReplicaFailover, handleReplicaMigration, manualFailoverCheckTimeout } from './failover';

/**
 * clusterNodeCronResizeBuffers, clusterNodeCronFreeLinkOnBufferLimitReached and
 * clusterNodeCronUpdateClusterLinksMemUsage for one node's two links.
 */
function checkLinkBuffers(cl: Cluster, node: ClusterNode): void {
  const limit = cl.server.config.get<number>('cluster-link-sendbuf-limit');
  for (const link of [node.link, node.inboundLink]) {
    if (!link) continue;
    link.sendBuffer.shrinkIfWasteful();
    if (limit === 0) continue;
    const used = link.sendBuffer.allocated;
    if (used <= limit) continue;
    cl.log.warning(`Freeing cluster link(${link.inbound ? 'from' : 'to'} node ${link.node ? link.node.name : ''}, used memory: ${used}) due to exceeding send buffer memory limit.`);
    cl.freeLink(link);
    cl.statLinksBufferLimitExceeded++;
  }
  for (const link of [node.link, node.inboundLink]) if (link) cl.statLinksMemoryBytes += link.memoryBytes();
}

/** Returns true when the node was deleted. */
function handleReconnect(cl: Cluster, node: ClusterNode, handshakeTimeoutMs: number, now: number): boolean {
  if (node.flags & (NODE_MYSELF | NODE_NOADDR)) return false;
  if (node.flags & NODE_PFAIL) cl.statsPfailNodes++;
  if (node.inHandshake() && now - node.ctimeMs > handshakeTimeoutMs) {
    cl.delNode(node);
    return true;
  }
  if (node.link === null) connectLink(cl, node);
  return false;
}

function randomNode(cl: Cluster): ClusterNode {
  const target = Math.floor(cl.os.random() * cl.nodes.size);
  let i = 0;
  for (const n of cl.nodes.values()) if (i++ === target) return n;
  return cl.myself;
}

export function clusterCron(cl: Cluster): void {
  cl.cronIteration++;
  cl.updateMyselfAnnounced();
  cl.updateMyselfIp();
  cl.updateMyselfFlags();
  const timeout = cl.nodeTimeoutMs();
  const handshakeTimeout = Math.max(timeout, 1000);
  let now = cl.now();

  cl.statsPfailNodes = 0;
  cl.statLinksMemoryBytes = 0;
  for (const node of [...cl.nodes.values()]) {
    checkLinkBuffers(cl, node);
    handleReconnect(cl, node, handshakeTimeout, now);
  }

  if (cl.cronIteration % 10 === 0) {
    let minPongNode: ClusterNode | null = null;
    let minPong = 0;
    for (let j = 0; j < 5; j++) {
      const n = randomNode(cl);
      if (n.link === null || n.pingSentMs !== 0) continue;
      if (n.flags & (NODE_MYSELF | NODE_HANDSHAKE)) continue;
      if (minPongNode === null || minPong > n.pongReceivedMs) {
        minPongNode = n;
        minPong = n.pongReceivedMs;
      }
    }
    if (minPongNode) {
      cl.log.debug(`Pinging node ${minPongNode.name}`);
      sendPing(cl, minPongNode.link!, MSG_PING);
    }
  }

  let updateState = false;
  let orphanedMasters = 0;
  let maxSlaves = 0;
  let thisSlaves = 0;
  const me = cl.myself;
  for (const node of [...cl.nodes.values()]) {
    now = cl.now();
    if (node.flags & (NODE_MYSELF | NODE_NOADDR | NODE_HANDSHAKE)) continue;
    if (me.isSlave() && node.isMaster() && !node.failed()) {
      const okSlaves = node.countNonFailingSlaves();
      if (okSlaves === 0 && node.numSlots > 0 && node.flags & NODE_MIGRATE_TO) orphanedMasters++;
      if (okSlaves > maxSlaves) maxSlaves = okSlaves;
      if (me.slaveof === node) thisSlaves = okSlaves;
    }
    const pingDelay = now - node.pingSentMs;
    const dataDelay = now - node.dataReceivedMs;
    const half = Math.floor(timeout / 2);
    if (node.link && now - node.link.ctimeMs > timeout && node.pingSentMs && pingDelay > half && dataDelay > half) {
      // Waiting too long with no traffic at all: maybe the connection, not the node, is broken.
      cl.freeLink(node.link);
    }
    if (node.link && node.pingSentMs === 0 && now - node.pongReceivedMs > half) {
      sendPing(cl, node.link, MSG_PING);
      continue;
    }
    if (cl.mfEndMs && me.isMaster() && cl.mfSlave === node && node.link) {
      sendPing(cl, node.link, MSG_PING);
      continue;
    }
    if (node.pingSentMs === 0) continue;
    // Any incoming data proves the node alive: a busy bus can delay pongs.
    const nodeDelay = Math.min(pingDelay, dataDelay);
    if (nodeDelay > timeout && !(node.flags & (NODE_PFAIL | NODE_FAIL))) {
      cl.detector(node)?.send({ type: 'PONG_TIMEOUT' });
      updateState = true;
    }
  }

  if (me.isSlave() && cl.server.masterHost === null && me.slaveof && me.slaveof.hasAddr()) {
    cl.replication.setMaster(me.slaveof.ip, me.slaveof.port);
  }
  manualFailoverCheckTimeout(cl);
  if (me.isSlave()) {
    handleManualFailover(cl);
    handleReplicaFailover(cl);
    if (orphanedMasters && maxSlaves >= 2 && thisSlaves === maxSlaves && cl.server.config.get<boolean>('cluster-allow-replica-migration')) {
      handleReplicaMigration(cl, maxSlaves);
    }
  }
  if (updateState || cl.state === CLUSTER_FAIL) updateClusterState(cl);
}

/** clusterBeforeSleep: the work packets and commands asked for, done once per event. */
export function clusterBeforeSleep(cl: Cluster): void {
  const flags = cl.todo;
  cl.todo = 0;
  if (flags & TODO_HANDLE_MANUALFAILOVER) {
    if (cl.myself.isSlave()) {
      handleManualFailover(cl);
      handleReplicaFailover(cl);
    }
  } else if (flags & TODO_HANDLE_FAILOVER) {
    handleReplicaFailover(cl);
  }
  if (flags & TODO_UPDATE_STATE) updateClusterState(cl);
  if (flags & TODO_SAVE_CONFIG) cl.saveConfigOrDie((flags & TODO_FSYNC_CONFIG) !== 0);
  // Last: packets queued by this event or by the work above leave after beforeSleep.
  scheduleLinkWrites(cl);
}
