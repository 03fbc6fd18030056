/**
 * The cluster bus: listening on the bus port, accepting and opening links, and building and
 * sending every kind of packet.
 *
 * Gossip (clusterSendPing): each PING/PONG/MEET carries entries about other nodes so that
 * membership and failure suspicions spread without everyone pinging everyone all the time.
 * We want about a tenth of the known nodes per packet, at least 3, at most all of them minus
 * us and the receiver; candidates are drawn at random, skipping ourselves, nodes in handshake
 * or without address, disconnected nodes without slots, PFAIL nodes and nodes already in this
 * packet. Every PFAIL node is then appended, so suspicions reach the masters quickly: with
 * node_timeout/2 pings each way, a PFAIL node is reported to every master many times within
 * the node_timeout × 2 validity of failure reports.
 */
import type { Socket } from '../os';
import type { Cluster } from './cluster';
import { ClusterLink } from './link';
import type { ClusterNode } from './node';
import { NODE_HANDSHAKE, NODE_MEET, NODE_MYSELF, NODE_NOADDR, NODE_PFAIL, NULL_NODE_NAME } from './node';
import {
  MFLAG0_FORCEACK, MFLAG0_PAUSED, MSG_FAIL, MSG_FAILOVER_AUTH_ACK, MSG_FAILOVER_AUTH_REQUEST, MSG_MFSTART, MSG_PING,
  MSG_PONG, MSG_PUBLISH, MSG_PUBLISHSHARD, MSG_TYPE_COUNT, MSG_UPDATE, MSG_MEET, encodeBare, encodeFail, encodePing, encodePublish, encodeUpdate,
  type GossipEntry, type MsgHeader,
} from './message';
import { processPacket } from './packet';

/** The kernel's send buffer, as bytes written and not yet sent (replication models it alike). */
const SOCKET_SEND_BUFFER_BYTES = 1024 * 1024;

// ---- links ------------------------------------------------------------------------------

/** Bind the bus port on every bind address (listenToPort). Resolves to an error or null. */
export async function listenBus(cl: Cluster, cport: number): Promise<string | null> {
  const server = cl.server;
  for (const raw of server.config.get<string[]>('bind')) {
    const optional = raw.startsWith('-');
    const addr = optional ? raw.slice(1) : raw;
    try {
      cl.listeners.push(await cl.os.listen(cport, [addr], (s) => server.event(() => acceptLink(cl, s)), { backlog: server.config.get<number>('tcp-backlog') }));
    } catch (e: any) {
      const why: Record<string, string> = {
        EADDRINUSE: 'Address already in use', EADDRNOTAVAIL: 'Cannot assign requested address',
        EACCES: 'Permission denied', EAFNOSUPPORT: 'Address family not supported by protocol',
      };
      cl.log.warning(`Warning: Could not create server TCP listening socket ${addr}:${cport}: ${why[e.code] ? `bind: ${why[e.code]}` : e.message}`);
      if ((e.code === 'EADDRNOTAVAIL' && optional) || e.code === 'EAFNOSUPPORT' || e.code === 'EPROTONOSUPPORT') continue;
      for (const l of cl.listeners) l.close();
      cl.listeners = [];
      return 'listen';
    }
  }
  return null;
}

/** clusterAcceptHandler: an inbound link whose node we learn from its first packet. */
function acceptLink(cl: Cluster, s: Socket): void {
  // While loading a master refuses bus connections: UPDATE messages could touch the data.
  if (cl.server.masterHost === null && cl.server.loading) { s.destroy(); return; }
  cl.log.verbose(`Accepting cluster node connection from ${s.remoteAddress}:${s.remotePort}`);
  const link = new ClusterLink(s, null, true, cl.now());
  cl.pendingInbound.add(link);
  wireLink(cl, link);
}

