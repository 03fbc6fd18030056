/**
 * Lua 5.1 values and the API that native (TypeScript) library functions use.
 *
 * Values (`LuaValue`):
 *   nil → undefined; boolean; number (JS double: Lua 5.1 has only doubles);
 *   string → a JS string holding BYTES (every char code 0..255, i.e. latin1), so binary Redis
 *            values pass unchanged (convert Uint8Array <-> latin1 at the Redis boundary with
 *            bytesToLua / luaToBytes below);
 *   LuaTable; LuaFunction (a Lua closure or a native); LuaUserdata (e.g. cjson.null);
 *   LuaThread (a coroutine).
 *
 * Natives: `new LuaFunction(name, (L, args) => results)`. `args` is a fresh array the native
 * may keep or modify; missing trailing arguments are simply absent (args.length tells "no value"
 * from nil, as luaL_checkany needs). Return an array of results (`[]` for none); the caller
 * owns the returned array. Natives raise errors by throwing a LuaError:
 *   - `L.error(msg)` = luaL_error: prefixes "chunk:line: " of the Lua code that called the
 *     native (luaL_where(L, 1)), e.g. "user_script:3: wrong number of arguments";
 *   - `throw new LuaError(value)` = lua_error: any Lua value, no prefix (Redis's error tables
 *     {err = "..."} are thrown this way);
 *   - `L.argError(i, msg)`, `L.typeError(args, i, 'table')` and the `L.check*` / `L.opt*` helpers
 *     give Lua 5.1's exact texts: "bad argument #1 to 'insert' (table expected, got nil)",
 *     naming the function the way the calling code named it (or '?').
 * Natives call back into Lua with `L.call(fn, args)` (any callable value: __call honoured);
 * results come back as an array, errors propagate as LuaError.
 *
 * Embedding (see state.ts, `LuaState`):
 *   const L = newLuaState();                  // index.ts: base, table, math, coroutine, debug
 *   L.setGlobal('redis', tbl);                // or L.globals.set(...)
 *   const f = L.load(source, '@user_script'); // throws LuaError("user_script:1: ...") on syntax
 *   L.setHook((L) => { ... }, 100000);        // every ~N instructions (statements, loop
 *                                             // iterations, calls); charge time there, or
 *                                             // throw: a LuaError is a script error pcall can
 *                                             // catch, any other throw aborts past pcall
 *   const results = L.callProtected(f, []);   // LuaValue[]; throws LuaError; the state
 *                                             // stays usable after errors and aborts
 * Suspending instead of aborting: `const run = L.startResumable(f, [])`, then in the hook
 * `L.requestSuspend()`; `run.resume()` returns {done: false} at the suspension point (serve
 * other clients, run other chunks on the same state), call resume() again to continue;
 * {done: true, values} at the end. Resumable runs are slower on call-heavy code (2-8x).
 * Code running inside natives (sort comparators, metamethods) or coroutines cannot suspend:
 * the request is honoured at the next point that can.
 */

// ---------------------------------------------------------------------------------------------
// Types

export type LuaValue = undefined | boolean | number | string | LuaTable | LuaFunction | LuaUserdata | LuaThread;

/** The state a native gets; implemented by LuaState (state.ts). */
export interface LuaCallContext {
  /** luaL_error: throws a LuaError whose message is prefixed with the caller's "chunk:line: ". */
  error(message: string): never;
  /** luaL_where(L, level): "chunk:line: " of the function `level` frames up, or "". */
  where(level: number): string;
  /** luaL_argerror: "bad argument #i to 'name' (msg)". */
  argError(argIndex: number, message: string): never;
  /** luaL_typerror: "bad argument #i to 'name' (T expected, got U)"; argIndex is 1-based. */
  typeError(args: LuaValue[], argIndex: number, expectedType: string): never;
  /** Calls any Lua value (functions, or tables/userdata with __call). */
  call(fn: LuaValue, args: LuaValue[]): LuaValue[];
  /** tostring() as the base library does (honours __tostring). */
  tostring(v: LuaValue): string;
  /** The metatable of any value (strings share one). */
  getMetatable(v: LuaValue): LuaTable | undefined;
  /** Indexing with metamethods (t[k]). */
  index(obj: LuaValue, key: LuaValue): LuaValue;
  /** Assignment with metamethods (t[k] = v). */
  setIndex(obj: LuaValue, key: LuaValue, value: LuaValue): void;
  readonly globals: LuaTable;
  /** Per-state string metatable (l2's string library sets __index to `string`). */
  stringMetatable: LuaTable | undefined;
}

