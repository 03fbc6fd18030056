/**
 * Key expiry commands (expire.c): EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT with NX/XX/GT/LT, TTL,
 * PTTL, EXPIRETIME, PEXPIRETIME, PERSIST. Every successful expire is propagated as
 * `PEXPIREAT key <absolute ms>`, and an expire time already in the past deletes the key and
 * propagates DEL, so replicas and the AOF never depend on when they replay the command.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { Lookup } from '../keyspace/db';
import { optEq } from './util';
import { string2bigint, LLONG_MAX, LLONG_MIN } from '../util/numbers';

const G = { group: 'generic', acl: ['@keyspace'] };
const NX = 1, XX = 2, GT = 4, LT = 8;

function parseExpireFlags(c: Client, argv: string[]): number | null {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const o = argv[j];
    if (optEq(o, 'nx')) flags |= NX;
    else if (optEq(o, 'xx')) flags |= XX;
    else if (optEq(o, 'gt')) flags |= GT;
    else if (optEq(o, 'lt')) flags |= LT;
    else {
      const nul = o.indexOf('\0');
      c.replyError(`Unsupported option ${nul >= 0 ? o.slice(0, nul) : o}`);
      return null;
    }
  }
  if (flags & NX && flags & (XX | GT | LT)) {
    c.replyError('NX and XX, GT or LT options at the same time are not compatible');
    return null;
  }
  if (flags & GT && flags & LT) {
    c.replyError('GT and LT options at the same time are not compatible');
    return null;
  }
  return flags;
}

/** checkAlreadyExpired: only masters delete on the spot; replicas and loading keep the key. */
function alreadyExpired(c: Client, when: bigint): boolean {
  const s = c.server;
  return when <= BigInt(s.nowMs()) && !s.loading && !s.isReplica();
}

/**
 * expireGenericCommand. `when` is computed in exact int64 arithmetic (BigInt): the overflow
 * checks and the propagated PEXPIREAT value must be exact far beyond 2^53.
 */
