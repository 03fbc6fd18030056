/**
 * The failover (sentinel.c's FAILOVER section): starting one, choosing the replica, promoting
 * it, reconfiguring the other replicas, and switching the master record to the new address.
 * The states and transitions are failover-machine.ts; this file provides, for each master,
 * the machine's guards, actions and timeouts, and the per-tick step.
 *
 * Replica selection (sentinelSelectSlave): a replica qualifies when it is not SDOWN/ODOWN,
 * its link is up, it answered a PING within 5 ping periods, its replica-priority is not 0, its
 * INFO is fresh (5 ping periods while the master is SDOWN, else 3 INFO periods), and its link
 * to the master has not been down longer than the master has been SDOWN plus 10 times
 * down-after. The best one has the lowest priority, then the largest replication offset, then
 * the smallest run ID (case-insensitive; unknown run IDs last).
 *
 * Every SLAVEOF is sent as one transaction (sentinelSendSlaveOf): MULTI, SLAVEOF host port
 * (or NO ONE), CONFIG REWRITE, CLIENT KILL TYPE normal, CLIENT KILL TYPE pubsub, EXEC. The
 * replies are ignored: the effect is observed in the next INFO. Killing the clients makes
 * them reconnect and ask the sentinels for the master again.
 */
import { createActor } from 'xstate';
import { failoverMachine, type FailoverEvent } from './failover-machine';
import {
  type Instance, type SentinelAddr, type SentinelState, type FailoverStateName,
  SRI_FAILOVER_IN_PROGRESS, SRI_FORCE_FAILOVER, SRI_O_DOWN, SRI_S_DOWN, SRI_PROMOTED, SRI_RECONF_SENT,
  SRI_RECONF_INPROG, SRI_RECONF_DONE, SIMFAILURE_CRASH_AFTER_ELECTION, SIMFAILURE_CRASH_AFTER_PROMOTION, MAX_DESYNC_MS,
} from './state';
import { sentinelEvent } from './events';
import { linkCommand, mapCommand } from './links';
import { announceAddr } from './addr';
import { getLeader } from './election';
import { flushConfig } from './config-file';
import { scheduleScript } from './scripts';
import { forceHelloUpdateForMaster } from './hello';
import { resetMasterAndChangeAddress } from './instances';
import { shutdownLinks } from './timer';
import { civilFromDays } from '../server/log';
import { StateTimeout } from '../state-timeout';

function setState(st: SentinelState, master: Instance, s: FailoverStateName): void {
  master.failoverState = s;
  master.failoverStateChangeTime = st.now();
}

