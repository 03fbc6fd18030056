/**
 * LDB, the Lua debugger of EVAL (eval.c's ldb* functions): SCRIPT DEBUG YES|SYNC marks the
 * client, and its next EVAL becomes a debugging session on its connection.
 *
 * - SYNC: the script runs in the server, which serves nobody else until the session ends
 *   (Redis blocks on the connection); its writes stay.
 * - YES: the session is a forked child (forkChild) running on its own copy of the dataset: the
 *   parent drops the client and keeps serving, and what the script writes is discarded with
 *   the child. Here the child's script runs in this process on a copy of the keyspace that is
 *   swapped in only while the script runs, with the server's side effects (propagation,
 *   notifications, WATCH, blocked clients) muted.
 *
 * The script is compiled for debugging (LuaState.loadDebug): every new line calls the line
 * hook, which stops the script (a resumable run suspends) when stepping, at a breakpoint, or
 * after redis.breakpoint(). The session then reads debugger commands from the connection
 * (REPL), each answered with its log lines as a multi-bulk of status replies, until "step" or
 * "continue" resumes the script. The end of the script sends "<endsession>" then the EVAL's
 * reply, and the connection is closed.
 */
import type { Client } from './client';
import type { RedisServer } from './server';
import type { Socket } from '../os';
import type { Frame, LuaState } from '../lua/state';
import { LuaClosure } from '../lua/state';
import { LuaFunction, LuaTable, LuaError, type LuaValue } from '../lua/value';
import { debugLocalValue } from '../lua/compile';
import { formatG } from '../lua/cformat';
import { bytesToStr, strToBytes } from '../bytes';
import type { Db } from '../keyspace/db';
import { Entry } from '../keyspace/db';
import { cloneValue } from '../keyspace/values';
import { processInput } from './dispatch';
import type { CommandStats } from '../commands/table';

const LDB_BREAKPOINTS_MAX = 64;
const LDB_MAX_LEN_DEFAULT = 256;
/** LUA_MINSTACK / 2: how deep nested tables are shown. */
const LDB_MAX_VALUES_DEPTH = 10;

/** The debugger's state (Redis's global `ldb`): set up by SCRIPT DEBUG, used by the session. */
export class LdbState {
  step = true;
  /** int bp[64], kept as bytes: ldbDelBreakpoint moves bytes, not ints (see delBreakpoint). */
  readonly bp = new Int32Array(LDB_BREAKPOINTS_MAX);
  bpcount = 0;
  luabp = false;
  cbuf = '';
  maxlen = LDB_MAX_LEN_DEFAULT;
  maxlenHintSent = false;
  logs: string[] = [];

  copy(): LdbState {
    const s = new LdbState();
    s.step = this.step; s.bp.set(this.bp); s.bpcount = this.bpcount; s.luabp = this.luabp;
    s.cbuf = this.cbuf; s.maxlen = this.maxlen; s.maxlenHintSent = this.maxlenHintSent; s.logs = this.logs.slice();
    return s;
  }
}

interface LdbServerState {
  ldb: LdbState;
  /** CLIENT_LUA_DEBUG / CLIENT_LUA_DEBUG_SYNC. */
  clients: WeakMap<Client, 'yes' | 'sync'>;
  /** Pids of forked debugging sessions (ldb.children). */
  children: Map<number, LdbSession>;
  /** The SYNC session holding the server, if any. */
  syncSession: LdbSession | null;
}

const states = new WeakMap<RedisServer, LdbServerState>();

function ldbStateOf(server: RedisServer): LdbServerState {
  let st = states.get(server);
  if (!st) {
    st = { ldb: new LdbState(), clients: new WeakMap(), children: new Map(), syncSession: null };
    states.set(server, st);
  }
  return st;
}

/** SCRIPT DEBUG YES|SYNC (ldbEnable) and NO (ldbDisable). */
export function ldbEnable(c: Client, mode: 'yes' | 'sync'): void {
  const st = ldbStateOf(c.server);
  st.clients.set(c, mode);
  const l = st.ldb;
  l.logs = [];
  l.step = true;
  l.bpcount = 0;
  l.luabp = false;
  l.cbuf = '';
  l.maxlen = LDB_MAX_LEN_DEFAULT;
  l.maxlenHintSent = false;
}

