/**
 * COMMAND and its subcommands (COUNT, INFO, DOCS, GETKEYS, GETKEYSANDFLAGS, LIST, HELP): the
 * command table described the way 7.0 describes it, in RESP2 arrays or RESP3 maps and sets.
 *
 * What the table does not state explicitly is derived like Redis derives it:
 * - ACL categories: the family's explicit ones plus write → @write, readonly → @read,
 *   admin → @admin @dangerous, pubsub → @pubsub, fast → @fast (else @slow), blocking →
 *   @blocking; printed in Redis's category order.
 * - Key specs: the list the family file states for the command, else one "index + range" spec
 *   from firstKey/lastKey/step (RO/access for reads, RW/update for writes; key-specs.ts).
 * - In COMMAND DOCS, arguments of type key point at key spec 0 unless they say otherwise.
 */
import type { Client } from '../server/client';
import { cmd, lowerAscii, type ArgDoc, type CommandSpec } from './table';
import { addReplyHelp } from './help';
import { optEq } from './util';
import { stringMatch } from '../util/glob';
import { keySpecsOf, keysWithFlags } from './key-specs';

const G = { group: 'server', acl: ['@connection'] };

/** Flags COMMAND INFO shows, in addReplyFlagsForCommand's order (the others are hidden). */
const SHOWN_FLAGS = ['write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading', 'no_multi', 'movablekeys', 'allow_busy'];

export const ACL_CATEGORIES = ['keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting'];

/** setImplicitACLCategories + the command's own categories, as a set of names without '@'. */
export function aclCategories(spec: CommandSpec): Set<string> {
  const cats = new Set((spec.acl ?? []).map((a) => a.replace(/^@/, '').toLowerCase()));
  const f = new Set<string>(spec.flags);
  if (f.has('write')) cats.add('write');
  if (f.has('readonly') && !cats.has('scripting')) cats.add('read');
  if (f.has('admin')) { cats.add('admin'); cats.add('dangerous'); }
  if (f.has('pubsub')) cats.add('pubsub');
  if (f.has('fast')) cats.add('fast');
  if (f.has('blocking')) cats.add('blocking');
  if (!cats.has('fast')) cats.add('slow');
  return cats;
}

export { keySpecsOf, keySpecRange, keySpecKeynum, keySpecKeyword, keySpecFlagsAt } from './key-specs';

/** lookupCommandBySds: "name" or "container|sub", case-insensitive. */
export function lookupByFullName(c: Client, name: string): CommandSpec | undefined {
  const parts = name.split('|');
  if (parts.length > 2) return undefined;
  const base = c.server.table.get(lowerAscii(parts[0]));
  if (!base || parts.length === 1) return base;
  return base.subcommands?.find((s) => s.name === lowerAscii(parts[1]));
}

function replyStatusSet(c: Client, items: string[]): void {
  c.replySetLen(items.length);
  for (const s of items) c.replyStatus(s);
}

