/**
 * `free` as procps-ng 4.0.2 prints it (src/free.c, library/meminfo.c): it reads /proc/meminfo,
 * so it always agrees with `cat /proc/meminfo` (kernel/memory.ts makes that file). Units
 * -b/-k/-m/-g/--tebi/--pebi and their SI forms --kilo…--peta, -h (with --si), -w, -t, -l, -v,
 * repeating with -s N / -c N; getopt_long's messages followed by the usage on stderr (status 1),
 * and the texts of procps's number parsers for -s and -c.
 */
import type { Command } from '../context';
import { readText, sleepWait } from '../context';
import { parseOpts, type LongOpt } from './operands';
import { decomposeDouble, fixedDigits } from '../../../engine/util/exact-decimal';

const USAGE = `
Usage:
 free [options]

Options:
 -b, --bytes         show output in bytes
     --kilo          show output in kilobytes
     --mega          show output in megabytes
     --giga          show output in gigabytes
     --tera          show output in terabytes
     --peta          show output in petabytes
 -k, --kibi          show output in kibibytes
 -m, --mebi          show output in mebibytes
 -g, --gibi          show output in gibibytes
     --tebi          show output in tebibytes
     --pebi          show output in pebibytes
 -h, --human         show human-readable output
     --si            use powers of 1000 not 1024
 -l, --lohi          show detailed low and high memory statistics
 -t, --total         show total for RAM + swap
 -v, --committed     show committed memory and commit limit
 -s N, --seconds N   repeat printing every N seconds
 -c N, --count N     repeat printing N times, then exit
 -w, --wide          wide output

     --help     display this help and exit
 -V, --version  output version information and exit

For more details see free(1).
`;

const LONG: Record<string, LongOpt> = {
  bytes: { key: 'b', arg: false }, kilo: { key: 'kilo', arg: false }, mega: { key: 'mega', arg: false },
  giga: { key: 'giga', arg: false }, tera: { key: 'tera', arg: false }, peta: { key: 'peta', arg: false },
  kibi: { key: 'k', arg: false }, mebi: { key: 'm', arg: false }, gibi: { key: 'g', arg: false },
  tebi: { key: 'tebi', arg: false }, pebi: { key: 'pebi', arg: false }, human: { key: 'h', arg: false },
  si: { key: 'si', arg: false }, lohi: { key: 'l', arg: false }, total: { key: 't', arg: false },
  committed: { key: 'v', arg: false }, seconds: { key: 's', arg: true }, count: { key: 'c', arg: true },
  wide: { key: 'w', arg: false }, help: { key: 'help', arg: false }, version: { key: 'V', arg: false },
};

/** Unit options: the exponent of the base they print in (1 bytes, 2 kilo…), and whether SI. */
const UNITS: Record<string, { exponent: number; si: boolean }> = {
  b: { exponent: 1, si: false }, k: { exponent: 2, si: false }, m: { exponent: 3, si: false }, g: { exponent: 4, si: false },
  tebi: { exponent: 5, si: false }, pebi: { exponent: 6, si: false },
  kilo: { exponent: 2, si: true }, mega: { exponent: 3, si: true }, giga: { exponent: 4, si: true },
  tera: { exponent: 5, si: true }, peta: { exponent: 6, si: true },
};

export interface Flags { human: boolean; si: boolean; lohi: boolean; total: boolean; committed: boolean; wide: boolean; exponent: number }

/** An error() that ends free with status 1: its message. */
class Exit extends Error {}

/** C's isspace() and isdigit(). */
const isSpace = (c: string | undefined) => c !== undefined && ' \t\n\v\f\r'.includes(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/**
 * procps's strtod_nol_or_err: blanks, a sign, digits, a `.` or `,` and more digits, nothing
 * else (no exponent). `fail(withErrno)`: the message, with `: Invalid argument` when a stray
 * character ended the integer part (errno EINVAL).
 */
function parseSeconds(text: string, fail: (einval: boolean) => never): number {
  if (text === '') fail(false);
  let i = 0;
  while (isSpace(text[i])) i++;
  let negative = false;
  if (text[i] === '-') { negative = true; i++; } else if (text[i] === '+') i++;
  let num = 0;
  let radix = i;
  let mult = 0.1;
  while (isDigit(text[radix])) { radix++; mult *= 10; }
  while (isDigit(text[i])) { num += (text.charCodeAt(i) - 48) * mult; mult /= 10; i++; }
  if (i === text.length) return negative ? -num : num;
  if (text[i] !== '.' && text[i] !== ',') fail(true);
  i++;
  mult = 0.1;
  while (isDigit(text[i])) { num += (text.charCodeAt(i) - 48) * mult; mult /= 10; i++; }
  if (i === text.length) return negative ? -num : num;
  return fail(false);
}

/** strtol(…, 10) into a long, or what went wrong: the errno text, or '' for plain garbage. */
function parseCount(text: string): number | { errno: string } {
  // An empty argument reaches error() with the errno a failed open left behind at start-up
  // (the C.UTF-8 message catalogue that does not exist): ENOENT.
  if (text === '') return { errno: 'No such file or directory' };
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(text);
  if (!m) return { errno: '' };
  const n = BigInt(m[1]);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) return { errno: 'Numerical result out of range' };
  return Number(n);
}

