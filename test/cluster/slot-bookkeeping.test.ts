/**
 * The slot bookkeeping every node repeats for each slot a reshard moves, done without scanning
 * all 16384 slots: nodes.conf's slot lists (cached per node) and open slots (a map), the
 * full-coverage test and CLUSTER INFO's counts (from the slots' owners), and the claim checks
 * of clusterUpdateSlotsConfigWith and the UPDATE decision (a byte of the bitmap at a time).
 *
 * Each is compared with the full scan of the slot table that Redis does (written out below),
 * after every step of seeded random sequences of slot moves, claims from gossip, migrations,
 * failures, epoch changes and node removals, on a cluster state driven directly; and on four
 * of our servers on the native host (a reshard by SETSLOT, a node added and removed, a manual
 * failover), every nodes.conf written is compared byte for byte with the scan's text.
 */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Os } from '../../src/engine/os';
import { RedisServer } from '../../src/engine/server/server';
import { ALL_COMMAND_FAMILIES } from '../../src/engine/commands';
import { processCommand } from '../../src/engine/server/dispatch';
import { Cluster, TODO_FSYNC_CONFIG, TODO_SAVE_CONFIG, TODO_UPDATE_STATE } from '../../src/engine/cluster/cluster';
import { CLUSTER_SLOTS, keyHashSlot } from '../../src/engine/cluster/crc16';
import { NODE_FAIL, NODE_HANDSHAKE, NODE_MASTER, NODE_MYSELF, NODE_PFAIL, NODE_SLAVE, flagsToString, slotRanges, type ClusterNode } from '../../src/engine/cluster/node';
import { describeNodes } from '../../src/engine/cluster/nodes-conf';
import { everySlotServed } from '../../src/engine/cluster/cluster-state';
import { clusterInfoText } from '../../src/engine/cluster/commands';
import { newerOwnerOfClaim, updateSlotsConfigWith } from '../../src/engine/cluster/packet';
import { recordOnlyReplicationHooks } from '../../src/engine/cluster/replication-hooks';
import { installSlotIndex } from '../../src/engine/cluster/slot-index';
import { clusterInfo, clusterNodes, keyForSlot, myId, startClusterNodes, stopNodes, waitFor, type Node } from './helpers';
import { rng } from '../support/rng';

/** Just enough Os for a server driven by direct calls: a fixed clock, no timers, no output. */
function quietOs(): Os {
  return {
    now: () => 1_700_000_000_000, nowUs: () => 1_700_000_000_000_000, tzOffsetMinutes: () => 0,
    setTimer: () => 0, clearTimer: () => {}, random: () => 0.5, stdout: () => {}, stderr: () => {}, pid: 1,
  } as unknown as Os;
}

const NAMES = ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(40));

/** Myself (a) and four other masters (b..e), the slots dealt in five runs, e a replica of b. */
function makeCluster(allowReplicaMigration = true): Cluster {
  const server = new RedisServer(quietOs(), ALL_COMMAND_FAMILIES);
  server.config.setRaw('cluster-allow-replica-migration', allowReplicaMigration);
  const cl = new Cluster(server, recordOnlyReplicationHooks(server), installSlotIndex(server.dbs[0]));
  server.cluster = cl;
  NAMES.forEach((name, i) => {
    const n = cl.createNode(name, NODE_MASTER | (i === 0 ? NODE_MYSELF : 0));
    n.configEpoch = i + 1;
    n.ip = `10.0.0.${i + 1}`;
    n.port = 7000;
    n.cport = 17000;
    n.pongReceivedMs = 1000 * i;
    cl.addNode(n);
    if (i === 0) cl.myself = n;
  });
  for (let j = 0; j < CLUSTER_SLOTS; j++) cl.addSlot(cl.nodes.get(NAMES[Math.min(3, Math.floor(j / 4096))])!, j);
  const e = cl.nodes.get(NAMES[4])!;
  e.flags = NODE_SLAVE;
  e.slaveof = cl.nodes.get(NAMES[1])!;
  e.slaveof.addSlave(e);
  cl.currentEpoch = 5;
  return cl;
}

// ---- the full scans, as Redis does them --------------------------------------------------

