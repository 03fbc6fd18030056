/**
 * The failover of one master as a statechart, with Redis's failover states
 * (SENTINEL_FAILOVER_STATE_*) as its states:
 *
 *   none ──START──▶ wait_start ──TICK [elected ∨ forced]──▶ select_slave
 *        ──TICK [a replica qualifies]──▶ send_slaveof_noone ──TICK [its link is up]──▶
 *   wait_promotion ──PROMOTED──▶ reconf_slaves ──END_CHECK [all reconfigured]──▶
 *   update_config ──SWITCH──▶ none
 *
 * Aborts (back to none, before the promotion only): not elected within
 * min(election-timeout, failover-timeout) of the start (-failover-abort-not-elected); no
 * replica qualifies (-failover-abort-no-good-slave); the chosen replica unreachable, or not
 * reporting role:master, for failover-timeout (-failover-abort-slave-timeout). After the
 * promotion the failover always completes: reconf_slaves ends when every reachable replica
 * follows the new master, or after failover-timeout (+failover-end-for-timeout).
 *
 * TICK is the sentinel timer calling sentinelFailoverStateMachine() (it carries the leader
 * sentinelGetLeader() computed in wait_start, since counting votes also casts ours);
 * END_CHECK follows TICK in reconf_slaves (sentinelFailoverDetectEnd runs after the
 * replicas were sent their SLAVEOF); PROMOTED comes from INFO of the promoted replica; SWITCH
 * from the timer loop that finds the master in update_config. The timeouts are delayed
 * transitions on the process's Os clock: when one fires its guard re-checks Redis's condition
 * with the current times (a vote for another sentinel moves the start time, for instance) and
 * re-arms itself if it does not hold yet. RESET puts the machine back to none without a word
 * (SENTINEL RESET, or the master record being reset by +switch-master).
 *
 * Guards, actions (the events Redis emits, SLAVEOF transactions, config flushes) and delays
 * are provided per master by failover.ts. This file is the definition the UI draws.
 */
import { setup } from 'xstate';

/** The failover states, in Redis's numeric order (SENTINEL_FAILOVER_STATE_*). */
export const FAILOVER_STATES = ['none', 'wait_start', 'select_slave', 'send_slaveof_noone', 'wait_promotion', 'reconf_slaves', 'update_config'] as const;
export type FailoverStateName = typeof FAILOVER_STATES[number];

export type FailoverEvent =
  | { type: 'START' }
  | { type: 'TICK'; leader?: string | null }
  | { type: 'END_CHECK' }
  | { type: 'PROMOTED' }
  | { type: 'SWITCH' }
  | { type: 'RESET' };

const noop = () => undefined;
const never = () => false;

/** Self-targeting re-arm of a timeout (the id is needed to re-enter the state). */
const rearm = (state: string) => ({ target: `#sentinel-failover.${state}`, reenter: true });

export const failoverMachine = setup({
  types: { events: {} as FailoverEvent },
  actions: {
    startFailover: noop,
    electedLeader: noop,
    abortNotElected: noop,
    selectSlave: noop,
    abortNoGoodSlave: noop,
    sendSlaveOfNoOne: noop,
    abortSlaveTimeout: noop,
    promoted: noop,
    reconfNextSlaves: noop,
    failoverEnd: noop,
    failoverEndForTimeout: noop,
    switchToPromoted: noop,
  },
  guards: {
    electedOrForced: never,
    electionTimedOut: never,
    goodSlaveAvailable: never,
    promotedLinkUp: never,
    promotedUnreachableTimedOut: never,
    promotionTimedOut: never,
    allReconfigured: never,
    reconfTimedOut: never,
  },
  delays: {
    electionTimeout: () => 10_000,
    stateTimeout: () => 180_000,
  },
}).createMachine({
  id: 'sentinel-failover',
  initial: 'none',
  on: { RESET: { target: '.none' } },
  states: {
    none: {
      on: { START: { target: 'wait_start', actions: ['startFailover'] } },
    },
    wait_start: {
      on: {
        TICK: { guard: 'electedOrForced', target: 'select_slave', actions: ['electedLeader'] },
      },
      after: {
        electionTimeout: [
          { guard: 'electionTimedOut', target: 'none', actions: ['abortNotElected'] },
          rearm('wait_start'),
        ],
      },
    },
    select_slave: {
      on: {
        TICK: [
          { guard: 'goodSlaveAvailable', target: 'send_slaveof_noone', actions: ['selectSlave'] },
          { target: 'none', actions: ['abortNoGoodSlave'] },
        ],
      },
    },
    send_slaveof_noone: {
      on: {
        TICK: { guard: 'promotedLinkUp', target: 'wait_promotion', actions: ['sendSlaveOfNoOne'] },
      },
      after: {
        stateTimeout: [
          { guard: 'promotedUnreachableTimedOut', target: 'none', actions: ['abortSlaveTimeout'] },
          rearm('send_slaveof_noone'),
        ],
      },
    },
    wait_promotion: {
      on: {
        PROMOTED: { target: 'reconf_slaves', actions: ['promoted'] },
      },
      after: {
        stateTimeout: [
          { guard: 'promotionTimedOut', target: 'none', actions: ['abortSlaveTimeout'] },
          rearm('wait_promotion'),
        ],
      },
    },
    reconf_slaves: {
      on: {
        TICK: { actions: ['reconfNextSlaves'] },
        END_CHECK: { guard: 'allReconfigured', target: 'update_config', actions: ['failoverEnd'] },
      },
      after: {
        stateTimeout: [
          { guard: 'reconfTimedOut', target: 'update_config', actions: ['failoverEndForTimeout'] },
          rearm('reconf_slaves'),
        ],
      },
    },
    update_config: {
      on: { SWITCH: { target: 'none', actions: ['switchToPromoted'] } },
    },
  },
});

export type FailoverMachine = typeof failoverMachine;
