/**
 * One redis-server process: databases, clients, configuration, statistics and the event loop
 * glue. Everything the process does happens inside `event()`: a socket delivered bytes, a timer
 * fired, a child exited. `beforeSleep()` runs once the events ready together have all been
 * handled (os.whenIdle; after each event on an Os without it): it serves clients blocked on
 * keys, lets persistence flush the AOF, writes pending replies and closes doomed clients,
 * mirroring Redis's ae loop, where all the clients served in one turn share one AOF fsync.
 *
 * Subsystems (persistence, replication, sentinel, cluster) attach through `hooks` instead of
 * being hard-wired here, so this file stays the core of a standalone server.
 */
import { ldbSyncSessionClient, ldbSyncSessionHolds } from './ldb';
import { Acl } from './acl';
import type { Listener, Os, Socket, TimerId } from '../os';
import { Config } from '../config/config';
import { Db } from '../keyspace/db';
import { CommandTable, type CommandSpec } from '../commands/table';
import { Client, type BlockState } from './client';
import { Logger, type LogLevel } from './log';
import { processCommandAndReset, processInput, resetClient, slowlogPush } from './dispatch';
import { recordCommandLatency } from './command-latency';
import { latencyAddSampleIfNeeded } from './latency-monitor';
import { READ_CPU_MS, REPLY_ITEM_CPU_MS, WRITE_CPU_MS } from './cpu-cost';
import { randomHex } from '../util/random';
import * as watch from './watch';
import { publishMessage, unsubscribeEverything } from './pubsub';
import { NOTIFY } from './notify';
import { clientInfoString, REPLY_CHUNK_BYTES } from './client-info';
import { memoryOverhead } from './memory-stats';
import { checkPauseTimeout, type PausePurpose, type PauseType } from './pause';
import { clientsCron, clientsCronQuiet, closeOnOutputBufferLimit, noteReplyBufferUse } from './clients-cron';
import * as tracking from './tracking';
import { installEviction } from './evict';
import { installOomScoreAdj } from './oom-score-adj';
import { installProcTitle } from './proc-title';
import { ClientMemoryTracking, evictClients, updateClientMemUsageAndBucket } from './client-eviction';
import { TrackingTables } from './tracking';
import type { InfoSectionProvider } from './info-provider';
import type { Cluster } from '../cluster/cluster';
import { HotConfig } from './hot-config';
import { strerror } from '../persistence/errno';
import { signalNumber } from '../util/signals';

export const REDIS_VERSION = '7.0.15';

export interface ServerStats {
  numCommands: number;
  numConnections: number;
  rejectedConns: number;
  expiredKeys: number;
  expiredStalePerc: number;
  expiredTimeCapReachedCount: number;
  /** stat_expire_cycle_time_used: µs spent in active expire cycles. */
  expireCycleTimeUsedUs: number;
  evictedKeys: number;
  /** stat_total_eviction_exceeded_time, µs. */
  totalEvictionExceededUs: number;
  /** stat_last_eviction_exceeded_time: since when (os.nowUs) used memory stays over maxmemory; 0 when not. */
  evictionExceededSinceUs: number;
  evictedClients: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  totalErrorReplies: number;
  unexpectedErrorReplies: number;
  netInputBytes: number;
  netOutputBytes: number;
  netReplInputBytes: number;
  netReplOutputBytes: number;
  totalReadsProcessed: number;
  totalWritesProcessed: number;
  pubsubChannelsSent: number;
  clientQbufLimitDisconnections: number;
  clientOutbufLimitDisconnections: number;
  totalBlockingKeys: number;
  dumpPayloadSanitizations: number;
  totalForks: number;
  /** stat_fork_time: how long the last fork() blocked the server, µs. */
  latestForkUs: number;
  ioThreadedReads: number;
  ioThreadedWrites: number;
  replyBufferShrinks: number;
  replyBufferExpands: number;
  /** lazyfreed_objects: objects the lazyfree bio thread has freed. */
  lazyfreedObjects: number;
}

function emptyStats(): ServerStats {
  return {
    numCommands: 0, numConnections: 0, rejectedConns: 0, expiredKeys: 0, expiredStalePerc: 0,
    expiredTimeCapReachedCount: 0, expireCycleTimeUsedUs: 0, evictedKeys: 0, totalEvictionExceededUs: 0, evictionExceededSinceUs: 0, evictedClients: 0,
    keyspaceHits: 0, keyspaceMisses: 0, totalErrorReplies: 0, unexpectedErrorReplies: 0,
    netInputBytes: 0, netOutputBytes: 0, netReplInputBytes: 0, netReplOutputBytes: 0,
    totalReadsProcessed: 0, totalWritesProcessed: 0, pubsubChannelsSent: 0,
    clientQbufLimitDisconnections: 0, clientOutbufLimitDisconnections: 0, totalBlockingKeys: 0,
    dumpPayloadSanitizations: 0, totalForks: 0, latestForkUs: 0, ioThreadedReads: 0, ioThreadedWrites: 0,
    replyBufferShrinks: 0, replyBufferExpands: 0, lazyfreedObjects: 0,
  };
}

/**
 * A propagated write: the db it applies to and its argv (already in deterministic form).
 * `target` limits it to the replication stream or the AOF (PUBLISH is forced to replicas
 * only); absent means both.
 */
export interface PropagatedOp { dbId: number; argv: string[]; target?: 'repl' | 'aof' }

/** The coming serverCron tick, as a cron hook's quietUntil sees it. */
export interface CronTick {
  /** When it runs (at the earliest: a busy process runs it later). */
  atMs: number;
  /** server.cronLoops during that tick. */
  loops: number;
  /** The shortest time between it and each following tick. */
  periodMs: number;
}

/** Work for every serverCron tick (hz). */
export interface CronHook {
  run(): void;
  /**
   * The earliest tick time at which this hook could do something another process notices
   * (write to or close a connection, write a file, fork, log), assuming nothing arrives
   * meanwhile: `tick.atMs` when the coming tick may, later when nothing falls due before then
   * (a deadline it keeps), Infinity when only something arriving could give it work. Without
   * it the hook counts as acting on every tick. See Os.setTimer.
   */
  quietUntil?(tick: CronTick): number;
}

export interface ServerHooks {
  cron: CronHook[];
  /** Called at the end of every event before replies are written. */
  beforeSleep: (() => void)[];
  /**
   * The vital subset that also runs while a script is busy (processEventsWhileBlocked's
   * beforeSleep): the AOF flush. Replies are written either way.
   */
  beforeSleepWhileBlocked: (() => void)[];
  /** Receives every propagated write (AOF and replication attach here). */
  propagate: ((op: PropagatedOp) => void)[];
  /**
   * INFO section providers by lowercase section name (see info-provider.ts): a core section's
   * provider edits its default fields, any other name adds a section after the core ones.
   */
  info: Map<string, InfoSectionProvider>;
  /** CONFIG RESETSTAT: subsystems zero the counters they keep. */
  resetStats: (() => void)[];
  /** A client was freed. */
  clientClosed: ((c: Client) => void)[];
  /** Graceful shutdown steps (SAVE, AOF flush...); return an error text to abort. */
  shutdown: ((opts: ShutdownOptions) => string | null)[];
  /** The process is exiting: close what the subsystem opened (the cluster bus...). */
  terminate: (() => void)[];
}

export interface ShutdownOptions {
  save?: boolean; nosave?: boolean; now?: boolean; force?: boolean; abort?: boolean; resume?: boolean;
  /**
   * The caller can wait for SHUTDOWN_SAVING (serverCron for a signal, the SHUTDOWN command): a
   * final save slowed by rdb-key-save-delay then blocks the event loop on a timer, so that a
   * second SIGINT is handled during the save, as Redis's signal handler is.
   */
  waitForSave?: boolean;
}

/** server.shutdown() result while replicas are given time to catch up (the caller stays blocked). */
export const SHUTDOWN_WAITING = 'waiting for replicas';
/**
 * A shutdown hook's (and server.shutdown()'s) result while the final save blocks the event
 * loop: the hook calls server.finishShutdown or server.failShutdown when the save is over.
 */
export const SHUTDOWN_SAVING = 'saving the final snapshot';

/** NET_MAX_WRITES_PER_EVENT: what writeToClient sends one client per event (1024 * 64). */
const NET_MAX_WRITES_PER_EVENT = 64 * 1024;
/**
 * Bytes a socket may hold unsent before we treat it as full (a write would get EAGAIN): at
 * least the host's drain threshold (Node's 16 KB high-water mark, the simulation's 64 KB), so
 * a full socket always reports when it drains.
 */
