/**
 * ACL and its subcommands (SETUSER, GETUSER, DELUSER, USERS, LIST, WHOAMI, CAT, GENPASS,
 * DRYRUN, LOG, LOAD, SAVE, HELP) over the user model in server/acl.ts, plus the helpers the
 * dispatcher and AUTH use: the NOPERM check with its ACL LOG entry, and killing the clients
 * of a deleted user.
 */
import type { Client } from '../server/client';
import type { RedisServer } from '../server/server';
import { cmd, type CommandSpec } from './table';
import { addReplyHelp, subcommandSyntaxError } from './help';
import { getLongLongOrReply } from './util';
import { ACL_CATEGORIES } from './command';
import {
  Acl, ACL_DENIED_AUTH, ACL_DENIED_CHANNEL, ACL_DENIED_CMD, ACL_DENIED_KEY, ACL_OK, hasSpaces, mergeSelectorArgs,
  aclOpErrorText, selectorChannelsString, selectorKeysString, type AclLogEntry, type AclSelector, type AclUser,
} from '../server/acl';
import { clientInfoString } from '../server/client-info';
import { randomHex } from '../util/random';
import { replyAfter } from '../server/async-reply';
import { bytesToStr, strToBytes } from '../bytes';

const G = { group: 'server', acl: [] as string[] };

// ---- shared with the dispatcher and AUTH ---------------------------------------------------

/** addACLLogEntry for `c`: the object is the command, key or channel at `pos`, or argv[0] for AUTH. */
export function addAclLogEntry(c: Client, reason: number, context: AclLogEntry['context'], pos: number, username?: string, object?: string): void {
  const s = c.server;
  let obj = object;
  if (obj === undefined) {
    if (reason === ACL_DENIED_CMD) obj = c.cmd?.fullname ?? '';
    else if (reason === ACL_DENIED_KEY || reason === ACL_DENIED_CHANNEL) obj = c.argv[pos] ?? '';
    else if (reason === ACL_DENIED_AUTH) obj = c.argv[0] ?? '';
    else obj = '';
  }
  s.acl.addLog({
    reason, context, object: obj, username: username ?? c.user, ctimeMs: s.nowMs(), cinfo: clientInfoString(s, c),
  }, s.config.get<number>('acllog-max-len'));
}

/** The default user's usual rules (+@all ~* &*): nothing to check, on every command's path. */
function allowsEverything(u: AclUser): boolean {
  const root = u.root;
  return u.selectors.length === 1 && root.allCommands && root.allKeys && root.allChannels;
}

/** Why the client's user may not run `spec` with `argv` (ACLCheckAllPerm), or null when it may. */
function refusal(s: RedisServer, c: Client, spec: CommandSpec, argv: string[]): { result: number; pos: number } | null {
  const u = s.acl.users.get(c.user);
  // The master link and internal clients run as the superuser.
  if (!u || allowsEverything(u)) return null;
  const r = s.acl.checkCommand(u, spec, argv, (sp, a) => s.table.keyPositions(sp, a));
  return r.result === ACL_OK ? null : r;
}

/**
 * processCommand's ACL step: null when the client's user may run `spec` with `argv`, else the
 * NOPERM error (the ACL LOG entry is already added).
 */
export function aclCheckOrError(s: RedisServer, c: Client, spec: CommandSpec, argv: string[]): string | null {
  const r = refusal(s, c, spec, argv);
  if (!r) return null;
  addAclLogEntry(c, r.result, c.inMulti ? 'multi' : 'toplevel', r.pos);
  if (r.result === ACL_DENIED_CMD) return `-NOPERM this user has no permissions to run the '${spec.fullname}' command`;
  if (r.result === ACL_DENIED_KEY) return '-NOPERM this user has no permissions to access one of the keys used as arguments';
  return '-NOPERM this user has no permissions to access one of the channels used as arguments';
}

/**
 * scriptVerifyACL(): a command a script calls is checked against the calling user; the refusal
 * is logged in the 'lua' context (with the caller's client info) and the script gets
 * "The user executing the script ..." (getAclErrorMessage).
 */
