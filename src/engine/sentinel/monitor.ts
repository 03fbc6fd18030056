/**
 * The periodic commands a sentinel sends to every instance (sentinelSendPeriodicCommands) and
 * what a PING reply means (sentinelPingReplyCallback).
 *
 * - INFO to masters and replicas every INFO period (10 s), every second for a replica whose
 *   master is ODOWN or failing over, or which reports its master link down;
 * - PING to everyone when the last reply is older than min(down-after, ping period) and no
 *   PING went out in the last half of that;
 * - a hello every publish period (hello.ts).
 * Nothing is sent while the link is down or more than 100 commands (per owner of a shared
 * link) await replies.
 *
 * A reply of PONG, LOADING or MASTERDOWN proves the instance available; any other reply only
 * proves it alive (the link is not idle). A BUSY reply from an instance already SDOWN gets
 * one SCRIPT KILL.
 */
import type { RespValue } from '../resp/reply-parser';
import {
  type Instance, type InstanceLink, type SentinelState,
  MAX_PENDING_COMMANDS, SRI_FAILOVER_IN_PROGRESS, SRI_MASTER_REBOOT, SRI_O_DOWN, SRI_S_DOWN, SRI_SCRIPT_KILL_SENT, SRI_SENTINEL, SRI_SLAVE,
} from './state';
import { linkCommand, mapCommand, sendPing } from './links';
import { sendHello } from './hello';
import { refreshInstanceInfo } from './info-parse';

/** How often INFO goes to a master or replica: every second to a replica in a failover's way. */
function infoPeriod(st: SentinelState, ri: Instance): number {
  if ((ri.flags & SRI_SLAVE) && ((ri.master!.flags & (SRI_O_DOWN | SRI_FAILOVER_IN_PROGRESS)) || ri.masterLinkDownTime !== 0)) return 1000;
  return st.timers.infoPeriod;
}

/**
 * When sendPeriodicCommands (or, while the link is down, reconnectInstance) could first send
 * something to the instance: the earliest of its INFO, PING and hello due times. (Even with
 * too many replies pending: a quiet reply that arrives meanwhile lowers the count.)
 */
export function periodicCommandsDeadline(st: SentinelState, ri: Instance): number {
  const link = ri.link;
  if (link.disconnected) return ri.addr.port === 0 ? Infinity : link.lastReconnTime + st.timers.pingPeriod;
  let t = ri.lastPubTime + st.timers.publishPeriod;
  if (!(ri.flags & SRI_SENTINEL)) t = Math.min(t, ri.infoRefresh === 0 ? -Infinity : ri.infoRefresh + infoPeriod(st, ri));
  const pingPeriod = Math.min(ri.downAfterPeriod, st.timers.pingPeriod);
  return Math.min(t, Math.max(link.lastPongTime + pingPeriod, link.lastPingTime + Math.floor(pingPeriod / 2)));
}

export function sendPeriodicCommands(st: SentinelState, ri: Instance): void {
  const now = st.now();
  const link = ri.link;
  if (link.disconnected) return;
  if (link.pendingCommands >= MAX_PENDING_COMMANDS * link.refcount) return;
  const pingPeriod = Math.min(ri.downAfterPeriod, st.timers.pingPeriod);
  if (!(ri.flags & SRI_SENTINEL) && (ri.infoRefresh === 0 || now - ri.infoRefresh > infoPeriod(st, ri))) {
    linkCommand(ri, [mapCommand(ri, 'INFO')], (r) => {
      if (r.type === 'bulk') refreshInstanceInfo(st, ri, r.value);
    });
  }
  if (now - link.lastPongTime > pingPeriod && now - link.lastPingTime > Math.floor(pingPeriod / 2)) {
    sendPing(st, ri);
  }
  if (now - ri.lastPubTime > st.timers.publishPeriod) sendHello(st, ri);
}

/** sentinelPingReplyCallback(). */
export function pingReplyCallback(st: SentinelState, ri: Instance, link: InstanceLink, r: RespValue): void {
  if (r.type === 'status' || r.type === 'error') {
    const text = r.value;
    if (text.startsWith('PONG') || text.startsWith('LOADING') || text.startsWith('MASTERDOWN')) {
      link.lastAvailTime = st.now();
      link.actPingTime = 0;
      if ((ri.flags & SRI_MASTER_REBOOT) && text.startsWith('PONG')) ri.flags &= ~SRI_MASTER_REBOOT;
    } else if (text.startsWith('BUSY') && (ri.flags & SRI_S_DOWN) && !(ri.flags & SRI_SCRIPT_KILL_SENT)) {
      linkCommand(ri, [mapCommand(ri, 'SCRIPT'), 'KILL']);
      ri.flags |= SRI_SCRIPT_KILL_SENT;
    }
  }
  link.lastPongTime = st.now();
}
