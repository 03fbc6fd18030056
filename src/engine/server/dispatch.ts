/**
 * Command dispatch: from parsed argv to executed command, following processInputBuffer(),
 * processCommand(), call() and resetClient() in networking.c / server.c.
 *
 * processCommand checks, in Redis's order (the first failing check wins, and tools rely on the
 * order): the HTTP cross-protocol guard (POST / Host:), unknown command/subcommand, arity,
 * DEBUG protection, NOAUTH, commands forbidden in MULTI, cluster redirection, MISCONF,
 * NOREPLICAS, READONLY, the RESP2 pub/sub context, MASTERDOWN, LOADING, replicas touching the
 * keyspace, client pause. Then the command is either queued (inside MULTI: everything except
 * EXEC, DISCARD, MULTI, WATCH, QUIT and RESET) or run by call(), which measures it, feeds
 * MONITORs and the slowlog, and collects what it changed for the AOF and replicas. Writes are
 * propagated when the outermost call() returns, several of them (a transaction, or a command
 * plus the DELs of keys it found expired) wrapped in MULTI/EXEC.
 *
 * A rejected command inside MULTI flags the transaction (EXECABORT at EXEC time); a rejected
 * EXEC discards the transaction. After each command the per-command client state is reset
 * (CLIENT REPLY SKIP takes effect for exactly the next command, ASKING and CLIENT CACHING last
 * one command), except for blocked clients, which are reset once unblocked.
 */
import { sdsAllocFor } from './clients-cron';
import { aclCheckOrError } from '../commands/acl';
import type { Client } from './client';
import type { RedisServer } from './server';
import { FLAG_BIT, type CommandFlag, type CommandSpec } from '../commands/table';
import type { ParserLimits } from '../resp/request-parser';
import { repr } from '../util/repr';
import { handlePendingInvalidations, limitUsedSlots, rememberKeys } from './tracking';
import { performEvictions } from './evict';
import { afterReplyAppended, evictClients, updateClientMemUsageAndBucket } from './client-eviction';
import { latencyAddSampleIfNeeded } from './latency-monitor';
import { recordCommandLatency } from './command-latency';
import { COMMAND_CPU_MS } from './cpu-cost';
import { noteParentWrites } from '../persistence/state';

/** Scripts run read-only: tracking looks at the commands they run, not at them. */
const READONLY_SCRIPT_COMMANDS = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

/** PROTO_MBULK_BIG_ARG. */
const BIG_ARG_BYTES = 32 * 1024;

/** The parser limits, refilled before every request instead of allocated. */
const limits: ParserLimits = { protoMaxBulkLen: 0, authRequired: false, isMaster: false };

/** Parse and run everything complete in the client's query buffer. */
export function processInput(server: RedisServer, c: Client): void {
  // Redis trims the query buffer only after the whole read was processed, so commands see it.
  c.qbufLen = c.parser.pendingBytes;
  if (c.qbufLen > c.qbufPeak) c.qbufPeak = c.qbufLen;
  while (c.parser.pendingBytes > 0) {
    if (c.blocked || c.closeAfterReply || c.closeAsap || (!server.clients.has(c.id) && c.socket)) break;
    limits.protoMaxBulkLen = server.hot.protoMaxBulkLen;
    limits.authRequired = c.authRequired();
    limits.isMaster = c.isMaster;
    const r = c.parser.next(limits);
    if (r.kind === 'incomplete') break;
    if (r.kind === 'error') {
      if (!c.isMaster || !r.message.startsWith('Protocol error: master')) c.replyError(r.message);
      setProtocolError(server, c, r.logReason);
      break;
    }
    if (r.kind === 'empty') {
      if (c.isMaster) server.masterStreamApplied?.(c);
      if (r.inline && c.isReplica && !c.isMonitor) c.repl.ackTimeMs = server.nowMs();
      continue;
    }
    c.argvLenSum = 0;
    for (const a of r.argv) {
      c.argvLenSum += a.length;
      // PROTO_MBULK_BIG_ARG: the buffer becomes the argument, a new one of its size follows.
      if (a.length >= BIG_ARG_BYTES && !c.isMaster) c.qbufAlloc = a.length + 2;
    }
    processCommandAndReset(server, c, r.argv);
    if (c.isMaster && !c.blocked) server.masterStreamApplied?.(c);
  }
  if (server.clients.has(c.id)) {
    c.qbufLen = c.parser.pendingBytes;
    // PROTO_MBULK_BIG_ARG: once a big argument's length is known the query buffer is made room
    // for all of it (sdsMakeRoomForNonGreedy), so a half-sent argument holds its whole size.
    const bulkLen = c.parser.pendingBulkLen;
    if (bulkLen >= BIG_ARG_BYTES && !c.isMaster && c.qbufLen <= bulkLen + 2) {
      c.qbufAlloc = Math.max(c.qbufAlloc, sdsAllocFor(bulkLen + 2));
    }
    // A big argument still arriving: its memory counts now (processInputBuffer's last step).
    updateClientMemUsageAndBucket(server, c);
  }
}