function wireLink(cl: Cluster, link: ClusterLink): void {
  const server = cl.server;
  link.socket.onData = (bytes) => server.event(() => {
    if (link.closed) return;
    const ok = link.feed(bytes, (packet) => processPacket(cl, link, packet));
    if (!ok) {
      cl.log.warning('Bad message length or signature received from Cluster bus.');
      cl.freeLink(link);
    }
  });
  link.socket.onClose = (error) => server.event(() => {
    if (link.closed) return;
    if (!link.inbound && !link.connected) {
      const node = link.node!;
      cl.log.verbose(`Connection with Node ${node.name} at ${node.ip}:${node.cport} failed: ${error?.message ?? 'Connection refused'}`);
      // A refused connection is how a dead node usually shows up on a LAN; like Redis's
      // synchronous connect error, count it as a ping sent so the timeout can start.
      if (node.pingSentMs === 0) node.pingSentMs = cl.now();
    } else {
      cl.log.debug(`I/O error reading from node link: ${error ? error.message : 'connection closed'}`);
    }
    cl.freeLink(link);
  });
}

/** Open the outbound link to a node (clusterNodeCronHandleReconnect's connect part). */
export function connectLink(cl: Cluster, node: ClusterNode): void {
  let socket: Socket;
  try {
    // connConnect(..., server.bind_source_addr, ...): the link leaves from that address.
    const bindAddress = cl.server.config.get<string>('bind-source-addr') || undefined;
    socket = cl.os.connect(node.ip, node.cport, { bindAddress });
  } catch (e: any) {
    if (node.pingSentMs === 0) node.pingSentMs = cl.now();
    cl.log.debug(`Unable to connect to Cluster Node [${node.ip}]:${node.cport} -> ${e?.message ?? e}`);
    return;
  }
  const link = new ClusterLink(socket, node, false, cl.now());
  node.link = link;
  wireLink(cl, link);
  socket.onConnect = () => cl.server.event(() => {
    if (link.closed) return;
    link.connected = true;
    // Ping at once on a new link (a MEET if we were asked to meet the node): this avoids false
    // failure detection. A ping that was pending before the reconnection keeps its time.
    const oldPingSent = node.pingSentMs;
    sendPing(cl, link, node.flags & NODE_MEET ? MSG_MEET : MSG_PING);
    if (oldPingSent) node.pingSentMs = oldPingSent;
    node.flags &= ~NODE_MEET;
    cl.log.debug(`Connecting with Node ${node.name} at ${node.ip}:${node.cport}`);
  });
}

/** Attach an inbound link to the node that sent on it (setClusterNodeToInboundClusterLink). */
export function setInboundLink(cl: Cluster, node: ClusterNode, link: ClusterLink): void {
  if (node.inboundLink && node.inboundLink !== link) {
    // A reconnecting peer may open a new link before we notice the old one died.
    cl.log.debug(`Replacing inbound link from node ${node.name}`);
    cl.freeLink(node.inboundLink);
  }
  node.inboundLink = link;
  link.node = node;
  cl.pendingInbound.delete(link);
}

/** Close the bus: listeners and every link (process exit). */
export function closeBus(cl: Cluster): void {
  for (const l of cl.listeners) l.close();
  cl.listeners = [];
  for (const n of cl.nodes.values()) {
    if (n.link) cl.freeLink(n.link);
    if (n.inboundLink) cl.freeLink(n.inboundLink);
  }
  for (const l of [...cl.pendingInbound]) cl.freeLink(l);
}

// ---- sending ----------------------------------------------------------------------------

function countSent(cl: Cluster, type: number): void {
  if (type < MSG_TYPE_COUNT) cl.statsSent[type]++;
}

/**
 * clusterSendMessage: queue the packet on the link. Nothing is written now: Redis installs a
 * write handler, and the bytes leave when its event loop next polls the socket, after the
 * current event and beforeSleep (see writeLinks).
 */
export function sendMessage(cl: Cluster, link: ClusterLink | null, type: number, bytes: Uint8Array): void {
  if (!link || link.closed) return;
  link.sendBuffer.append(bytes);
  cl.linksWantingWrite.add(link);
  countSent(cl, type);
}

/**
 * Ask for the queued packets to be written at the end of this turn of the event loop, after
 * the rest of beforeSleep (called last in clusterBeforeSleep): where Redis's ae polls the
 * sockets that have a write handler. Without Os.whenIdle, now.
 */
export function scheduleLinkWrites(cl: Cluster): void {
  if (cl.linkWritesScheduled || cl.linksWantingWrite.size === 0) return;
  const whenIdle = cl.os.whenIdle;
  if (!whenIdle) { writeLinks(cl); return; }
  cl.linkWritesScheduled = true;
  whenIdle.call(cl.os, () => {
    cl.linkWritesScheduled = false;
    writeLinks(cl);
  });
}

