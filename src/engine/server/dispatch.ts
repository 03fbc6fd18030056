/**
 * Command dispatch: from parsed argv to executed command, following processCommand() and
 * call() in server.c.
 *
 * processCommand checks, in Redis's order (the first failing check wins, and tools rely on the
 * order): unknown command/subcommand, arity, DEBUG protection, NOAUTH, commands forbidden in
 * MULTI, cluster redirection, MISCONF, NOREPLICAS, READONLY, the RESP2 pub/sub context,
 * MASTERDOWN, LOADING, replicas touching the keyspace, client pause. Then the command is either
 * queued (inside MULTI) or run by call(), which measures it, feeds MONITORs and the slowlog,
 * and propagates it to the AOF and replicas if it changed the dataset.
 */
import type { Client } from './client';
import type { RedisServer } from './server';
import type { CommandSpec } from '../commands/table';
import { repr } from '../util/repr';
import { latencyAddSampleIfNeeded } from './latency-monitor';
import { recordCommandLatency } from './command-latency';

/** Parse and run everything complete in the client's query buffer. */
export function processInput(server: RedisServer, c: Client): void {
  while (c.parser.pendingBytes > 0) {
    if (c.blocked || c.closeAfterReply || c.closeAsap || !server.clients.has(c.id) && c.socket) break;
    const r = c.parser.next({
      protoMaxBulkLen: server.config.get<number>('proto-max-bulk-len'),
      authRequired: c.authRequired(),
      isMaster: c.isMaster,
    });
    if (r.kind === 'incomplete') break;
    if (r.kind === 'error') {
      c.replyError(r.message);
      if (c.isMaster) {
        server.log.warning(`Protocol error (${r.logReason}) from client: ${server.clientInfoString(c)}.`);
      } else {
        server.log.verbose(`Protocol error (${r.logReason}) from client: ${server.clientInfoString(c)}.`);
      }
      c.close();
      break;
    }
    if (r.kind === 'empty') {
      if (c.isMaster) server.masterStreamApplied?.(c, null, r.bytes);
      if (r.inline && c.isReplica) c.repl.ackTimeMs = server.nowMs();
      continue;
    }
    processCommand(server, c, r.argv);
    if (c.isMaster && !c.blocked) server.masterStreamApplied?.(c, r.argv, r.bytes);
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

/** execCommandAbort(): discard and reply EXECABORT with the reason. */
export function execAbort(c: Client, err: string): void {
  discardTransaction(c);
  const reason = err.startsWith('-') ? err.slice(1) : err;
  c.replyError(`-EXECABORT Transaction discarded because of: ${reason}`);
}

export function discardTransaction(c: Client): void {
  c.multiQueue = [];
  c.multiFlags.clear();
  c.inMulti = false;
  c.dirtyCas = false;
  c.dirtyExec = false;
  c.server.unwatchAll(c);
}

function hasFlag(cmd: CommandSpec, f: string): boolean {
  return (cmd.flags as string[]).includes(f);
}

/** Commands allowed in the RESP2 subscribed context. */
const PUBSUB_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
/** Commands executed immediately even inside MULTI. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

export function processCommand(server: RedisServer, c: Client, argv: string[]): void {
  c.argv = argv;
  const cmd = server.table.lookup(argv);
  c.cmd = cmd ?? null;
  if (cmd) c.lastCmd = cmd;

  if (!cmd) {
    if (server.table.isContainer(argv[0]) && argv.length > 1) {
      reject(c, null, `unknown subcommand '${argv[1].slice(0, 128)}'. Try ${argv[0].toUpperCase()} HELP.`);
    } else {
      let args = '';
      for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${argv[i].slice(0, 128 - args.length)}' `;
      reject(c, null, `unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${args}`);
    }
    return;
  }
  if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
    reject(c, cmd, `wrong number of arguments for '${cmd.fullname}' command`);
    return;
  }
  if (hasFlag(cmd, 'protected')) {
    const setting = server.config.get<string>(cmd.name === 'debug' ? 'enable-debug-command' : 'enable-module-command');
    if (!(setting === 'yes' || (setting === 'local' && c.isLocal))) {
      const what = cmd.name === 'debug' ? 'DEBUG' : 'MODULE';
      reject(c, cmd, `${what} command not allowed. If the ${cmd.name === 'debug' ? 'enable-debug-command' : 'enable-module-command'} option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`);
      return;
    }
  }

  const isExec = cmd.name === 'exec' && !cmd.parent;
  const isWrite = hasFlag(cmd, 'write') || (isExec && c.multiFlags.has('write'));
  const isRead = hasFlag(cmd, 'readonly') || (isExec && c.multiFlags.has('readonly'));
  const denyStale = !hasFlag(cmd, 'stale') || (isExec && c.multiFlags.has('!stale'));
  const denyLoading = !hasFlag(cmd, 'loading') || (isExec && c.multiFlags.has('!loading'));
  const mayReplicate = isWrite || hasFlag(cmd, 'may_replicate') || (isExec && c.multiFlags.has('may_replicate'));
  const obeyClient = c.isMaster || c.id === -1;

  if (c.authRequired() && !hasFlag(cmd, 'no_auth')) {
    reject(c, cmd, '-NOAUTH Authentication required.');
    return;
  }
  if (c.inMulti && hasFlag(cmd, 'no_multi')) {
    reject(c, cmd, 'Command not allowed inside a transaction');
    return;
  }
  if (server.guards.clusterRedirect && !obeyClient && server.guards.clusterRedirect(c, cmd, argv)) {
    if (cmd.stats) cmd.stats.rejectedCalls++;
    return;
  }
  const diskError = server.guards.diskError?.();
  if (diskError && (isWrite || cmd.name === 'ping') && !obeyClient) {
    reject(c, cmd, diskError);
    return;
  }
  if (isWrite && server.guards.goodReplicas && !server.guards.goodReplicas()) {
    reject(c, cmd, '-NOREPLICAS Not enough good replicas to write.');
    return;
  }
  if (server.masterHost && server.config.get<boolean>('replica-read-only') && !obeyClient && isWrite) {
    reject(c, cmd, "-READONLY You can't write against a read only replica.");
    return;
  }
  if (c.inPubSub && c.resp === 2 && !PUBSUB_ALLOWED.has(cmd.name)) {
    reject(c, cmd, `Can't execute '${cmd.fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`);
    return;
  }
  if (server.masterHost && server.replState !== 'connected' && !server.config.get<boolean>('replica-serve-stale-data') && denyStale) {
    reject(c, cmd, "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
    return;
  }
  if (server.loading && denyLoading) {
    reject(c, cmd, '-LOADING Redis is loading the dataset in memory');
    return;
  }
  if (c.isReplica && !c.isMonitor && (mayReplicate || isWrite || isRead)) {
    reject(c, cmd, "Replica can't interact with the keyspace");
    return;
  }
  if (!c.isReplica && server.clientsPaused() && (!server.pauseWriteOnly || mayReplicate)) {
    server.postponeClient(c, argv);
    return;
  }

  if (c.inMulti && !MULTI_IMMEDIATE.has(cmd.name)) {
    c.multiQueue.push({ cmd, argv });
    for (const f of cmd.flags) c.multiFlags.add(f);
    if (!hasFlag(cmd, 'stale')) c.multiFlags.add('!stale');
    if (!hasFlag(cmd, 'loading')) c.multiFlags.add('!loading');
    c.replyStatus('QUEUED');
    return;
  }
  call(server, c, cmd, argv);
  // Serve clients blocked on keys this command made ready before the next command runs.
  if (server.readyKeys.size > 0 && !server.inNestedCall) server.handleClientsBlockedOnKeys();
}

/**
 * Execute a command: stats, slowlog, MONITOR feed, propagation. Used by processCommand and
 * EXEC (with `fromExec`: nothing is propagated until the whole transaction ran).
 */
export function call(server: RedisServer, c: Client, cmd: CommandSpec, argv: string[]): void {
  const dirtyBefore = server.dirty;
  const errorsBefore = c.errorReplies;
  const prevClient = server.currentClient;
  const prevCmd = c.cmd;
  const prevArgv = c.argv;
  server.currentClient = c;
  c.cmd = cmd;
  c.argv = argv;
  c.propagateArgv = null;
  c.preventPropagation = false;
  server.enterCall();
  const startUs = server.os.nowUs();
  try {
    cmd.handler!(c, argv);
  } finally {
    const durationUs = Math.max(0, server.os.nowUs() - startUs);
    const dirty = server.dirty - dirtyBefore;
    const stats = cmd.stats!;
    if (c.errorReplies > errorsBefore) stats.failedCalls++;
    latencyAddSampleIfNeeded(server, hasFlag(cmd, 'fast') ? 'fast-command' : 'command', Math.floor(durationUs / 1000));
    // A command that blocked still counts as a call (Redis counts calls unconditionally);
    // its slowlog entry and latency histogram sample are written when it is unblocked.
    if (!c.blocked) {
      slowlogPush(server, c, argv, durationUs);
      recordCommandLatency(server, cmd, durationUs);
    }
    stats.calls++;
    stats.usec += durationUs;
    if (!hasFlag(cmd, 'skip_monitor') && !hasFlag(cmd, 'admin')) feedMonitors(server, c, c.db.id, argv);
    if (dirty > 0 && !c.preventPropagation && !(cmd.name === 'exec' && !cmd.parent)) {
      server.pendingPropagation.push({ dbId: c.db.id, argv: c.propagateArgv ?? argv });
    }
    server.stats.numCommands++;
    server.exitCall();
    if (!server.inNestedCall) server.propagatePendingCommands();
    server.currentClient = prevClient;
    if (server.inNestedCall) { c.cmd = prevCmd; c.argv = prevArgv; }
  }
}

/** Send the command to MONITOR clients: +<sec.usec> [<db> <addr>] "arg" ... */
export function feedMonitors(server: RedisServer, c: Client, dbId: number, argv: string[]): void {
  if (server.monitors.size === 0 || server.loading) return;
  const us = server.os.nowUs();
  const sec = Math.floor(us / 1e6);
  const usec = Math.floor(us - sec * 1e6);
  const who = c.id === -1 ? 'lua' : c.addr;
  const line = `+${sec}.${String(usec).padStart(6, '0')} [${dbId} ${who}] ${argv.map(repr).join(' ')}\r\n`;
  for (const m of server.monitors) if (m !== c) m.replyRaw(line);
}

/** SLOWLOG: record commands slower than slowlog-log-slower-than microseconds. */
export function slowlogPush(server: RedisServer, c: Client, argv: string[], durationUs: number): void {
  const threshold = server.config.get<number>('slowlog-log-slower-than');
  if (threshold < 0) return;
  const cmd = c.cmd;
  if (cmd && hasFlag(cmd, 'skip_slowlog')) return;
  const max = server.config.get<number>('slowlog-max-len');
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
