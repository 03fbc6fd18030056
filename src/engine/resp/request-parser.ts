/**
 * The server side of RESP: turns the bytes a client sends into commands (argv arrays).
 *
 * Two request forms exist, decided by the first byte of each request:
 * - multibulk (`*<argc>\r\n` then `$<len>\r\n<bytes>\r\n` per argument), what client libraries
 *   send;
 * - inline (a line of space-separated words, quotes allowed), what telnet and humans send.
 *
 * This follows Redis's networking.c to the byte, including its quirks, because tools and fuzz
 * tests can tell the difference:
 * - Line searches behave like C's strchr on the query buffer: they stop at a NUL byte, so a
 *   header line containing NUL is never complete.
 * - The multibulk count and bulk length headers are parsed with string2ll rules (no '+', no
 *   leading zeros, no spaces).
 * - A count header longer than 64 KiB without '\r' is an error ("too big mbulk count string").
 * - A `*0` or negative count is an empty request and is skipped silently.
 * - Clients that still need to authenticate may not send more than 10 arguments or bulk
 *   arguments longer than 16384 bytes.
 * After any protocol error the connection gets the error reply and is closed.
 */
import { bytesToStr } from '../bytes';
import { string2ll } from '../util/numbers';

/** Longest inline request or header line accepted (PROTO_INLINE_MAX_SIZE). */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;

export interface ParserLimits {
  /** `proto-max-bulk-len`; not applied to our master's stream. */
  protoMaxBulkLen: number;
  /** True while the client must still AUTH (limits the request size it may send). */
  authRequired: boolean;
  /** The connection is our master's replication stream. */
  isMaster: boolean;
}

export type ParseResult =
  | { kind: 'command'; argv: string[]; inline: boolean; bytes: number }
  | { kind: 'incomplete' }
  | { kind: 'empty'; inline: boolean; bytes: number }
  | { kind: 'error'; message: string; logReason: string };

const CR = 13;
const LF = 10;

export class RequestParser {
  private buf = new Uint8Array(16 * 1024);
  private start = 0;
  private end = 0;
  // Multibulk state that survives partial reads.
  private multibulkLen = 0;
  private bulkLen = -1;
  private argv: string[] = [];
  private requestStart = 0;
  private reqType: 0 | 1 | 2 = 0; // 0 unknown, 1 inline, 2 multibulk

  /** Bytes buffered and not yet consumed by a complete command. */
  get pendingBytes(): number { return this.end - this.start; }

  /** The declared length of the bulk argument being read, or -1 between arguments. */
  get pendingBulkLen(): number { return this.bulkLen; }

  /** Total bytes held by the argv being assembled (client-query-buffer-limit accounting). */
  get partialArgvBytes(): number {
    let n = 0;
    for (const a of this.argv) n += a.length;
    return n;
  }

