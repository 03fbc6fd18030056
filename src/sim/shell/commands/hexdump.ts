/**
 * `hexdump` as util-linux 2.38.1 (Debian 12's bsdextrautils) prints it: the default 16-bit
 * words, -C canonical hex and text, -b -c -d -o -x, -e format strings and -f format files
 * (hexdump-format.ts), -n and -s with util-linux's size suffixes, -v (else a repeated line
 * is a `*`). Several files are one input, `-` being a file name; -s skips whole files first.
 * Messages go out at once and the output through stdio's buffer (warn() does not flush it).
 * Not here: colors (`%_L` in a format; -L is accepted, the formats it colors being absent).
 */
import type { CmdCtx, Command } from '../context';
import { ERRNO, readChunk, readText } from '../context';
import type { TaskGen } from '../../kernel/tasks';
import { alive, badOption, parseOpts } from './operands';
import { FormatError, parseFormat, printUnit, rewrite, toBlank, type FormatString } from './hexdump-format';
import { openFile, StdioOut, stdinInput, type ByteInput } from './stdio';

const HELP = `
Usage:
 hexdump [options] <file>...

Display file contents in hexadecimal, decimal, octal, or ascii.

Options:
 -b, --one-byte-octal      one-byte octal display
 -c, --one-byte-char       one-byte character display
 -C, --canonical           canonical hex+ASCII display
 -d, --two-bytes-decimal   two-byte decimal display
 -o, --two-bytes-octal     two-byte octal display
 -x, --two-bytes-hex       two-byte hexadecimal display
 -L, --color[=<mode>]      interpret color formatting specifiers
                             colors are enabled by default
 -e, --format <format>     format string to be used for displaying data
 -f, --format-file <file>  file that contains format strings
 -n, --length <length>     interpret only length bytes of input
 -s, --skip <offset>       skip offset bytes from the beginning
 -v, --no-squeezing        output identical lines

 -h, --help                display this help
 -V, --version             display version

Arguments:
 <length> and <offset> arguments may be followed by the suffixes for
   GiB, TiB, PiB, EiB, ZiB, and YiB (the "iB" is optional)

For more details see hexdump(1).
`;

const LONG = [
  { name: 'one-byte-octal', key: 'b', arg: false }, { name: 'one-byte-char', key: 'c', arg: false }, { name: 'canonical', key: 'C', arg: false },
  { name: 'two-bytes-decimal', key: 'd', arg: false }, { name: 'two-bytes-octal', key: 'o', arg: false }, { name: 'two-bytes-hex', key: 'x', arg: false },
  { name: 'color', key: 'L', arg: 'optional' }, { name: 'format', key: 'e', arg: true }, { name: 'format-file', key: 'f', arg: true },
  { name: 'length', key: 'n', arg: true }, { name: 'skip', key: 's', arg: true }, { name: 'no-squeezing', key: 'v', arg: false },
  { name: 'help', key: 'h', arg: false }, { name: 'version', key: 'V', arg: false },
] as const;

/** The address line at the end, as the predefined formats start. */
const END_ADDRESS = '"%07.7_Ax\n"';
const PREDEFINED: Record<string, string[]> = {
  b: [END_ADDRESS, '"%07.7_ax " 16/1 "%03o " "\n"'],
  c: [END_ADDRESS, '"%07.7_ax " 16/1 "%3_c " "\n"'],
  C: ['"%08.8_Ax\n"', '"%08.8_ax  " 8/1 "%02x " "  " 8/1 "%02x " ', '"  |" 16/1 "%_p" "|\n"'],
  d: [END_ADDRESS, '"%07.7_ax " 8/2 "  %05u " "\n"'],
  o: [END_ADDRESS, '"%07.7_ax " 8/2 " %06o " "\n"'],
  x: [END_ADDRESS, '"%07.7_ax " 8/2 "   %04x " "\n"'],
};
const DEFAULT = [END_ADDRESS, '"%07.7_ax " 8/2 "%04x " "\n"'];

const UINTMAX = (1n << 64n) - 1n;

/**
 * util-linux's parse_size: a number (0x hex, 0 octal), then a suffix K M G T P E Z Y (either
 * case) in powers of 1024, of 1000 with a B after it (`KB`), of 1024 with `iB`; a fraction
 * before a suffix (`1.5K`, its digits added as util-linux does). EINVAL or ERANGE otherwise.
 */
