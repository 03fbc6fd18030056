/**
 * Lua 5.1's math library (lmathlib.c) as Redis 7.0 builds it: math.random and math.randomseed
 * use Redis's own rand48 (redisLrand48/redisSrand48), so scripts see the same sequence on
 * every run once the scripting layer reseeds with seedRandom(L, 0) before each script.
 */

import type { LuaState } from './state';
import { checkInt, checkNumber, LuaFunction, LuaTable, type LuaCallContext, type LuaValue } from './value';

/** rand48 state per LuaState (48-bit LCG: x = 0x5DEECE66D·x + 0xB mod 2^48). */
const rand48 = new WeakMap<object, { x: number }>();

function stateOf(L: object): { x: number } {
  let s = rand48.get(L);
  if (!s) {
    // rand.c's initial state: X0 = 0x330E, X1 = 0xABCD, X2 = 0x1234.
    s = { x: 0x1234 * 2 ** 32 + 0xabcd * 2 ** 16 + 0x330e };
    rand48.set(L, s);
  }
  return s;
}

/**
 * The rand48 state (48 bits as a number). Redis keeps one PRNG for the whole server (rand.c's
 * statics): it survives SCRIPT FLUSH's new Lua state, so a scripting layer that makes a new
 * state can carry the state over with these.
 */
export function getRandomState(L: object): number {
  return stateOf(L).x;
}

export function setRandomState(L: object, x: number): void {
  stateOf(L).x = x;
}

/** redisSrand48(seed): x = (seed low 32 bits) << 16 | 0x330E. */
export function seedRandom(L: object, seed: number): void {
  const s32 = Number(BigInt.asUintN(32, BigInt(Math.trunc(seed))));
  stateOf(L).x = s32 * 65536 + 0x330e;
}

/** redisLrand48(): the next 31-bit value. */
export function lrand48(L: object): number {
  const s = stateOf(L);
  const x = s.x;
  const xl = x % 16777216;
  const xh = Math.floor(x / 16777216);
  const al = 0xece66d;
  const ah = 0x5de;
  const lo = al * xl + 0xb;
  const mid = (ah * xl + al * xh) % 16777216;
  const nx = (lo + mid * 16777216) % 281474976710656;
  s.x = nx;
  return Math.floor(nx / 131072);
}

const INT32_MAX = 2147483647;

function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x) || x !== x) return [x, 0];
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let m = x * 2 ** -e;
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  return [m, e];
}

function ldexp(m: number, e: number): number {
  let r = m;
  while (e > 1000) {
    r *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    r *= 2 ** -1000;
    e += 1000;
  }
  return r * 2 ** e;
}

export function openMath(L: LuaState): void {
  const t = new LuaTable();
  const def = (name: string, fn: (L: LuaCallContext, args: LuaValue[]) => LuaValue[]) => t.set(name, new LuaFunction(name, fn));
  const f1 = (name: string, f: (x: number) => number) => def(name, (L, a) => [f(checkNumber(L, a, 0))]);
  f1('abs', Math.abs);
  f1('acos', Math.acos);
  f1('asin', Math.asin);
  f1('atan', Math.atan);
  def('atan2', (L, a) => [Math.atan2(checkNumber(L, a, 0), checkNumber(L, a, 1))]);
  f1('ceil', Math.ceil);
  f1('cosh', Math.cosh);
  f1('cos', Math.cos);
  def('deg', (L, a) => [checkNumber(L, a, 0) / (Math.PI / 180)]);
  f1('exp', Math.exp);
  f1('floor', Math.floor);
  const fmod = (L: LuaCallContext, a: LuaValue[]) => [checkNumber(L, a, 0) % checkNumber(L, a, 1)];
  def('fmod', fmod);
  def('mod', fmod);
  def('frexp', (L, a) => frexp(checkNumber(L, a, 0)));
  def('ldexp', (L, a) => [ldexp(checkNumber(L, a, 0), checkInt(L, a, 1))]);
  f1('log10', Math.log10);
  f1('log', Math.log);
  def('max', (L, a) => {
    let m = checkNumber(L, a, 0);
    for (let i = 1; i < a.length; i++) {
      const d = checkNumber(L, a, i);
      if (d > m) m = d;
    }
    return [m];
  });
  def('min', (L, a) => {
    let m = checkNumber(L, a, 0);
    for (let i = 1; i < a.length; i++) {
      const d = checkNumber(L, a, i);
      if (d < m) m = d;
    }
    return [m];
  });
  def('modf', (L, a) => {
    const x = checkNumber(L, a, 0);
    if (x === Infinity || x === -Infinity) return [x, 0];
    const ip = x >= 0 ? Math.floor(x) : Math.ceil(x);
    return [ip, x - ip];
  });
  def('pow', (L, a) => [Math.pow(checkNumber(L, a, 0), checkNumber(L, a, 1))]);
  def('rad', (L, a) => [checkNumber(L, a, 0) * (Math.PI / 180)]);
  f1('sinh', Math.sinh);
  f1('sin', Math.sin);
  f1('sqrt', Math.sqrt);
  f1('tanh', Math.tanh);
  f1('tan', Math.tan);
  def('random', (L, a) => {
    const r = (lrand48(L) % INT32_MAX) / INT32_MAX;
    switch (a.length) {
      case 0:
        return [r];
      case 1: {
        const u = checkInt(L, a, 0);
        if (!(1 <= u)) L.argError(1, 'interval is empty');
        return [Math.floor(r * u) + 1];
      }
      case 2: {
        const l = checkInt(L, a, 0);
        const u = checkInt(L, a, 1);
        if (!(l <= u)) L.argError(2, 'interval is empty');
        return [Math.floor(r * (u - l + 1)) + l];
      }
      default:
        return L.error('wrong number of arguments');
    }
  });
  def('randomseed', (L, a) => {
    seedRandom(L, checkInt(L, a, 0));
    return [];
  });
  t.set('pi', Math.PI);
  t.set('huge', Infinity);
  L.globals.set('math', t);
}
