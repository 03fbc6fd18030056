/**
 * Failure detection for one remote node, as a state machine (an xstate v5 machine the UI can
 * draw; its live state is the node's "fail?"/"fail" flag).
 *
 *   reachable ──PONG_TIMEOUT──▶ suspected (PFAIL, "fail?")
 *   suspected ──PONG──▶ reachable
 *   suspected ──FAILURE_REPORTED [a majority of masters agree]──▶ failed (FAIL, broadcast)
 *   reachable/suspected ──FAIL_MESSAGE──▶ failed
 *   failed ──PONG [a replica or slot-less master; or, for a master with slots, the FAIL is
 *            older than node_timeout × 2 and nobody took its slots]──▶ reachable
 *
 * Who sends the events (all from cluster.c's logic):
 * - PONG_TIMEOUT: the 100 ms cron, when a ping has been pending and nothing at all arrived
 *   from the node for more than cluster-node-timeout.
 * - PONG: a PONG arrived on our outbound link to the node.
 * - FAILURE_REPORTED: a master's gossip said the node is PFAIL or FAIL. The quorum counts
 *   fresh reports (younger than node_timeout × 2) from masters, plus ourselves if we are a
 *   master, against size/2 + 1 where size is the number of masters serving slots. Only a node
 *   that we ourselves suspect can be failed this way: a weak agreement, made strong by the FAIL
 *   broadcast that forces every reachable node to flag it too.
 * - FAIL_MESSAGE: another node broadcast FAIL about it.
 *
 * No transition uses a timer: like Redis, time only matters when the cron or a packet looks.
 */
import { createActor, setup, type Actor } from 'xstate';
import type { Cluster } from './cluster';
import { TODO_SAVE_CONFIG, TODO_UPDATE_STATE } from './cluster';
import { NODE_FAIL, NODE_PFAIL, type ClusterNode } from './node';
import { sendFail } from './bus';

export type FailureDetectorEvent =
  | { type: 'PONG_TIMEOUT' }
  | { type: 'PONG' }
  | { type: 'FAILURE_REPORTED' }
  | { type: 'FAIL_MESSAGE'; from: string };

interface Ctx { cluster: Cluster; node: ClusterNode }

export const failureDetectorMachine = setup({
  types: {
    context: {} as Ctx,
    input: {} as Ctx,
    events: {} as FailureDetectorEvent,
  },
  guards: {
    startsFailed: ({ context }) => context.node.failed(),
    startsSuspected: ({ context }) => context.node.timedOut(),
    quorumReached: ({ context: { cluster, node } }) => {
      const needed = Math.floor(cluster.size / 2) + 1;
      let failures = cluster.failureReportsCount(node);
      if (cluster.myself.isMaster()) failures++;
      return failures >= needed;
    },
    mayClearFail: ({ context: { cluster, node } }) =>
      node.isSlave() || node.numSlots === 0 || cluster.now() - node.failTimeMs > cluster.nodeTimeoutMs() * 2,
  },
  actions: {
    setPfail: ({ context: { cluster, node } }) => {
      cluster.log.debug(`*** NODE ${node.name} possibly failing`);
      node.flags |= NODE_PFAIL;
    },
    clearPfail: ({ context: { cluster, node } }) => {
      node.flags &= ~NODE_PFAIL;
      cluster.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
    },
    failByQuorum: ({ context: { cluster, node } }) => {
      cluster.log.notice(`Marking node ${node.name} as failing (quorum reached).`);
      node.flags = (node.flags & ~NODE_PFAIL) | NODE_FAIL;
      node.failTimeMs = cluster.now();
      // Even a replica broadcasts: it only helps propagate what masters agreed on.
      sendFail(cluster, node.name);
      cluster.doBeforeSleep(TODO_UPDATE_STATE | TODO_SAVE_CONFIG);
    },
    failByMessage: ({ context: { cluster, node }, event }) => {
      const from = event.type === 'FAIL_MESSAGE' ? event.from : '';
      cluster.log.notice(`FAIL message received from ${from} about ${node.name}`);
      node.flags = (node.flags & ~NODE_PFAIL) | NODE_FAIL;
      node.failTimeMs = cluster.now();
      cluster.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
    },
    clearFail: ({ context: { cluster, node } }) => {
      if (node.isSlave() || node.numSlots === 0) {
        cluster.log.notice(`Clear FAIL state for node ${node.name}: ${node.isSlave() ? 'replica' : 'master without slots'} is reachable again.`);
      } else {
        cluster.log.notice(`Clear FAIL state for node ${node.name}: is reachable again and nobody is serving its slots after some time.`);
      }
      node.flags &= ~NODE_FAIL;
      cluster.doBeforeSleep(TODO_UPDATE_STATE | TODO_SAVE_CONFIG);
    },
  },
}).createMachine({
  id: 'clusterFailureDetection',
  context: ({ input }) => input,
  initial: 'boot',
  states: {
    /** A node loaded from nodes.conf or learned by gossip may already carry PFAIL/FAIL. */
    boot: {
      always: [
        { guard: 'startsFailed', target: 'failed' },
        { guard: 'startsSuspected', target: 'suspected' },
        { target: 'reachable' },
      ],
    },
    reachable: {
      on: {
        PONG_TIMEOUT: { target: 'suspected', actions: 'setPfail' },
        FAIL_MESSAGE: { target: 'failed', actions: 'failByMessage' },
      },
    },
    suspected: {
      on: {
        PONG: { target: 'reachable', actions: 'clearPfail' },
        FAILURE_REPORTED: { guard: 'quorumReached', target: 'failed', actions: 'failByQuorum' },
        FAIL_MESSAGE: { target: 'failed', actions: 'failByMessage' },
      },
    },
    failed: {
      on: {
        PONG: { guard: 'mayClearFail', target: 'reachable', actions: 'clearFail' },
      },
    },
  },
});

export type FailureDetector = Actor<typeof failureDetectorMachine>;

/** Start the machine of a node. */
export function createFailureDetector(cluster: Cluster, node: ClusterNode): FailureDetector {
  const actor = createActor(failureDetectorMachine, { input: { cluster, node } });
  actor.start();
  return actor;
}

/** The state name of a node's machine ('reachable', 'suspected', 'failed'), for the UI and tests. */
export function failureState(cluster: Cluster, node: ClusterNode): string | null {
  const d = cluster.detector(node);
  return d ? String(d.getSnapshot().value) : null;
}
