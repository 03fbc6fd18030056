/**
 * ACL users (Redis 7.0's acl.c, in our own code): users with on/off, SHA-256 password hashes,
 * selectors (the root one and "(...)" ones) holding command permissions, key patterns with
 * read/write flags and pub/sub channel patterns; the rule strings ACL LIST prints; the check
 * the dispatcher runs before every command; and the ACL LOG.
 *
 * Commands are identified by their CommandSpec objects in the server's table (containers and
 * subcommands alike), where Redis uses a bitmap indexed by command id. The "future commands"
 * bit Redis reserves (set only by +@all / allcommands) is `future` here: it decides whether
 * a rule string starts with +@all or -@all.
 */
import type { CommandSpec } from '../commands/table';
import { aclCategories, ACL_CATEGORIES } from '../commands/command';
import { keySpecsOf, keysWithFlags } from '../commands/key-specs';
import { sha256, toHex } from '../util/sha';
import { stringMatch } from '../util/glob';
import { splitArgsStr } from '../resp/request-parser';

/** ACL_OK / ACL_DENIED_* (their numeric order matters when several selectors fail). */
export const ACL_OK = 0, ACL_DENIED_CMD = 1, ACL_DENIED_KEY = 2, ACL_DENIED_AUTH = 3, ACL_DENIED_CHANNEL = 4;
export type AclResult = 0 | 1 | 2 | 3 | 4;

const READ = 1, WRITE = 2, ALL = 3;

/** Why an ACLSetUser op failed: Redis's errno, named. */
export type AclOpError = 'ENOENT' | 'EINVAL' | 'EEXIST' | 'EISDIR' | 'ENODEV' | 'EBADMSG' | 'ECHILD' | 'EALREADY';

/** ACLSetUserStringError. */
export function aclOpErrorText(e: AclOpError): string {
  switch (e) {
    case 'ENOENT': return 'Unknown command or category name in ACL';
    case 'EINVAL': return 'Syntax error';
    case 'EEXIST': return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    case 'EISDIR': return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    case 'ENODEV': return 'The password you are trying to remove from the user does not exist';
    case 'EBADMSG': return 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
    case 'EALREADY': return 'Duplicate user found. A user can only be defined once in config files';
    case 'ECHILD': return 'Allowing first-arg of a subcommand is not supported';
  }
}

interface KeyPattern { pattern: string; flags: number }

export class AclSelector {
  allKeys = false;
  allChannels = false;
  allCommands = false;
  /** The reserved "future commands" bit: set by +@all only. */
  future = false;
  allowed = new Set<CommandSpec>();
  /** allowed_firstargs: "+select|0" on a command without subcommands. */
  firstArgs = new Map<CommandSpec, string[]>();
  patterns: KeyPattern[] = [];
  channels: string[] = [];

  constructor(readonly root: boolean, allChannels = false) { this.allChannels = allChannels; }

  clone(): AclSelector {
    const s = new AclSelector(this.root);
    s.allKeys = this.allKeys; s.allChannels = this.allChannels; s.allCommands = this.allCommands; s.future = this.future;
    s.allowed = new Set(this.allowed);
    for (const [k, v] of this.firstArgs) s.firstArgs.set(k, [...v]);
    s.patterns = this.patterns.map((p) => ({ ...p }));
    s.channels = [...this.channels];
    return s;
  }
}

export class AclUser {
  enabled = false;
  nopass = false;
  /** sanitize-payload (true), skip-sanitize-payload (false), or neither (null). */
  sanitize: boolean | null = null;
  /** SHA-256 hashes in lowercase hex, in the order added. */
  passwords: string[] = [];
  selectors: AclSelector[];

  constructor(readonly name: string, allChannels: boolean) {
    this.selectors = [new AclSelector(true, allChannels)];
  }

  get root(): AclSelector { return this.selectors[0]; }

  /** ACLCopyUser: rules of `src`, name of this user. */
  copyFrom(src: AclUser): void {
    this.enabled = src.enabled; this.nopass = src.nopass; this.sanitize = src.sanitize;
    this.passwords = [...src.passwords];
    this.selectors = src.selectors.map((s) => s.clone());
  }
}

/** ACLHashPassword: SHA-256 of the (byte string) password, lowercase hex. */
export function hashPassword(pass: string): string {
  return toHex(sha256(pass));
}

function isHash(h: string): boolean {
  return h.length === 64 && /^[0-9a-f]*$/.test(h);
}