const SOCKET_FULL_BYTES = 64 * 1024;

export class RedisServer {
  readonly config: Config;
  /** Settings read for every command, as fields (hot-config.ts). */
  readonly hot: HotConfig;
  readonly table: CommandTable;
  /** ACL users and the ACL LOG. */
  readonly acl: Acl;
  readonly log: Logger;
  dbs: Db[] = [];
  readonly clients = new Map<number, Client>();
  private readonly pendingWrites = new Set<Client>();
  private nextClientId = 3;
  readonly runId: string;
  readonly startTimeMs: number;
  stats: ServerStats = emptyStats();
  readonly errorStats = new Map<string, number>();
  /** Changes since the last successful save (rdb_changes_since_last_save). */
  dirty = 0;
  lastSaveTimeMs: number;
  loading = false;
  /**
   * server.async_loading: a `repl-diskless-load swapdb` replica loading its master's RDB of
   * the same history into a temp db while it keeps serving the old data (`loading` is set too,
   * as in Redis; only the commands flagged no_async_loading get -LOADING).
   */
  asyncLoading = false;
  currentClient: Client | null = null;
  /** setOOMScoreAdj's statics (oom-score-adj.ts). */
  readonly oomScore = { adjustedByRedis: false, base: 0 };
  /** Client memory as last recorded, and the eviction buckets (client-eviction.ts). */
  readonly clientMemory = new ClientMemoryTracking();
  /** Time captured when the current command started (keys expire consistently within it). */
  private cmdTime = 0;
  private nestedCalls = 0;
  /** Writes accumulated by the running command (alsoPropagate). */
  pendingPropagation: PropagatedOp[] = [];
  propagateNoMulti = false;
  /** Redis Cluster state (src/engine/cluster) when cluster-enabled, else null. */
  cluster: Cluster | null = null;
  /** Checks other subsystems contribute to processCommand (cluster, persistence, replication). */
  readonly guards: {
    /** Returns true if it replied with a redirect/CLUSTERDOWN error. */
    clusterRedirect?: (c: Client, cmd: CommandSpec, argv: string[]) => boolean;
    /**
     * A command a script calls on a cluster node (scriptVerifyClusterState): the node that
     * serves its keys, as getNodeByQuery finds it with the caller's READONLY/ASKING state.
     */
    scriptClusterQuery?: (c: Client, cmd: CommandSpec, argv: string[]) => { local: boolean; slot: number; code: 'ok' | 'down' | 'down-ro' | 'other' };
    /** The hash slot of the keys argv names for `cmd`, -1 for none (processCommand's c->slot). */
    clusterCommandSlot?: (cmd: CommandSpec, argv: string[]) => number;
    /** MISCONF error text when writes are refused because persistence is failing. */
    diskError?: () => string | null;
    /** False when min-replicas-to-write is not met. */
    goodReplicas?: () => boolean;
  } = {};
  /** Replication: a command (or keepalive newline) from our master was applied. */
  masterStreamApplied?: (c: Client) => void;
  /**
   * Replication (prepareForShutdown): with `start` false, true when a shutdown is already
   * waiting for replicas; with `start` true, true when this one starts waiting for lagging
   * replicas. Replication then completes it with `shutdown({ ...opts, resume: true })`.
   * `shutdownAbort` cancels such a wait (SHUTDOWN ABORT).
   */
  shutdownPrepare?: (opts: ShutdownOptions, start: boolean) => boolean;
  shutdownAbort?: () => boolean;
  /** DEBUG SET-ACTIVE-EXPIRE toggles the active expire cycle. */
  activeExpireEnabled = true;
  /** EXEC is running its queued commands (server.in_exec). */
  inExec = false;
  /** performEvictions() failed before the current command (pre_command_oom_state; scripts check it). */
  preCommandOomState = false;
  /** A script past its time limit holds the server: commands without allow_busy get this error. */
  busyScriptError: string | null = null;
  /** Cluster: forward a PUBLISH/SPUBLISH to the other nodes. */
  clusterPublish?: (channel: string, message: string, sharded: boolean) => void;
  /** Client side caching tables (tracking.ts). */
  readonly tracking = new TrackingTables();
  /** DEBUG PAUSE-CRON stops the periodic cron work. */
  cronPaused = false;
  /** When "Possible SECURITY ATTACK" was last logged, unix seconds (logged at most once a minute). */
  securityWarningLoggedSec = 0;
  /** server.hz when a subsystem sets it apart from the config (Sentinel randomises it every tick). */
  hzOverride: number | null = null;
  /** Persistence: called after FLUSHALL (Redis saves an RDB if save points are set). */
  afterFlushAll?: () => void;
  afterFlush?: () => void;
  /** Persistence: load the dataset at start-up (RDB or AOF). */
  loadDataFromDiskHook?: () => Promise<void>;
  /** A signal asked for shutdown; serverCron performs it (like shutdown_asap). */
  shutdownAsap: string | null = null;
  /** Clients postponed by CLIENT PAUSE, re-run when the pause ends. */
  readonly postponed: { c: Client; argv: string[] }[] = [];
  readonly hooks: ServerHooks = { cron: [], beforeSleep: [], beforeSleepWhileBlocked: [], propagate: [], info: new Map(), resetStats: [], clientClosed: [], shutdown: [], terminate: [] };

  // Pub/sub registries.
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  readonly shardChannels = new Map<string, Set<Client>>();
  readonly monitors = new Set<Client>();
  /** Blocked clients by "<db>\0<key>" in FIFO order. */
  readonly blockingKeys = new Map<string, Client[]>();
  readonly readyKeys = new Set<string>();
  /** Clients unblocked during this event whose pipelines still have to run. */
  private readonly unblockedClients: Client[] = [];
  /** WATCHed keys: "<db>\0<key>" → clients. */
  readonly watchedKeys = new Map<string, Set<Client>>();

  private listeners: Listener[] = [];
  /** The `unixsocket` listener (null when none is configured or the Os has no unix sockets). */
  private unixListener: Listener | null = null;
  /**
   * Connections that arrived before start-up reached the event loop, waiting as in the kernel's
   * listen backlog (with the bytes they sent): Redis loads its data in main() before aeMain and
   * serves clients earlier only from processEventsWhileBlocked during a long load. null when
   * clients are served as they connect (see holdClientsUntilStarted).
   */
  private startupBacklog: { socket: Socket; unix: boolean; early: Uint8Array[]; closed: boolean }[] | null = null;
  private cronTimer: TimerId | null = null;
  cronLoops = 0;
  /** Rotation position of clientsCron. */
  clientsCronCursor = 0;
  /** Set by SHUTDOWN/SIGTERM once the process is exiting. */
  exiting = false;
  /** Client pause (CLIENT PAUSE): end time in ms, and whether only writes are paused. */
  pauseEndMs = 0;
  pauseWriteOnly = false;
  /** The effective pause and the pause of each purpose (see pause.ts). */
  pauseType: 'off' | PauseType = 'off';
  readonly pausePurposes = new Map<PausePurpose, { type: PauseType; endMs: number }>();
  /** Active child processes (BGSAVE, AOF rewrite) by role; persistence maintains this. */
  readonly children = new Map<string, { pid: number; startMs: number }>();
  /** Replication role: null when master. Replication module owns the details. */
  masterHost: string | null = null;
  masterPort = 0;
  /** The link state with our master when replica ('connect', 'connecting', 'connected'...). */
  replState: string = 'none';
  /** Replication offset of this server's stream (master_repl_offset). */
  masterReplOffset = 0;
  /** Replication IDs (master_replid, master_replid2) and second_repl_offset; DEBUG CHANGE-REPL-ID renews replId. */
  replId: string;
  replId2 = '0000000000000000000000000000000000000000';
  secondReplOffset = -1;
  /** Latency samples (LATENCY command). */
  readonly latencyEvents = new Map<string, { samples: { t: number; ms: number }[]; maxMs: number }>();
  readonly slowlog: { id: number; t: number; us: number; argv: string[]; addr: string; name: string }[] = [];
  slowlogNextId = 0;
  readonly sentinelMode: boolean;
  /** Peak memory estimate for INFO memory. */
  peakMemory = 0;
  /** The machine's RAM, read at start-up (INFO total_system_memory). */
  systemMemoryBytes = 0;
  /** argv[0] as the server was started ({title} of the process title). */
  execArgv0 = 'redis-server';
  /** The executable (redis-server / redis-sentinel) for INFO server. */
  executable = '';
  configFileAbs = '';

