/**
 * Helpers shared by command implementations: argument parsing with Redis's exact error
 * replies (object.c's get*FromObjectOrReply), type checks, and option matching that behaves
 * like the C code's strcasecmp on NUL-terminated strings.
 */
import type { Client } from '../server/client';
import type { RedisValue, AggregateType } from '../keyspace/values';
import { string2ll, string2d, LLONG_MAX } from '../util/numbers';

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

/** getTimeoutFromObjectOrReply (BLPOP & co): seconds as a float, returns absolute ms or 0. */
export function getTimeoutOrReply(c: Client, s: string, nowMs: number): number | null {
  const v = string2d(s);
  if (v === null || !Number.isFinite(v)) {
    c.replyError('timeout is not a float or out of range');
    return null;
  }
  if (v < 0) {
    c.replyError('timeout is negative');
    return null;
  }
  const ms = Math.ceil(v * 1000);
  if (ms > 0 && ms + nowMs > Number.MAX_SAFE_INTEGER) {
    c.replyError('timeout is out of range');
    return null;
  }
  return ms > 0 ? nowMs + ms : 0;
}