/** ACLStringHasSpaces: isspace() or NUL. */
export function hasSpaces(s: string): boolean {
  return /[ \t\n\v\f\r\0]/.test(s);
}

function eqCase(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/** The command universe ACL rules are written against (the table, before renames). */
export interface AclCommands {
  /** Top-level commands, each with its `subcommands`. */
  all(): CommandSpec[];
}

export interface AclLogEntry {
  count: number;
  reason: number;
  context: 'toplevel' | 'multi' | 'lua' | 'module';
  object: string;
  username: string;
  ctimeMs: number;
  cinfo: string;
}

export class Acl {
  /** Users by name (listed in byte order, like Redis's rax). */
  readonly users = new Map<string, AclUser>();
  readonly log: AclLogEntry[] = [];
  private readonly cats = new Map<CommandSpec, Set<string>>();
  /** acl-pubsub-default is allchannels. */
  pubsubDefaultAll = false;

  /** `warn` gets the warnings Redis logs while applying rules (first-arg deprecation). */
  constructor(private readonly commands: AclCommands, private readonly warn?: (msg: string) => void) {
    this.users.set('default', this.createDefaultUser());
  }

  get defaultUser(): AclUser { return this.users.get('default')!; }

  createDefaultUser(): AclUser {
    const u = new AclUser('default', this.pubsubDefaultAll);
    for (const op of ['+@all', '~*', '&*', 'on', 'nopass']) this.setUser(u, op);
    return u;
  }

  newUser(name: string): AclUser { return new AclUser(name, this.pubsubDefaultAll); }

  /** Users sorted as the rax iterates them (bytewise). */
  sortedUsers(): AclUser[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The command's ACL categories (cached: the table does not change them). */
  categoriesOf(spec: CommandSpec): Set<string> { return this.catsOf(spec); }

  private catsOf(spec: CommandSpec): Set<string> {
    let c = this.cats.get(spec);
    if (!c) { c = aclCategories(spec); this.cats.set(spec, c); }
    return c;
  }

  /** ACLLookupCommand: "name" or "container|sub", on the original names. */
  lookup(name: string): CommandSpec | undefined {
    const parts = name.split('|');
    if (parts.length > 2) return undefined;
    const lower = parts[0].toLowerCase();
    const base = this.commands.all().find((s) => s.name === lower);
    if (!base || parts.length === 1) return base;
    if (!base.subcommands) return undefined;
    const sub = parts[1].toLowerCase();
    return base.subcommands.find((s) => s.name === sub);
  }

  // ---- rules -----------------------------------------------------------------------------

  /** ACLSetUser: apply one op; null when it was understood, else why not. */
  setUser(u: AclUser, op: string): AclOpError | null {
    if (op.length === 0) return null;
    const lower = op.toLowerCase();
    if (lower === 'on') u.enabled = true;
    else if (lower === 'off') u.enabled = false;
    else if (lower === 'skip-sanitize-payload') u.sanitize = false;
    else if (lower === 'sanitize-payload') u.sanitize = true;
    else if (lower === 'nopass') { u.nopass = true; u.passwords = []; }
    else if (lower === 'resetpass') { u.nopass = false; u.passwords = []; }
    else if (op[0] === '>' || op[0] === '#') {
      let h: string;
      if (op[0] === '>') h = hashPassword(op.slice(1));
      else {
        h = op.slice(1);
        if (!isHash(h)) return 'EBADMSG';
      }
      if (!u.passwords.includes(h)) u.passwords.push(h);
      u.nopass = false;
    } else if (op[0] === '<' || op[0] === '!') {
      let h: string;
      if (op[0] === '<') h = hashPassword(op.slice(1));
      else {
        h = op.slice(1);
        if (!isHash(h)) return 'EBADMSG';
      }
      const i = u.passwords.indexOf(h);
      if (i < 0) return 'ENODEV';
      u.passwords.splice(i, 1);
    } else if (op[0] === '(' && op[op.length - 1] === ')') {
      const s = new AclSelector(false, this.pubsubDefaultAll);
      for (const a of splitArgsStr(op.slice(1, -1)) ?? []) {
        const err = this.setSelector(s, a);
        if (err) return err;
      }
      u.selectors.push(s);
    } else if (lower === 'clearselectors') {
      u.selectors.length = 1;
    } else if (lower === 'reset') {
      for (const o of ['resetpass', 'resetkeys', 'resetchannels']) this.setUser(u, o);
      if (this.pubsubDefaultAll) this.setUser(u, 'allchannels');
      for (const o of ['off', 'sanitize-payload', 'clearselectors', '-@all']) this.setUser(u, o);
    } else {
      return this.setSelector(u.root, op);
    }
    return null;
  }

  /** ACLSetSelector. */
  setSelector(s: AclSelector, op: string): AclOpError | null {
    const lower = op.toLowerCase();
    if (lower === 'allkeys' || op === '~*') { s.allKeys = true; s.patterns = []; }
    else if (lower === 'resetkeys') { s.allKeys = false; s.patterns = []; }
    else if (lower === 'allchannels' || op === '&*') { s.allChannels = true; s.channels = []; }
    else if (lower === 'resetchannels') { s.allChannels = false; s.channels = []; }
    else if (lower === 'allcommands' || lower === '+@all') {
      this.setAll(s, true);
      s.allCommands = true;
      s.firstArgs.clear();
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.setAll(s, false);
      s.allCommands = false;
      s.firstArgs.clear();
    } else if (op[0] === '~' || op[0] === '%') {
      if (s.allKeys) return 'EEXIST';
      let flags = 0;
      let offset = 1;
      if (op[0] === '%') {
        for (; offset < op.length; offset++) {
          const ch = op[offset].toUpperCase();
          if (ch === 'R' && !(flags & READ)) flags |= READ;
          else if (ch === 'W' && !(flags & WRITE)) flags |= WRITE;
          else if (op[offset] === '~') { offset++; break; }
          else return 'EINVAL';
        }
      } else {
        flags = ALL;
      }
      const pattern = op.slice(offset);
      if (hasSpaces(pattern)) return 'EINVAL';
      const existing = s.patterns.find((p) => p.pattern === pattern);
      if (existing) existing.flags |= flags;
      else s.patterns.push({ pattern, flags });
      s.allKeys = false;
    } else if (op[0] === '&') {
      if (s.allChannels) return 'EISDIR';
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) return 'EINVAL';
      if (!s.channels.includes(pattern)) s.channels.push(pattern);
      s.allChannels = false;
    } else if (op[0] === '+' && op[1] !== '@') {
      const name = op.slice(1);
      const bar = name.lastIndexOf('|');
      if (bar < 0) {
        const cmd = this.lookup(name);
        if (!cmd) return 'ENOENT';
        this.changePerm(s, cmd, true);
      } else {
        const base = name.slice(0, bar), sub = name.slice(bar + 1);
        const cmd = this.lookup(base);
        if (!cmd) return 'ENOENT';
        if (cmd.parent) return 'ECHILD';
        if (sub.length === 0) return 'EINVAL';
        if (cmd.subcommands) {
          const subCmd = this.lookup(name);
          if (!subCmd) return 'ENOENT';
          this.changePerm(s, subCmd, true);
        } else {
          this.warn?.(`Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: +${name})`);
          const list = s.firstArgs.get(cmd) ?? [];
          if (!list.some((a) => eqCase(a, sub))) list.push(sub);
          s.firstArgs.set(cmd, list);
        }
      }
    } else if (op[0] === '-' && op[1] !== '@') {
      const cmd = this.lookup(op.slice(1));
      if (!cmd) return 'ENOENT';
      this.changePerm(s, cmd, false);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const cat = op.slice(2).toLowerCase();
      if (!ACL_CATEGORIES.includes(cat)) return 'ENOENT';
      this.setCategory(s, this.commands.all(), cat, op[0] === '+');
    } else {
      return 'EINVAL';
    }
    return null;
  }

  private setAll(s: AclSelector, on: boolean): void {
    s.allowed.clear();
    s.future = on;
    if (on) for (const c of this.commands.all()) { s.allowed.add(c); for (const sub of c.subcommands ?? []) s.allowed.add(sub); }
  }

  private setBit(s: AclSelector, cmd: CommandSpec, on: boolean): void {
    if (on) s.allowed.add(cmd);
    else { s.allowed.delete(cmd); s.allCommands = false; }
  }

  /** ACLChangeSelectorPerm: the command and, for a container, every subcommand. */
  private changePerm(s: AclSelector, cmd: CommandSpec, on: boolean): void {
    this.setBit(s, cmd, on);
    s.firstArgs.delete(cmd);
    for (const sub of cmd.subcommands ?? []) this.setBit(s, sub, on);
  }

  private setCategory(s: AclSelector, cmds: CommandSpec[], cat: string, on: boolean): void {
    for (const c of cmds) {
      if (this.catsOf(c).has(cat)) this.changePerm(s, c, on);
      if (c.subcommands) this.setCategory(s, c.subcommands, cat, on);
    }
  }

  private countCategory(bits: Set<CommandSpec>, cmds: CommandSpec[], cat: string, acc: { on: number; off: number }): void {
    for (const c of cmds) {
      if (this.catsOf(c).has(cat)) { if (bits.has(c)) acc.on++; else acc.off++; }
      if (c.subcommands) this.countCategory(bits, c.subcommands, cat, acc);
    }
  }

  /** ACLDescribeSelectorCommandRules: +@all/-@all, best-fit categories, then single commands. */
  describeCommandRules(s: AclSelector): string {
    const rules: string[] = [];
    const fake = new AclSelector(false);
    const additive = !s.future;
    rules.push(additive ? '-@all' : '+@all');
    this.setSelector(fake, additive ? '-@all' : '+@all');
    const temp = new AclSelector(false);
    temp.allowed = new Set(s.allowed);
    const applied = new Set<string>();
    for (;;) {
      let best: string | null = null;
      let minDiff = Number.MAX_SAFE_INTEGER, maxSame = 0;
      for (const cat of ACL_CATEGORIES) {
        if (applied.has(cat)) continue;
        const acc = { on: 0, off: 0 };
        this.countCategory(temp.allowed, this.commands.all(), cat, acc);
        const diff = additive ? acc.off : acc.on;
        const same = additive ? acc.on : acc.off;
        if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
          best = cat; minDiff = diff; maxSame = same;
        }
      }
      if (best === null) break;
      const op = `${additive ? '+@' : '-@'}${best}`;
      this.setSelector(fake, op);
      this.setSelector(temp, `${additive ? '-@' : '+@'}${best}`);
      rules.push(op);
      applied.add(best);
    }
    this.describeSingle(s, fake, this.commands.all(), rules);
    return rules.join(' ');
  }

  private describeSingle(s: AclSelector, fake: AclSelector, cmds: CommandSpec[], rules: string[]): void {
    for (const c of cmds) {
      const userBit = s.allowed.has(c);
      if (userBit !== fake.allowed.has(c)) {
        rules.push(`${userBit ? '+' : '-'}${c.fullname}`);
        this.changePerm(fake, c, userBit);
      }
      if (c.subcommands) this.describeSingle(s, fake, c.subcommands, rules);
      const first = s.firstArgs.get(c);
      if (!userBit && first) for (const a of first) rules.push(`+${c.fullname}|${a}`);
    }
  }

  /** ACLDescribeSelector: keys, channels, commands. */
  describeSelector(s: AclSelector): string {
    let res = '';
    if (s.allKeys) res += '~* ';
    else for (const p of s.patterns) res += `${patternString(p)} `;
    if (s.allChannels) res += '&* ';
    else {
      res += 'resetchannels ';
      for (const ch of s.channels) res += `&${ch} `;
    }
    return res + this.describeCommandRules(s);
  }

  /** ACLDescribeUser: flags, password hashes, the root selector, then "(...)" selectors. */
  describeUser(u: AclUser): string {
    let res = '';
    res += u.enabled ? 'on ' : 'off ';
    if (u.nopass) res += 'nopass ';
    if (u.sanitize === false) res += 'skip-sanitize-payload ';
    if (u.sanitize === true) res += 'sanitize-payload ';
    for (const p of u.passwords) res += `#${p} `;
    for (const s of u.selectors) {
      const d = this.describeSelector(s);
      res += s.root ? d : ` (${d})`;
    }
    return res;
  }

  /** The flags GETUSER lists, in ACLUserFlags order. */
  userFlags(u: AclUser): string[] {
    const out = [u.enabled ? 'on' : 'off'];
    if (u.nopass) out.push('nopass');
    if (u.sanitize === false) out.push('skip-sanitize-payload');
    if (u.sanitize === true) out.push('sanitize-payload');
    return out;
  }

  /**
   * ACLStringSetUser: merge "(" ... ")" arguments, apply every op to a copy, and only if all
   * are valid copy it onto the user (created if new). Returns the error text or null.
   */
  stringSetUser(name: string, ops: string[], onChanged?: (before: AclUser | undefined, after: AclUser) => void): string | null {
    const merged = mergeSelectorArgs(ops);
    if ('invalid' in merged) return `Unmatched parenthesis in acl selector starting at '${ops[merged.invalid]}'.`;
    const existing = this.users.get(name);
    const temp = this.newUser(name);
    if (existing) temp.copyFrom(existing);
    for (const op of merged.args) {
      const err = this.setUser(temp, op);
      if (err) return `Error in ACL SETUSER modifier '${op}': ${aclOpErrorText(err)}`;
    }
    onChanged?.(existing, temp);
    if (existing) existing.copyFrom(temp);
    else this.users.set(name, temp);
    return null;
  }

  // ---- authentication ----------------------------------------------------------------------

  /** ACLCheckUserCredentials. */
  checkCredentials(name: string, pass: string): boolean {
    const u = this.users.get(name);
    if (!u || !u.enabled) return false;
    if (u.nopass) return true;
    const h = hashPassword(pass);
    return u.passwords.includes(h);
  }

  /** ACLUpdateDefaultUserPassword (requirepass). */
  updateDefaultUserPassword(pass: string): void {
    const u = this.defaultUser;
    this.setUser(u, 'resetpass');
    if (pass !== '') this.setUser(u, `>${pass}`);
    else this.setUser(u, 'nopass');
  }

  /** authRequired()'s server half: the default user needs a password or is off. */
  defaultNeedsAuth(): boolean {
    const d = this.defaultUser;
    return !d.nopass || !d.enabled;
  }

  // ---- permission checks -------------------------------------------------------------------

  /**
   * ACLCheckAllUserCommandPerm: the first selector that allows the command wins; otherwise
   * the most relevant error (channel > key > command, later argument positions first).
   */
  checkCommand(u: AclUser, cmd: CommandSpec, argv: string[], keyPositions: (spec: CommandSpec, argv: string[]) => number[]): { result: AclResult; pos: number } {
    let relevant: AclResult = ACL_DENIED_CMD;
    let lastIdx = 0;
    const getKeys = lazyKeyPerms(cmd, argv, keyPositions);
    for (const s of u.selectors) {
      const r = this.checkSelector(s, cmd, argv, getKeys);
      if (r.result === ACL_OK) return r;
      if (r.result > relevant || (r.result === relevant && r.pos > lastIdx)) { relevant = r.result; lastIdx = r.pos; }
    }
    return { result: relevant, pos: lastIdx };
  }

  private checkSelector(s: AclSelector, cmd: CommandSpec, argv: string[], getKeys: () => KeyPerm[]): { result: AclResult; pos: number } {
    if (!s.allCommands && !cmd.flags.includes('no_auth') && !s.allowed.has(cmd)) {
      const first = s.firstArgs.get(cmd);
      const idx = cmd.parent ? 2 : 1;
      if (argv.length < 2 || !first || !first.some((a) => eqCase(a, argv[idx] ?? ''))) return { result: ACL_DENIED_CMD, pos: 0 };
    }
    if (!s.allKeys && hasKeys(cmd)) {
      for (const k of getKeys()) {
        if (!checkKey(s, argv[k.pos], k.flags)) return { result: ACL_DENIED_KEY, pos: k.pos };
      }
    }
    if (!s.allChannels) {
      for (const ch of channelsOf(cmd, argv)) {
        const ok = ch.pattern ? s.channels.includes(argv[ch.pos]) : s.channels.some((p) => stringMatch(p, argv[ch.pos]));
        if (!ok) return { result: ACL_DENIED_CHANNEL, pos: ch.pos };
      }
    }
    return { result: ACL_OK, pos: 0 };
  }

  /**
   * ACLUserCheckCmdWithUnrestrictedKeyAccess(..., CMD_KEY_ACCESS): some selector that allows
   * the command also reads every key (allkeys, or a pattern `*` with read permission). SORT's
   * BY and GET read keys that no key spec names, so they need it.
   */
  mayReadAnyKey(u: AclUser, cmd: CommandSpec, argv: string[], keyPositions: (spec: CommandSpec, argv: string[]) => number[]): boolean {
    const getKeys = lazyKeyPerms(cmd, argv, keyPositions);
    for (const s of u.selectors) {
      if (this.checkSelector(s, cmd, argv, getKeys).result !== ACL_OK) continue;
      if (s.allKeys || s.patterns.some((p) => (p.flags & READ) === READ && p.pattern === '*')) return true;
    }
    return false;
  }

  /** ACLCheckChannelAgainstList over every selector of `u` (ACLUserCheckChannelPerm). */
  static channelsAllowUser(u: AclUser, channel: string, isPattern: boolean): boolean {
    for (const s of u.selectors) {
      if (s.allChannels) return true;
      if (isPattern ? s.channels.includes(channel) : s.channels.some((p) => stringMatch(p, channel))) return true;
    }
    return false;
  }

  // ---- log ---------------------------------------------------------------------------------

  /** addACLLogEntry: group with a similar entry of the last minute, else add at the head. */
  addLog(e: Omit<AclLogEntry, 'count'>, maxLen: number): void {
    for (let i = 0; i < Math.min(10, this.log.length); i++) {
      const cur = this.log[i];
      if (cur.reason === e.reason && cur.context === e.context && Math.abs(cur.ctimeMs - e.ctimeMs) <= 60000 &&
          cur.object === e.object && cur.username === e.username) {
        this.log.splice(i, 1);
        this.log.unshift(cur);
        cur.cinfo = e.cinfo;
        cur.ctimeMs = e.ctimeMs;
        cur.count++;
        return;
      }
    }
    this.log.unshift({ ...e, count: 1 });
    while (this.log.length > maxLen) this.log.pop();
  }
}