export function parseSize(str: string): bigint | 'EINVAL' | 'ERANGE' {
  if (str === '') return 'EINVAL';
  const blanks = /^[ \t\n\v\f\r]*/.exec(str)![0].length;
  if (str[blanks] === '-') return 'EINVAL';
  const m = /^([+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(str.slice(blanks));
  if (!m) return 'EINVAL';
  let x = m[2].length > 1 && m[2][0] === '0' && !/^0[xX]/.test(m[2]) ? BigInt('0o' + m[2].slice(1)) : BigInt(m[2]);
  if (x > UINTMAX) return 'ERANGE';
  let p = str.slice(blanks + m[0].length);
  if (p === '') return x;
  let frac = 0n;
  let fracZeros = 0;
  let base = 1024n;
  for (;;) {
    if (p[1] === 'i' && (p[2] === 'B' || p[2] === 'b') && p.length === 3) base = 1024n;
    else if ((p[1] === 'B' || p[1] === 'b') && p.length === 2) base = 1000n;
    else if (p.length > 1) {
      if (frac === 0n && p[0] === '.') {
        let q = 1;
        while (p[q] === '0') { q++; fracZeros++; }
        const digits = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(p.slice(q));
        let end = q;
        if (digits) {
          frac = /^0[xX]/.test(digits[1]) ? BigInt(digits[1]) : digits[1].length > 1 && digits[1][0] === '0' ? BigInt('0o' + digits[1].slice(1)) : BigInt(digits[1]);
          end = q + digits[1].length;
        }
        if (frac !== 0n && end === p.length) return 'EINVAL';
        p = p.slice(end);
        continue;
      }
      return 'EINVAL';
    }
    break;
  }
  const pwr = 'KMGTPEZY'.indexOf(p[0]) >= 0 ? 'KMGTPEZY'.indexOf(p[0]) + 1 : 'kmgtpezy'.indexOf(p[0]) + 1;
  if (pwr === 0) return 'EINVAL';
  const scaled = scale(x, base, pwr);
  if (scaled === null) return 'ERANGE';
  x = scaled;
  if (frac !== 0n) {
    // util-linux adds each digit of the fraction as base^pwr / (its place / digit).
    const fracBase = scale(1n, base, pwr) ?? 0n;
    let fracDiv = 10n;
    let fracPos = 1n;
    while (fracDiv < frac) { if (fracDiv <= UINTMAX / 10n) fracDiv *= 10n; else frac /= 10n; }
    for (let i = 0; i < fracZeros; i++) { if (fracDiv <= UINTMAX / 10n) fracDiv *= 10n; else frac /= 10n; }
    do {
      const seg = frac % 10n;
      const segDiv = fracDiv / fracPos;
      frac /= 10n;
      fracPos *= 10n;
      if (seg !== 0n && segDiv / seg !== 0n) x += fracBase / (segDiv / seg);
    } while (frac !== 0n);
  }
  return x;
}

function scale(x: bigint, base: bigint, pwr: number): bigint | null {
  for (let i = 0; i < pwr; i++) {
    if (x > UINTMAX / base) return null;
    x *= base;
  }
  return x;
}

export const hexdump: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, { flags: 'bcCdovxhV', withArg: 'efns', optionalArg: 'L', long: LONG });
  const formats: FormatString[] = [];
  let length = -1n;
  let skip = 0n;
  let verbose = false;
  const die = (msg: string) => { ctx.err(`hexdump: ${msg}\n`); return 1; };
  try {
    for (const { key, value } of 'error' in parsed ? parsed.parsed : parsed.opts) {
      if (PREDEFINED[key]) { for (const f of PREDEFINED[key]) formats.push(parseFormat(f)); continue; }
      switch (key) {
        case 'e': formats.push(parseFormat(value)); break;
        case 'f': {
          const r = readText(ctx, value);
          if ('error' in r) return die(`can't read ${value}: ${ERRNO[r.error]}`);
          for (const line of r.text.split('\n')) {
            const t = line.replace(/^[ \t\n\v\f\r]+/, '');
            if (t !== '' && t[0] !== '#') formats.push(parseFormat(line + '\n'));
          }
          break;
        }
        case 'n': case 's': {
          const r = parseSize(value);
          if (typeof r === 'string') {
            return die(`failed to parse ${key === 'n' ? 'length' : 'offset'}: '${value}': ${r === 'EINVAL' ? 'Invalid argument' : 'Numerical result out of range'}`);
          }
          // ssize_t and off_t: what does not fit wraps.
          if (key === 'n') length = BigInt.asIntN(64, r); else skip = BigInt.asIntN(64, r);
          break;
        }
        case 'L':
          if (value !== '' && !['auto', 'never', 'always'].includes(value.toLowerCase())) return die(`unsupported color mode: '${value}'`);
          break;
        case 'v': verbose = true; break;
        case 'h': ctx.out(HELP); return 0;
        case 'V': ctx.out('hexdump from util-linux 2.38.1\n'); return 0;
      }
    }
    if ('error' in parsed) return badOption(ctx, 'hexdump', parsed.error);
    if (formats.length === 0) for (const f of DEFAULT) formats.push(parseFormat(f));
    const blocksize = Math.max(0, ...formats.map((f) => f.bytes));
    for (const f of formats) rewrite(f, blocksize);
    const out = new StdioOut(ctx);
    const dumper = new Dumper(ctx, out, formats, blocksize, parsed.operands, length < 0n && length !== -1n ? -1n : length, skip, verbose);
    const status: number = yield* dumper.run();
    out.close();
    return status;
  } catch (e) {
    if (e instanceof FormatError) return die(e.message);
    throw e;
  }
};