export function aclScriptCheck(s: RedisServer, caller: Client, spec: CommandSpec, argv: string[]): string | null {
  const r = refusal(s, caller, spec, argv);
  if (!r) return null;
  const object = r.result === ACL_DENIED_CMD ? spec.fullname ?? '' : argv[r.pos] ?? '';
  addAclLogEntry(caller, r.result, 'lua', r.pos, undefined, object);
  const why = r.result === ACL_DENIED_CMD ? "can't run this command or subcommand"
    : r.result === ACL_DENIED_KEY ? "can't access at least one of the keys mentioned in the command arguments"
      : r.result === ACL_DENIED_CHANNEL ? "can't publish to the channel mentioned in the command"
        : 'lacking the permissions for the command';
  return `The user executing the script ${why}`;
}

/** EXEC's re-check of a queued command: null or the NOPERM text Redis gives inside EXEC. */
export function aclExecCheck(s: RedisServer, c: Client, spec: CommandSpec, argv: string[]): string | null {
  const r = refusal(s, c, spec, argv);
  if (!r) return null;
  const reason = r.result === ACL_DENIED_CMD ? 'no permission to execute the command or subcommand'
    : r.result === ACL_DENIED_KEY ? 'no permission to touch the specified keys'
      : 'no permission to access one of the channels used as arguments';
  const prevArgv = c.argv, prevCmd = c.cmd;
  c.argv = argv; c.cmd = spec;
  addAclLogEntry(c, r.result, 'multi', r.pos);
  c.argv = prevArgv; c.cmd = prevCmd;
  return `-NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`;
}

/** ACLAuthenticateUser: log in as `user`, or log the failure. */
export function aclAuthenticate(c: Client, user: string, pass: string): boolean {
  if (c.server.acl.checkCredentials(user, pass)) {
    c.authenticated = true;
    c.user = user;
    return true;
  }
  addAclLogEntry(c, ACL_DENIED_AUTH, c.inMulti ? 'multi' : 'toplevel', 0, user);
  return false;
}

/** ACLFreeUserAndKillClients: the user's connections go (the current one after its reply). */
function killClientsOf(c: Client, name: string): void {
  const s = c.server;
  for (const cl of [...s.clients.values()]) {
    if (cl.user !== name) continue;
    cl.user = 'default';
    cl.authenticated = false;
    if (cl === c) cl.close();
    else s.freeClient(cl);
  }
}

/** ACLKillPubsubClientsIfNeeded: subscribers whose channels the new rules no longer allow go. */
function killPubsubClientsIfNeeded(s: RedisServer, current: Client, before: AclUser, after: AclUser): void {
  if (after.selectors.some((sel) => sel.allChannels)) return;
  const upcoming = after.selectors.flatMap((sel) => sel.channels);
  let superset = true;
  for (const sel of before.selectors) {
    if (sel.allChannels || sel.channels.some((ch) => !upcoming.includes(ch))) { superset = false; break; }
  }
  if (superset) return;
  const probe = s.acl.newUser('');
  probe.selectors[0].channels = upcoming;
  for (const cl of [...s.clients.values()]) {
    if (cl.user !== before.name || cl.kind() !== 'pubsub') continue;
    let kill = false;
    for (const p of cl.patterns.keys()) if (!kill && !Acl.channelsAllowUser(probe, p, true)) kill = true;
    for (const ch of cl.channels.keys()) if (!kill && !Acl.channelsAllowUser(probe, ch, false)) kill = true;
    for (const ch of cl.shardChannels.keys()) if (!kill && !Acl.channelsAllowUser(probe, ch, false)) kill = true;
    if (kill) { if (cl === current) cl.close(); else s.freeClient(cl); }
  }
}

// ---- the subcommands -----------------------------------------------------------------------

function setuser(c: Client, argv: string[]): void {
  for (let j = 2; j < argv.length; j++) c.redactArg(j);
  const name = argv[2];
  if (hasSpaces(name)) { c.replyError("Usernames can't contain spaces or null characters"); return; }
  const s = c.server;
  const err = s.acl.stringSetUser(name, argv.slice(3), (before, after) => {
    if (before) killPubsubClientsIfNeeded(s, c, before, after);
  });
  if (err === null) c.replyOk();
  else c.replyError(err.replace(/[\r\n]/g, ' '));
}