export type NativeFn = (L: LuaCallContext, args: LuaValue[]) => LuaValue[];

let nextObjectId = 1;
/** A stand-in for the pointer printed by tostring ("table: 0x55d0c1a2b3c0"). */
function fakeAddress(): number {
  return 0x55a4c0de0000 + (nextObjectId++) * 0x40;
}

export class LuaFunction {
  readonly id = fakeAddress();
  /**
   * `name` is informative only (error messages use the call site's name, as Lua does).
   * `isNative` tells C functions from Lua closures (debug.getinfo's "what", luaL_where).
   */
  constructor(readonly name: string, readonly fn: NativeFn, readonly isNative = true) {}
}

export class LuaUserdata {
  readonly id = fakeAddress();
  metatable: LuaTable | undefined = undefined;
  /** `light` = a lightuserdata (cjson.null is the NULL lightuserdata). */
  constructor(readonly data: unknown = undefined, readonly light = false) {}
}

/** A coroutine; its machinery lives in the interpreter. */
export class LuaThread {
  readonly id = fakeAddress();
  status: 'suspended' | 'running' | 'normal' | 'dead' = 'suspended';
  /** Interpreter-private. */
  impl: unknown = undefined;
}

export class LuaError extends Error {
  /**
   * The line of the Lua code that called the native raising this error (set as it leaves the
   * native): what Redis's error handler reports for errors without a position.
   */
  luaLine: number | undefined = undefined;
  /** `value` is the Lua error value (usually a string, maybe a table like {err = "..."}). */
  constructor(readonly value: LuaValue, public traceback?: string) {
    super(typeof value === 'string' ? value : value instanceof LuaTable ? errTableMessage(value) : String(value));
  }
}

function errTableMessage(t: LuaTable): string {
  const e = t.get('err');
  return typeof e === 'string' ? e : 'error table';
}

// ---------------------------------------------------------------------------------------------
// Tables

/**
 * A Lua table laid out exactly as Lua 5.1's ltable.c lays it out, so that what scripts can
 * observe of the layout matches real Redis: the order of next()/pairs() and the border the
 * length operator finds in tables with holes. An array part (keys 1..sizearray) and a hash
 * part of 2^k nodes with Lua's main positions (its string hash, number and boolean hashing),
 * collision chains and free-slot pointer; when no slot is free the table is rehashed with
 * Lua's sizing rule (computesizes). A Map from key to node index stands in for Lua's chain
 * walk on lookups. Keys whose value became nil keep their node, as in Lua between collections.
 * Float keys with integer values are the same key as the integer; -0 and 0 are one key.
 */
export class LuaTable {
  readonly id = fakeAddress();
  metatable: LuaTable | undefined = undefined;
  /**
   * Redis's Lua patch (lua_enablereadonlytable): stores into the table raise "Attempt to modify
   * a readonly table". Redis sets it on the globals and every table reachable from them.
   */
  readonly = false;
  /** The array part: arr[i] holds key i+1; arr.length is Lua's sizearray. */
  arr: LuaValue[] = [];
  /** Hash part nodes (length 0 = Lua's dummy node). */
  private nk: LuaValue[] = [];
  private nv: LuaValue[] = [];
  private nn: number[] = [];
  private lastfree = 0;
  /** key → node index, for every key that has a node. */
  private index = new Map<LuaValue, number>();

