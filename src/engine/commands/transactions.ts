/**
 * Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH (multi.c).
 *
 * MULTI only sets a flag; the dispatcher queues every later command (replying QUEUED) except
 * EXEC, DISCARD, MULTI, WATCH, QUIT and RESET, and flags the transaction when it rejects one
 * (unknown command, arity, NOAUTH, ...). EXEC then either
 * - replies EXECABORT (a queued command was rejected),
 * - replies a null array (a WATCHed key was touched, or expired since WATCH), or
 * - runs every queued command through call(), each adding its own reply to one array. A
 *   command failing at run time (WRONGTYPE...) puts its error in the array and the rest still
 *   run. Blocking commands behave as if their timeout had elapsed (CLIENT_DENY_BLOCKING).
 * What the commands changed is propagated as one MULTI ... EXEC block when EXEC returns (a
 * single write goes alone; read-only transactions propagate nothing).
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { keySpecRange } from './key-specs';
import { call, discardTransaction } from '../server/dispatch';
import { isWatchedKeyExpired } from '../server/watch';
import { aclExecCheck } from './acl';

const G = { group: 'transactions', acl: ['@transaction'] };

function multi(c: Client): void {
  if (c.inMulti) {
    c.replyError('MULTI calls can not be nested');
    return;
  }
  c.inMulti = true;
  c.replyOk();
}

function discard(c: Client): void {
  if (!c.inMulti) {
    c.replyError('DISCARD without MULTI');
    return;
  }
  discardTransaction(c);
  c.replyOk();
}

function exec(c: Client): void {
  const s = c.server;
  if (!c.inMulti) {
    c.replyError('EXEC without MULTI');
    return;
  }
  if (isWatchedKeyExpired(c)) c.dirtyCas = true;
  if (c.dirtyCas || c.dirtyExec) {
    if (c.dirtyExec) c.replyError('-EXECABORT Transaction discarded because of previous errors.');
    else c.replyNullArray();
    discardTransaction(c);
    return;
  }
  const oldDenyBlocking = c.denyBlocking;
  c.denyBlocking = true;
  s.unwatchAll(c);
  s.inExec = true;
  const origArgv = c.argv;
  const origCmd = c.cmd;
  const queue = c.multiQueue;
  c.replyArrayLen(queue.length);
  try {
    for (const q of queue) {
      // ACLs are checked again: they may have changed since the command was queued.
      const aclError = aclExecCheck(s, c, q.cmd, q.argv);
      if (aclError !== null) c.replyError(aclError);
      else call(s, c, q.cmd, q.argv);
    }
  } finally {
    c.denyBlocking = oldDenyBlocking;
    c.argv = origArgv;
    c.cmd = origCmd;
    discardTransaction(c);
    s.inExec = false;
  }
}

function watch(c: Client, argv: string[]): void {
  if (c.inMulti) {
    c.replyError('WATCH inside MULTI is not allowed');
    return;
  }
  // No point in watching once the transaction is known to fail.
  if (c.dirtyCas) {
    c.replyOk();
    return;
  }
  for (let j = 1; j < argv.length; j++) c.server.watchKey(c, c.db, argv[j]);
  c.replyOk();
}

function unwatch(c: Client): void {
  c.server.unwatchAll(c);
  c.dirtyCas = false;
  c.replyOk();
}

export const transactionCommands: CommandSpec[] = [
  cmd('multi', 1, ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], [0, 0, 0], { ...G, since: '1.2.0', summary: 'Start a transaction: queue the following commands until EXEC.', complexity: 'O(1)' }, multi),
  cmd('exec', 1, ['noscript', 'loading', 'stale', 'skip_slowlog'], [0, 0, 0], { ...G, since: '1.2.0', summary: 'Run every command queued since MULTI.', complexity: 'Depends on commands in the transaction' }, exec),
  cmd('discard', 1, ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], [0, 0, 0], { ...G, since: '2.0.0', summary: 'Drop every command queued since MULTI.', complexity: 'O(N), when N is the number of queued commands' }, discard),
  cmd('watch', -2, ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], [1, -1, 1], { ...G, since: '2.2.0', summary: 'Make the next EXEC fail if any of these keys changes before it.', complexity: 'O(1) for every key.', args: [{ name: 'key', type: 'key', multiple: true, keySpecIndex: 0 }] }, watch, { keySpecs: [keySpecRange(1, -1, 1, ['RO'])] }),
  cmd('unwatch', 1, ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], [0, 0, 0], { ...G, since: '2.2.0', summary: 'Forget every key WATCHed by this connection.', complexity: 'O(1)' }, unwatch),
];