function replyKeySpecs(c: Client, spec: CommandSpec): void {
  const specs = keySpecsOf(spec);
  c.replySetLen(specs.length);
  for (const ks of specs) {
    c.replyMapLen(ks.notes ? 4 : 3);
    if (ks.notes) { c.replyBulk('notes'); c.replyBulk(ks.notes); }
    c.replyBulk('flags');
    replyStatusSet(c, ks.flags);
    c.replyBulk('begin_search');
    c.replyMapLen(2);
    c.replyBulk('type');
    c.replyBulk(ks.beginSearch.type);
    c.replyBulk('spec');
    if (ks.beginSearch.type === 'index') {
      c.replyMapLen(1);
      c.replyBulk('index'); c.replyInt(ks.beginSearch.pos);
    } else if (ks.beginSearch.type === 'keyword') {
      c.replyMapLen(2);
      c.replyBulk('keyword'); c.replyBulk(ks.beginSearch.keyword);
      c.replyBulk('startfrom'); c.replyInt(ks.beginSearch.startFrom);
    } else {
      c.replyMapLen(0);
    }
    c.replyBulk('find_keys');
    c.replyMapLen(2);
    c.replyBulk('type');
    c.replyBulk(ks.findKeys.type);
    c.replyBulk('spec');
    if (ks.findKeys.type === 'range') {
      c.replyMapLen(3);
      c.replyBulk('lastkey'); c.replyInt(ks.findKeys.lastKey);
      c.replyBulk('keystep'); c.replyInt(ks.findKeys.keyStep);
      c.replyBulk('limit'); c.replyInt(ks.findKeys.limit);
    } else if (ks.findKeys.type === 'keynum') {
      c.replyMapLen(3);
      c.replyBulk('keynumidx'); c.replyInt(ks.findKeys.keyNumIdx);
      c.replyBulk('firstkey'); c.replyInt(ks.findKeys.firstKey);
      c.replyBulk('keystep'); c.replyInt(ks.findKeys.keyStep);
    } else {
      c.replyMapLen(0);
    }
  }
}

/** addReplyCommandInfo: the 10-element description (null for an unknown command). */
export function replyCommandInfo(c: Client, spec: CommandSpec | undefined): void {
  if (!spec) { c.replyNull(); return; }
  c.replyArrayLen(10);
  c.replyBulk(spec.fullname!);
  c.replyInt(spec.arity);
  replyStatusSet(c, SHOWN_FLAGS.filter((f) => (spec.flags as string[]).includes(f)));
  c.replyInt(spec.firstKey);
  c.replyInt(spec.lastKey);
  c.replyInt(spec.step);
  const cats = aclCategories(spec);
  replyStatusSet(c, ACL_CATEGORIES.filter((k) => cats.has(k)).map((k) => `@${k}`));
  c.replySetLen(spec.tips?.length ?? 0);
  for (const t of spec.tips ?? []) c.replyBulk(t);
  replyKeySpecs(c, spec);
  if (!spec.subcommands) { c.replySetLen(0); return; }
  c.replyArrayLen(spec.subcommands.length);
  for (const sub of spec.subcommands) replyCommandInfo(c, sub);
}

function replyArgs(c: Client, args: ArgDoc[], keySpecCount: number): void {
  c.replyArrayLen(args.length);
  for (const a of args) {
    const keyIdx = a.keySpecIndex ?? (a.type === 'key' && keySpecCount > 0 ? 0 : undefined);
    const flags = [a.optional && 'optional', a.multiple && 'multiple', a.multipleToken && 'multiple_token'].filter(Boolean) as string[];
    const nested = a.type === 'oneof' || a.type === 'block';
    let len = 2;
    if (keyIdx !== undefined) len++;
    // MIGRATE's empty_string has the empty token "" (shown, unlike a missing token).
    if (a.token !== undefined) len++;
    if (a.summary) len++;
    if (a.since) len++;
    if (a.deprecatedSince) len++;
    if (flags.length) len++;
    if (nested) len++;
    c.replyMapLen(len);
    c.replyBulk('name'); c.replyBulk(a.name);
    c.replyBulk('type'); c.replyBulk(a.type);
    if (keyIdx !== undefined) { c.replyBulk('key_spec_index'); c.replyInt(keyIdx); }
    if (a.token !== undefined) { c.replyBulk('token'); c.replyBulk(a.token); }
    if (a.summary) { c.replyBulk('summary'); c.replyBulk(a.summary); }
    if (a.since) { c.replyBulk('since'); c.replyBulk(a.since); }
    if (a.deprecatedSince) { c.replyBulk('deprecated_since'); c.replyBulk(a.deprecatedSince); }
    if (flags.length) { c.replyBulk('flags'); replyStatusSet(c, flags); }
    if (nested) { c.replyBulk('arguments'); replyArgs(c, a.args ?? [], keySpecCount); }
  }
}

