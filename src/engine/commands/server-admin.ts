/**
 * Server administration: TIME, LASTSAVE, SHUTDOWN, ROLE, WAIT, FAILOVER, LOLWUT.
 *
 * ROLE, WAIT and FAILOVER answer like a master without replicas; the replication subsystem
 * takes them over through `replicationCommandHooks` once it exists (it knows the replicas,
 * their offsets and the failover state machine).
 */
import type { Client } from '../server/client';
import type { RedisServer, ShutdownOptions } from '../server/server';
import { REDIS_VERSION, SHUTDOWN_SAVING, SHUTDOWN_WAITING } from '../server/server';
import { holdForReply } from '../server/async-reply';
import { cmd, type CommandSpec } from './table';
import { optEq } from './util';
import { string2ll } from '../util/numbers';

const G = { group: 'server', acl: [] as string[] };

/**
 * Replication's entry points for ROLE, WAIT and FAILOVER (set by the replication module;
 * absent means "a master with no replicas"). Each returns true when it handled the command.
 */
export interface ReplicationCommandHooks {
  role?: (c: Client) => boolean;
  wait?: (c: Client, numReplicas: number, timeoutMs: number) => boolean;
  failover?: (c: Client, opts: { host: string | null; port: number; timeoutMs: number; force: boolean }) => boolean;
  failoverAbort?: (c: Client) => boolean;
}
const replHooks = new WeakMap<RedisServer, ReplicationCommandHooks>();
export function replicationCommandHooks(s: RedisServer): ReplicationCommandHooks {
  let h = replHooks.get(s);
  if (!h) { h = {}; replHooks.set(s, h); }
  return h;
}

function time(c: Client): void {
  const us = Math.floor(c.server.os.nowUs());
  const sec = Math.floor(us / 1e6);
  c.replyArrayLen(2);
  c.replyBulk(String(sec));
  c.replyBulk(String(us - sec * 1e6));
}

function lastsave(c: Client): void {
  c.replyInt(Math.floor(c.server.lastSaveTimeMs / 1000));
}

/** Flags of SHUTDOWN / shutdown-on-sig* words. */
export function shutdownFlagsFromWords(words: string[]): ShutdownOptions {
  const o: ShutdownOptions = {};
  for (const w of words) {
    const l = w.toLowerCase();
    if (l === 'save') o.save = true;
    else if (l === 'nosave') o.nosave = true;
    else if (l === 'now') o.now = true;
    else if (l === 'force') o.force = true;
  }
  return o;
}

function shutdown(c: Client, argv: string[]): void {
  const o: ShutdownOptions = {};
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    if (optEq(argv[i], 'nosave')) o.nosave = true;
    else if (optEq(argv[i], 'save')) o.save = true;
    else if (optEq(argv[i], 'now')) o.now = true;
    else if (optEq(argv[i], 'force')) o.force = true;
    else if (optEq(argv[i], 'abort')) abort = true;
    else { c.replySyntaxError(); return; }
  }
  if ((abort && (o.nosave || o.save || o.now || o.force)) || (o.nosave && o.save)) {
    c.replySyntaxError();
    return;
  }
  const s = c.server;
  // A script past its time limit: only SHUTDOWN NOSAVE may end the server.
  if (!o.nosave && s.busyScriptError !== null) {
    c.replyError(s.busyScriptError);
    return;
  }
  if (abort) {
    if (s.abortShutdown()) c.replyOk();
    else c.replyError('No shutdown in progress.');
    return;
  }
  // On success the process is gone and the client gets no reply, like Redis.
  const result = s.shutdown({ ...o, waitForSave: s.callDepth === 1 });
  if (result === SHUTDOWN_SAVING) {
    // The final save goes on with the event loop blocked; only a failure gets a reply.
    const answer = holdForReply(c);
    s.shutdownSaveFailed = () => answer?.((c) => c.replyError('Errors trying to SHUTDOWN. Check logs.'));
    return;
  }
  if (result === SHUTDOWN_WAITING) {
    // Replicas are catching up: the client waits (blockClient BLOCKED_SHUTDOWN).
    s.blockClient(c, { kind: 'shutdown', dbId: c.db.id, keys: [], timeoutMs: 0, argv, cmd: c.cmd!, onTimeout: () => undefined });
    return;
  }
  if (result !== null) c.replyError('Errors trying to SHUTDOWN. Check logs.');
}