function scanNodeLine(cl: Cluster, node: ClusterNode): string {
  let s = `${node.name} ${node.ip}:${node.port}@${node.cport} ${flagsToString(node.flags)} ${node.slaveof ? node.slaveof.name : '-'}`;
  const epoch = node.isSlave() && node.slaveof ? node.slaveof.configEpoch : node.configEpoch;
  s += ` ${node.pingSentMs} ${node.pongReceivedMs} ${epoch} ${node.link || node.isMyself() ? 'connected' : 'disconnected'}`;
  if (node.numSlots > 0) for (const [a, b] of slotRanges((j) => cl.slots[j] === node)) s += a === b ? ` ${a}` : ` ${a}-${b}`;
  if (node.isMyself()) {
    for (let j = 0; j < CLUSTER_SLOTS; j++) {
      const to = cl.migratingSlotsTo.get(j);
      const from = cl.importingSlotsFrom.get(j);
      if (to) s += ` [${j}->-${to.name}]`;
      else if (from) s += ` [${j}-<-${from.name}]`;
    }
  }
  return s;
}

function scanNodes(cl: Cluster, filter: number): string {
  let out = '';
  for (const n of cl.nodes.values()) if (!(n.flags & filter)) out += scanNodeLine(cl, n) + '\n';
  return out;
}

function scanEverySlotServed(cl: Cluster): boolean {
  for (let j = 0; j < CLUSTER_SLOTS; j++) {
    const n = cl.slots[j];
    if (n === null || n.flags & NODE_FAIL) return false;
  }
  return true;
}

function scanSlotCounts(cl: Cluster): string {
  let assigned = 0, ok = 0, pfail = 0, fail = 0;
  for (let j = 0; j < CLUSTER_SLOTS; j++) {
    const n = cl.slots[j];
    if (!n) continue;
    assigned++;
    if (n.failed()) fail++;
    else if (n.timedOut()) pfail++;
    else ok++;
  }
  return `cluster_slots_assigned:${assigned}\r\ncluster_slots_ok:${ok}\r\ncluster_slots_pfail:${pfail}\r\ncluster_slots_fail:${fail}\r\n`;
}

const bitTest = (bitmap: Uint8Array, j: number) => (bitmap[j >> 3] & (1 << (j & 7))) !== 0;

function scanNewerOwnerOfClaim(cl: Cluster, sender: ClusterNode, claimEpoch: number, claim: Uint8Array): ClusterNode | null {
  for (let j = 0; j < CLUSTER_SLOTS; j++) {
    if (!bitTest(claim, j)) continue;
    const owner = cl.slots[j];
    if (owner === sender || cl.isSlotUnclaimed(j)) continue;
    if (owner!.configEpoch > claimEpoch) return owner;
  }
  return null;
}

/** clusterUpdateSlotsConfigWith one slot at a time, as Redis writes it. */
function scanUpdateSlotsConfigWith(cl: Cluster, sender: ClusterNode, senderConfigEpoch: number, slots: Uint8Array): void {
  const me = cl.myself;
  if (sender === me) return;
  const curMaster = me.isMaster() ? me : me.slaveof;
  let newMaster: ClusterNode | null = null;
  const dirty: number[] = [];
  let senderSlots = 0;
  let migratedOurSlots = 0;
  for (let j = 0; j < CLUSTER_SLOTS; j++) {
    if (bitTest(slots, j)) {
      senderSlots++;
      if (cl.slots[j] === sender) { cl.setOwnerNotClaiming(j, false); continue; }
      if (cl.importingSlotsFrom.get(j)) continue;
      if (cl.isSlotUnclaimed(j) || cl.slots[j]!.configEpoch < senderConfigEpoch) {
        if (cl.slots[j] === me && cl.countKeysInSlot(j) > 0) dirty.push(j);
        if (cl.slots[j] === curMaster) { newMaster = sender; migratedOurSlots++; }
        cl.delSlot(j);
        cl.addSlot(sender, j);
        cl.setOwnerNotClaiming(j, false);
        cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
      }
    } else if (cl.slots[j] === sender) {
      cl.setOwnerNotClaiming(j, true);
    }
  }
  if (newMaster && curMaster && curMaster.numSlots === 0 && (cl.server.config.get<boolean>('cluster-allow-replica-migration') || senderSlots === migratedOurSlots)) {
    cl.setMyMaster(sender);
    cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
  } else if (me.slaveof && me.slaveof.slaveof && me.slaveof.slaveof !== me) {
    cl.setMyMaster(me.slaveof.slaveof);
    cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
  } else if (dirty.length) {
    for (const j of dirty) cl.delKeysInSlot(j);
  }
}