  constructor(readonly os: Os, families: CommandSpec[][], opts: { sentinel?: boolean; config?: Config } = {}) {
    this.config = opts.config ?? new Config();
    this.hot = new HotConfig(this.config);
    this.sentinelMode = !!opts.sentinel;
    this.table = new CommandTable(families);
    this.acl = new Acl({ all: () => this.table.all() }, (msg) => this.log.warning(msg));
    // requirepass is the default user's password (ACLUpdateDefaultUserPassword).
    this.config.observe<string>('requirepass', (v) => { this.acl.updateDefaultUserPassword(v ?? ''); });
    this.config.observe<string>('acl-pubsub-default', (v) => { this.acl.pubsubDefaultAll = v === 'allchannels'; });
    this.log = new Logger(os, () => this.roleChar(), () => this.config.get<string>('loglevel') as LogLevel, () => this.config.get<string>('logfile'));
    this.runId = randomHex(os, 40);
    this.replId = randomHex(os, 40);
    this.startTimeMs = os.now();
    this.lastSaveTimeMs = this.startTimeMs;
    this.cmdTime = this.startTimeMs;
    installEviction(this);
    installOomScoreAdj(this);
    installProcTitle(this);
    const ndb = this.config.get<number>('databases');
    for (let i = 0; i < ndb; i++) this.dbs.push(new Db(i, this));
  }

  // ---- time ------------------------------------------------------------------------------

  /**
   * mstime(): whole milliseconds. The simulation's clock is fractional; Redis's never is, and
   * expire times are int64 milliseconds (EXPIRE computes them exactly with BigInt).
   */
  nowMs(): number { return Math.floor(this.os.now()); }

  /** The time a key's TTL is compared to: fixed during a command (like server.mstime). */
  cmdTimeMs(): number { return this.nestedCalls > 0 ? this.cmdTime : Math.floor(this.os.now()); }

  /** Redis's LRU_CLOCK: seconds, 24 bits. */
  lruClock(): number { return Math.floor(this.cmdTimeMs() / 1000) & 0xffffff; }

  roleChar(): string {
    if (this.sentinelMode) return 'X';
    return this.masterHost ? 'S' : 'M';
  }

  isReplica(): boolean { return this.masterHost !== null; }

  /**
   * iAmMaster(): in cluster mode what the cluster says of myself (nodes.conf is loaded before
   * the data, so a restarted replica knows it is one before its replication link exists),
   * else whether no replicaof is set. Loading the data on start-up asks this.
   */
  iAmMaster(): boolean { return this.cluster ? this.cluster.myself.isMaster() : this.masterHost === null; }

  clusterEnabled(): boolean { return this.config.get<boolean>('cluster-enabled'); }

  hasActiveChild(): boolean { return this.children.size > 0; }

  clientsPaused(): boolean { return this.pauseType !== 'off'; }

  /**
   * isInsideYieldingLongCommand(): a script past its time limit. Redis serves other clients
   * from inside the script (processEventsWhileBlocked) with only a vital subset of beforeSleep,
   * no serverCron, and no blocked clients served until the script is over.
   */
  insideYieldingLongCommand(): boolean { return this.busyScriptError !== null; }

  /** A cron tick fell while a script was busy. */
  private cronOverdue = false;

  /**
   * The busy script is over: the event loop is Redis's again, and a serverCron that fell due
   * meanwhile runs at once (reaping a child that exited, a pending shutdown...).
   */
  endYieldingLongCommand(): void {
    this.busyScriptError = null;
    this.runOverdueCron();
  }

  /** The event loop is Redis's again: a serverCron tick that fell due meanwhile runs now. */
  private runOverdueCron(): void {
    if (!this.cronOverdue) return;
    this.cronOverdue = false;
    this.os.setTimer(0, () => this.event(() => { if (!this.insideYieldingLongCommand() && !this.loading && !ldbSyncSessionHolds(this)) this.serverCron(); }));
  }

  /** blocked_last_cron: how far whileBlockedCron has caught up (0: no blocking operation). */
  private blockedLastCronMs = 0;
  private blockingOpNesting = 0;

  /** blockingOperationStarts(): a load begins (whileBlockedCron counts its ticks from now). */
  blockingOperationStarts(): void {
    if (this.blockingOpNesting++ === 0) this.blockedLastCronMs = this.os.now();
  }

  /** blockingOperationEnds(): the load is over; the serverCron it held back runs. */
  blockingOperationEnds(): void {
    if (this.blockingOpNesting === 0) return;
    if (--this.blockingOpNesting === 0) {
      this.blockedLastCronMs = 0;
      this.runOverdueCron();
    }
  }

  /**
   * whileBlockedCron(), called by processEventsWhileBlocked while loading: instead of
   * serverCron, only the cron loop count advances (one per 1000/hz ms that passed; defrag,
   * its other duty, we do not model), the memory stats are updated, and a shutdown signal
   * received during the load is acted on (without saving). Its own time goes to the latency
   * monitor as "while-blocked-cron".
   */
  whileBlockedCron(): void {
    if (this.blockedLastCronMs === 0) return;
    const nowMs = this.os.now();
    if (this.blockedLastCronMs >= nowMs) return;
    const startUs = this.os.nowUs();
    const hzMs = Math.floor(1000 / this.cronHz());
    while (this.blockedLastCronMs < nowMs) {
      this.blockedLastCronMs += hzMs;
      this.cronLoops++;
    }
    // cronUpdateMemoryStats: the peak.
    if (this.loading) memoryOverhead(this);
    latencyAddSampleIfNeeded(this, 'while-blocked-cron', Math.floor((this.os.nowUs() - startUs) / 1000));
    if (this.shutdownAsap && this.loading) {
      if (this.shutdown({ nosave: true }) === null) return;
      this.log.warning('SIGTERM received but errors trying to shut down the server, check the logs for more information');
      this.shutdownAsap = null;
    }
  }

  authRequiredForDefaultUser(): boolean { return this.acl.defaultNeedsAuth(); }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Bind the listeners. Resolves to an error text if the port cannot be bound. */
  async listen(): Promise<string | null> {
    const r = await this.openListeners();
    if (typeof r === 'string') return r;
    this.listeners.push(...r);
    return null;
  }

  /** Whether any TCP listener is open (start-up refuses to run listening nowhere). */
  get listening(): boolean { return this.listeners.length > 0; }

  /** Whether the `unixsocket` listener is open ("ready to accept connections at <path>"). */
  get listeningUnix(): boolean { return this.unixListener !== null; }

  /**
   * initServer's unix domain socket: a stale file at the path is removed first (whatever it
   * is), then the socket is bound and chmod'ed to `unixsocketperm`. Resolves to the fatal log
   * line ("Failed opening Unix socket: ...") or null. Without unix sockets on this Os (the
   * simulation) the setting stays unused.
   */
  async listenUnix(): Promise<string | null> {
    const path = this.config.get<string>('unixsocket');
    if (path === '' || !this.os.listenUnix) return null;
    try { this.os.fs.unlink(path); } catch { /* don't care if this fails, as Redis */ }
    // struct sockaddr_un's sun_path holds 108 bytes with the terminating NUL.
    const SUN_PATH_BYTES = 108;
    if (path.length > SUN_PATH_BYTES - 1) return `Failed opening Unix socket: unix socket path too long (${path.length}), must be under ${SUN_PATH_BYTES}`;
    try {
      this.unixListener = await this.os.listenUnix(path, (s) => this.event(() => (this.startupBacklog ? this.holdClient(s, true) : this.acceptClient(s, true))), {
        backlog: this.config.get<number>('tcp-backlog'), perm: this.config.get<number>('unixsocketperm'),
      });
    } catch (e) {
      return `Failed opening Unix socket: bind: ${strerror(e)}`;
    }
    return null;
  }

  /** closeListeningSockets(1) at shutdown: the unix socket file goes with the server. */
  private removeUnixSocket(): void {
    if (this.unixListener === null) return;
    this.log.notice('Removing the unix socket file.');
    try { this.os.fs.unlink(this.config.get<string>('unixsocket')); } catch (e) {
      this.log.warning(`Error removing the unix socket file: ${strerror(e)}`);
    }
  }