  /** A table filled like Redis fills arrays (lua_newtable, then t[1], t[2], ... in order). */
  constructor(arr?: LuaValue[]) {
    if (arr) for (let i = 0; i < arr.length; i++) this.set(i + 1, arr[i]);
  }

  get(key: LuaValue): LuaValue {
    if (typeof key === 'number') {
      const a = this.arr;
      if (key >= 1 && key <= a.length && (key | 0) === key) return a[key - 1];
    }
    const i = this.index.get(key);
    return i === undefined ? undefined : this.nv[i];
  }

  getStr(key: string): LuaValue {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.nv[i];
  }

  getInt(k: number): LuaValue {
    const a = this.arr;
    if (k >= 1 && k <= a.length) return a[k - 1];
    const i = this.index.get(k);
    return i === undefined ? undefined : this.nv[i];
  }

  /** rawset (luaH_set + assignment); the caller has rejected nil and NaN keys. */
  set(key: LuaValue, value: LuaValue): void {
    if (typeof key === 'number') {
      const a = this.arr;
      if (key >= 1 && key <= a.length && (key | 0) === key) {
        a[key - 1] = value;
        return;
      }
      if (key === 0) key = 0; // -0 → 0
    }
    const i = this.index.get(key);
    if (i !== undefined) {
      this.nv[i] = value;
      return;
    }
    this.newKey(key, value);
  }

  setInt(k: number, value: LuaValue): void {
    this.set(k, value);
  }

  /** luaH_newkey: place a key that has no node yet. */
  private newKey(key: LuaValue, value: LuaValue): void {
    const size = this.nk.length;
    if (size === 0) {
      this.rehash(key);
      this.set(key, value);
      return;
    }
    let mp = this.mainPosition(key, size);
    if (this.nv[mp] !== undefined) {
      const n = this.freePos();
      if (n < 0) {
        this.rehash(key);
        this.set(key, value);
        return;
      }
      let other = this.mainPosition(this.nk[mp], size);
      if (other !== mp) {
        // The colliding node is not in its main position: move it to the free slot.
        while (this.nn[other] !== mp) other = this.nn[other];
        this.nn[other] = n;
        this.nk[n] = this.nk[mp];
        this.nv[n] = this.nv[mp];
        this.nn[n] = this.nn[mp];
        this.index.set(this.nk[n], n);
        this.nn[mp] = -1;
        this.nv[mp] = undefined;
      } else {
        // The colliding node is in its main position: the new key takes the free slot.
        this.nn[n] = this.nn[mp];
        this.nn[mp] = n;
        mp = n;
      }
    }
    const old = this.nk[mp];
    if (old !== undefined && this.index.get(old) === mp) this.index.delete(old);
    this.nk[mp] = key;
    this.nv[mp] = value;
    this.index.set(key, mp);
  }

  private freePos(): number {
    while (this.lastfree > 0) {
      this.lastfree--;
      if (this.nk[this.lastfree] === undefined) return this.lastfree;
    }
    return -1;
  }

  private mainPosition(key: LuaValue, size: number): number {
    switch (typeof key) {
      case 'string': return luaStringHash(key) & (size - 1);
      case 'number': {
        if (key === 0) return 0;
        hf64[0] = key;
        return ((hu32[0] + hu32[1]) >>> 0) % ((size - 1) | 1);
      }
      case 'boolean': return (key ? 1 : 0) & (size - 1);
    }
    const id = (key as { id: number }).id;
    return (id >>> 0) % ((size - 1) | 1);
  }

  /** ltable.c's rehash: count integer keys, pick the array size, rebuild both parts. */
  private rehash(extra: LuaValue): void {
    const nums = new Array<number>(MAXBITS + 1).fill(0);
    let nasize = this.numUseArray(nums);
    let total = nasize;
    for (let i = this.nk.length - 1; i >= 0; i--) {
      if (this.nv[i] !== undefined) {
        nasize += countInt(this.nk[i], nums);
        total++;
      }
    }
    nasize += countInt(extra, nums);
    total++;
    const [na, newASize] = computeSizes(nums, nasize);
    this.resize(newASize, total - na);
  }

