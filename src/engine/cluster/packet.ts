/**
 * Applying a received cluster bus packet to our state (clusterProcessPacket).
 *
 * The order matters and follows Redis:
 * 1. Count it, check its length, find the sender (by the link's node, or by name).
 * 2. From a known sender: note that it is alive, raise our currentEpoch and its configEpoch to
 *    what it announces, remember its replication offset.
 * 3. PING/MEET: learn our own IP from the socket on a MEET, add an unknown MEET sender as a
 *    handshake node (and trust its gossip), answer with a PONG.
 * 4. PING/PONG/MEET: complete a handshake (rename the placeholder node, or drop it if we
 *    already knew the node under its real name); detect a node that changed name (no address
 *    any more); copy its NOFAILOVER flag; follow its address changes; on a PONG clear PFAIL or
 *    maybe FAIL; follow master/replica role changes; adopt slot ownership it claims with a
 *    newer configEpoch, or send it an UPDATE if our view is newer; resolve configEpoch
 *    collisions; read its gossip and its hostname extension.
 * 5. FAIL, PUBLISH, FAILOVER_AUTH_REQUEST/ACK, MFSTART, UPDATE each have their own handling.
 */
import type { Cluster } from './cluster';
import { TODO_FSYNC_CONFIG, TODO_HANDLE_FAILOVER, TODO_HANDLE_MANUALFAILOVER, TODO_SAVE_CONFIG, TODO_UPDATE_STATE } from './cluster';
import type { ClusterLink } from './link';
import {
  NODE_FAIL, NODE_HANDSHAKE, NODE_MASTER, NODE_MIGRATE_TO, NODE_MYSELF, NODE_NOADDR, NODE_NOFAILOVER, NODE_PFAIL, NODE_SLAVE,
  NULL_NODE_NAME, flagsToString, type ClusterNode,
} from './node';
import {
  MFLAG0_PAUSED, MSG_FAIL, MSG_FAILOVER_AUTH_ACK, MSG_FAILOVER_AUTH_REQUEST, MSG_MEET, MSG_MFSTART, MSG_MODULE, MSG_PING,
  MSG_PONG, MSG_PUBLISH, MSG_PUBLISHSHARD, MSG_TYPE_COUNT, MSG_UPDATE, decodeMessage, messageTypeName,
  type ClusterMsg, type GossipEntry, type MsgHeader,
} from './message';
import { sendPing, sendUpdate, setInboundLink } from './bus';
import { debugState } from '../commands/debug';
import { publishMessage } from '../server/pubsub';
import { grantVoteIfNeeded, handleMfStart } from './failover';

/** Set bits of a byte. */
function bitCount(byte: number): number {
  let n = 0;
  for (let v = byte; v; v &= v - 1) n++;
  return n;
}

