/**
 * Hello messages: how sentinels find each other and spread the current configuration
 * (sentinel.c's sentinelSendHello, sentinelReceiveHelloMessages, sentinelProcessHelloMessage).
 *
 * Every publish period (2 s) a sentinel PUBLISHes on `__sentinel__:hello` of every master and
 * replica it monitors, and sends the same PUBLISH directly to every other sentinel (whose
 * PUBLISH accepts only this channel). The payload has 8 comma-separated fields:
 *
 *   <ip>,<port>,<runid>,<current_epoch>,<master_name>,<master_ip>,<master_port>,<master_config_epoch>
 *
 * The ip is announce-ip, else the local address of the command connection; the port is
 * announce-port, else the sentinel's port. The master address is the current one (the
 * promoted replica once a failover reached reconf_slaves).
 *
 * Receiving a hello about a master we monitor: a sentinel not known yet is added (+sentinel);
 * one known under the same run ID at another address is moved (+sentinel-address-switch); one
 * whose address now belongs to a different run ID is dropped from every master
 * (+sentinel-invalid-addr). A higher current epoch is adopted (+new-epoch), and a higher
 * configuration epoch for the master with a different address means another sentinel
 * failed it over: +config-update-from, +switch-master, and the record moves to the new
 * address.
 */
import type { RespValue } from '../resp/reply-parser';
import { type Instance, type SentinelState, SENTINEL_HELLO_CHANNEL, SRI_MASTER, SRI_SENTINEL, atoi, strtoull } from './state';
import { announceAddr, addrEqualsHostname, dupAddr } from './addr';
import { findByAddrAndRunid, linkCommand, mapCommand, tryConnectionSharing, updateSentinelAddressInAllMasters } from './links';
import { createInstance, currentMasterAddress, deleteInstance, removeMatchingSentinel, resetMasterAndChangeAddress } from './instances';
import { sentinelEvent } from './events';
import { flushConfig } from './config-file';
import { callClientReconfScript } from './failover';

/** sentinelSendHello(): false when it could not be sent now (it is retried next tick). */
export function sendHello(st: SentinelState, ri: Instance): boolean {
  if (ri.link.disconnected) return false;
  const master = ri.flags & SRI_MASTER ? ri : ri.master!;
  const masterAddr = currentMasterAddress(master);
  let ip: string;
  if (st.announceIp) ip = st.announceIp;
  else {
    const local = ri.link.cc?.localAddress ?? null;
    if (local === null) return false;
    ip = local;
  }
  const port = st.announcePort ? st.announcePort : st.server.config.get<number>('port');
  const payload = `${ip},${port},${st.myid},${st.currentEpoch},${master.name},${announceAddr(st, masterAddr)},${masterAddr.port},${master.configEpoch}`;
  return linkCommand(ri, [mapCommand(ri, 'PUBLISH'), SENTINEL_HELLO_CHANNEL, payload], (r) => {
    // Only a successful PUBLISH counts; otherwise retry on the next tick.
    if (r.type !== 'error') ri.lastPubTime = st.now();
  }, () => true);
}

/** sentinelReceiveHelloMessages(): a frame on the pub/sub link of a master or replica. */
export function receiveHelloMessage(st: SentinelState, ri: Instance, r: RespValue): void {
  // Any activity counts, our own hellos included: they prove the link works.
  ri.link.pcLastActivity = st.now();
  if (r.type !== 'array' || r.value.length !== 3) return;
  const [kind, , msg] = r.value;
  if (kind.type !== 'bulk' || r.value[1].type !== 'bulk' || msg.type !== 'bulk') return;
  if (kind.value !== 'message') return;
  if (msg.value.includes(st.myid)) return;
  processHelloMessage(st, msg.value);
}

/** sentinelProcessHelloMessage(). */
export function processHelloMessage(st: SentinelState, hello: string): void {
  const token = hello.split(',');
  if (token.length !== 8) return;
  const master = st.masters.get(token[4]);
  if (!master) return;
  const port = atoi(token[1]);
  const masterPort = atoi(token[6]);
  let si = findByAddrAndRunid(st, master.sentinels, token[0], port, token[2]);
  const currentEpoch = strtoull(token[3]);
  const masterConfigEpoch = strtoull(token[7]);

  if (!si) {
    // Same run ID at another address: the sentinel moved.
    const removed = removeMatchingSentinel(master, token[2]);
    if (removed) {
      sentinelEvent(st, 'notice', '+sentinel-address-switch', master, ` ip ${token[0]} port ${port} for ${token[2]}`);
    } else {
      const other = findByAddrAndRunid(st, master.sentinels, token[0], port, null);
      if (other) {
        // Another run ID now lives at this address: forget the old one everywhere.
        sentinelEvent(st, 'notice', '+sentinel-invalid-addr', other);
        const obsolete = other.runid;
        for (const m of st.masters.values()) removeMatchingSentinel(m, obsolete);
      }
    }
    const created = createInstance(st, token[2], SRI_SENTINEL, token[0], port, master.quorum, master);
    if (!('error' in created)) {
      si = created;
      if (!removed) sentinelEvent(st, 'notice', '+sentinel', si);
      si.runid = token[2];
      tryConnectionSharing(st, si);
      if (removed) updateSentinelAddressInAllMasters(st, si);
      flushConfig(st);
    } else {
      si = null;
    }
  }

  if (currentEpoch > st.currentEpoch) {
    st.currentEpoch = currentEpoch;
    flushConfig(st);
    sentinelEvent(st, 'warning', '+new-epoch', master, `${st.currentEpoch}`, false);
  }

  if (si && master.configEpoch < masterConfigEpoch) {
    master.configEpoch = masterConfigEpoch;
    if (masterPort !== master.addr.port || !addrEqualsHostname(st, master.addr, token[5])) {
      sentinelEvent(st, 'warning', '+config-update-from', si);
      sentinelEvent(st, 'warning', '+switch-master', master,
        `${master.name} ${announceAddr(st, master.addr)} ${master.addr.port} ${token[5]} ${masterPort}`, false);
      const oldAddr = dupAddr(master.addr);
      resetMasterAndChangeAddress(st, master, token[5], masterPort);
      callClientReconfScript(st, master, 'observer', 'start', oldAddr, master.addr);
    }
  }
  if (si && !si.released) si.lastHelloTime = st.now();
}

/** sentinelForceHelloUpdateForMaster(): make every hello about this master due now. */
export function forceHelloUpdateForMaster(st: SentinelState, master: Instance): void {
  const step = st.timers.publishPeriod + 1;
  if (master.lastPubTime >= step) master.lastPubTime -= step;
  for (const d of [master.sentinels, master.slaves]) {
    for (const ri of d.values()) if (ri.lastPubTime >= step) ri.lastPubTime -= step;
  }
}

export { deleteInstance };