  feed(chunk: Uint8Array): void {
    const len = this.end - this.start;
    if (this.end + chunk.length > this.buf.length) {
      if (len + chunk.length <= this.buf.length && this.start > 0) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        let cap = this.buf.length * 2;
        while (cap < len + chunk.length) cap *= 2;
        const nb = new Uint8Array(cap);
        nb.set(this.buf.subarray(this.start, this.end));
        this.buf = nb;
      }
      this.requestStart -= this.start;
      this.end = len;
      this.start = 0;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The raw bytes of the unconsumed buffer (used to show the buffer in protocol error logs). */
  peekPending(max: number): Uint8Array {
    return this.buf.subarray(this.start, Math.min(this.end, this.start + max));
  }

  /** Like strchr from `from`: first `target` before any NUL byte and before the end, or -1. */
  private find(target: number, from: number): number {
    const b = this.buf;
    for (let i = from; i < this.end; i++) {
      const c = b[i];
      if (c === target) return i;
      if (c === 0) return -1;
    }
    return -1;
  }

  next(limits: ParserLimits): ParseResult {
    if (this.start >= this.end) {
      this.start = this.end = 0;
      return { kind: 'incomplete' };
    }
    if (this.reqType === 0) {
      this.reqType = this.buf[this.start] === 42 /* '*' */ ? 2 : 1;
      this.requestStart = this.start;
    }
    return this.reqType === 1 ? this.parseInline(limits) : this.parseMultibulk(limits);
  }

  private done(): void {
    this.reqType = 0;
    this.multibulkLen = 0;
    this.bulkLen = -1;
    this.argv = [];
    if (this.start >= this.end) this.start = this.end = 0;
  }

  private parseInline(limits: ParserLimits): ParseResult {
    const nl = this.find(LF, this.start);
    if (nl < 0) {
      if (this.end - this.start > PROTO_INLINE_MAX_SIZE) {
        return { kind: 'error', message: 'Protocol error: too big inline request', logReason: 'too big inline request' };
      }
      return { kind: 'incomplete' };
    }
    let lineEnd = nl;
    let linefeedChars = 1;
    if (nl !== this.start && this.buf[nl - 1] === CR) { lineEnd--; linefeedChars++; }
    const argv = splitArgs(this.buf, this.start, lineEnd);
    if (argv === null) {
      return { kind: 'error', message: 'Protocol error: unbalanced quotes in request', logReason: 'unbalanced quotes in inline request' };
    }
    const querylen = lineEnd - this.start;
    if (querylen !== 0 && limits.isMaster) {
      return { kind: 'error', message: 'Protocol error: master using the inline protocol', logReason: 'Master using the inline protocol. Desync?' };
    }
    const bytes = querylen + linefeedChars;
    this.start = lineEnd + linefeedChars;
    this.done();
    if (argv.length === 0) return { kind: 'empty', inline: true, bytes };
    return { kind: 'command', argv, inline: true, bytes };
  }

  private parseMultibulk(limits: ParserLimits): ParseResult {
    const b = this.buf;
    if (this.multibulkLen === 0) {
      const cr = this.find(CR, this.start);
      if (cr < 0) {
        if (this.end - this.start > PROTO_INLINE_MAX_SIZE) {
          return { kind: 'error', message: 'Protocol error: too big mbulk count string', logReason: 'too big mbulk count string' };
        }
        return { kind: 'incomplete' };
      }
      if (cr - this.start > this.end - this.start - 2) return { kind: 'incomplete' };
      const ll = headerNumber(b, this.start + 1, cr);
      if (ll === null || ll > 2147483647) {
        return { kind: 'error', message: 'Protocol error: invalid multibulk length', logReason: 'invalid mbulk count' };
      }
      if (ll > 10 && limits.authRequired) {
        return { kind: 'error', message: 'Protocol error: unauthenticated multibulk length', logReason: 'unauth mbulk count' };
      }
      this.start = cr + 2;
      if (ll <= 0) {
        const bytes = this.start - this.requestStart;
        this.done();
        return { kind: 'empty', inline: false, bytes };
      }
      this.multibulkLen = ll;
      this.argv = [];
    }
    while (this.multibulkLen > 0) {
      if (this.bulkLen === -1) {
        const cr = this.find(CR, this.start);
        if (cr < 0) {
          if (this.end - this.start > PROTO_INLINE_MAX_SIZE) {
            return { kind: 'error', message: 'Protocol error: too big bulk count string', logReason: 'too big bulk count string' };
          }
          return { kind: 'incomplete' };
        }
        if (cr - this.start > this.end - this.start - 2) return { kind: 'incomplete' };
        if (b[this.start] !== 36 /* '$' */) {
          return {
            kind: 'error',
            message: `Protocol error: expected '$', got '${String.fromCharCode(b[this.start])}'`,
            logReason: 'expected $ but got something else',
          };
        }
        const ll = headerNumber(b, this.start + 1, cr);
        if (ll === null || ll < 0 || (!limits.isMaster && ll > limits.protoMaxBulkLen)) {
          return { kind: 'error', message: 'Protocol error: invalid bulk length', logReason: 'invalid bulk length' };
        }
        if (ll > 16384 && limits.authRequired) {
          return { kind: 'error', message: 'Protocol error: unauthenticated bulk length', logReason: 'unauth bulk length' };
        }
        this.start = cr + 2;
        this.bulkLen = ll;
      }
      if (this.end - this.start < this.bulkLen + 2) return { kind: 'incomplete' };
      const arg = this.argv.length === 0 && this.bulkLen <= NAME_CACHE_MAX_LEN
        ? commandName(b, this.start, this.bulkLen)
        : bytesToStr(b, this.start, this.start + this.bulkLen);
      this.argv.push(arg);
      this.start += this.bulkLen + 2;
      this.bulkLen = -1;
      this.multibulkLen--;
    }
    const argv = this.argv;
    const bytes = this.start - this.requestStart;
    this.done();
    return { kind: 'command', argv, inline: false, bytes };
  }
}

/** Command names repeat in every request: the last ones seen are reused instead of rebuilt. */
const NAME_CACHE_MAX_LEN = 24;
const NAME_CACHE_SIZE = 64;
const nameCache: string[] = new Array<string>(NAME_CACHE_SIZE).fill('');

/**
 * The first argument of a request (usually a command name) as a string, taken from a small
 * direct-mapped cache when the same bytes were seen before. Reusing the string saves building
 * it, and its hash is already computed for the command table lookup.
 */
function commandName(b: Uint8Array, from: number, len: number): string {
  if (len === 0) return '';
  const slot = (len * 7 + b[from] * 3 + b[from + len - 1]) & (NAME_CACHE_SIZE - 1);
  const cached = nameCache[slot];
  if (cached.length === len) {
    let i = 0;
    while (i < len && cached.charCodeAt(i) === b[from + i]) i++;
    if (i === len) return cached;
  }
  const s = bytesToStr(b, from, from + len);
  nameCache[slot] = s;
  return s;
}

/**
 * string2ll of the header digits in b[from, to). Plain positive numbers of up to 15 digits
 * (every real request) are read straight from the bytes; anything else (sign, leading zero,
 * stray bytes, huge values) goes through string2ll for its exact rules.
 */
function headerNumber(b: Uint8Array, from: number, to: number): number | null {
  const n = to - from;
  if (n > 0 && n <= 15) {
    let c = b[from];
    if (c >= 49 && c <= 57) {
      let v = c - 48;
      let i = from + 1;
      for (; i < to; i++) {
        c = b[i];
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48);
      }
      if (i === to) return v;
    }
  }
  return string2ll(bytesToStr(b, from, to));
}

const isCSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const hexVal = (c: number) => (c <= 57 ? c - 48 : (c | 32) - 87);

/**
 * sdssplitargs over bytes [from, to): words separated by blanks; "double quotes" with \n \r \t
 * \b \a \xHH escapes; 'single quotes' with \' only. A closing quote must be followed by a blank
 * or the end. Processing stops at a NUL byte like the C string it operates on. Returns null for
 * unbalanced quotes. Shared with redis.conf parsing and redis-cli.
 */
export function splitArgs(buf: Uint8Array, from: number, to: number): string[] | null {
  // Behave like a C string: stop at the first NUL.
  for (let i = from; i < to; i++) if (buf[i] === 0) { to = i; break; }
  const out: string[] = [];
  let p = from;
  while (true) {
    while (p < to && isCSpace(buf[p])) p++;
    if (p >= to) return out;
    let inq = false, insq = false, done = false;
    let cur = '';
    while (!done) {
      const c = p < to ? buf[p] : 0;
      if (inq) {
        if (c === 92 && p + 3 < to && buf[p + 1] === 120 && isHex(buf[p + 2]) && isHex(buf[p + 3])) {
          cur += String.fromCharCode(hexVal(buf[p + 2]) * 16 + hexVal(buf[p + 3]));
          p += 3;
        } else if (c === 92 && p + 1 < to) {
          p++;
          const e = buf[p];
          cur += e === 110 ? '\n' : e === 114 ? '\r' : e === 116 ? '\t' : e === 98 ? '\b' : e === 97 ? '\x07' : String.fromCharCode(e);
        } else if (c === 34) {
          if (p + 1 < to && !isCSpace(buf[p + 1])) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else {
          cur += String.fromCharCode(c);
        }
      } else if (insq) {
        if (c === 92 && p + 1 < to && buf[p + 1] === 39) {
          p++;
          cur += "'";
        } else if (c === 39) {
          if (p + 1 < to && !isCSpace(buf[p + 1])) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else {
          cur += String.fromCharCode(c);
        }
      } else {
        switch (c) {
          case 32: case 10: case 13: case 9: case 0: done = true; break;
          case 34: inq = true; break;
          case 39: insq = true; break;
          default: cur += String.fromCharCode(c);
        }
      }
      if (p < to) p++;
    }
    out.push(cur);
  }
}

/** splitArgs over a byte string (config lines, redis-cli input). */
export function splitArgsStr(line: string): string[] | null {
  const b = new Uint8Array(line.length);
  for (let i = 0; i < line.length; i++) b[i] = line.charCodeAt(i);
  return splitArgs(b, 0, b.length);
}
