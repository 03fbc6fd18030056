/**
 * The sentinel timer (sentinelTimer), run from serverCron on every tick.
 *
 * 1. TILT check: if the clock went backwards or more than tilt-trigger (2 s) passed since the
 *    last tick, the process was stalled (or the clock jumped); everything measured since then is
 *    suspect, so the sentinel enters TILT (+tilt) for tilt-period (30 s): it keeps monitoring but
 *    takes no decision and answers is-master-down-by-addr with 0. On the simulated clock this
 *    only happens when a process is really stalled (a long busy() or a paused VM).
 * 2. For every master, then its replicas, then its sentinels: reconnect, periodic commands,
 *    then (unless in TILT) the down checks, and for masters the failover start, one failover
 *    step and the questions to the other sentinels. A master found in update_config switches to
 *    its promoted replica after the loop.
 * 3. Scripts: start pending ones, reap finished ones (their exit is an event here), kill
 *    those over time.
 * 4. The next tick comes after 1000/hz ms with hz drawn again in [10, 19], so sentinels started
 *    together drift apart and do not keep asking for votes at the same instant.
 */
import { type Instance, type SentinelState, SRI_MASTER } from './state';
import { sentinelEvent } from './events';
import { reconnectInstance, closeLinkConnection } from './links';
import { sendPeriodicCommands } from './monitor';
import { checkDown, askMasterStateToOtherSentinels, ASK_FORCED } from './down';
import { failoverStep, startFailoverIfNeeded, switchToPromotedSlave } from './failover';
import { runPendingScripts, killTimedoutScripts } from './scripts';

/** CONFIG_DEFAULT_HZ. */
export const DEFAULT_HZ = 10;

/** sentinelCheckTiltCondition(). */
function checkTiltCondition(st: SentinelState): void {
  const now = st.now();
  const delta = now - st.previousTime;
  if (delta < 0 || delta > st.timers.tiltTrigger) {
    st.tilt = true;
    st.tiltStartTime = st.now();
    sentinelEvent(st, 'warning', '+tilt', null, '#tilt mode entered');
  }
  st.previousTime = st.now();
}

/** sentinelHandleRedisInstance(). */
function handleInstance(st: SentinelState, ri: Instance): void {
  reconnectInstance(st, ri);
  sendPeriodicCommands(st, ri);
  if (st.tilt) {
    if (st.now() - st.tiltStartTime < st.timers.tiltPeriod) return;
    st.tilt = false;
    sentinelEvent(st, 'warning', '-tilt', null, '#tilt mode exited');
  }
  checkDown(st, ri);
  if (ri.flags & SRI_MASTER) {
    if (startFailoverIfNeeded(st, ri)) askMasterStateToOtherSentinels(st, ri, ASK_FORCED);
    failoverStep(st, ri);
    askMasterStateToOtherSentinels(st, ri, 0);
  }
}

/** sentinelHandleDictOfRedisInstances(). */
function handleInstances(st: SentinelState, instances: Map<string, Instance>): void {
  let switchToPromoted: Instance | null = null;
  for (const ri of [...instances.values()]) {
    if (ri.released) continue;
    handleInstance(st, ri);
    if (ri.flags & SRI_MASTER) {
      handleInstances(st, ri.slaves);
      handleInstances(st, ri.sentinels);
      if (ri.failoverState === 'update_config') switchToPromoted = ri;
    }
  }
  if (switchToPromoted) switchToPromotedSlave(switchToPromoted);
}

export function sentinelTimer(st: SentinelState): void {
  checkTiltCondition(st);
  handleInstances(st, st.masters);
  runPendingScripts(st);
  killTimedoutScripts(st);
}

/** The next server.hz (CONFIG_DEFAULT_HZ + rand() % CONFIG_DEFAULT_HZ). */
export function nextHz(st: SentinelState): number {
  return DEFAULT_HZ + st.rand(DEFAULT_HZ);
}

/** Close every outgoing connection (the process is going away). */
export function shutdownLinks(st: SentinelState): void {
  for (const m of st.masters.values()) {
    for (const ri of [m, ...m.slaves.values(), ...m.sentinels.values()]) {
      closeLinkConnection(ri.link, 'cc');
      closeLinkConnection(ri.link, 'pc');
    }
  }
}