function sameBitmap(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** getNodeFromLinkAndMsg: the link's node once known, else a lookup by the sender's name. */
function senderOf(cl: Cluster, link: ClusterLink, h: MsgHeader): ClusterNode | null {
  if (link.node && !link.node.inHandshake()) return link.node;
  const sender = cl.lookupNode(h.sender) ?? null;
  if (sender && !link.node) setInboundLink(cl, sender, link);
  return sender;
}

/** nodeIp2String: the announced IP if any, else the peer address of the link. */
function peerIp(link: ClusterLink, announced: string): string {
  return announced !== '' ? announced : link.socket.remoteAddress;
}

/**
 * Returns false when the link was freed while processing (the caller stops reading from it).
 */
export function processPacket(cl: Cluster, link: ClusterLink, bytes: Uint8Array): boolean {
  const rawType = (bytes[12] << 8) | bytes[13];
  if (rawType < MSG_TYPE_COUNT) cl.statsReceived[rawType]++;
  const decoded = decodeMessage(bytes);
  if ('drop' in decoded) {
    if (decoded.warn) cl.log.warning(decoded.drop);
    return true;
  }
  const msg: ClusterMsg = decoded;
  const h = msg.header;
  const type = h.type;
  cl.log.debug(`--- Processing packet of type ${messageTypeName(type)}, ${msg.totlen} bytes`);
  if (type === debugState(cl.server).clusterDropPacketFilter) {
    cl.log.warning('Dropping packet that matches debug drop filter');
    return true;
  }
  const now = cl.now();
  const sender = senderOf(cl, link, h);
  if (sender) sender.dataReceivedMs = now;

  if (sender && !sender.inHandshake()) {
    if (h.currentEpoch > cl.currentEpoch) cl.currentEpoch = h.currentEpoch;
    if (h.configEpoch > sender.configEpoch) {
      sender.configEpoch = h.configEpoch;
      cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_FSYNC_CONFIG);
    }
    sender.replOffset = h.offset;
    sender.replOffsetTimeMs = now;
    // A replica in a manual failover waits for its paused master's final offset.
    if (cl.mfEndMs && cl.myself.isSlave() && cl.myself.slaveof === sender && h.mflags0 & MFLAG0_PAUSED && cl.mfMasterOffset === -1) {
      cl.mfMasterOffset = sender.replOffset;
      cl.doBeforeSleep(TODO_HANDLE_MANUALFAILOVER);
      cl.log.warning(`Received replication offset for paused master manual failover: ${cl.mfMasterOffset}`);
    }
  }

  if (type === MSG_PING || type === MSG_MEET) {
    // Nodes reach us at our official address, so a MEET tells us our IP (and any packet does
    // while we have none at all).
    if ((type === MSG_MEET || cl.myself.ip === '') && cl.announceIp() === null) {
      const ip = link.socket.localAddress;
      if (ip && ip !== '?' && ip !== cl.myself.ip) {
        cl.myself.ip = ip;
        cl.log.warning(`IP address for this node updated to ${ip}`);
        cl.doBeforeSleep(TODO_SAVE_CONFIG);
      }
    }
    if (!sender && type === MSG_MEET) {
      const node = cl.createNode(null, NODE_HANDSHAKE);
      node.ip = peerIp(link, h.myip);
      node.port = h.port;
      node.pport = h.pport;
      node.cport = h.cport;
      cl.addNode(node);
      cl.doBeforeSleep(TODO_SAVE_CONFIG);
      // A MEET is trusted: its gossip may introduce the rest of the cluster.
      processGossipSection(cl, link, msg);
    }
    sendPing(cl, link, MSG_PONG);
  }

  if (type === MSG_PING || type === MSG_PONG || type === MSG_MEET) {
    cl.log.debug(`${messageTypeName(type)} packet received: ${link.node ? link.node.name : 'NULL'}`);
    if (!link.inbound && link.node) {
      const node = link.node;
      if (node.inHandshake()) {
        if (sender) {
          // We met an address that belongs to a node we already know: keep the known node.
          cl.log.verbose(`Handshake: we already know node ${sender.name}, updating the address if needed.`);
          if (updateAddressIfNeeded(cl, sender, link, h)) cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
          cl.delNode(node);
          return false;
        }
        cl.renameNode(node, h.sender);
        cl.log.debug(`Handshake with node ${node.name} completed.`);
        node.flags &= ~NODE_HANDSHAKE;
        node.flags |= h.flags & (NODE_MASTER | NODE_SLAVE);
        cl.doBeforeSleep(TODO_SAVE_CONFIG);
      } else if (node.name !== h.sender) {
        // The node at this address is not the one we knew: it has no known address now.
        cl.log.debug(`PONG contains mismatching sender ID. About node ${node.name} added ${now - node.ctimeMs} ms ago, having flags ${node.flags}`);
        node.flags |= NODE_NOADDR;
        node.ip = '';
        node.port = 0;
        node.pport = 0;
        node.cport = 0;
        cl.freeLink(link);
        cl.doBeforeSleep(TODO_SAVE_CONFIG);
        return false;
      }
    }

    if (sender) {
      sender.flags = (sender.flags & ~NODE_NOFAILOVER) | (h.flags & NODE_NOFAILOVER);
    }

    if (sender && type === MSG_PING && !sender.inHandshake() && updateAddressIfNeeded(cl, sender, link, h)) {
      cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
    }

    if (!link.inbound && type === MSG_PONG && link.node) {
      link.node.pongReceivedMs = now;
      link.node.pingSentMs = 0;
      // Clears PFAIL at once; FAIL only under clearNodeFailureIfNeeded's conditions.
      cl.detector(link.node)?.send({ type: 'PONG' });
    }

    if (sender) {
      if (h.slaveof === NULL_NODE_NAME) {
        cl.setNodeAsMaster(sender);
      } else {
        const master = cl.lookupNode(h.slaveof) ?? null;
        if (sender.isMaster()) {
          // A master turned into a replica.
          cl.delNodeSlots(sender);
          sender.flags &= ~(NODE_MASTER | NODE_MIGRATE_TO);
          sender.flags |= NODE_SLAVE;
          cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
        }
        if (master && sender.slaveof !== master) {
          if (sender.slaveof) sender.slaveof.removeSlave(sender);
          master.addSlave(sender);
          sender.slaveof = master;
          cl.doBeforeSleep(TODO_SAVE_CONFIG);
        }
      }
    }

    // Only look closer at the slots if the claim differs from what we know.
    let senderMaster: ClusterNode | null = null;
    let dirtySlots = false;
    if (sender) {
      senderMaster = sender.isMaster() ? sender : sender.slaveof;
      if (senderMaster) dirtySlots = !sameBitmap(senderMaster.slots, h.myslots);
    }
    if (sender && sender.isMaster() && dirtySlots) updateSlotsConfigWith(cl, sender, h.configEpoch, h.myslots);

    // The reverse case: the sender claims slots that we know belong to a master with a newer
    // configEpoch (typically an old master coming back after a partition): tell it.
    if (sender && dirtySlots) {
      const owner = newerOwnerOfClaim(cl, sender, h.configEpoch, h.myslots);
      if (owner) {
        cl.log.verbose(`Node ${sender.name} has old slots configuration, sending an UPDATE message about ${owner.name}`);
        sendUpdate(cl, sender.link, owner);
      }
    }

    if (sender && cl.myself.isMaster() && sender.isMaster() && h.configEpoch === cl.myself.configEpoch) {
      cl.handleConfigEpochCollision(sender);
    }

    if (sender) {
      processGossipSection(cl, link, msg);
      if (msg.body.kind === 'ping') {
        for (const t of msg.body.unknownExtensions) cl.log.warning(`Received unknown extension type ${t}`);
        // No hostname extension means the node announces none.
        sender.hostname = msg.body.hostname ?? '';
      }
    }
  } else if (type === MSG_FAIL && msg.body.kind === 'fail') {
    const about = msg.body.nodename;
    if (sender) {
      const failing = cl.lookupNode(about);
      if (failing && !(failing.flags & (NODE_FAIL | NODE_MYSELF))) {
        cl.detector(failing)?.send({ type: 'FAIL_MESSAGE', from: h.sender });
      }
    } else {
      cl.log.notice(`Ignoring FAIL message from unknown node ${h.sender} about ${about}`);
    }
  } else if ((type === MSG_PUBLISH || type === MSG_PUBLISHSHARD) && msg.body.kind === 'publish') {
    if (!sender) return true;
    const server = cl.server;
    if (type === MSG_PUBLISH && (server.channels.size > 0 || server.patterns.size > 0)) {
      publishMessage(server, msg.body.channel, msg.body.message, 'channel');
    } else if (type === MSG_PUBLISHSHARD && server.shardChannels.size > 0) {
      publishMessage(server, msg.body.channel, msg.body.message, 'shard');
    }
  } else if (type === MSG_FAILOVER_AUTH_REQUEST) {
    if (!sender) return true;
    grantVoteIfNeeded(cl, sender, h);
  } else if (type === MSG_FAILOVER_AUTH_ACK) {
    if (!sender) return true;
    // A vote counts if it comes from a master with slots, for our election's epoch or later.
    if (sender.isMaster() && sender.numSlots > 0 && h.currentEpoch >= cl.failoverAuthEpoch) {
      cl.failoverAuthCount++;
      cl.doBeforeSleep(TODO_HANDLE_FAILOVER);
    }
  } else if (type === MSG_MFSTART) {
    if (!sender || sender.slaveof !== cl.myself) return true;
    handleMfStart(cl, sender, link);
  } else if (type === MSG_UPDATE && msg.body.kind === 'update') {
    if (!sender) return true;
    const n = cl.lookupNode(msg.body.nodename);
    if (!n) return true;
    if (n.configEpoch >= msg.body.configEpoch) return true;
    if (n.isSlave()) cl.setNodeAsMaster(n);
    n.configEpoch = msg.body.configEpoch;
    cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_FSYNC_CONFIG);
    updateSlotsConfigWith(cl, n, msg.body.configEpoch, msg.body.slots);
  } else if (type === MSG_MODULE) {
    // No modules in this engine: a module message has no receiver.
  } else {
    cl.log.warning(`Received unknown packet type: ${type}`);
  }
  return true;
}

