/**
 * A node of the cluster as this node knows it (clusterNode in cluster.h): identity, role,
 * the slots it serves, its address, liveness timestamps, failure reports and the bus links.
 *
 * Flags are Redis's bit values because they travel on the bus (the header's `flags` and each
 * gossip entry's `flags`) and are written to nodes.conf by name.
 */
import type { ClusterLink } from './link';
import { CLUSTER_SLOTS } from './crc16';

export const NODE_MASTER = 1;
export const NODE_SLAVE = 2;
/** Possibly failing: no pong within node_timeout (shown as "fail?"). */
export const NODE_PFAIL = 4;
/** Failing, agreed by a majority of masters (or told by a FAIL message). */
export const NODE_FAIL = 8;
export const NODE_MYSELF = 16;
/** Met but not yet answered our first ping: the name is still a random placeholder. */
export const NODE_HANDSHAKE = 32;
export const NODE_NOADDR = 64;
/** Send MEET instead of PING on the next connection. */
export const NODE_MEET = 128;
/** A master that is a valid target for replica migration. */
export const NODE_MIGRATE_TO = 256;
/** A replica configured with cluster-replica-no-failover. */
export const NODE_NOFAILOVER = 512;

export const NODE_NAME_LEN = 40;
export const NULL_NODE_NAME = '\0'.repeat(NODE_NAME_LEN);

/** Flag names in CLUSTER NODES / nodes.conf order. */
export const FLAG_NAMES: [number, string][] = [
  [NODE_MYSELF, 'myself'], [NODE_MASTER, 'master'], [NODE_SLAVE, 'slave'], [NODE_PFAIL, 'fail?'],
  [NODE_FAIL, 'fail'], [NODE_HANDSHAKE, 'handshake'], [NODE_NOADDR, 'noaddr'], [NODE_NOFAILOVER, 'nofailover'],
];

/** representClusterNodeFlags: "myself,master", or "noflags". */
export function flagsToString(flags: number): string {
  const names = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
  return names.length ? names.join(',') : 'noflags';
}

export interface FailureReport {
  /** The master that reported the node as PFAIL or FAIL in its gossip. */
  node: ClusterNode;
  timeMs: number;
}

export class ClusterNode {
  flags: number;
  configEpoch = 0;
  /** Bitmap of served slots, the wire format of `myslots` (bit j of byte j/8, LSB first). */
  readonly slots = new Uint8Array(CLUSTER_SLOTS / 8);
  numSlots = 0;
  /** Bumped whenever a slot bit changes: printed slot lists are cached against it (nodes-conf.ts). */
  slotsVersion = 0;
  slaves: ClusterNode[] = [];
  slaveof: ClusterNode | null = null;
  /** The ping number in which this node was last put in a gossip section. */
  lastInPingGossip = 0;
  pingSentMs = 0;
  pongReceivedMs = 0;
  dataReceivedMs = 0;
  failTimeMs = 0;
  /** Last time we voted for a replica of this master. */
  votedTimeMs = 0;
  replOffsetTimeMs = 0;
  orphanedTimeMs = 0;
  replOffset = 0;
  ip = '';
  hostname = '';
  port = 0;
  /** Plaintext port when the main port is TLS (never in this engine, kept for the wire). */
  pport = 0;
  cport = 0;
  /** Our outbound connection to its bus port. */
  link: ClusterLink | null = null;
  /** The connection it opened to our bus port. */
  inboundLink: ClusterLink | null = null;
  failReports: FailureReport[] = [];

  constructor(public name: string, flags: number, readonly ctimeMs: number) {
    this.flags = flags;
  }

  isMaster(): boolean { return (this.flags & NODE_MASTER) !== 0; }
  isSlave(): boolean { return (this.flags & NODE_SLAVE) !== 0; }
  inHandshake(): boolean { return (this.flags & NODE_HANDSHAKE) !== 0; }
  hasAddr(): boolean { return (this.flags & NODE_NOADDR) === 0; }
  timedOut(): boolean { return (this.flags & NODE_PFAIL) !== 0; }
  failed(): boolean { return (this.flags & NODE_FAIL) !== 0; }
  isMyself(): boolean { return (this.flags & NODE_MYSELF) !== 0; }

  hasSlot(slot: number): boolean { return (this.slots[slot >> 3] & (1 << (slot & 7))) !== 0; }

  /** Set the slot bit; returns the old value. */
  setSlotBit(slot: number): boolean {
    const old = this.hasSlot(slot);
    this.slots[slot >> 3] |= 1 << (slot & 7);
    if (!old) { this.numSlots++; this.slotsVersion++; }
    return old;
  }

  clearSlotBit(slot: number): boolean {
    const old = this.hasSlot(slot);
    this.slots[slot >> 3] &= ~(1 << (slot & 7));
    if (old) { this.numSlots--; this.slotsVersion++; }
    return old;
  }

  addSlave(slave: ClusterNode): boolean {
    if (this.slaves.includes(slave)) return false;
    this.slaves.push(slave);
    this.flags |= NODE_MIGRATE_TO;
    return true;
  }

  removeSlave(slave: ClusterNode): boolean {
    const i = this.slaves.indexOf(slave);
    if (i < 0) return false;
    this.slaves.splice(i, 1);
    if (this.slaves.length === 0) this.flags &= ~NODE_MIGRATE_TO;
    return true;
  }

  countNonFailingSlaves(): number {
    return this.slaves.filter((s) => !s.failed()).length;
  }
}

/** verifyClusterNodeId: 40 chars of [a-z0-9]. */
export function isValidNodeName(name: string): boolean {
  return name.length === NODE_NAME_LEN && /^[a-z0-9]{40}$/.test(name);
}

/** Ranges of set bits of a slot bitmap as [start, end] pairs (CLUSTER NODES/SHARDS order). */
export function slotRanges(has: (slot: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let j = 0; j <= CLUSTER_SLOTS; j++) {
    const bit = j < CLUSTER_SLOTS && has(j);
    if (bit && start < 0) start = j;
    if (!bit && start >= 0) { out.push([start, j - 1]); start = -1; }
  }
  return out;
}
