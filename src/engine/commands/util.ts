/**
 * Helpers shared by command implementations: argument parsing with Redis's exact error
 * replies (object.c's get*FromObjectOrReply), type checks, and option matching that behaves
 * like the C code's strcasecmp on NUL-terminated strings.
 */
import type { Client } from '../server/client';
import type { RedisValue, AggregateType } from '../keyspace/values';
import { string2ll, string2d, LLONG_MAX, isLongDoubleString } from '../util/numbers';
import { strtodWhole } from '../util/strtod';

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
 * getTimeoutFromObjectOrReply (BLPOP & co) in seconds: the argument is a long double (so
 * "1e500" and "inf" parse), the timeout is ceil(seconds * 1000) ms converted to a long long.
 * Values beyond the long long range convert to LLONG_MIN on x86, hence "timeout is negative";
 * a tiny positive value still rounds up to 1 ms, a tiny negative one to 0 (no timeout).
 * Returns the absolute deadline in ms, or 0 for none.
 */
export function getTimeoutOrReply(c: Client, s: string, nowMs: number): number | null {
  if (!isLongDoubleString(s)) {
    c.replyError('timeout is not a float or out of range');
    return null;
  }
  const seconds = strtodWhole(s)!;
  let ms = Math.ceil(seconds * 1000);
  if (seconds === 0 && hasNonZeroMantissa(s)) ms = s.charCodeAt(0) === 45 ? 0 : 1;
  if (!(ms <= LONG_MAX) || ms < 0) {
    c.replyError('timeout is negative');
    return null;
  }
  if (ms === 0) return 0;
  // Redis would overflow into a deadline that never fires; keep waiting forever instead.
  return ms + nowMs > LONG_MAX ? 0 : ms + nowMs;
}

/** Whether a numeric literal that parsed to 0 actually had non-zero digits (an underflow). */
function hasNonZeroMantissa(s: string): boolean {
  if (/^[+-]?0[xX]/.test(s)) return /[1-9a-fA-F]/.test(s.replace(/[pP].*$/, '').replace(/^[+-]?0[xX]/, ''));
  return /[1-9]/.test(s.replace(/[eE].*$/, ''));
}
