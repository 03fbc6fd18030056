/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (eval.c).
 *
 * Scripts are cached by SHA1 (server/script-cache.ts) and run by the Lua interpreter through
 * server/script-run.ts, which also implements the redis.* API the scripts see. EVAL and EVALSHA
 * feed MONITOR themselves before running (they are skip_monitor) so the commands a script
 * calls appear after it, as in Redis.
 */
import type { Client } from '../server/client';
import type { RedisServer } from '../server/server';
import { cmd, FLAG_BIT, type CommandSpec, type ArgDoc } from './table';
import { addReplyHelp } from './help';
import { keySpecKeynum } from './command';
import { numkeysKeys } from './collection-util';
import { getLongLongOrReply, optEq } from './util';
import { feedMonitors } from '../server/dispatch';
import { extractShebangFlags, scriptCacheOf, sha1hex, SCRIPT_FLAG, type CachedScript } from '../server/script-cache';
import { freeLuaScriptsAsync } from '../server/lazyfree';
import { compileScript, runEvalScript, scriptKill, resetScriptingVm } from '../server/script-run';
import { ldbClientMode, ldbDisable, ldbEnable, LdbSession } from '../server/ldb';
import { forkChild, childLogger } from '../persistence/fork';
import { strerror } from '../persistence/errno';

const G = { group: 'scripting', acl: ['@scripting'] };

export const NOSCRIPT_ERROR = '-NOSCRIPT No matching script. Please use EVAL.';

/**
 * luaCreateFunction(): the cached script for `body`, compiling and caching it first if new.
 * Replies the error (bad shebang, compile error) and returns null on failure.
 */
export function createScript(c: Client, body: string, cacheIt = true): CachedScript | null {
  const scriptsCache = scriptCacheOf(c.server);
  const sha = sha1hex(body);
  const known = scriptsCache.get(sha);
  if (known) return known;
  const shebang = extractShebangFlags(body);
  if ('error' in shebang) {
    c.replyError(shebang.error);
    return null;
  }
  // The shebang line is skipped but its newline kept, so line numbers stay the user's.
  const compiled = compileScript(c.server, body.slice(shebang.shebangLen));
  if ('error' in compiled) {
    c.replyError(`Error compiling script (new function): ${compiled.error}`);
    return null;
  }
  const script: CachedScript = { sha, body, flags: shebang.flags, shebangLen: shebang.shebangLen, compiled: compiled.fn };
  // A forked debugging session compiles it in the child: the parent's cache never sees it.
  if (cacheIt) scriptsCache.add(script);
  return script;
}

/**
 * evalGetCommandFlags(): a script that declares flags (a shebang) runs with those instead of
 * the command's stale/denyoom/write/may_replicate flags, for every check processCommand makes
 * (replica READONLY, OOM, MASTERDOWN, MULTI flags).
 */
export function evalCommandFlagBits(server: RedisServer, argv: string[], bits: number, evalsha: boolean): number {
  if (argv.length < 2) return bits;
  if (evalsha && argv[1].length !== 40) return bits;
  const cached = scriptCacheOf(server).get(evalsha ? argv[1] : sha1hex(argv[1]));
  let flags: number;
  if (cached) flags = cached.flags;
  else {
    if (evalsha) return bits;
    const shebang = extractShebangFlags(argv[1]);
    if ('error' in shebang) return bits;
    flags = shebang.flags;
  }
  if (flags & SCRIPT_FLAG.evalCompatMode) return bits;
  return scriptFlagsToCmdFlags(bits, flags);
}

/** scriptFlagsToCmdFlags(). */
export function scriptFlagsToCmdFlags(bits: number, flags: number): number {
  bits &= ~(FLAG_BIT.stale | FLAG_BIT.denyoom | FLAG_BIT.write);
  if (!(flags & (SCRIPT_FLAG.allowOom | SCRIPT_FLAG.noWrites))) bits |= FLAG_BIT.denyoom;
  if (!(flags & SCRIPT_FLAG.noWrites)) bits |= FLAG_BIT.write;
  if (flags & SCRIPT_FLAG.allowStale) bits |= FLAG_BIT.stale;
  return bits & ~FLAG_BIT.may_replicate;
}

/** evalGenericCommand(). */
function evalGeneric(c: Client, argv: string[], evalsha: boolean, ro: boolean, ldb: LdbSession | null = null): void {
  const numkeys = getLongLongOrReply(c, argv[2]);
  if (numkeys === null) return;
  if (numkeys > argv.length - 3) { c.replyError("Number of keys can't be greater than number of args"); return; }
  if (numkeys < 0) { c.replyError("Number of keys can't be negative"); return; }
  let script: CachedScript | null | undefined;
  if (evalsha) {
    script = scriptCacheOf(c.server).get(argv[1]);
    if (!script) { c.replyError(NOSCRIPT_ERROR); return; }
  } else {
    script = createScript(c, argv[1], !ldb?.forked);
    if (!script) return;
  }
  const keys = argv.slice(3, 3 + numkeys);
  const args = argv.slice(3 + numkeys);
  runEvalScript(c, script, keys, args, ro, ldb);
}