function patternString(p: KeyPattern): string {
  return (p.flags === ALL ? '~' : p.flags === READ ? '%R~' : '%W~') + p.pattern;
}

/** The key patterns of a selector as GETUSER shows them. */
export function selectorKeysString(s: AclSelector): string {
  return s.allKeys ? '~*' : s.patterns.map(patternString).join(' ');
}

export function selectorChannelsString(s: AclSelector): string {
  return s.allChannels ? '&*' : s.channels.map((c) => `&${c}`).join(' ');
}

function checkKey(s: AclSelector, key: string, flags: number): boolean {
  for (const p of s.patterns) {
    if ((p.flags & flags) !== flags) continue;
    if (stringMatch(p.pattern, key)) return true;
  }
  return false;
}

/** Sharded pub/sub commands name channels in their key positions (NOT_KEY specs): no key check. */
const CHANNELS_AS_KEYS = new Set(['spublish', 'ssubscribe', 'sunsubscribe']);

/** doesCommandHaveKeys. */
function hasKeys(cmd: CommandSpec): boolean {
  if (CHANNELS_AS_KEYS.has(cmd.fullname ?? cmd.name)) return false;
  if (cmd.getKeys) return true;
  const specs = keySpecsOf(cmd);
  return specs.length > 0 && !specs[0].flags.includes('not_key');
}