// ---- random steps ------------------------------------------------------------------------

/** One step, as data, so that two clusters can take the same sequence. */
type Step =
  | { kind: 'assign'; node: number | null; from: number; to: number }
  /** A claim: the slots the sender has then, with runs of slots added or dropped. */
  | { kind: 'claim'; node: number; epoch: number; edits: [from: number, to: number, add: boolean][]; takesMine: 'all' | 'only' | 'half' | 'none' }
  /** A master (our master, if `ours` and we are a replica) turns into a replica of another node. */
  | { kind: 'demote'; node: number; ours: boolean; master: number }
  | { kind: 'open'; slot: number; node: number | null; migrating: boolean }
  | { kind: 'flag'; node: number; flag: number }
  | { kind: 'epoch'; node: number; epoch: number }
  /** A key in one of our slots (`pick` of the way through them). */
  | { kind: 'keys'; pick: number }
  | { kind: 'forget'; node: number };

function randomSteps(seed: number, count: number): Step[] {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const steps: Step[] = [];
  for (let i = 0; i < count; i++) {
    const p = r();
    const from = int(CLUSTER_SLOTS);
    const to = Math.min(CLUSTER_SLOTS - 1, from + (r() < 0.5 ? 0 : int(r() < 0.8 ? 40 : 3000)));
    if (p < 0.2) steps.push({ kind: 'assign', node: r() < 0.15 ? null : int(4), from, to });
    else if (p < 0.55) {
      const edits: [number, number, boolean][] = [];
      for (let k = int(4); k > 0; k--) {
        const a = int(CLUSTER_SLOTS);
        edits.push([a, Math.min(CLUSTER_SLOTS - 1, a + int(600)), r() < 0.6]);
      }
      steps.push({ kind: 'claim', node: 1 + int(3), epoch: int(12), edits, takesMine: (['all', 'only', 'only', 'half', 'none', 'none', 'none', 'none', 'none', 'none'] as const)[int(10)] });
    } else if (p < 0.7) steps.push({ kind: 'open', slot: int(CLUSTER_SLOTS), node: r() < 0.3 ? null : int(5), migrating: r() < 0.5 });
    else if (p < 0.8) steps.push({ kind: 'flag', node: int(5), flag: [NODE_FAIL, NODE_PFAIL, 0][int(3)] });
    else if (p < 0.9) steps.push({ kind: 'epoch', node: int(5), epoch: int(12) });
    else if (p < 0.94) steps.push({ kind: 'keys', pick: r() });
    else if (p < 0.98) steps.push({ kind: 'demote', node: 1 + int(3), ours: r() < 0.5, master: int(4) });
    else steps.push({ kind: 'forget', node: 1 + int(4) });
  }
  return steps;
}

