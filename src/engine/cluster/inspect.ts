/**
 * Read-only views of a node's cluster state for observers outside the protocol (lesson
 * checks, the UI's inspector and statechart panel). Nothing here changes the state: no
 * failure-report cleanup, no stats, no I/O. Answers are plain data.
 */
import type { RedisServer } from '../server/server';
import { clusterInfoText } from './commands';
import { describeNode } from './nodes-conf';
import { failureState } from './failure-detector';
import { replicaFailoverState, type FailoverStateName } from './failover-machine';

export interface ClusterNodeView {
  id: string;
  /** "ip:port@cport[,hostname]" as in CLUSTER NODES. */
  addr: string;
  flags: string[];
  master: string | null;
  configEpoch: number;
  link: 'connected' | 'disconnected';
  /** Slot ranges ("0-5460", "7000") and, for myself, migration marks. */
  slots: string[];
  /** The failure detection machine's state for this node (null for myself). */
  failureState: string | null;
}

/** This node's side of failovers (replica election, manual failover). */
export interface FailoverView {
  /** The replica failover machine's state (`replicaFailoverMachine` is its definition). */
  state: FailoverStateName;
  /** Replicas of our master with more data than us (the election delay is rank × 1 s more). */
  rank: number;
  /** When the election may start / started (ms on the node's clock), 0 if never. */
  electionAtMs: number;
  /** The epoch of the current or last election, 0 if none. */
  electionEpoch: number;
  votes: number;
  votesNeeded: number;
  /** A manual failover's deadline (ms), 0 if none is in progress. */
  manualFailoverEndMs: number;
  /** As a master: the replica we paused writes for in a manual failover. */
  pausedForReplica: string | null;
}

export interface ClusterView {
  /** CLUSTER INFO fields. */
  info: Record<string, string>;
  nodes: ClusterNodeView[];
  failover: FailoverView;
}

/** The cluster as this server sees it, or null when cluster mode is off. */
export function clusterView(server: RedisServer): ClusterView | null {
  const cl = server.cluster;
  if (!cl) return null;
  const info: Record<string, string> = {};
  for (const line of clusterInfoText(cl).split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) info[line.slice(0, i)] = line.slice(i + 1);
  }
  const nodes = [...cl.nodes.values()].map((n) => {
    const f = describeNode(cl, n).split(' ');
    return {
      id: n.name, addr: f[1], flags: f[2].split(','), master: f[3] === '-' ? null : f[3], configEpoch: Number(f[6]),
      link: f[7] as 'connected' | 'disconnected', slots: f.slice(8), failureState: failureState(cl, n),
    };
  });
  const failover: FailoverView = {
    state: replicaFailoverState(cl),
    rank: cl.failoverAuthRank,
    electionAtMs: cl.failoverAuthTimeMs,
    electionEpoch: cl.failoverAuthEpoch,
    votes: cl.failoverAuthCount,
    votesNeeded: Math.floor(cl.size / 2) + 1,
    manualFailoverEndMs: cl.mfEndMs,
    pausedForReplica: cl.myself.isMaster() && cl.mfSlave ? cl.mfSlave.name : null,
  };
  return { info, nodes, failover };
}