/** The master's failover actor with everything bound to this record. */
export function createFailoverActor(st: SentinelState, master: Instance) {
  const promoted = () => master.promotedSlave;
  const untilStateTimeout = () => {
    const d = master.failoverStateChangeTime + master.failoverTimeout - st.now() + 1;
    return d > 0 ? d : 100;
  };
  const untilElectionTimeout = () => {
    const d = master.failoverStartTime + Math.min(st.timers.electionTimeout, master.failoverTimeout) - st.now() + 1;
    return d > 0 ? d : 100;
  };
  // A timeout runs as a server event, like the sentinel timer that checks it in Redis.
  const timeout = new StateTimeout(st.server.os, (fire) => st.server.event(fire));
  const machine = failoverMachine.provide({
    guards: {
      electedOrForced: ({ event }) => {
        const leader = (event as Extract<FailoverEvent, { type: 'TICK' }>).leader ?? null;
        return (leader !== null && leader.toLowerCase() === st.myid.toLowerCase()) || (master.flags & SRI_FORCE_FAILOVER) !== 0;
      },
      electionTimedOut: () => st.now() - master.failoverStartTime > Math.min(st.timers.electionTimeout, master.failoverTimeout),
      goodSlaveAvailable: () => selectSlave(st, master) !== null,
      promotedLinkUp: () => promoted() !== null && !promoted()!.link.disconnected,
      promotedUnreachableTimedOut: () => (promoted() === null || promoted()!.link.disconnected) &&
        st.now() - master.failoverStateChangeTime > master.failoverTimeout,
      promotionTimedOut: () => st.now() - master.failoverStateChangeTime > master.failoverTimeout,
      allReconfigured: () => {
        const p = promoted();
        if (p === null || (p.flags & SRI_S_DOWN)) return false;
        for (const s of master.slaves.values()) {
          if (s.flags & (SRI_PROMOTED | SRI_RECONF_DONE)) continue;
          if (s.flags & SRI_S_DOWN) continue;
          return false;
        }
        return true;
      },
      reconfTimedOut: () => {
        const p = promoted();
        return p !== null && !(p.flags & SRI_S_DOWN) && st.now() - master.failoverStateChangeTime > master.failoverTimeout;
      },
    },
    actions: {
      startFailover: () => {
        setState(st, master, 'wait_start');
        master.flags |= SRI_FAILOVER_IN_PROGRESS;
        master.failoverEpoch = ++st.currentEpoch;
        sentinelEvent(st, 'warning', '+new-epoch', master, `${st.currentEpoch}`, false);
        sentinelEvent(st, 'warning', '+try-failover', master);
        master.failoverStartTime = st.now() + st.rand(MAX_DESYNC_MS);
        master.failoverStateChangeTime = st.now();
      },
      electedLeader: () => {
        sentinelEvent(st, 'warning', '+elected-leader', master);
        if (st.simFailureFlags & SIMFAILURE_CRASH_AFTER_ELECTION) simFailureCrash(st);
        setState(st, master, 'select_slave');
        sentinelEvent(st, 'warning', '+failover-state-select-slave', master);
      },
      abortNotElected: () => {
        sentinelEvent(st, 'warning', '-failover-abort-not-elected', master);
        abortFailover(st, master);
      },
      selectSlave: () => {
        const slave = selectSlave(st, master)!;
        sentinelEvent(st, 'warning', '+selected-slave', slave);
        slave.flags |= SRI_PROMOTED;
        master.promotedSlave = slave;
        setState(st, master, 'send_slaveof_noone');
        sentinelEvent(st, 'notice', '+failover-state-send-slaveof-noone', slave);
      },
      abortNoGoodSlave: () => {
        sentinelEvent(st, 'warning', '-failover-abort-no-good-slave', master);
        abortFailover(st, master);
      },
      sendSlaveOfNoOne: () => {
        const slave = promoted()!;
        sendSlaveOf(st, slave, null);
        sentinelEvent(st, 'notice', '+failover-state-wait-promotion', slave);
        setState(st, master, 'wait_promotion');
      },
      abortSlaveTimeout: () => {
        sentinelEvent(st, 'warning', '-failover-abort-slave-timeout', master);
        abortFailover(st, master);
      },
      promoted: () => {
        const slave = promoted()!;
        // The epoch we won becomes the master's configuration epoch: the other sentinels
        // adopt the new address when they hear it in our hello messages.
        master.configEpoch = master.failoverEpoch;
        setState(st, master, 'reconf_slaves');
        flushConfig(st);
        sentinelEvent(st, 'warning', '+promoted-slave', slave);
        if (st.simFailureFlags & SIMFAILURE_CRASH_AFTER_PROMOTION) simFailureCrash(st);
        sentinelEvent(st, 'warning', '+failover-state-reconf-slaves', master);
        callClientReconfScript(st, master, 'leader', 'start', master.addr, slave.addr);
        forceHelloUpdateForMaster(st, master);
      },
      reconfNextSlaves: () => reconfNextSlaves(st, master),
      failoverEnd: () => {
        sentinelEvent(st, 'warning', '+failover-end', master);
        setState(st, master, 'update_config');
      },
      failoverEndForTimeout: () => {
        sentinelEvent(st, 'warning', '+failover-end-for-timeout', master);
        sentinelEvent(st, 'warning', '+failover-end', master);
        setState(st, master, 'update_config');
        // Best effort: tell the replicas not reconfigured yet about the new master.
        for (const s of master.slaves.values()) {
          if (s.flags & (SRI_PROMOTED | SRI_RECONF_DONE | SRI_RECONF_SENT)) continue;
          if (s.link.disconnected) continue;
          if (sendSlaveOf(st, s, promoted()!.addr)) {
            sentinelEvent(st, 'notice', '+slave-reconf-sent-be', s);
            s.flags |= SRI_RECONF_SENT;
          }
        }
      },
      switchToPromoted: () => switchToPromoted(st, master),
      armElectionTimeout: () => timeout.arm(untilElectionTimeout(), () => actor.send({ type: 'ELECTION_TIMEOUT' })),
      armStateTimeout: () => timeout.arm(untilStateTimeout(), () => actor.send({ type: 'STATE_TIMEOUT' })),
      disarmTimeout: () => timeout.disarm(),
    },
  });
  const actor = createActor(machine);
  actor.subscribe({
    next: (snap) => { master.failoverState = snap.value as FailoverStateName; },
    // Stopping the actor (the master record released) leaves no timer behind.
    complete: () => timeout.disarm(),
  });
  actor.start();
  return actor;
}

