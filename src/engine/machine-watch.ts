/**
 * The live states of the engine's own state machines, for observers (the UI's statecharts
 * panel): each replica link machine (replication/link-machine.ts) and each cluster node's
 * failure detector (cluster/failure-detector.ts), with the last transition each took.
 *
 * A machine's current state is read from its actor. Its last transition cannot be read back
 * from xstate, so the first time an observer looks at a machine a listener is attached that
 * remembers the latest (from, to, time) it sees. The listener only writes its own record: the
 * machines, their timers and the world's trace are untouched, so a watched run and an
 * unwatched one stay identical. Transitions before the first look are not known (null).
 */
import type { RedisServer } from './server/server';
import { attachedReplication } from './replication';
import type { ClusterNode } from './cluster/node';
import type { FailureDetector } from './cluster/failure-detector';

export interface MachineTransition {
  from: string;
  to: string;
  /** Virtual ms since the epoch (the process's clock). */
  atMs: number;
}

/** One running machine: what kind it is (the UI's registry key), whose it is, and its state. */
export interface MachineInstance {
  /** 'replica-link' | 'cluster-failure-detector' (later: the sentinel's machines). */
  kind: string;
  /** What the machine is about: the master a link follows, the node a detector watches. */
  subject: string;
  value: string;
  last: MachineTransition | null;
}

interface Record_ { value: string; last: MachineTransition | null }

const linkRecords = new WeakMap<RedisServer, Record_>();
const detectorRecords = new WeakMap<FailureDetector, Record_>();

function linkMachine(s: RedisServer): MachineInstance | null {
  const repl = attachedReplication(s);
  if (!repl) return null;
  let rec = linkRecords.get(s);
  if (!rec) {
    const r: Record_ = { value: repl.linkState(), last: null };
    repl.onLinkChange((to) => {
      if (to !== r.value) r.last = { from: r.value, to, atMs: s.os.now() };
      r.value = to;
    });
    linkRecords.set(s, (rec = r));
  }
  const subject = s.masterHost === null ? '' : `${s.masterHost}:${s.masterPort}`;
  return { kind: 'replica-link', subject, value: repl.linkState(), last: rec.last };
}

function detectorMachine(s: RedisServer, node: ClusterNode, d: FailureDetector): MachineInstance {
  let rec = detectorRecords.get(d);
  if (!rec) {
    const r: Record_ = { value: String(d.getSnapshot().value), last: null };
    d.subscribe((snap) => {
      const to = String(snap.value);
      if (to !== r.value) r.last = { from: r.value, to, atMs: s.os.now() };
      r.value = to;
    });
    detectorRecords.set(d, (rec = r));
  }
  const addr = node.ip ? `${node.ip}:${node.port}` : node.name.slice(0, 8);
  return { kind: 'cluster-failure-detector', subject: addr, value: String(d.getSnapshot().value), last: rec.last };
}

/** Every machine the server runs, in a stable order (the link first, then nodes by address). */
export function serverMachines(s: RedisServer): MachineInstance[] {
  const out: MachineInstance[] = [];
  const link = linkMachine(s);
  if (link) out.push(link);
  const cl = s.cluster;
  if (cl) {
    const nodes: MachineInstance[] = [];
    for (const node of cl.nodes.values()) {
      const d = cl.detector(node);
      if (d) nodes.push(detectorMachine(s, node, d));
    }
    nodes.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
    out.push(...nodes);
  }
  return out;
}
