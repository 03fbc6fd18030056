/**
 * The cluster state of one node (clusterState in cluster.h) and the bookkeeping every part of
 * the cluster code shares: the node table, slot ownership, epochs, the FORGET blacklist, the
 * "things to do before sleeping" flags and the cluster configuration values.
 *
 * How the pieces fit:
 * - `bus.ts` owns the connections and builds/sends packets; `packet.ts` applies received
 *   packets to this state; `failure-detector.ts` is the per-node PFAIL/FAIL state machine;
 *   `cron.ts` runs every 100 ms (pings, reconnections, timeouts, cluster state);
 *   `nodes-conf.ts` persists this state to the cluster config file and reads it back;
 *   `redirect.ts` decides MOVED/ASK/... for client commands; `failover.ts` holds elections
 *   (a master's vote, a replica's candidacy), manual failover and replica migration.
 * - Changes that must be persisted or re-evaluated set `todo` flags; `beforeSleep()` (run at
 *   the end of every event, like clusterBeforeSleep) saves nodes.conf once and updates the
 *   state once, however many packets asked for it.
 */
import type { Listener, Os } from '../os';
import type { RedisServer } from '../server/server';
import type { ClusterLink } from './link';
import type { ClusterReplicationHooks } from './replication-hooks';
import type { SlotIndex } from './slot-index';
import { CLUSTER_SLOTS } from './crc16';
import { ClusterNode, NODE_MASTER, NODE_MIGRATE_TO, NODE_MYSELF, NODE_NOFAILOVER, NODE_SLAVE, isValidNodeName } from './node';
import { MSG_TYPE_COUNT } from './message';
import { OpenSlots } from './open-slots';
import { randomHex } from '../util/random';
import { createFailureDetector, type FailureDetector } from './failure-detector';
import { unpauseClients } from '../server/pause';
import { unsubscribeChannel } from '../server/pubsub';
import { keyHashSlot } from './crc16';

export const CLUSTER_OK = 0;
export const CLUSTER_FAIL = 1;
export const CLUSTER_PORT_INCR = 10000;
/** Seconds a FORGET-ten node cannot be re-added by gossip. */
const BLACKLIST_TTL_SEC = 60;

/** clusterState.todo_before_sleep flags. */
export const TODO_HANDLE_FAILOVER = 1 << 0;
export const TODO_UPDATE_STATE = 1 << 1;
export const TODO_SAVE_CONFIG = 1 << 2;
export const TODO_FSYNC_CONFIG = 1 << 3;
export const TODO_HANDLE_MANUALFAILOVER = 1 << 4;

/** Why a replica cannot fail over right now (CLUSTER_CANT_FAILOVER_*). */
export const CANT_FAILOVER_NONE = 0;
export const CANT_FAILOVER_DATA_AGE = 1;
export const CANT_FAILOVER_WAITING_DELAY = 2;
export const CANT_FAILOVER_EXPIRED = 3;
export const CANT_FAILOVER_WAITING_VOTES = 4;

export class Cluster {
  readonly os: Os;
  myself!: ClusterNode;
  currentEpoch = 0;
  /** The epoch of the last vote we granted as a master. */
  lastVoteEpoch = 0;
  state = CLUSTER_FAIL;
  /** Masters serving at least one slot. */
  size = 1;
  readonly nodes = new Map<string, ClusterNode>();
  /** Node name → unix seconds until which gossip may not re-add it (after FORGET). */
  private readonly blacklist = new Map<string, number>();
  readonly slots: (ClusterNode | null)[] = new Array(CLUSTER_SLOTS).fill(null);
  /**
   * How many slots each node of `slots` serves, and how many are assigned in all: the
   * full-coverage test and CLUSTER INFO's counts look at the few owners instead of every slot.
   */
  readonly slotCounts = new Map<ClusterNode, number>();
  assignedSlots = 0;
  readonly migratingSlotsTo = new OpenSlots();
  readonly importingSlotsFrom = new OpenSlots();
  /** Slots whose owner stopped claiming them in its pings (kept bound until someone claims them). */
  readonly ownerNotClaimingSlot = new Uint8Array(CLUSTER_SLOTS / 8);
  todo = 0;

