/**
 * How long a sentinel's timer keeps to itself (CronHook.quietUntil, see Os.setTimer).
 *
 * The timer runs 10 to 19 times a second, yet most ticks send nothing: every instance's next
 * INFO, PING and hello are due at known times, SDOWN comes when a PING has gone unanswered for
 * down-after, a link is closed or reconnected after known periods. Those due times only move
 * when something arrives (a reply, a hello, a command), so until the earliest of them every
 * tick only updates the sentinel's own bookkeeping. The answer is that earliest time, or the
 * coming tick when something must happen at once (a failover running, an ODOWN master, a
 * script, a view change due now). Each due time mirrors the check the tick makes (timer.ts).
 */
import type { CronTick } from '../server/server';
import { type Instance, type SentinelState, SRI_FAILOVER_IN_PROGRESS, SRI_MASTER_DOWN, SRI_O_DOWN, SRI_S_DOWN } from './state';
import { checkCanTransition, linkHygieneDeadline, sdownDeadline, viewState } from './down';
import { periodicCommandsDeadline } from './monitor';

export function sentinelQuietUntil(st: SentinelState, tick: CronTick): number {
  const at = tick.atMs;
  if (st.scriptsQueue.length > 0) return at;
  // TILT is entered when a tick comes tilt-trigger after the previous one, left after tilt-period.
  let t = st.previousTime + st.timers.tiltTrigger;
  if (st.tilt) t = Math.min(t, st.tiltStartTime + st.timers.tiltPeriod);
  for (const master of st.masters.values()) {
    if (master.released) continue;
    if (master.failoverState !== 'none' || (master.flags & (SRI_O_DOWN | SRI_FAILOVER_IN_PROGRESS))) return at;
    t = Math.min(t, instanceDeadline(st, master, at));
    for (const ri of master.slaves.values()) t = Math.min(t, instanceDeadline(st, ri, at));
    for (const ri of master.sentinels.values()) t = Math.min(t, instanceDeadline(st, ri, at));
    // askMasterStateToOtherSentinels: old answers expire; an SDOWN master's state is asked again.
    for (const ri of master.sentinels.values()) {
      if ((ri.flags & SRI_MASTER_DOWN) || ri.leader !== null) t = Math.min(t, ri.lastMasterDownReplyTime + st.timers.askPeriod * 5);
      if ((master.flags & SRI_S_DOWN) && !ri.link.disconnected) t = Math.min(t, ri.lastMasterDownReplyTime + st.timers.askPeriod);
    }
    if (t <= at) return at;
  }
  return Math.max(at, t);
}

/** One instance's part of the tick (sentinelHandleRedisInstance): its earliest due time. */
function instanceDeadline(st: SentinelState, ri: Instance, at: number): number {
  if (ri.released) return Infinity;
  let t = periodicCommandsDeadline(st, ri);
  // In TILT the checks wait for its end (a due time above).
  if (st.tilt) return t;
  t = Math.min(t, linkHygieneDeadline(st, ri));
  // Up turns SDOWN with time; SDOWN and ODOWN change only with a reply or a vote, unless due now.
  if (viewState(ri) === 'up') return Math.min(t, sdownDeadline(st, ri));
  return checkCanTransition(st, ri, at) ? at : t;
}