function deluser(c: Client, argv: string[]): void {
  const s = c.server;
  for (let j = 2; j < argv.length; j++) {
    if (argv[j] === 'default') { c.replyError("The 'default' user cannot be removed"); return; }
  }
  let deleted = 0;
  for (let j = 2; j < argv.length; j++) {
    if (!s.acl.users.delete(argv[j])) continue;
    deleted++;
    killClientsOf(c, argv[j]);
  }
  c.replyInt(deleted);
}

function replySelector(c: Client, s: AclSelector): void {
  c.replyBulk('commands');
  c.replyBulk(c.server.acl.describeCommandRules(s));
  c.replyBulk('keys');
  c.replyBulk(selectorKeysString(s));
  c.replyBulk('channels');
  c.replyBulk(selectorChannelsString(s));
}

function getuser(c: Client, argv: string[]): void {
  const u = c.server.acl.users.get(argv[2]);
  if (!u) { c.replyNull(); return; }
  c.replyMapLen(6);
  c.replyBulk('flags');
  const flags = c.server.acl.userFlags(u);
  c.replySetLen(flags.length);
  for (const f of flags) c.replyBulk(f);
  c.replyBulk('passwords');
  c.replyArrayLen(u.passwords.length);
  for (const p of u.passwords) c.replyBulk(p);
  replySelector(c, u.root);
  c.replyBulk('selectors');
  c.replyArrayLen(u.selectors.length - 1);
  for (const sel of u.selectors.slice(1)) { c.replyMapLen(3); replySelector(c, sel); }
}

/** "user <name> <rules>" for every user, as ACL LIST, ACL SAVE and CONFIG REWRITE write them. */
export function aclUserLines(s: RedisServer): string[] {
  return s.acl.sortedUsers().map((u) => `user ${u.name} ${s.acl.describeUser(u)}`);
}

/** CONFIG REWRITE's `user` lines (rewriteConfigUserOption), without the leading "user ". */
export function aclRewriteLines(s: RedisServer): string[] {
  return s.acl.sortedUsers().map((u) => `${u.name} ${s.acl.describeUser(u)}`);
}

function list(c: Client, justNames: boolean): void {
  const s = c.server;
  const users = s.acl.sortedUsers();
  c.replyArrayLen(users.length);
  for (const u of users) c.replyBulk(justNames ? u.name : `user ${u.name} ${s.acl.describeUser(u)}`);
}

function whoami(c: Client): void {
  c.replyBulk(c.user);
}

function cat(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    c.replyArrayLen(ACL_CATEGORIES.length);
    for (const name of ACL_CATEGORIES) c.replyBulk(name);
    return;
  }
  if (argv.length !== 3) { subcommandSyntaxError(c, argv); return; }
  const wanted = argv[2].toLowerCase();
  if (!ACL_CATEGORIES.includes(wanted)) { c.replyError(`Unknown category '${argv[2].slice(0, 128)}'`); return; }
  const names: string[] = [];
  const walk = (cmds: CommandSpec[]) => {
    for (const spec of cmds) {
      if (c.server.acl.categoriesOf(spec).has(wanted)) names.push(spec.fullname!);
      if (spec.subcommands) walk(spec.subcommands);
    }
  };
  walk(c.server.table.all());
  c.replyArrayLen(names.length);
  for (const n of names) c.replyBulk(n);
}

function genpass(c: Client, argv: string[]): void {
  if (argv.length > 3) { subcommandSyntaxError(c, argv); return; }
  let bits = 256;
  if (argv.length === 3) {
    const v = getLongLongOrReply(c, argv[2]);
    if (v === null) return;
    bits = v;
  }
  if (bits <= 0 || bits > 4096) {
    c.replyError('ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096');
    return;
  }
  c.replyBulk(randomHex(c.server.os, Math.floor((bits + 3) / 4)));
}