  /**
   * listenToPort(): one listener per bind address. Each failure is logged; an optional
   * address ("-::*") that does not exist on this host, or an unsupported address family, is
   * skipped, any other failure closes what was opened and fails.
   */
  private async openListeners(): Promise<Listener[] | string> {
    const port = this.config.get<number>('port');
    if (port === 0) return [];
    const opened: Listener[] = [];
    for (const raw of this.config.get<string[]>('bind')) {
      const optional = raw.startsWith('-');
      const addr = optional ? raw.slice(1) : raw;
      try {
        opened.push(await this.os.listen(port, [addr], (s) => this.event(() => (this.startupBacklog ? this.holdClient(s) : this.acceptClient(s))), { backlog: this.config.get<number>('tcp-backlog') }));
      } catch (e: any) {
        const why: Record<string, string> = {
          EADDRINUSE: 'Address already in use', EADDRNOTAVAIL: 'Cannot assign requested address',
          EACCES: 'Permission denied', EAFNOSUPPORT: 'Address family not supported by protocol',
        };
        this.log.warning(`Warning: Could not create server TCP listening socket ${addr}:${port}: ${why[e.code] ? `bind: ${why[e.code]}` : e.message}`);
        if ((e.code === 'EADDRNOTAVAIL' && optional) || e.code === 'EAFNOSUPPORT' || e.code === 'EPROTONOSUPPORT') continue;
        for (const l of opened) l.close();
        return `Could not create server TCP listening socket ${addr}:${port}`;
      }
    }
    return opened;
  }

  /**
   * Apply a CONFIG SET of `port` (changeListenPort) or `bind` (changeBindAddr): close the
   * listeners and open new ones. On failure CONFIG SET restores the old values and calls this
   * again, which listens where the server listened before. Resolves to the CONFIG SET error
   * text or null.
   */
  async rebind(what: 'port' | 'bind' = 'port'): Promise<string | null> {
    for (const l of this.listeners) l.close();
    this.listeners = [];
    const r = await this.openListeners();
    if (typeof r === 'string') {
      if (what === 'bind') this.log.warning('Failed to bind');
      return what === 'bind' ? 'Failed to bind to specified addresses.' : 'Unable to listen on this port. Check server logs.';
    }
    this.listeners = r;
    return null;
  }

  startCron(): void {
    const schedule = () => {
      const delayMs = 1000 / this.cronHz();
      const atMs = this.os.now() + delayMs;
      this.cronTimer = this.os.setTimer(delayMs, () => this.event(() => { this.serverCron(); schedule(); }), () => this.cronQuietUntil(atMs));
    };
    schedule();
  }

  private cronHz(): number {
    return this.hzOverride ?? Math.max(1, Math.min(MAX_HZ, this.config.get<number>('hz')));
  }

  /**
   * How long the cron ticks from the one at `atMs` on keep to this process (Os.setTimer's
   * quietUntil): most ticks of an idle server or a sentinel between its PINGs only update
   * counters, and saying so lets the simulation run the other processes ahead meanwhile.
   */
  private cronQuietUntil(atMs: number): number {
    if (this.cronPaused) return Infinity;
    if (this.shutdownAsap || this.pauseType !== 'off' || !clientsCronQuiet(this)) return atMs;
    // A sentinel draws its next hz on every tick: the following ones may come at MAX_HZ.
    const tick: CronTick = { atMs, loops: this.cronLoops + 1, periodMs: 1000 / (this.hzOverride === null ? this.cronHz() : MAX_HZ) };
    let t = Infinity;
    for (const h of this.hooks.cron) {
      const q = h.quietUntil ? h.quietUntil(tick) : atMs;
      if (q <= atMs) return atMs;
      if (q < t) t = q;
    }
    return t;
  }

  stopNetworking(): void {
    for (const l of this.listeners) l.close();
    this.listeners = [];
    this.unixListener?.close();
    this.unixListener = null;
    if (this.cronTimer !== null) this.os.clearTimer(this.cronTimer);
    this.cronTimer = null;
    if (this.watchdogTimer !== null) this.os.clearTimer(this.watchdogTimer);
    this.watchdogTimer = null;
  }

  private watchdogTimer: TimerId | null = null;

  /**
   * The software watchdog (watchdog-period, debug.c): every serverCron re-arms a one-shot
   * SIGALRM `period` ms ahead, so it only goes off when the main thread stops coming back to
   * the cron. Redis's does not run while it is blocked in a synchronous load (rdbLoad reading
   * a diskless replica's socket, serving clients only in between): that is when ours does not
   * re-arm either. We have no backtrace to print.
   */
  private watchdogCron(): void {
    const periodMs = this.config.get<number>('watchdog-period');
    if (periodMs === 0) {
      if (this.watchdogTimer !== null) this.os.clearTimer(this.watchdogTimer);
      this.watchdogTimer = null;
      return;
    }
    if (this.loading && !this.asyncLoading) return;
    if (this.watchdogTimer !== null) this.os.clearTimer(this.watchdogTimer);
    // A period under two cron ticks is too short to be reliable: Redis raises it.
    const effectiveMs = Math.max(periodMs, Math.floor(1000 / this.cronHz()) * 2);
    this.watchdogTimer = this.os.setTimer(effectiveMs, () => this.event(() => {
      this.watchdogTimer = null;
      this.log.warning('\n--- WATCHDOG TIMER EXPIRED ---');
      this.log.warning('Sorry: no support for backtrace().');
      this.log.warning('--------\n');
    }));
  }

  async loadDataFromDisk(): Promise<void> {
    if (this.loadDataFromDiskHook) await this.loadDataFromDiskHook();
  }

  /** SIGTERM/SIGINT schedule a graceful shutdown from the next cron tick (sigShutdownHandler). */
  handleSignal(sig: string): void {
    if (sig !== 'SIGTERM' && sig !== 'SIGINT') return;
    const fromHandler = (msg: string) => this.log.raw(`${this.os.pid}:signal-handler (${Math.floor(this.os.now() / 1000)}) ${msg}`);
    if (this.shutdownAsap && sig === 'SIGINT') {
      // A second Ctrl-C: quit now, without saving or waiting for replicas, removing the temp
      // file of a foreground save under way (rdbRemoveTempFile(getpid())).
      fromHandler('You insist... exiting now.');
      try { this.os.fs.unlink(`temp-${this.os.pid}.rdb`); } catch { /* no save under way */ }
      this.terminate(1);
      return;
    }
    fromHandler(this.loading ? 'Received shutdown signal during loading, scheduling shutdown.' : `Received ${sig} scheduling shutdown...`);
    this.shutdownAsap = sig;
  }

  /** SHUTDOWN ABORT: cancel a signal-requested shutdown. False when none was pending. */
  abortShutdown(): boolean {
    if (this.shutdownAbort?.()) {
      this.shutdownAsap = null;
      this.log.notice('Shutdown manually aborted.');
      return true;
    }
    if (!this.shutdownAsap) return false;
    this.shutdownAsap = null;
    this.log.notice('Shutdown manually aborted.');
    return true;
  }

  /**
   * prepareForShutdown + finishShutdown: run the shutdown hooks (save the final RDB, flush
   * the AOF...; each returns an error text to refuse, which FORCE overrides), remove the pid
   * file and exit. Returns null when the process exited, else the error (already logged).
   */
  shutdown(opts: ShutdownOptions): string | null {
    // While loading, and in Sentinel, never save.
    if (this.loading || this.sentinelMode) opts = { ...opts, save: false, nosave: true };
    // After waiting for replicas the signal's shutdown is no longer pending (shutdownAsap).
    if (opts.resume) opts = { ...opts, waitForSave: false };
    if (!opts.resume) {
      // A shutdown already waiting for replicas takes this request along (isShutdownInitiated).
      if (this.shutdownPrepare?.(opts, false)) return SHUTDOWN_WAITING;
      this.log.warning('User requested shutdown...');
      if (!opts.now && this.shutdownPrepare?.(opts, true)) return SHUTDOWN_WAITING;
    }
    for (const h of this.hooks.shutdown) {
      const err = h(opts);
      if (err === SHUTDOWN_SAVING) return err;
      if (err && !opts.force) return this.failShutdown(err);
    }
    this.finishShutdown();
    return null;
  }

  /** The shutdown could not complete (a hook refused): the server goes on. */
  failShutdown(err: string): string {
    this.log.warning('Errors trying to shut down the server. Check the logs for more information.');
    this.shutdownAsap = null;
    const reply = this.shutdownSaveFailed;
    this.shutdownSaveFailed = null;
    reply?.(err);
    return err;
  }

