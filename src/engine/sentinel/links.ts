/**
 * Links to monitored instances (sentinel.c's instanceLink functions).
 *
 * A link is "disconnected" while its command connection (or, for masters and replicas, its
 * pub/sub connection) is missing; the sentinel timer then reconnects it at most once per PING
 * period. A new command connection sends AUTH when a password is configured, names itself
 * with CLIENT SETNAME sentinel-<first 8 of myid>-cmd and PINGs at once; a new pub/sub
 * connection authenticates, names itself ...-pubsub and subscribes to `__sentinel__:hello`.
 * Commands are sent without waiting for the connection to be established (hiredis buffers
 * them), so a link counts as connected as soon as its connections exist; an instance that
 * never answers goes SDOWN through its pending PING.
 *
 * Links to the same sentinel are shared between the masters it monitors (refcount).
 */
import { AsyncConnection, type ReplyCallback } from '../client/async-connection';
import type { RespValue } from '../resp/reply-parser';
import { type Instance, type InstanceLink, type SentinelState, SENTINEL_HELLO_CHANNEL, SRI_MASTER, SRI_SENTINEL, SRI_SLAVE } from './state';
import { sentinelEvent } from './events';
import { createSentinelAddr, dupAddr } from './addr';
import { receiveHelloMessage } from './hello';
import { pingReplyCallback } from './monitor';
import { viewState } from './down';

/** sentinelInstanceMapCommand(): the name a command has on this instance (rename-command). */
export function mapCommand(ri: Instance, command: string): string {
  const owner = ri.master ?? ri;
  return owner.renamedCommands.get(command.toLowerCase())?.to ?? command;
}

/**
 * Send a command on the link's command connection. The callback runs with the reply (never
 * with null: a reply lost with the connection is simply not delivered), after the link's
 * pending count was decremented, and not at all once the instance was released.
 */
export function linkCommand(ri: Instance, argv: string[], onReply?: (r: RespValue) => void, quiet: (() => boolean) | null = null): boolean {
  const link = ri.link;
  const cc = link.cc;
  if (!cc) return false;
  const cb: ReplyCallback = (r) => {
    if (!r || link.cc !== cc) return;
    link.pendingCommands--;
    if (ri.released) return;
    onReply?.(r);
  };
  if (!cc.command(argv, cb, quiet)) return false;
  link.pendingCommands++;
  return true;
}

/** instanceLinkCloseConnection(). */
export function closeLinkConnection(link: InstanceLink, which: 'cc' | 'pc'): void {
  const c = link[which];
  if (!c) return;
  if (which === 'cc') {
    link.cc = null;
    link.pendingCommands = 0;
  } else {
    link.pc = null;
  }
  link.disconnected = true;
  c.close();
}

/** instanceLinkConnectionError(): a connection failed or dropped; the timer reconnects it. */
function connectionError(link: InstanceLink, c: AsyncConnection): void {
  if (link.pc === c) link.pc = null;
  else if (link.cc === c) link.cc = null;
  else return;
  link.disconnected = true;
}

/** releaseInstanceLink(): one owner fewer; close the connections with the last one. */
export function releaseLink(link: InstanceLink): void {
  link.refcount--;
  if (link.refcount > 0) return;
  closeLinkConnection(link, 'cc');
  closeLinkConnection(link, 'pc');
}

/** sentinelSendAuthIfNeeded(). */
function sendAuthIfNeeded(st: SentinelState, ri: Instance, conn: AsyncConnection, onSent: () => void): void {
  let pass: string | null = null;
  let user: string | null = null;
  if (ri.flags & SRI_MASTER) { pass = ri.authPass; user = ri.authUser; }
  else if (ri.flags & SRI_SLAVE) { pass = ri.master!.authPass; user = ri.master!.authUser; }
  else if (ri.flags & SRI_SENTINEL) {
    if (st.sentinelAuthPass) { pass = st.sentinelAuthPass; user = st.sentinelAuthUser; }
    else {
      // Older setups: requirepass protects every sentinel and is the password to the others.
      const rp = st.server.config.get<string>('requirepass');
      pass = rp === '' ? null : rp;
      user = null;
    }
  }
  if (!pass) return;
  const argv = user ? [mapCommand(ri, 'AUTH'), user, pass] : [mapCommand(ri, 'AUTH'), pass];
  if (conn.command(argv, discardFor(ri.link, conn))) onSent();
}

/** sentinelSetClientName(). */
function setClientName(st: SentinelState, ri: Instance, conn: AsyncConnection, type: 'cmd' | 'pubsub', onSent: () => void): void {
  const name = `sentinel-${st.myid.slice(0, 8)}-${type}`;
  if (conn.command([mapCommand(ri, 'CLIENT'), 'SETNAME', name], discardFor(ri.link, conn))) onSent();
}

/** sentinelDiscardReplyCallback for a command sent on `conn`. */
function discardFor(link: InstanceLink, conn: AsyncConnection): ReplyCallback {
  return (r) => { if (r && (link.cc === conn || link.pc === conn)) link.pendingCommands--; };
}