/** The write handlers of the links with queued packets (an outbound link once connected). */
export function writeLinks(cl: Cluster): void {
  for (const link of [...cl.linksWantingWrite]) if (link.connected) writeLink(cl, link);
}

/**
 * clusterWriteHandler: write what the socket takes. Our Os sockets take everything; the
 * kernel's send buffer is modelled as SOCKET_SEND_BUFFER_BYTES of unsent bytes on the socket,
 * so a peer that stops reading makes the link's own buffer grow, which is what
 * cluster-link-sendbuf-limit watches.
 */
function writeLink(cl: Cluster, link: ClusterLink): void {
  const socket = link.socket;
  const room = SOCKET_SEND_BUFFER_BYTES - socket.pendingBytes();
  const n = Math.min(room, link.sendBuffer.length);
  if (n > 0) {
    if (!socket.write(link.sendBuffer.peek(n))) {
      cl.log.debug('I/O error writing to node link: Broken pipe');
      cl.freeLink(link);
      return;
    }
    link.sendBuffer.consume(n);
  }
  if (link.sendBuffer.length === 0) {
    cl.linksWantingWrite.delete(link);
    return;
  }
  // The socket is full: try again when it drained (or at the next turn's end, whichever first).
  socket.onDrain = () => cl.server.event(() => {
    socket.onDrain = null;
    if (link.wantsWrite() && link.connected) writeLink(cl, link);
  });
}

/** clusterBroadcastMessage: to every node with a link, except ourselves and handshakes. */
export function broadcastMessage(cl: Cluster, type: number, bytes: Uint8Array): void {
  for (const n of cl.nodes.values()) {
    if (n.flags & (NODE_MYSELF | NODE_HANDSHAKE)) continue;
    sendMessage(cl, n.link, type, bytes);
  }
}

/** clusterBuildMessageHdr: our identity, our (or our master's) slots and epochs. */
export function buildHeader(cl: Cluster, type: number): MsgHeader {
  const me = cl.myself;
  const master = me.isSlave() && me.slaveof ? me.slaveof : me;
  const ports = cl.announcedPorts();
  return {
    type,
    port: ports.port,
    count: 0,
    currentEpoch: cl.currentEpoch,
    configEpoch: master.configEpoch,
    offset: me.isSlave() ? cl.replication.replicaOffset() : cl.server.masterReplOffset,
    sender: me.name,
    myslots: master.slots,
    slaveof: me.slaveof ? me.slaveof.name : NULL_NODE_NAME,
    myip: cl.announceIp() ?? '',
    extensions: 0,
    pport: ports.pport,
    cport: ports.cport,
    flags: me.flags,
    state: cl.state,
    mflags0: me.isMaster() && cl.mfEndMs ? MFLAG0_PAUSED : 0,
  };
}

function gossipEntry(n: ClusterNode): GossipEntry {
  return {
    nodename: n.name,
    pingSent: Math.floor(n.pingSentMs / 1000),
    pongReceived: Math.floor(n.pongReceivedMs / 1000),
    ip: n.ip,
    port: n.port,
    cport: n.cport,
    flags: n.flags,
    pport: n.pport,
  };
}

/** A random node of the table (dictGetRandomKey). */
function randomNode(cl: Cluster): ClusterNode {
  const target = Math.floor(cl.os.random() * cl.nodes.size);
  let i = 0;
  for (const n of cl.nodes.values()) if (i++ === target) return n;
  return cl.myself;
}

