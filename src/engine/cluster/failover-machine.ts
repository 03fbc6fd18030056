/**
 * A replica's failover as a statechart, for drawing and for observers (lessons, the UI).
 *
 *   idle ──master FAIL (or CLUSTER FAILOVER FORCE)──▶ waiting_delay ──delay over──▶ waiting_votes
 *   waiting_votes ──size/2+1 votes──▶ promoted
 *   waiting_votes ──node_timeout × 2 (≥ 2 s) without a majority──▶ expired ──retry (× 2)──▶ waiting_delay
 *   idle ──master FAIL, data older than the validity limit──▶ data_too_old
 *   idle ──CLUSTER FAILOVER──▶ manual_waiting_offset ──paused master's offset──▶ manual_catching_up
 *        ──offset reached──▶ waiting_delay (no delay, FORCEACK votes)
 *   idle ──CLUSTER FAILOVER TAKEOVER──▶ promoted (no votes)
 *   any ──master reachable again / failover aborted──▶ idle
 *
 * Redis has no such machine: clusterHandleSlaveFailover and clusterHandleManualFailover are
 * re-run by the cron and after packets, and take the next step from a handful of fields
 * (failover_auth_time/sent/count, mf_end/mf_can_start/mf_master_offset). This file is the
 * definition only; `replicaFailoverState` derives the current state from those same fields
 * (failover.ts), so watching costs nothing and cannot change what the node does.
 */
import { setup } from 'xstate';
import type { Cluster } from './cluster';
import { CANT_FAILOVER_DATA_AGE } from './cluster';

export type FailoverEvent =
  | { type: 'MASTER_FAIL' }
  | { type: 'MASTER_OK' }
  | { type: 'DATA_TOO_OLD' }
  | { type: 'DELAY_OVER' }
  | { type: 'MAJORITY' }
  | { type: 'EXPIRED' }
  | { type: 'RETRY' }
  | { type: 'MANUAL' }
  | { type: 'FORCE' }
  | { type: 'TAKEOVER' }
  | { type: 'MASTER_OFFSET' }
  | { type: 'CAUGHT_UP' }
  | { type: 'ABORT' };

export const FAILOVER_STATES = [
  'idle', 'data_too_old', 'waiting_delay', 'waiting_votes', 'expired', 'manual_waiting_offset', 'manual_catching_up', 'promoted',
] as const;
export type FailoverStateName = typeof FAILOVER_STATES[number];

export const replicaFailoverMachine = setup({
  types: { events: {} as FailoverEvent },
}).createMachine({
  id: 'cluster-replica-failover',
  initial: 'idle',
  on: { MASTER_OK: '.idle', ABORT: '.idle' },
  states: {
    idle: {
      on: {
        MASTER_FAIL: 'waiting_delay', DATA_TOO_OLD: 'data_too_old', MANUAL: 'manual_waiting_offset',
        FORCE: 'waiting_delay', TAKEOVER: 'promoted',
      },
    },
    data_too_old: { on: { MASTER_FAIL: 'waiting_delay', FORCE: 'waiting_delay', TAKEOVER: 'promoted' } },
    manual_waiting_offset: { on: { MASTER_OFFSET: 'manual_catching_up' } },
    manual_catching_up: { on: { CAUGHT_UP: 'waiting_delay' } },
    waiting_delay: { on: { DELAY_OVER: 'waiting_votes', DATA_TOO_OLD: 'data_too_old' } },
    waiting_votes: { on: { MAJORITY: 'promoted', EXPIRED: 'expired' } },
    expired: { on: { RETRY: 'waiting_delay', DATA_TOO_OLD: 'data_too_old' } },
    promoted: {},
  },
});

/** The state of myself's failover, read from the election fields (never changes them). */
export function replicaFailoverState(cl: Cluster): FailoverStateName {
  const me = cl.myself;
  if (me.isMaster()) return cl.failoverWonEpoch !== 0 && cl.failoverWonEpoch === me.configEpoch ? 'promoted' : 'idle';
  const master = me.slaveof;
  if (master === null) return 'idle';
  if (cl.mfEndMs !== 0 && !cl.mfCanStart) return cl.mfMasterOffset === -1 ? 'manual_waiting_offset' : 'manual_catching_up';
  const manual = cl.mfEndMs !== 0 && cl.mfCanStart;
  if (!master.failed() && !manual) return 'idle';
  if (cl.cantFailoverReason === CANT_FAILOVER_DATA_AGE) return 'data_too_old';
  const now = cl.now();
  const authTimeoutMs = Math.max(cl.nodeTimeoutMs() * 2, 2000);
  const authAgeMs = now - cl.failoverAuthTimeMs;
  // Never scheduled, or so long ago that the next step schedules a new election.
  if (cl.failoverAuthTimeMs === 0 || authAgeMs > authTimeoutMs * 2) return 'idle';
  if (authAgeMs > authTimeoutMs) return 'expired';
  return cl.failoverAuthSent ? 'waiting_votes' : 'waiting_delay';
}