/** A key position of a call with the ACL permission it needs (READ/WRITE bits). */
interface KeyPerm { pos: number; flags: number }

/**
 * Key positions with the ACL permission each needs (ACLSelectorCheckKey): read for a key the
 * call accesses, write for one it inserts into, deletes from or updates; neither for one it
 * only looks at (EXISTS, TYPE...), which still must match a pattern. Computed on the first
 * call of the returned function only: a selector with every key (~*) never asks.
 */
function lazyKeyPerms(cmd: CommandSpec, argv: string[], keyPositions: (spec: CommandSpec, argv: string[]) => number[]): () => KeyPerm[] {
  let perms: KeyPerm[] | null = null;
  return () => perms ??= keysWithFlags(cmd, argv, keyPositions(cmd, argv)).map(({ pos, flags: f }) => ({
    pos,
    flags: (f.includes('access') ? READ : 0) | (f.includes('insert') || f.includes('delete') || f.includes('update') ? WRITE : 0),
  }));
}

/** getChannelsFromCommand, for the publish/subscribe forms ACLs check (not unsubscribes). */
function channelsOf(cmd: CommandSpec, argv: string[]): { pos: number; pattern: boolean }[] {
  if (cmd.parent) return [];
  switch (cmd.name) {
    case 'subscribe': case 'ssubscribe': return argv.slice(1).map((_, i) => ({ pos: i + 1, pattern: false }));
    case 'psubscribe': return argv.slice(1).map((_, i) => ({ pos: i + 1, pattern: true }));
    case 'publish': case 'spublish': return [{ pos: 1, pattern: false }];
    default: return [];
  }
}

/** ACLMergeSelectorArguments: "(" ... ")" spread over several arguments become one. */
export function mergeSelectorArgs(argv: string[]): { args: string[] } | { invalid: number } {
  const out: string[] = [];
  let open = -1;
  let sel = '';
  for (let j = 0; j < argv.length; j++) {
    const op = argv[j];
    if (op[0] === '(' && op[op.length - 1] !== ')') { sel = op; open = j; continue; }
    if (open !== -1) {
      sel += ` ${op}`;
      if (op[op.length - 1] === ')') { open = -1; out.push(sel); }
      continue;
    }
    out.push(op);
  }
  if (open !== -1) return { invalid: open };
  return { args: out };
}
