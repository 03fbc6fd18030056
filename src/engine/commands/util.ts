/**
 * Helpers shared by command implementations: argument parsing with Redis's exact error
 * replies (object.c's get*FromObjectOrReply), type checks, and option matching that behaves
 * like the C code's strcasecmp on NUL-terminated strings.
 */
import type { Client } from '../server/client';
import type { RedisValue, AggregateType } from '../keyspace/values';
import { string2ll, string2d, secondsToMillisCeil, LLONG_MAX } from '../util/numbers';

export const LONG_MAX = Number(LLONG_MAX);
export const LONG_MIN = -LONG_MAX - 1;

/**
 * Case-insensitive option match like strcasecmp(arg, opt): the argument is compared as a C
 * string, so anything after an embedded NUL byte is ignored.
 */
export function optEq(arg: string, opt: string): boolean {
  const nul = arg.indexOf('\0');
  const a = nul >= 0 ? arg.slice(0, nul) : arg;
  return a.length === opt.length && a.toLowerCase() === opt;
}

/** getLongLongFromObjectOrReply: an int64 or reply an error and return null. */
export function getLongLongOrReply(c: Client, s: string, msg?: string): number | null {
  const v = string2ll(s);
  if (v === null) {
    c.replyError(msg ?? 'value is not an integer or out of range');
    return null;
  }
  return v;
}

/** getRangeLongFromObjectOrReply. */
export function getRangeLongOrReply(c: Client, s: string, min: number, max: number, msg?: string): number | null {
  const v = getLongLongOrReply(c, s, msg);
  if (v === null) return null;
  if (v < min || v > max) {
    c.replyError(msg ?? `value is out of range, value must between ${min} and ${max}`);
    return null;
  }
  return v;
}

/** getPositiveLongFromObjectOrReply. */
export function getPositiveLongOrReply(c: Client, s: string, msg?: string): number | null {
  return getRangeLongOrReply(c, s, 0, LONG_MAX, msg ?? 'value is out of range, must be positive');
}

/** getDoubleFromObjectOrReply. */
export function getDoubleOrReply(c: Client, s: string, msg?: string): number | null {
  const v = string2d(s);
  if (v === null) {
    c.replyError(msg ?? 'value is not a valid float');
    return null;
  }
  return v;
}

/**
 * checkType(): true (and replies WRONGTYPE) when the key exists with another type.
 * A missing key passes.
 */
export function wrongType(c: Client, v: RedisValue | undefined, type: 'string' | AggregateType): boolean {
  if (v === undefined) return false;
  const t = typeof v === 'string' ? 'string' : v.type;
  if (t !== type) {
    c.replyWrongType();
    return true;
  }
  return false;
}

/** Clamp Redis-style start/end indexes (negative from the end) for a sequence of `len`. */
export function clampRange(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

/**
 * getTimeoutFromObjectOrReply (BLPOP & co): seconds as a long double, returns the absolute
 * timeout in ms or 0 for "block forever". Redis computes (long long)ceill(seconds*1000):
 * values too big for a long long come out negative ("timeout is negative", also for inf),
 * a tiny positive value rounds up to 1 ms, and a timeout whose absolute time overflows
 * int64 wraps around to a time the timeout table never reaches, i.e. it blocks forever.
 */
export function getTimeoutOrReply(c: Client, s: string, nowMs: number): number | null {
  const ms = secondsToMillisCeil(s);
  if (ms === null) {
    c.replyError('timeout is not a float or out of range');
    return null;
  }
  if (ms === 'overflow' || ms < 0n) {
    c.replyError('timeout is negative');
    return null;
  }
  if (ms === 0n) return 0;
  if (ms + BigInt(nowMs) > LLONG_MAX) return 0;
  return nowMs + Number(ms);
}

/** getIntFromObjectOrReply: a C int, with Redis's range error when it does not fit. */
export function getIntOrReply(c: Client, s: string, msg?: string): number | null {
  return getRangeLongOrReply(c, s, -2147483648, 2147483647, msg);
}

/** SCAN-family options (scanGenericCommand step 1). */
export interface ScanOptions { count: number; pattern: string | null; type: string | null }

/**
 * Parse `[MATCH pattern] [COUNT n] [TYPE t]` from argv[first]; TYPE only for SCAN itself.
 * Replies the exact error and returns null when invalid.
 */
export function parseScanOptions(c: Client, argv: string[], first: number, allowType: boolean): ScanOptions | null {
  const opts: ScanOptions = { count: 10, pattern: null, type: null };
  for (let i = first; i < argv.length;) {
    const more = argv.length - i;
    if (optEq(argv[i], 'count') && more >= 2) {
      const v = getLongLongOrReply(c, argv[i + 1]);
      if (v === null) return null;
      if (v < 1) { c.replySyntaxError(); return null; }
      opts.count = v;
      i += 2;
    } else if (optEq(argv[i], 'match') && more >= 2) {
      opts.pattern = argv[i + 1] === '*' ? null : argv[i + 1];
      i += 2;
    } else if (allowType && optEq(argv[i], 'type') && more >= 2) {
      opts.type = argv[i + 1];
      i += 2;
    } else {
      c.replySyntaxError();
      return null;
    }
  }
  return opts;
}