/** sentinelReconnectInstance(). */
export function reconnectInstance(st: SentinelState, ri: Instance): void {
  const link = ri.link;
  if (!link.disconnected) return;
  if (ri.addr.port === 0) return;
  const now = st.now();
  if (now - link.lastReconnTime < st.timers.pingPeriod) return;
  link.lastReconnTime = now;
  const server = st.server;
  const run = (fn: () => void) => server.event(fn);
  const bind = server.config.get<string>('bind-source-addr');
  const opts = bind ? { bindAddress: bind } : {};

  if (!link.cc) {
    const cc = new AsyncConnection(server.os, ri.addr.ip, ri.addr.port, run, opts);
    if (cc.err) {
      sentinelEvent(st, 'debug', '-cmd-link-reconnection', ri, ` #${cc.err}`);
    } else {
      link.pendingCommands = 0;
      link.ccConnTime = st.now();
      link.cc = cc;
      cc.onConnect = (err) => { if (err) connectionError(link, cc); };
      cc.onDisconnect = () => connectionError(link, cc);
      sendAuthIfNeeded(st, ri, cc, () => link.pendingCommands++);
      setClientName(st, ri, cc, 'cmd', () => link.pendingCommands++);
      // A PING right away when reconnecting.
      sendPing(st, ri);
    }
  }
  if ((ri.flags & (SRI_MASTER | SRI_SLAVE)) && !link.pc) {
    const pc = new AsyncConnection(server.os, ri.addr.ip, ri.addr.port, run, opts);
    if (pc.err) {
      sentinelEvent(st, 'debug', '-pubsub-link-reconnection', ri, ` #${pc.err}`);
    } else {
      link.pcConnTime = st.now();
      link.pc = pc;
      pc.onConnect = (err) => { if (err) connectionError(link, pc); };
      pc.onDisconnect = () => connectionError(link, pc);
      sendAuthIfNeeded(st, ri, pc, () => link.pendingCommands++);
      setClientName(st, ri, pc, 'pubsub', () => link.pendingCommands++);
      const ok = pc.subscribe([mapCommand(ri, 'SUBSCRIBE'), SENTINEL_HELLO_CHANNEL], (r) => {
        if (!r || link.pc !== pc || ri.released) return;
        receiveHelloMessage(st, ri, r);
      });
      if (!ok) {
        closeLinkConnection(link, 'pc');
        return;
      }
    }
  }
  if (link.cc && ((ri.flags & SRI_SENTINEL) || link.pc)) link.disconnected = false;
}

/** sentinelSendPing(): returns false when the command could not be queued. */
export function sendPing(st: SentinelState, ri: Instance): boolean {
  const link = ri.link;
  // A PONG only moves the link's times on, so it keeps quiet (see Socket.quietReads) unless it
  // ends an SDOWN or ODOWN, which the next tick announces.
  const ok = linkCommand(ri, [mapCommand(ri, 'PING')], (r) => pingReplyCallback(st, ri, link, r), () => viewState(ri) === 'up');
  if (!ok) return false;
  link.lastPingTime = st.now();
  // The active ping time only moves when the previous PING was answered.
  if (link.actPingTime === 0) link.actPingTime = link.lastPingTime;
  return true;
}

/**
 * sentinelTryConnectionSharing(): use the link of the same sentinel (same run ID) known
 * through another master.
 */
export function tryConnectionSharing(st: SentinelState, ri: Instance): boolean {
  if (ri.runid === null) return false;
  if (ri.link.refcount > 1) return false;
  for (const master of st.masters.values()) {
    if (master === ri.master) continue;
    const match = findByAddrAndRunid(st, master.sentinels, null, 0, ri.runid);
    if (!match || match === ri) continue;
    releaseLink(ri.link);
    ri.link = match.link;
    match.link.refcount++;
    return true;
  }
  return false;
}

/** dropInstanceConnections(): close the links of a master and its replicas (new auth). */
export function dropInstanceConnections(master: Instance): void {
  closeLinkConnection(master.link, 'cc');
  closeLinkConnection(master.link, 'pc');
  for (const r of master.slaves.values()) {
    closeLinkConnection(r.link, 'cc');
    closeLinkConnection(r.link, 'pc');
  }
}

/** sentinelDropConnections(): close every link to other sentinels. */
export function dropSentinelConnections(st: SentinelState): number {
  let dropped = 0;
  for (const master of st.masters.values()) {
    for (const si of master.sentinels.values()) {
      if (!si.link.disconnected) {
        closeLinkConnection(si.link, 'pc');
        closeLinkConnection(si.link, 'cc');
        dropped++;
      }
    }
  }
  return dropped;
}

/**
 * getSentinelRedisInstanceByAddrAndRunID(): search by address and/or run ID (at least one).
 * The address is compared by IP or by hostname.
 */
export function findByAddrAndRunid(st: SentinelState, instances: Map<string, Instance>, addr: string | null, port: number, runid: string | null): Instance | null {
  let probe: { hostname: string; ip: string; port: number } | null = null;
  if (addr !== null) {
    const r = createSentinelAddr(st, addr, port, true);
    if ('errno' in r) return null;
    probe = r.addr;
  }
  for (const ri of instances.values()) {
    if (runid !== null && ri.runid === null) continue;
    if ((runid === null || ri.runid === runid) &&
      (probe === null || (ri.addr.port === probe.port && (ri.addr.ip === probe.ip || ri.addr.hostname.toLowerCase() === probe.hostname.toLowerCase())))) {
      return ri;
    }
  }
  return null;
}

/**
 * sentinelUpdateSentinelAddressInAllMasters(): a sentinel changed address; copy it to its
 * records under the other masters and reconnect them all.
 */
export function updateSentinelAddressInAllMasters(st: SentinelState, ri: Instance): number {
  let reconfigured = 0;
  for (const master of st.masters.values()) {
    const match = findByAddrAndRunid(st, master.sentinels, null, 0, ri.runid);
    if (!match) continue;
    if (match.link.cc) closeLinkConnection(match.link, 'cc');
    if (match.link.pc) closeLinkConnection(match.link, 'pc');
    if (match === ri) continue;
    match.addr = dupAddr(ri.addr);
    reconfigured++;
  }
  if (reconfigured) sentinelEvent(st, 'notice', '+sentinel-address-update', ri, ` ${reconfigured} additional matching instances`);
  return reconfigured;
}
