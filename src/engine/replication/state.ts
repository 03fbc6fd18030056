/**
 * Per-server replication state: what server.h keeps for both roles (master: replicas, the
 * backlog, the replication stream's selected db, WAIT clients, the diskless transfer; replica:
 * the master client, the cached master, the transfer in progress) plus the statistics INFO
 * prints. It is attached to a RedisServer without widening its class; the few fields other
 * subsystems read directly (masterHost/masterPort, replState, masterReplOffset, replId,
 * replId2, secondReplOffset) stay on the server.
 */
import type { RedisServer } from '../server/server';
import type { Client } from '../server/client';
import type { Socket, ChildProcess } from '../os';
import type { ReplBuffer } from './backlog';
import type { RdbLoad } from '../persistence/rdb-load';
import type { Db } from '../keyspace/db';

/** Master-side replica states (server.h SLAVE_STATE_*). */
export type ReplicaSyncState = 'wait_bgsave_start' | 'wait_bgsave_end' | 'send_bulk' | 'online' | 'rdb_transmitted';

/** Replica requirements (SLAVE_REQ_*): a filtered RDB for redis-cli --functions-rdb. */
export const REQ_RDB_EXCLUDE_DATA = 1;
export const REQ_RDB_EXCLUDE_FUNCTIONS = 2;

/** What a master knows about one of its replicas (the CLIENT_SLAVE part of `client`). */
export interface ReplicaInfo {
  /** Set once the client ran SYNC/PSYNC (it is in the replicas list). */
  state?: ReplicaSyncState;
  capaEof?: boolean;
  capaPsync2?: boolean;
  /** REPLCONF listening-port (slave_listening_port). */
  listeningPort?: number;
  /** REPLCONF ip-address (slave_addr). */
  announcedIp?: string;
  /** REPLCONF ACK offset and the time of the last ACK or newline (ms). */
  ackOff?: number;
  ackTimeMs?: number;
  /** Offset reported in +FULLRESYNC. */
  psyncInitialOffset?: number;
  /** Next stream byte to send to this replica (its reference into the shared buffer). */
  nextOffset?: number;
  /** Diskless: the command stream starts at the first ACK after the RDB. */
  startCmdStreamOnAck?: boolean;
  /** Came with SYNC (CLIENT_PRE_PSYNC): no ACKs expected, no +FULLRESYNC line. */
  prePsync?: boolean;
  /** REPLCONF rdb-only 1. */
  rdbOnly?: boolean;
  /** REPLCONF rdb-filter-only requirements. */
  req?: number;
  /** Bulk transfer in progress (disk: file bytes; diskless: the shared stream). */
  bulk?: { bytes: Uint8Array; sent: number } | null;
  /** Last time a write to it stayed partial (diskless timeout, seconds). */
  lastPartialWriteSec?: number;
  /** Output buffer soft-limit tracking (obuf_soft_limit_reached_time, seconds). */
  softLimitSinceSec?: number;
}

/** The replica's view of its master's stream (server.master / server.cached_master). */
export interface MasterLink {
  client: Client | null;
  replid: string;
  /** Applied offset (reploff) and read offset (read_reploff). */
  reploff: number;
  readReploff: number;
  /** Database selected by the stream. */
  dbId: number;
  /**
   * Bytes read from the master and not yet counted as applied (Redis's querybuf from
   * repl_applied on): when commands are applied, that many bytes are proxied as they came.
   */
  unapplied: Uint8Array[];
  /** The master answered SYNC, not PSYNC (CLIENT_PRE_PSYNC): no offsets, no ACKs. */
  prePsync?: boolean;
}

/** The bulk transfer a replica is receiving (REPL_STATE_TRANSFER). */
export interface IncomingTransfer {
  /** -1 until the `$<len>` / `$EOF:<mark>` line arrived. */
  size: number;
  read: number;
  useMark: boolean;
  eofMark: string;
  /** The payload received so far (`buf.subarray(0, read)`), sized from `$<len>` when known. */
  buf: Uint8Array;
  /** Temp file for a disk load (temp-<unixtime>.<pid>.rdb). */
  tmpfile: string | null;
  /** Bytes that arrived after the payload (the stream), kept for the master client. */
  rest: Uint8Array[];
  lastFsyncOff: number;
  /**
   * A diskless load (useDisklessLoad() when the `$` line came): Redis parses the RDB from the
   * socket while it arrives, so the LOADING state (or async loading) starts with the first
   * payload bytes, not at the end of the transfer.
   */
  diskless?: { started: boolean; swapdb: boolean; async: boolean };
  /**
   * The diskless load's parser (rdbLoadRio on the connection): records are loaded as they
   * arrive, `into` the temp dbs for swapdb; `done` once the image ended.
   */
  parser?: {
    load: RdbLoad;
    into?: { dbs: Db[]; functions: string[] };
    done: boolean;
    /** A parse is under way (it yields to the event loop every loading-process-events-interval-bytes). */
    running: boolean;
    /** The bytes there were when a record could not be finished: wait for twice as many. */
    stuckAt: number;
    /** Keys loaded + expired already paced (key-load-delay). */
    itemsPaced: number;
    paused: boolean;
  };
  /** The whole payload has arrived (its size or its EOF mark). */
  complete?: boolean;
}