/**
 * The owner, with a configEpoch newer than `claimEpoch`, of the first slot (in slot order) that
 * `sender` claims and we know as bound to another node; null if there is none. The slots the
 * sender has are skipped a byte at a time: its bitmap holds the slots the table gives it.
 */
export function newerOwnerOfClaim(cl: Cluster, sender: ClusterNode, claimEpoch: number, claim: Uint8Array): ClusterNode | null {
  for (let b = 0; b < claim.length; b++) {
    const elsewhere = claim[b] & ~sender.slots[b];
    if (elsewhere === 0) continue;
    for (let k = 0; k < 8; k++) {
      if (!(elsewhere & (1 << k))) continue;
      const j = (b << 3) | k;
      if (cl.isSlotUnclaimed(j)) continue;
      const owner = cl.slots[j]!;
      if (owner.configEpoch > claimEpoch) return owner;
    }
  }
  return null;
}

/**
 * nodeUpdateAddressIfNeeded: a node talking to us from another address (or announcing other
 * ports) moved; take the new address and reconnect. True if something changed.
 */
function updateAddressIfNeeded(cl: Cluster, node: ClusterNode, link: ClusterLink, h: MsgHeader): boolean {
  if (link === node.link) return false;
  const ip = peerIp(link, h.myip);
  if (!ip || ip === '?') return false;
  if (node.port === h.port && node.cport === h.cport && node.pport === h.pport && node.ip === ip) return false;
  node.ip = ip;
  node.port = h.port;
  node.pport = h.pport;
  node.cport = h.cport;
  if (node.link) cl.freeLink(node.link);
  node.flags &= ~NODE_NOADDR;
  cl.log.warning(`Address updated for node ${node.name}, now ${node.ip}:${node.port}`);
  if (cl.myself.isSlave() && cl.myself.slaveof === node) cl.replication.setMaster(node.ip, node.port);
  return true;
}