/** The file hexdump reads: its bytes and how far it got, or standard input as it comes. */
interface Current { name: string; input: ByteInput | null; data: string; pos: number; ended: boolean }

/** get(), next() and display() of hexdump-display.c: blocks of input, formatted. */
class Dumper {
  private address = 0n;
  private endAddress = 0n;
  private mode: 'first' | 'wait' | 'dup' | 'all';
  private atEof = true;
  private started = false;
  private previous = '';
  private next = 0;
  private done = false;
  private cur: Current | null = null;
  /** A file failed to open and none opened since (stdin is closed: freopen failed). */
  private closed = false;
  private status = 0;

  constructor(
    private readonly ctx: CmdCtx, private readonly out: StdioOut, private readonly formats: FormatString[],
    private readonly blocksize: number, private readonly files: string[], private length: bigint, private skip: bigint, verbose: boolean,
  ) {
    this.mode = verbose ? 'all' : 'first';
  }

  *run(): TaskGen<number> {
    const endUnit = [...this.formats].flatMap((f) => f.units).filter((u) => u.atEnd).pop() ?? null;
    for (;;) {
      const block: string | null | 'fatal' = yield* this.get();
      if (block === 'fatal') return 1;
      if (block === null) break;
      this.display(block);
      if (!this.out.alive) return this.status;
    }
    if (endUnit) {
      if (this.endAddress === 0n) {
        if (this.address === 0n) return this.status;
        this.endAddress = this.address;
      }
      for (const unit of endUnit.units) {
        if (unit.kind === 'address' || unit.kind === 'text') this.out.write(printUnit(unit, new Uint8Array(0), 0, this.endAddress, false));
      }
    }
    return this.status;
  }

  /** One block through every format string, each from the block's start. */
  private display(block: string): void {
    const bytes = Uint8Array.from(block, (c) => c.charCodeAt(0));
    const start = this.address;
    let text = '';
    for (const fs of this.formats) {
      let at = 0;
      let rem = this.blocksize;
      let address = start;
      units: for (const fu of fs.units) {
        if (fu.atEnd) break;
        for (let cnt = fu.reps; cnt > 0 && rem >= 0; cnt--) {
          for (const unit of fu.units) {
            if (this.endAddress && address >= this.endAddress && unit.kind !== 'text' && unit.kind !== 'blank') toBlank(unit);
            text += printUnit(unit, bytes, at, address, cnt === 1 && unit.noSpaceLast);
            address += BigInt(unit.bytes);
            rem -= unit.bytes;
            if (rem < 0) continue units;
            at += unit.bytes;
          }
        }
      }
    }
    this.out.write(text);
  }

