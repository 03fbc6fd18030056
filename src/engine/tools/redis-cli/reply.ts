/**
 * Replies as hiredis hands them to redis-cli, and hiredis's incremental reply reader.
 *
 * redis-cli is built on hiredis 1.0, whose reader differs from a full RESP3 parser in ways
 * that show in redis-cli's output: a RESP3 attribute (`|`) or blob error (`!`) is a protocol
 * error, a null array is an ordinary nil, a big number is its own type that redis-cli's
 * formatters do not know ("Unknown reply type: 13"), and verbatim strings lose their
 * three-letter format prefix. Maps are stored flat (key, value, key, value) because that is
 * how redis-cli walks them.
 *
 * The reader is resumable: aggregates under construction stay on a stack between chunks, so
 * a huge reply arriving in many chunks is parsed once, not re-parsed on every chunk.
 */
import { bytesToStr } from '../../bytes';

/** hiredis reply type numbers (they appear in "Unknown reply type: %d"). */
export const REPLY_TYPE_NUMBER = {
  string: 1, array: 2, integer: 3, nil: 4, status: 5, error: 6, double: 7, bool: 8,
  map: 9, set: 10, attr: 11, push: 12, bignum: 13, verb: 14,
} as const;

export type CliReply =
  | { type: 'string'; str: string }
  | { type: 'status'; str: string }
  | { type: 'error'; str: string }
  | { type: 'integer'; integer: bigint }
  | { type: 'double'; str: string }
  | { type: 'nil' }
  | { type: 'bool'; integer: boolean }
  | { type: 'verb'; vtype: string; str: string }
  | { type: 'bignum'; str: string }
  | { type: 'array' | 'map' | 'set' | 'push'; element: CliReply[] };

export type AggregateReply = Extract<CliReply, { element: CliReply[] }>;

export class ProtocolError extends Error {}

type AggType = 'array' | 'map' | 'set' | 'push';

interface Frame {
  reply: AggregateReply;
  /** Elements still expected (maps count keys and values). */
  remaining: number;
}

/** chrtos(): how hiredis quotes an unexpected type byte in its protocol error. */
function describeByte(b: number): string {
  const ch = String.fromCharCode(b);
  switch (ch) {
    case '\\': case '"': return `"\\${ch}"`;
    case '\n': return '"\\n"';
    case '\r': return '"\\r"';
    case '\t': return '"\\t"';
    case '\x07': return '"\\a"';
    case '\b': return '"\\b"';
    default:
      return b >= 0x20 && b <= 0x7e ? `"${ch}"` : `"\\x${b.toString(16).padStart(2, '0')}"`;
  }
}

/** hiredis string2ll: strict decimal int64 (no blanks, no '+', no leading zeros). */
function parseLongLong(s: string): bigint | null {
  if (s.length === 0 || s.length > 20) return null;
  if (s === '0') return 0n;
  if (!/^-?[1-9][0-9]*$/.test(s)) return null;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return v;
}

export class ReplyReader {
  private buf = new Uint8Array(16 * 1024);
  private pos = 0;
  private len = 0;
  private stack: Frame[] = [];
  private error: string | null = null;

