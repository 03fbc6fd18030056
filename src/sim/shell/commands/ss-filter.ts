/**
 * ss's filter expressions (iproute2 6.1's ssfilter.y): `dport = :6379`, `sport >= 1024`,
 * `dst 10.0.0.0/24`, `src [::1]:6379`, `autobound`, joined by `and`/`&`/`&&`, `or`/`|`/`||`,
 * juxtaposition (and), `not`/`!` and parentheses. The grammar is left-recursive with the
 * operators after the left operand, so expressions are read strictly left to right:
 * `a or b and c` is `(a or b) and c`. Words come from the arguments split at blanks (a
 * backslash escapes the next character), so `'dport = :6379'` as one argument works too.
 *
 * Errors as ss reports them: a word that is no address or port ends ss at once with status 1;
 * a word that cannot continue the expression is bison's "syntax error", after which ss prints
 * its usage and ends with 255.
 */

export interface SockKey {
  localIp: string;
  localPort: number;
  peerIp: string;
  peerPort: number;
}

export type Filter =
  | { k: 'and' | 'or'; a: Filter; b: Filter }
  | { k: 'not'; a: Filter }
  | { k: 'dst' | 'src'; cond: HostCond }
  | { k: 'dge' | 'dle' | 'sge' | 'sle'; port: number }
  | { k: 'autobound' }
  | { k: 'dev'; iface: number }
  | { k: 'mark'; mark: number; mask: number };

/** An address (prefix) and/or a port; port -1 for any. */
export interface HostCond { prefixes: { bytes: number[]; bits: number }[]; port: number }

export interface FilterEnv {
  /** Port names (/etc/services, tcp). */
  portByName(name: string): number | null;
  /** A host name the simulated resolver knows (host names, localhost), as its addresses. */
  resolveHost(name: string): string[];
  /** Interface index by name (lo 1, eth0 2). */
  ifIndex(name: string): number;
  ephemeral(port: number): boolean;
  /** A condition was read in a named family (ss then lists that family only). */
  onFamily?(v6: boolean): void;
}

export type FilterResult = { filter: Filter | null } | { error: string; status: 1 | 255 };

class Fatal { constructor(readonly message: string, readonly status: 1 | 255) {} }

type Tok =
  | { t: '!' | '&' | '|' | '(' | ')' | '=' | '>' | '<' | 'geq' | 'leq' | 'neq' | 'eof' | 'autobound' }
  | { t: 'dst' | 'src' | 'dport' | 'sport' | 'dev' | 'fwmark' | 'cgroup' }
  | { t: 'host'; cond: HostCond }
  | { t: 'devcond'; iface: number }
  | { t: 'mark'; mark: number; mask: number };

/** The words of the arguments, as ss's lexer splits them. */
function words(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    let cur: string | null = null;
    for (let i = 0; i < arg.length; i++) {
      const c = arg[i];
      if (c === ' ' || c === '\t') { if (cur !== null) out.push(cur); cur = null; continue; }
      if (c === '\\') { i++; if (i >= arg.length) break; cur = (cur ?? '') + arg[i]; continue; }
      cur = (cur ?? '') + c;
    }
    if (cur !== null) out.push(cur);
  }
  return out;
}

