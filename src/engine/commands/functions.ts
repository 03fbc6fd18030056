/**
 * FUNCTION and FCALL/FCALL_RO (functions.c) for an engine without any script engine.
 *
 * Redis 7.0 runs function libraries through registered engines (only Lua ships). This engine
 * has none, so it behaves like a Redis whose engine table is empty: every library fails to
 * load with Redis's own error for an unknown engine, after the same metadata checks, in the
 * same order (shebang, `name=`, library name characters, then the engine). Everything that
 * does not need an engine answers exactly as Redis with no libraries loaded does:
 * FUNCTION LIST is empty, STATS shows no running script (and, unlike Redis, no engines),
 * DELETE finds no library, KILL finds no script, FCALL finds no function.
 *
 * Libraries that arrived in an RDB file are not loaded either; persistence keeps their code
 * so a later save writes them back unchanged. FUNCTION DUMP serialises those (the same
 * RDB_OPCODE_FUNCTION2 records a SAVE writes), FUNCTION FLUSH and RESTORE ... FLUSH drop
 * them, as Redis drops all libraries.
 */
import type { Client } from '../server/client';
import { scriptKill } from '../server/script-run';
import { cmd, type CommandSpec } from './table';
import { addReplyHelp, subcommandSyntaxError } from './help';
import { keySpecKeynum } from './command';
import { numkeysKeys } from './collection-util';
import { optEq } from './util';
import { feedMonitors } from '../server/dispatch';
import { persistenceOf } from '../persistence/state';
import { splitArgsStr } from '../resp/request-parser';
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

/**
 * functionsCreateWithLibraryCtx() up to the engine lookup, which always fails here: the
 * error text a library's code gets.
 */
function libraryLoadError(code: string): string {
  const payload = cstr(code);
  if (!payload.startsWith('#!')) return 'Missing library metadata';
  const nl = payload.indexOf('\n');
  if (nl < 0) return 'Invalid library metadata';
  const parts = splitArgsStr(payload.slice(0, nl));
  if (!parts || parts.length === 0) return 'Invalid library metadata';
  const engine = parts[0].slice(2);
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return 'Invalid metadata value, name argument was given multiple times';
      name = part.slice(5);
      continue;
    }
    return `Invalid metadata value given: ${cstr(part)}`;
  }
  if (name === null) return 'Library name was not given';
  if (!/^[A-Za-z0-9_]+$/.test(name)) {
    return 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';
  }
  return `Engine '${engine}' not found`;
}

/** FUNCTION LOAD [REPLACE] <code>. */
function functionLoad(c: Client, argv: string[]): void {
  let pos = 2;
  while (pos < argv.length - 1) {
    const opt = argv[pos++];
    if (optEq(opt, 'replace')) continue;
    c.replyError(`Unknown option given: ${cstr(opt)}`);
    return;
  }
  c.replyError(libraryLoadError(argv[pos]));
}

/** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]: argument checks, then no libraries. */
function functionList(c: Client, argv: string[]): void {
  let withCode = false, libraryName = false;
  for (let i = 2; i < argv.length; i++) {
    if (!withCode && optEq(argv[i], 'withcode')) { withCode = true; continue; }
    if (!libraryName && optEq(argv[i], 'libraryname')) {
      if (i >= argv.length - 1) { c.replyError('library name argument was not given'); return; }
      libraryName = true;
      i++;
      continue;
    }
    c.replyError(`Unknown argument ${cstr(argv[i])}`);
    return;
  }
  c.replyArrayLen(0);
}

/** FUNCTION STATS: no script is ever running, and there are no engines to list. */
function functionStats(c: Client): void {
  // An EVAL script holding the server: FUNCTION STATS reports it as Redis does, with BUSY.
  if (c.server.busyScriptError !== null) { c.replyError(c.server.busyScriptError); return; }
  c.replyMapLen(2);
  c.replyBulk('running_script');
  c.replyNull();
  c.replyBulk('engines');
  c.replyMapLen(0);
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
function restoreRecordError(r: RdbReader, type: number): string {
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
    return `Failed loading ${what}`;
  }
  return libraryLoadError(code);
}

/** FUNCTION RESTORE <payload> [FLUSH|APPEND|REPLACE]. */
function functionRestore(c: Client, argv: string[]): void {
  if (argv.length > 4) { subcommandSyntaxError(c, argv); return; }
  let flush = false;
  if (argv.length === 4) {
    if (optEq(argv[3], 'flush')) flush = true;
    else if (!optEq(argv[3], 'append') && !optEq(argv[3], 'replace')) {
      c.replyError('Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
      return;
    }
  }
  const data = strToBytes(argv[2]);
  if (!verifyDumpPayload(data)) { c.replyError('DUMP payload version or checksum are wrong'); return; }
  const r = new RdbReader(data);
  while (data.length - r.pos > 10) {
    const type = r.byte();
    if (type !== OP.FUNCTION && type !== OP.FUNCTION2) { c.replyError('given type is not a function'); return; }
    c.replyError(restoreRecordError(r, type));
    return;
  }
  // An empty payload: nothing to add; FLUSH still replaces every library with none.
  if (flush) persistenceOf(c.server).functions = [];
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
  persistenceOf(c.server).functions = [];
  c.server.dirty++;
  c.replyOk();
}

/** FCALL/FCALL_RO: fed to MONITOR first (functions are), then no function exists. */
function fcall(c: Client, argv: string[]): void {
  feedMonitors(c.server, c, c.db.id, argv);
  c.replyError('Function not found');
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
      }, (c) => c.replyError('Library not found')),
      cmd('dump', 2, ['noscript'], [0, 0, 0], { ...G, since: '7.0.0', summary: 'Serialize every library as a payload.', complexity: 'O(N) where N is the number of functions' },
        functionDump),
      cmd('flush', -2, ['write', 'noscript'], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Delete every library and function.', complexity: 'O(N) where N is the number of functions deleted', tips: ALL_SHARDS,
        args: [{ name: 'flush-type', type: 'oneof', optional: true, args: [{ name: 'async', type: 'pure-token', token: 'ASYNC' }, { name: 'sync', type: 'pure-token', token: 'SYNC' }] }],
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
  cmd('fcall', -3, ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys'], [0, 0, 0], {
    ...G, since: '7.0.0', summary: 'Call a function.', complexity: 'Depends on the function that is executed.',
    args: [{ name: 'function', type: 'string' }, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', optional: true, multiple: true }, { name: 'arg', type: 'string', optional: true, multiple: true }],
  }, fcall, { getKeys: numkeysKeys(2), keySpecs: [{ ...keySpecKeynum(2, 0, 1, 1, ['RW', 'access', 'update']), notes: `${KEYS_NOTE}RW and UPDATE` }] }),
  cmd('fcall_ro', -3, ['readonly', 'noscript', 'stale', 'skip_monitor', 'no_mandatory_keys'], [0, 0, 0], {
    ...G, since: '7.0.0', summary: 'Call a read-only function.', complexity: 'Depends on the function that is executed.',
    args: [{ name: 'function', type: 'string' }, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', optional: true, multiple: true }, { name: 'arg', type: 'string', optional: true, multiple: true }],
  }, fcall, { getKeys: numkeysKeys(2), keySpecs: [{ ...keySpecKeynum(2, 0, 1, 1, ['RO', 'access']), notes: `${KEYS_NOTE}RO and ACCESS` }] }),
];