/** Apply a step; `update` is the clusterUpdateSlotsConfigWith under test or the scan. */
function apply(cl: Cluster, step: Step, update: typeof updateSlotsConfigWith): void {
  const node = (i: number) => cl.nodes.get(NAMES[i]) ?? null;
  switch (step.kind) {
    case 'assign': {
      const n = step.node === null ? null : node(step.node);
      if (step.node !== null && !n) return;
      for (let j = step.from; j <= step.to; j++) {
        cl.delSlot(j);
        if (n) cl.addSlot(n, j);
      }
      return;
    }
    case 'claim': {
      const sender = node(step.node);
      if (!sender || !sender.isMaster()) return;
      const claim = step.takesMine === 'only' ? new Uint8Array(CLUSTER_SLOTS / 8) : new Uint8Array(sender.slots);
      // Every slot of our shard, which makes us (or our master) lose the last one (also when
      // replica migration is off, if the sender claims nothing else), or half of them.
      const shard = cl.myself.isMaster() ? cl.myself : cl.myself.slaveof;
      if (step.takesMine !== 'none' && shard) {
        for (let b = 0; b < claim.length; b += step.takesMine === 'half' ? 2 : 1) claim[b] |= shard.slots[b];
      }
      for (const [a, b, add] of step.takesMine === 'only' ? [] : step.edits) {
        for (let j = a; j <= b; j++) {
          if (add) claim[j >> 3] |= 1 << (j & 7);
          else claim[j >> 3] &= ~(1 << (j & 7));
        }
      }
      expect(newerOwnerOfClaim(cl, sender, step.epoch, claim)).toBe(scanNewerOwnerOfClaim(cl, sender, step.epoch, claim));
      update(cl, sender, step.epoch, claim);
      return;
    }
    case 'open': {
      const table = step.migrating ? cl.migratingSlotsTo : cl.importingSlotsFrom;
      table.set(step.slot, step.node === null ? null : node(step.node));
      return;
    }
    case 'flag': {
      const n = node(step.node);
      if (n) n.flags = (n.flags & ~(NODE_FAIL | NODE_PFAIL)) | step.flag;
      return;
    }
    case 'epoch': {
      const n = node(step.node);
      if (n) n.configEpoch = step.epoch;
      return;
    }
    case 'keys': {
      const mine = cl.slots.flatMap((n, j) => (n === cl.myself ? [j] : []));
      if (!mine.length) return;
      const server = cl.server;
      const c = server.createClient(null);
      server.event(() => processCommand(server, c, ['SET', keyForSlot(mine[Math.floor(step.pick * mine.length)], keyHashSlot), 'v']));
      return;
    }
    case 'demote': {
      const n = step.ours && cl.myself.slaveof ? cl.myself.slaveof : node(step.node);
      const m = node(step.master);
      if (!n || !m || n === m || !n.isMaster()) return;
      cl.delNodeSlots(n);
      n.flags = (n.flags & ~NODE_MASTER) | NODE_SLAVE;
      n.slaveof = m;
      m.addSlave(n);
      return;
    }
    case 'forget': {
      const n = node(step.node);
      if (n && n !== cl.myself) cl.delNode(n);
      return;
    }
  }
}

/** What a step may change, by node name. */
function state(cl: Cluster): string {
  const owners = cl.slots.map((n) => (n ? n.name[0] : '-')).join('');
  const nodes = [...cl.nodes.values()].map((n) => `${n.name[0]}:${n.flags}:${n.numSlots}:${n.configEpoch}:${n.slaveof?.name[0] ?? '-'}`).join(' ');
  return `${owners}\n${[...cl.ownerNotClaimingSlot].join(',')}\n${cl.todo}\n${nodes}\nkeys ${cl.server.dbs[0].dict.size}`;
}

function checkAgainstScans(cl: Cluster, at: string): void {
  expect(describeNodes(cl, NODE_HANDSHAKE), at).toBe(scanNodes(cl, NODE_HANDSHAKE));
  expect(describeNodes(cl), at).toBe(scanNodes(cl, 0));
  expect(everySlotServed(cl), at).toBe(scanEverySlotServed(cl));
  expect(clusterInfoText(cl), at).toContain(scanSlotCounts(cl));
  expect(cl.assignedSlots, at).toBe(cl.slots.filter((n) => n !== null).length);
  // A forgotten node leaves no open slot behind (clusterDelNode).
  for (const table of [cl.migratingSlotsTo, cl.importingSlotsFrom]) {
    for (const j of table.slots()) expect(cl.nodes.get(table.get(j)!.name), at).toBe(table.get(j));
  }
}