export function parseFilter(args: readonly string[], env: FilterEnv, preferV6: boolean | null): FilterResult {
  const ws = words(args);
  let pos = 0;
  let tokType: string | null = null;
  let look: Tok | null = null;
  const lex = (): Tok => {
    if (pos >= ws.length) return { t: 'eof' };
    const w = ws[pos++];
    const simple: Record<string, Tok['t']> = {
      '!': '!', not: '!', '&': '&', '&&': '&', and: '&', '|': '|', '||': '|', or: '|', '(': '(', ')': ')',
      '>=': 'geq', ge: 'geq', geq: 'geq', '<=': 'leq', le: 'leq', leq: 'leq', '!=': 'neq', ne: 'neq', neq: 'neq',
      '=': '=', '==': '=', eq: '=', '>': '>', gt: '>', '<': '<', lt: '<',
    };
    if (w in simple) return { t: simple[w] } as Tok;
    if (w === 'dst' || w === 'src' || w === 'dport' || w === 'sport' || w === 'dev' || w === 'fwmark' || w === 'cgroup') {
      tokType = w;
      return { t: w };
    }
    if (w === 'autobound') { tokType = w; return { t: 'autobound' }; }
    if (tokType === 'dev') {
      const iface = parseDev(w, env);
      if (iface === null) throw new Fatal('Cannot parse device.\n', 1);
      return { t: 'devcond', iface };
    }
    if (tokType === 'fwmark') {
      const m = parseMark(w);
      if (!m) throw new Fatal(`Cannot parse mark ${w}.\n`, 1);
      return { t: 'mark', ...m };
    }
    if (tokType === 'cgroup') throw new Fatal(`Cannot parse cgroup ${w}.\n`, 1);
    const cond = parseHostCond(w, tokType === 'sport' || tokType === 'dport', env, preferV6);
    if (typeof cond === 'string') throw new Fatal(`${cond}Cannot parse dst/src address.\n`, 1);
    return { t: 'host', cond };
  };
  const peek = (): Tok => (look ??= lex());
  const next = (): Tok => { const t = peek(); look = null; return t; };
  const syntax = () => new Fatal('ss: bison bellows (while parsing filter): "syntax error!" Sorry.\n', 255);

  const startsExpr = (t: Tok) => t.t === '(' || t.t === '!' || t.t === 'dst' || t.t === 'src' || t.t === 'dport' || t.t === 'sport' || t.t === 'dev' || t.t === 'fwmark' || t.t === 'cgroup' || t.t === 'autobound';

  const hostAfter = (): HostCond => {
    const t = next();
    if (t.t !== 'host') throw syntax();
    return t.cond;
  };

  const expr = (): Filter => {
    const t = next();
    switch (t.t) {
      case '(': {
        const inner = exprList();
        if (next().t !== ')') throw syntax();
        return inner;
      }
      case '!': return { k: 'not', a: expr() };
      case 'autobound': return { k: 'autobound' };
      case 'dst': case 'src': {
        if (peek().t === '=') next();
        return { k: t.t, cond: hostAfter() };
      }
      case 'dport': case 'sport': {
        const d = t.t === 'dport';
        const op = peek();
        if (op.t === 'geq' || op.t === 'leq' || op.t === '>' || op.t === '<' || op.t === 'neq' || op.t === '=') next();
        const cond = hostAfter();
        switch (op.t) {
          case 'geq': return { k: d ? 'dge' : 'sge', port: cond.port };
          case 'leq': return { k: d ? 'dle' : 'sle', port: cond.port };
          case '>': return { k: 'not', a: { k: d ? 'dle' : 'sle', port: cond.port } };
          case '<': return { k: 'not', a: { k: d ? 'dge' : 'sge', port: cond.port } };
          case 'neq': return { k: 'not', a: { k: d ? 'dst' : 'src', cond } };
          default: return { k: d ? 'dst' : 'src', cond };
        }
      }
      case 'dev': {
        const op = peek();
        if (op.t === '=' || op.t === 'neq') next();
        const c = next();
        if (c.t !== 'devcond') throw syntax();
        const f: Filter = { k: 'dev', iface: c.iface };
        return op.t === 'neq' ? { k: 'not', a: f } : f;
      }
      case 'fwmark': {
        const op = peek();
        if (op.t === '=' || op.t === 'neq') next();
        const c = next();
        if (c.t !== 'mark') throw syntax();
        const f: Filter = { k: 'mark', mark: c.mark, mask: c.mask };
        return op.t === 'neq' ? { k: 'not', a: f } : f;
      }
      default: throw syntax();
    }
  };

  const exprList = (): Filter => {
    let left = expr();
    for (;;) {
      const t = peek();
      if (t.t === '|' || t.t === '&') {
        next();
        left = { k: t.t === '|' ? 'or' : 'and', a: left, b: expr() };
      } else if (startsExpr(t)) left = { k: 'and', a: left, b: expr() };
      else return left;
    }
  };

  try {
    if (peek().t === 'eof') return { filter: null };
    const f = exprList();
    if (next().t !== 'eof') throw syntax();
    return { filter: f };
  } catch (e) {
    if (e instanceof Fatal) return { error: e.message, status: e.status };
    throw e;
  }
}

/** iproute2's get_integer(…, 0): a C integer in base 10, 16 (0x) or 8 (0), the whole word. */
function cInteger(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  const body = m[2];
  const n = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : body.length > 1 && body[0] === '0' ? parseInt(body, 8) : Number(body);
  const v = m[1] === '-' ? -n : n;
  return v >= -2147483648 && v <= 2147483647 ? v : null;
}

function parseDev(w: string, env: FilterEnv): number | null {
  const idx = env.ifIndex(w);
  if (idx > 0) return idx;
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(w);
  if (!m) return null;
  const n = /^0[xX]/.test(w) ? parseInt(w.slice(2), 16) : w.length > 1 && w[0] === '0' ? parseInt(w, 8) : Number(w);
  return n <= 0xffffffff ? n : null;
}

function parseMark(w: string): { mark: number; mask: number } | null {
  const one = (s: string) => { const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s); return m ? cInteger(m[1]) : null; };
  if (w.includes('/')) {
    const [a, b] = w.split('/', 2);
    const mark = one(a);
    const mask = one(b);
    return mark === null || mask === null ? null : { mark: mark >>> 0, mask: mask >>> 0 };
  }
  const mark = one(w);
  return mark === null ? null : { mark: mark >>> 0, mask: 0xffffffff };
}

