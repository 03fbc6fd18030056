/**
 * Sentinel's data model (sentinel.c's sentinelState, sentinelRedisInstance, instanceLink).
 *
 * A sentinel keeps one record per monitored master; each master record holds the replicas it
 * discovered (keyed "ip:port") and the other sentinels that monitor the same master (keyed by
 * run ID). Every record has a link: a command connection and, for masters and replicas, a
 * pub/sub connection subscribed to `__sentinel__:hello`. Links to the same physical sentinel
 * are shared across the masters it monitors (refcounted), so five sentinels watching two
 * masters still exchange one PING per second per pair.
 *
 * Flags mirror Redis's SRI_* bits, because they are what SENTINEL MASTER/REPLICAS print and
 * what the algorithms test. Two of them have an owner: S_DOWN and O_DOWN are set only by the
 * instance view machine (instance-machine.ts), and the failover state only changes through
 * the failover machine (failover-machine.ts); `failoverState` mirrors the machine's state.
 *
 * Times are milliseconds on the Os clock. Maps keep insertion order where Redis's dicts have
 * a hash order (which is random per process in Redis, so nothing may depend on it).
 */
import type { Actor } from 'xstate';
import type { AsyncConnection } from '../client/async-connection';
import type { RedisServer } from '../server/server';
import type { InstanceViewMachine } from './instance-machine';
import { FAILOVER_STATES, type FailoverMachine, type FailoverStateName } from './failover-machine';

export { FAILOVER_STATES, type FailoverStateName };

export const SRI_MASTER = 1 << 0;
export const SRI_SLAVE = 1 << 1;
export const SRI_SENTINEL = 1 << 2;
export const SRI_S_DOWN = 1 << 3;
export const SRI_O_DOWN = 1 << 4;
export const SRI_MASTER_DOWN = 1 << 5;
export const SRI_FAILOVER_IN_PROGRESS = 1 << 6;
export const SRI_PROMOTED = 1 << 7;
export const SRI_RECONF_SENT = 1 << 8;
export const SRI_RECONF_INPROG = 1 << 9;
export const SRI_RECONF_DONE = 1 << 10;
export const SRI_FORCE_FAILOVER = 1 << 11;
export const SRI_SCRIPT_KILL_SENT = 1 << 12;
export const SRI_MASTER_REBOOT = 1 << 13;

export const SENTINEL_HELLO_CHANNEL = '__sentinel__:hello';
export const SENTINEL_PORT = 26379;
export const DEFAULT_SLAVE_PRIORITY = 100;
export const DEFAULT_PARALLEL_SYNCS = 1;
export const MAX_PENDING_COMMANDS = 100;
/** Upper bound of the random delay added to failover start times (ms). */
export const MAX_DESYNC_MS = 1000;
export const DEFAULT_DENY_SCRIPTS_RECONFIG = true;

export function failoverStateIndex(s: FailoverStateName): number {
  return FAILOVER_STATES.indexOf(s);
}

/**
 * The periods and timeouts SENTINEL DEBUG can change at runtime (static globals in
 * sentinel.c, so they are per process).
 */
export interface SentinelTimers {
  infoPeriod: number;
  pingPeriod: number;
  askPeriod: number;
  publishPeriod: number;
  defaultDownAfter: number;
  tiltTrigger: number;
  tiltPeriod: number;
  slaveReconfTimeout: number;
  minLinkReconnectPeriod: number;
  electionTimeout: number;
  scriptMaxRuntime: number;
  scriptRetryDelay: number;
  defaultFailoverTimeout: number;
}

export function defaultTimers(): SentinelTimers {
  return {
    infoPeriod: 10_000,
    pingPeriod: 1000,
    askPeriod: 1000,
    publishPeriod: 2000,
    defaultDownAfter: 30_000,
    tiltTrigger: 2000,
    tiltPeriod: 30_000,
    slaveReconfTimeout: 10_000,
    minLinkReconnectPeriod: 15_000,
    electionTimeout: 10_000,
    scriptMaxRuntime: 60_000,
    scriptRetryDelay: 30_000,
    defaultFailoverTimeout: 180_000,
  };
}

/** An address as configured (hostname or IP) and its resolved IP. */
export interface SentinelAddr {
  hostname: string;
  ip: string;
  port: number;
}

/** The connections to one instance and the liveness bookkeeping that goes with them. */
export class InstanceLink {
  refcount = 1;
  /** True while the command connection (or, for masters/replicas, the pub/sub one) is missing. */
  disconnected = true;
  pendingCommands = 0;
  cc: AsyncConnection | null = null;
  pc: AsyncConnection | null = null;
  ccConnTime = 0;
  pcConnTime = 0;
  pcLastActivity = 0;
  /** Last time the instance answered a PING acceptably (PONG, LOADING, MASTERDOWN). */
  lastAvailTime: number;
  /** When the oldest unanswered PING was sent; 0 when none is pending. */
  actPingTime: number;
  lastPingTime = 0;
  /** Last reply to a PING, whatever it was. */
  lastPongTime: number;
  lastReconnTime = 0;

  constructor(now: number) {
    // As if a PING were pending since creation: an instance we never reach goes down.
    this.actPingTime = now;
    this.lastAvailTime = now;
    this.lastPongTime = now;
  }
}

export interface ScriptJob {
  running: boolean;
  retryNum: number;
  argv: string[];
  /** Start time while running; otherwise 0, or the earliest time of a retry. */
  startTime: number;
  pid: number;
  /** Kills the running child. */
  kill: (() => void) | null;
}