  /** A SHUTDOWN command waiting for its final save (SHUTDOWN_SAVING) gets the error here. */
  shutdownSaveFailed: ((err: string) => void) | null = null;

  /** finishShutdown: the pid file, the unix socket, the last words, exit(0). */
  finishShutdown(): void {
    const pidfile = this.config.get<string>('pidfile');
    if (this.config.get<boolean>('daemonize') || pidfile) {
      this.log.notice('Removing the pid file.');
      try { this.os.fs.unlink(pidfile); } catch { /* it may not exist */ }
    }
    this.removeUnixSocket();
    this.log.warning(`${this.sentinelMode ? 'Sentinel' : 'Redis'} is now ready to exit, bye bye...`);
    this.terminate(0);
  }

  /**
   * Events that came while the event loop is blocked (blockEventLoop), run in order once it is
   * free again; null while it is not blocked.
   */
  private blockedEvents: (() => void)[] | null = null;

  /**
   * The server's own work blocks the event loop for a while on a timer (a foreground save's
   * rdb-key-save-delay): nothing else runs meanwhile, clients and cron wait, but signals are
   * handled at once, as Redis's signal handlers interrupt whatever the process is doing.
   */
  blockEventLoop(): void {
    this.blockedEvents ??= [];
  }

  /** The blocking work is over: `first` (its own end) runs, then what waited, in order. */
  unblockEventLoop(first: () => void): void {
    const queued = this.blockedEvents ?? [];
    this.blockedEvents = null;
    this.event(first);
    for (const fn of queued) this.event(fn);
  }

  /** A signal the Os delivers (SIGTERM, SIGINT): handled even while the event loop is blocked. */
  signal(sig: string): void {
    if (this.blockedEvents) {
      if (!this.exiting) this.handleSignal(sig);
      return;
    }
    this.event(() => this.handleSignal(sig));
  }

  /**
   * The process dies of `signal` at once (the end of a crash report): no reply is flushed and
   * nothing is saved, only the host closes what the process had open.
   */
  die(signal: string): void {
    this.exiting = true;
    if (this.os.exitBySignal) this.os.exitBySignal(signal);
    else this.os.exit(128 + (signalNumber(signal) ?? 6));
  }

  /** Stop everything and exit the process. */
  terminate(code: number): void {
    this.flushPendingWrites(true);
    this.stopNetworking();
    // Redis just exits: freeing the clients here must not act on it (a replica's master link
    // would log the link lost and reconnect after "bye bye").
    this.exiting = true;
    for (const c of [...this.clients.values()]) this.freeClient(c);
    for (const h of this.hooks.terminate) h();
    this.os.exit(code);
  }

  // ---- the event loop glue ---------------------------------------------------------------

  /**
   * Run `fn` as one event of this process and then do the end-of-event work. Exceptions from
   * our own bugs are logged instead of killing the process; the client that triggered them gets
   * an error so the connection keeps working.
   */
  event(fn: () => void): void {
    if (this.exiting) return;
    if (this.blockedEvents) { this.blockedEvents.push(fn); return; }
    try {
      fn();
    } catch (e: any) {
      this.log.warning(`Internal error: ${e?.stack ?? e}`);
      if (this.currentClient) this.currentClient.replyError(`internal error: ${e?.message ?? e}`);
      this.currentClient = null;
      this.nestedCalls = 0;
    }
    if (!this.os.whenIdle) { this.beforeSleep(); return; }
    if (this.sleepQueued) return;
    this.sleepQueued = true;
    this.os.whenIdle(() => {
      this.sleepQueued = false;
      // Queued before a terminate() in the same turn: the server is gone (on the native host its
      // files may be too; in the simulation the process's items are dropped anyway).
      if (!this.exiting) this.beforeSleep();
    });
  }

  /** A beforeSleep is queued for the end of this turn of the event loop (os.whenIdle). */
  private sleepQueued = false;

  beforeSleep(): void {
    if (this.insideYieldingLongCommand()) {
      for (const h of this.hooks.beforeSleepWhileBlocked) h();
      this.flushPendingWrites();
      return;
    }
    while (this.unblockedClients.length > 0 || this.readyKeys.size > 0) {
      this.processUnblockedClients();
      this.handleClientsBlockedOnKeys();
    }
    for (const h of this.hooks.beforeSleep) h();
    this.flushPendingWrites();
    // Last, as Redis: after the writes and the clients closed asynchronously (an output buffer
    // past its limit goes before any client is evicted for memory).
    evictClients(this);
  }

  markPendingWrite(c: Client): void { this.pendingWrites.add(c); }

  /**
   * Reply elements built since the last `chargeReplyItems`. Their CPU time is charged in one
   * sum: a virtual clock in epoch milliseconds moves in steps of ~0.24 µs, so 80 ns added one
   * at a time would be lost (and the one element of a simple reply still is).
   */
  replyItemsUncharged = 0;

  /** Charge the reply elements built so far (before anyone reads the clock: call(), writes). */
  chargeReplyItems(): void {
    if (this.replyItemsUncharged === 0) return;
    this.os.cpu?.(this.replyItemsUncharged * REPLY_ITEM_CPU_MS);
    this.replyItemsUncharged = 0;
  }

  /**
   * handleClientsWithPendingWrites(): write to every client that got replies in this event.
   * `all` (at exit) hands everything to the sockets regardless of the per-event limit.
   */
  flushPendingWrites(all = false): void {
    this.chargeReplyItems();
    if (this.pendingWrites.size === 0) return;
    for (const c of this.pendingWrites) {
      // A SYNC Lua debugging session writes its own logs; the client's replies wait for its end.
      if (ldbSyncSessionClient(this) === c) continue;
      if (c.socket && c.out.len > 0) closeOnOutputBufferLimit(this, c, true);
      // A client whose write handler is installed is written when its socket is writable.
      if (c.writeHandlerArmed && !all && !c.closeAsap) continue;
      this.writeToClient(c, all);
    }
    this.pendingWrites.clear();
  }

  /**
   * writeToClient(): hand the client's replies to its socket, at most NET_MAX_WRITES_PER_EVENT
   * (plus the rest of the chunk that crosses it) per event unless used memory is over
   * maxmemory or the client is a replica or monitor; nothing while the socket is full (the
   * kernel refuses with EAGAIN). What is left stays in the output buffer, where it counts
   * as Redis's does, and a write handler sends it when the socket can take more.
   */
  private writeToClient(c: Client, all = false): void {
    const s = c.socket;
    if (s && c.out.len > 0 && !c.closeAsap) {
      const len = c.out.len;
      let written = 0;
      // A replica's (or monitor's) writes are not limited per event, and its socket's drain is
      // the replication stream's (writeToReplica): its replies go out whole as they always did.
      if (all || c.isReplica || (len <= NET_MAX_WRITES_PER_EVENT && s.pendingBytes() <= SOCKET_FULL_BYTES)) {
        // The common case: everything fits in one event's writes.
        noteReplyBufferUse(c, len);
        const bytes = c.out.take();
        c.replyListFrom = Infinity;
        c.netOutput += len;
        if (c.isReplica) this.stats.netReplOutputBytes += len;
        else this.stats.netOutputBytes += len;
        this.stats.totalWritesProcessed++;
        this.os.cpu?.(WRITE_CPU_MS, true);
        s.write(bytes);
        updateClientMemUsageAndBucket(this, c);
      } else {
        // The reply buffer first, then the reply list node by node (16 KB chunks here), until
        // the socket is full or this event's share is written.
        let capped: boolean | null = null;
        while (written < len && s.pendingBytes() <= SOCKET_FULL_BYTES) {
          const piece = written === 0 ? Math.min(len, c.replyBufSize, c.replyListFrom) || Math.min(len, REPLY_CHUNK_BYTES) : Math.min(len - written, REPLY_CHUNK_BYTES);
          s.write(c.out.buf.slice(written, written + piece));
          written += piece;
          if (written > NET_MAX_WRITES_PER_EVENT) {
            capped ??= !this.overMaxmemory();
            if (capped) break;
          }
        }
      }
      if (written > 0) {
        noteReplyBufferUse(c, len);
        c.out.consume(written);
        // What is left sits in the reply list (the reply buffer goes first); new replies join
        // it there until all of it is written.
        c.replyListFrom = c.out.len === 0 ? Infinity : 0;
        c.netOutput += written;
        if (c.isReplica) this.stats.netReplOutputBytes += written;
        else this.stats.netOutputBytes += written;
        this.stats.totalWritesProcessed++;
        this.os.cpu?.(WRITE_CPU_MS, true);
        // What was written no longer counts.
        updateClientMemUsageAndBucket(this, c);
      }
      if (c.out.len > 0) { this.armWriteHandler(c); return; }
    }
    c.writeHandlerArmed = false;
    if (c.closeAsap) this.freeClient(c);
    else if (c.closeAfterReply) {
      const sock = c.socket;
      sock?.end();
      this.freeClient(c, false);
      // Redis close()s the descriptor: whatever the peer still sends is refused (RST), it is
      // not a half-open connection that keeps accepting data.
      if (sock) sock.onData = () => sock.destroy();
    }
  }

