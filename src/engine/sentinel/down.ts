/**
 * Failure detection: SDOWN, ODOWN and asking the other sentinels (sentinel.c's
 * sentinelCheckSubjectivelyDown, sentinelCheckObjectivelyDown,
 * sentinelAskMasterStateToOtherSentinels, sentinelReceiveIsMasterDownReply).
 *
 * - SDOWN: the oldest unanswered PING (or, while disconnected, the last acceptable reply) is
 *   older than down-after-milliseconds; or a master has been reporting role:slave for more
 *   than down-after + 2 INFO periods; or a master flagged as rebooted stayed so for
 *   master-reboot-down-after-period.
 * - Link hygiene first: a command link older than 15 s whose PING has been pending for more
 *   than half of down-after is closed (and reconnected by the timer); so is a pub/sub link
 *   older than 15 s that heard nothing for 3 publish periods.
 * - ODOWN (masters): SDOWN here, and myself plus the sentinels whose last
 *   is-master-down-by-addr reply said "down" reach the quorum.
 * - While the master is SDOWN every other sentinel is asked once per ask period (at once when a
 *   failover starts); the question carries our run ID, i.e. asks for a vote, once we are in a
 *   failover. Answers older than 5 ask periods are forgotten.
 */
import { createActor } from 'xstate';
import { instanceViewMachine, type InstanceViewState } from './instance-machine';
import {
  type Instance, type SentinelState,
  SRI_MASTER, SRI_S_DOWN, SRI_O_DOWN, SRI_MASTER_DOWN, SRI_MASTER_REBOOT, SRI_SCRIPT_KILL_SENT, SRI_SLAVE,
} from './state';
import { sentinelEvent } from './events';
import { closeLinkConnection, linkCommand, mapCommand } from './links';
import { announceAddr } from './addr';

/** Myself plus the sentinels that reported the master down. */
function downVotes(master: Instance): number {
  let n = 1;
  for (const ri of master.sentinels.values()) if (ri.flags & SRI_MASTER_DOWN) n++;
  return n;
}

/** The ODOWN condition: a master, and myself plus the "down" reporters reach the quorum. */
function quorumReached(ri: Instance): boolean {
  return (ri.flags & SRI_MASTER) !== 0 && downVotes(ri) >= ri.quorum;
}

/** The SDOWN condition of sentinelCheckSubjectivelyDown() at `now`, without side effects. */
function isSubjectivelyDown(st: SentinelState, ri: Instance, now = st.now()): boolean {
  let elapsed = 0;
  if (ri.link.actPingTime) elapsed = now - ri.link.actPingTime;
  else if (ri.link.disconnected) elapsed = now - ri.link.lastAvailTime;
  return elapsed > ri.downAfterPeriod ||
    ((ri.flags & SRI_MASTER) !== 0 && ri.roleReported === SRI_SLAVE && now - ri.roleReportedTime > ri.downAfterPeriod + st.timers.infoPeriod * 2) ||
    ((ri.flags & SRI_MASTER_REBOOT) !== 0 && now - ri.masterRebootSinceTime > ri.masterRebootDownAfterPeriod);
}

/** The instance's view actor, with its guards and actions bound to this record. */
export function createInstanceView(st: SentinelState, ri: Instance) {
  const machine = instanceViewMachine.provide({
    guards: {
      subjectivelyDown: () => isSubjectivelyDown(st, ri),
      quorumReached: () => quorumReached(ri),
    },
    actions: {
      enterSdown: () => {
        sentinelEvent(st, 'warning', '+sdown', ri);
        ri.sDownSinceTime = st.now();
        ri.flags |= SRI_S_DOWN;
      },
      leaveSdown: () => {
        sentinelEvent(st, 'warning', '-sdown', ri);
        ri.flags &= ~(SRI_S_DOWN | SRI_SCRIPT_KILL_SENT);
      },
      enterOdown: () => {
        sentinelEvent(st, 'warning', '+odown', ri, ` #quorum ${downVotes(ri)}/${ri.quorum}`);
        ri.flags |= SRI_O_DOWN;
        ri.oDownSinceTime = st.now();
      },
      leaveOdown: () => {
        sentinelEvent(st, 'warning', '-odown', ri);
        ri.flags &= ~SRI_O_DOWN;
      },
    },
  });
  const actor = createActor(machine);
  actor.start();
  return actor;
}

export function viewState(ri: Instance): InstanceViewState {
  return ri.view.getSnapshot().value as InstanceViewState;
}

/**
 * sentinelCheckSubjectivelyDown() and, for masters, sentinelCheckObjectivelyDown(): the link
 * hygiene, then one CHECK of the view machine.
 */