/**
 * setProtocolError(): log (at verbose level, or warning for our master) with a sample of the
 * query buffer, and close the connection once the error reply is written.
 */
function setProtocolError(server: RedisServer, c: Client, reason: string): void {
  if (server.log.enabled('verbose') || c.isMaster) {
    const pending = c.parser.peekPending(Number.MAX_SAFE_INTEGER);
    const dumpLen = 128;
    let sample: string;
    const cstr = (b: Uint8Array) => {
      let s = '';
      for (const x of b) { if (x === 0) break; s += String.fromCharCode(x); }
      return s;
    };
    if (pending.length < dumpLen) {
      sample = `Query buffer during protocol error: '${cstr(pending)}'`;
    } else {
      sample = `Query buffer during protocol error: '${cstr(pending.subarray(0, dumpLen / 2))}' (... more ${pending.length - dumpLen} bytes ...) '${cstr(pending.subarray(pending.length - dumpLen / 2))}'`;
    }
    sample = sample.slice(0, 255).replace(/[^\x20-\x7e]/g, '.');
    const msg = `Protocol error (${reason}) from client: ${server.clientInfoString(c)}. ${sample}`;
    if (c.isMaster) server.log.warning(msg);
    else server.log.verbose(msg);
  }
  c.close();
}

/** processCommandAndResetClient(). */
export function processCommandAndReset(server: RedisServer, c: Client, argv: string[]): void {
  const prev = server.currentClient;
  server.currentClient = c;
  try {
    if (processCommand(server, c, argv) && !c.blocked) resetClient(c);
    // The reply the command produced counts at once (processCommandAndResetClient).
    afterReplyAppended(server, c);
  } finally {
    server.currentClient = prev;
  }
}

/**
 * resetClient(): forget the command's arguments and end the one-command client states
 * (CLIENT REPLY SKIP, ASKING, CLIENT CACHING).
 */
export function resetClient(c: Client): void {
  const prev = c.cmd;
  c.argv = [];
  c.argvLenSum = 0;
  c.redactedArgs = null;
  if (!c.inMulti && prev?.name !== 'asking') c.asking = false;
  const wasClientCmd = !!prev && (prev.name === 'client' || prev.parent?.name === 'client');
  if (!c.inMulti && !wasClientCmd) c.trackingCaching = false;
  c.replySkip = false;
  if (c.replySkipNext) {
    c.replySkip = true;
    c.replySkipNext = false;
  }
}

/** Reject with an error (rejectCommand): flags an open transaction and counts rejected_calls. */
function reject(c: Client, cmd: CommandSpec | null, err: string): void {
  if (c.inMulti) c.dirtyExec = true;
  if (cmd?.stats) cmd.stats.rejectedCalls++;
  if (cmd && cmd.name === 'exec' && !cmd.parent) {
    execAbort(c, err);
  } else {
    c.replyError(err);
  }
}

/** execCommandAbort(): discard and reply EXECABORT with the reason; MONITORs see the EXEC. */
export function execAbort(c: Client, err: string): void {
  discardTransaction(c);
  const reason = err.startsWith('-') ? err.slice(1) : err;
  c.replyError(`-EXECABORT Transaction discarded because of: ${reason}`);
  feedMonitors(c.server, c, c.db.id, c.argv);
}

/** discardTransaction(): forget the queue, the MULTI/dirty flags and every WATCH. */
export function discardTransaction(c: Client): void {
  c.multiQueue = [];
  c.multiFlags.clear();
  c.multiArgvBytes = 0;
  c.multiAllocCount = 0;
  c.inMulti = false;
  c.dirtyCas = false;
  c.dirtyExec = false;
  c.server.unwatchAll(c);
}