export function ldbDisable(c: Client): void {
  ldbStateOf(c.server).clients.delete(c);
}

export function ldbClientMode(c: Client): 'yes' | 'sync' | undefined {
  return states.get(c.server)?.clients.get(c);
}

/** A SYNC session holds the server: nobody else is served (Redis blocks in read()). */
export function ldbSyncSessionHolds(server: RedisServer): boolean {
  return states.get(server)?.syncSession != null;
}

/** The client of the SYNC session holding the server, if any. */
export function ldbSyncSessionClient(server: RedisServer): Client | null {
  return states.get(server)?.syncSession?.caller ?? null;
}

/** Forked sessions still running (ldbPendingChildren). */
export function ldbPendingChildren(server: RedisServer): number {
  return states.get(server)?.children.size ?? 0;
}

/** ldbKillForkedSessions(), at shutdown. */
export function ldbKillForkedSessions(server: RedisServer): void {
  const st = states.get(server);
  if (!st) return;
  for (const [pid, s] of st.children) {
    server.log.warning(`Killing debugging session ${pid}`);
    s.kill();
  }
  st.children.clear();
}

/** sdscatrepr(). */
export function catRepr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i) & 0xff;
    switch (ch) {
      case '\\': case '"': out += `\\${ch}`; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\x07': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      default:
        out += code >= 0x20 && code <= 0x7e ? ch : `\\x${code.toString(16).padStart(2, '0')}`;
    }
  }
  return out + '"';
}

/**
 * A stable made-up address per object for "function@0x..." (lua_topointer), counted per server
 * so that a simulation replays the same text.
 */
const pointers = new WeakMap<object, string>();
const pointerCounters = new WeakMap<RedisServer, { next: number }>();
function pointerOf(server: RedisServer, o: object): string {
  let p = pointers.get(o);
  if (p === undefined) {
    let n = pointerCounters.get(server);
    if (!n) pointerCounters.set(server, n = { next: 0x7f3a5c200000 });
    p = `0x${(n.next += 0x1e0).toString(16)}`;
    pointers.set(o, p);
  }
  return p;
}

