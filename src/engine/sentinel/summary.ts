/**
 * A sentinel's state as plain data, for observers: the UI (statecharts, topology) through
 * `world.inspect` (`{ op: 'sentinel' }` in src/engine/inspect.ts), tests, and `sentinelOf()`.
 * Reading it changes nothing: no command runs, no event is emitted.
 *
 * Per monitored master: where the instance view machine is (up / sdown / odown), where the
 * failover machine is, the leader this sentinel voted for and in which epoch, the epoch of the
 * failover it runs, and the same view of each replica and other sentinel (with, for a
 * sentinel, the leader it told us it voted for).
 */
import type { RedisServer } from '../server/server';
import { sentinelStateOf } from './registry';
import { SRI_FAILOVER_IN_PROGRESS, type Instance, type SentinelState, type FailoverStateName } from './state';
import type { InstanceViewState } from './instance-machine';
import { viewState } from './down';
import { flagsText } from './replies';
import { announceAddr } from './addr';

export interface InstanceSummary {
  name: string;
  ip: string;
  port: number;
  runid: string | null;
  /** As SENTINEL MASTER/REPLICAS/SENTINELS print them ("master,s_down,o_down"...). */
  flags: string;
  /** The up / sdown / odown view machine's state. */
  view: InstanceViewState;
}

export interface SentinelPeerSummary extends InstanceSummary {
  /** The leader that sentinel said it voted for (is-master-down-by-addr reply), and its epoch. */
  votedLeader: string | null;
  votedLeaderEpoch: number;
}

export interface MasterSummary extends InstanceSummary {
  quorum: number;
  configEpoch: number;
  /** The failover machine's state ('none' when no failover runs). */
  failoverState: FailoverStateName;
  /** Since when (ms on the process clock) the failover machine is in `failoverState`; 0 if never. */
  failoverStateSinceMs: number;
  /** The epoch of the failover this sentinel started (0: never). */
  failoverEpoch: number;
  /** This sentinel runs a failover of the master (it started one; it leads it once elected). */
  failoverInProgress: boolean;
  /** The sentinel this one voted for as failover leader, and in which epoch (null: no vote yet). */
  leader: string | null;
  leaderEpoch: number;
  /** The replica being promoted ("ip:port"), during a failover. */
  promoted: string | null;
  replicas: InstanceSummary[];
  sentinels: SentinelPeerSummary[];
}

export interface SentinelSummary {
  myid: string;
  currentEpoch: number;
  tilt: boolean;
  masters: MasterSummary[];
}

function instanceSummary(st: SentinelState, ri: Instance): InstanceSummary {
  return { name: ri.name, ip: announceAddr(st, ri.addr), port: ri.addr.port, runid: ri.runid, flags: flagsText(ri), view: viewState(ri) };
}

export function masterSummary(st: SentinelState, m: Instance): MasterSummary {
  return {
    ...instanceSummary(st, m),
    quorum: m.quorum,
    configEpoch: m.configEpoch,
    failoverState: m.failoverState,
    failoverStateSinceMs: m.failoverStateChangeTime,
    failoverEpoch: m.failoverEpoch,
    failoverInProgress: (m.flags & SRI_FAILOVER_IN_PROGRESS) !== 0,
    leader: m.leader,
    leaderEpoch: m.leaderEpoch,
    promoted: m.promotedSlave?.name ?? null,
    replicas: [...m.slaves.values()].map((r) => instanceSummary(st, r)),
    sentinels: [...m.sentinels.values()].map((s) => ({ ...instanceSummary(st, s), votedLeader: s.leader, votedLeaderEpoch: s.leaderEpoch })),
  };
}

export function stateSummary(st: SentinelState): SentinelSummary {
  return { myid: st.myid, currentEpoch: st.currentEpoch, tilt: st.tilt, masters: [...st.masters.values()].map((m) => masterSummary(st, m)) };
}

/** The summary of the sentinel a server runs, or null when it is not in Sentinel mode. */
export function sentinelSummary(server: RedisServer): SentinelSummary | null {
  const st = sentinelStateOf(server);
  return st ? stateSummary(st) : null;
}