function role(c: Client): void {
  const s = c.server;
  if (replicationCommandHooks(s).role?.(c)) return;
  if (s.masterHost === null) {
    c.replyArrayLen(3);
    c.replyBulk('master');
    c.replyInt(s.masterReplOffset);
    c.replyArrayLen(0);
  } else {
    const states: Record<string, string> = { none: 'none', connect: 'connect', connecting: 'connecting', transfer: 'sync', connected: 'connected' };
    c.replyArrayLen(5);
    c.replyBulk('slave');
    c.replyBulk(s.masterHost);
    c.replyInt(s.masterPort);
    c.replyBulk(states[s.replState] ?? (s.replState.startsWith('receive') || s.replState.startsWith('send') ? 'handshake' : 'unknown'));
    c.replyInt(s.replState === 'connected' ? s.masterReplOffset : -1);
  }
}

const LLONG_MAX = 9223372036854775807;

/** getTimeoutFromObjectOrReply in milliseconds: absolute ms, 0 for "forever", null on error. */
function timeoutMsOrReply(c: Client, arg: string): number | null {
  const v = string2ll(arg);
  if (v === null) { c.replyError('timeout is not an integer or out of range'); return null; }
  if (v < 0) { c.replyError('timeout is negative'); return null; }
  if (v === 0) return 0;
  const now = c.server.os.now();
  if (v > LLONG_MAX - now) { c.replyError('timeout is out of range'); return null; }
  return now + v;
}

function wait(c: Client, argv: string[]): void {
  const s = c.server;
  if (s.masterHost !== null) {
    c.replyError('WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.');
    return;
  }
  const numReplicas = string2ll(argv[1]);
  if (numReplicas === null) { c.replyNotInteger(); return; }
  const timeout = timeoutMsOrReply(c, argv[2]);
  if (timeout === null) return;
  if (replicationCommandHooks(s).wait?.(c, numReplicas, timeout)) return;
  // No replica can acknowledge anything: reply now if nothing is needed (or inside MULTI),
  // else block until the timeout (forever with 0), then report the 0 acknowledgements.
  if (numReplicas <= 0 || c.inMulti || s.callDepth > 1) { c.replyInt(0); return; }
  s.blockClient(c, {
    kind: 'wait', dbId: c.db.id, keys: [], timeoutMs: timeout, argv, cmd: c.cmd!,
    waitOffset: s.masterReplOffset, waitReplicas: numReplicas,
    onTimeout: () => c.replyInt(0),
  });
}

function failover(c: Client, argv: string[]): void {
  const s = c.server;
  const hooks = replicationCommandHooks(s);
  if (s.clusterEnabled()) {
    c.replyError('FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.');
    return;
  }
  if (argv.length === 2 && optEq(argv[1], 'abort')) {
    if (hooks.failoverAbort?.(c)) return;
    c.replyError('No failover in progress.');
    return;
  }
  let timeoutMs = 0, force = false, port = 0;
  let host: string | null = null;
  for (let j = 1; j < argv.length; j++) {
    if (optEq(argv[j], 'timeout') && j + 1 < argv.length && timeoutMs === 0) {
      const t = string2ll(argv[j + 1]);
      if (t === null) { c.replyNotInteger(); return; }
      if (t <= 0) { c.replyError('FAILOVER timeout must be greater than 0'); return; }
      timeoutMs = t;
      j++;
    } else if (optEq(argv[j], 'to') && j + 2 < argv.length && host === null) {
      const p = string2ll(argv[j + 2]);
      if (p === null) { c.replyNotInteger(); return; }
      port = p;
      host = argv[j + 1];
      j += 2;
    } else if (optEq(argv[j], 'force') && !force) {
      force = true;
    } else {
      c.replySyntaxError();
      return;
    }
  }
  if (hooks.failover?.(c, { host, port, timeoutMs, force })) return;
  if (s.masterHost !== null) { c.replyError('FAILOVER is not valid when server is a replica.'); return; }
  c.replyError('FAILOVER requires connected replicas.');
}