/** ldbCatStackValueRec(). */
export function catValue(server: RedisServer, v: LuaValue, level = 0): string {
  if (level++ === LDB_MAX_VALUES_DEPTH) return '<max recursion level reached! Nested table?>';
  if (typeof v === 'string') return catRepr(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatG(v, 6);
  if (v === undefined || v === null) return 'nil';
  if (v instanceof LuaTable) {
    let expected = 1;
    let isArray = true;
    const repr1: string[] = [];
    const repr2: string[] = [];
    let k: LuaValue = undefined;
    for (;;) {
      const e = v.next(k);
      if (!e || e[0] === undefined) break;
      k = e[0];
      if (isArray && (typeof k !== 'number' || k !== expected)) isArray = false;
      repr1.push(catValue(server, e[1], level));
      repr2.push(`[${catValue(server, k, level)}]=${catValue(server, e[1], level)}`);
      expected++;
    }
    return `{${(isArray ? repr1 : repr2).join('; ')}}`;
  }
  const kind = v instanceof LuaFunction ? 'function' : (v as { constructor?: { name?: string } }).constructor?.name === 'LuaThread' ? 'thread' : 'userdata';
  return `"${kind}@${pointerOf(server, v as object)}"`;
}

/** ldbRedisProtocolToHuman(): one reply at `pos` of `r`, appended to out[0]; the next position. */
function protoToHuman(out: string[], r: string, pos: number): number {
  const eol = (from: number) => { const e = r.indexOf('\r', from); return e < 0 ? r.length : e; };
  const t = r[pos];
  const p = eol(pos + 1);
  const line = r.slice(pos + 1, p);
  switch (t) {
    case ':': out[0] += line; return p + 2;
    case '$': {
      const n = Number(line);
      if (n === -1) { out[0] += 'NULL'; return p + 2; }
      out[0] += catRepr(r.slice(p + 2, p + 2 + n));
      return p + 2 + n + 2;
    }
    case '+': case '-': out[0] += catRepr(r.slice(pos, p)); return p + 2;
    case '*': case '~': case '%': {
      const n = Number(line);
      let q = p + 2;
      if (t === '*' && n === -1) { out[0] += 'NULL'; return q; }
      out[0] += t === '*' ? '[' : t === '~' ? '~(' : '{';
      for (let j = 0; j < n; j++) {
        q = protoToHuman(out, r, q);
        if (t === '%') { out[0] += ' => '; q = protoToHuman(out, r, q); }
        if (j !== n - 1) out[0] += ',';
      }
      out[0] += t === '*' ? ']' : t === '~' ? ')' : '}';
      return q;
    }
    case '_': out[0] += '(null)'; return p + 2;
    case '#': out[0] += r[pos + 1] === 't' ? '#true' : '#false'; return p + 2;
    case ',': out[0] += `(double) ${line}`; return p + 2;
    default: return p + 2;
  }
}

/** The swapped-out data of a forked session: the child's copy of every db. */
interface ChildView {
  dicts: Map<string, Entry>[];
  volatiles: Set<string>[];
}

/**
 * A debugging session (ldbStartSession .. ldbEndSession) on `socket`. The script run hands it
 * control each time the line hook stops the script (`stopped`), and at its end (`end`).
 */
export class LdbSession {
  readonly ldb: LdbState;
  readonly src: string[];
  currentline = -1;
  /** The script's frames when it stopped, innermost first (for print and trace). */
  private frames: Frame[] = [];
  /** Set while the script is stopped: resumes it. */
  private resume: (() => void) | null = null;
  private inRepl = false;
  private closed = false;
  private timeoutStop = false;
  private timeoutPending = false;
  private view: ChildView | null = null;
  private childPid = -1;
  private childDone: ((killed: boolean) => void) | null = null;
  /** Runs the script's next slice: in the forked child's view of the data. */
  L: LuaState | null = null;
  startMs = 0;

  constructor(readonly server: RedisServer, readonly caller: Client, readonly socket: Socket, readonly forked: boolean, body: string) {
    const st = ldbStateOf(server);
    this.ldb = forked ? st.ldb.copy() : st.ldb;
    // The source without its trailing newlines, one entry per line (ldb.src).
    this.src = body.replace(/[\r\n]+$/, '').split('\n');
    this.prevHandlers = { onData: socket.onData, onClose: socket.onClose };
    socket.onData = (bytes) => server.event(() => this.onData(bytes));
    socket.onClose = () => server.event(() => this.onClose());
  }

  get active(): boolean { return true; }
  /** ldbIsEnabled(): redis.call logs its commands and replies while stepping. */
  get logging(): boolean { return this.ldb.step; }

  log(entry: string): void { this.ldb.logs.push(entry); }

  /** ldbLogWithMaxLen(). */
  logWithMaxLen(entry: string): void {
    const l = this.ldb;
    let trimmed = false;
    if (l.maxlen && entry.length > l.maxlen) {
      entry = `${entry.slice(0, l.maxlen)} ...`;
      trimmed = true;
    }
    this.log(entry);
    if (trimmed && !l.maxlenHintSent) {
      l.maxlenHintSent = true;
      this.log("<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming.");
    }
  }

  logRedisReply(reply: string): void {
    const out = ['<reply> '];
    protoToHuman(out, reply, 0);
    this.logWithMaxLen(out[0]);
  }

  /** ldbSendLogs(). */
  sendLogs(): void {
    const logs = this.ldb.logs;
    let proto = `*${logs.length}\r\n`;
    for (const e of logs) proto += `+${e.replace(/[\r\n]/g, ' ')}\r\n`;
    this.ldb.logs = [];
    if (!this.closed) this.socket.write(strToBytes(proto));
  }

  // ---- forked child's data ------------------------------------------------------------------

  /** fork(): the child's copy of the dataset. */
  forkData(): void {
    const dicts: Map<string, Entry>[] = [];
    const volatiles: Set<string>[] = [];
    for (const db of this.server.dbs) {
      const m = new Map<string, Entry>();
      for (const [k, e] of db.dict) {
        const ne = new Entry(cloneValue(e.v), e.exp, e.lru, e.enc);
        if (e.expExact !== undefined) ne.expExact = e.expExact;
        m.set(k, ne);
      }
      dicts.push(m);
      volatiles.push(new Set(db.volatile));
    }
    this.view = { dicts, volatiles };
  }

  private saved: {
    dirty: number; prop: number; monitors: unknown; stats: Record<string, number>; errorStats: Map<string, number>;
    cmdStats: Map<CommandStats, CommandStats>; slowlog: RedisServer['slowlog'][number][]; slowlogNextId: number;
  } | null = null;

  /** Swap the child's data in (and the server's side effects off) while its script runs. */
  enterChild(): void {
    const v = this.view;
    if (!v || this.saved) return;
    const s = this.server;
    this.swap(s.dbs, v);
    // The child's counters are its own: INFO stats, commandstats, errorstats and the slowlog of
    // the parent do not see its commands.
    const cmdStats = new Map<CommandStats, CommandStats>();
    for (const spec of s.table.walk()) if (spec.stats) cmdStats.set(spec.stats, { ...spec.stats });
    this.saved = {
      dirty: s.dirty, prop: s.pendingPropagation.length, monitors: s.monitors, stats: { ...s.stats } as unknown as Record<string, number>,
      errorStats: new Map(s.errorStats), cmdStats, slowlog: s.slowlog.slice(), slowlogNextId: s.slowlogNextId,
    };
    const mute = s as unknown as Record<string, unknown>;
    for (const name of ['notifyKeyspaceEvent', 'signalModifiedKey', 'signalKeyAsReady', 'signalFlushedDb', 'touchAllWatchedKeysInDb', 'publish']) {
      mute[name] = () => 0;
    }
    (s as { monitors: unknown }).monitors = new Set();
  }

  /** Back to the parent's data: what the child's script did stays in the child. */
  exitChild(): void {
    const v = this.view;
    const sv = this.saved;
    if (!v || !sv) return;
    const s = this.server;
    this.swap(s.dbs, v);
    s.dirty = sv.dirty;
    s.pendingPropagation.length = Math.min(s.pendingPropagation.length, sv.prop);
    Object.assign(s.stats, sv.stats);
    s.errorStats.clear();
    for (const [k, v] of sv.errorStats) s.errorStats.set(k, v);
    for (const [live, before] of sv.cmdStats) Object.assign(live, before);
    s.slowlog.length = 0;
    for (const e of sv.slowlog) s.slowlog.push(e);
    s.slowlogNextId = sv.slowlogNextId;
    const mute = s as unknown as Record<string, unknown>;
    for (const name of ['notifyKeyspaceEvent', 'signalModifiedKey', 'signalKeyAsReady', 'signalFlushedDb', 'touchAllWatchedKeysInDb', 'publish']) delete mute[name];
    (s as { monitors: unknown }).monitors = sv.monitors;
    this.saved = null;
  }

  private swap(dbs: Db[], v: ChildView): void {
    for (let i = 0; i < dbs.length; i++) {
      const db = dbs[i];
      [db.dict, v.dicts[i]] = [v.dicts[i], db.dict];
      [db.volatile, v.volatiles[i]] = [v.volatiles[i], db.volatile];
      db.expireIter = null;
    }
  }

  /** The forked child whose life is this session's (it exits with `done`). */
  adoptChild(pid: number, done: (killed: boolean) => void): void {
    this.childPid = pid;
    this.childDone = done;
    ldbStateOf(this.server).children.set(pid, this);
  }

  /** The script started running (the EVAL was not refused first). */
  started = false;
  /** The run can be suspended at a stop (not inside EXEC: see hook). */
  canStop = true;
  private prevHandlers: { onData: Socket['onData']; onClose: Socket['onClose'] };

  kill(): void {
    this.closed = true;
    this.socket.onData = null;
    this.socket.onClose = null;
    this.socket.destroy();
    this.resume = null;
    this.childDone?.(true);
  }

  // ---- line hook ----------------------------------------------------------------------------

  /** luaLdbLineHook() for a new line (`count`: the count hook's timeout check). */
  hook(L: LuaState, line: number, count: boolean): void {
    if (this.inRepl) return;
    const fr = L.frames[L.depth];
    const chunk = fr.fn instanceof LuaClosure ? fr.fn.chunk : '';
    this.currentline = line;
    const l = this.ldb;
    const bp = this.isBreakpoint(line) || l.luabp;
    if (!chunk.includes('user_script')) return;
    if (count) {
      if (l.step || bp) return;
      const thresholdMs = this.server.config.get<number>('busy-reply-threshold');
      const limitMs = thresholdMs ? thresholdMs : 5000;
      if (this.server.os.now() - this.startMs < limitMs) return;
      // Time is up: stop at the statement about to run. (Lua's count hook fires inside a line;
      // ours between statements, so the stop is the next statement's line event.)
      this.timeoutPending = true;
      l.step = true;
      L.lineEventPending = true;
      return;
    }
    const timeout = this.timeoutPending;
    this.timeoutPending = false;
    if (!l.step && !bp) return;
    if (!this.canStop) {
      // Inside EXEC the script cannot be suspended here (Redis blocks in read() instead):
      // it runs on without stops, as for a client that hung up.
      l.step = false;
      l.luabp = false;
      return;
    }
    const reason = bp ? (l.luabp ? 'redis.breakpoint() called' : 'break point') : timeout ? 'timeout reached, infinite loop?' : 'step over';
    l.step = false;
    l.luabp = false;
    this.log(`* Stopped at ${line}, stop reason = ${reason}`);
    this.logSourceLine(line);
    this.sendLogs();
    this.timeoutStop = timeout;
    this.frames = L.frames.slice(L.threadBase + 1, L.depth + 1).reverse().filter((f) => !f.tailHidden);
    L.requestSuspend();
  }

  /** The script stopped at a line: serve debugger commands until one resumes it. */
  stopped(resume: () => void): void {
    this.resume = resume;
    if (this.closed) { this.readFailed(); return; }
    this.processInput();
  }

  private onData(bytes: Uint8Array): void {
    if (this.closed) return;
    this.ldb.cbuf += bytesToStr(bytes);
    if (this.ldb.cbuf.length > 1 << 20) {
      this.ldb.cbuf = '';
      this.abortWith('max client buffer reached');
      return;
    }
    this.processInput();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.resume) this.readFailed();
  }

  /** read() returned 0 or an error: the script goes on without stops (or fails, after a timeout). */
  private readFailed(): void {
    this.ldb.step = false;
    this.ldb.bpcount = 0;
    if (this.timeoutStop) { this.abortWith('timeout during Lua debugging with client closing connection'); return; }
    this.continueScript();
  }

  private continueScript(): void {
    const r = this.resume;
    this.resume = null;
    this.startMs = this.server.os.now();
    r?.();
  }

  /** luaPushError + luaError at the stopped line. */
  private abortWith(msg: string): void {
    const L = this.L;
    if (!L || !this.resume) return;
    const t = new LuaTable();
    t.set('err', `ERR ${msg}`);
    const e = new LuaError(t);
    e.luaLine = this.currentline;
    L.resumeError = e;
    this.continueScript();
  }

  /** ldbReplParseCommand(): a command from cbuf, null to read more, or 'error'. */
  private parseCommand(): string[] | null | 'error' {
    const buf = this.ldb.cbuf;
    if (buf.length === 0) return null;
    // C string functions stop at a NUL byte.
    const cstr = (from: number) => { const z = buf.indexOf('\0', from); return z < 0 ? buf.length : z; };
    const star = buf.indexOf('*');
    if (star < 0 || star >= cstr(0)) return 'error';
    let crlf = buf.indexOf('\r\n', star);
    if (crlf < 0 || crlf >= cstr(star)) return null;
    const argc = Math.trunc(Number.parseInt(buf.slice(star + 1, crlf), 10) || 0);
    if (argc <= 0 || argc > 1024) return 'error';
    let p = crlf + 2;
    const argv: string[] = [];
    while (argv.length < argc) {
      if (p >= buf.length || buf[p] === '\0') return null;
      if (buf[p] !== '$') return 'error';
      crlf = buf.indexOf('\r\n', p);
      if (crlf < 0 || crlf >= cstr(p)) return null;
      const slen = Math.trunc(Number.parseInt(buf.slice(p + 1, crlf), 10) || 0);
      if (slen <= 0 || slen > 1024) return 'error';
      p = crlf + 2;
      if (p + slen + 2 > buf.length) return null;
      argv.push(buf.slice(p, p + slen));
      p += slen;
      if (buf[p] !== '\r' || buf[p + 1] !== '\n') return 'error';
      p += 2;
    }
    return argv;
  }

  /** ldbRepl(): run the commands that arrived, until one resumes the script. */
  private processInput(): void {
    while (this.resume) {
      const argv = this.parseCommand();
      if (argv === null) return;
      if (argv === 'error') { this.abortWith('protocol error'); return; }
      this.ldb.cbuf = '';
      if (this.command(argv)) { this.continueScript(); return; }
    }
  }

  /** One debugger command; true when it resumes the script. */
  private command(argv: string[]): boolean {
    const is = (...names: string[]) => names.includes(argv[0].toLowerCase());
    const L = this.L!;
    this.inRepl = true;
    try {
      if (is('h', 'help')) {
        for (const line of HELP) this.log(line);
      } else if (is('s', 'step', 'n', 'next')) {
        this.ldb.step = true;
        return true;
      } else if (is('c', 'continue')) {
        return true;
      } else if (is('t', 'trace')) {
        this.trace();
      } else if (is('m', 'maxlen')) {
        this.maxlenCmd(argv);
      } else if (is('b', 'break')) {
        this.breakCmd(argv);
      } else if (is('e', 'eval')) {
        this.evalCmd(L, argv);
      } else if (is('a', 'abort')) {
        this.inRepl = false;
        this.abortWith('script aborted for user request');
        return false;
      } else if (argv.length > 1 && is('r', 'redis')) {
        this.redisCmd(L, argv);
      } else if (is('p', 'print')) {
        if (argv.length === 2) this.print(argv[1]); else this.printAll();
      } else if (is('l', 'list')) {
        let around = this.currentline, ctx = 5;
        if (argv.length > 1) { const num = atoi(argv[1]); if (num > 0) around = num; }
        if (argv.length > 2) ctx = atoi(argv[2]);
        this.list(around, ctx);
      } else if (is('w', 'whole')) {
        this.list(1, 1000000);
      } else {
        this.log('<error> Unknown Redis Lua debugger command or wrong number of arguments.');
      }
      this.sendLogs();
      return false;
    } finally {
      this.inRepl = false;
    }
  }

  private sourceLine(line: number): string {
    const idx = line - 1;
    return idx < 0 || idx >= this.src.length ? '<out of range source code line>' : this.src[idx];
  }

  private isBreakpoint(line: number): boolean {
    for (let j = 0; j < this.ldb.bpcount; j++) if (this.ldb.bp[j] === line) return true;
    return false;
  }

  private addBreakpoint(line: number): boolean {
    if (line <= 0 || line > this.src.length) return false;
    if (!this.isBreakpoint(line) && this.ldb.bpcount !== LDB_BREAKPOINTS_MAX) {
      this.ldb.bp[this.ldb.bpcount++] = line;
      return true;
    }
    return false;
  }

  /**
   * ldbDelBreakpoint(). Redis's memmove there moves bpcount-j bytes, not ints: only the low
   * bytes of the next entries shift. Done the same way, so the breakpoints left are Redis's.
   */
  private delBreakpoint(line: number): boolean {
    const l = this.ldb;
    for (let j = 0; j < l.bpcount; j++) {
      if (l.bp[j] === line) {
        l.bpcount--;
        const bytes = new Uint8Array(l.bp.buffer);
        bytes.copyWithin(j * 4, (j + 1) * 4, (j + 1) * 4 + (l.bpcount - j));
        return true;
      }
    }
    return false;
  }

  /** ldbLogSourceLine(). */
  private logSourceLine(lnum: number): void {
    const bp = this.isBreakpoint(lnum);
    const current = this.currentline === lnum;
    const prefix = current && bp ? '->#' : current ? '-> ' : bp ? '  #' : '   ';
    this.log(`${prefix}${String(lnum).padEnd(3)} ${this.sourceLine(lnum)}`);
  }

  private list(around: number, context: number): void {
    for (let j = 1; j <= this.src.length; j++) {
      if (around !== 0 && Math.abs(around - j) > context) continue;
      this.logSourceLine(j);
    }
  }

  private breakCmd(argv: string[]): void {
    const l = this.ldb;
    if (argv.length === 1) {
      if (l.bpcount === 0) { this.log("No breakpoints set. Use 'b <line>' to add one."); return; }
      this.log(`${l.bpcount} breakpoints set:`);
      for (let j = 0; j < l.bpcount; j++) this.logSourceLine(l.bp[j]);
      return;
    }
    for (let j = 1; j < argv.length; j++) {
      const arg = argv[j];
      const line = string2l(arg);
      if (line === null) { this.log(`Invalid argument:'${arg}'`); continue; }
      if (line === 0) {
        l.bpcount = 0;
        this.log('All breakpoints removed.');
      } else if (line > 0) {
        if (l.bpcount === LDB_BREAKPOINTS_MAX) this.log('Too many breakpoints set.');
        else if (this.addBreakpoint(line)) this.list(line, 1);
        else this.log('Wrong line number.');
      } else if (this.delBreakpoint(-line)) this.log('Breakpoint removed.');
      else this.log('No breakpoint in the specified line.');
    }
  }

  private maxlenCmd(argv: string[]): void {
    const l = this.ldb;
    if (argv.length === 2) {
      let v = atoi(argv[1]);
      l.maxlenHintSent = true;
      if (v !== 0 && v <= 60) v = 60;
      l.maxlen = v;
    }
    this.log(l.maxlen ? `<value> replies are truncated at ${l.maxlen} bytes.` : '<value> replies are unlimited.');
  }

  private evalCmd(L: LuaState, argv: string[]): void {
    const code = argv.slice(1).join(' ');
    let fn: LuaFunction;
    try {
      fn = L.load(`return ${code}`, '@ldb_eval');
    } catch {
      try {
        fn = L.load(code, '@ldb_eval');
      } catch (e) {
        this.log(`<error> ${errorText(e)}`);
        return;
      }
    }
    let r: LuaValue[];
    try {
      r = this.inChild(() => L.callProtected(fn, []));
    } catch (e) {
      if (!(e instanceof LuaError)) throw e;
      this.log(`<error> ${errorText(e)}`);
      return;
    }
    this.logWithMaxLen(`<retval> ${catValue(this.server, r[0])}`);
  }

  private redisCmd(L: LuaState, argv: string[]): void {
    const redis = L.globals.get('redis');
    const call = redis instanceof LuaTable ? redis.get('call') : undefined;
    this.ldb.step = true;
    try {
      this.inChild(() => L.callProtected(call, argv.slice(1)));
    } catch (e) {
      if (!(e instanceof LuaError)) throw e;
    } finally {
      this.ldb.step = false;
    }
  }

  /** Work of the script's (the child's, when forked) done from the REPL. */
  inChild<T>(fn: () => T): T {
    this.enterChild();
    try {
      return fn();
    } finally {
      this.exitChild();
    }
  }

  private localsOf(fr: Frame): { name: string; value: LuaValue }[] {
    const vars = fr.dbgVars;
    if (!vars || fr.dbgAct === undefined) return [];
    return vars.map((v) => ({ name: v.name, value: debugLocalValue(fr.dbgAct, v) }));
  }

  private print(name: string): void {
    for (const fr of this.frames) {
      for (const v of this.localsOf(fr)) {
        if (v.name === name) { this.logWithMaxLen(`<value> ${catValue(this.server, v.value)}`); return; }
      }
    }
    if (name === 'ARGV' || name === 'KEYS') {
      this.logWithMaxLen(`<value> ${catValue(this.server, this.L!.globals.get(name))}`);
    } else this.log('No such variable.');
  }

  private printAll(): void {
    let vars = 0;
    const fr = this.frames[0];
    if (fr) {
      for (const v of this.localsOf(fr)) {
        if (v.name.includes('(*temporary)')) continue;
        this.logWithMaxLen(`<value> ${v.name} = ${catValue(this.server, v.value)}`);
        vars++;
      }
    }
    if (vars === 0) this.log('No local variables in the current context.');
  }

  private trace(): void {
    let level = 0;
    for (const fr of this.frames) {
      if (fr.fn instanceof LuaClosure && fr.fn.chunk.includes('user_script')) {
        // The name the caller gave the function (getinfo "n"); the main chunk has none.
        const name = level === this.frames.length - 1 ? undefined : fr.site?.name;
        this.log(`${level === 0 ? 'In' : 'From'} ${name ?? 'top level'}:`);
        this.logSourceLine(fr.line);
      }
      level++;
    }
    if (level === 0) this.log("<error> Can't retrieve Lua stack.");
  }

  /** ldbEndSession(): "<endsession>", then the EVAL's reply `reply` (forked) and the close. */
  end(reply: Uint8Array | null): void {
    this.log('<endsession>');
    this.sendLogs();
    const st = ldbStateOf(this.server);
    if (this.forked) {
      this.view = null;
      if (reply && !this.closed) this.socket.write(reply);
      this.closed = true;
      this.socket.onData = null;
      this.socket.onClose = null;
      this.socket.end();
      this.childDone?.(false);
      return;
    }
    st.syncSession = null;
    this.server.log.warning('Redis synchronous debugging eval session ended');
    ldbDisable(this.caller);
    // The client gets the EVAL's reply, then its connection is closed (CLIENT_CLOSE_AFTER_REPLY).
    const c = this.caller;
    if (this.closed) { this.server.freeClient(c); } else {
      this.socket.onData = this.prevHandlers.onData;
      this.socket.onClose = this.prevHandlers.onClose;
      c.closeAfterReply = true;
      // prepareClientToWrite() refuses a CLOSE_AFTER_REPLY client: the rest of an EXEC that ran
      // the EVAL adds no replies.
      c.replyMuted = true;
      this.server.markPendingWrite(c);
    }
    // The clients whose commands waited for the server, and a serverCron that fell due.
    const server = this.server;
    server.endYieldingLongCommand();
    server.os.setTimer(0, () => server.event(() => {
      for (const other of [...server.clients.values()]) if (other.parser.pendingBytes > 0 && !other.blocked) processInput(server, other);
    }));
  }

  /** A SYNC session starts holding the server. */
  holdServer(): void {
    ldbStateOf(this.server).syncSession = this;
  }

  /** The forked child's exit was reaped (ldbRemoveChild). */
  static reaped(server: RedisServer, pid: number): boolean {
    return states.get(server)?.children.delete(pid) ?? false;
  }

  get pid(): number { return this.childPid; }
}