  private numUseArray(nums: number[]): number {
    let ause = 0;
    let i = 1;
    const size = this.arr.length;
    for (let lg = 0, ttlg = 1; lg <= MAXBITS; lg++, ttlg *= 2) {
      let lc = 0;
      let lim = ttlg;
      if (lim > size) {
        lim = size;
        if (i > lim) break;
      }
      for (; i <= lim; i++) if (this.arr[i - 1] !== undefined) lc++;
      nums[lg] += lc;
      ause += lc;
    }
    return ause;
  }

  private resize(nasize: number, nhsize: number): void {
    const oldArr = this.arr;
    const oldK = this.nk;
    const oldV = this.nv;
    if (nasize > oldArr.length) {
      const a = oldArr.slice();
      for (let i = oldArr.length; i < nasize; i++) a.push(undefined);
      this.arr = a;
    }
    const lsize = nhsize === 0 ? -1 : ceilLog2(nhsize);
    const hsize = lsize < 0 ? 0 : 2 ** lsize;
    this.nk = new Array(hsize).fill(undefined);
    this.nv = new Array(hsize).fill(undefined);
    this.nn = new Array(hsize).fill(-1);
    this.lastfree = hsize;
    this.index = new Map();
    if (nasize < oldArr.length) {
      this.arr = oldArr.slice(0, nasize);
      for (let i = nasize; i < oldArr.length; i++) {
        if (oldArr[i] !== undefined) this.set(i + 1, oldArr[i]);
      }
    }
    for (let i = oldK.length - 1; i >= 0; i--) {
      if (oldV[i] !== undefined) this.set(oldK[i], oldV[i]);
    }
  }

  /** Table constructors: sizes as OP_NEWTABLE gives them (positional count, keyed count). */
  /** luaH_new(narray, nhash): exactly these sizes (the hash part rounded up to 2^k). */
  static exactSize(narray: number, nhash: number): LuaTable {
    const t = new LuaTable();
    if (narray > 0 || nhash > 0) t.resize(narray, nhash);
    return t;
  }

  static sized(narray: number, nhash: number): LuaTable {
    const t = new LuaTable();
    const na = fb2int(int2fb(narray));
    const nh = fb2int(int2fb(nhash));
    if (na > 0 || nh > 0) t.resize(na, nh);
    return t;
  }

  /** OP_SETLIST: store items at first.. (growing the array part to fit, as Lua does). */
  setList(first: number, items: LuaValue[]): void {
    const last = first + items.length - 1;
    if (last > this.arr.length) this.resize(last, this.nk.length);
    for (let i = items.length - 1; i >= 0; i--) this.set(first + i, items[i]);
  }

  /** Positional items 1..n (holes allowed) after keyed fields, as a constructor stores them. */
  setArrayPart(values: LuaValue[]): void {
    if (values.length > 0) this.setList(1, values);
  }

  /** The length operator's border (luaH_getn). */
  length(): number {
    const a = this.arr;
    let j = a.length;
    if (j > 0 && a[j - 1] === undefined) {
      let i = 0;
      while (j - i > 1) {
        const m = Math.floor((i + j) / 2);
        if (a[m - 1] === undefined) j = m;
        else i = m;
      }
      return i;
    }
    if (this.nk.length === 0) return j;
    // unbound_search
    let i = j;
    j++;
    while (this.getInt(j) !== undefined) {
      i = j;
      j *= 2;
      if (j > 2147483645) {
        i = 1;
        while (this.getInt(i) !== undefined) i++;
        return i - 1;
      }
    }
    while (j - i > 1) {
      const m = Math.floor((i + j) / 2);
      if (this.getInt(m) === undefined) j = m;
      else i = m;
    }
    return i;
  }