function expireGeneric(c: Client, argv: string[], relative: boolean, seconds: boolean): void {
  const flags = parseExpireFlags(c, argv);
  if (flags === null) return;
  let when = string2bigint(argv[2]);
  if (when === null) { c.replyNotInteger(); return; }
  const fullname = c.cmd!.fullname;
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) { c.replyError(`invalid expire time in '${fullname}' command`); return; }
    when *= 1000n;
  }
  const basetime = relative ? BigInt(c.server.nowMs()) : 0n;
  if (when > LLONG_MAX - basetime) { c.replyError(`invalid expire time in '${fullname}' command`); return; }
  when += basetime;
  const db = c.db, s = c.server, key = argv[1];
  if (db.lookupWrite(key) === undefined) { c.replyInt(0); return; }
  if (flags) {
    const curNum = db.getExpire(key);
    const cur = curNum === -1 ? -1n : BigInt(db.getExpireString(key));
    if (flags & NX && curNum !== -1) { c.replyInt(0); return; }
    if (flags & XX && curNum === -1) { c.replyInt(0); return; }
    if (flags & GT && (when <= cur || curNum === -1)) { c.replyInt(0); return; }
    if (flags & LT && curNum !== -1 && when >= cur) { c.replyInt(0); return; }
  }
  if (alreadyExpired(c, when)) {
    db.delete(key, s.config.get<boolean>('lazyfree-lazy-expire') ? 'lazy' : 'sync');
    s.dirty++;
    c.propagateArgv = [s.config.get<boolean>('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key];
    s.signalModifiedKey(db, key);
    s.notifyKeyspaceEvent('g', 'del', key, db.id);
    c.replyInt(1);
    return;
  }
  db.setExpire(key, when);
  c.replyInt(1);
  const out = [...argv];
  if (c.cmd!.name !== 'pexpireat') out[0] = 'PEXPIREAT';
  if (relative || seconds) out[2] = when.toString();
  c.propagateArgv = out;
  s.signalModifiedKey(db, key);
  s.notifyKeyspaceEvent('g', 'expire', key, db.id);
  s.dirty++;
}

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME. */
function ttlGeneric(c: Client, key: string, ms: boolean, abs: boolean): void {
  const db = c.db;
  if (db.lookup(key, Lookup.NoTouch) === undefined) { c.replyInt(-2); return; }
  if (db.getExpire(key) === -1) { c.replyInt(-1); return; }
  const exp = BigInt(db.getExpireString(key));
  let ttl = abs ? exp : exp - BigInt(c.server.nowMs());
  if (ttl < 0n) ttl = 0n;
  c.replyInt(ms ? ttl : (ttl + 500n) / 1000n);
}

function persist(c: Client, argv: string[]): void {
  const db = c.db, s = c.server;
  if (db.lookupWrite(argv[1]) === undefined) { c.replyInt(0); return; }
  if (db.removeExpire(argv[1])) {
    s.signalModifiedKey(db, argv[1]);
    s.notifyKeyspaceEvent('g', 'persist', argv[1], db.id);
    s.dirty++;
    c.replyInt(1);
  } else {
    c.replyInt(0);
  }
}

const expireArgs = (unit: string) => [
  { name: 'key', type: 'key' as const }, { name: unit, type: unit.startsWith('unix') ? 'unix-time' as const : 'integer' as const },
  { name: 'condition', type: 'oneof' as const, optional: true, since: '7.0.0', args: [
    { name: 'nx', type: 'pure-token' as const, token: 'NX' }, { name: 'xx', type: 'pure-token' as const, token: 'XX' },
    { name: 'gt', type: 'pure-token' as const, token: 'GT' }, { name: 'lt', type: 'pure-token' as const, token: 'LT' }] },
];

// COMMAND DOCS version history, in Redis 7.0.15's words.
const conditionAdded: [string, string] = ['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.'];
const minusTwoReply: [string, string] = ['2.8.0', 'Added the -2 reply.'];

export const expireCommands: CommandSpec[] = [
  cmd('expire', -3, ['write', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Set a key\'s time to live in seconds.', complexity: 'O(1)', args: expireArgs('seconds') }, (c, a) => expireGeneric(c, a, true, true), { history: [conditionAdded] }),
  cmd('pexpire', -3, ['write', 'fast'], [1, 1, 1], { ...G, since: '2.6.0', summary: 'Set a key\'s time to live in milliseconds.', complexity: 'O(1)', args: expireArgs('milliseconds') }, (c, a) => expireGeneric(c, a, true, false), { history: [conditionAdded] }),
  cmd('expireat', -3, ['write', 'fast'], [1, 1, 1], { ...G, since: '1.2.0', summary: 'Set a key\'s expiry as a Unix time in seconds.', complexity: 'O(1)', args: expireArgs('unix-time-seconds') }, (c, a) => expireGeneric(c, a, false, true), { history: [conditionAdded] }),
  cmd('pexpireat', -3, ['write', 'fast'], [1, 1, 1], { ...G, since: '2.6.0', summary: 'Set a key\'s expiry as a Unix time in milliseconds.', complexity: 'O(1)', args: expireArgs('unix-time-milliseconds') }, (c, a) => expireGeneric(c, a, false, false), { history: [conditionAdded] }),
  cmd('ttl', 2, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Remaining time to live of a key in seconds.', complexity: 'O(1)', tips: ['nondeterministic_output'], args: [{ name: 'key', type: 'key' }] }, (c, a) => ttlGeneric(c, a[1], false, false), { history: [minusTwoReply] }),
  cmd('pttl', 2, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '2.6.0', summary: 'Remaining time to live of a key in milliseconds.', complexity: 'O(1)', tips: ['nondeterministic_output'], args: [{ name: 'key', type: 'key' }] }, (c, a) => ttlGeneric(c, a[1], true, false), { history: [minusTwoReply] }),
  cmd('expiretime', 2, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '7.0.0', summary: 'Expiry of a key as a Unix time in seconds.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }] }, (c, a) => ttlGeneric(c, a[1], false, true)),
  cmd('pexpiretime', 2, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '7.0.0', summary: 'Expiry of a key as a Unix time in milliseconds.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }] }, (c, a) => ttlGeneric(c, a[1], true, true)),
  cmd('persist', 2, ['write', 'fast'], [1, 1, 1], { ...G, since: '2.2.0', summary: 'Remove the time to live of a key.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }] }, persist),
];
