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
 * from the timer loop that finds the master in update_config. The timeouts (ELECTION_TIMEOUT,
 * STATE_TIMEOUT) come from an Os timer the state arms on entry (src/engine/state-timeout.ts):
 * when one arrives its guard re-checks Redis's condition with the current times (a vote for
 * another sentinel moves the start time, for instance) and, if it does not hold yet, the state
 * is re-entered, which arms the timer again. RESET puts the machine back to none without a word
 * (SENTINEL RESET, or the master record being reset by +switch-master).
 *
 * Guards and actions (the events Redis emits, SLAVEOF transactions, config flushes, arming
 * the timeouts) are provided per master by failover.ts. This file is the definition the UI draws.
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
  | { type: 'RESET' }
  | { type: 'ELECTION_TIMEOUT' }
  | { type: 'STATE_TIMEOUT' };

const noop = () => undefined;
const never = () => false;

/** Self-targeting re-arm of a timeout (re-entering the state arms it again). */
const rearm = (state: FailoverStateName) => ({ target: `#sentinel-failover.${state}`, reenter: true });

/** A state with a timeout: armed on entry (`arm`), disarmed on exit. */
const timed = (arm: 'armElectionTimeout' | 'armStateTimeout') => ({ entry: [arm], exit: ['disarmTimeout' as const] });

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
    armElectionTimeout: noop,
    armStateTimeout: noop,
    disarmTimeout: noop,
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
}).createMachine({
  id: 'sentinel-failover',
  initial: 'none',
  on: { RESET: { target: '.none' } },
  states: {
    none: {
      on: { START: { target: 'wait_start', actions: ['startFailover'] } },
    },
    wait_start: {
      ...timed('armElectionTimeout'),
      on: {
        TICK: { guard: 'electedOrForced', target: 'select_slave', actions: ['electedLeader'] },
        ELECTION_TIMEOUT: [
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
      ...timed('armStateTimeout'),
      on: {
        TICK: { guard: 'promotedLinkUp', target: 'wait_promotion', actions: ['sendSlaveOfNoOne'] },
        STATE_TIMEOUT: [
          { guard: 'promotedUnreachableTimedOut', target: 'none', actions: ['abortSlaveTimeout'] },
          rearm('send_slaveof_noone'),
        ],
      },
    },
    wait_promotion: {
      ...timed('armStateTimeout'),
      on: {
        PROMOTED: { target: 'reconf_slaves', actions: ['promoted'] },
        STATE_TIMEOUT: [
          { guard: 'promotionTimedOut', target: 'none', actions: ['abortSlaveTimeout'] },
          rearm('wait_promotion'),
        ],
      },
    },
    reconf_slaves: {
      ...timed('armStateTimeout'),
      on: {
        TICK: { actions: ['reconfNextSlaves'] },
        END_CHECK: { guard: 'allReconfigured', target: 'update_config', actions: ['failoverEnd'] },
        STATE_TIMEOUT: [
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