  // Replica election state (clusterHandleSlaveFailover).
  /** When the election may start (or started); 0 = never scheduled. */
  failoverAuthTimeMs = 0;
  failoverAuthCount = 0;
  failoverAuthSent = false;
  failoverAuthRank = 0;
  failoverAuthEpoch = 0;
  cantFailoverReason = CANT_FAILOVER_NONE;
  /** clusterLogCantFailover's lastlog_time (unix seconds). */
  cantFailoverLastLogSec = 0;
  /** The epoch of the last election we won (for observers; 0 = none). */
  failoverWonEpoch = 0;
  // Manual failover state: mfEnd is 0 when none is in progress.
  mfEndMs = 0;
  mfSlave: ClusterNode | null = null;
  mfMasterOffset = -1;
  mfCanStart = false;

  readonly statsSent: number[] = new Array(MSG_TYPE_COUNT).fill(0);
  readonly statsReceived: number[] = new Array(MSG_TYPE_COUNT).fill(0);
  /** Nodes in PFAIL counted by the last cron (how many PFAIL gossip entries to add). */
  statsPfailNodes = 0;
  statLinksBufferLimitExceeded = 0;
  /** server.stat_cluster_links_memory: what the links took at the last cron (INFO, MEMORY STATS). */
  statLinksMemoryBytes = 0;
  /** Links with packets queued (their write handler is installed), in the order they asked. */
  readonly linksWantingWrite = new Set<ClusterLink>();
  /** A writeLinks is queued for the end of this event-loop turn. */
  linkWritesScheduled = false;
  /** clusterUpdateState's statics. */
  amongMinorityTimeMs = 0;
  firstUpdateStateCallMs = 0;
  cronIteration = 0;
  /** Pings sent so far (marks nodes already put in the current gossip section). */
  pingsSent = 0;
  /** The bus listeners (one per bind address). */
  listeners: Listener[] = [];
  /** Inbound links whose sender we do not know yet. */
  readonly pendingInbound = new Set<ClusterLink>();
  /** DEBUG DROP-CLUSTER-PACKET-FILTER <type>: -1 drops nothing. */
  dropPacketFilter = -1;
  private readonly detectors = new Map<ClusterNode, FailureDetector>();

  constructor(
    readonly server: RedisServer,
    public replication: ClusterReplicationHooks,
    /** The per-slot key index of db 0 (replaced when the dictionary is). */
    readonly slotIndex: () => SlotIndex,
  ) {
    this.os = server.os;
  }

  get log() { return this.server.log; }

  /** mstime(): whole milliseconds (the Os clock may be fractional; times are printed). */
  now(): number { return Math.floor(this.os.now()); }

  // ---- configuration ---------------------------------------------------------------------

  nodeTimeoutMs(): number { return this.server.config.get<number>('cluster-node-timeout'); }

  /** deriveAnnouncedPorts: the client port, plaintext port and bus port we announce. */
  announcedPorts(): { port: number; pport: number; cport: number } {
    const cfg = this.server.config;
    const base = cfg.get<number>('port');
    let port = base;
    const clusterPort = cfg.get<number>('cluster-port');
    let cport = clusterPort ? clusterPort : base + CLUSTER_PORT_INCR;
    if (cfg.get<number>('cluster-announce-port')) port = cfg.get<number>('cluster-announce-port');
    if (cfg.get<number>('cluster-announce-bus-port')) cport = cfg.get<number>('cluster-announce-bus-port');
    return { port, pport: 0, cport };
  }

  announceIp(): string | null {
    const ip = this.server.config.get<string | null>('cluster-announce-ip');
    return ip ? ip : null;
  }

  announceHostname(): string {
    return this.server.config.get<string | null>('cluster-announce-hostname') ?? '';
  }

  // ---- todo flags ------------------------------------------------------------------------

  doBeforeSleep(flags: number): void { this.todo |= flags; }

  // ---- the node table --------------------------------------------------------------------

  /** createClusterNode: a random name when none is given (a handshake in progress). */
  createNode(name: string | null, flags: number): ClusterNode {
    return new ClusterNode(name ?? randomHex(this.os, 40), flags, this.now());
  }

  addNode(node: ClusterNode): void {
    this.nodes.set(node.name, node);
    if (!(node.flags & NODE_MYSELF)) this.detectors.set(node, createFailureDetector(this, node));
  }

  /** The failure detection machine of a node (never for myself). */
  detector(node: ClusterNode): FailureDetector | undefined { return this.detectors.get(node); }

  lookupNode(name: string): ClusterNode | undefined {
    if (!isValidNodeName(name)) return undefined;
    return this.nodes.get(name);
  }

