/**
 * What the stream commands share (t_stream.c's helpers): stream IDs parsed with Redis's exact
 * errors, key lookups that answer WRONGTYPE, and the reply of one entry.
 */
import type { Client } from '../server/client';
import { wrongType } from './util';
import {
  RStream, idStr, ID_MAX, ID_ZERO, U64_MAX, type StreamEntry, type StreamId,
} from '../keyspace/stream';

export const INVALID_ID_ERR = 'Invalid stream ID specified as stream command argument';

/** string2ull: a canonical unsigned 64-bit decimal (strtoull-like, no sign, no spaces). */
export function string2ull(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  for (let i = 0; i < n; i++) { const c = s.charCodeAt(i); if (c < 48 || c > 57) return null; }
  // string2ull accepts leading zeros (it is strtoull underneath), and nothing past u64.
  const v = BigInt(s);
  return v > U64_MAX ? null : v;
}

export interface ParsedId { id: StreamId; seqGiven: boolean }

/**
 * streamGenericParseIDOrReply: `ms-seq`, `ms` (seq = missingSeq), `-`/`+` unless strict, and
 * `ms-*` when `allowAutoSeq`. Replies the error and returns null when invalid.
 */
export function parseId(c: Client | null, s: string, missingSeq: bigint, strict: boolean, allowAutoSeq = false): ParsedId | null {
  const fail = (): null => { if (c) c.replyError(INVALID_ID_ERR); return null; };
  if (s.length > 127) return fail();
  // The C code works on a NUL-terminated copy: anything after a NUL byte is ignored.
  const nul = s.indexOf('\0');
  const buf = nul >= 0 ? s.slice(0, nul) : s;
  if (strict && (buf === '-' || buf === '+')) return fail();
  if (buf === '-') return { id: ID_ZERO, seqGiven: true };
  if (buf === '+') return { id: ID_MAX, seqGiven: true };
  const dash = buf.indexOf('-');
  const ms = string2ull(dash >= 0 ? buf.slice(0, dash) : buf);
  if (ms === null) return fail();
  if (dash < 0) return { id: { ms, seq: missingSeq }, seqGiven: true };
  const rest = buf.slice(dash + 1);
  if (allowAutoSeq && rest === '*') return { id: { ms, seq: 0n }, seqGiven: false };
  const seq = string2ull(rest);
  if (seq === null) return fail();
  return { id: { ms, seq }, seqGiven: true };
}

/** streamParseIntervalIDOrReply: an ID that may start with `(` (exclusive). */
export function parseIntervalId(c: Client, s: string, missingSeq: bigint): { id: StreamId; exclusive: boolean } | null {
  if (s.length > 1 && s[0] === '(') {
    const p = parseId(c, s.slice(1), missingSeq, true);
    return p && { id: p.id, exclusive: true };
  }
  const p = parseId(c, s, missingSeq, false);
  return p && { id: p.id, exclusive: false };
}

/** The strict IDs from argv[from] on (XDEL, XACK), or null with the error of the first bad one replied. */
export function parseIds(c: Client, argv: string[], from: number): StreamId[] | null {
  const ids: StreamId[] = [];
  for (let j = from; j < argv.length; j++) {
    const p = parseId(c, argv[j], 0n, true);
    if (!p) return null;
    ids.push(p.id);
  }
  return ids;
}

export function lookupRead(c: Client, key: string): RStream | undefined | null {
  const o = c.db.lookupRead(key);
  if (o === undefined) return undefined;
  if (wrongType(c, o, 'stream')) return null;
  return o as RStream;
}

export function lookupWrite(c: Client, key: string): RStream | undefined | null {
  const o = c.db.lookupWrite(key);
  if (o === undefined) return undefined;
  if (wrongType(c, o, 'stream')) return null;
  return o as RStream;
}

export function replyEntry(c: Client, e: StreamEntry): void {
  c.replyArrayLen(2);
  c.replyBulk(idStr(e.id));
  c.replyArrayLen(e.fv.length);
  for (const x of e.fv) c.replyBulk(x);
}

/** The C string view of an argument (up to its first NUL byte). */
export function cStr(s: string): string {
  const nul = s.indexOf('\0');
  return nul >= 0 ? s.slice(0, nul) : s;
}

export function byteOrder(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

/** SCG_INVALID_ENTRIES_READ: the group's read counter is unknown. */
export const INVALID_ENTRIES_READ = -1;