export function checkDown(st: SentinelState, ri: Instance): void {
  const now = st.now();
  const link = ri.link;
  if (link.cc && now - link.ccConnTime > st.timers.minLinkReconnectPeriod && link.actPingTime !== 0 &&
    now - link.actPingTime > Math.floor(ri.downAfterPeriod / 2) && now - link.lastPongTime > Math.floor(ri.downAfterPeriod / 2)) {
    closeLinkConnection(link, 'cc');
  }
  if (link.pc && now - link.pcConnTime > st.timers.minLinkReconnectPeriod && now - link.pcLastActivity > st.timers.publishPeriod * 3) {
    closeLinkConnection(link, 'pc');
  }
  if (checkCanTransition(st, ri)) ri.view.send({ type: 'CHECK' });
}

/**
 * Whether a CHECK would take any transition of the view machine from its current state (the
 * same pure guards, read in the machine's order). Almost every tick changes nothing, and
 * running xstate's macrostep for a no-op CHECK on every instance every 100 ms dominated a
 * sentinel's cost; the machine still takes (and is the only place that makes) every change.
 */
export function checkCanTransition(st: SentinelState, ri: Instance, now = st.now()): boolean {
  const state = viewState(ri);
  const down = isSubjectivelyDown(st, ri, now);
  if (state === 'up') return down;
  const quorum = quorumReached(ri);
  return state === 'sdown' ? !down || quorum : !down || !quorum;
}

/**
 * When an instance seen up could first turn SDOWN by time alone: its oldest unanswered PING,
 * or while disconnected its last good reply, ages past down-after; a master reporting the
 * replica role for too long; a rebooted master that stays so.
 */
export function sdownDeadline(st: SentinelState, ri: Instance): number {
  let t = Infinity;
  if (ri.link.actPingTime) t = ri.link.actPingTime + ri.downAfterPeriod;
  else if (ri.link.disconnected) t = ri.link.lastAvailTime + ri.downAfterPeriod;
  if ((ri.flags & SRI_MASTER) !== 0 && ri.roleReported === SRI_SLAVE) t = Math.min(t, ri.roleReportedTime + ri.downAfterPeriod + st.timers.infoPeriod * 2);
  if (ri.flags & SRI_MASTER_REBOOT) t = Math.min(t, ri.masterRebootSinceTime + ri.masterRebootDownAfterPeriod);
  return t;
}

/** When checkDown's link hygiene could first close one of the instance's links. */
export function linkHygieneDeadline(st: SentinelState, ri: Instance): number {
  const link = ri.link;
  const half = Math.floor(ri.downAfterPeriod / 2);
  let t = Infinity;
  if (link.cc && link.actPingTime !== 0) t = Math.max(link.ccConnTime + st.timers.minLinkReconnectPeriod, link.actPingTime + half, link.lastPongTime + half);
  if (link.pc) t = Math.min(t, Math.max(link.pcConnTime + st.timers.minLinkReconnectPeriod, link.pcLastActivity + st.timers.publishPeriod * 3));
  return t;
}

export const ASK_FORCED = 1;

/** sentinelAskMasterStateToOtherSentinels(). */
export function askMasterStateToOtherSentinels(st: SentinelState, master: Instance, flags: number): void {
  for (const ri of master.sentinels.values()) {
    const elapsed = st.now() - ri.lastMasterDownReplyTime;
    if (elapsed > st.timers.askPeriod * 5) {
      ri.flags &= ~SRI_MASTER_DOWN;
      ri.leader = null;
    }
    if ((master.flags & SRI_S_DOWN) === 0) continue;
    if (ri.link.disconnected) continue;
    if (!(flags & ASK_FORCED) && st.now() - ri.lastMasterDownReplyTime < st.timers.askPeriod) continue;
    const runid = master.failoverState !== 'none' ? st.myid : '*';
    linkCommand(ri, [mapCommand(ri, 'SENTINEL'), 'is-master-down-by-addr', announceAddr(st, master.addr), String(master.addr.port), String(st.currentEpoch), runid],
      (r) => receiveIsMasterDownReply(st, ri, r));
  }
}

/** sentinelReceiveIsMasterDownReply(): anything but [int, bulk, int] is ignored. */
function receiveIsMasterDownReply(st: SentinelState, ri: Instance, r: import('../resp/reply-parser').RespValue): void {
  if (r.type !== 'array' || r.value.length !== 3) return;
  const [down, leader, epoch] = r.value;
  if (down.type !== 'int' || leader.type !== 'bulk' || epoch.type !== 'int') return;
  ri.lastMasterDownReplyTime = st.now();
  if (down.value === 1n) ri.flags |= SRI_MASTER_DOWN;
  else ri.flags &= ~SRI_MASTER_DOWN;
  if (leader.value !== '*') {
    const e = Number(epoch.value);
    if (ri.leaderEpoch !== e) st.server.log.warning(`${ri.name} voted for ${leader.value} ${e}`);
    ri.leader = leader.value;
    ri.leaderEpoch = e;
  }
}