  /** zmalloc_used_memory() >= maxmemory (writeToClient keeps writing then, to free memory). */
  private overMaxmemory(): boolean {
    const maxmemory = this.hot.maxmemory;
    return maxmemory > 0 && memoryOverhead(this).total >= maxmemory;
  }

  /**
   * connSetWriteHandler(sendReplyToClient): the socket is writable again when it drains (it is
   * full) or in the next turn of the event loop (the per-event limit stopped the writing).
   */
  private armWriteHandler(c: Client): void {
    if (c.writeHandlerArmed) return;
    const s = c.socket;
    if (!s) return;
    c.writeHandlerArmed = true;
    const fire = () => this.event(() => {
      if (!this.clients.has(c.id) || c.socket !== s) return;
      c.writeHandlerArmed = false;
      this.writeToClient(c);
    });
    if (s.pendingBytes() > SOCKET_FULL_BYTES) {
      s.onDrain = () => { s.onDrain = null; fire(); };
    } else if (this.os.whenIdle) {
      this.os.whenIdle(fire);
    } else {
      this.os.setTimer(0, fire);
    }
  }

  // ---- clients ---------------------------------------------------------------------------

  /** Start-up: connections wait (in the listen backlog) until serveHeldClients(). */
  holdClientsUntilStarted(): void {
    this.startupBacklog ??= [];
  }

  /** Whether connections are served (false while start-up holds them back). */
  get servingClients(): boolean {
    return this.startupBacklog === null;
  }

  private holdClient(s: Socket, unix = false): void {
    const held = { socket: s, unix, early: [] as Uint8Array[], closed: false };
    s.onData = (b) => { held.early.push(b); };
    s.onClose = () => { held.closed = true; };
    this.startupBacklog!.push(held);
  }

  /** The event loop is reached (or a long load lets it run): accept the waiting connections. */
  serveHeldClients(): void {
    const backlog = this.startupBacklog;
    if (!backlog) return;
    this.startupBacklog = null;
    for (const h of backlog) {
      if (h.closed) continue;
      this.acceptClient(h.socket, h.unix);
      for (const b of h.early) h.socket.onData?.(b);
    }
  }

  /** `unix`: the connection came in on the `unixsocket` listener (CLIENT_UNIX_SOCKET). */
  private acceptClient(s: Socket, unix = false): void {
    // acceptTcpHandler / acceptUnixHandler: before the maxclients and protected-mode checks.
    if (unix) this.log.verbose(`Accepted connection to ${this.config.get<string>('unixsocket')}`);
    else if (this.log.enabled('verbose')) this.log.verbose(`Accepted ${s.remoteAddress}:${s.remotePort}`);
    const maxclients = this.config.get<number>('maxclients');
    if (this.clients.size + this.clusterConnections() >= maxclients) {
      s.write(strBytes(this.clusterEnabled() ? '-ERR max number of clients + cluster connections reached\r\n' : '-ERR max number of clients reached\r\n'));
      s.end();
      this.stats.rejectedConns++;
      return;
    }
    const c = this.createClient(s, unix);
    if (this.config.get<boolean>('protected-mode') && this.acl.defaultUser.nopass && !c.isLocal) {
      s.write(strBytes(PROTECTED_MODE_ERROR));
      s.end();
      this.stats.rejectedConns++;
      this.unlinkClient(c);
      return;
    }
    this.stats.numConnections++;
  }

  createClient(s: Socket | null, unix = false): Client {
    const id = this.nextClientId++;
    // genClientAddrString: a unix socket client is "<unixsocket>:0" on both ends.
    const unixAddr = unix ? `${this.config.get<string>('unixsocket')}:0` : '';
    const addr = unix ? unixAddr : s ? fmtAddr(s.remoteAddress, s.remotePort) : '';
    const laddr = unix ? unixAddr : s ? fmtAddr(s.localAddress, s.localPort) : '';
    const c = new Client(this, id, s, addr, laddr);
    if (unix) { c.unixSocket = true; c.isLocal = true; }
    if (s) c.fd = this.allocateFd();
    this.clients.set(id, c);
    if (s) {
      s.onData = (bytes) => this.event(() => this.readFromClient(c, bytes));
      s.onClose = (error) => this.event(() => {
        if (!this.clients.has(c.id)) return;
        // readQueryFromClient: the peer closed the connection (a read of 0) or the read failed.
        if (this.log.enabled('verbose')) {
          this.log.verbose(error ? `Reading from client: ${strerror(error)}` : `Client closed connection ${this.clientInfoString(c)}`);
        }
        this.freeClient(c);
      });
    }
    return c;
  }

  /** Cluster bus links count against maxclients (the cluster module sets this). */
  clusterConnections: () => number = () => 0;

  /**
   * The file descriptor Redis would give the next connection: the lowest free number above
   * stdio, the event loop, the module pipe and the listening sockets.
   */
  private allocateFd(): number {
    let fd = 6 + this.listeners.reduce((n, l) => n + l.addresses.length, 0) + (this.unixListener ? 1 : 0);
    const used = new Set<number>();
    for (const c of this.clients.values()) used.add(c.fd);
    while (used.has(fd)) fd++;
    return fd;
  }

  /** A client with no connection (AOF loading, Lua...). */
  createFakeClient(): Client {
    const c = new Client(this, -1, null, '', '');
    c.authenticated = true;
    return c;
  }

  readFromClient(c: Client, bytes: Uint8Array): void {
    if (!this.clients.has(c.id)) return;
    this.os.cpu?.(READ_CPU_MS, true);
    c.lastInteractionMs = this.os.now();
    c.qbufReleased = false;
    c.netInput += bytes.length;
    if (c.isMaster) this.stats.netReplInputBytes += bytes.length;
    else this.stats.netInputBytes += bytes.length;
    this.stats.totalReadsProcessed++;
    c.parser.feed(bytes);
    // A SYNC Lua debugging session blocks the server: the command waits for its end.
    if (ldbSyncSessionHolds(this)) return;
    const limit = this.hot.clientQueryBufferLimit;
    if (!c.isMaster && c.parser.pendingBytes + c.parser.partialArgvBytes > limit) {
      this.log.warning(`Closing client that reached max query buffer length: ${this.clientInfoString(c)} (qbuf initial bytes: ${JSON.stringify(String.fromCharCode(...c.parser.peekPending(64)))})`);
      this.stats.clientQbufLimitDisconnections++;
      this.freeClient(c);
      return;
    }
    processInput(this, c);
    // beforeNextClient(): a client scheduled to close (its output buffer limit) goes now, before
    // the next client's read, so that client eviction never counts it.
    if (c.closeAsap && this.clients.has(c.id)) this.freeClient(c);
  }

  /** Remove a client from every registry and close its socket. */
  freeClient(c: Client, destroy = true): void {
    if (!this.clients.has(c.id)) return;
    this.unlinkClient(c);
    if (destroy) c.socket?.destroy();
  }

  private unlinkClient(c: Client): void {
    this.clients.delete(c.id);
    this.pendingWrites.delete(c);
    this.unwatchAll(c);
    if (c.blocked) {
      if (c.blocked.kind === 'pause') {
        const i = this.postponed.findIndex((p) => p.c === c);
        if (i >= 0) this.postponed.splice(i, 1);
      }
      this.unblockClient(c, false);
    }
    unsubscribeEverything(this, c);
    tracking.disableTracking(this, c);
    this.monitors.delete(c);
    if (c.socket) { c.socket.onData = null; c.socket.onClose = null; }
    for (const h of this.hooks.clientClosed) h(c);
  }