function evalCommand(c: Client, argv: string[]): void {
  feedMonitors(c.server, c, c.db.id, argv);
  if (ldbClientMode(c) && c.socket) { evalWithDebugging(c, argv); return; }
  evalGeneric(c, argv, false, argv[0].length === 7 /* eval_ro */);
}

/**
 * evalGenericCommandWithDebugging(): ldbStartSession, the EVAL, and ldbEndSession when the
 * EVAL ended without running the script (its arguments or flags refused).
 */
function evalWithDebugging(c: Client, argv: string[]): void {
  const server = c.server;
  const socket = c.socket!;
  const forked = ldbClientMode(c) === 'yes';
  let session: LdbSession;
  if (forked) {
    // Resolved by the session's end, with the time it ended (the parent's clock).
    let done: (killed: boolean) => void = () => undefined;
    const ended = new Promise<number>((resolve) => { done = (killed) => resolve(killed ? -1 : server.os.now()); });
    let pid: number;
    try {
      const child = forkChild(server, 'redis-server', async (cos) => {
        const log = childLogger(server, cos);
        log.warning('Redis forked for debugging eval');
        // The child was blocked reading the connection until then: its clock catches up.
        const endedAtMs = await ended;
        // SIGKILLed at the parent's shutdown (ldbKillForkedSessions): gone without a word.
        if (endedAtMs < 0) return 137;
        if (endedAtMs > cos.now()) cos.sleep(endedAtMs - cos.now());
        log.warning('Lua debugging session child exiting');
        return 0;
      });
      pid = child.pid;
      child.onExit = () => server.event(() => { LdbSession.reaped(server, pid); });
    } catch (e) {
      c.replyError(`Fork() failed: can't run EVAL in debugging mode: ${strerror(e)}`);
      ldbDisable(c);
      return;
    }
    // The parent closes its side of the connection: the child owns it now.
    server.freeClient(c, false);
    session = new LdbSession(server, c, socket, true, argv[1]);
    session.adoptChild(pid, done);
    session.forkData();
  } else {
    server.log.warning('Redis synchronous debugging eval session started');
    session = new LdbSession(server, c, socket, false, argv[1]);
    session.holdServer();
  }
  session.enterChild();
  try {
    evalGeneric(c, argv, false, argv[0].length === 7, session);
  } finally {
    session.exitChild();
  }
  if (!session.started) session.end(forked ? c.out.take() : null);
}

function evalShaCommand(c: Client, argv: string[]): void {
  feedMonitors(c.server, c, c.db.id, argv);
  if (argv[1].length !== 40) { c.replyError(NOSCRIPT_ERROR); return; }
  if (ldbClientMode(c)) { c.replyError('Please use EVAL instead of EVALSHA for debugging'); return; }
  evalGeneric(c, argv, true, argv[0].length === 10 /* evalsha_ro */);
}

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

function scriptFlush(c: Client, argv: string[]): void {
  let async: boolean;
  if (argv.length === 3 && optEq(argv[2], 'sync')) async = false;
  else if (argv.length === 3 && optEq(argv[2], 'async')) async = true;
  else if (argv.length === 2) async = c.server.config.get<boolean>('lazyfree-lazy-user-flush');
  else { c.replyError('SCRIPT FLUSH only support SYNC|ASYNC option'); return; }
  const cache = scriptCacheOf(c.server);
  if (async) freeLuaScriptsAsync(c.server, cache.size);
  cache.clear();
  resetScriptingVm(c.server);
  c.replyOk();
}

function scriptExists(c: Client, argv: string[]): void {
  const cache = scriptCacheOf(c.server);
  c.replyArrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) c.replyInt(cache.get(argv[j]) ? 1 : 0);
}

function scriptLoad(c: Client, argv: string[]): void {
  const script = createScript(c, argv[2]);
  if (script) c.replyBulk(script.sha);
}

/** SCRIPT DEBUG: the client's next EVAL is a debugging session (server/ldb.ts). */
function scriptDebug(c: Client, argv: string[]): void {
  // clientHasPendingReplies(): replies not yet written mean commands were pipelined before it.
  if (c.out.len > 0) { c.replyError('SCRIPT DEBUG must be called outside a pipeline'); return; }
  const mode = argv[2];
  if (optEq(mode, 'no')) { ldbDisable(c); c.replyOk(); return; }
  if (optEq(mode, 'yes') || optEq(mode, 'sync')) { ldbEnable(c, optEq(mode, 'yes') ? 'yes' : 'sync'); c.replyOk(); return; }
  c.replyError('Use SCRIPT DEBUG YES/SYNC/NO');
}

const EVAL_ARGS = (first: ArgDoc): ArgDoc[] => [
  first,
  { name: 'numkeys', type: 'integer' },
  { name: 'key', type: 'key', keySpecIndex: 0, optional: true, multiple: true },
  { name: 'arg', type: 'string', optional: true, multiple: true },
];
const KEYS_NOTE = 'We cannot tell how the keys will be used so we assume the worst, ';
const ALL_NODES = ['request_policy:all_nodes', 'response_policy:all_succeeded'];

