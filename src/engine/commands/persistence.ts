/**
 * Persistence commands: SAVE, BGSAVE [SCHEDULE], BGREWRITEAOF (rdb.c, aof.c). LASTSAVE lives
 * with the other server commands; it reads server.lastSaveTimeMs, which saves update.
 * The work is done by src/engine/persistence; these handlers only apply Redis's rules about
 * what may run together (one child at a time, scheduling inside MULTI/EXEC or while another
 * child runs) and reply with its exact texts.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { optEq } from './util';
import { persistenceOf } from '../persistence/state';
import { rdbSave, rdbSaveBackground, rdbSaveBlocking } from '../persistence/rdb-save';
import { keySaveDelayMs, totalKeys } from '../persistence/snapshot';
import { holdForReply } from '../server/async-reply';
import { rewriteAppendOnlyFileBackground } from '../persistence/aof/rewrite';

const G = { group: 'server' };

/** server.in_exec: the command runs from EXEC (or a script), one call deeper. */
function inExec(c: Client): boolean {
  return c.server.callDepth > 1;
}

function save(c: Client): void {
  const st = persistenceOf(c.server);
  if (st.child?.type === 'rdb') { c.replyError('Background save already in progress'); return; }
  st.statRdbSaves++;
  // Slowed by rdb-key-save-delay, the save waits on a timer with the event loop blocked, so a
  // second SIGINT meanwhile still ends the process at once, as in Redis.
  const answer = keySaveDelayMs(c.server, totalKeys(c.server)) > 0 ? holdForReply(c) : null;
  if (answer && rdbSaveBlocking(c.server, (ok) => answer((c) => (ok ? c.replyOk() : c.replyError('-ERR'))))) return;
  if (rdbSave(c.server)) c.replyOk();
  else c.replyError('-ERR');
}

function bgsave(c: Client, argv: string[]): void {
  const s = c.server;
  const st = persistenceOf(s);
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length === 2 && optEq(argv[1], 'schedule')) schedule = true;
    else { c.replySyntaxError(); return; }
  }
  if (st.child?.type === 'rdb') {
    c.replyError('Background save already in progress');
  } else if (s.hasActiveChild() || inExec(c)) {
    if (schedule || inExec(c)) {
      st.rdbBgsaveScheduled = true;
      c.replyStatus('Background saving scheduled');
    } else {
      c.replyError("Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
    }
  } else if (rdbSaveBackground(s)) {
    c.replyStatus('Background saving started');
  } else {
    c.replyError('-ERR');
  }
}

function bgrewriteaof(c: Client): void {
  const s = c.server;
  const st = persistenceOf(s);
  if (st.child?.type === 'aof') {
    c.replyError('Background append only file rewriting already in progress');
  } else if (s.hasActiveChild() || inExec(c)) {
    st.aofRewriteScheduled = true;
    st.statAofrwConsecutiveFailures = 0;
    c.replyStatus('Background append only file rewriting scheduled');
  } else if (rewriteAppendOnlyFileBackground(s)) {
    c.replyStatus('Background append only file rewriting started');
  } else {
    c.replyError("Can't execute an AOF background rewriting. Please check the server logs for more information.");
  }
}

export const persistenceCommands: CommandSpec[] = [
  cmd('save', 1, ['no_async_loading', 'admin', 'noscript', 'no_multi'], [0, 0, 0], { ...G, since: '1.0.0', summary: 'Write the dataset to disk now, blocking the server until it is done.', complexity: 'O(N) where N is the total number of keys in all databases' }, save),
  cmd('bgsave', -1, ['no_async_loading', 'admin', 'noscript'], [0, 0, 0], { ...G, since: '1.0.0', summary: 'Write the dataset to disk from a forked child process.', complexity: 'O(1)', args: [{ name: 'schedule', type: 'pure-token', token: 'SCHEDULE', optional: true, since: '3.2.2' }] }, bgsave,
    { history: [['3.2.2', 'Added the `SCHEDULE` option.']] }),
  cmd('bgrewriteaof', 1, ['no_async_loading', 'admin', 'noscript'], [0, 0, 0], { ...G, since: '1.0.0', summary: 'Rebuild the append-only file from the current dataset in a forked child process.', complexity: 'O(1)' }, bgrewriteaof),
];