  /** clusterRenameNode: a handshake node learns the real name of the node behind it. */
  renameNode(node: ClusterNode, newName: string): void {
    this.log.debug(`Renaming node ${node.name} into ${newName}`);
    this.nodes.delete(node.name);
    node.name = newName;
    this.nodes.set(newName, node);
  }

  /**
   * clusterDelNode: unassign its slots, forget the migrations that involve it, drop the
   * failure reports it sent, unlink it from its master/replicas, close its links.
   */
  delNode(node: ClusterNode): void {
    this.importingSlotsFrom.closeWith(node);
    this.migratingSlotsTo.closeWith(node);
    for (let j = 0; j < CLUSTER_SLOTS; j++) {
      if (this.slots[j] === node) this.delSlot(j);
    }
    for (const other of this.nodes.values()) {
      if (other !== node) this.delFailureReport(other, node);
    }
    for (const s of node.slaves) s.slaveof = null;
    if (node.isSlave() && node.slaveof) node.slaveof.removeSlave(node);
    this.nodes.delete(node.name);
    if (node.link) this.freeLink(node.link);
    if (node.inboundLink) this.freeLink(node.inboundLink);
    this.detectors.get(node)?.stop();
    this.detectors.delete(node);
  }

  /** Close a link and detach it from its node (freeClusterLink). */
  freeLink(link: ClusterLink): void {
    if (!link.closed) {
      link.closed = true;
      link.socket.onData = null;
      link.socket.onClose = null;
      link.socket.onConnect = null;
      link.socket.onDrain = null;
      link.socket.destroy();
    }
    this.pendingInbound.delete(link);
    this.linksWantingWrite.delete(link);
    const node = link.node;
    if (node) {
      if (node.link === link) node.link = null;
      else if (node.inboundLink === link) node.inboundLink = null;
    }
  }

  // ---- failure reports (clusterNodeAddFailureReport & co) --------------------------------

  /** Record that master `sender` sees `failing` as PFAIL/FAIL. True if the report is new. */
  addFailureReport(failing: ClusterNode, sender: ClusterNode): boolean {
    const existing = failing.failReports.find((r) => r.node === sender);
    if (existing) { existing.timeMs = this.now(); return false; }
    failing.failReports.push({ node: sender, timeMs: this.now() });
    return true;
  }

  /** Forget reports older than node_timeout × 2 (CLUSTER_FAIL_REPORT_VALIDITY_MULT). */
  cleanupFailureReports(node: ClusterNode): void {
    const maxAge = this.nodeTimeoutMs() * 2;
    const now = this.now();
    node.failReports = node.failReports.filter((r) => now - r.timeMs <= maxAge);
  }

  delFailureReport(node: ClusterNode, sender: ClusterNode): boolean {
    const i = node.failReports.findIndex((r) => r.node === sender);
    if (i < 0) return false;
    node.failReports.splice(i, 1);
    this.cleanupFailureReports(node);
    return true;
  }

  failureReportsCount(node: ClusterNode): number {
    this.cleanupFailureReports(node);
    return node.failReports.length;
  }

  // ---- slots -----------------------------------------------------------------------------

  /** Whether some master other than `n` has replicas (clusterMastersHaveSlaves). */
  private mastersHaveSlaves(): boolean {
    for (const n of this.nodes.values()) if (!n.isSlave() && n.slaves.length > 0) return true;
    return false;
  }

  /** clusterNodeSetSlotBit: a master getting its first slot becomes a migration target. */
  setSlotBit(n: ClusterNode, slot: number): boolean {
    const old = n.setSlotBit(slot);
    if (!old && n.numSlots === 1 && this.mastersHaveSlaves()) n.flags |= NODE_MIGRATE_TO;
    return old;
  }

  /** clusterAddSlot: false if the slot is already assigned. */
  addSlot(n: ClusterNode, slot: number): boolean {
    if (this.slots[slot]) return false;
    this.setSlotBit(n, slot);
    this.slots[slot] = n;
    this.slotCounts.set(n, (this.slotCounts.get(n) ?? 0) + 1);
    this.assignedSlots++;
    return true;
  }

  /** clusterDelSlot: false if the slot was unassigned. */
  delSlot(slot: number): boolean {
    const n = this.slots[slot];
    if (!n) return false;
    // Our shard no longer serves the slot: its shard channels' subscribers are let go.
    const shardMaster = n.isMaster() ? n : n.slaveof;
    if (shardMaster && (shardMaster === this.myself || shardMaster.slaves.includes(this.myself))) this.removeChannelsInSlot(slot);
    n.clearSlotBit(slot);
    this.slots[slot] = null;
    const left = this.slotCounts.get(n)! - 1;
    if (left) this.slotCounts.set(n, left);
    else this.slotCounts.delete(n);
    this.assignedSlots--;
    return true;
  }