/** parse_hostcond for the inet families: an error message (without ss's last line) or the condition. */
function parseHostCond(word: string, isPort: boolean, env: FilterEnv, preferV6: boolean | null): HostCond | string {
  let addr = word;
  let family: boolean | null = preferV6;
  if (addr.startsWith('inet:')) { family = false; addr = addr.slice(5); } else if (addr.startsWith('inet6:')) { family = true; addr = addr.slice(6); }
  let port: string | null;
  if (addr.startsWith('[')) {
    const close = addr.indexOf(']');
    // No closing bracket: parse_hostcond fails without a word of its own.
    if (close < 0) return '';
    port = addr.slice(close + 1);
    addr = addr.slice(1, close);
  } else if (addr.startsWith('*')) {
    port = addr.slice(1);
    addr = '*';
  } else {
    const slash = addr.indexOf('/');
    const colon = addr.lastIndexOf(':');
    if (colon >= 0 && colon >= slash) { port = addr.slice(colon); addr = addr.slice(0, colon); } else port = null;
  }
  if (isPort) { port = word; addr = word; }
  if (family !== null) env.onFamily?.(family);
  let portNo = -1;
  if (port !== null && port !== '') {
    if (port.startsWith(':')) port = port.slice(1);
    if (port !== '' && port !== '*') {
      const n = cInteger(port);
      if (n !== null) portNo = n;
      else {
        const named = env.portByName(port);
        if (named === null) return `Error: "${port}" does not look like a port.\n`;
        portNo = named;
      }
    }
  }
  const prefixes: { bytes: number[]; bits: number }[] = [];
  if (!isPort && addr !== '' && addr !== '*') {
    const p = parsePrefix(addr, family);
    if (p) {
      if (p.bits > 0) prefixes.push(p);
    } else {
      const ips = env.resolveHost(addr).map((ip) => parsePrefix(ip, family)).filter((x): x is { bytes: number[]; bits: number } => x !== null);
      if (ips.length === 0) return `Error: an inet prefix is expected rather than "${addr}".\n`;
      prefixes.push(...ips);
    }
  }
  return { prefixes, port: portNo };
}

/** An address with an optional /length (get_prefix_1); `default`, `any` and `all` match everything. */
function parsePrefix(s: string, v6: boolean | null): { bytes: number[]; bits: number } | null {
  if (s === 'default' || s === 'any' || s === 'all') return { bytes: [], bits: 0 };
  const slash = s.indexOf('/');
  const a = slash < 0 ? s : s.slice(0, slash);
  const bytes = s.includes(':') ? parseIPv6(a) : v6 === true ? null : parseIPv4Loose(a);
  if (!bytes) return null;
  const max = bytes.length * 8;
  let bits = max;
  if (slash >= 0) {
    const l = s.slice(slash + 1);
    if (!/^\d+$/.test(l) || Number(l) > max) return null;
    bits = Number(l);
  }
  return { bytes, bits };
}

/** iproute2's get_addr_ipv4: up to four dotted parts, the missing ones zero (`10/8`). */
function parseIPv4Loose(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length < 1 || parts.length > 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  const out = parts.map(Number);
  while (out.length < 4) out.push(0);
  return out;
}

export function parseIPv6(s: string): number[] | null {
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4Loose(p);
        if (!v4 || p.split('.').length !== 4) return null;
        out.push(v4[0], v4[1], v4[2], v4[3]);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
      const n = parseInt(p, 16);
      out.push(n >> 8, n & 255);
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 16 ? head : null;
  if (head.length + tail.length > 14) return null;
  return [...head, ...new Array(16 - head.length - tail.length).fill(0), ...tail];
}

function addrBytes(ip: string): number[] {
  return ip.includes(':') ? parseIPv6(ip) ?? new Array(16).fill(0) : ip.split('.').map(Number);
}

function prefixMatch(ip: string, p: { bytes: number[]; bits: number }): boolean {
  let a = addrBytes(ip);
  // A v4-mapped IPv6 address matches an IPv4 prefix.
  if (p.bytes.length === 4 && a.length === 16) {
    if (a.slice(0, 10).every((x) => x === 0) && a[10] === 255 && a[11] === 255) a = a.slice(12);
    else return false;
  }
  if (p.bytes.length === 16 && a.length === 4) return false;
  for (let bit = 0; bit < p.bits; bit += 8) {
    const n = Math.min(8, p.bits - bit);
    const mask = (0xff << (8 - n)) & 0xff;
    if ((a[bit / 8] & mask) !== (p.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

export function runFilter(f: Filter, s: SockKey, env: Pick<FilterEnv, 'ephemeral'>): boolean {
  switch (f.k) {
    case 'and': return runFilter(f.a, s, env) && runFilter(f.b, s, env);
    case 'or': return runFilter(f.a, s, env) || runFilter(f.b, s, env);
    case 'not': return !runFilter(f.a, s, env);
    case 'dst': case 'src': {
      const ip = f.k === 'dst' ? s.peerIp : s.localIp;
      const port = f.k === 'dst' ? s.peerPort : s.localPort;
      if (f.cond.port !== -1 && f.cond.port !== port) return false;
      return f.cond.prefixes.length === 0 || f.cond.prefixes.some((p) => prefixMatch(ip, p));
    }
    case 'dge': return s.peerPort >= f.port;
    case 'dle': return s.peerPort <= f.port;
    case 'sge': return s.localPort >= f.port;
    case 'sle': return s.localPort <= f.port;
    case 'autobound': return env.ephemeral(s.localPort);
    // No simulated socket is bound to a device or marked.
    case 'dev': return f.iface === 0;
    case 'mark': return (0 & f.mask) === f.mark;
  }
}
