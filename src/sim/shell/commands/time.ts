/** `date` (strftime formats, `-d` relative dates, `-u`, `-s` is refused) and `sleep`, on virtual time. */
import type { Command } from '../context';
import { quoted, sleepWait, usage } from '../context';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * strftime over a UTC offset in minutes, with GNU date's padding flags after the `%`: `-` (no
 * padding), `_` (spaces), `0` (zeros), and a width (`%3N`: milliseconds).
 */
export function formatDate(fmt: string, ms: number, tzMinutes: number): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%' || i === fmt.length - 1) { out += c; continue; }
    const m = /^([-_0]?)(\d*)([A-Za-z%])/.exec(fmt.slice(i + 1));
    if (!m) { out += c; continue; }
    i += m[0].length;
    out += padded(m[3], m[1], m[2] === '' ? null : Number(m[2]), ms, tzMinutes);
  }
  return out;
}

/** One conversion with its flag and width applied. */
function padded(f: string, flag: string, width: number | null, ms: number, tzMinutes: number): string {
  const text = conversion(f, ms, tzMinutes);
  if (f === 'N') return width === null ? text : text.slice(0, width).padEnd(width, '0');
  if (!/^[ \d]+$/.test(text)) return width === null ? text : text.padStart(width, flag === '0' ? '0' : ' ');
  // A number: strip its own padding, then pad as asked (GNU: `-` none, `_` spaces, `0` zeros).
  const digits = text.replace(/^[ 0]+(?=\d)/, '');
  const w = width ?? text.length;
  if (flag === '-') return digits;
  if (flag === '_') return digits.padStart(w, ' ');
  if (flag === '0') return digits.padStart(w, '0');
  return width === null ? text : digits.padStart(w, text.startsWith(' ') ? ' ' : '0');
}

function conversion(f: string, ms: number, tzMinutes: number): string {
  const d = new Date(ms + tzMinutes * 60000);
  const tzName = tzMinutes === 0 ? 'UTC' : tzOffset(tzMinutes);
  let out = '';
  switch (f) {
    case 'Y': out += d.getUTCFullYear(); break;
    case 'y': out += p2(d.getUTCFullYear() % 100); break;
    case 'm': out += p2(d.getUTCMonth() + 1); break;
    case 'd': out += p2(d.getUTCDate()); break;
    case 'e': out += String(d.getUTCDate()).padStart(2, ' '); break;
    case 'H': out += p2(d.getUTCHours()); break;
    case 'k': out += String(d.getUTCHours()).padStart(2, ' '); break;
    case 'I': out += p2(((d.getUTCHours() + 11) % 12) + 1); break;
    case 'l': out += String(((d.getUTCHours() + 11) % 12) + 1).padStart(2, ' '); break;
    case 'M': out += p2(d.getUTCMinutes()); break;
    case 'S': out += p2(d.getUTCSeconds()); break;
    case 'N': out += String(Math.floor((ms % 1000) * 1e6)).padStart(9, '0'); break;
    case 'p': out += d.getUTCHours() < 12 ? 'AM' : 'PM'; break;
    case 's': out += Math.floor(ms / 1000); break;
    case 'a': out += DAYS[d.getUTCDay()]; break;
    case 'A': out += DAYS_LONG[d.getUTCDay()]; break;
    case 'b': case 'h': out += MONTHS[d.getUTCMonth()]; break;
    case 'B': out += MONTHS_LONG[d.getUTCMonth()]; break;
    case 'j': out += String(Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1).padStart(3, '0'); break;
    case 'u': out += d.getUTCDay() === 0 ? 7 : d.getUTCDay(); break;
    case 'w': out += d.getUTCDay(); break;
    case 'F': out += `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`; break;
    case 'T': out += `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`; break;
    case 'R': out += `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`; break;
    case 'D': out += `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${p2(d.getUTCFullYear() % 100)}`; break;
    case 'Z': out += tzName; break;
    case 'z': out += tzOffset(tzMinutes).replace(':', ''); break;
    case 'n': out += '\n'; break;
    case 't': out += '\t'; break;
    case '%': out += '%'; break;
    default: out += '%' + f;
  }
  return out;
}

function tzOffset(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
}