/** A diskless transfer: the RDB with EOF marks sent by the parent on behalf of the child. */
export interface SocketTransfer {
  child: ChildProcess;
  pid: number;
  replicas: Client[];
  payload: { readonly length: number; slice(from: number, to: number): Uint8Array };
  /** Each replica's progress. */
  sent: Map<Client, number>;
  /**
   * How far the parent has read the pipe (rdb_pipe_buff's end): it reads the next 16 KB only
   * once every replica took the last, so the fastest replica gets no further ahead than that.
   */
  pipeReadBytes: number;
  /** The child's exit, noticed by the cron (checkChildrenDone). */
  exit: { code: number; signal: string | null } | null;
  release: (() => void) | null;
  doneReading: boolean;
  startMs: number;
  /**
   * How many bytes of the payload the child has written into the pipe by `nowMs`: with
   * rdb-key-save-delay it sleeps after every key, so the RDB reaches the parent (and the
   * replicas) that slowly.
   */
  producedBytes(nowMs: number): number;
  /** When, after `nowMs`, the child will have written the next buffer's worth (or finished). */
  nextProducedMs(nowMs: number): number;
  /** A timer set to pump again once the child has produced more. */
  paceTimer: boolean;
}

export type FailoverState = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';

export class ReplicationState {
  // ---- master side ----
  readonly replicas: Client[] = [];
  /** The shared buffer / backlog, null when there is no backlog (repl_backlog == NULL). */
  backlog: ReplBuffer | null = null;
  /** server.slaveseldb: the db the stream last selected, -1 to force a SELECT. */
  slaveSelDb = -1;
  /** Seconds since the epoch when the last replica went away (repl_no_slaves_since). */
  noSlavesSinceSec = 0;
  goodSlavesCount = 0;
  getAckFromSlaves = false;
  readonly waitingAcks: Client[] = [];
  /** RDB child for replication: 'disk' (a BGSAVE) or 'socket' (diskless). */
  socketTransfer: SocketTransfer | null = null;
  /** rdb_child_type while an RDB child runs. */
  rdbChildType: 'none' | 'disk' | 'socket' = 'none';
  /** replication_cron_loops. */
  cronLoops = 0;
  statSyncFull = 0;
  statSyncPartialOk = 0;
  statSyncPartialErr = 0;

  // ---- replica side ----
  master: MasterLink | null = null;
  cachedMaster: MasterLink | null = null;
  /** server.master_replid / master_initial_offset from +FULLRESYNC. */
  masterReplid = '';
  masterInitialOffset = -1;
  /** The socket of the handshake and transfer (repl_transfer_s). */
  transferSocket: Socket | null = null;
  transfer: IncomingTransfer | null = null;
  /** repl_transfer_lastio (ms). */
  transferLastIoMs = 0;
  /** repl_down_since (seconds, 0 = never up). */
  downSinceSec = 0;

  /** Callbacks between the halves (set by index.ts; per server, never module-global). */
  readonly callbacks: { unsetMaster?: () => void; psyncAccepted?: () => void; psyncRejected?: () => void } = {};

  // ---- failover ----
  failoverState: FailoverState = 'no-failover';
  failoverEndMs = 0;
  forceFailover = false;
  targetHost: string | null = null;
  targetPort = 0;
}

const states = new WeakMap<RedisServer, ReplicationState>();

export function replState(server: RedisServer): ReplicationState {
  let s = states.get(server);
  if (!s) { s = new ReplicationState(); states.set(server, s); }
  return s;
}

/** The master-side replication info of a client (c.repl). */
export function replicaInfo(c: Client): ReplicaInfo {
  return c.repl as ReplicaInfo;
}

/** A client in the replicas list (CLIENT_SLAVE and not MONITOR). */
export function isReplicaClient(c: Client): boolean {
  return c.isReplica && !c.isMonitor;
}

export function unixtime(server: RedisServer): number {
  return Math.floor(server.os.now() / 1000);
}