/**
 * clusterProcessGossipSection: what the sender says about other nodes.
 * - About a known node, from a master: a PFAIL/FAIL flag is a failure report (which may
 *   complete a FAIL quorum), a clean flag withdraws the sender's report.
 * - If we have no doubt about the node ourselves, adopt a fresher pong time (not in the
 *   future by more than 500 ms): a node others hear from is alive.
 * - If we cannot reach a node but the sender can, at another address, take that address.
 * - An unknown node (not NOADDR, not blacklisted) is added with its name and flags; we do not
 *   start a handshake with its address, which might belong to another cluster by now.
 */
function processGossipSection(cl: Cluster, link: ClusterLink, msg: ClusterMsg): void {
  if (msg.body.kind !== 'ping') return;
  const sender = link.node ?? cl.lookupNode(msg.header.sender) ?? null;
  for (const g of msg.body.gossip) processGossipEntry(cl, sender, g);
}

function processGossipEntry(cl: Cluster, sender: ClusterNode | null, g: GossipEntry): void {
  const flags = g.flags;
  if (cl.log.enabled('debug')) {
    cl.log.debug(`GOSSIP ${g.nodename} ${g.ip}:${g.port}@${g.cport} ${flagsToString(flags)}`);
  }
  const node = cl.lookupNode(g.nodename);
  if (node) {
    if (sender && sender.isMaster() && node !== cl.myself) {
      if (flags & (NODE_FAIL | NODE_PFAIL)) {
        if (cl.addFailureReport(node, sender)) cl.log.verbose(`Node ${sender.name} reported node ${node.name} as not reachable.`);
        cl.detector(node)?.send({ type: 'FAILURE_REPORTED' });
      } else if (cl.delFailureReport(node, sender)) {
        cl.log.verbose(`Node ${sender.name} reported node ${node.name} is back online.`);
      }
    }
    if (!(flags & (NODE_FAIL | NODE_PFAIL)) && node.pingSentMs === 0 && cl.failureReportsCount(node) === 0) {
      const pongTime = g.pongReceived * 1000;
      if (pongTime <= cl.now() + 500 && pongTime > node.pongReceivedMs) node.pongReceivedMs = pongTime;
    }
    if (node.flags & (NODE_FAIL | NODE_PFAIL) && !(flags & NODE_NOADDR) && !(flags & (NODE_FAIL | NODE_PFAIL))
      && (node.ip.toLowerCase() !== g.ip.toLowerCase() || node.port !== g.port || node.cport !== g.cport)) {
      if (node.link) cl.freeLink(node.link);
      node.ip = g.ip;
      node.port = g.port;
      node.pport = g.pport;
      node.cport = g.cport;
      node.flags &= ~NODE_NOADDR;
    }
  } else if (sender && !(flags & NODE_NOADDR) && !cl.blacklistExists(g.nodename)) {
    const n = cl.createNode(g.nodename, flags);
    n.ip = g.ip;
    n.port = g.port;
    n.pport = g.pport;
    n.cport = g.cport;
    cl.addNode(n);
  }
}