  /**
   * next(t, key): the entry after `key` ([undefined] at the end), or null if `key` is not in
   * the table (the caller raises "invalid key to 'next'").
   */
  next(key: LuaValue): [LuaValue, LuaValue] | [undefined] | null {
    const a = this.arr;
    let i: number;
    if (key === undefined) i = 0;
    else if (typeof key === 'number' && key >= 1 && key <= a.length && (key | 0) === key) i = key;
    else {
      const n = this.index.get(key);
      if (n === undefined) return null;
      i = a.length + n + 1;
    }
    for (; i < a.length; i++) {
      if (a[i] !== undefined) return [i + 1, a[i]];
    }
    const nv = this.nv;
    for (let n = i - a.length; n < nv.length; n++) {
      if (nv[n] !== undefined) return [this.nk[n], nv[n]];
    }
    return [undefined];
  }
}

const MAXBITS = 26;
const hf64 = new Float64Array(1);
const hu32 = new Uint32Array(hf64.buffer);

/** luaS_hash: Lua 5.1's string hash (seeded with the length; long strings sample bytes). */
function luaStringHash(s: string): number {
  const l = s.length;
  let h = l >>> 0;
  const step = (l >> 5) + 1;
  for (let l1 = l; l1 >= step; l1 -= step) {
    h = (h ^ (((h << 5) >>> 0) + (h >>> 2) + s.charCodeAt(l1 - 1))) >>> 0;
  }
  return h;
}

function ceilLog2(x: number): number {
  // luaO_log2(x - 1) + 1
  let l = 0;
  let v = x - 1;
  while (v > 0) {
    v = Math.floor(v / 2);
    l++;
  }
  return l;
}

function countInt(key: LuaValue, nums: number[]): number {
  if (typeof key === 'number' && key >= 1 && key <= 2 ** MAXBITS && Math.floor(key) === key) {
    nums[ceilLog2(key)]++;
    return 1;
  }
  return 0;
}

/** computesizes: the largest power of two n with more than n/2 of 1..n in use. */
function computeSizes(nums: number[], narray: number): [number, number] {
  let a = 0;
  let na = 0;
  let n = 0;
  for (let i = 0, twotoi = 1; twotoi / 2 < narray; i++, twotoi *= 2) {
    if (nums[i] > 0) {
      a += nums[i];
      if (a > twotoi / 2) {
        n = twotoi;
        na = a;
      }
    }
  }
  return [na, n];
}

/** luaO_int2fb / luaO_fb2int: the "floating point byte" sizes OP_NEWTABLE carries. */
function int2fb(x: number): number {
  let e = 0;
  while (x >= 16) {
    x = (x + 1) >> 1;
    e++;
  }
  if (x < 8) return x;
  return ((e + 1) << 3) | (x - 8);
}

function fb2int(x: number): number {
  const e = (x >> 3) & 31;
  if (e === 0) return x;
  return ((x & 7) + 8) * 2 ** (e - 1);
}

// ---------------------------------------------------------------------------------------------
// Conversions

export function luaType(v: LuaValue): string {
  switch (typeof v) {
    case 'undefined': return 'nil';
    case 'boolean': return 'boolean';
    case 'number': return 'number';
    case 'string': return 'string';
  }
  if (v instanceof LuaTable) return 'table';
  if (v instanceof LuaFunction) return 'function';
  if (v instanceof LuaThread) return 'thread';
  return 'userdata';
}

export const truthy = (v: LuaValue): boolean => v !== undefined && v !== false;

const f64 = new Float64Array(1);
const f64bytes = new Uint8Array(f64.buffer);

