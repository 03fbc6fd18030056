/**
 * FUNCTION and FCALL/FCALL_RO (functions.c) with the Lua engine (server/function-lua.ts).
 *
 * FUNCTION LOAD runs a library's code, which registers functions with redis.register_function;
 * FCALL runs one like EVAL runs a script (server/script-run.ts), with the keys and arguments as
 * its parameters. The libraries' code is what persistence keeps (RDB, FUNCTION DUMP/RESTORE).
 */
import type { Client } from '../server/client';
import type { RedisServer } from '../server/server';
import { scriptKill, runningScript, SLOW_EVAL_ERROR } from '../server/script-run';
import { callFunction, deleteLibrary, findFunction, flushLibraries, functionCounts, functionLibraries, loadLibrary, restoreLibraries, FUNCTION_FLAGS } from '../server/function-lua';
import { scriptFlagsToCmdFlags } from './scripting';
import { string2ll } from '../util/numbers';
import { stringMatch } from '../util/glob';
import { cmd, type CommandSpec } from './table';
import { addReplyHelp, subcommandSyntaxError } from './help';
import { keySpecKeynum } from './command';
import { numkeysKeys } from './collection-util';
import { optEq } from './util';
import { feedMonitors } from '../server/dispatch';
import { persistenceOf } from '../persistence/state';
import { bytesToStr, strToBytes } from '../bytes';
import { RdbWriter } from '../persistence/rdb/encoder';
import { RdbReader } from '../persistence/rdb/decoder';
import { Crc64 } from '../persistence/rdb/crc64';
import { OP, RDB_VERSION } from '../persistence/rdb/format';
import { verifyDumpPayload } from '../persistence/rdb/file-writer';
import { encodeOptions } from '../persistence/snapshot';

const G = { group: 'scripting', acl: ['@scripting'] };
const ALL_SHARDS = ['request_policy:all_shards', 'response_policy:all_succeeded'];

/** A C string's view of a byte string: up to the first NUL. */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul >= 0 ? s.slice(0, nul) : s;
}

/** FUNCTION LOAD [REPLACE] <code>. */
function functionLoad(c: Client, argv: string[]): void {
  let pos = 2;
  let replace = false;
  while (pos < argv.length - 1) {
    const opt = argv[pos++];
    if (optEq(opt, 'replace')) { replace = true; continue; }
    c.replyError(`Unknown option given: ${cstr(opt)}`);
    return;
  }
  // The master and the AOF are obeyed without the load time limit.
  const r = loadLibrary(c.server, argv[pos], replace, c.isMaster || c.id === -1 ? 0 : undefined);
  if ('error' in r) { c.replyError(r.error); return; }
  c.server.dirty++;
  c.replyBulk(r.name);
}

/** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]: argument checks, then no libraries. */
function functionList(c: Client, argv: string[]): void {
  let withCode = false, libraryName = false, libraryNameAt = 0;
  for (let i = 2; i < argv.length; i++) {
    if (!withCode && optEq(argv[i], 'withcode')) { withCode = true; continue; }
    if (!libraryName && optEq(argv[i], 'libraryname')) {
      if (i >= argv.length - 1) { c.replyError('library name argument was not given'); return; }
      libraryName = true;
      libraryNameAt = ++i;
      continue;
    }
    c.replyError(`Unknown argument ${cstr(argv[i])}`);
    return;
  }
  const pattern = libraryName ? argv[libraryNameAt] : null;
  const libs = functionLibraries(c.server).filter((l) => pattern === null || stringMatch(pattern, l.name, true));
  c.replyArrayLen(libs.length);
  for (const lib of libs) {
    c.replyMapLen(withCode ? 4 : 3);
    c.replyBulk('library_name');
    c.replyBulk(lib.name);
    c.replyBulk('engine');
    c.replyBulk('LUA');
    c.replyBulk('functions');
    c.replyArrayLen(lib.functions.size);
    for (const f of lib.functions.values()) {
      c.replyMapLen(3);
      c.replyBulk('name');
      c.replyBulk(f.name);
      c.replyBulk('description');
      c.replyBulkOrNull(f.desc);
      c.replyBulk('flags');
      const names = FUNCTION_FLAGS.filter(([, bit]) => (f.flags & bit) !== 0).map(([n]) => n);
      c.replySetLen(names.length);
      for (const n of names) c.replyStatus(n);
    }
    if (withCode) {
      c.replyBulk('library_code');
      c.replyBulk(lib.code);
    }
  }
}