/** queueMultiCommand(): nothing is stored once the transaction is known to fail. */
function queueMultiCommand(c: Client, cmd: CommandSpec, argv: string[]): void {
  if (c.dirtyCas || c.dirtyExec) return;
  if (c.multiQueue.length === c.multiAllocCount) c.multiAllocCount = c.multiAllocCount === 0 ? 2 : c.multiAllocCount * 2;
  c.multiQueue.push({ cmd, argv });
  if (cmd.getFlags) {
    // getCommandFlags(): a queued EVAL/FCALL contributes its script's flags.
    const bits = cmd.getFlags(c.server, argv, cmd.flagBits ?? 0);
    for (const f of Object.keys(F) as CommandFlag[]) if (bits & F[f]) c.multiFlags.add(f);
    if (!(bits & F.stale)) c.multiFlags.add('!stale');
  } else {
    for (const f of cmd.flags) c.multiFlags.add(f);
    if (!hasFlag(cmd, F.stale)) c.multiFlags.add('!stale');
  }
  if (!hasFlag(cmd, F.loading)) c.multiFlags.add('!loading');
  c.multiArgvBytes += c.argvLenSum + 8 * argv.length;
  c.argvLenSum = 0;
}

/**
 * The flag bits as constants of one plain object (a copy of FLAG_BIT made once): checks read
 * `F.write`, a fixed-shape property load, several times per command.
 */
const F: Readonly<Record<CommandFlag, number>> = { ...FLAG_BIT };

function hasFlag(cmd: CommandSpec, bit: number): boolean {
  let bits = cmd.flagBits;
  if (bits === undefined) bits = cmd.flagBits = cmd.flags.reduce((b, f) => b | F[f], 0);
  return (bits & bit) !== 0;
}

/** Commands allowed in the RESP2 subscribed context. */
const PUBSUB_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
/** Commands executed immediately even inside MULTI. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/** Commands that may lazily expire arbitrary keys: their DELs are not wrapped in MULTI. */
const TOUCHES_ARBITRARY_KEYS = new Set(['randomkey', 'scan']);

/** A byte string as C's "%.Ns" prints it: up to the first NUL, at most `max` bytes. */
function cPrefix(s: string, max: number): string {
  const nul = s.indexOf('\0');
  return (nul >= 0 ? s.slice(0, nul) : s).slice(0, max);
}