function log(c: Client, argv: string[]): void {
  if (argv.length > 3) { subcommandSyntaxError(c, argv); return; }
  const s = c.server;
  let count = 10;
  if (argv.length === 3) {
    if (argv[2].toLowerCase() === 'reset') { s.acl.log.length = 0; c.replyOk(); return; }
    const v = getLongLongOrReply(c, argv[2]);
    if (v === null) return;
    count = Math.max(0, v);
  }
  const entries = s.acl.log.slice(0, count);
  const now = s.nowMs();
  c.replyArrayLen(entries.length);
  for (const e of entries) {
    c.replyMapLen(7);
    c.replyBulk('count'); c.replyInt(e.count);
    c.replyBulk('reason');
    c.replyBulk(e.reason === ACL_DENIED_CMD ? 'command' : e.reason === ACL_DENIED_KEY ? 'key' : e.reason === ACL_DENIED_CHANNEL ? 'channel' : e.reason === ACL_DENIED_AUTH ? 'auth' : 'unknown');
    c.replyBulk('context'); c.replyBulk(e.context);
    c.replyBulk('object'); c.replyBulk(e.object);
    c.replyBulk('username'); c.replyBulk(e.username);
    c.replyBulk('age-seconds'); c.replyDouble((now - e.ctimeMs) / 1000);
    c.replyBulk('client-info'); c.replyBulk(e.cinfo);
  }
}

function dryrun(c: Client, argv: string[]): void {
  const s = c.server;
  const u = s.acl.users.get(argv[2]);
  if (!u) { c.replyError(`User '${argv[2]}' not found`); return; }
  const target = argv.slice(3);
  const spec = s.table.lookup(target);
  if (!spec) { c.replyError(`Command '${argv[3]}' not found`); return; }
  if ((spec.arity > 0 && spec.arity !== target.length) || target.length < -spec.arity) {
    c.replyError(`wrong number of arguments for '${spec.fullname}' command`);
    return;
  }
  const r = s.acl.checkCommand(u, spec, target, (sp, a) => s.table.keyPositions(sp, a));
  if (r.result === ACL_OK) { c.replyOk(); return; }
  if (r.result === ACL_DENIED_CMD) c.replyBulk(`This user has no permissions to run the '${spec.fullname}' command`);
  else if (r.result === ACL_DENIED_KEY) c.replyBulk(`This user has no permissions to access the '${target[r.pos]}' key`);
  else c.replyBulk(`This user has no permissions to access the '${target[r.pos]}' channel`);
}

const NO_ACLFILE = 'This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

function aclFile(s: RedisServer): string {
  return s.config.get<string>('aclfile') ?? '';
}

/**
 * ACLLoadFromFile: every line is validated against a fresh set of users; with any error
 * nothing changes and the errors come back as one line. `text` is the file's content.
 */
export function loadAclText(s: RedisServer, filename: string, text: string): string | null {
  const acl = s.acl;
  const fresh = new Map<string, AclUser>();
  let errors = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const linenum = i + 1;
    const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '') continue;
    const argv = line.split(' ');
    if (argv[0] !== 'user' || argv.length < 2) {
      errors += `${filename}:${linenum} should start with user keyword followed by the username. `;
      continue;
    }
    if (hasSpaces(argv[1])) {
      errors += `'${filename}:${linenum}: username '${argv[1]}' contains invalid characters. `;
      continue;
    }
    if (fresh.has(argv[1])) {
      errors += `WARNING: Duplicate user '${argv[1]}' found on line ${linenum}. `;
      continue;
    }
    const u = acl.newUser(argv[1]);
    fresh.set(argv[1], u);
    const merged = mergeSelectorArgs(argv.slice(2));
    if ('invalid' in merged) {
      errors += `${filename}:${linenum}: Unmatched parenthesis in selector definition.`;
      continue;
    }
    let syntaxError = false;
    for (const raw of merged.args) {
      const op = raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
      const err = acl.setUser(u, op);
      if (!err) continue;
      if (err === 'ENOENT') errors += `${filename}:${linenum}: Error in applying operation '${op}': ${aclOpErrorText(err)}. `;
      else if (!syntaxError) { errors += `${filename}:${linenum}: ${aclOpErrorText(err)}. `; syntaxError = true; }
    }
  }
  if (errors !== '') return `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed`;
  const def = fresh.get('default') ?? acl.createDefaultUser();
  acl.defaultUser.copyFrom(def);
  fresh.set('default', acl.defaultUser);
  // Every old user but the default one is freed with its connections (ACLFreeUsersSet), even
  // one the file defines again; the connection running ACL LOAD goes after its reply.
  for (const cl of [...s.clients.values()]) {
    if (cl.user === 'default' || !acl.users.has(cl.user)) continue;
    cl.user = 'default';
    cl.authenticated = false;
    if (cl === s.currentClient) cl.close();
    else s.freeClient(cl);
  }
  acl.users.clear();
  for (const [k, v] of fresh) acl.users.set(k, v);
  return null;
}

