/**
 * redis-cli's command help: the table behind `help <command>`, `help @<group>`, Tab completion
 * and the greyed argument hints.
 *
 * Against a 7.0 server the table comes from `COMMAND DOCS`: one entry per command and
 * subcommand ("CONFIG GET"), whose parameter string is built from the argument tree the way
 * redis-cli does it (`[NX|XX]` for optional one-ofs, `key [key ...]` for multiples, tokens
 * before their values), plus one entry per group ("@string"), all sorted by name. When the
 * server has no COMMAND DOCS (or there is no server), redis-cli falls back to a table compiled
 * into it; ours is generated from our own command table's documentation, then completed with
 * the names `COMMAND` reports, as redis-cli does for commands its table lacks.
 *
 * Hints: for the typed words, find the entry with the longest matching prefix of words, then
 * drop one parameter per extra typed word from the front of its parameter string, stopping at
 * the first optional (`[`) one.
 */
import type { ArgDoc, CommandSpec } from '../../commands/table';
import { cmpBytes, cstr, eqNoCase, startsNoCase, upperAscii } from './cformat';
import type { CliReply } from './reply';
import { splitArgs } from './split-args';

export interface HelpEntry {
  type: 'command' | 'group';
  argv: string[];
  full: string;
  name: string | null;
  params: string | null;
  summary: string | null;
  since: string | null;
  group: string | null;
}

/** An argument of a command's documentation, from COMMAND DOCS or our own table. */
interface ArgNode {
  name: string;
  type: string;
  token: string | null;
  optional: boolean;
  multiple: boolean;
  multipleToken: boolean;
  args: ArgNode[];
}

/** The command groups redis-cli knows without a server, in its order. */
export const COMMAND_GROUPS = [
  'generic', 'string', 'list', 'set', 'sorted-set', 'hash', 'pubsub', 'transactions',
  'connection', 'server', 'scripting', 'hyperloglog', 'cluster', 'geo', 'stream', 'bitmap',
];

/** sdscat_orempty: an empty name or token shows as "". */
function orEmpty(s: string): string {
  return s === '' ? '""' : s;
}

/** cliAddArgument: one argument's part of the parameter string. */
function argumentText(arg: ArgNode): string {
  const tokenPart = arg.token !== null ? orEmpty(arg.token) : '';
  let repeatPart = '';
  switch (arg.type) {
    case 'key': case 'string': case 'integer': case 'double': case 'pattern': case 'unix-time': case 'token':
      repeatPart = orEmpty(arg.name);
      break;
    case 'oneof': repeatPart = concatArguments(arg.args, '|'); break;
    case 'block': repeatPart = concatArguments(arg.args, ' '); break;
    default: break;
  }
  const token = tokenPart !== '' && arg.type !== 'pure-token' ? tokenPart + ' ' : tokenPart;
  let out = arg.optional ? '[' : '';
  out += token + repeatPart;
  if (arg.multiple) out += ' [' + (arg.multipleToken ? token : '') + repeatPart + ' ...]';
  if (arg.optional) out += ']';
  return out;
}

function concatArguments(args: ArgNode[], separator: string): string {
  return args.map(argumentText).join(separator);
}

export function paramsText(args: ArgNode[]): string {
  return concatArguments(args, ' ');
}

/* ---------- from a COMMAND DOCS reply ---------- */

function str(r: CliReply | undefined): string | null {
  if (!r) return null;
  return r.type === 'string' || r.type === 'status' || r.type === 'error' || r.type === 'verb' ? cstr(r.str) : null;
}

function pairs(r: CliReply | undefined): [string, CliReply][] {
  if (!r || (r.type !== 'map' && r.type !== 'array')) return [];
  const out: [string, CliReply][] = [];
  for (let i = 0; i + 1 < r.element.length; i += 2) {
    const k = str(r.element[i]);
    if (k !== null) out.push([k, r.element[i + 1]]);
  }
  return out;
}