describe('slot bookkeeping without full scans', () => {
  it('nodes.conf text, coverage, INFO counts and claims match the full scans after every step', () => {
    let wasReplica = false, grandmaster = false, keysDeleted = false, followedWithoutMigration = false, slotsTaken = 0;
    const kinds = new Set<string>();
    for (const seed of [1, 2, 3, 4]) {
      const steps = randomSteps(seed, 150);
      const migration = seed % 2 === 1;
      const ours = makeCluster(migration);
      const scanned = makeCluster(migration);
      checkAgainstScans(ours, `seed ${seed} start`);
      steps.forEach((step, i) => {
        const before = { keys: ours.server.dbs[0].dict.size, owners: [...ours.slots], master: ours.myself.slaveof };
        apply(ours, step, updateSlotsConfigWith);
        apply(scanned, step, scanUpdateSlotsConfigWith);
        if (step.kind === 'claim') {
          slotsTaken += ours.slots.filter((n, j) => n !== before.owners[j]).length;
          if (ours.server.dbs[0].dict.size < before.keys) keysDeleted = true;
          if (ours.myself.isSlave() && before.master && before.master !== ours.myself.slaveof) grandmaster ||= before.master.isSlave();
          if (!migration && before.master === null && ours.myself.isSlave()) followedWithoutMigration = true;
        }
        wasReplica ||= ours.myself.isSlave();
        const at = `seed ${seed} step ${i} ${step.kind}`;
        expect(state(ours), at).toBe(state(scanned));
        checkAgainstScans(ours, at);
      });
      for (const s of steps) kinds.add(s.kind);
    }
    // The sequences reached the paths that matter: claims that take slots, a claim that takes
    // our last slot (we follow the sender), one that takes slots we hold keys in, and a
    // replica whose master became a replica following the grandmaster; with replica migration
    // off, a sender that claims nothing but our slots.
    expect(kinds.size).toBe(8);
    expect(slotsTaken).toBeGreaterThan(1000);
    expect({ wasReplica, keysDeleted, grandmaster, followedWithoutMigration }).toEqual({ wasReplica: true, keysDeleted: true, grandmaster: true, followedWithoutMigration: true });
  });

  it('full coverage: every slot assigned, to a node not FAIL (PFAIL still serves)', () => {
    const cl = makeCluster();
    const b = cl.nodes.get(NAMES[1])!;
    expect(everySlotServed(cl)).toBe(true);
    b.flags |= NODE_PFAIL;
    expect(everySlotServed(cl)).toBe(true);
    b.flags |= NODE_FAIL;
    expect(everySlotServed(cl)).toBe(false);
    b.flags &= ~(NODE_FAIL | NODE_PFAIL);
    cl.delSlot(16383);
    expect(everySlotServed(cl)).toBe(false);
    expect(clusterInfoText(cl)).toContain('cluster_slots_assigned:16383\r\ncluster_slots_ok:16383\r\n');
    cl.addSlot(b, 16383);
    expect(everySlotServed(cl)).toBe(true);
    // A FAIL node that serves no slot does not matter.
    cl.delNodeSlots(b);
    for (let j = 0; j < CLUSTER_SLOTS; j++) if (!cl.slots[j]) cl.addSlot(cl.myself, j);
    b.flags |= NODE_FAIL;
    expect(everySlotServed(cl)).toBe(true);
  });

  it('slot lists at byte edges: single slots, runs across bytes, the last slot', () => {
    const cl = makeCluster();
    const a = cl.myself;
    const b = cl.nodes.get(NAMES[1])!;
    for (let j = 0; j < CLUSTER_SLOTS; j++) cl.delSlot(j);
    for (const j of [0, 7, 8, 15, 16, 17, 23, 24, 31, 100, 16383]) cl.addSlot(a, j);
    for (let j = 200; j <= 16382; j++) cl.addSlot(b, j);
    cl.migratingSlotsTo.set(7, b);
    cl.importingSlotsFrom.set(300, b);
    cl.migratingSlotsTo.set(300, b);
    const text = describeNodes(cl);
    expect(text).toBe(scanNodes(cl, 0));
    expect(text.split('\n')[0]).toMatch(/ connected 0 7-8 15-17 23-24 31 100 16383 \[7->-b{40}\] \[300->-b{40}\]$/);
    expect(text.split('\n')[1]).toMatch(/ disconnected 200-16382$/);
    // A change to one node's slots is seen (its cached list is made again).
    cl.delSlot(16382);
    cl.addSlot(a, 16382);
    expect(describeNodes(cl)).toBe(scanNodes(cl, 0));
    expect(describeNodes(cl).split('\n')[0]).toContain(' 100 16382-16383 ');
  });
});

