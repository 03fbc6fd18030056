/**
 * The Lua interpreter (src/engine/lua): time per run of a few script shapes, in our
 * interpreter. CPU milliseconds, best of three; printed, never asserted. (For scale: real Redis
 * 7.0.15 takes about 0.1 s for the first loop and for fib(25) through redis-cli EVAL here.)
 */
import { newLuaState } from '../src/engine/lua/index';
import type { Measurement } from './run';

const SCRIPTS: [string, string][] = [
  ['1e6-iteration loop: arithmetic + table store', 'local t = {} local s = 0 for i = 1, 1000000 do s = s + i * 2 % 7 t[i % 1000 + 1] = s end return s'],
  ['1e6 calls of a Lua function', 'local function f(x) return x + 1 end local s = 0 for i = 1, 1000000 do s = f(s) end return s'],
  ['1e5 string concatenations (..)', 'local s = "" for i = 1, 100000 do s = s .. "x" end return #s'],
  ['1e5 table inserts + sort', 'local t = {} for i = 1, 100000 do table.insert(t, (i * 7919) % 100003) end table.sort(t) return t[1]'],
  ['1e5 native calls with table args (redis.call-like)', 'local f = math.max local t = {} for i = 1, 100000 do t[i % 100 + 1] = f(i, t[i % 100 + 1] or 0, 5) end return t[1]'],
  ['fib(25) recursive', 'local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end return fib(25)'],
];

function cpuMs(f: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = process.cpuUsage();
    f();
    const d = process.cpuUsage(t0);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}

export default async function run(): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const [name, src] of SCRIPTS) {
    const L = newLuaState();
    const fn = L.load(src, '@user_script');
    out.push({ name: `lua ours: ${name}`, value: cpuMs(() => L.callProtected(fn, [])), unit: 'ms' });
    out.push({
      name: `lua ours, resumable run: ${name}`,
      value: cpuMs(() => {
        const run = L.startResumable(fn, []);
        while (!run.resume().done) { /* no suspension requested: one slice */ }
      }),
      unit: 'ms',
    });
  }
  return out;
}