function argFromReply(r: CliReply): ArgNode | null {
  if (r.type !== 'map' && r.type !== 'array') return null;
  const node: ArgNode = { name: '', type: '', token: null, optional: false, multiple: false, multipleToken: false, args: [] };
  for (const [key, value] of pairs(r)) {
    if (key === 'name') node.name = str(value) ?? '';
    else if (key === 'token') node.token = str(value) ?? '';
    else if (key === 'type') node.type = str(value) ?? '';
    else if (key === 'arguments' && (value.type === 'array' || value.type === 'set')) {
      node.args = value.element.map(argFromReply).filter((a): a is ArgNode => a !== null);
    } else if (key === 'flags' && (value.type === 'set' || value.type === 'array')) {
      for (const f of value.element) {
        const flag = str(f);
        if (flag === 'optional') node.optional = true;
        else if (flag === 'multiple') node.multiple = true;
        else if (flag === 'multiple_token') node.multipleToken = true;
      }
    }
  }
  return node;
}

function entryFromDocs(cmdname: string, subname: string | null, specs: CliReply, groups: Set<string>, out: HelpEntry[]): void {
  const argv = [upperAscii(cmdname)];
  if (subname !== null) {
    const bar = subname.indexOf('|');
    argv.push(upperAscii(subname.slice(bar + 1)));
  }
  const full = argv.join(' ');
  const entry: HelpEntry = { type: 'command', argv, full, name: full, params: '', summary: null, since: null, group: null };
  out.push(entry);
  for (const [key, value] of pairs(specs)) {
    if (key === 'summary') entry.summary = str(value);
    else if (key === 'since') entry.since = str(value);
    else if (key === 'group') {
      entry.group = str(value);
      if (entry.group !== null) groups.add(entry.group);
    } else if (key === 'arguments' && value.type === 'array') {
      entry.params += paramsText(value.element.map(argFromReply).filter((a): a is ArgNode => a !== null));
    } else if (key === 'subcommands') {
      for (const [sub, subspecs] of pairs(value)) entryFromDocs(cmdname, sub, subspecs, groups, out);
    }
  }
}

function groupEntry(group: string): HelpEntry {
  const name = `@${group}`;
  return { type: 'group', argv: [name], full: name, name: null, params: null, summary: null, since: null, group: null };
}

/** cliInitHelp with a COMMAND DOCS reply: command and group entries sorted by name. */
export function helpFromCommandDocs(reply: CliReply): HelpEntry[] {
  const entries: HelpEntry[] = [];
  const groups = new Set<string>();
  for (const [name, specs] of pairs(reply)) entryFromDocs(name, null, specs, groups, entries);
  for (const g of groups) entries.push(groupEntry(g));
  return entries.sort((a, b) => cmpBytes(a.full, b.full));
}

/* ---------- the built-in table, from our command table ---------- */

function argFromDoc(d: ArgDoc): ArgNode {
  return {
    name: d.name, type: d.type, token: d.token ?? null, optional: !!d.optional, multiple: !!d.multiple,
    multipleToken: !!d.multipleToken, args: (d.args ?? []).map(argFromDoc),
  };
}

function entryFromSpec(spec: CommandSpec, parent: CommandSpec | null): HelpEntry {
  const argv = parent ? [upperAscii(parent.name), upperAscii(spec.name)] : [upperAscii(spec.name)];
  const full = argv.join(' ');
  return {
    type: 'command', argv, full, name: full, params: paramsText((spec.args ?? []).map(argFromDoc)),
    summary: spec.summary, since: spec.since, group: spec.group,
  };
}

/** cliOldInitHelp: the groups, then every command and subcommand we document, by name. */
export function helpFromSpecs(specs: CommandSpec[]): HelpEntry[] {
  const commands: HelpEntry[] = [];
  for (const spec of specs) {
    commands.push(entryFromSpec(spec, null));
    for (const sub of spec.subcommands ?? []) commands.push(entryFromSpec(sub, spec));
  }
  commands.sort((a, b) => cmpBytes(a.full, b.full));
  return [...COMMAND_GROUPS.map(groupEntry), ...commands];
}

/**
 * cliOldIntegrateHelp: add the commands a COMMAND reply lists that the table lacks, with
 * parameters guessed from arity and key positions.
 */