  /** removeChannelsInSlot: unsubscribe (with notification) every client of the slot's shard channels. */
  private removeChannelsInSlot(slot: number): void {
    const server = this.server;
    if (server.shardChannels.size === 0) return;
    for (const [channel, clients] of [...server.shardChannels]) {
      if (keyHashSlot(channel) !== slot) continue;
      for (const c of [...clients]) unsubscribeChannel(server, c, channel, true, 'shard');
    }
  }

  delNodeSlots(node: ClusterNode): number {
    let deleted = 0;
    for (let j = 0; j < CLUSTER_SLOTS; j++) {
      if (node.hasSlot(j)) { this.delSlot(j); deleted++; }
    }
    return deleted;
  }

  closeAllSlots(): void {
    this.migratingSlotsTo.clear();
    this.importingSlotsFrom.clear();
  }

  /** isSlotUnclaimed: unassigned, or its owner no longer claims it. */
  isSlotUnclaimed(slot: number): boolean {
    return this.slots[slot] === null || (this.ownerNotClaimingSlot[slot >> 3] & (1 << (slot & 7))) !== 0;
  }

  setOwnerNotClaiming(slot: number, on: boolean): void {
    if (on) this.ownerNotClaimingSlot[slot >> 3] |= 1 << (slot & 7);
    else this.ownerNotClaimingSlot[slot >> 3] &= ~(1 << (slot & 7));
  }

  countKeysInSlot(slot: number): number { return this.slotIndex().count(slot); }

  /** delKeysInSlot: delete every key of the slot from db 0. */
  delKeysInSlot(slot: number): number {
    const db = this.server.dbs[0];
    const keys = this.slotIndex().keys(slot, Infinity);
    for (const k of keys) {
      db.delete(k);
      this.server.signalModifiedKey(db, k);
      this.server.notifyKeyspaceEvent('g', 'del', k, 0);
      this.server.propagateDeletion(0, k, false);
    }
    return keys.length;
  }

  // ---- roles -----------------------------------------------------------------------------

  /** clusterSetNodeAsMaster: a node we thought a replica now acts as a master. */
  setNodeAsMaster(n: ClusterNode): void {
    if (n.isMaster()) return;
    if (n.slaveof) {
      n.slaveof.removeSlave(n);
      if (n !== this.myself) n.flags |= NODE_MIGRATE_TO;
    }
    n.flags &= ~NODE_SLAVE;
    n.flags |= NODE_MASTER;
    n.slaveof = null;
    this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
  }

  /** clusterSetMaster: make myself a replica of `n` (myself must serve no slots). */
  setMyMaster(n: ClusterNode): void {
    const me = this.myself;
    if (me.isMaster()) {
      me.flags &= ~(NODE_MASTER | NODE_MIGRATE_TO);
      me.flags |= NODE_SLAVE;
      this.closeAllSlots();
    } else if (me.slaveof) {
      me.slaveof.removeSlave(me);
    }
    me.slaveof = n;
    n.addSlave(me);
    this.replication.setMaster(n.ip, n.port);
    this.resetManualFailover();
  }

  /** Keep myself's NOFAILOVER flag in step with cluster-replica-no-failover. */
  updateMyselfFlags(): void {
    const old = this.myself.flags;
    this.myself.flags &= ~NODE_NOFAILOVER;
    if (this.server.config.get<boolean>('cluster-replica-no-failover')) this.myself.flags |= NODE_NOFAILOVER;
    if (this.myself.flags !== old) this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
  }

  /** Keep myself's announced address in step with the announce options (CONFIG SET). */
  updateMyselfAnnounced(): void {
    const p = this.announcedPorts();
    this.myself.port = p.port;
    this.myself.pport = p.pport;
    this.myself.cport = p.cport;
    this.myself.hostname = this.announceHostname();
  }

  private lastAnnounceIp: string | null = null;

  /** clusterUpdateMyselfIp: an announced IP replaces ours; removing it forces rediscovery. */
  updateMyselfIp(): void {
    const ip = this.announceIp();
    if (ip === this.lastAnnounceIp) return;
    this.lastAnnounceIp = ip;
    this.myself.ip = ip ? ip.slice(0, 45) : '';
  }