/** ASCII-only toupper (sdstoupper in the C locale). */
function upperAscii(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** commandCheckExistence(): the "unknown command/subcommand" text. */
function unknownCommandError(server: RedisServer, argv: string[]): string {
  if (server.table.isContainer(argv[0]) && argv.length > 1) {
    return `unknown subcommand '${cPrefix(argv[1], 128)}'. Try ${upperAscii(cPrefix(argv[0], Infinity))} HELP.`;
  }
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${cPrefix(argv[i], 128 - args.length)}' `;
  return `unknown command '${cPrefix(argv[0], 128)}', with args beginning with: ${args}`;
}

/**
 * processCommand(). Returns false when the client was closed by the command (the HTTP
 * guard), true otherwise.
 */
export function processCommand(server: RedisServer, c: Client, argv: string[]): boolean {
  c.argv = argv;
  // Only a name starting with p/P or h/H can be "post" or "host:" (up to a NUL).
  const a0 = argv[0];
  const c0 = a0.charCodeAt(0) | 0x20;
  const name0 = c0 === 112 || c0 === 104 ? cPrefix(a0, Infinity).toLowerCase() : '';
  if (name0 === 'host:' || name0 === 'post') {
    const now = Math.floor(server.nowMs() / 1000);
    if (Math.abs(now - server.securityWarningLoggedSec) > 60) {
      server.log.warning('Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.');
      server.securityWarningLoggedSec = now;
    }
    c.closeAsap = true;
    server.markPendingWrite(c);
    return false;
  }

  const cmd = server.table.lookup(argv);
  c.cmd = cmd ?? null;
  c.lastCmd = cmd ?? null;

  if (!cmd) {
    reject(c, null, unknownCommandError(server, argv));
    return true;
  }
  if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
    reject(c, cmd, `wrong number of arguments for '${cmd.fullname}' command`);
    return true;
  }
  if (hasFlag(cmd, F.protected)) {
    const setting = server.config.get<string>(cmd.name === 'debug' ? 'enable-debug-command' : 'enable-module-command');
    if (!(setting === 'yes' || (setting === 'local' && c.isLocal))) {
      const what = cmd.name === 'debug' ? 'DEBUG' : 'MODULE';
      reject(c, cmd, `${what} command not allowed. If the ${cmd.name === 'debug' ? 'enable-debug-command' : 'enable-module-command'} option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`);
      return true;
    }
  }

  const isExec = cmd.name === 'exec' && !cmd.parent;
  // getCommandFlags(): EVAL of a script with a shebang runs under the script's flags.
  const bits = cmd.getFlags ? cmd.getFlags(server, argv, cmd.flagBits ?? 0) : (cmd.flagBits ?? 0);
  const isWrite = (bits & F.write) !== 0 || (isExec && c.multiFlags.has('write'));
  const isRead = (bits & F.readonly) !== 0 || (isExec && c.multiFlags.has('readonly'));
  const denyStale = (bits & F.stale) === 0 || (isExec && c.multiFlags.has('!stale'));
  const denyLoading = !hasFlag(cmd, F.loading) || (isExec && c.multiFlags.has('!loading'));
  const denyAsyncLoading = (bits & F.no_async_loading) !== 0 || (isExec && c.multiFlags.has('no_async_loading'));
  const mayReplicate = isWrite || (bits & F.may_replicate) !== 0 || (isExec && c.multiFlags.has('may_replicate'));
  const obeyClient = c.isMaster || c.id === -1;

  if (c.authRequired() && !hasFlag(cmd, F.no_auth)) {
    reject(c, cmd, '-NOAUTH Authentication required.');
    return true;
  }
  if (c.inMulti && hasFlag(cmd, F.no_multi)) {
    reject(c, cmd, 'Command not allowed inside a transaction');
    return true;
  }
  const aclError = aclCheckOrError(server, c, cmd, argv);
  if (aclError !== null) {
    reject(c, cmd, aclError);
    return true;
  }
  if (server.guards.clusterRedirect && !obeyClient && server.guards.clusterRedirect(c, cmd, argv)) {
    if (cmd.stats) cmd.stats.rejectedCalls++;
    return true;
  }
  // Disconnect the biggest clients if clients use too much memory, before evicting keys; a
  // command whose own client went stops here.
  evictClients(server);
  if (!server.clients.has(c.id) && c.socket) return true;
  if (server.hot.maxmemory) {
    const outOfMemory = performEvictions(server) === 'fail';
    server.preCommandOomState = outOfMemory;
    // Inside MULTI, queueing could use unbounded memory: refuse anything but EXEC/DISCARD/...
    const rejectOnOom = (bits & F.denyoom) !== 0 || (isExec && c.multiFlags.has('denyoom')) ||
      (c.inMulti && !['exec', 'discard', 'quit', 'reset'].includes(cmd.name));
    if (outOfMemory && rejectOnOom) {
      reject(c, cmd, "-OOM command not allowed when used memory > 'maxmemory'.");
      return true;
    }
  }
  if (server.tracking.clientsCount > 0) limitUsedSlots(server);
  const diskError = server.guards.diskError?.();
  if (diskError && (isWrite || cmd.name === 'ping') && !obeyClient) {
    reject(c, cmd, diskError);
    return true;
  }
  if (isWrite && server.guards.goodReplicas && !server.guards.goodReplicas()) {
    reject(c, cmd, '-NOREPLICAS Not enough good replicas to write.');
    return true;
  }
  if (server.masterHost && server.config.get<boolean>('replica-read-only') && !obeyClient && isWrite) {
    reject(c, cmd, "-READONLY You can't write against a read only replica.");
    return true;
  }
  if (c.resp === 2 && c.inPubSub && !(PUBSUB_ALLOWED.has(cmd.name) && !cmd.parent)) {
    reject(c, cmd, `Can't execute '${cmd.fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`);
    return true;
  }
  if (server.masterHost && server.replState !== 'connected' && !server.config.get<boolean>('replica-serve-stale-data') && denyStale) {
    reject(c, cmd, "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
    return true;
  }
  if (server.loading && !server.asyncLoading && denyLoading) {
    reject(c, cmd, '-LOADING Redis is loading the dataset in memory');
    return true;
  }
  // Async loading serves the old dataset: only what would disturb the load is refused.
  if (server.asyncLoading && denyAsyncLoading) {
    reject(c, cmd, '-LOADING Redis is loading the dataset in memory');
    return true;
  }
  if (server.busyScriptError !== null && (bits & F.allow_busy) === 0) {
    reject(c, cmd, server.busyScriptError);
    return true;
  }
  // MONITOR clients carry the replica flag too, so they are refused here as well.
  if (c.isReplica && (mayReplicate || isWrite || isRead)) {
    reject(c, cmd, "Replica can't interact with the keyspace");
    return true;
  }
  if (!c.isReplica && server.clientsPaused() && (!server.pauseWriteOnly || mayReplicate)) {
    server.postponeClient(c, argv);
    return true;
  }

  if (c.inMulti && !MULTI_IMMEDIATE.has(cmd.name)) {
    queueMultiCommand(c, cmd, argv);
    c.replyStatus('QUEUED');
    return true;
  }
  call(server, c, cmd, argv);
  // Serve clients blocked on keys this command made ready before the next command runs.
  if (server.readyKeys.size > 0 && !server.inNestedCall && !server.insideYieldingLongCommand()) server.handleClientsBlockedOnKeys();
  return true;
}

/** Errors counted so far when the last call() started (incrCommandStatsOnError's static). */
let prevErrCount = 0;

/**
 * incrCommandStatsOnError(cmd, REJECTED) for a command refused outside call() (a script's
 * redis.call): its error is accounted, so the enclosing command does not count it again.
 */
export function markErrorsAccounted(server: RedisServer): void {
  prevErrCount = server.stats.totalErrorReplies;
}

/**
 * Execute a command: stats, slowlog, MONITOR feed, propagation. Used by processCommand and by
 * EXEC (nested: what the queued commands change is propagated when EXEC returns).
 */
export function call(server: RedisServer, c: Client, cmd: CommandSpec, argv: string[]): void {
  const dirtyBefore = server.dirty;
  const prevClient = server.currentClient;
  const prevCmd = c.cmd;
  const prevArgv = c.argv;
  const prevPropagateArgv = c.propagateArgv;
  const prevPrevent = c.preventPropagation;
  const prevForce = c.forcePropagation;
  server.currentClient = c;
  c.cmd = cmd;
  c.argv = argv;
  c.propagateArgv = null;
  c.preventPropagation = false;
  c.forcePropagation = null;
  prevErrCount = server.stats.totalErrorReplies;
  server.enterCall();
  const startUs = server.os.nowUs();
  try {
    server.os.cpu?.(COMMAND_CPU_MS);
    cmd.handler!(c, argv);
  } catch (e: any) {
    // A bug in a command must not take the connection down or leave the client waiting
    // forever: log it and answer with an error, as the rest of the server keeps running.
    server.log.warning(`Internal error in '${cmd.fullname}': ${e?.stack ?? e}`);
    c.replyError(`internal error in '${cmd.fullname}': ${e?.message ?? e}`);
  } finally {
    server.chargeReplyItems();
    const durationUs = Math.max(0, server.os.nowUs() - startUs);
    const dirty = server.dirty - dirtyBefore;
    if (dirty > 0) noteParentWrites(server, dirty);
    const stats = cmd.stats!;
    if (server.stats.totalErrorReplies - prevErrCount > 0) stats.failedCalls++;
    prevErrCount = server.stats.totalErrorReplies;
    const shownArgv = redactedArgv(c, argv);
    if (!c.blocked) slowlogPush(server, c, shownArgv, durationUs);
    stats.calls++;
    stats.usec += durationUs;
    if (!c.blocked) recordCommandLatency(server, cmd, durationUs);
    else c.blocked.callUs = durationUs;
    if (server.hot.latencyMonitorThresholdMs) latencyAddSampleIfNeeded(server, hasFlag(cmd, F.fast) ? 'fast-command' : 'command', Math.floor(durationUs / 1000));
    if (server.monitors.size > 0 && !hasFlag(cmd, F.skip_monitor) && !hasFlag(cmd, F.admin)) feedMonitors(server, c, c.db.id, shownArgv);
    const isExec = cmd.name === 'exec' && !cmd.parent;
    if (!isExec && !c.preventPropagation && (dirty > 0 || c.forcePropagation)) {
      const op: { dbId: number; argv: string[]; target?: 'repl' | 'aof' } = { dbId: c.db.id, argv: c.propagateArgv ?? argv };
      const force = c.forcePropagation;
      if (dirty === 0 && force && force !== 'both') op.target = force;
      server.pendingPropagation.push(op);
    }
    // Client-side caching remembers the keys of a read-only command. A read-only script is not
    // looked at itself, only the commands it runs; a read inside a script makes the caller
    // track the keys its EVAL/FCALL declared (the caller's command), as Redis's call() does.
    if (hasFlag(cmd, F.readonly) && !hasFlag(cmd, F.pubsub) && !READONLY_SCRIPT_COMMANDS.has(cmd.fullname ?? cmd.name)) {
      const caller = c.scriptCaller ?? c;
      if (caller.tracking) {
        const [keysCmd, keysArgv] = caller === c || !caller.cmd ? [cmd, argv] : [caller.cmd, caller.argv];
        rememberKeys(server, caller, server.table.keyPositions(keysCmd, keysArgv).map((i) => keysArgv[i]));
      }
    }
    c.propagateArgv = prevPropagateArgv;
    c.preventPropagation = prevPrevent;
    c.forcePropagation = prevForce;
    server.stats.numCommands++;
    server.exitCall();
    if (!server.inNestedCall) {
      const direct = c.cmd;
      if (server.pendingPropagation.length > 0) server.propagatePendingCommands(!!direct && !direct.parent && TOUCHES_ARBITRARY_KEYS.has(direct.name));
      handlePendingInvalidations(server);
    }
    server.currentClient = prevClient;
    if (server.inNestedCall) { c.cmd = prevCmd; c.argv = prevArgv; }
  }
}

/** The argv MONITOR and SLOWLOG show: redacted arguments replaced by "(redacted)". */
function redactedArgv(c: Client, argv: string[]): string[] {
  if (!c.redactedArgs) return argv;
  const out = argv.slice();
  for (const i of c.redactedArgs) if (i < out.length) out[i] = '(redacted)';
  return out;
}

/** replicationFeedMonitors(): +<sec.usec> [<db> <addr>] "arg" ... */
export function feedMonitors(server: RedisServer, c: Client, dbId: number, argv: string[]): void {
  if (server.monitors.size === 0 || server.loading) return;
  const us = server.os.nowUs();
  const sec = Math.floor(us / 1e6);
  const usec = Math.floor(us - sec * 1e6);
  // replicationFeedMonitors: a unix socket client shows as "unix:<path>".
  const who = c.id === -1 ? 'lua' : c.unixSocket ? `unix:${server.config.get<string>('unixsocket')}` : c.addr;
  const line = `+${sec}.${String(usec).padStart(6, '0')} [${dbId} ${who}] ${argv.map(repr).join(' ')}\r\n`;
  for (const m of server.monitors) m.replyRaw(line);
}

/** SLOWLOG: record commands slower than slowlog-log-slower-than microseconds. */
export function slowlogPush(server: RedisServer, c: Client, argv: string[], durationUs: number): void {
  const threshold = server.hot.slowlogLogSlowerThanUs;
  if (threshold < 0) return;
  const cmd = c.cmd;
  if (cmd && hasFlag(cmd, F.skip_slowlog)) return;
  const max = server.hot.slowlogMaxLen;
  if (durationUs < threshold) {
    if (server.slowlog.length > max) server.slowlog.length = max;
    return;
  }
  const maxArgs = 32;
  let logged = argv.slice(0, argv.length > maxArgs ? maxArgs - 1 : argv.length).map((a) =>
    a.length > 128 ? `${a.slice(0, 128)}... (${a.length - 128} more bytes)` : a);
  if (argv.length > maxArgs) logged = [...logged, `... (${argv.length - maxArgs + 1} more arguments)`];
  server.slowlog.unshift({
    id: server.slowlogNextId++, t: Math.floor(server.nowMs() / 1000), us: Math.round(durationUs),
    argv: logged, addr: c.addr, name: c.name,
  });
  if (server.slowlog.length > max) server.slowlog.length = max;
}
