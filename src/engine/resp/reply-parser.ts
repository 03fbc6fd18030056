/**
 * The client side of RESP: parses replies (RESP2 and RESP3) from a byte stream.
 * Used by redis-cli, replication (the replica reading its master), sentinel links and tests.
 *
 * Values keep their RESP type so a formatter can print them like redis-cli does
 * (`(integer) 1`, `(nil)`, `1) "a"`, `1# "k" => "v"`).
 */
import { bytesToStr } from '../bytes';

export type RespValue =
  | { type: 'status'; value: string }
  | { type: 'error'; value: string }
  | { type: 'int'; value: bigint }
  | { type: 'bulk'; value: string }
  | { type: 'nil' }
  | { type: 'array'; value: RespValue[] }
  | { type: 'nilarray' }
  | { type: 'map'; value: [RespValue, RespValue][] }
  | { type: 'set'; value: RespValue[] }
  | { type: 'push'; value: RespValue[] }
  | { type: 'double'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'verbatim'; format: string; value: string }
  | { type: 'bignum'; value: string }
  | { type: 'attribute'; value: [RespValue, RespValue][] };

export class ReplyParseError extends Error {}

const NO_BYTES = new Uint8Array(0);

/** Incremental reply parser: feed bytes, pull complete replies. */
export class ReplyParser {
  // Allocated on the first bytes: connections that fail or close before a reply (a sentinel
  // retrying a dead instance every second) never pay for a buffer.
  private buf: Uint8Array = NO_BYTES;
  private start = 0;
  private end = 0;

  /**
   * The first reply in `bytes`, which the caller holds whole (a script's redis.call reads its
   * command's reply this way): parsed in place, without the copy feed() makes.
   */
  static first(bytes: Uint8Array): RespValue | undefined {
    const p = new ReplyParser();
    p.buf = bytes;
    p.end = bytes.length;
    return p.next()?.value;
  }

  feed(chunk: Uint8Array): void {
    const len = this.end - this.start;
    if (this.end + chunk.length > this.buf.length) {
      let cap = Math.max(this.buf.length, 4096);
      while (cap < len + chunk.length) cap *= 2;
      if (cap === this.buf.length) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        const nb = new Uint8Array(cap);
        nb.set(this.buf.subarray(this.start, this.end));
        this.buf = nb;
      }
      this.start = 0;
      this.end = len;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  get pendingBytes(): number { return this.end - this.start; }

  /** Take raw bytes from the buffer (e.g. an RDB payload after `$<len>`). */
  takeBytes(n: number): Uint8Array | null {
    if (this.end - this.start < n) return null;
    const out = this.buf.slice(this.start, this.start + n);
    this.start += n;
    return out;
  }

  /** Read one line (without CRLF) if a full line is buffered. */
  takeLine(): string | null {
    for (let i = this.start; i < this.end; i++) {
      if (this.buf[i] === 10) {
        const endLine = i > this.start && this.buf[i - 1] === 13 ? i - 1 : i;
        const s = bytesToStr(this.buf, this.start, endLine);
        this.start = i + 1;
        return s;
      }
    }
    return null;
  }

  /** The next complete reply, or undefined if more bytes are needed. Also returns its size. */
  next(): { value: RespValue; bytes: number } | undefined {
    const r = this.parse(this.start);
    if (!r) return undefined;
    const bytes = r.pos - this.start;
    this.start = r.pos;
    if (this.start === this.end) this.start = this.end = 0;
    return { value: r.value, bytes };
  }

  private line(pos: number): { text: string; next: number } | null {
    for (let i = pos; i < this.end - 1; i++) {
      if (this.buf[i] === 13 && this.buf[i + 1] === 10) return { text: bytesToStr(this.buf, pos, i), next: i + 2 };
    }
    return null;
  }

  private parse(pos: number): { value: RespValue; pos: number } | null {
    if (pos >= this.end) return null;
    const t = this.buf[pos];
    const l = this.line(pos + 1);
    if (!l) return null;
    const text = l.text;
    switch (t) {
      case 43: return { value: { type: 'status', value: text }, pos: l.next }; // +
      case 45: return { value: { type: 'error', value: text }, pos: l.next }; // -
      case 58: return { value: { type: 'int', value: BigInt(text) }, pos: l.next }; // :
      case 95: return { value: { type: 'nil' }, pos: l.next }; // _
      case 44: return { value: { type: 'double', value: text }, pos: l.next }; // ,
      case 35: return { value: { type: 'bool', value: text === 't' }, pos: l.next }; // #
      case 40: return { value: { type: 'bignum', value: text }, pos: l.next }; // (
      case 36: case 61: case 33: { // $ = !
        const n = Number(text);
        if (n < 0) return { value: { type: 'nil' }, pos: l.next };
        if (this.end - l.next < n + 2) return null;
        const s = bytesToStr(this.buf, l.next, l.next + n);
        const next = l.next + n + 2;
        if (t === 33) return { value: { type: 'error', value: s }, pos: next };
        if (t === 61) return { value: { type: 'verbatim', format: s.slice(0, 3), value: s.slice(4) }, pos: next };
        return { value: { type: 'bulk', value: s }, pos: next };
      }
      case 42: case 126: case 62: { // * ~ >
        const n = Number(text);
        if (n < 0) return { value: { type: 'nilarray' }, pos: l.next };
        const items: RespValue[] = [];
        let p = l.next;
        for (let i = 0; i < n; i++) {
          const r = this.parse(p);
          if (!r) return null;
          items.push(r.value);
          p = r.pos;
        }
        const type = t === 42 ? 'array' : t === 126 ? 'set' : 'push';
        return { value: { type, value: items } as RespValue, pos: p };
      }
      case 37: case 124: { // % |
        const n = Number(text);
        const pairs: [RespValue, RespValue][] = [];
        let p = l.next;
        for (let i = 0; i < n; i++) {
          const k = this.parse(p);
          if (!k) return null;
          const v = this.parse(k.pos);
          if (!v) return null;
          pairs.push([k.value, v.value]);
          p = v.pos;
        }
        if (t === 124) {
          // An attribute precedes the real reply; redis-cli prints only the reply.
          const r = this.parse(p);
          if (!r) return null;
          return r;
        }
        return { value: { type: 'map', value: pairs }, pos: p };
      }
      default:
        throw new ReplyParseError(`Protocol error, got "${String.fromCharCode(t)}" as reply type byte`);
    }
  }
}

/** Encode argv as a RESP multibulk request (byte string). */
export function encodeCommand(argv: string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** Plain JS view of a reply (tests, simple clients). Errors become Error instances. */
export function toJs(v: RespValue): unknown {
  switch (v.type) {
    case 'status': case 'bulk': case 'double': case 'bignum': case 'verbatim': return v.value;
    case 'error': return new Error(v.value);
    case 'int': return Number(v.value);
    case 'nil': case 'nilarray': return null;
    case 'bool': return v.value;
    case 'array': case 'set': case 'push': return v.value.map(toJs);
    case 'map': case 'attribute': return v.value.map(([k, x]) => [toJs(k), toJs(x)]);
  }
}