/**
 * ACLLoadUsersAtStartup: `user` lines of redis.conf, or the aclfile (not both). Returns false
 * when the server must exit (the reason is logged).
 */
export async function loadUsersAtStartup(s: RedisServer, users: string[][]): Promise<boolean> {
  const filename = aclFile(s);
  if (filename !== '' && users.length > 0) {
    s.log.warning('Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.');
    return false;
  }
  for (const argv of users) {
    const [name, ...rules] = argv;
    if (hasSpaces(name)) { s.log.warning('Spaces not allowed in ACL usernames'); s.log.warning('Critical error while loading ACLs. Exiting.'); return false; }
    let u = s.acl.users.get(name);
    if (u) s.acl.setUser(u, 'reset');
    else { u = s.acl.newUser(name); s.acl.users.set(name, u); }
    const merged = mergeSelectorArgs(rules);
    for (const op of 'args' in merged ? merged.args : []) {
      const err = s.acl.setUser(u, op);
      if (err) {
        s.log.warning(`Error loading ACL rule '${op}' for the user named '${name}': ${aclOpErrorText(err)}`);
        s.log.warning('Critical error while loading ACLs. Exiting.');
        return false;
      }
    }
    if (!u.enabled) s.log.notice(`The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`);
  }
  if (filename !== '') {
    let text: string;
    try { text = bytesToStr(await s.os.fs.readFile(filename)); } catch (e) {
      s.log.warning(`Aborting Redis startup because of ACL errors: Error loading ACLs, opening file '${filename}': ${osErrorText(e as { code?: string })}`);
      return false;
    }
    const err = loadAclText(s, filename, text);
    if (err !== null) { s.log.warning(`Aborting Redis startup because of ACL errors: ${err}`); return false; }
  }
  return true;
}

function load(c: Client): void {
  const s = c.server;
  const filename = aclFile(s);
  const work = s.os.fs.readFile(filename).then((b) => ({ text: bytesToStr(b) }), (e: { message?: string; code?: string }) => ({ error: osErrorText(e) }));
  replyAfter(c, work, (cl, out) => {
    if ('error' in out) { cl.replyError(`Error loading ACLs, opening file '${filename}': ${out.error}`); return; }
    const err = loadAclText(s, filename, out.text);
    if (err === null) cl.replyOk();
    else cl.replyError(err);
  }, (cl) => cl.replyOk());
}

function osErrorText(e: { message?: string; code?: string }): string {
  if (e?.code === 'ENOENT') return 'No such file or directory';
  if (e?.code === 'EACCES') return 'Permission denied';
  return e?.message ?? String(e);
}

/** ACLSaveToFile: a temp file renamed over the ACL file. */
export function saveAclFile(s: RedisServer, filename: string): boolean {
  const text = aclUserLines(s).map((l) => `${l}\n`).join('');
  const tmp = `${filename}.tmp-${s.os.pid}-${s.nowMs()}`;
  try {
    s.os.fs.writeFile(tmp, strToBytes(text));
    s.os.fs.rename(tmp, filename);
    return true;
  } catch (e) {
    s.log.warning(`Renaming ACL file for ACL SAVE: ${(e as Error)?.message ?? e}`);
    try { s.os.fs.unlink(tmp); } catch { /* it may not exist */ }
    return false;
  }
}

function save(c: Client): void {
  if (saveAclFile(c.server, aclFile(c.server))) c.replyOk();
  else c.replyError('There was an error trying to save the ACLs. Please check the server logs for more information');
}

/** aclCommand's order of checks: LOAD/SAVE without an ACL file fail before anything else. */
function guarded(fn: (c: Client, argv: string[]) => void): (c: Client, argv: string[]) => void {
  return (c, argv) => {
    if (aclFile(c.server) === '') { c.replyError(NO_ACLFILE); return; }
    fn(c, argv);
  };
}

const ACL_HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

const ADMIN = ['admin', 'noscript', 'loading', 'stale', 'sentinel'] as const;
const PLAIN = ['noscript', 'loading', 'stale', 'sentinel'] as const;