  /** One CLIENT LIST line (without the trailing newline). */
  clientInfoString(c: Client): string {
    return clientInfoString(this, c);
  }

  // ---- error accounting ------------------------------------------------------------------

  /** afterErrorReply(): totals and errorstats by prefix; logs errors sent to masters/replicas. */
  recordErrorReply(c: Client, err: string): void {
    this.stats.totalErrorReplies++;
    const sp = err.indexOf(' ');
    const prefix = sp > 0 && sp < 32 ? err.slice(1, sp) : 'ERR';
    if (this.errorStats.size < 128 || this.errorStats.has(prefix)) {
      this.errorStats.set(prefix, (this.errorStats.get(prefix) ?? 0) + 1);
    }
    c.errorReplies++;
    if (c.isMaster || (c.isReplica && !c.isMonitor)) {
      const from = c.isMaster ? 'replica' : 'master';
      const to = c.isMaster ? 'master' : 'replica';
      this.log.warning(`== CRITICAL == This ${from} is sending an error to its ${to}: '${err.slice(0, 4096)}' after processing the command '${c.lastCmd?.fullname ?? '<unknown>'}'`);
      this.stats.unexpectedErrorReplies++;
    }
  }

  // ---- propagation -----------------------------------------------------------------------

  /** alsoPropagate(): queue a write for the AOF and replicas after the current command. */
  alsoPropagate(dbId: number, argv: string[]): void {
    this.pendingPropagation.push({ dbId, argv });
    if (this.nestedCalls === 0) this.propagatePendingCommands();
  }

  /** Propagate the DEL/UNLINK of an expired or evicted key. */
  propagateDeletion(dbId: number, key: string, lazy: boolean): void {
    this.alsoPropagate(dbId, [lazy ? 'UNLINK' : 'DEL', key]);
  }

  /** Flush queued writes, wrapping several in MULTI/EXEC like propagatePendingCommands(). */
  propagatePendingCommands(noMultiOverride = false): void {
    const ops = this.pendingPropagation;
    if (ops.length === 0) return;
    this.pendingPropagation = [];
    // Commands that may expire arbitrary keys (SCAN, RANDOMKEY: CMD_TOUCHES_ARBITRARY_KEYS)
    // propagate those DELs without a MULTI, like the active expire cycle.
    const touchesArbitraryKeys = TOUCHES_ARBITRARY_KEYS.has(this.currentClient?.cmd?.name ?? '');
    const transaction = ops.length > 1 && !this.propagateNoMulti && !noMultiOverride && !touchesArbitraryKeys;
    if (transaction) this.propagateNow({ dbId: ops[0].dbId, argv: ['MULTI'] });
    for (const op of ops) this.propagateNow(op);
    if (transaction) this.propagateNow({ dbId: ops[ops.length - 1].dbId, argv: ['EXEC'] });
  }

  private propagateNow(op: PropagatedOp): void {
    for (const h of this.hooks.propagate) h(op);
  }

  /** Used by dispatch around handler execution. */
  enterCall(): void {
    if (this.nestedCalls++ === 0) this.cmdTime = Math.floor(this.os.now());
  }

  exitCall(): void {
    this.nestedCalls--;
  }

  get inNestedCall(): boolean { return this.nestedCalls > 0; }

  /** How many call()s are running: 1 inside a plain command, more inside EXEC or a script. */
  get callDepth(): number { return this.nestedCalls; }

  // ---- keyspace events, WATCH, blocking --------------------------------------------------

  /**
   * notifyKeyspaceEvent(): publish __keyspace@<db>__:<key> → event and
   * __keyevent@<db>__:<event> → key when `notify-keyspace-events` enables the class.
   * Classes: g generic, $ string, l list, s set, h hash, z zset, x expired, e evicted,
   * t stream, m key-miss, d module, n new key.
   */
  notifyKeyspaceEvent(cls: string, event: string, key: string, dbId: number): void {
    const flags = this.hot.notifyFlags;
    if (!(flags & (NOTIFY[cls] ?? 0))) return;
    if (flags & NOTIFY.K) this.publish(`__keyspace@${dbId}__:${key}`, event);
    if (flags & NOTIFY.E) this.publish(`__keyevent@${dbId}__:${event}`, key);
  }

  /** PUBLISH: deliver to channel subscribers and matching patterns; returns receivers. */
  publish(channel: string, message: string): number {
    return publishMessage(this, channel, message, 'channel');
  }

  /** signalModifiedKey(): invalidate WATCHes (and client-side caches) of the key. */
  signalModifiedKey(db: Db, key: string): void {
    watch.touchWatchedKey(this, db, key);
    tracking.invalidateKey(this, key);
  }

  /**
   * touchAllWatchedKeysInDb(), called before the db changes. SWAPDB (and diskless-load db
   * swaps) pass the db whose keys `emptied` receives; a flush passes no replacement (a
   * boolean is accepted for older callers), and `emptied` null means every db (FLUSHALL).
   * Flushes also invalidate client side caches (signalFlushedDb).
   */
  touchAllWatchedKeysInDb(emptied: Db | null, replacedWith: Db | null | boolean = null): void {
    if (emptied === null) { this.signalFlushedDb(-1); return; }
    if (replacedWith === null || typeof replacedWith === 'boolean') { this.signalFlushedDb(emptied.id); return; }
    watch.touchAllWatchedKeysInDb(this, emptied, replacedWith);
  }

  /** signalFlushedDb(): db `dbId` (-1: all) is about to be emptied. Call before emptying. */
  signalFlushedDb(dbId: number): void {
    for (const db of this.dbs) {
      if (dbId !== -1 && db.id !== dbId) continue;
      watch.touchAllWatchedKeysInDb(this, db, null);
    }
    // Blocked XREADGROUPs on streams that the flush removes are unblocked with an error
    // (scanDatabaseForDeletedStreams).
    for (const k of this.blockingKeys.keys()) {
      const sep = k.indexOf('\0');
      const db = this.dbs[Number(k.slice(0, sep))];
      if (!db || (dbId !== -1 && db.id !== dbId)) continue;
      const v = db.getEntry(k.slice(sep + 1))?.v;
      if (v !== undefined && typeof v !== 'string' && v.type === 'stream') this.readyKeys.add(k);
    }
    tracking.invalidateAllOnFlush(this);
  }

  watchKey(c: Client, db: Db, key: string): void {
    watch.watchKey(this, c, db, key);
  }

  unwatchAll(c: Client): void {
    watch.unwatchAllKeys(this, c);
  }

  /**
   * signalKeyAsReady(): a key that clients may be blocked on was created (Db.add does this for
   * lists and sorted sets, like dbAdd). Only queues it; the clients are served after the
   * current command or transaction by handleClientsBlockedOnKeys, so a key that is created
   * and emptied again inside one MULTI/EXEC wakes nobody.
   */
  signalKeyAsReady(db: Db, key: string): void {
    const k = `${db.id}\0${key}`;
    if (this.blockingKeys.has(k)) this.readyKeys.add(k);
  }

  /**
   * Block `c` on keys (blockForKeys): it joins the FIFO of every key it waits for (a key named
   * twice counts once) and its pipeline stops being read until it is unblocked. A timeout
   * (absolute ms, 0 = forever) arms a timer that replies with `onTimeout`.
   */
  blockClient(c: Client, state: Omit<NonNullable<Client['blocked']>, 'timer' | 'blockedAtUs'>): void {
    const keys = [...new Set(state.keys)];
    const b: BlockState = { ...state, keys, timer: null, blockedAtUs: this.os.nowUs() };
    c.blocked = b;
    for (const key of keys) {
      const k = `${state.dbId}\0${key}`;
      let list = this.blockingKeys.get(k);
      if (!list) { list = []; this.blockingKeys.set(k, list); }
      list.push(c);
    }
    if (state.timeoutMs > 0) this.armBlockTimer(c, b);
  }

  /** Host timers cap their delay (2^31-1 ms in Node), so long timeouts re-arm in steps. */
  private armBlockTimer(c: Client, b: BlockState): void {
    const delay = Math.max(0, b.timeoutMs - this.os.now());
    const step = Math.min(delay, MAX_TIMER_DELAY_MS);
    b.timer = this.os.setTimer(step, () => this.event(() => {
      if (c.blocked !== b) return;
      if (this.os.now() < b.timeoutMs) { this.armBlockTimer(c, b); return; }
      b.timer = null;
      this.unblockClient(c, true);
      // A timeout updates no stats in 7.0 (no time, latency or slowlog entry for it).
      b.onTimeout();
      this.afterUnblock(c);
    }));
  }

