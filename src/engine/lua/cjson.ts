/**
 * Lua CJSON 2.1.0 (deps/lua/src/lua_cjson.c) as Redis 7.0 loads it: cjson.encode / decode,
 * cjson.null, the configuration functions and cjson.new (a module with its own settings).
 *
 * Encoding: strings escape ", \, /, control bytes and DEL (other bytes pass through as they
 * are); numbers print with "%.<precision>g" (14 by default); a table whose keys are all
 * integers >= 1 is an array up to its largest key (holes are null) unless excessively sparse;
 * any other table is an object in `next` order; {} is "{}".
 * Decoding: C-string semantics (a NUL byte ends the text), numbers via strtod (so hex, inf,
 * nan and a leading '+' are accepted while decode_invalid_numbers is on), \uXXXX to UTF-8.
 */
import {
  LuaTable, LuaFunction, LuaUserdata, checkString, luaType, numberToString, toNumber,
  type LuaCallContext, type LuaValue, type NativeFn,
} from './value';
import { formatG } from './cformat';

/** cjson.null: the NULL lightuserdata. */
export const CJSON_NULL = new LuaUserdata(undefined, true);

/** LUAI_MAXCSTACK: lua_checkstack's limit on a C function's stack slots. */
const MAX_C_STACK = 8000;
const INT_MAX = 2147483647;

interface Config {
  sparseConvert: number;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  encodeInvalidNumbers: number; // 0 off, 1 on, 2 null
  decodeInvalidNumbers: number;
  encodeKeepBuffer: number;
  encodeNumberPrecision: number;
}

const newConfig = (): Config => ({
  sparseConvert: 0, sparseRatio: 2, sparseSafe: 10, encodeMaxDepth: 1000, decodeMaxDepth: 1000,
  encodeInvalidNumbers: 0, decodeInvalidNumbers: 1, encodeKeepBuffer: 1, encodeNumberPrecision: 14,
});

// ---------------------------------------------------------------------------------------------
// Configuration functions

/** json_arg_init: at most `n` arguments. */
function argInit(L: LuaCallContext, a: LuaValue[], n: number): void {
  if (a.length > n) L.argError(n + 1, 'found too many arguments');
}

/** (int) of a lua_Integer. */
const toCInt = (n: number): number => Number(BigInt.asIntN(32, BigInt(n)));

function integerOption(L: LuaCallContext, a: LuaValue[], i: number, get: () => number, set: (v: number) => void, min: number, max: number): LuaValue {
  if (a[i] !== undefined) {
    const n = toNumber(a[i]);
    if (n === undefined) L.typeError(a, i + 1, 'number');
    const value = toCInt(n >= 9223372036854775808 || n < -9223372036854775808 || Number.isNaN(n) ? -9223372036854775808 : Math.trunc(n));
    // The C code reports argument 1 whichever option is out of range.
    if (!(min <= value && value <= max)) L.argError(1, `expected integer between ${min} and ${max}`);
    set(value);
  }
  return get();
}

function enumOption(L: LuaCallContext, a: LuaValue[], i: number, get: () => number, set: (v: number) => void, options: string[] = ['off', 'on']): LuaValue {
  const v = a[i];
  if (v !== undefined) {
    if (typeof v === 'boolean') set(v ? 1 : 0);
    else {
      if (typeof v !== 'string' && typeof v !== 'number') L.typeError(a, i + 1, 'string');
      const name = typeof v === 'number' ? numberToString(v) : v;
      const idx = options.indexOf(name);
      if (idx < 0) L.argError(i + 1, `invalid option '${name}'`);
      set(idx);
    }
  }
  const s = get();
  return s === 0 || s === 1 ? s === 1 : options[s];
}

// ---------------------------------------------------------------------------------------------
// Encoding

const ESCAPES: (string | null)[] = (() => {
  const t: (string | null)[] = new Array(256).fill(null);
  for (let i = 0; i < 32; i++) t[i] = '\\u' + i.toString(16).padStart(4, '0');
  t[8] = '\\b'; t[9] = '\\t'; t[10] = '\\n'; t[12] = '\\f'; t[13] = '\\r';
  t[34] = '\\"'; t[92] = '\\\\'; t[47] = '\\/'; t[127] = '\\u007f';
  return t;
})();