/** LOLWUT: the art of 5.x and 6.x is not reproduced; 7.x prints its version line. */
function lolwut(c: Client, argv: string[]): void {
  if (argv.length >= 3 && optEq(argv[1], 'version')) {
    if (string2ll(argv[2]) === null) { c.replyNotInteger(); return; }
  }
  c.replyVerbatim(`Redis ver. ${REDIS_VERSION}\n`, 'txt');
}

export const serverAdminCommands: CommandSpec[] = [
  cmd('time', 1, ['loading', 'stale', 'fast'], [0, 0, 0], { ...G, since: '2.6.0', summary: 'The server time as seconds and microseconds.', complexity: 'O(1)', tips: ['nondeterministic_output'] }, time),
  cmd('lastsave', 1, ['loading', 'stale', 'fast'], [0, 0, 0], {
    ...G, acl: ['@admin', '@dangerous'], since: '1.0.0', summary: 'The Unix time of the last successful save to disk.', complexity: 'O(1)', tips: ['nondeterministic_output'],
  }, lastsave),
  cmd('shutdown', -1, ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'sentinel', 'allow_busy'], [0, 0, 0], {
    ...G, since: '1.0.0', summary: 'Save (optionally) and stop the server.', complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
    args: [
      { name: 'nosave_save', type: 'oneof', optional: true, args: [{ name: 'nosave', type: 'pure-token', token: 'NOSAVE' }, { name: 'save', type: 'pure-token', token: 'SAVE' }] },
      { name: 'now', type: 'pure-token', token: 'NOW', optional: true, since: '7.0.0' },
      { name: 'force', type: 'pure-token', token: 'FORCE', optional: true, since: '7.0.0' },
      { name: 'abort', type: 'pure-token', token: 'ABORT', optional: true, since: '7.0.0' },
    ],
  }, shutdown, { history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']] }),
  cmd('role', 1, ['noscript', 'loading', 'stale', 'fast', 'sentinel'], [0, 0, 0], {
    ...G, acl: ['@admin', '@dangerous'], since: '2.8.12', summary: 'The replication role of this server.', complexity: 'O(1)',
  }, role),
  cmd('wait', 3, ['noscript'], [0, 0, 0], {
    group: 'generic', acl: ['@connection'], since: '3.0.0', summary: 'Wait until earlier writes reached the given number of replicas.', complexity: 'O(1)',
    tips: ['request_policy:all_shards', 'response_policy:agg_min'],
    args: [{ name: 'numreplicas', type: 'integer' }, { name: 'timeout', type: 'integer' }],
  }, wait),
  cmd('failover', -1, ['admin', 'noscript', 'stale'], [0, 0, 0], {
    ...G, since: '6.2.0', summary: 'Hand the master role over to one of the replicas.', complexity: 'O(1)',
    args: [
      { name: 'target', type: 'block', token: 'TO', optional: true, args: [
        { name: 'host', type: 'string' }, { name: 'port', type: 'integer' },
        { name: 'force', type: 'pure-token', token: 'FORCE', optional: true }] },
      { name: 'abort', type: 'pure-token', token: 'ABORT', optional: true },
      { name: 'milliseconds', type: 'integer', token: 'TIMEOUT', optional: true },
    ],
  }, failover),
  cmd('lolwut', -1, ['readonly', 'fast'], [0, 0, 0], {
    // No complexity: Redis 7.0.15's LOLWUT states none.
    ...G, since: '5.0.0', summary: 'Show the Redis version, with computer art for some versions.',
    args: [{ name: 'version', type: 'integer', token: 'VERSION', optional: true }],
  }, lolwut),
];