export class Instance {
  flags: number;
  name: string;
  runid: string | null = null;
  configEpoch = 0;
  addr: SentinelAddr;
  link: InstanceLink;
  lastPubTime: number;
  lastHelloTime: number;
  lastMasterDownReplyTime: number;
  sDownSinceTime = 0;
  oDownSinceTime = 0;
  downAfterPeriod: number;
  masterRebootDownAfterPeriod = 0;
  masterRebootSinceTime = 0;
  /** When INFO was last received (0: never). */
  infoRefresh = 0;
  renamedCommands = new Map<string, { from: string; to: string }>();
  roleReported: number;
  roleReportedTime: number;
  slaveConfChangeTime: number;

  // Master specific.
  sentinels = new Map<string, Instance>();
  slaves = new Map<string, Instance>();
  quorum: number;
  parallelSyncs = DEFAULT_PARALLEL_SYNCS;
  authPass: string | null = null;
  authUser: string | null = null;

  // Replica specific.
  masterLinkDownTime = 0;
  slavePriority = DEFAULT_SLAVE_PRIORITY;
  replicaAnnounced = 1;
  slaveReconfSentTime = 0;
  master: Instance | null;
  slaveMasterHost: string | null = null;
  slaveMasterPort = 0;
  slaveMasterLinkUp = false;
  slaveReplOffset = 0;

  // Failover.
  /** Master: the sentinel we voted for; sentinel: the one it told us it voted for. */
  leader: string | null = null;
  leaderEpoch = 0;
  failoverEpoch = 0;
  /** Mirrors the failover machine (masters only). */
  failoverState: FailoverStateName = 'none';
  failoverStateChangeTime = 0;
  failoverStartTime = 0;
  failoverTimeout: number;
  failoverDelayLogged = 0;
  promotedSlave: Instance | null = null;
  notificationScript: string | null = null;
  clientReconfigScript: string | null = null;
  /** The last INFO text received. */
  info: string | null = null;

  /** The up / sdown / odown view of this instance (instance-machine.ts). */
  view!: Actor<InstanceViewMachine>;
  /** Masters only: the failover machine (failover-machine.ts). */
  failover: Actor<FailoverMachine> | null = null;
  /** Removed from its table: timers and replies for it are ignored. */
  released = false;

  constructor(flags: number, name: string, addr: SentinelAddr, quorum: number, master: Instance | null, now: number, timers: SentinelTimers) {
    this.flags = flags;
    this.name = name;
    this.addr = addr;
    this.link = new InstanceLink(now);
    this.lastPubTime = now;
    this.lastHelloTime = now;
    this.lastMasterDownReplyTime = now;
    this.downAfterPeriod = master ? master.downAfterPeriod : timers.defaultDownAfter;
    this.quorum = quorum;
    this.master = master;
    this.failoverTimeout = timers.defaultFailoverTimeout;
    this.roleReported = flags & (SRI_MASTER | SRI_SLAVE);
    this.roleReportedTime = now;
    this.slaveConfChangeTime = now;
  }

  get isMaster(): boolean { return (this.flags & SRI_MASTER) !== 0; }
  get isSlave(): boolean { return (this.flags & SRI_SLAVE) !== 0; }
  get isSentinel(): boolean { return (this.flags & SRI_SENTINEL) !== 0; }

  /** sentinelRedisInstanceTypeStr(). */
  typeStr(): string {
    if (this.flags & SRI_MASTER) return 'master';
    if (this.flags & SRI_SLAVE) return 'slave';
    if (this.flags & SRI_SENTINEL) return 'sentinel';
    return 'unknown';
  }
}

/** The global state of one sentinel process (struct sentinelState). */
export class SentinelState {
  myid = '';
  currentEpoch = 0;
  readonly masters = new Map<string, Instance>();
  tilt = false;
  tiltStartTime = 0;
  previousTime: number;
  runningScripts = 0;
  readonly scriptsQueue: ScriptJob[] = [];
  announceIp: string | null = null;
  announcePort = 0;
  simFailureFlags = 0;
  denyScriptsReconfig = DEFAULT_DENY_SCRIPTS_RECONFIG;
  sentinelAuthPass: string | null = null;
  sentinelAuthUser: string | null = null;
  resolveHostnames = false;
  announceHostnames = false;
  readonly timers: SentinelTimers = defaultTimers();

  constructor(readonly server: RedisServer) {
    this.previousTime = Math.floor(server.os.now());
  }

  /**
   * mstime(): whole milliseconds, as every time the sentinel keeps and reports (ages in SENTINEL
   * MASTER/REPLICAS, INFO-CACHE) is in Redis. The simulation's clock is fractional.
   */
  now(): number { return Math.floor(this.server.os.now()); }

  /** rand() % n, from the process's (seeded) random source. */
  rand(n: number): number {
    return Math.floor(this.server.os.random() * n);
  }
}

export const SIMFAILURE_CRASH_AFTER_ELECTION = 1 << 0;
export const SIMFAILURE_CRASH_AFTER_PROMOTION = 1 << 1;

/** C's atoi(): optional spaces and sign, then digits; anything else stops (0 if none). */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  if (n >= -2147483648 && n <= 2147483647) return n;
  // int overflow wraps in C; keep it within 32 bits the same way.
  return Number(BigInt.asIntN(32, BigInt(m[1])));
}

/** strtoull(s, NULL, 10) for epochs: the leading digits (0 if none). */
export function strtoull(s: string): number {
  const m = /^[ \t\n\v\f\r]*\+?(\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

/** strtoll(s, NULL, 10). */
export function strtoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}