  // ---- epochs ----------------------------------------------------------------------------

  /** clusterGetMaxEpoch: the greatest configEpoch known, or currentEpoch if greater. */
  maxEpoch(): number {
    let max = 0;
    for (const n of this.nodes.values()) if (n.configEpoch > max) max = n.configEpoch;
    return Math.max(max, this.currentEpoch);
  }

  /**
   * clusterBumpConfigEpochWithoutConsensus: take a new configEpoch unless ours already is the
   * greatest (used when closing an imported slot, TAKEOVER and CLUSTER BUMPEPOCH).
   */
  bumpConfigEpochWithoutConsensus(): boolean {
    const max = this.maxEpoch();
    if (this.myself.configEpoch === 0 || this.myself.configEpoch !== max) {
      this.currentEpoch++;
      this.myself.configEpoch = this.currentEpoch;
      this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_FSYNC_CONFIG);
      this.log.warning(`New configEpoch set to ${this.myself.configEpoch}`);
      return true;
    }
    return false;
  }

  /**
   * clusterHandleConfigEpochCollision: two masters with the same configEpoch. The one with
   * the lexicographically smaller name moves to a new epoch, so collisions always resolve and
   * every master ends up with a distinct configEpoch.
   */
  handleConfigEpochCollision(sender: ClusterNode): void {
    const me = this.myself;
    if (sender.configEpoch !== me.configEpoch || !sender.isMaster() || !me.isMaster()) return;
    if (sender.name <= me.name) return;
    this.currentEpoch++;
    me.configEpoch = this.currentEpoch;
    this.saveConfigOrDie(true);
    this.log.verbose(`WARNING: configEpoch collision with node ${sender.name}. configEpoch set to ${me.configEpoch}`);
  }

  // ---- blacklist -------------------------------------------------------------------------

  private blacklistCleanup(): void {
    const nowSec = Math.floor(this.now() / 1000);
    for (const [id, expire] of this.blacklist) if (expire < nowSec) this.blacklist.delete(id);
  }

  blacklistAdd(node: ClusterNode): void {
    this.blacklistCleanup();
    this.blacklist.set(node.name, Math.floor(this.now() / 1000) + BLACKLIST_TTL_SEC);
  }

  blacklistExists(name: string): boolean {
    this.blacklistCleanup();
    return this.blacklist.has(name);
  }

  // ---- manual failover / reset -----------------------------------------------------------

  /** resetManualFailover: abort a manual failover (a master unpauses its clients). */
  resetManualFailover(): void {
    if (this.mfSlave) unpauseClients(this.server, 'failover');
    this.mfEndMs = 0;
    this.mfCanStart = false;
    this.mfSlave = null;
    this.mfMasterOffset = -1;
  }

  /**
   * clusterReset: forget every other node, release all slots, stop being a replica (emptying
   * the data); HARD also zeroes the epochs and takes a new node name.
   */
  reset(hard: boolean): void {
    if (this.myself.isSlave()) {
      this.setNodeAsMaster(this.myself);
      this.replication.unsetMaster();
      this.replication.emptyData();
    }
    this.closeAllSlots();
    this.resetManualFailover();
    for (let j = 0; j < CLUSTER_SLOTS; j++) this.delSlot(j);
    for (const n of [...this.nodes.values()]) if (n !== this.myself) this.delNode(n);
    if (hard) {
      this.currentEpoch = 0;
      this.lastVoteEpoch = 0;
      this.myself.configEpoch = 0;
      this.log.warning('configEpoch set to 0 via CLUSTER RESET HARD');
      this.nodes.delete(this.myself.name);
      this.myself.name = randomHex(this.os, 40);
      this.nodes.set(this.myself.name, this.myself);
      this.log.notice(`Node hard reset, now I'm ${this.myself.name}`);
    }
    this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
  }

  // ---- persistence hooks (filled by nodes-conf.ts at start-up) ---------------------------

  /** Write nodes.conf; false on error (errno text in `lastSaveError`). */
  saveConfig: (fsync: boolean) => boolean = () => true;
  lastSaveError = '';

  /** clusterSaveConfigOrDie: a node that cannot persist its config must not go on. */
  saveConfigOrDie(fsync: boolean): void {
    this.todo &= ~TODO_SAVE_CONFIG;
    if (!this.saveConfig(fsync)) {
      this.log.warning("Fatal: can't update cluster config file.");
      this.server.terminate(1);
    }
  }
}