function encodeString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const e = ESCAPES[s.charCodeAt(i)];
    if (e !== null) {
      out += s.slice(from, i) + e;
      from = i + 1;
    }
  }
  return out + s.slice(from) + '"';
}

class Encoder {
  readonly out: string[] = [];
  constructor(readonly L: LuaCallContext, readonly cfg: Config) {}

  fail(type: string, reason: string): never {
    return this.L.error(`Cannot serialise ${type}: ${reason}`);
  }

  number(n: number): string {
    const cfg = this.cfg;
    if (cfg.encodeInvalidNumbers === 0) {
      if (!Number.isFinite(n)) this.fail('number', 'must not be NaN or Inf');
    } else if (cfg.encodeInvalidNumbers === 1) {
      if (Number.isNaN(n)) return 'nan';
    } else if (!Number.isFinite(n)) return 'null';
    return formatG(n, cfg.encodeNumberPrecision);
  }

  /** lua_array_length: the array size, or -1 for an object. */
  arrayLength(t: LuaTable): number {
    let max = 0;
    let items = 0;
    let k: LuaValue = undefined;
    for (;;) {
      const r = t.next(k);
      if (r === null || r[0] === undefined) break;
      k = r[0];
      if (typeof k === 'number' && k !== 0 && Math.floor(k) === k && k >= 1) {
        if (k > max) max = k > INT_MAX ? -2147483648 : k; // int max = k: x86 gives INT_MIN when out of range
        items++;
        continue;
      }
      return -1;
    }
    const cfg = this.cfg;
    if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
      if (!cfg.sparseConvert) this.fail('table', 'excessively sparse array');
      return -1;
    }
    return max;
  }

  /** `sp` counts the C stack slots in use (lua_checkstack's limit). */
  value(v: LuaValue, depth: number, sp: number): void {
    const out = this.out;
    if (typeof v === 'string') { out.push(encodeString(v)); return; }
    if (typeof v === 'number') { out.push(this.number(v)); return; }
    if (typeof v === 'boolean') { out.push(v ? 'true' : 'false'); return; }
    if (v === undefined) { out.push('null'); return; }
    if (v instanceof LuaTable) {
      depth++;
      if (!(depth <= this.cfg.encodeMaxDepth && sp + 3 <= MAX_C_STACK)) {
        this.L.error(`Cannot serialise, excessive nesting (${depth})`);
      }
      const len = this.arrayLength(v);
      if (len > 0) {
        out.push('[');
        for (let i = 1; i <= len; i++) {
          if (i > 1) out.push(',');
          this.value(v.get(i), depth, sp + 1);
        }
        out.push(']');
        return;
      }
      out.push('{');
      let k: LuaValue = undefined;
      let comma = false;
      for (;;) {
        const r = v.next(k);
        if (r === null || r[0] === undefined) break;
        k = r[0];
        if (comma) out.push(','); else comma = true;
        if (typeof k === 'number') out.push('"' + this.number(k) + '":');
        else if (typeof k === 'string') out.push(encodeString(k) + ':');
        else this.fail(luaType(k), 'table key must be a number or string');
        this.value(r[1], depth, sp + 2);
      }
      out.push('}');
      return;
    }
    if (v instanceof LuaUserdata && v.light && v.data === undefined) { out.push('null'); return; }
    this.fail(luaType(v), 'type not supported');
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding

const enum T { ObjBegin, ObjEnd, ArrBegin, ArrEnd, String, Number, Boolean, Null, Colon, Comma, End, Whitespace, Error, Unknown }
const TOKEN_NAMES = ['T_OBJ_BEGIN', 'T_OBJ_END', 'T_ARR_BEGIN', 'T_ARR_END', 'T_STRING', 'T_NUMBER', 'T_BOOLEAN', 'T_NULL', 'T_COLON', 'T_COMMA', 'T_END', 'T_WHITESPACE', 'T_ERROR', 'T_UNKNOWN'];

const CH2TOKEN: T[] = (() => {
  const t: T[] = new Array(256).fill(T.Error);
  t[123] = T.ObjBegin; t[125] = T.ObjEnd; t[91] = T.ArrBegin; t[93] = T.ArrEnd;
  t[44] = T.Comma; t[58] = T.Colon; t[0] = T.End;
  t[32] = T.Whitespace; t[9] = T.Whitespace; t[10] = T.Whitespace; t[13] = T.Whitespace;
  for (const c of 'fiInNt"+-0123456789') t[c.charCodeAt(0)] = T.Unknown;
  return t;
})();

const ESCAPE2CHAR: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', u: 'u' };

interface Token { type: T; index: number; value?: LuaValue; error?: string }

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 0x20;
  if (c >= 97 && c <= 102) return 10 + c - 97;
  return -1;
}