function errorText(e: unknown): string {
  if (e instanceof LuaError) {
    const v = e.value;
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return formatG(v, 14);
    return '(null)';
  }
  return String(e);
}

/** C's atoi(). */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  return n > 2147483647 || n < -2147483648 ? (n | 0) : n;
}

/** string2l(): the whole string a long, or null. */
function string2l(s: string): number | null {
  if (!/^(0|-?[1-9]\d*)$/.test(s) || s === '-0') return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

const HELP = [
  'Redis Lua debugger help:',
  '[h]elp               Show this help.',
  '[s]tep               Run current line and stop again.',
  '[n]ext               Alias for step.',
  '[c]ontinue           Run till next breakpoint.',
  '[l]ist               List source code around current line.',
  '[l]ist [line]        List source code around [line].',
  '                     line = 0 means: current position.',
  '[l]ist [line] [ctx]  In this form [ctx] specifies how many lines',
  '                     to show before/after [line].',
  "[w]hole              List all source code. Alias for 'list 1 1000000'.",
  '[p]rint              Show all the local variables.',
  '[p]rint <var>        Show the value of the specified variable.',
  '                     Can also show global vars KEYS and ARGV.',
  '[b]reak              Show all breakpoints.',
  '[b]reak <line>       Add a breakpoint to the specified line.',
  '[b]reak -<line>      Remove breakpoint from the specified line.',
  '[b]reak 0            Remove all breakpoints.',
  '[t]race              Show a backtrace.',
  '[e]val <code>        Execute some Lua code (in a different callframe).',
  '[r]edis <cmd>        Execute a Redis command.',
  '[m]axlen [len]       Trim logged Redis replies and Lua var dumps to len.',
  '                     Specifying zero as <len> means unlimited.',
  '[a]bort              Stop the execution of the script. In sync',
  '                     mode dataset changes will be retained.',
  '',
  'Debugger functions you can call from Lua scripts:',
  'redis.debug()        Produce logs in the debugger console.',
  'redis.breakpoint()   Stop execution like if there was a breakpoint in the',
  '                     next line of code.',
];