/** lua_Number → string as Lua 5.1 does (LUAI_NUMFFORMAT "%.14g"). */
export function numberToString(n: number): string {
  if (Number.isInteger(n) && n < 1e14 && n > -1e14) {
    if (n === 0 && Object.is(n, -0)) return '-0';
    return String(n);
  }
  if (n !== n) {
    f64[0] = n;
    return (f64bytes[7] & 0x80) !== 0 ? '-nan' : 'nan';
  }
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  let exp = n.toExponential(13);
  // toExponential rounds exact ties up; printf rounds them to even.
  const tie = evenTieExponential(n);
  if (tie !== undefined) exp = tie;
  const ePos = exp.indexOf('e');
  const x = Number(exp.slice(ePos + 1));
  if (x < -4 || x >= 14) {
    let m = exp.slice(0, ePos);
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    const ax = Math.abs(x);
    return `${m}e${x < 0 ? '-' : '+'}${ax < 10 ? '0' : ''}${ax}`;
  }
  const neg = exp.charCodeAt(0) === 45;
  const digits = exp.slice(neg ? 1 : 0, ePos).replace('.', '');
  let out: string;
  if (x >= 0) {
    const frac = digits.slice(x + 1).replace(/0+$/, '');
    out = digits.slice(0, x + 1) + (frac ? '.' + frac : '');
  } else {
    out = '0.' + '0'.repeat(-x - 1) + digits.replace(/0+$/, '');
  }
  return neg ? '-' + out : out;
}

/** For an exact tie at the 14th significant digit with an even 13th: the truncated form. */
function evenTieExponential(n: number): string | undefined {
  let exact = Math.abs(n).toPrecision(100);
  let x: number;
  const e = exact.indexOf('e');
  if (e >= 0) {
    x = Number(exact.slice(e + 1));
    exact = exact.slice(0, e);
  } else {
    const dot = exact.indexOf('.');
    const intPart = dot < 0 ? exact : exact.slice(0, dot);
    if (intPart !== '0') x = intPart.length - 1;
    else x = -(/^0\.(0*)/.exec(exact)![1].length + 1);
  }
  const digits = exact.replace('.', '').replace(/^0+/, '');
  if (digits[14] !== '5' || !/^0*$/.test(digits.slice(15)) || (digits.charCodeAt(13) & 1) !== 0) return undefined;
  return `${n < 0 ? '-' : ''}${digits[0]}.${digits.slice(1, 14)}e${x >= 0 ? '+' : ''}${x}`;
}

const isCSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?/;
const INFNAN = /^[+-]?(infinity|inf|nan(\([0-9A-Za-z_]*\))?)/i;

/**
 * luaO_str2d: strtod over the whole (NUL-terminated) string, surrounding white space allowed.
 * Accepts what glibc strtod does: decimal, hex (with p exponents), inf/infinity/nan.
 */
export function str2number(s: string): number | undefined {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  let i = 0;
  const n = s.length;
  while (i < n && isCSpace(s.charCodeAt(i))) i++;
  let j = n;
  while (j > i && isCSpace(s.charCodeAt(j - 1))) j--;
  if (i >= j) return undefined;
  const body = s.slice(i, j);
  const hex = HEX.exec(body);
  if (hex && (hex[2].length > 0 || (hex[3] ?? '').length > 0)) {
    if (hex[0].length !== body.length) return undefined;
    const frac = hex[3] ?? '';
    const digits = hex[2] + frac;
    let m = 0;
    for (let k = 0; k < digits.length; k++) m = m * 16 + parseInt(digits[k], 16);
    const v = m * 2 ** ((hex[4] ? Number(hex[4]) : 0) - 4 * frac.length);
    return hex[1] === '-' ? -v : v;
  }
  const dec = DECIMAL.exec(body);
  if (dec) {
    if (dec[0].length !== body.length) return undefined;
    return Number(dec[0]);
  }
  const inf = INFNAN.exec(body);
  if (inf && inf[0].length === body.length) {
    const neg = body.charCodeAt(0) === 45;
    if (inf[1][0] === 'n' || inf[1][0] === 'N') return NaN;
    return neg ? -Infinity : Infinity;
  }
  return undefined;
}