export function integrateCommandReply(entries: HelpEntry[], reply: CliReply): void {
  if (reply.type !== 'array') return;
  for (const item of reply.element) {
    if (item.type !== 'array' || item.element.length < 4) return;
    const [nameR, arityR, , firstKeyR] = item.element;
    if (nameR.type !== 'string' || arityR.type !== 'integer' || firstKeyR.type !== 'integer') return;
    const cmdname = cstr(nameR.str);
    if (entries.some((e) => eqNoCase(e.argv[0], cmdname))) continue;
    const upper = upperAscii(cmdname);
    let params = '';
    let args = Math.abs(Number(arityR.integer)) - 1;
    if (firstKeyR.integer === 1n) { params += 'key '; args--; }
    while (args-- > 0) params += 'arg ';
    if (arityR.integer < 0n) params += '...options...';
    entries.push({
      type: 'command', argv: [upper], full: upper, name: upper, params,
      summary: 'Help not available', since: 'Not known', group: COMMAND_GROUPS[0],
    });
  }
}

/* ---------- output, completion, hints ---------- */

/** printf("%s") of a possibly NULL string (glibc prints "(null)"). */
function pct(s: string | null): string {
  return s ?? '(null)';
}

export function commandHelpText(e: HelpEntry, withGroup: boolean): string {
  let out = `\r\n  \x1b[1m${pct(e.name)}\x1b[0m \x1b[90m${pct(e.params)}\x1b[0m\r\n`;
  out += `  \x1b[33msummary:\x1b[0m ${pct(e.summary)}\r\n`;
  if (e.since !== null) out += `  \x1b[33msince:\x1b[0m ${e.since}\r\n`;
  if (withGroup) out += `  \x1b[33mgroup:\x1b[0m ${pct(e.group)}\r\n`;
  return out;
}

export function genericHelpText(version: string): string {
  return `redis-cli ${version}\n`
    + 'To get help about Redis commands type:\n'
    + '      "help @<group>" to get a list of commands in <group>\n'
    + '      "help <command>" for help on <command>\n'
    + '      "help <tab>" to get a list of possible help topics\n'
    + '      "quit" to exit\n'
    + '\n'
    + 'To set redis-cli preferences:\n'
    + '      ":set hints" enable online hints\n'
    + '      ":set nohints" disable online hints\n'
    + 'Set your preferences in ~/.redisclirc\n';
}

/** cliOutputHelp for `help <args...>` (args non-empty). */
export function helpText(entries: HelpEntry[], args: string[]): string {
  const group = args[0].startsWith('@') ? args[0].slice(1) : null;
  let out = '';
  for (const e of entries) {
    if (e.type !== 'command') continue;
    if (group === null) {
      if (args.length <= e.argv.length && args.every((a, j) => eqNoCase(a, e.argv[j]))) out += commandHelpText(e, true);
    } else if (e.group !== null && eqNoCase(group, e.group)) {
      out += commandHelpText(e, false);
    }
  }
  return out + '\r\n';
}

function isSpaceChar(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

/** completionCallback: whole-line completions for Tab. */
export function completions(entries: HelpEntry[], input: string): string[] {
  const buf = cstr(input);
  let startpos = 0;
  let withGroups = false;
  if (startsNoCase(buf, 'help ')) {
    startpos = 5;
    while (isSpaceChar(buf[startpos])) startpos++;
    withGroups = true;
  }
  const typed = buf.slice(startpos);
  const out: string[] = [];
  for (const e of entries) {
    if (e.type === 'group' && !withGroups) continue;
    if (startsNoCase(e.full, typed)) out.push(buf.slice(0, startpos) + e.full);
  }
  return out;
}

/** hintsCallback: the greyed text after the cursor, or null. */
export function hint(entries: HelpEntry[], input: string): string | null {
  const buf = cstr(input);
  const argv = splitArgs(buf);
  if (argv === null || argv.length === 0) return null;
  const endspace = buf.length > 0 && isSpaceChar(buf[buf.length - 1]);
  let best: HelpEntry | null = null;
  let matchlen = 0;
  for (const e of entries) {
    if (e.type !== 'command') continue;
    // e.argv is sdssplitargs(e.full): command words never need quoting.
    const raw = e.argv;
    if (raw.length > argv.length) continue;
    if (raw.every((w, j) => eqNoCase(w, argv[j])) && raw.length > matchlen) {
      matchlen = raw.length;
      best = e;
    }
  }
  if (!best) return null;
  let h = best.params ?? '';
  let toremove = argv.length - matchlen;
  while (toremove > 0 && h.length > 0) {
    if (h[0] === '[') break;
    if (h[0] === ' ') toremove--;
    h = h.slice(1);
  }
  return endspace ? h : ' ' + h;
}
