/**
 * How a sentinel sees one instance: up, subjectively down (SDOWN: no valid PING reply for
 * down-after-milliseconds, a master that keeps reporting role:slave, or a rebooted master
 * within master-reboot-down-after-period), or objectively down (ODOWN, masters only: SDOWN
 * here and "down" in the last is-master-down-by-addr replies of enough other sentinels to
 * reach the quorum).
 *
 *   up ──CHECK [sdown]──▶ sdown ──CHECK [quorum]──▶ odown
 *   up ──CHECK [sdown ∧ quorum]──▶ odown            (+sdown then +odown in the same tick)
 *   odown ──CHECK [¬quorum]──▶ sdown ──CHECK [¬sdown]──▶ up
 *   odown ──CHECK [¬sdown]──▶ up                     (-sdown then -odown)
 *   any ──RESET──▶ up                                (SENTINEL RESET, +switch-master: flags cleared silently)
 *
 * Like Redis, the view is re-evaluated on every sentinel timer tick (the CHECK event, sent by
 * timer.ts after the link hygiene of sentinelCheckSubjectivelyDown), never during TILT. The
 * guards and the actions (which set the S_DOWN/O_DOWN flags and emit +sdown/-sdown/+odown/
 * -odown) are provided per instance by down.ts. This file is the definition the UI draws.
 */
import { and, not, setup } from 'xstate';

export type InstanceViewEvent = { type: 'CHECK' } | { type: 'RESET' };

export const INSTANCE_VIEW_STATES = ['up', 'sdown', 'odown'] as const;
export type InstanceViewState = typeof INSTANCE_VIEW_STATES[number];

const noop = () => undefined;
const never = () => false;

export const instanceViewMachine = setup({
  types: { events: {} as InstanceViewEvent },
  actions: {
    enterSdown: noop,
    leaveSdown: noop,
    enterOdown: noop,
    leaveOdown: noop,
  },
  guards: {
    subjectivelyDown: never,
    quorumReached: never,
  },
}).createMachine({
  id: 'sentinel-instance',
  initial: 'up',
  on: { RESET: { target: '.up' } },
  states: {
    up: {
      on: {
        CHECK: [
          { guard: and(['subjectivelyDown', 'quorumReached']), target: 'odown', actions: ['enterSdown', 'enterOdown'] },
          { guard: 'subjectivelyDown', target: 'sdown', actions: ['enterSdown'] },
        ],
      },
    },
    sdown: {
      on: {
        CHECK: [
          { guard: not('subjectivelyDown'), target: 'up', actions: ['leaveSdown'] },
          { guard: 'quorumReached', target: 'odown', actions: ['enterOdown'] },
        ],
      },
    },
    odown: {
      on: {
        CHECK: [
          { guard: not('subjectivelyDown'), target: 'up', actions: ['leaveSdown', 'leaveOdown'] },
          { guard: not('quorumReached'), target: 'sdown', actions: ['leaveOdown'] },
        ],
      },
    },
  },
});

export type InstanceViewMachine = typeof instanceViewMachine;