  /** CLIENT PAUSE: hold the command until the pause ends (blockClient BLOCKED_POSTPONE). */
  postponeClient(c: Client, argv: string[]): void {
    c.blocked = {
      kind: 'pause', dbId: c.db.id, keys: [], timeoutMs: 0, timer: null, blockedAtUs: this.os.nowUs(),
      onTimeout: () => undefined, argv, cmd: c.cmd!,
    };
    this.postponed.push({ c, argv });
  }

  /**
   * unblockPostponedClients(): the pause ended or relaxed; process the postponed commands
   * again in arrival order (they may be postponed again), then the rest of each pipeline.
   */
  unblockPostponedClients(): void {
    const list = this.postponed.splice(0);
    for (const { c, argv } of list) {
      if (!this.clients.has(c.id)) continue;
      c.blocked = null;
      processCommandAndReset(this, c, argv);
      // A write from our master held by a pause counts as applied now (commandProcessed).
      if (c.isMaster && !c.blocked) this.masterStreamApplied?.(c);
      if (!c.blocked && this.clients.has(c.id) && c.parser.pendingBytes > 0) processInput(this, c);
    }
  }

  /**
   * updateStatsOnUnblock(): a blocked command was served or ended by CLIENT UNBLOCK. Its calls
   * were counted when it blocked; now its time is counted again with the reply's (as Redis
   * adds c->duration a second time), its failure, its latency histogram (skipped when it
   * blocked), its slowlog entry (with `argv`: CLIENT UNBLOCK logs it after the client was
   * reset, with no arguments) and the command-unblocking latency event.
   */
  updateStatsOnUnblock(c: Client, b: BlockState, replyUs: number, hadErrors: boolean, argv = b.argv): void {
    const totalUs = (b.callUs ?? 0) + replyUs;
    const st = b.cmd.stats;
    if (st) {
      st.usec += totalUs;
      if (hadErrors) st.failedCalls++;
    }
    recordCommandLatency(this, b.cmd, totalUs);
    slowlogPush(this, c, argv, totalUs);
    latencyAddSampleIfNeeded(this, 'command-unblocking', Math.floor(replyUs / 1000));
  }

  /** Remove `c` from the blocking registries and cancel its timer. */
  unblockClient(c: Client, timedOut: boolean): void {
    const b = c.blocked;
    if (!b) return;
    for (const key of b.keys) {
      const k = `${b.dbId}\0${key}`;
      const list = this.blockingKeys.get(k);
      if (!list) continue;
      const i = list.indexOf(c);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.blockingKeys.delete(k);
    }
    if (b.timer !== null && !timedOut) this.os.clearTimer(b.timer);
    b.timer = null;
    c.blocked = null;
  }

  /**
   * After a client is unblocked (its reply written): the blocked command's per-command state
   * (CLIENT REPLY SKIP...) ends here (resetClient), and its pipelined commands run from
   * beforeSleep (queueClientForReprocessing/processUnblockedClients), not right away: a client
   * served by handleClientsBlockedOnKeys must not jump ahead of the other blocked clients.
   */
  afterUnblock(c: Client): void {
    resetClient(c);
    if (!this.unblockedClients.includes(c)) this.unblockedClients.push(c);
  }

  /** processUnblockedClients(): continue the pipelines of clients unblocked in this event. */
  private processUnblockedClients(): void {
    while (this.unblockedClients.length > 0) {
      const c = this.unblockedClients.shift()!;
      if (this.clients.has(c.id) && !c.blocked && c.parser.pendingBytes > 0) processInput(this, c);
    }
  }

  /**
   * Serve clients blocked on keys that became ready (handleClientsBlockedOnKeys). Keys are
   * taken in the order they were signalled and each key's clients in the order they blocked.
   * A client's `tryServe` looks at the key as it is now (it may have been emptied, deleted or
   * replaced by another type since it was signalled) and returns false to keep waiting.
   * Serving can make other keys ready (BLMOVE pushes), so this loops until nothing is left.
   * Each served client's writes are propagated on their own, like afterCommand().
   */
  handleClientsBlockedOnKeys(): void {
    while (this.readyKeys.size > 0) {
      const keys = [...this.readyKeys];
      this.readyKeys.clear();
      for (const k of keys) {
        const list = this.blockingKeys.get(k);
        if (!list) continue;
        const key = k.slice(k.indexOf('\0') + 1);
        for (const c of [...list]) {
          const b = c.blocked;
          if (!b || !b.tryServe) continue;
          const prev = this.currentClient;
          const errorsBefore = c.errorReplies;
          const replyStartUs = this.os.nowUs();
          this.currentClient = c;
          this.enterCall();
          let served = false;
          try {
            served = b.tryServe(key);
          } finally {
            this.exitCall();
            this.currentClient = prev;
          }
          if (served) {
            this.updateStatsOnUnblock(c, b, this.os.nowUs() - replyStartUs, c.errorReplies > errorsBefore);
            if (c.blocked === b) this.unblockClient(c, false);
            // afterCommand(receiver): propagate, then the invalidations of the keys the served
            // command changed that the client itself tracks, after its reply (still its own
            // current client, as in Redis).
            this.propagatePendingCommands();
            this.currentClient = c;
            try { tracking.handlePendingInvalidations(this); } finally { this.currentClient = prev; }
            this.afterUnblock(c);
          }
          this.propagatePendingCommands();
        }
      }
    }
  }

  // ---- cron ------------------------------------------------------------------------------

  private serverCron(): void {
    if (this.cronPaused) return;
    // A load runs inside Redis's event loop (processEventsWhileBlocked handles file events
    // only): serverCron waits, whileBlockedCron stands in for it, and the overdue tick runs
    // when the load is over.
    if (this.loading) {
      this.cronOverdue = true;
      return;
    }
    this.cronLoops++;
    // Redis's event loop is inside the script: only whileBlockedCron runs (defrag, here none),
    // and the overdue serverCron runs as soon as the script returns (endYieldingLongCommand).
    // A SYNC Lua debugging session blocks the whole server, its timers included.
    if (this.insideYieldingLongCommand() || ldbSyncSessionHolds(this)) {
      this.cronOverdue = true;
      return;
    }
    if (this.shutdownAsap) {
      const sig = this.shutdownAsap;
      const words = this.config.get<string>(sig === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm').split(' ');
      const opts: ShutdownOptions = {};
      for (const w of words) if (w === 'save' || w === 'nosave' || w === 'now' || w === 'force') opts[w] = true;
      if (this.loading) { opts.save = false; opts.nosave = true; }
      const wasLoading = this.loading;
      const result = this.shutdown({ ...opts, waitForSave: true });
      if (result === null) return;
      // The final save goes on with the event loop blocked; a second SIGINT meanwhile still
      // finds shutdownAsap set ("You insist...").
      if (result === SHUTDOWN_SAVING) return;
      if (result === SHUTDOWN_WAITING) { this.shutdownAsap = null; return; }
      if (wasLoading) this.log.warning('SIGTERM received but errors trying to shut down the server, check the logs for more information');
      this.shutdownAsap = null;
    }
    checkPauseTimeout(this);
    this.watchdogCron();
    for (const h of this.hooks.cron) h.run();
    clientsCron(this);
    // A CONFIG SET that lowered tracking-table-max-keys applies even if no command follows.
    if (this.tracking.clientsCount > 0) tracking.limitUsedSlots(this);
  }
}

/** Commands flagged CMD_TOUCHES_ARBITRARY_KEYS in Redis 7.0.15. */
const TOUCHES_ARBITRARY_KEYS = new Set(['scan', 'randomkey']);

/** The highest hz serverCron runs at (CONFIG_MAX_HZ). */
const MAX_HZ = 500;

/** Longest delay a host timer accepts (2^31 - 1 ms, a signed 32-bit count, as in Node and browsers). */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export const PROTECTED_MODE_ERROR =
  '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you ' +
  'may adopt one of the following solutions: 1) Just disable protected mode sending the command ' +
  "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, " +
  'however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. ' +
  "2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', " +
  "and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
  '4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server ' +
  'to start accepting connections from the outside.\r\n';

function fmtAddr(ip: string, port: number): string {
  return ip.includes(':') ? `${ip}:${port}` : `${ip}:${port}`;
}

function strBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}