export const aclCommands: CommandSpec[] = [
  cmd('acl', -2, ['sentinel'], [0, 0, 0], { ...G, since: '6.0.0', summary: 'A container for the commands that manage ACL users.', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('help', 2, ['loading', 'stale', 'sentinel'], [0, 0, 0], { ...G, since: '6.0.0', summary: 'Show helpful text about the different subcommands.', complexity: 'O(1)' },
        (c, argv) => addReplyHelp(c, argv, ACL_HELP)),
      cmd('deluser', -3, [...ADMIN], [0, 0, 0], { ...G, since: '6.0.0', summary: 'Delete users and disconnect their connections.', complexity: 'O(1) amortized time considering the typical user.', args: [{ name: 'username', type: 'string', multiple: true }] }, deluser),
      cmd('cat', -2, [...PLAIN], [0, 0, 0], { ...G, since: '6.0.0', summary: 'List the ACL categories, or the commands in one category.', complexity: 'O(1) since the categories and commands are a fixed set.', args: [{ name: 'categoryname', type: 'string', optional: true }] }, cat),
      cmd('genpass', -2, [...PLAIN], [0, 0, 0], { ...G, since: '6.0.0', summary: 'Make a random password in hex.', complexity: 'O(1)', args: [{ name: 'bits', type: 'integer', optional: true }] }, genpass),
      cmd('list', 2, [...ADMIN], [0, 0, 0], { ...G, since: '6.0.0', summary: 'Every user as its rule line, in ACL file format.', complexity: 'O(N). Where N is the number of configured users.' }, (c) => list(c, false)),
      cmd('load', 2, [...ADMIN], [0, 0, 0], { ...G, since: '6.0.0', summary: 'Replace the users with those in the ACL file.', complexity: 'O(N). Where N is the number of configured users.' }, guarded(load)),
      cmd('setuser', -3, [...ADMIN], [0, 0, 0], {
        ...G, since: '6.0.0', summary: 'Create a user or change its rules.', complexity: 'O(N). Where N is the number of rules provided.',
        args: [{ name: 'username', type: 'string' }, { name: 'rule', type: 'string', optional: true, multiple: true }],
      }, setuser, { history: [['6.2.0', 'Added Pub/Sub channel patterns.'], ['7.0.0', 'Added selectors and key based permissions.']] }),
      cmd('whoami', 2, [...PLAIN], [0, 0, 0], { ...G, since: '6.0.0', summary: 'The name of the user this connection is authenticated as.', complexity: 'O(1)' }, whoami),
      cmd('save', 2, [...ADMIN], [0, 0, 0], { ...G, since: '6.0.0', summary: 'Write the users to the ACL file.', complexity: 'O(N). Where N is the number of configured users.' }, guarded(save)),
      cmd('dryrun', -4, [...ADMIN], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Tell whether a user could run a command, without running it.', complexity: 'O(1).',
        args: [{ name: 'username', type: 'string' }, { name: 'command', type: 'string' }, { name: 'arg', type: 'string', optional: true, multiple: true }],
      }, dryrun),
      cmd('getuser', 3, [...ADMIN], [0, 0, 0], {
        ...G, since: '6.0.0', summary: "A user's flags, password hashes, commands, keys, channels and selectors.",
        complexity: 'O(N). Where N is the number of password, command and pattern rules that the user has.',
        args: [{ name: 'username', type: 'string' }],
      }, getuser, { history: [['6.2.0', 'Added Pub/Sub channel patterns.'], ['7.0.0', 'Added selectors and changed the format of key and channel patterns from a list to their rule representation.']] }),
      cmd('users', 2, [...ADMIN], [0, 0, 0], { ...G, since: '6.0.0', summary: 'The names of all users.', complexity: 'O(N). Where N is the number of configured users.' }, (c) => list(c, true)),
      cmd('log', -2, [...ADMIN], [0, 0, 0], {
        ...G, since: '6.0.0', summary: 'The latest commands and logins refused by the ACLs.', complexity: 'O(N) with N being the number of entries shown.',
        args: [{ name: 'operation', type: 'oneof', optional: true, args: [{ name: 'count', type: 'integer' }, { name: 'reset', type: 'pure-token', token: 'RESET' }] }],
      }, log),
    ],
  }),
];