  feed(chunk: Uint8Array): void {
    if (this.pos === this.len) this.pos = this.len = 0;
    if (this.len + chunk.length > this.buf.length) {
      const live = this.len - this.pos;
      if (live + chunk.length <= this.buf.length) {
        this.buf.copyWithin(0, this.pos, this.len);
      } else {
        let cap = this.buf.length;
        while (cap < live + chunk.length) cap *= 2;
        const nb = new Uint8Array(cap);
        nb.set(this.buf.subarray(this.pos, this.len));
        this.buf = nb;
      }
      this.len = live;
      this.pos = 0;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  }

  /** Unconsumed bytes (used by raw reads after SYNC). */
  get buffered(): number { return this.len - this.pos; }

  /** Take up to `max` raw bytes from the buffer. */
  takeRaw(max: number): Uint8Array {
    const n = Math.min(max, this.len - this.pos);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** The next complete reply, undefined if more bytes are needed; throws ProtocolError. */
  next(): CliReply | undefined {
    if (this.error) throw new ProtocolError(this.error);
    for (;;) {
      const parsed = this.item();
      if (parsed === undefined) return undefined;
      if (parsed.count > 0) {
        this.stack.push({ reply: parsed.value as AggregateReply, remaining: parsed.count });
        continue;
      }
      // A complete value: put it into its parent, closing every aggregate it fills up.
      let done: CliReply = parsed.value;
      for (;;) {
        const top = this.stack[this.stack.length - 1];
        if (!top) return done;
        top.reply.element.push(done);
        if (--top.remaining > 0) break;
        this.stack.pop();
        done = top.reply;
      }
    }
  }

  private fail(msg: string): never {
    this.error = msg;
    throw new ProtocolError(msg);
  }

  /** Index of the "\r\n" that ends the line starting at `from`, or -1. */
  private seekNewline(from: number): number {
    for (let i = from; i < this.len - 1; i++) {
      if (this.buf[i] === 13 && this.buf[i + 1] === 10) return i;
    }
    return -1;
  }

  /** Parse one item at the read position (a scalar, or the header of an aggregate). */
  private item(): { value: CliReply; count: number } | undefined {
    const value = this.scalarOrHeader();
    if (value === undefined) return undefined;
    const count = this.headerCount;
    this.headerCount = 0;
    return { value, count };
  }

  /** Elements announced by the aggregate header just parsed (maps count keys and values). */
  private headerCount = 0;

  private scalarOrHeader(): CliReply | undefined {
    if (this.pos >= this.len) return undefined;
    const t = this.buf[this.pos];
    let type: CliReply['type'];
    switch (t) {
      case 45: type = 'error'; break; // -
      case 43: type = 'status'; break; // +
      case 58: type = 'integer'; break; // :
      case 44: type = 'double'; break; // ,
      case 95: type = 'nil'; break; // _
      case 36: type = 'string'; break; // $
      case 42: type = 'array'; break; // *
      case 37: type = 'map'; break; // %
      case 126: type = 'set'; break; // ~
      case 35: type = 'bool'; break; // #
      case 61: type = 'verb'; break; // =
      case 62: type = 'push'; break; // >
      case 40: type = 'bignum'; break; // (
      default: return this.fail(`Protocol error, got ${describeByte(t)} as reply type byte`);
    }
    const eol = this.seekNewline(this.pos + 1);
    if (eol < 0) return undefined;
    const line = bytesToStr(this.buf, this.pos + 1, eol);
    const after = eol + 2;
    switch (type) {
      case 'error': case 'status': {
        if (line.includes('\r') || line.includes('\n')) this.fail('Bad simple string value');
        this.pos = after;
        return { type, str: line };
      }
      case 'integer': {
        const v = parseLongLong(line);
        if (v === null) this.fail('Bad integer value');
        this.pos = after;
        return { type, integer: v };
      }
      case 'double': {
        if (line.length >= 326) this.fail('Double value is too large');
        const lower = line.toLowerCase();
        if (!(lower === 'inf' || lower === '-inf')) {
          const d = /^[ \t\n\v\f\r]*[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/.test(line) ? Number(line.trim()) : NaN;
          if (!Number.isFinite(d)) this.fail('Bad double value');
        }
        this.pos = after;
        return { type, str: line };
      }
      case 'nil': {
        if (line.length !== 0) this.fail('Bad nil value');
        this.pos = after;
        return { type };
      }
      case 'bool': {
        if (line.length !== 1 || !'tTfF'.includes(line)) this.fail('Bad bool value');
        this.pos = after;
        return { type, integer: line === 't' || line === 'T' };
      }
      case 'bignum': {
        for (let i = 0; i < line.length; i++) {
          if (i === 0 && line[0] === '-') continue;
          if (line[i] < '0' || line[i] > '9') this.fail('Bad bignum value');
        }
        this.pos = after;
        return { type, str: line };
      }
      case 'string': case 'verb': {
        const n = parseLongLong(line);
        if (n === null) this.fail('Bad bulk string length');
        if (n < -1n) this.fail('Bulk string length out of range');
        if (n === -1n) { this.pos = after; return { type: 'nil' }; }
        const size = Number(n);
        if (this.len - after < size + 2) return undefined;
        if (type === 'verb' && (size < 4 || this.buf[after + 3] !== 58)) {
          this.fail('Verbatim string 4 bytes of content type are missing or incorrectly encoded.');
        }
        const body = bytesToStr(this.buf, after, after + size);
        this.pos = after + size + 2;
        if (type === 'verb') return { type, vtype: body.slice(0, 3), str: body.slice(4) };
        return { type, str: body };
      }
      default: {
        const n = parseLongLong(line);
        if (n === null) this.fail('Bad multi-bulk length');
        if (n < -1n || n > 4294967295n) this.fail('Multi-bulk length out of range');
        this.pos = after;
        if (n === -1n) return { type: 'nil' };
        this.headerCount = Number(n) * (type === 'map' ? 2 : 1);
        return { type: type as AggType, element: [] };
      }
    }
  }
}
