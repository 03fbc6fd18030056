/**
 * Fuzzing the server-side RESP request parser (src/engine/resp/request-parser.ts).
 *
 * Inputs come from a seeded generator: well-formed multibulk and inline requests (some
 * pipelined), then mutated copies of them (flipped, inserted, deleted and duplicated bytes,
 * digits changed in length headers, CR/LF/NUL/space injected, truncation) and plain random
 * bytes. Each input is parsed in-process, and these invariants are checked:
 *
 * - nothing throws, and a case finishes in bounded time;
 * - feeding the same bytes in other chunkings (random cuts, byte by byte) yields the same
 *   sequence of commands, empty requests and errors, and the same unconsumed remainder
 *   (except for inputs over 64 KiB, where Redis's "too big" checks depend on how much
 *   arrived without a newline, exactly as in networking.c);
 * - a well-formed request round-trips: the argv parsed is the argv generated;
 * - parsing stops at the first error (the connection is closed after it).
 *
 * `npm run fuzz -- [cases] [seed]` runs it standalone; test/unit/resp-fuzz.test.ts runs a
 * fixed-seed batch in CI. A failure prints the seed and the case number to replay.
 */
import { RequestParser, type ParserLimits } from '../../src/engine/resp/request-parser';

/** xorshift128+ style generator over 32-bit state words (deterministic, fast). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = seed | 0 || 1; this.b = 0x9e3779b9; this.c = 0x243f6a88; this.d = 0x85a308d3;
    for (let i = 0; i < 16; i++) this.u32();
  }
  u32(): number {
    // xoshiro128** by Blackman & Vigna.
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c ^= t; this.d = rotl(this.d, 11);
    return r;
  }
  int(n: number): number { return this.u32() % n; }
  chance(p: number): boolean { return this.u32() / 4294967296 < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const WORDS = ['PING', 'ECHO', 'SET', 'GET', 'DEL', 'EXISTS', 'INCR', 'APPEND', 'MGET', 'STRLEN', 'TYPE', 'hello', 'k', 'v', '', ' ', '"', "'", '\\', 'x y', '\r\n', '\0', '*1', '$3'];

function randomArg(r: Rng): string {
  switch (r.int(6)) {
    case 0: return r.pick(WORDS);
    case 1: return String(r.int(100000));
    case 2: { let s = ''; const n = r.int(12); for (let i = 0; i < n; i++) s += String.fromCharCode(r.int(256)); return s; }
    case 3: return 'x'.repeat(r.int(40));
    case 4: return r.pick(['-1', '0', '9223372036854775807', '1e3', '+5', ' 5']);
    default: { let s = ''; const n = 1 + r.int(8); for (let i = 0; i < n; i++) s += String.fromCharCode(97 + r.int(26)); return s; }
  }
}

export function encodeMultibulk(argv: string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** An inline request whose words survive sdssplitargs (quoted when needed). */
function encodeInline(argv: string[], r: Rng): string {
  const words = argv.map((a) => {
    if (/^[!#-&(-~]+$/.test(a) && !a.includes('"') && !a.includes("'")) return a;
    let q = '"';
    for (const ch of a) {
      const c = ch.charCodeAt(0);
      if (ch === '"' || ch === '\\') q += '\\' + ch;
      else if (c >= 32 && c < 127) q += ch;
      else q += '\\x' + c.toString(16).padStart(2, '0');
    }
    return q + '"';
  });
  const sep = () => (r.chance(0.2) ? r.pick(['  ', '\t', ' \t ']) : ' ');
  return (r.chance(0.1) ? ' ' : '') + words.join(sep()) + (r.chance(0.3) ? '\n' : '\r\n');
}

export interface Generated { bytes: string; expect: string[][] | null }

/** A request (or pipeline) and, when well formed, the argvs it must parse to. */
export function generate(r: Rng): Generated {
  const kind = r.int(10);
  if (kind === 0) {
    let s = '';
    const n = r.int(64);
    for (let i = 0; i < n; i++) s += String.fromCharCode(r.int(256));
    return { bytes: s, expect: null };
  }
  const n = 1 + (r.chance(0.3) ? r.int(6) : 0);
  let bytes = '';
  const expect: string[][] = [];
  for (let i = 0; i < n; i++) {
    const argc = 1 + r.int(5);
    const argv = [r.pick(WORDS.slice(0, 11))];
    for (let j = 1; j < argc; j++) argv.push(randomArg(r));
    const inline = r.chance(0.3) && argv.every((a) => !a.includes('\0'));
    bytes += inline ? encodeInline(argv, r) : encodeMultibulk(argv);
    expect.push(argv);
  }
  if (kind <= 3) return { bytes, expect };
  return { bytes: mutate(bytes, r), expect: null };
}

export function mutate(s: string, r: Rng): string {
  const rounds = 1 + r.int(4);
  for (let i = 0; i < rounds && s.length > 0; i++) {
    const at = r.int(s.length);
    switch (r.int(9)) {
      case 0: s = s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ (1 << r.int(8))) + s.slice(at + 1); break;
      case 1: s = s.slice(0, at) + String.fromCharCode(r.int(256)) + s.slice(at); break;
      case 2: s = s.slice(0, at) + s.slice(at + 1 + r.int(4)); break;
      case 3: s = s.slice(0, at) + r.pick(['\r', '\n', '\0', ' ', '\r\n', '"', "'", '*', '$', '-', '0']) + s.slice(at); break;
      case 4: s = s.slice(0, at); break;
      case 5: { const m = /\d+/.exec(s.slice(at)); if (m) { const p = at + m.index; s = s.slice(0, p) + r.pick(['0', '-1', '99999999999', String(r.int(30)), '2147483648', '']) + s.slice(p + m[0].length); } break; }
      case 6: s = s.slice(0, at) + s.slice(at, at + 1 + r.int(20)).repeat(2 + r.int(3)) + s.slice(at + 1 + r.int(20)); break;
      case 7: s = s + s.slice(0, r.int(s.length + 1)); break;
      default: s = s.slice(0, at) + String.fromCharCode(r.int(256)) + s.slice(at + 1);
    }
  }
  return s;
}

/** What a parse produced: one token per request, 'incomplete:<n>' at the end. */
export function parseAll(bytes: string, chunks: number[], limits: ParserLimits, makeParser: () => RequestParser = () => new RequestParser()): string[] {
  const p = makeParser();
  const out: string[] = [];
  let pos = 0;
  let dead = false;
  const drain = () => {
    while (!dead) {
      const res = p.next(limits);
      if (res.kind === 'incomplete') return;
      if (res.kind === 'error') { out.push(`error:${res.message}`); dead = true; return; }
      if (res.kind === 'empty') out.push('empty');
      else out.push(`cmd:${JSON.stringify(res.argv)}`);
    }
  };
  for (const n of [...chunks, bytes.length]) {
    const end = Math.min(bytes.length, pos + n);
    if (end > pos) {
      const b = new Uint8Array(end - pos);
      for (let i = 0; i < b.length; i++) b[i] = bytes.charCodeAt(pos + i);
      p.feed(b);
      pos = end;
      drain();
      if (dead) break;
    }
    if (pos >= bytes.length) break;
  }
  if (!dead) out.push(`incomplete:${p.pendingBytes}`);
  return out;
}

function randomChunks(len: number, r: Rng): number[] {
  const out: number[] = [];
  let left = len;
  while (left > 0) { const n = 1 + r.int(Math.max(1, Math.min(left, 1 + r.int(32)))); out.push(n); left -= n; }
  return out;
}

export interface FuzzResult { cases: number; failures: string[]; maxCaseMs: number }

/** Run `cases` cases from `seed`; stops collecting after a few failures. */
export function fuzz(
  cases: number, seed: number,
  opts: { caseBudgetMs?: number; now?: () => number; makeParser?: () => RequestParser } = {},
): FuzzResult {
  const mk = opts.makeParser;
  const now = opts.now ?? (() => 0);
  // Generous: the point is catching hangs and blow-ups, not GC pauses on a busy machine.
  const budget = opts.caseBudgetMs ?? 1000;
  const r = new Rng(seed);
  const failures: string[] = [];
  let maxCaseMs = 0;
  for (let i = 0; i < cases && failures.length < 5; i++) {
    const g = generate(r);
    const limits: ParserLimits = {
      protoMaxBulkLen: r.chance(0.1) ? 1 + r.int(64) : 512 * 1024 * 1024,
      authRequired: r.chance(0.1),
      isMaster: r.chance(0.03),
    };
    const t0 = now();
    const where = `seed=${seed} case=${i} input=${JSON.stringify(g.bytes.slice(0, 200))} limits=${JSON.stringify(limits)}`;
    try {
      const whole = parseAll(g.bytes, [g.bytes.length], limits, mk);
      if (g.expect) {
        const want = g.expect.map((a) => `cmd:${JSON.stringify(a)}`);
        const got = whole.filter((t) => t.startsWith('cmd:'));
        if (JSON.stringify(got) !== JSON.stringify(want) && !limits.isMaster && !limits.authRequired && limits.protoMaxBulkLen > 1000) {
          failures.push(`round trip: ${where}\n  want ${JSON.stringify(want)}\n  got  ${JSON.stringify(whole)}`);
        }
      }
      const errors = whole.filter((t) => t.startsWith('error:'));
      if (errors.length > 1 || (errors.length === 1 && whole[whole.length - 1] !== errors[0])) {
        failures.push(`parsing went on after an error: ${where}\n  ${JSON.stringify(whole)}`);
      }
      if (g.bytes.length <= 64 * 1024) {
        const chunkings = [randomChunks(g.bytes.length, r)];
        if (g.bytes.length <= 256 && r.chance(0.2)) chunkings.push(new Array(g.bytes.length).fill(1));
        for (const ch of chunkings) {
          const other = parseAll(g.bytes, ch, limits, mk);
          if (JSON.stringify(other) !== JSON.stringify(whole)) {
            failures.push(`chunking changes the result: ${where} chunks=${JSON.stringify(ch)}\n  whole   ${JSON.stringify(whole)}\n  chunked ${JSON.stringify(other)}`);
            break;
          }
        }
      }
    } catch (e) {
      failures.push(`exception: ${where}\n  ${(e as Error).stack ?? e}`);
    }
    const ms = now() - t0;
    if (ms > maxCaseMs) maxCaseMs = ms;
    if (ms > budget) failures.push(`case took ${ms} ms: ${where}`);
  }
  return { cases, failures, maxCaseMs };
}

/** CLI: npm run fuzz -- [cases] [seed] */
const isMain = typeof process !== 'undefined' && process.argv[1] && /resp-fuzz\.ts$/.test(process.argv[1]);
if (isMain) {
  const cases = Number(process.argv[2] ?? 1_000_000);
  const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 2 ** 31));
  const t0 = Date.now();
  const res = fuzz(cases, seed, { now: () => performance.now() });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (res.failures.length) {
    console.error(`FAILED (seed ${seed}, ${cases} cases, ${secs} s):\n${res.failures.join('\n\n')}`);
    process.exit(1);
  }
  console.log(`ok: ${cases} cases, seed ${seed}, ${secs} s, slowest case ${res.maxCaseMs.toFixed(1)} ms`);
}
