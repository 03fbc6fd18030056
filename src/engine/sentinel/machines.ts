/**
 * The sentinel's statechart definitions, for drawing: this module imports only xstate and the
 * two definition files, never the engine, so a page can import it without the sentinel.
 *
 * - `failoverMachine` (id `sentinel-failover`): one per monitored master, Redis's failover
 *   states (`FAILOVER_STATES`, SENTINEL_FAILOVER_STATE_* in their numeric order);
 * - `instanceViewMachine` (id `sentinel-instance`): one per master, replica and other sentinel,
 *   the up / sdown / odown view (`INSTANCE_VIEW_STATES`).
 *
 * The live state of each machine in a running sentinel is what `world.inspect` answers to
 * `{ fn: 'redis', query: { op: 'sentinel' } }` (src/engine/sentinel/summary.ts):
 * `masters[i].failoverState` and `masters[i].view` (and `view` of each replica and sentinel).
 */
export { failoverMachine, FAILOVER_STATES, type FailoverMachine, type FailoverEvent, type FailoverStateName } from './failover-machine';
export { instanceViewMachine, INSTANCE_VIEW_STATES, type InstanceViewMachine, type InstanceViewEvent, type InstanceViewState } from './instance-machine';