/** The fields of /proc/meminfo free reads (strtoul of each value), and what it derives. */
function readMeminfo(text: string): Map<string, bigint> {
  const v = new Map<string, bigint>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const m = /^\s*(\d+)/.exec(line.slice(colon + 1));
    v.set(line.slice(0, colon), m ? BigInt(m[1]) : 0n);
  }
  return v;
}

/** `%.1f` of a float as glibc prints it (exact value, halves to even). */
function fixed1(x: number): string {
  const neg = x < 0 || Object.is(x, -0);
  const { m, e } = decomposeDouble(Math.abs(x));
  const { int, frac } = fixedDigits(m, e, 1);
  return `${neg ? '-' : ''}${int}.${frac}`;
}

/** C's `(long)` of a double: toward zero. */
const toLong = (x: number) => String(Math.trunc(x));

/** scale_size(): a KiB count in the unit asked for, or human-readable (at most 4 or 5 chars). */
function scaleSize(kb: bigint, f: Flags): string {
  const base = f.si ? 1000 : 1024;
  // size * 1024LL in a long long: an unsigned difference that wrapped comes out negative.
  const bytes = BigInt.asIntN(64, BigInt.asUintN(64, kb) * 1024n);
  if (!f.human) {
    if (f.exponent === 0) return String(bytes / BigInt(base));
    if (f.exponent === 1) return String(bytes);
    return toLong(Number(bytes) / base ** (f.exponent - 1));
  }
  const b = `${bytes}B`;
  if (b.length <= 4) return b;
  const units = 'KMGTP';
  let out = b;
  for (let i = 1; i <= units.length; i++) {
    // (float)(bytes / power(base, i)): a double division rounded to a float.
    const scaled = Math.fround(Number(bytes) / base ** i);
    const suffix = f.si ? units[i - 1] : `${units[i - 1]}i`;
    const limit = f.si ? 4 : 5;
    out = `${fixed1(scaled)}${suffix}`;
    if (out.length <= limit) return out;
    out = `${toLong(Number(bytes) / base ** i)}${suffix}`;
    if (out.length <= limit) return out;
  }
  return out;
}

/** One report, as free.c prints it. */
function report(f: Flags, mem: Map<string, bigint>): string {
  const get = (k: string) => mem.get(k) ?? 0n;
  const total = get('MemTotal');
  const memFree = get('MemFree');
  let available = get('MemAvailable');
  if (available === 0n) available = memFree;
  if (available > total) available = memFree;
  let used = total - available;
  if (used < 0n) used = total - memFree;
  const cached = get('Cached') + get('SReclaimable');
  const buffers = get('Buffers');
  const swapTotal = get('SwapTotal');
  const swapFree = get('SwapFree');
  const swapUsed = swapFree < swapTotal ? swapTotal - swapFree : 0n;
  const s = (kb: bigint) => scaleSize(kb, f);
  const col = (label: string) => label.padEnd(9);
  let out = f.wide
    ? '               total        used        free      shared     buffers       cache   available\n'
    : '               total        used        free      shared  buff/cache   available\n';
  out += `${col('Mem:')}${s(total).padStart(11)} ${s(used).padStart(11)} ${s(memFree).padStart(11)} ${s(get('Shmem')).padStart(11)}`;
  out += f.wide ? ` ${s(buffers).padStart(11)} ${s(cached).padStart(11)}` : ` ${s(buffers + cached).padStart(11)}`;
  out += ` ${s(available).padStart(11)}\n`;
  if (f.lohi) {
    // A 64-bit kernel has no high memory: low is all of it.
    const lowTotal = mem.has('LowTotal') && get('LowTotal') !== 0n ? get('LowTotal') : total;
    const lowFree = mem.has('LowTotal') && get('LowTotal') !== 0n ? get('LowFree') : memFree;
    const highTotal = get('HighTotal');
    const highFree = get('HighFree');
    out += `${col('Low:')}${s(lowTotal).padStart(11)} ${s(lowFree < lowTotal ? lowTotal - lowFree : 0n).padStart(11)} ${s(lowFree).padStart(11)}\n`;
    out += `${col('High:')}${s(highTotal).padStart(11)} ${s(highFree < highTotal ? highTotal - highFree : 0n).padStart(11)} ${s(highFree).padStart(11)}\n`;
  }
  out += `${col('Swap:')}${s(swapTotal).padStart(11)} ${s(swapUsed).padStart(11)} ${s(swapFree).padStart(11)}\n`;
  if (f.total) out += `${col('Total:')}${s(total + swapTotal).padStart(11)} ${s(used + swapUsed).padStart(11)} ${s(memFree + swapFree).padStart(11)}\n`;
  if (f.committed) {
    const limit = get('CommitLimit');
    const committed = get('Committed_AS');
    // An unsigned long difference: it wraps when more is committed than the limit.
    out += `${col('Comm:')}${s(limit).padStart(11)} ${s(committed).padStart(11)} ${s(BigInt.asUintN(64, limit - committed)).padStart(11)}\n`;
  }
  return out;
}