/** lua_tonumber: numbers, and strings that convert. */
export function toNumber(v: LuaValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return str2number(v);
  return undefined;
}

/** lua_tolstring without metamethods: numbers and strings only. */
export function toStringRaw(v: LuaValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  return undefined;
}

/** tostring() without __tostring ("table: 0x...", "nil", "true"). */
export function tostringBasic(v: LuaValue): string {
  switch (typeof v) {
    case 'undefined': return 'nil';
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return numberToString(v);
    case 'string': return v;
  }
  if (v instanceof LuaTable) return `table: 0x${v.id.toString(16)}`;
  if (v instanceof LuaFunction) return `function: 0x${v.id.toString(16)}`;
  if (v instanceof LuaThread) return `thread: 0x${v.id.toString(16)}`;
  if (v instanceof LuaUserdata) return v.light && v.data === undefined ? 'userdata: (nil)' : `userdata: 0x${v.id.toString(16)}`;
  return String(v);
}

/** Bytes → Lua string (latin1). */
export function bytesToLua(b: Uint8Array): string {
  let s = '';
  const CHUNK = 8192;
  for (let i = 0; i < b.length; i += CHUNK) {
    s += String.fromCharCode.apply(null, b.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return s;
}

/** Lua string (latin1) → bytes. */
export function luaToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** luaL_typename for an argument position: "no value" beyond the arguments passed. */
export function argTypeName(args: LuaValue[], i: number): string {
  return i >= args.length ? 'no value' : luaType(args[i]);
}

// ---------------------------------------------------------------------------------------------
// Argument helpers (lauxlib). `i` is 0-based into args; messages use 1-based numbers.

export function checkAny(L: LuaCallContext, args: LuaValue[], i: number): LuaValue {
  if (i >= args.length) L.argError(i + 1, 'value expected');
  return args[i];
}

export function checkTable(L: LuaCallContext, args: LuaValue[], i: number): LuaTable {
  const v = args[i];
  if (v instanceof LuaTable) return v;
  return L.typeError(args, i + 1, 'table');
}

export function checkNumber(L: LuaCallContext, args: LuaValue[], i: number): number {
  const v = args[i];
  if (typeof v === 'number') return v;
  const n = typeof v === 'string' ? str2number(v) : undefined;
  if (n === undefined) return L.typeError(args, i + 1, 'number');
  return n;
}

export function optNumber(L: LuaCallContext, args: LuaValue[], i: number, def: number): number {
  return args[i] === undefined ? def : checkNumber(L, args, i);
}

/** C's (ptrdiff_t) cast of a double as x86-64 does it (out of range → INT64_MIN). */
export function toInteger(n: number): number {
  if (n !== n || n >= 9223372036854775808 || n < -9223372036854775808) return -9223372036854775808;
  return Math.trunc(n);
}

/** luaL_checkinteger (truncates toward zero). */
export function checkInt(L: LuaCallContext, args: LuaValue[], i: number): number {
  return toInteger(checkNumber(L, args, i));
}

export function optInt(L: LuaCallContext, args: LuaValue[], i: number, def: number): number {
  return args[i] === undefined ? def : checkInt(L, args, i);
}

/** luaL_checklstring: strings, or numbers converted to strings. */
export function checkString(L: LuaCallContext, args: LuaValue[], i: number): string {
  const v = args[i];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  return L.typeError(args, i + 1, 'string');
}

export function optString(L: LuaCallContext, args: LuaValue[], i: number, def: string): string {
  return args[i] === undefined ? def : checkString(L, args, i);
}

/** A table of natives, e.g. `libTable({insert: (L, a) => ...})`. */
export function libTable(fns: Record<string, NativeFn>): LuaTable {
  const t = new LuaTable();
  for (const [name, fn] of Object.entries(fns)) t.set(name, new LuaFunction(name, fn));
  return t;
}