/** FUNCTION STATS: the running function (an EVAL script gets BUSY), the LUA engine's counts. */
function functionStats(c: Client): void {
  const run = runningScript(c.server);
  if (run && run.evalMode) { c.replyError(SLOW_EVAL_ERROR); return; }
  c.replyMapLen(2);
  c.replyBulk('running_script');
  if (!run) c.replyNull();
  else {
    c.replyMapLen(3);
    c.replyBulk('name');
    c.replyBulk(run.funcname);
    c.replyBulk('command');
    c.replyBulks(run.caller.argv);
    c.replyBulk('duration_ms');
    c.replyInt(Math.floor(c.server.os.now() - run.startMs));
  }
  const n = functionCounts(c.server);
  c.replyBulk('engines');
  c.replyMapLen(1);
  c.replyBulk('LUA');
  c.replyMapLen(2);
  c.replyBulk('libraries_count');
  c.replyInt(n.libraries);
  c.replyBulk('functions_count');
  c.replyInt(n.functions);
}

/** FUNCTION DUMP: the libraries kept from an RDB file, then RDB version and CRC64. */
function functionDump(c: Client): void {
  const w = new RdbWriter(encodeOptions(c.server), 64);
  for (const code of persistenceOf(c.server).functions) {
    w.byte(OP.FUNCTION2);
    w.string(code);
  }
  w.byte(RDB_VERSION & 0xff);
  w.byte((RDB_VERSION >> 8) & 0xff);
  const body = w.view();
  const crc = new Crc64();
  crc.update(body);
  c.replyBulk(bytesToStr(body) + bytesToStr(crc.bytesLE()));
}

/**
 * rdbFunctionLoad() of one record: the error creating its library gives. Any failure to read
 * a field (a short payload, a bad string encoding) is "Failed loading <field>", like Redis.
 */
function readRestoreRecord(r: RdbReader, type: number): { code: string } | { error: string } {
  let what = type === OP.FUNCTION2 ? 'library payload' : 'library name';
  let code: string;
  try {
    if (type === OP.FUNCTION2) {
      code = r.string();
    } else {
      // The 7.0-rc layout: name, engine, description flag (+ description), code.
      const name = r.string();
      what = 'engine name';
      const engine = r.string();
      what = 'library description indicator';
      const hasDesc = r.length();
      what = 'library description';
      if (hasDesc) r.string();
      what = 'library blob';
      const blob = r.string();
      code = `#!${cstr(engine)} name=${cstr(name)}\n${cstr(blob)}`;
    }
  } catch {
    return { error: `Failed loading ${what}` };
  }
  return { code };
}