/** sentinelAbortFailover(): only before the promotion was acknowledged. */
function abortFailover(st: SentinelState, master: Instance): void {
  master.flags &= ~(SRI_FAILOVER_IN_PROGRESS | SRI_FORCE_FAILOVER);
  setState(st, master, 'none');
  if (master.promotedSlave) {
    master.promotedSlave.flags &= ~SRI_PROMOTED;
    master.promotedSlave = null;
  }
}

/** sentinelStartFailover(). */
export function startFailover(master: Instance): void {
  master.failover!.send({ type: 'START' });
}

/**
 * sentinelStartFailoverIfNeeded(): the master is ODOWN, no failover is running, and the last
 * attempt started more than 2 × failover-timeout ago. Returns true when one started.
 */
export function startFailoverIfNeeded(st: SentinelState, master: Instance): boolean {
  if (!(master.flags & SRI_O_DOWN)) return false;
  if (master.flags & SRI_FAILOVER_IN_PROGRESS) return false;
  if (st.now() - master.failoverStartTime < master.failoverTimeout * 2) {
    if (master.failoverDelayLogged !== master.failoverStartTime) {
      const clock = Math.floor((master.failoverStartTime + master.failoverTimeout * 2) / 1000);
      master.failoverDelayLogged = master.failoverStartTime;
      st.server.log.warning(`Next failover delay: I will not start a failover before ${ctime(st, clock)}`);
    }
    return false;
  }
  startFailover(master);
  return true;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime_r() without the newline: "Sun Nov 22 01:27:16 2026" in local time. */
export function ctime(st: SentinelState, unixSeconds: number): string {
  const ms = unixSeconds * 1000;
  const local = ms + st.server.os.tzOffsetMinutes(ms) * 60000;
  const days = Math.floor(local / 86400000);
  const secOfDay = Math.floor((local - days * 86400000) / 1000);
  const { y, m, day } = civilFromDays(days);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const dow = DAYS[((days % 7) + 11) % 7];
  return `${dow} ${MONTHS[m - 1]} ${String(day).padStart(2, ' ')} ${p2(Math.floor(secOfDay / 3600))}:${p2(Math.floor(secOfDay / 60) % 60)}:${p2(secOfDay % 60)} ${y}`;
}

/** compareSlavesForPromotion(): negative when `a` is the better candidate. */
export function compareSlavesForPromotion(a: Instance, b: Instance): number {
  if (a.slavePriority !== b.slavePriority) return a.slavePriority - b.slavePriority;
  if (a.slaveReplOffset > b.slaveReplOffset) return -1;
  if (a.slaveReplOffset < b.slaveReplOffset) return 1;
  if (a.runid === null && b.runid === null) return 0;
  if (a.runid === null) return 1;
  if (b.runid === null) return -1;
  const x = a.runid.toLowerCase();
  const y = b.runid.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** sentinelSelectSlave(): the best replica to promote, or null. */
export function selectSlave(st: SentinelState, master: Instance): Instance | null {
  const now = st.now();
  let maxMasterDownTime = 0;
  if (master.flags & SRI_S_DOWN) maxMasterDownTime += now - master.sDownSinceTime;
  maxMasterDownTime += master.downAfterPeriod * 10;
  const candidates: Instance[] = [];
  for (const slave of master.slaves.values()) {
    if (slave.flags & (SRI_S_DOWN | SRI_O_DOWN)) continue;
    if (slave.link.disconnected) continue;
    if (now - slave.link.lastAvailTime > st.timers.pingPeriod * 5) continue;
    if (slave.slavePriority === 0) continue;
    const infoValidity = master.flags & SRI_S_DOWN ? st.timers.pingPeriod * 5 : st.timers.infoPeriod * 3;
    if (now - slave.infoRefresh > infoValidity) continue;
    if (slave.masterLinkDownTime > maxMasterDownTime) continue;
    candidates.push(slave);
  }
  if (candidates.length === 0) return null;
  candidates.sort(compareSlavesForPromotion);
  return candidates[0];
}

/**
 * sentinelSendSlaveOf(): the SLAVEOF transaction (see the top). `addr` null sends SLAVEOF NO
 * ONE. False when the link cannot take the commands.
 */
export function sendSlaveOf(st: SentinelState, ri: Instance, addr: SentinelAddr | null): boolean {
  const host = addr ? announceAddr(st, addr) : 'NO';
  const port = addr ? String(addr.port) : 'ONE';
  if (!linkCommand(ri, [mapCommand(ri, 'MULTI')])) return false;
  if (!linkCommand(ri, [mapCommand(ri, 'SLAVEOF'), host, port])) return false;
  if (!linkCommand(ri, [mapCommand(ri, 'CONFIG'), 'REWRITE'])) return false;
  for (const type of ['normal', 'pubsub']) {
    if (!linkCommand(ri, [mapCommand(ri, 'CLIENT'), 'KILL', 'TYPE', type])) return false;
  }
  return linkCommand(ri, [mapCommand(ri, 'EXEC')]);
}

/**
 * sentinelFailoverReconfNextSlave(): send SLAVEOF <new master> to replicas, keeping at most
 * parallel-syncs of them in progress; a replica that did not move on within the reconf timeout
 * (10 s) is considered done (-slave-reconf-sent-timeout): the sentinels will fix its
 * configuration later.
 */
function reconfNextSlaves(st: SentinelState, master: Instance): void {
  let inProgress = 0;
  for (const s of master.slaves.values()) if (s.flags & (SRI_RECONF_SENT | SRI_RECONF_INPROG)) inProgress++;
  for (const s of master.slaves.values()) {
    if (inProgress >= master.parallelSyncs) break;
    if (s.flags & (SRI_PROMOTED | SRI_RECONF_DONE)) continue;
    if ((s.flags & SRI_RECONF_SENT) && st.now() - s.slaveReconfSentTime > st.timers.slaveReconfTimeout) {
      sentinelEvent(st, 'notice', '-slave-reconf-sent-timeout', s);
      s.flags &= ~SRI_RECONF_SENT;
      s.flags |= SRI_RECONF_DONE;
    }
    if (s.flags & (SRI_RECONF_SENT | SRI_RECONF_INPROG)) continue;
    if (s.link.disconnected) continue;
    if (sendSlaveOf(st, s, master.promotedSlave!.addr)) {
      s.flags |= SRI_RECONF_SENT;
      s.slaveReconfSentTime = st.now();
      sentinelEvent(st, 'notice', '+slave-reconf-sent', s);
      inProgress++;
    }
  }
}

/**
 * sentinelFailoverStateMachine(): one timer tick of a failover in progress. wait_promotion
 * has nothing to do on a tick (INFO moves it on; its timeout is a timer).
 */
export function failoverStep(st: SentinelState, master: Instance): void {
  if (!(master.flags & SRI_FAILOVER_IN_PROGRESS)) return;
  const actor = master.failover!;
  switch (master.failoverState) {
    case 'wait_start':
      actor.send({ type: 'TICK', leader: getLeader(st, master, master.failoverEpoch) });
      break;
    case 'select_slave':
    case 'send_slaveof_noone':
      actor.send({ type: 'TICK' });
      break;
    case 'reconf_slaves':
      actor.send({ type: 'TICK' });
      actor.send({ type: 'END_CHECK' });
      break;
    default:
      break;
  }
}

/** The promoted replica reported role:master (from INFO). */
export function promotionObserved(master: Instance): void {
  master.failover!.send({ type: 'PROMOTED' });
}

/** sentinelFailoverSwitchToPromotedSlave(). */
function switchToPromoted(st: SentinelState, master: Instance): void {
  const ref = master.promotedSlave ?? master;
  sentinelEvent(st, 'warning', '+switch-master', master,
    `${master.name} ${announceAddr(st, master.addr)} ${master.addr.port} ${announceAddr(st, ref.addr)} ${ref.addr.port}`, false);
  resetMasterAndChangeAddress(st, master, ref.addr.hostname, ref.addr.port);
}

/** The timer loop found the master in update_config. */
export function switchToPromotedSlave(master: Instance): void {
  master.failover!.send({ type: 'SWITCH' });
}

/** sentinelCallClientReconfScript(). */
export function callClientReconfScript(st: SentinelState, master: Instance, role: 'leader' | 'observer', state: string, from: SentinelAddr, to: SentinelAddr): void {
  if (master.clientReconfigScript === null) return;
  scheduleScript(st, master.clientReconfigScript, [master.name, role, state, announceAddr(st, from), String(from.port), announceAddr(st, to), String(to.port)]);
}

/** sentinelSimFailureCrash(). */
export function simFailureCrash(st: SentinelState): void {
  st.server.log.warning('Sentinel CRASH because of SENTINEL simulate-failure');
  shutdownLinks(st);
  st.server.terminate(99);
}