/** addReplyCommandDocs. */
export function replyCommandDocs(c: Client, spec: CommandSpec): void {
  let len = 1;
  if (spec.summary) len++;
  if (spec.since) len++;
  if (spec.complexity) len++;
  if (spec.docFlags?.length) len++;
  if (spec.deprecatedSince) len++;
  if (spec.replacedBy) len++;
  if (spec.history?.length) len++;
  if (spec.args?.length) len++;
  if (spec.subcommands) len++;
  c.replyMapLen(len);
  if (spec.summary) { c.replyBulk('summary'); c.replyBulk(spec.summary); }
  if (spec.since) { c.replyBulk('since'); c.replyBulk(spec.since); }
  c.replyBulk('group'); c.replyBulk(spec.group);
  if (spec.complexity) { c.replyBulk('complexity'); c.replyBulk(spec.complexity); }
  if (spec.docFlags?.length) { c.replyBulk('doc_flags'); replyStatusSet(c, spec.docFlags); }
  if (spec.deprecatedSince) { c.replyBulk('deprecated_since'); c.replyBulk(spec.deprecatedSince); }
  if (spec.replacedBy) { c.replyBulk('replaced_by'); c.replyBulk(spec.replacedBy); }
  if (spec.history?.length) {
    c.replyBulk('history');
    c.replySetLen(spec.history.length);
    for (const [since, change] of spec.history) { c.replyArrayLen(2); c.replyBulk(since); c.replyBulk(change); }
  }
  if (spec.args?.length) { c.replyBulk('arguments'); replyArgs(c, spec.args, keySpecsOf(spec).length); }
  if (spec.subcommands) {
    c.replyBulk('subcommands');
    c.replyMapLen(spec.subcommands.length);
    for (const sub of spec.subcommands) { c.replyBulk(sub.fullname!); replyCommandDocs(c, sub); }
  }
}

function commandAll(c: Client): void {
  const all = c.server.table.entries();
  c.replyArrayLen(all.length);
  for (const [, spec] of all) replyCommandInfo(c, spec);
}

function commandCount(c: Client): void {
  c.replyInt(c.server.table.entries().length);
}

function commandInfo(c: Client, argv: string[]): void {
  if (argv.length === 2) { commandAll(c); return; }
  c.replyArrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) replyCommandInfo(c, lookupByFullName(c, argv[i]));
}

function commandDocs(c: Client, argv: string[]): void {
  const found: CommandSpec[] = [];
  if (argv.length === 2) {
    for (const [, spec] of c.server.table.entries()) found.push(spec);
  } else {
    for (let i = 2; i < argv.length; i++) {
      const spec = lookupByFullName(c, argv[i]);
      if (spec) found.push(spec);
    }
  }
  c.replyMapLen(found.length);
  for (const spec of found) { c.replyBulk(spec.fullname!); replyCommandDocs(c, spec); }
}

/** getKeysSubcommandImpl. */
function getKeys(c: Client, argv: string[], withFlags: boolean): void {
  const cmdArgv = argv.slice(2);
  const spec = c.server.table.lookup(cmdArgv);
  if (!spec) { c.replyError('Invalid command specified'); return; }
  const specs = keySpecsOf(spec);
  const hasKeys = !!spec.getKeys || (specs.length > 0 && !specs[0].flags.includes('not_key'));
  if (!hasKeys) { c.replyError('The command has no key arguments'); return; }
  if ((spec.arity > 0 && spec.arity !== cmdArgv.length) || cmdArgv.length < -spec.arity) {
    c.replyError('Invalid number of arguments specified for command');
    return;
  }
  const positions = c.server.table.keyPositions(spec, cmdArgv);
  if (positions.length === 0) {
    if ((spec.flags as string[]).includes('no_mandatory_keys')) c.replyArrayLen(0);
    else c.replyError('Invalid arguments specified for command');
    return;
  }
  c.replyArrayLen(positions.length);
  for (const k of keysWithFlags(spec, cmdArgv, positions)) {
    if (!withFlags) { c.replyBulk(cmdArgv[k.pos]); continue; }
    c.replyArrayLen(2);
    c.replyBulk(cmdArgv[k.pos]);
    replyStatusSet(c, k.flags);
  }
}

