/**
 * The live states of the engine's own state machines, for observers (the UI's statecharts
 * panel): each replica link machine (replication/link-machine.ts), each cluster node's
 * failure detector (cluster/failure-detector.ts), and a sentinel's view of each instance and
 * failover of each master (sentinel/instance-machine.ts, failover-machine.ts), with the last
 * transition each took.
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
import { replicaFailoverState } from './cluster/failover-machine';
import { sentinelStateOf } from './sentinel/registry';
import { announceAddr } from './sentinel/addr';
import type { Instance, SentinelState } from './sentinel/state';

export interface MachineTransition {
  from: string;
  to: string;
  /** Virtual ms since the epoch (the process's clock). */
  atMs: number;
}

/** One running machine: what kind it is (the UI's registry key), whose it is, and its state. */
export interface MachineInstance {
  /** 'replica-link' | 'cluster-failure-detector' | 'sentinel-instance' | 'sentinel-failover'. */
  kind: string;
  /** What the machine is about: the master a link follows, the node a detector watches. */
  subject: string;
  value: string;
  last: MachineTransition | null;
}

interface Record_ { value: string; last: MachineTransition | null }

const linkRecords = new WeakMap<RedisServer, Record_>();
const actorRecords = new WeakMap<object, Record_>();

interface WatchedActor {
  getSnapshot(): { value: unknown };
  subscribe(fn: (snap: { value: unknown }) => void): unknown;
}

/** The live state of an xstate actor and the last transition seen since the first look. */
function watchActor(s: RedisServer, actor: WatchedActor): Record_ {
  let rec = actorRecords.get(actor);
  if (!rec) {
    const r: Record_ = { value: String(actor.getSnapshot().value), last: null };
    actor.subscribe((snap) => {
      const to = String(snap.value);
      if (to !== r.value) r.last = { from: r.value, to, atMs: s.os.now() };
      r.value = to;
    });
    actorRecords.set(actor, (rec = r));
  }
  return { value: String(actor.getSnapshot().value), last: rec.last };
}

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
  const addr = node.ip ? `${node.ip}:${node.port}` : node.name.slice(0, 8);
  return { kind: 'cluster-failure-detector', subject: addr, ...watchActor(s, d) };
}

const polledRecords = new WeakMap<RedisServer, Map<string, Record_>>();

/**
 * A machine whose state is derived from fields rather than run as an actor (the value is read
 * at each look): its last transition is the change between two looks, timed at the second.
 */
function polled(s: RedisServer, kind: string, subject: string, value: string): MachineInstance {
  let byKey = polledRecords.get(s);
  if (!byKey) polledRecords.set(s, (byKey = new Map()));
  const key = `${kind}|${subject}`;
  const rec = byKey.get(key);
  if (!rec) byKey.set(key, { value, last: null });
  else if (rec.value !== value) {
    rec.last = { from: rec.value, to: value, atMs: s.os.now() };
    rec.value = value;
  }
  return { kind, subject, value, last: byKey.get(key)!.last };
}

/** A sentinel's machines: per master its failover, then its view of the master, replicas and sentinels. */
function sentinelMachines(s: RedisServer, st: SentinelState): MachineInstance[] {
  const out: MachineInstance[] = [];
  const addr = (ri: Instance) => `${announceAddr(st, ri.addr)}:${ri.addr.port}`;
  for (const m of st.masters.values()) {
    // The failover actor exists while a failover runs; between them the state is 'none'.
    out.push(m.failover
      ? { kind: 'sentinel-failover', subject: m.name, ...watchActor(s, m.failover) }
      : polled(s, 'sentinel-failover', m.name, m.failoverState));
    out.push({ kind: 'sentinel-instance', subject: `${m.name} ${addr(m)}`, ...watchActor(s, m.view) });
    for (const r of m.slaves.values()) out.push({ kind: 'sentinel-instance', subject: `replica ${addr(r)}`, ...watchActor(s, r.view) });
    for (const p of m.sentinels.values()) out.push({ kind: 'sentinel-instance', subject: `sentinel ${addr(p)}`, ...watchActor(s, p.view) });
  }
  return out;
}

/** Every machine the server runs, in a stable order (the link first, then nodes by address). */
export function serverMachines(s: RedisServer): MachineInstance[] {
  const sentinel = sentinelStateOf(s);
  if (sentinel) return sentinelMachines(s, sentinel);
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
    // The node's own replica election (derived from the election's fields, see failover-machine.ts).
    out.push(polled(s, 'cluster-replica-failover', '', replicaFailoverState(cl)));
  }
  return out;
}