const UNIT_MS: Record<string, number> = {
  sec: 1000, second: 1000, min: 60000, minute: 60000, hour: 3600000, day: 86400000, week: 604800000,
  fortnight: 1209600000,
};

/** GNU date's -d for the forms people type: "-48hour", "2 days ago", "yesterday", "@1700000000", "+1 hour". */
export function parseDate(text: string, now: number): number | null {
  const s = text.trim().toLowerCase();
  if (s === '' || s === 'now' || s === 'today') return now;
  if (s === 'yesterday') return now - 86400000;
  if (s === 'tomorrow') return now + 86400000;
  let m = /^@(-?\d+(?:\.\d+)?)$/.exec(s);
  if (m) return Number(m[1]) * 1000;
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[ t](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  // a sequence of [+-]N unit[s] [ago]
  const re = /([+-]?\s*\d+)?\s*(sec|second|min|minute|hour|day|week|fortnight|month|year)s?\b\s*(ago)?/g;
  let total = now;
  let matched = '';
  let mm: RegExpExecArray | null;
  while ((mm = re.exec(s)) !== null) {
    matched += mm[0];
    const n = mm[1] ? Number(mm[1].replace(/\s+/g, '')) : 1;
    const sign = mm[3] ? -1 : 1;
    const unit = mm[2];
    if (unit === 'month' || unit === 'year') {
      const d = new Date(total);
      if (unit === 'month') d.setUTCMonth(d.getUTCMonth() + sign * n);
      else d.setUTCFullYear(d.getUTCFullYear() + sign * n);
      total = d.getTime();
    } else total += sign * n * UNIT_MS[unit];
  }
  if (matched.replace(/\s+/g, '') !== s.replace(/\s+/g, '')) return null;
  return total;
}

export const date: Command = function* (ctx, argv) {
  let when = ctx.kernel.now;
  let utc = false;
  let fmt: string | null = null;
  let preset: string | null = null;
  const operands: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-u' || a === '--utc') { utc = true; continue; }
    if (a === '-d' || a.startsWith('--date') || (a.startsWith('-d') && a.length > 2)) {
      const v = a.startsWith('--date=') ? a.slice(7) : a === '-d' || a === '--date' ? argv[++i] : a.slice(2);
      if (v === undefined) return usage(ctx, 'date', a === '-d' ? "option requires an argument -- 'd'" : "option '--date' requires an argument");
      const t = parseDate(v, ctx.kernel.now);
      if (t === null) { ctx.err(`date: invalid date ${quoted(v)}\n`); return 1; }
      when = t;
      continue;
    }
    if (a === '-s' || a === '--set') { ctx.err('date: cannot set date: Operation not permitted\n'); return 1; }
    if (a === '-R') { preset = '%a, %d %b %Y %H:%M:%S %z'; continue; }
    if (a === '-I' || a === '--iso-8601') { preset = '%F'; continue; }
    if (a.startsWith('-') && a !== '-') return usage(ctx, 'date', `invalid option -- '${a.slice(1, 2)}'`);
    operands.push(a);
  }
  // One operand: +FORMAT, or a date to set (MMDDhhmm…), which is not allowed here.
  if (operands.length > 1) return usage(ctx, 'date', `extra operand ${quoted(operands[1])}`);
  if (operands.length === 1) {
    if (!operands[0].startsWith('+')) { ctx.err(`date: invalid date ${quoted(operands[0])}\n`); return 1; }
    fmt = operands[0].slice(1);
    if (preset !== null) { ctx.err('date: multiple output formats specified\n'); return 1; }
  }
  const tz = utc ? 0 : ctx.host.tzOffsetMinutes;
  ctx.out(formatDate(fmt ?? preset ?? '%a %b %e %H:%M:%S %Z %Y', when, tz) + '\n');
  return 0;
};

export const sleep: Command = function* (ctx, argv) {
  if (argv.length < 2) return usage(ctx, 'sleep', 'missing operand');
  let ms = 0;
  for (const a of argv.slice(1)) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) { ctx.err(`sleep: invalid time interval ${quoted(a)}\nTry 'sleep --help' for more information.\n`); return 1; }
    ms += Number(m[1]) * ({ '': 1000, s: 1000, m: 60000, h: 3600000, d: 86400000 } as Record<string, number>)[m[2]];
  }
  yield sleepWait(ctx.kernel, ms);
  return 0;
};