  /** get(): the next block, zero-padded at the end of the input (endAddress set); `*` for repeats. */
  private *get(): TaskGen<string | null | 'fatal'> {
    if (this.started) this.address += BigInt(this.blocksize);
    this.started = true;
    let need = this.blocksize;
    let block = '';
    for (;;) {
      const opened: boolean | 'fatal' = this.length === 0n || !this.atEof ? true : yield* this.openNext();
      if (opened === 'fatal') return 'fatal';
      if (this.length === 0n || (this.atEof && !opened)) {
        if (need === this.blocksize) return null;
        if (need === 0 && this.mode !== 'all' && block === this.previous.slice(0, block.length)) {
          if (this.mode !== 'dup') this.out.write('*\n');
          return null;
        }
        this.endAddress = this.address + BigInt(block.length);
        const padded = block + '\0'.repeat(need);
        this.previous = padded;
        return padded;
      }
      if (this.closed) { this.ctx.err('hexdump: all input file arguments failed\n'); return null; }
      const want = this.length === -1n ? need : Math.min(Number(this.length < BigInt(need) ? this.length : BigInt(need)), need);
      const got: string = yield* this.read(want);
      if (got === '') { this.atEof = true; continue; }
      this.atEof = false;
      if (this.length !== -1n) this.length -= BigInt(got.length);
      block += got;
      need -= got.length;
      if (need === 0) {
        if (this.mode === 'all' || this.mode === 'first' || block !== this.previous) {
          if (this.mode === 'dup' || this.mode === 'first') this.mode = 'wait';
          this.previous = block;
          return block;
        }
        if (this.mode === 'wait') this.out.write('*\n');
        this.mode = 'dup';
        this.address += BigInt(this.blocksize);
        need = this.blocksize;
        block = '';
      }
    }
  }

  /**
   * next(): open the next file (reporting those that do not open), skipping with -s; 'fatal'
   * when the skip cannot seek (err() ends hexdump).
   */
  private *openNext(): TaskGen<boolean | 'fatal'> {
    for (;;) {
      let name: string;
      let statok: boolean;
      if (this.next < this.files.length) {
        name = this.files[this.next];
        const input = openFile(this.ctx, name);
        if (typeof input === 'string') {
          this.ctx.err(`hexdump: ${name}: ${ERRNO[input]}\n`);
          this.status = 1;
          this.closed = true;
          this.cur = null;
          this.next++;
          continue;
        }
        this.closed = false;
        this.done = true;
        statok = true;
        this.cur = { name, input, data: input.kind === 'file' ? input.bytes() : '', pos: 0, ended: true };
      } else {
        if (this.done) return false;
        this.done = true;
        statok = false;
        name = 'stdin';
        if (!this.closed) {
          const input = stdinInput(this.ctx);
          const whole = input.kind === 'stdin' ? input.whole : null;
          if (whole !== null && this.ctx.stdin.kind === 'text') this.ctx.stdin.text = null;
          this.cur = { name: '', input, data: whole ?? '', pos: 0, ended: whole !== null };
        }
      }
      if (this.skip !== 0n) {
        const fatal = this.doSkip(name, statok);
        if (fatal !== null) { this.ctx.err(`hexdump: ${name}: ${fatal}\n`); return 'fatal'; }
      }
      if (this.next < this.files.length) this.next++;
      if (this.skip === 0n) return true;
    }
  }

  /**
   * doskip: a regular file shorter than the skip is skipped whole; anything else is seeked into
   * (a directory or /dev/null takes any offset; a pipe or a closed stdin cannot seek: fatal).
   */
  private doSkip(_name: string, statok: boolean): string | null {
    const cur = this.cur;
    if (statok && cur?.input?.kind === 'file' && cur.input.type === 'regular' && this.skip > BigInt(cur.data.length)) {
      this.skip -= BigInt(cur.data.length);
      this.address += BigInt(cur.data.length);
      cur.pos = cur.data.length;
      return null;
    }
    if (cur === null || this.closed) return 'Bad file descriptor';
    if (!cur.input?.seekable) return 'Illegal seek';
    cur.pos = Number(this.skip < BigInt(cur.data.length) ? this.skip : BigInt(cur.data.length));
    this.address += this.skip;
    this.skip = 0n;
    return null;
  }

  /** fread(): up to `n` bytes of the current file; none at its end (a directory: EISDIR, reported). */
  private *read(n: number): TaskGen<string> {
    const cur = this.cur;
    if (!cur) return '';
    if (cur.input?.kind === 'file' && cur.input.type === 'directory') {
      if (n > 0) this.ctx.err(`hexdump: ${cur.name}: Is a directory\n`);
      return '';
    }
    let got = '';
    while (got.length < n) {
      if (cur.pos >= cur.data.length) {
        if (cur.ended) break;
        const chunk: string | null = yield readChunk(this.ctx);
        if (chunk === null || !alive(this.ctx)) { cur.ended = true; break; }
        cur.data = chunk;
        cur.pos = 0;
        continue;
      }
      const take = Math.min(n - got.length, cur.data.length - cur.pos);
      got += cur.data.slice(cur.pos, cur.pos + take);
      cur.pos += take;
    }
    return got;
  }
}