/** What free prints and its status, or that it goes on printing every `intervalMs`. */
export type FreeRun =
  | { kind: 'exit'; out: string; err: string; code: number }
  | { kind: 'report'; flags: Flags; intervalMs: number; count: number | null; repeat: boolean };

/** The command line, as free.c's getopt_long loop takes it. */
export function freeCommandLine(argv: string[]): FreeRun {
  const f: Flags = { human: false, si: false, lohi: false, total: false, committed: false, wide: false, exponent: 0 };
  let repeat = false;
  let intervalUs = 1_000_000;
  let count: number | null = null;
  const die = (msg: string): never => { throw new Exit(`free: ${msg}\n`); };
  try {
    const parsed = parseOpts(argv, { flags: 'bkmghltvwV', withArg: 'cs', long: LONG });
    const opts = 'error' in parsed ? parsed.parsed : parsed.opts;
    let unitSet = false;
    // getopt_long hands the options over one by one: those before a bad one take effect first.
    for (const { key, value } of opts) {
      const unit = UNITS[key];
      if (unit) {
        if (unitSet) die("Multiple unit options don't make sense.");
        unitSet = true;
        f.exponent = unit.exponent;
        if (unit.si) f.si = true;
        continue;
      }
      switch (key) {
        case 'h': f.human = true; break;
        case 'si': f.si = true; break;
        case 'l': f.lohi = true; break;
        case 't': f.total = true; break;
        case 'v': f.committed = true; break;
        case 'w': f.wide = true; break;
        case 's': {
          repeat = true;
          const seconds = parseSeconds(value, (einval) => die(`seconds argument failed: '${value}'${einval ? ': Invalid argument' : ''}`));
          intervalUs = 1_000_000 * seconds;
          if (intervalUs < 1) die(`seconds argument \`${value}' is not positive number`);
          break;
        }
        case 'c': {
          repeat = true;
          const n = parseCount(value);
          if (typeof n !== 'number') die(`failed to parse count argument: '${value}'${n.errno ? `: ${n.errno}` : ''}`);
          else if (n < 1) die(`failed to parse count argument: '${value}': Numerical result out of range`);
          else count = n;
          break;
        }
        case 'help': return { kind: 'exit', out: USAGE, err: '', code: 0 };
        case 'V': return { kind: 'exit', out: 'free from procps-ng 4.0.2\n', err: '', code: 0 };
      }
    }
    if ('error' in parsed) return { kind: 'exit', out: '', err: `${parsed.error}\n${USAGE}`, code: 1 };
    if (parsed.operands.length > 0) return { kind: 'exit', out: '', err: USAGE, code: 1 };
  } catch (e) {
    if (e instanceof Exit) return { kind: 'exit', out: '', err: e.message, code: 1 };
    throw e;
  }
  return { kind: 'report', flags: f, intervalMs: intervalUs / 1000, count, repeat };
}

/** One report over a /proc/meminfo text. */
export function freeReport(flags: Flags, meminfoText: string): string {
  return report(flags, readMeminfo(meminfoText));
}

export const free: Command = function* (ctx, argv) {
  const run = freeCommandLine(argv);
  if (run.kind === 'exit') {
    if (run.out) ctx.out(run.out);
    if (run.err) ctx.err(run.err);
    return run.code;
  }
  let count = run.count;
  for (;;) {
    const r = readText(ctx, '/proc/meminfo');
    if ('error' in r) { ctx.err('free: Memory information file /proc/meminfo does not exist\n'); return 1; }
    ctx.out(freeReport(run.flags, r.text));
    if (count !== null && --count < 1) return 0;
    if (!run.repeat) return 0;
    ctx.out('\n');
    yield sleepWait(ctx.kernel, run.intervalMs);
  }
};