export const scriptingCommands: CommandSpec[] = [
  cmd('eval', -3, ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'may_replicate'], [0, 0, 0], {
    ...G, since: '2.6.0', summary: 'Execute a Lua script server side', complexity: 'Depends on the script that is executed.',
    args: EVAL_ARGS({ name: 'script', type: 'string' }),
  }, evalCommand, {
    getKeys: numkeysKeys(2), keySpecs: [{ ...keySpecKeynum(2, 0, 1, 1, ['RW', 'access', 'update']), notes: `${KEYS_NOTE}RW and UPDATE` }],
    getFlags: (server, argv, bits) => evalCommandFlagBits(server, argv, bits, false),
  }),
  cmd('evalsha', -3, ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'may_replicate'], [0, 0, 0], {
    ...G, since: '2.6.0', summary: 'Execute a Lua script server side', complexity: 'Depends on the script that is executed.',
    args: EVAL_ARGS({ name: 'sha1', type: 'string' }),
  }, evalShaCommand, {
    getKeys: numkeysKeys(2), keySpecs: [keySpecKeynum(2, 0, 1, 1, ['RW', 'access', 'update'])],
    getFlags: (server, argv, bits) => evalCommandFlagBits(server, argv, bits, true),
  }),
  cmd('eval_ro', -3, ['readonly', 'noscript', 'stale', 'skip_monitor', 'no_mandatory_keys'], [0, 0, 0], {
    ...G, since: '7.0.0', summary: 'Execute a read-only Lua script server side', complexity: 'Depends on the script that is executed.',
    args: EVAL_ARGS({ name: 'script', type: 'string' }),
  }, evalCommand, {
    getKeys: numkeysKeys(2), keySpecs: [{ ...keySpecKeynum(2, 0, 1, 1, ['RO', 'access']), notes: `${KEYS_NOTE}RO and ACCESS` }],
    getFlags: (server, argv, bits) => evalCommandFlagBits(server, argv, bits, false),
  }),
  cmd('evalsha_ro', -3, ['readonly', 'noscript', 'stale', 'skip_monitor', 'no_mandatory_keys'], [0, 0, 0], {
    ...G, since: '7.0.0', summary: 'Execute a read-only Lua script server side', complexity: 'Depends on the script that is executed.',
    args: EVAL_ARGS({ name: 'sha1', type: 'string' }),
  }, evalShaCommand, {
    getKeys: numkeysKeys(2), keySpecs: [keySpecKeynum(2, 0, 1, 1, ['RO', 'access'])],
    getFlags: (server, argv, bits) => evalCommandFlagBits(server, argv, bits, true),
  }),
  cmd('script', -2, [], [0, 0, 0], { ...G, acl: [], since: '2.6.0', summary: 'A container for Lua scripts management commands', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('debug', 3, ['noscript'], [0, 0, 0], {
        ...G, since: '3.2.0', summary: 'Set the debug mode for executed scripts.', complexity: 'O(1)',
        args: [{ name: 'mode', type: 'oneof', args: [{ name: 'yes', type: 'pure-token', token: 'YES' }, { name: 'sync', type: 'pure-token', token: 'SYNC' }, { name: 'no', type: 'pure-token', token: 'NO' }] }],
      }, scriptDebug),
      cmd('exists', -3, ['noscript'], [0, 0, 0], {
        ...G, since: '2.6.0', summary: 'Check existence of scripts in the script cache.', complexity: 'O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).',
        tips: ['request_policy:all_shards', 'response_policy:agg_logical_and'],
        args: [{ name: 'sha1', type: 'string', multiple: true }],
      }, scriptExists),
      cmd('flush', -2, ['noscript'], [0, 0, 0], {
        ...G, since: '2.6.0', summary: 'Remove all the scripts from the script cache.', complexity: 'O(N) with N being the number of scripts in cache', tips: ALL_NODES,
        args: [{ name: 'async', type: 'oneof', optional: true, since: '6.2.0', args: [{ name: 'async', type: 'pure-token', token: 'ASYNC' }, { name: 'sync', type: 'pure-token', token: 'SYNC' }] }],
      }, scriptFlush, { history: [['6.2.0', 'Added the `ASYNC` and `SYNC` flushing mode modifiers.']] }),
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '5.0.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)' },
        (c, a) => addReplyHelp(c, a, SCRIPT_HELP)),
      cmd('kill', 2, ['noscript', 'allow_busy'], [0, 0, 0], {
        ...G, since: '2.6.0', summary: 'Kill the script currently in execution.', complexity: 'O(1)', tips: ['request_policy:all_shards', 'response_policy:one_succeeded'],
      }, (c) => scriptKill(c, true)),
      cmd('load', 3, ['noscript', 'stale'], [0, 0, 0], {
        ...G, since: '2.6.0', summary: 'Load the specified Lua script into the script cache.', complexity: 'O(N) with N being the length in bytes of the script body.', tips: ALL_NODES,
        args: [{ name: 'script', type: 'string' }],
      }, scriptLoad),
    ],
  }),
];
