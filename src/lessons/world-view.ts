/**
 * The lessons' only contact with the simulated world. Two interfaces:
 *
 * - `WorldView`: a read-only, omniscient look at the world at the current virtual instant. Checks
 *   read it. It is an observer, not a client: reading a role or a key here sends nothing over
 *   the simulated network, costs no virtual time, and sees through partitions (a partitioned
 *   master still reports `role: master`). A powered-off host or a dead process has nothing to
 *   report (`redis()` returns null).
 * - `WorldDriver`: what the autopilot (and later the lesson panel) uses to act: type a line into
 *   a host's terminal, apply a world action (wait, partition, power, link faults, load
 *   generator) and run the clock until a condition holds.
 *
 * A `WorldFactory` builds a world from a lesson's topology (`WorldSpec`) and a seed. The real
 * implementation lives over `src/sim`; `test/lessons/fake-world.ts` is a small scripted stand-in
 * used to prove the lesson machinery.
 *
 * Text crossing this boundary is ordinary JS text: the implementation decodes the engine's byte
 * strings as UTF-8 (lossily for binary data such as dump.rdb).
 */

// ---------------------------------------------------------------------------------------------
// Reading

export interface HostView {
  name: string;
  /** The host's IPv4 addresses from the topology (loopback not included). */
  ips: readonly string[];
  /** False while powered off. */
  up: boolean;
}

export interface ProcessView {
  pid: number;
  /** Program name, e.g. "redis-server" (basename of argv[0]). */
  name: string;
  argv: readonly string[];
  /**
   * False for a process that has ended but is still remembered (the view keeps ended processes
   * of the current boot so a check can say "it died"); a world may also simply drop them.
   */
  alive: boolean;
}

export type KeyType = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

export interface KeyView {
  type: KeyType;
  /** The value of a string key; null for the other types. */
  value: string | null;
  /** STRLEN, LLEN, HLEN, SCARD, ZCARD or XLEN, by type. */
  length: number;
  /** Remaining time to live in ms, or null for a key without expiry. */
  ttlMs: number | null;
}

/** One Redis-protocol server (redis-server or redis-sentinel) that is running. */
export interface RedisView {
  /** The first element of ROLE: "master", "slave" or "sentinel". */
  role(): 'master' | 'slave' | 'sentinel';
  /**
   * `INFO <section>` parsed into field → value text (`connected_slaves` → "2",
   * `slave0` → "ip=10.0.0.2,port=6379,state=online,offset=42,lag=0"). The section name is
   * lower case ("replication", "persistence", "sentinel", ...); "everything" gives all fields.
   * A section the server does not have gives an empty record.
   */
  info(section: string): Readonly<Record<string, string>>;
  /** `CONFIG GET name` value as text, or null when the server has no such parameter. */
  config(name: string): string | null;
  /** The key in database `db`, or null if it does not exist (expired keys do not exist). */
  key(db: number, name: string): KeyView | null;
  dbsize(db: number): number;
  /** Everything the process has logged so far (its logfile, or its stdout when logfile is ""). */
  log(): string;
  /**
   * CLUSTER INFO parsed into field → value text (`cluster_state` → "ok",
   * `cluster_known_nodes` → "6"), or null when the server is not in cluster mode.
   */
  clusterInfo(): Readonly<Record<string, string>> | null;
}

export interface FileView {
  size: number;
  /**
   * The contents as a process reading the file now would see them (page cache included, so a
   * write that is not yet fsynced is visible until a power-off drops it).
   */
  text(): string;
}

/**
 * One entry of the world's append-only trace. Sentinel events use Redis's own names
 * (`+sdown`, `+switch-master`, ... with the text Redis logs after the name as `text`). The
 * simulation documents its other kinds (replication, faults, typed commands).
 */
export interface TraceEvent {
  /** Virtual time in ms since the world was built. */
  atMs: number;
  kind: string;
  /** The host the event happened on, and the port of the process that emitted it, if any. */
  host: string;
  port?: number;
  text: string;
}

export interface LoadgenCounters {
  running: boolean;
  /** Writes the load generator got an OK for. */
  acked: number;
  /** Acknowledged writes that are no longer in the dataset of the current master. */
  lost: number;
  /**
   * When each lost write was found missing (virtual ms since the world was built), for
   * `lost_writes(after=...)`; a world that does not time them leaves it out.
   */
  lostAtMs?: readonly number[];
  /** Writes that got an error reply or no reply. */
  errors: number;
  /**
   * Through sentinels: the master ("ip:port") the load generator writes to now, null while it
   * has none; and the reads it made from replicas (`--reads`). A world without them leaves them out.
   */
  master?: string | null;
  reads?: number;
}