/**
 * clusterUpdateSlotsConfigWith: `sender` claims `slots` under `senderConfigEpoch` (from its
 * PING/PONG, or an UPDATE about it). We rebind every slot that is unclaimed or owned with an
 * older configEpoch, unless we are importing it (a resharding in progress is closed by hand).
 * Slots it stopped claiming stay bound to it but are marked as such, so we never spread that
 * stale ownership with UPDATE messages.
 *
 * If we (or our master) lost our last slot to it, we become its replica: that is how a failed
 * over master, coming back, turns into a replica of its successor. A replica whose master
 * became a replica follows the grandmaster. A master that lost only some slots deletes the
 * keys it still had in them.
 */
export function updateSlotsConfigWith(cl: Cluster, sender: ClusterNode, senderConfigEpoch: number, slots: Uint8Array): void {
  const me = cl.myself;
  if (sender === me) {
    cl.log.warning('Discarding UPDATE message about myself.');
    return;
  }
  const curMaster = me.isMaster() ? me : me.slaveof;
  let newMaster: ClusterNode | null = null;
  const dirty: number[] = [];
  let senderSlots = 0;
  let migratedOurSlots = 0;
  // A byte of the claim at a time. The sender's bitmap holds the slots the table gives it
  // (Cluster.addSlot/delSlot keep both), so the slots it claims and has, or has and no longer
  // claims, only change their "owner not claiming" mark, eight at a time; only the slots it
  // claims and does not have are looked at one by one, in slot order as Redis does.
  const notClaiming = cl.ownerNotClaimingSlot;
  for (let b = 0; b < slots.length; b++) {
    const claimed = slots[b];
    const had = sender.slots[b];
    if ((claimed | had) === 0) continue;
    senderSlots += bitCount(claimed);
    notClaiming[b] = (notClaiming[b] & ~(claimed & had)) | (had & ~claimed);
    const elsewhere = claimed & ~had;
    if (elsewhere === 0) continue;
    for (let k = 0; k < 8; k++) {
      if (!(elsewhere & (1 << k))) continue;
      const j = (b << 3) | k;
      if (cl.importingSlotsFrom.get(j)) continue;
      if (cl.isSlotUnclaimed(j) || cl.slots[j]!.configEpoch < senderConfigEpoch) {
        if (cl.slots[j] === me && cl.countKeysInSlot(j) > 0 && sender !== me) dirty.push(j);
        if (cl.slots[j] === curMaster) {
          newMaster = sender;
          migratedOurSlots++;
        }
        cl.delSlot(j);
        cl.addSlot(sender, j);
        cl.setOwnerNotClaiming(j, false);
        cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
      }
    }
  }
  if (newMaster && curMaster && curMaster.numSlots === 0
    && (cl.server.config.get<boolean>('cluster-allow-replica-migration') || senderSlots === migratedOurSlots)) {
    cl.log.warning(`Configuration change detected. Reconfiguring myself as a replica of ${sender.name}`);
    cl.setMyMaster(sender);
    cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
  } else if (me.slaveof && me.slaveof.slaveof && me.slaveof.slaveof !== me) {
    cl.log.warning(`I'm a sub-replica! Reconfiguring myself as a replica of grandmaster ${me.slaveof.slaveof.name}`);
    cl.setMyMaster(me.slaveof.slaveof);
    cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
  } else if (dirty.length) {
    for (const j of dirty) cl.delKeysInSlot(j);
  }
}