function codepointToUtf8(cp: number): string {
  if (cp <= 0x7f) return String.fromCharCode(cp);
  if (cp <= 0x7ff) return String.fromCharCode((cp >> 6) | 0xc0, (cp & 0x3f) | 0x80);
  if (cp <= 0xffff) return String.fromCharCode((cp >> 12) | 0xe0, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
  return String.fromCharCode((cp >> 18) | 0xf0, ((cp >> 12) & 0x3f) | 0x80, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
}

const STRTOD_DEC = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const STRTOD_HEX = /([+-]?)0[xX](?:([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?/y;
const STRTOD_SPECIAL = /([+-]?)(?:(infinity|inf)|(nan)(?:\([0-9A-Za-z_]*\))?)/iy;

/**
 * glibc strtod on the text at `at`: [value, characters consumed] (0 consumed: no
 * conversion). Sticky regexes, so long documents are not copied per number.
 */
export function strtodAt(s: string, at: number): [number, number] {
  STRTOD_SPECIAL.lastIndex = at;
  const sp = STRTOD_SPECIAL.exec(s);
  if (sp) {
    if (sp[3]) return [NaN, sp[0].length];
    return [sp[1] === '-' ? -Infinity : Infinity, sp[0].length];
  }
  STRTOD_HEX.lastIndex = at;
  const hx = STRTOD_HEX.exec(s);
  if (hx) {
    const intPart = hx[2] ?? '';
    const frac = hx[3] ?? hx[4] ?? '';
    let m = 0;
    for (const c of intPart + frac) m = m * 16 + parseInt(c, 16);
    let exp = -4 * frac.length + (hx[5] ? Number(hx[5]) : 0);
    let v = m;
    while (exp > 1000) { v *= 2 ** 1000; exp -= 1000; }
    while (exp < -1000) { v *= 2 ** -1000; exp += 1000; }
    v *= 2 ** exp;
    return [hx[1] === '-' ? -v : v, hx[0].length];
  }
  STRTOD_DEC.lastIndex = at;
  const dm = STRTOD_DEC.exec(s);
  if (dm) return [Number(dm[0]), dm[0].length];
  return [0, 0];
}

class Parser {
  ptr = 0;
  depth = 0;
  constructor(readonly L: LuaCallContext, readonly cfg: Config, readonly data: string) {}

  at(i: number): number { return i < this.data.length ? this.data.charCodeAt(i) : 0; }

  tokenError(tok: Token, msg: string): Token {
    tok.type = T.Error;
    tok.index = this.ptr;
    tok.error = msg;
    return tok;
  }

  isInvalidNumber(): boolean {
    let p = this.ptr;
    if (this.at(p) === 43) return true; // '+'
    if (this.at(p) === 45) p++; // '-'
    const c = this.at(p);
    if (c === 48) { // '0'
      const c2 = this.at(p + 1);
      return (c2 | 0x20) === 120 || (c2 >= 48 && c2 <= 57); // hex or a leading zero
    }
    // A signed char compare: bytes >= 0x80 are negative, hence "<= '9'".
    if (c <= 57 || c >= 128) return false;
    const three = this.data.slice(p, p + 3).toLowerCase();
    return three === 'inf' || three === 'nan';
  }

  numberToken(tok: Token): Token {
    // The regexes stop at a NUL byte, where the C string ends.
    const [v, used] = strtodAt(this.data, this.ptr);
    tok.type = T.Number;
    tok.value = v;
    if (used === 0) return this.tokenError(tok, 'invalid number');
    this.ptr += used;
    return tok;
  }

  stringToken(tok: Token): Token {
    this.ptr++;
    let out = '';
    for (;;) {
      const ch = this.at(this.ptr);
      if (ch === 34) break;
      if (ch === 0) return this.tokenError(tok, 'unexpected end of string');
      if (ch === 92) {
        const esc = ESCAPE2CHAR[String.fromCharCode(this.at(this.ptr + 1))];
        if (esc === 'u') {
          const u = this.unicodeEscape();
          if (u === null) return this.tokenError(tok, 'invalid unicode escape code');
          out += u;
          continue;
        }
        if (esc === undefined) return this.tokenError(tok, 'invalid escape code');
        out += esc;
        this.ptr += 2;
        continue;
      }
      // Copy a run of ordinary bytes at once.
      let end = this.ptr + 1;
      while (end < this.data.length) {
        const c = this.data.charCodeAt(end);
        if (c === 34 || c === 92 || c === 0) break;
        end++;
      }
      out += this.data.slice(this.ptr, end);
      this.ptr = end;
    }
    this.ptr++;
    tok.type = T.String;
    tok.value = out;
    return tok;
  }

  hex4(at: number): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const d = hexDigit(this.at(at + i));
      if (d < 0) return -1;
      v = (v << 4) + d;
    }
    return v;
  }

  unicodeEscape(): string | null {
    let cp = this.hex4(this.ptr + 2);
    if (cp < 0) return null;
    let len = 6;
    if ((cp & 0xf800) === 0xd800) {
      if (cp & 0x400) return null; // a low surrogate first
      if (this.at(this.ptr + 6) !== 92 || this.at(this.ptr + 7) !== 117) return null;
      const low = this.hex4(this.ptr + 8);
      if (low < 0 || (low & 0xfc00) !== 0xdc00) return null;
      cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
      len = 12;
    }
    this.ptr += len;
    return codepointToUtf8(cp);
  }

  next(): Token {
    let type: T;
    for (;;) {
      type = CH2TOKEN[this.at(this.ptr)];
      if (type !== T.Whitespace) break;
      this.ptr++;
    }
    const tok: Token = { type, index: this.ptr };
    if (type === T.Error) return this.tokenError(tok, 'invalid token');
    if (type === T.End) return tok;
    if (type !== T.Unknown) { this.ptr++; return tok; }
    const ch = this.at(this.ptr);
    if (ch === 34) return this.stringToken(tok);
    if (ch === 45 || (ch >= 48 && ch <= 57)) {
      if (!this.cfg.decodeInvalidNumbers && this.isInvalidNumber()) return this.tokenError(tok, 'invalid number');
      return this.numberToken(tok);
    }
    if (this.data.startsWith('true', this.ptr)) { tok.type = T.Boolean; tok.value = true; this.ptr += 4; return tok; }
    if (this.data.startsWith('false', this.ptr)) { tok.type = T.Boolean; tok.value = false; this.ptr += 5; return tok; }
    if (this.data.startsWith('null', this.ptr)) { tok.type = T.Null; this.ptr += 4; return tok; }
    if (this.cfg.decodeInvalidNumbers && this.isInvalidNumber()) return this.numberToken(tok);
    return this.tokenError(tok, 'invalid token');
  }

  throwError(expected: string, tok: Token): never {
    const found = tok.type === T.Error ? tok.error : TOKEN_NAMES[tok.type];
    return this.L.error(`Expected ${expected} but found ${found} at character ${tok.index + 1}`);
  }

  descend(sp: number, slots: number): void {
    this.depth++;
    if (this.depth <= this.cfg.decodeMaxDepth && sp + slots <= MAX_C_STACK) return;
    this.L.error(`Found too many nested data structures (${this.depth}) at character ${this.ptr}`);
  }

  object(sp: number): LuaTable {
    this.descend(sp, 3);
    const t = new LuaTable();
    let tok = this.next();
    if (tok.type === T.ObjEnd) { this.depth--; return t; }
    for (;;) {
      if (tok.type !== T.String) this.throwError('object key string', tok);
      const key = tok.value as string;
      tok = this.next();
      if (tok.type !== T.Colon) this.throwError('colon', tok);
      tok = this.next();
      t.set(key, this.value(tok, sp + 2));
      tok = this.next();
      if (tok.type === T.ObjEnd) { this.depth--; return t; }
      if (tok.type !== T.Comma) this.throwError('comma or object end', tok);
      tok = this.next();
    }
  }

  array(sp: number): LuaTable {
    this.descend(sp, 2);
    const t = new LuaTable();
    let tok = this.next();
    if (tok.type === T.ArrEnd) { this.depth--; return t; }
    for (let i = 1; ; i++) {
      t.set(i, this.value(tok, sp + 1));
      tok = this.next();
      if (tok.type === T.ArrEnd) { this.depth--; return t; }
      if (tok.type !== T.Comma) this.throwError('comma or array end', tok);
      tok = this.next();
    }
  }

  value(tok: Token, sp: number): LuaValue {
    switch (tok.type) {
      case T.String: case T.Number: case T.Boolean: return tok.value;
      case T.ObjBegin: return this.object(sp);
      case T.ArrBegin: return this.array(sp);
      case T.Null: return CJSON_NULL;
      default: return this.throwError('value', tok);
    }
  }
}

// ---------------------------------------------------------------------------------------------

function makeModule(): LuaTable {
  const cfg = newConfig();
  const fns: Record<string, NativeFn> = {
    encode: (L, a) => {
      if (a.length !== 1) L.argError(1, 'expected 1 argument');
      const enc = new Encoder(L, cfg);
      enc.value(a[0], 0, 1);
      return [enc.out.join('')];
    },
    decode: (L, a) => {
      if (a.length !== 1) L.argError(1, 'expected 1 argument');
      const data = checkString(L, a, 0);
      if (data.length >= 2 && (data.charCodeAt(0) === 0 || data.charCodeAt(1) === 0)) {
        L.error('JSON parser does not support UTF-16 or UTF-32');
      }
      const p = new Parser(L, cfg, data);
      const v = p.value(p.next(), 1);
      const end = p.next();
      if (end.type !== T.End) p.throwError('the end', end);
      return [v];
    },
    encode_sparse_array: (L, a) => {
      argInit(L, a, 3);
      return [
        enumOption(L, a, 0, () => cfg.sparseConvert, (v) => { cfg.sparseConvert = v; }),
        integerOption(L, a, 1, () => cfg.sparseRatio, (v) => { cfg.sparseRatio = v; }, 0, INT_MAX),
        integerOption(L, a, 2, () => cfg.sparseSafe, (v) => { cfg.sparseSafe = v; }, 0, INT_MAX),
      ];
    },
    encode_max_depth: (L, a) => {
      argInit(L, a, 1);
      return [integerOption(L, a, 0, () => cfg.encodeMaxDepth, (v) => { cfg.encodeMaxDepth = v; }, 1, INT_MAX)];
    },
    decode_max_depth: (L, a) => {
      argInit(L, a, 1);
      return [integerOption(L, a, 0, () => cfg.decodeMaxDepth, (v) => { cfg.decodeMaxDepth = v; }, 1, INT_MAX)];
    },
    encode_number_precision: (L, a) => {
      argInit(L, a, 1);
      return [integerOption(L, a, 0, () => cfg.encodeNumberPrecision, (v) => { cfg.encodeNumberPrecision = v; }, 1, 14)];
    },
    encode_keep_buffer: (L, a) => {
      argInit(L, a, 1);
      return [enumOption(L, a, 0, () => cfg.encodeKeepBuffer, (v) => { cfg.encodeKeepBuffer = v; })];
    },
    encode_invalid_numbers: (L, a) => {
      argInit(L, a, 1);
      return [enumOption(L, a, 0, () => cfg.encodeInvalidNumbers, (v) => { cfg.encodeInvalidNumbers = v; }, ['off', 'on', 'null'])];
    },
    decode_invalid_numbers: (L, a) => {
      argInit(L, a, 1);
      return [enumOption(L, a, 0, () => cfg.decodeInvalidNumbers, (v) => { cfg.decodeInvalidNumbers = v; })];
    },
    new: () => [makeModule()],
  };
  const t = new LuaTable();
  for (const [name, fn] of Object.entries(fns)) t.set(name, new LuaFunction(name, fn));
  t.set('null', CJSON_NULL);
  t.set('_NAME', 'cjson');
  t.set('_VERSION', '2.1.0');
  return t;
}

/** luaopen_cjson: the `cjson` table. */
export function openCjson(L: { globals: LuaTable }): LuaTable {
  const lib = makeModule();
  L.globals.set('cjson', lib);
  return lib;
}