export interface WorldView {
  /** Virtual time in ms since the world was built. */
  now(): number;
  hosts(): readonly HostView[];
  /** Processes of the host's current boot; none while it is powered off. */
  processes(host: string): readonly ProcessView[];
  /** Ports on which a Redis-protocol server runs on this host (servers and sentinels). */
  redisPorts(host: string): readonly number[];
  /** The server listening on host:port, or null when none is running there or the host is down. */
  redis(host: string, port: number): RedisView | null;
  /** The file at an absolute path, or null when it does not exist. */
  file(host: string, path: string): FileView | null;
  trace(): readonly TraceEvent[];
  loadgen(): LoadgenCounters;
}

// ---------------------------------------------------------------------------------------------
// Acting

/** World actions, as written in solutions and fault schedules. Host names are topology names. */
export type WorldAction =
  | { kind: 'wait'; ms: number }
  /** Cut every link between a host of one group and a host of another group. */
  | { kind: 'partition'; groups: string[][] }
  /** Remove all partitions and link faults (latency, loss back to the topology's defaults). */
  | { kind: 'heal' }
  | { kind: 'poweroff'; host: string }
  | { kind: 'poweron'; host: string }
  /** One-way latency added to the link a<->b in both directions. */
  | { kind: 'latency'; a: string; b: string; ms: number }
  /** Packet loss on the link a<->b, 0..100 percent. */
  | { kind: 'loss'; a: string; b: string; percent: number }
  | { kind: 'loadgen'; run: boolean };

/** What a host's terminal is waiting for after a typed line. */
export type TerminalState =
  /** The shell prompt is back. */
  | 'shell'
  /** An interactive program (redis-cli) is in the foreground and waits for a line. */
  | 'program'
  /** The command is still running and not waiting for input (it outlived the timeout). */
  | 'busy';

export interface TypedResult {
  /** What the terminal printed for this line. */
  output: string;
  /** Exit status of a finished shell command; null while a program is still in the foreground. */
  exitCode: number | null;
  state: TerminalState;
}

/**
 * A typed line that did not come back because it cut its own machine's power
 * (`echo o > /proc/sysrq-trigger`): its terminal closed with the host, nothing is still running.
 */
export function cutOwnPower(view: WorldView, host: string, r: TypedResult): boolean {
  return r.state === 'busy' && view.hosts().some((h) => h.name === host && !h.up);
}

export interface WorldDriver {
  readonly view: WorldView;
  /**
   * Type one line into the host's terminal as a learner would and run the clock until it is
   * done: the shell prompt is back, or the foreground program (an interactive redis-cli) waits
   * for its next line. Lines typed while a program is in the foreground go to that program
   * (`exit` leaves redis-cli). Gives up after `timeoutMs` of virtual time with state 'busy'.
   */
  type(host: string, line: string, timeoutMs: number): Promise<TypedResult>;
  /** Apply a world action; `wait` runs the clock for that long. */
  act(action: WorldAction): Promise<void>;
  /**
   * Run the clock until `condition` (read over `view`) holds, testing it after every event the
   * world processes, or until `timeoutMs` of virtual time passed. Resolves whether it held.
   */
  waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean>;
  /** Release the world (workers, timers). */
  dispose(): void;
}

// ---------------------------------------------------------------------------------------------
// Building

export type DiskPreset = 'ssd' | 'hdd' | 'slow';

export interface HostSpec {
  name: string;
  ips: string[];
  disk: DiskPreset;
  /** Absolute path → text contents. Parent directories are created. */
  files: Record<string, string>;
  /** Extra empty directories to create. */
  dirs: string[];
  /** Shell lines started in the background, in order, when the host boots (like init scripts). */
  boot: string[];
  /**
   * A power loss tears the last write that was not yet on disk: the file keeps only part of
   * it (a half-written AOF record), instead of losing it whole.
   */
  tornWrites?: boolean;
}

export interface NetworkSpec {
  /** One-way latency of every link in ms, or null for the simulation's default. */
  latencyMs: number | null;
  /** Bandwidth of every link in bytes per second, or null for the simulation's default. */
  bandwidthBytesPerSec: number | null;
}

export type FaultAction = WorldAction | { kind: 'shell'; host: string; line: string };

export interface ScheduledFault {
  /** Virtual time since the world was built. */
  atMs: number;
  action: FaultAction;
}

export interface LoadgenSpec {
  /** Host the load generator runs on (it sees the network from there). */
  host: string;
  /** Either a fixed address (ip:port), or sentinels to ask for the named master. */
  target: { address: string } | { sentinels: string[]; master: string };
  /** Writes per second of virtual time. */
  ratePerSec: number;
  /** Size of the key space written round-robin (keys `loadgen:0` .. `loadgen:<keys-1>`). */
  keys: number;
  /** Start when the world is built, or only on a `loadgen start` action. */
  autostart: boolean;
}

export interface WorldSpec {
  hosts: HostSpec[];
  network: NetworkSpec;
  faults: ScheduledFault[];
  loadgen: LoadgenSpec | null;
}

/** Builds and boots a world (hosts, files, boot lines at t=0, fault schedule, load generator). */
export type WorldFactory = (spec: WorldSpec, seed: number) => Promise<WorldDriver>;