function commandList(c: Client, argv: string[]): void {
  let filter: { type: 'module' | 'aclcat' | 'pattern'; arg: string } | null = null;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (optEq(argv[i], 'filterby') && more === 2) {
      const t = argv[i + 1].toLowerCase();
      if (t !== 'module' && t !== 'aclcat' && t !== 'pattern') { c.replySyntaxError(); return; }
      filter = { type: t, arg: argv[i + 2] };
      i += 2;
    } else {
      c.replySyntaxError();
      return;
    }
  }
  const names: string[] = [];
  const keep = (spec: CommandSpec): boolean => {
    if (!filter) return true;
    if (filter.type === 'module') return false;
    if (filter.type === 'aclcat') {
      const cat = filter.arg.toLowerCase();
      return ACL_CATEGORIES.includes(cat) && aclCategories(spec).has(cat);
    }
    return stringMatch(filter.arg, spec.fullname!, true);
  };
  for (const [, spec] of c.server.table.entries()) {
    if (keep(spec)) names.push(spec.fullname!);
    for (const sub of spec.subcommands ?? []) if (keep(sub)) names.push(sub.fullname!);
  }
  c.replyArrayLen(names.length);
  for (const n of names) c.replyBulk(n);
}

const COMMAND_HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

const F = ['loading', 'stale'] as const;
const ORDER_TIP = ['nondeterministic_output_order'];

export const commandCommands: CommandSpec[] = [
  cmd('command', -1, [...F], [0, 0, 0], {
    ...G, since: '2.8.13', summary: 'Describe every command the server knows.', complexity: 'O(N) where N is the total number of Redis commands', tips: ORDER_TIP,
  }, commandAll, {
    subcommands: [
      cmd('count', 2, [...F], [0, 0, 0], { ...G, since: '2.8.13', summary: 'How many commands the server knows.', complexity: 'O(1)' }, commandCount),
      cmd('docs', -2, [...F], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Documentation of commands.', complexity: 'O(N) where N is the number of commands to look up', tips: ORDER_TIP,
        args: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
      }, commandDocs),
      cmd('getkeys', -4, [...F], [0, 0, 0], {
        // No arguments in COMMAND DOCS: Redis 7.0.15 states none for GETKEYS and GETKEYSANDFLAGS.
        ...G, since: '2.8.13', summary: 'Extract the key names from a full command line.', complexity: 'O(N) where N is the number of arguments to the command',
      }, (c, a) => getKeys(c, a, false)),
      cmd('getkeysandflags', -4, [...F], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Extract the key names and their access flags from a full command line.', complexity: 'O(N) where N is the number of arguments to the command',
      }, (c, a) => getKeys(c, a, true)),
      cmd('help', 2, [...F], [0, 0, 0], { ...G, since: '5.0.0', summary: 'Show helpful text about the different subcommands.', complexity: 'O(1)' },
        (c, a) => addReplyHelp(c, a, COMMAND_HELP)),
      cmd('info', -2, [...F], [0, 0, 0], {
        ...G, since: '2.8.13', summary: 'Details about commands.', complexity: 'O(N) where N is the number of commands to look up', tips: ORDER_TIP,
        args: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
      }, commandInfo, { history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']] }),
      cmd('list', -2, [...F], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'The names of the commands, optionally filtered.', complexity: 'O(N) where N is the total number of Redis commands', tips: ORDER_TIP,
        args: [{ name: 'filterby', type: 'oneof', token: 'FILTERBY', optional: true, args: [
          { name: 'module-name', type: 'string', token: 'MODULE' }, { name: 'category', type: 'string', token: 'ACLCAT' }, { name: 'pattern', type: 'pattern', token: 'PATTERN' }] }],
      }, commandList),
    ],
  }),
];