describe('nodes.conf on disk during a reshard, a node added and removed, and a failover', () => {
  it('after every save, each node file holds the full scan text byte for byte', async () => {
    const nodes = await startClusterNodes(4, 1000);
    const mismatches: string[] = [];
    let saves = 0;
    try {
      // Every save of every node is checked against the scan of that node's state right then.
      for (const n of nodes) {
        const cl = n.srv.server.cluster!;
        const save = cl.saveConfig;
        cl.saveConfig = (fsync) => {
          const ok = save(fsync);
          saves++;
          const onDisk = fs.readFileSync(path.join(n.srv.dir, 'nodes.conf'), 'latin1');
          const scanned = scanNodes(cl, NODE_HANDSHAKE) + `vars currentEpoch ${cl.currentEpoch} lastVoteEpoch ${cl.lastVoteEpoch}\n`;
          if (onDisk !== scanned) mismatches.push(`${n.port}:\n${onDisk}\n!==\n${scanned}`);
          return ok;
        };
      }
      const ids = await Promise.all(nodes.map((n) => myId(n.cli)));
      const [a, b, c, d] = nodes;
      const call = async (n: Node, ...argv: string[]) => expect(await n.cli.call(...argv), argv.join(' ')).toBe('+OK\r\n');
      const known = async (n: Node, count: number) => waitFor(`${n.port} knows ${count} nodes`, async () => (await clusterNodes(n.cli)).length === count && (await clusterInfo(n.cli)).cluster_state === 'ok');
      const owners = async (n: Node, slot: number) => (await clusterNodes(n.cli)).find((l) => l.flags.includes('master') && l.slots.some((s) => {
        if (s.startsWith('[')) return false;
        const [x, y] = s.split('-').map(Number);
        return slot >= x && slot <= (y ?? x);
      }))?.id;
      /** The steps of `redis-cli --cluster reshard` for one slot; the others learn it by gossip. */
      const move = async (slot: number, from: Node, to: Node, toId: string, fromId: string) => {
        await call(to, 'CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', fromId);
        await call(from, 'CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', toId);
        await call(to, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', toId);
        await call(from, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', toId);
      };

      await call(a, 'CLUSTER', 'MEET', '127.0.0.1', String(b.port));
      await call(a, 'CLUSTER', 'MEET', '127.0.0.1', String(c.port));
      await call(a, 'CLUSTER', 'ADDSLOTSRANGE', '0', '8191');
      await call(b, 'CLUSTER', 'ADDSLOTSRANGE', '8192', '16383');
      for (const n of [a, b, c]) await known(n, 3);
      await call(c, 'CLUSTER', 'REPLICATE', ids[0]);
      for (let s = 100; s < 130; s += 3) await move(s, a, b, ids[1], ids[0]);
      // A fourth node joins and takes slots too.
      await call(a, 'CLUSTER', 'MEET', '127.0.0.1', String(d.port));
      for (const n of nodes) await known(n, 4);
      for (let s = 8200; s < 8220; s++) await move(s, b, d, ids[3], ids[1]);
      for (const n of nodes) await waitFor(`${n.port} sees the moves`, async () => (await owners(n, 127)) === ids[1] && (await owners(n, 8219)) === ids[3]);
      // The replica takes over its master's slots.
      await call(c, 'CLUSTER', 'FAILOVER');
      for (const n of nodes) await waitFor(`${n.port} sees the failover`, async () => (await owners(n, 0)) === ids[2]);
      // The fourth node gives its slots back and is forgotten.
      for (let s = 8200; s < 8220; s++) await move(s, d, b, ids[1], ids[3]);
      for (const n of [a, b, c]) await waitFor(`${n.port} sees d empty`, async () => (await owners(n, 8219)) === ids[1]);
      for (const n of [b, c]) await call(n, 'CLUSTER', 'FORGET', ids[3]);
      // A replica forgets too (FORGET refuses only the node's own master).
      await call(a, 'CLUSTER', 'FORGET', ids[3]);
      for (const n of [a, b, c]) expect((await clusterNodes(n.cli)).map((l) => l.id)).not.toContain(ids[3]);
    } finally {
      await stopNodes(nodes);
    }
    expect(mismatches).toEqual([]);
    expect(saves).toBeGreaterThan(100);
  }, 60_000);
});