/** clusterSendPing: a PING, PONG or MEET with gossip about other nodes (see the top comment). */
export function sendPing(cl: Cluster, link: ClusterLink, type: number): void {
  const pingNumber = ++cl.pingsSent;
  let freshNodes = cl.nodes.size - 2;
  let wanted = Math.max(3, Math.floor(cl.nodes.size / 10));
  if (wanted > freshNodes) wanted = freshNodes;
  let pfailWanted = cl.statsPfailNodes;

  if (!link.inbound && type === MSG_PING && link.node) link.node.pingSentMs = cl.now();
  const header = buildHeader(cl, type);
  const gossip: GossipEntry[] = [];
  let maxIterations = wanted * 3;
  while (freshNodes > 0 && gossip.length < wanted && maxIterations-- > 0) {
    const n = randomNode(cl);
    if (n === cl.myself) continue;
    if (n.flags & NODE_PFAIL) continue;
    if (n.flags & (NODE_HANDSHAKE | NODE_NOADDR) || (n.link === null && n.numSlots === 0)) {
      freshNodes--;
      continue;
    }
    if (n.lastInPingGossip === pingNumber) continue;
    gossip.push(gossipEntry(n));
    n.lastInPingGossip = pingNumber;
    freshNodes--;
  }
  if (pfailWanted > 0) {
    for (const n of cl.nodes.values()) {
      if (pfailWanted <= 0) break;
      if (n.flags & (NODE_HANDSHAKE | NODE_NOADDR)) continue;
      if (!(n.flags & NODE_PFAIL)) continue;
      gossip.push(gossipEntry(n));
      pfailWanted--;
    }
  }
  sendMessage(cl, link, type, encodePing(header, gossip, cl.myself.hostname));
}

/** clusterBroadcastPong: tell everyone (or only my shard's replicas) our new configuration. */
export function broadcastPong(cl: Cluster, target: 'all' | 'local-slaves'): void {
  const me = cl.myself;
  for (const n of cl.nodes.values()) {
    if (!n.link) continue;
    if (n === me || n.inHandshake()) continue;
    if (target === 'local-slaves') {
      const local = n.isSlave() && n.slaveof && (n.slaveof === me || n.slaveof === me.slaveof);
      if (!local) continue;
    }
    sendPing(cl, n.link, MSG_PONG);
  }
}

/** clusterSendFail: ask every reachable node to flag `nodename` as FAIL. */
export function sendFail(cl: Cluster, nodename: string): void {
  broadcastMessage(cl, MSG_FAIL, encodeFail(buildHeader(cl, MSG_FAIL), nodename));
}

/** clusterSendUpdate: tell a node with a stale view who owns its slots now. */
export function sendUpdate(cl: Cluster, link: ClusterLink | null, node: ClusterNode): void {
  if (!link) return;
  const slots = node.slots.slice();
  // Don't advertise slots their owner stopped claiming.
  for (let i = 0; i < slots.length; i++) slots[i] &= ~cl.ownerNotClaimingSlot[i];
  sendMessage(cl, link, MSG_UPDATE, encodeUpdate(buildHeader(cl, MSG_UPDATE), node.configEpoch, node.name, slots));
}

/**
 * clusterPropagatePublish: PUBLISH goes to every node; SPUBLISH only to the other nodes of
 * our shard (our master and its replicas), which serve the channel's slot with us.
 */
export function propagatePublish(cl: Cluster, channel: string, message: string, sharded: boolean): void {
  if (!sharded) {
    broadcastMessage(cl, MSG_PUBLISH, encodePublish(buildHeader(cl, MSG_PUBLISH), channel, message));
    return;
  }
  const me = cl.myself;
  const master = me.isMaster() ? me : me.slaveof;
  if (!master) return;
  const bytes = encodePublish(buildHeader(cl, MSG_PUBLISHSHARD), channel, message);
  for (const n of [master, ...master.slaves]) {
    if (n.flags & (NODE_MYSELF | NODE_HANDSHAKE)) continue;
    sendMessage(cl, n.link, MSG_PUBLISHSHARD, bytes);
  }
}

/** clusterRequestFailoverAuth: ask every master for its vote (FORCEACK in a manual failover). */
export function requestFailoverAuth(cl: Cluster): void {
  const h = buildHeader(cl, MSG_FAILOVER_AUTH_REQUEST);
  if (cl.mfEndMs) h.mflags0 |= MFLAG0_FORCEACK;
  broadcastMessage(cl, MSG_FAILOVER_AUTH_REQUEST, encodeBare(h));
}

export function sendFailoverAuth(cl: Cluster, node: ClusterNode): void {
  if (!node.link) return;
  sendMessage(cl, node.link, MSG_FAILOVER_AUTH_ACK, encodeBare(buildHeader(cl, MSG_FAILOVER_AUTH_ACK)));
}

export function sendMfStart(cl: Cluster, node: ClusterNode): void {
  if (!node.link) return;
  sendMessage(cl, node.link, MSG_MFSTART, encodeBare(buildHeader(cl, MSG_MFSTART)));
}