/** FUNCTION RESTORE <payload> [FLUSH|APPEND|REPLACE]. */
function functionRestore(c: Client, argv: string[]): void {
  if (argv.length > 4) { subcommandSyntaxError(c, argv); return; }
  let policy: 'flush' | 'append' | 'replace' = 'append';
  if (argv.length === 4) {
    if (optEq(argv[3], 'flush')) policy = 'flush';
    else if (optEq(argv[3], 'replace')) policy = 'replace';
    else if (!optEq(argv[3], 'append')) {
      c.replyError('Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
      return;
    }
  }
  const data = strToBytes(argv[2]);
  if (!verifyDumpPayload(data)) { c.replyError('DUMP payload version or checksum are wrong'); return; }
  const r = new RdbReader(data);
  const codes: string[] = [];
  while (data.length - r.pos > 10) {
    const type = r.byte();
    if (type !== OP.FUNCTION && type !== OP.FUNCTION2) { c.replyError('given type is not a function'); return; }
    const rec = readRestoreRecord(r, type);
    if ('error' in rec) { c.replyError(rec.error); return; }
    codes.push(rec.code);
  }
  const err = restoreLibraries(c.server, codes, policy);
  if (err !== null) { c.replyError(err); return; }
  c.server.dirty++;
  c.replyOk();
}

/** FUNCTION FLUSH [ASYNC|SYNC]. */
function functionFlush(c: Client, argv: string[]): void {
  if (argv.length > 3) { subcommandSyntaxError(c, argv); return; }
  if (argv.length === 3 && !optEq(argv[2], 'sync') && !optEq(argv[2], 'async')) {
    c.replyError('FUNCTION FLUSH only supports SYNC|ASYNC option');
    return;
  }
  flushLibraries(c.server);
  c.server.dirty++;
  c.replyOk();
}

/** FCALL/FCALL_RO: fed to MONITOR first (before the commands the function calls). */
function fcall(c: Client, argv: string[]): void {
  feedMonitors(c.server, c, c.db.id, argv);
  const f = findFunction(c.server, argv[1]);
  if (!f) { c.replyError('Function not found'); return; }
  const numkeys = string2ll(argv[2]);
  if (numkeys === null) { c.replyError('Bad number of keys provided'); return; }
  if (numkeys > argv.length - 3) { c.replyError("Number of keys can't be greater than number of args"); return; }
  if (numkeys < 0) { c.replyError("Number of keys can't be negative"); return; }
  callFunction(c, f, argv.slice(3, 3 + numkeys), argv.slice(3 + numkeys), argv[0].length === 8 /* fcall_ro */);
}

/** fcallGetCommandFlags(): a known function runs under its declared flags. */
function fcallFlagBits(server: RedisServer, argv: string[], bits: number): number {
  const f = argv.length > 1 ? findFunction(server, argv[1]) : undefined;
  return f ? scriptFlagsToCmdFlags(bits, f.flags) : bits;
}

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

const KEYS_NOTE = 'We cannot tell how the keys will be used so we assume the worst, ';

export const functionCommands: CommandSpec[] = [
  cmd('function', -2, [], [0, 0, 0], { ...G, acl: [], since: '7.0.0', summary: 'A container for function commands.', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('delete', 3, ['write', 'noscript'], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Delete a library and its functions.', complexity: 'O(1)', tips: ALL_SHARDS,
        args: [{ name: 'library-name', type: 'string' }],
      }, (c, a) => {
        if (!deleteLibrary(c.server, a[2])) { c.replyError('Library not found'); return; }
        c.server.dirty++;
        c.replyOk();
      }),
      cmd('dump', 2, ['noscript'], [0, 0, 0], { ...G, since: '7.0.0', summary: 'Serialize every library as a payload.', complexity: 'O(N) where N is the number of functions' },
        functionDump),
      cmd('flush', -2, ['write', 'noscript'], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Delete every library and function.', complexity: 'O(N) where N is the number of functions deleted', tips: ALL_SHARDS,
        args: [{ name: 'async', type: 'oneof', optional: true, args: [{ name: 'async', type: 'pure-token', token: 'ASYNC' }, { name: 'sync', type: 'pure-token', token: 'SYNC' }] }],
      }, functionFlush),
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '7.0.0', summary: 'Show helpful text about the different subcommands.', complexity: 'O(1)' },
        (c, a) => addReplyHelp(c, a, FUNCTION_HELP)),
      cmd('kill', 2, ['noscript', 'allow_busy'], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Stop the function that is running.', complexity: 'O(1)', tips: ['request_policy:all_shards', 'response_policy:one_succeeded'],
      }, (c) => scriptKill(c, false)),
      cmd('list', -2, ['noscript'], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Information about the libraries and their functions.', complexity: 'O(N) where N is the number of functions', tips: ['nondeterministic_output_order'],
        args: [{ name: 'library-name-pattern', type: 'string', token: 'LIBRARYNAME', optional: true }, { name: 'withcode', type: 'pure-token', token: 'WITHCODE', optional: true }],
      }, functionList),
      cmd('load', -3, ['write', 'denyoom', 'noscript'], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Create a library from its code.', complexity: 'O(1) (considering compilation time is redundant)', tips: ALL_SHARDS,
        args: [{ name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true }, { name: 'function-code', type: 'string' }],
      }, functionLoad),
      cmd('restore', -3, ['write', 'denyoom', 'noscript'], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Restore libraries from a FUNCTION DUMP payload.', complexity: 'O(N) where N is the number of functions on the payload', tips: ALL_SHARDS,
        args: [{ name: 'serialized-value', type: 'string' }, {
          name: 'policy', type: 'oneof', optional: true,
          args: [{ name: 'flush', type: 'pure-token', token: 'FLUSH' }, { name: 'append', type: 'pure-token', token: 'APPEND' }, { name: 'replace', type: 'pure-token', token: 'REPLACE' }],
        }],
      }, functionRestore),
      cmd('stats', 2, ['noscript', 'allow_busy'], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Information about the running function and the engines.', complexity: 'O(1)',
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
      }, functionStats),
    ],
  }),
  cmd('fcall', -3, ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'may_replicate'], [0, 0, 0], {
    ...G, since: '7.0.0', summary: 'Call a function.', complexity: 'Depends on the function that is executed.',
    args: [{ name: 'function', type: 'string' }, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', optional: true, multiple: true }, { name: 'arg', type: 'string', optional: true, multiple: true }],
  }, fcall, { getKeys: numkeysKeys(2), keySpecs: [{ ...keySpecKeynum(2, 0, 1, 1, ['RW', 'access', 'update']), notes: `${KEYS_NOTE}RW and UPDATE` }], getFlags: fcallFlagBits }),
  cmd('fcall_ro', -3, ['readonly', 'noscript', 'stale', 'skip_monitor', 'no_mandatory_keys'], [0, 0, 0], {
    ...G, since: '7.0.0', summary: 'Call a read-only function.', complexity: 'Depends on the function that is executed.',
    args: [{ name: 'function', type: 'string' }, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', optional: true, multiple: true }, { name: 'arg', type: 'string', optional: true, multiple: true }],
  }, fcall, { getKeys: numkeysKeys(2), keySpecs: [{ ...keySpecKeynum(2, 0, 1, 1, ['RO', 'access']), notes: `${KEYS_NOTE}RO and ACCESS` }], getFlags: fcallFlagBits }),
];
