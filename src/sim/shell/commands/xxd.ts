/**
 * `xxd` as Debian 12 ships it (vim 9.0's xxd, "xxd 2022-01-14"): the hex dump with its text
 * column (`-c`, `-g`, `-u`, `-e` little-endian groups, `-b` bits, `-a` autoskip of zero lines),
 * plain hex (`-p`), a C array (`-i`, `-n`, `-C`), `-l`, `-s [+][-]N`, `-o`, `-d`, an output
 * file, and `-r` turning a dump (or plain hex with `-p`) back into bytes, patching an output file
 * in place. Options are read as xxd reads them: by their first two characters (`-ps`, `-cols 8`,
 * `--len 4`), the last of -b/-e/-p/-i winning, numbers by strtol (`0x10`, `010`), anything
 * unknown printing the usage. Not here: -E (EBCDIC), which answers that it is not available.
 */
import type { CmdCtx, Command } from '../context';
import { abs, ERRNO, writeText } from '../context';
import { bytesToLatin1 } from '../../kernel/kernel';
import { strtol, strtoul, toInt } from '../c-strtol';
import { eachChunk, openFile, readAll, StdioOut, stdinInput, type ByteInput } from './stdio';

const VERSION = 'xxd 2022-01-14 by Juergen Weigert et al.';
/** The widest line xxd lays out. */
const MAX_COLS = 256;

const USAGE = `Usage:
       xxd [options] [infile [outfile]]
    or
       xxd -r [-s [-]offset] [-c cols] [-ps] [infile [outfile]]
Options:
    -a          toggle autoskip: A single '*' replaces nul-lines. Default off.
    -b          binary digit dump (incompatible with -ps,-i,-r). Default hex.
    -C          capitalize variable names in C include file style (-i).
    -c cols     format <cols> octets per line. Default 16 (-i: 12, -ps: 30).
    -E          show characters in EBCDIC. Default ASCII.
    -e          little-endian dump (incompatible with -ps,-i,-r).
    -g bytes    number of octets per group in normal output. Default 2 (-e: 4).
    -h          print this summary.
    -i          output in C include file style.
    -l len      stop after <len> octets.
    -n name     set the variable name used in C include output (-i).
    -o off      add <off> to the displayed file position.
    -ps         output in postscript plain hexdump style.
    -r          reverse operation: convert (or patch) hexdump into binary.
    -r -s off   revert with <off> added to file positions found in hexdump.
    -d          show offset in decimal instead of hex.
    -s [+][-]seek  start at <seek> bytes abs. (or +: rel.) infile offset.
    -u          use upper case hex letters.
    -v          show version: "${VERSION}".
`;

type HexType = 'normal' | 'postscript' | 'include' | 'bits' | 'littleEndian';

interface Options {
  autoskip: boolean;
  hexType: HexType;
  upper: boolean;
  capitalize: boolean;
  decimal: boolean;
  revert: boolean;
  ebcdic: boolean;
  cols: number;
  colsGiven: boolean;
  /** Octets per group; -1 until given. */
  group: number;
  /** Bytes to dump; negative: all. */
  length: bigint;
  seekGiven: boolean;
  seek: bigint;
  relativeSeek: boolean;
  negativeSeek: boolean;
  displayOffset: bigint;
  varName: string | null;
  operands: string[];
}

/** xxd's own option loop: each word is matched by its first two characters. */
function parseArgs(argv: string[]): Options | 'usage' | 'version' {
  const o: Options = {
    autoskip: false, hexType: 'normal', upper: false, capitalize: false, decimal: false, revert: false, ebcdic: false,
    cols: 0, colsGiven: false, group: -1, length: -1n, seekGiven: false, seek: 0n, relativeSeek: true, negativeSeek: false,
    displayOffset: 0n, varName: null, operands: [],
  };
  let i = 1;
  for (; i < argv.length; i++) {
    const word = argv[i];
    // `--name` is read as `-name`.
    const pp = word.startsWith('--') && word.length > 2 ? word.slice(1) : word;
    const head = pp.slice(0, 2);
    const attached = pp.length > 2;
    /** The option's value in the next word; undefined when there is none (usage). */
    const nextWord = (): string | undefined => (i + 1 < argv.length ? argv[++i] : undefined);
    if (head === '-a') o.autoskip = !o.autoskip;
    else if (head === '-b') o.hexType = 'bits';
    else if (head === '-e') o.hexType = 'littleEndian';
    else if (head === '-u') o.upper = true;
    else if (head === '-p') o.hexType = 'postscript';
    else if (head === '-i') o.hexType = 'include';
    else if (head === '-C') o.capitalize = true;
    else if (head === '-d') o.decimal = true;
    else if (head === '-r') o.revert = true;
    else if (head === '-E') o.ebcdic = true;
    else if (head === '-v') return 'version';
    else if (head === '-c') {
      if (attached && pp.slice(2, 11) === 'apitalize') o.capitalize = true;
      else {
        const v = attached && pp.slice(2, 5) !== 'ols' ? pp.slice(2) : nextWord();
        if (v === undefined) return 'usage';
        o.colsGiven = true;
        o.cols = toInt(strtol(v));
      }
    } else if (head === '-g') {
      const v = attached && pp.slice(2, 6) !== 'roup' ? pp.slice(2) : nextWord();
      if (v === undefined) return 'usage';
      o.group = toInt(strtol(v));
    } else if (head === '-o') {
      if (attached && pp.slice(2, 7) !== 'ffset') o.displayOffset = strtoul(pp.slice(2));
      else {
        const v = nextWord();
        if (v === undefined) return 'usage';
        const plus = v[0] === '+' ? 1 : 0;
        const minus = v[plus] === '-' ? 1 : 0;
        const value = strtoul(v.slice(plus + minus));
        o.displayOffset = minus ? BigInt.asUintN(64, -value) : value;
      }
    } else if (head === '-s') {
      o.seekGiven = true;
      const v = attached && pp.slice(2, 5) !== 'kip' && pp.slice(2, 5) !== 'eek' ? pp.slice(2) : nextWord();
      if (v === undefined) return 'usage';
      o.relativeSeek = v[0] === '+';
      const plus = o.relativeSeek ? 1 : 0;
      o.negativeSeek = v[plus] === '-';
      o.seek = strtol(v.slice(plus + (o.negativeSeek ? 1 : 0)));
    } else if (head === '-l') {
      const v = attached && pp.slice(2, 4) !== 'en' ? pp.slice(2) : nextWord();
      if (v === undefined) return 'usage';
      o.length = strtol(v);
    } else if (head === '-n') {
      const v = attached && pp.slice(2, 5) !== 'ame' ? pp.slice(2) : nextWord();
      if (v === undefined) return 'usage';
      o.varName = v;
    } else if (pp === '--') { i++; break; }
    else if (pp[0] === '-' && pp.length > 1) return 'usage';
    else break;
  }
  o.operands = argv.slice(i);
  return o;
}

/** The defaults each output style takes for -c and -g. */
function settle(o: Options): string | null {
  if (!o.colsGiven || (o.cols === 0 && o.hexType !== 'postscript')) {
    o.cols = { postscript: 30, include: 12, bits: 6, normal: 16, littleEndian: 16 }[o.hexType];
  }
  if (o.group < 0) o.group = { bits: 1, normal: 2, littleEndian: 4, postscript: 0, include: 0 }[o.hexType];
  const lineStyle = o.hexType === 'normal' || o.hexType === 'bits' || o.hexType === 'littleEndian';
  if ((o.hexType === 'postscript' && o.cols < 0) || (o.hexType !== 'postscript' && o.cols < 1) || (lineStyle && o.cols > MAX_COLS)) {
    return `xxd: invalid number of columns (max. ${MAX_COLS}).\n`;
  }
  if (o.group < 1 || o.group > o.cols) o.group = o.cols;
  else if (o.hexType === 'littleEndian' && (o.group & (o.group - 1)) !== 0) return 'xxd: number of octets per group must be a power of 2 with -e.\n';
  return null;
}

/** Where xxd writes: standard output through stdio, or the output file it opened. */
interface Output {
  write(text: string): void;
  /** fclose: what is buffered goes out. */
  close(): void;
}

function fileOutput(ctx: CmdCtx, path: string): Output {
  const parts: string[] = [];
  return {
    write(text) { parts.push(text); },
    close() { if (parts.length) writeText(ctx, path, parts.join(''), true); },
  };
}

export const xxd: Command = function* (ctx, argv) {
  const o = parseArgs(argv);
  if (o === 'usage') { ctx.err(USAGE); return 1; }
  if (o === 'version') { ctx.err(`${VERSION}\n`); return 0; }
  const problem = settle(o);
  if (problem) { ctx.err(problem); return 1; }
  if (o.operands.length > 2) { ctx.err(USAGE); return 1; }
  if (o.ebcdic) { ctx.err('xxd: -E (EBCDIC) is not available on this simulated host\n'); return 1; }

  const [inName, outName] = o.operands;
  let input: ByteInput;
  let fromStdin = false;
  let inputIsDir = false;
  if (inName === undefined || inName === '-') {
    input = stdinInput(ctx);
    fromStdin = true;
  } else {
    const opened = openFile(ctx, inName);
    if (typeof opened === 'string') { ctx.err(`xxd: ${inName}: ${ERRNO[opened]}\n`); return 2; }
    input = opened;
    inputIsDir = opened.kind === 'file' && opened.type === 'directory';
  }

  let out: Output;
  let seekableOut = false;
  let patchBase = '';
  if (outName === undefined || outName === '-') {
    out = new StdioOut(ctx);
  } else {
    // -r patches the file (no O_TRUNC); a dump replaces it.
    const err = writeText(ctx, outName, '', o.revert);
    if (err !== null) { ctx.err(`xxd: ${outName}: ${ERRNO[err] ?? err}\n`); return 3; }
    if (o.revert) {
      const node = ctx.host.disk.lookup(abs(ctx, outName));
      patchBase = node && !node.isDir ? bytesToLatin1(node.bytes()) : '';
      seekableOut = true;
    }
    out = fileOutput(ctx, outName);
  }

  if (o.revert) {
    if (o.hexType !== 'normal' && o.hexType !== 'postscript') {
      ctx.err('xxd: Sorry, cannot revert this type of hexdump\n');
      out.close();
      return 255;
    }
    const text: string = inputIsDir ? '' : yield* readAll(ctx, input);
    const baseOffset = Number(o.negativeSeek ? -o.seek : o.seek);
    const r = revertDump(text, o.cols, o.hexType === 'postscript', baseOffset, seekableOut ? patchBase : null);
    if (seekableOut) {
      // The patched file: rewritten whole.
      writeText(ctx, outName!, r.bytes, false);
    } else out.write(r.bytes);
    if (r.error) ctx.err(`xxd: ${r.error.message}\n`);
    out.close();
    return r.error?.status ?? 0;
  }

  // -s: seek (a file), or read and drop (a pipe); a position before the start fails.
  const skipped = seekInput(o, input);
  if (skipped === 'fail') { ctx.err('xxd: Sorry, cannot seek.\n'); out.close(); return 4; }
  let toDrop = skipped.drop;
  let fromByte = skipped.fromByte;
  const dumper = makeDumper(o, out, fromStdin, inName, skipped.position);
  let started = false;
  const start = () => { if (!started) { started = true; dumper.start(); } };
  if (toDrop === 0n) start();
  if (inputIsDir) {
    // fopen() of a directory succeeds; its first read fails (-l 0 reads nothing).
    if (o.length !== 0n) { ctx.err('xxd: Is a directory\n'); out.close(); return 2; }
  } else if (toDrop !== 0n || o.length !== 0n) {
    let budget = o.length;
    yield* eachChunk(ctx, input, (chunk) => {
      let bytes = fromByte > 0 ? chunk.slice(fromByte) : chunk;
      fromByte = 0;
      if (toDrop !== 0n) {
        // xxd's `while (s--) getc()`: a negative count reads on to the end.
        const take = toDrop > 0n && toDrop < BigInt(bytes.length) ? Number(toDrop) : bytes.length;
        bytes = bytes.slice(take);
        toDrop -= BigInt(take);
        if (toDrop !== 0n) return true;
        start();
      }
      if (budget === 0n) return false;
      if (budget > 0n && BigInt(bytes.length) > budget) bytes = bytes.slice(0, Number(budget));
      dumper.feed(bytes);
      if (budget > 0n) budget -= BigInt(bytes.length);
      return budget !== 0n && dumper.alive();
    });
  }
  if (toDrop !== 0n) { ctx.err('xxd: Sorry, cannot seek.\n'); out.close(); return 4; }
  dumper.end();
  out.close();
  return 0;
};

/**
 * Where -s leaves the input. A seekable input moves there (`position`, which the addresses
 * start from, and `fromByte` into its bytes); a pipe has `drop` bytes read and thrown away
 * (a negative count reads to the end, as xxd's `while (s--)` loop does), its addresses starting
 * at the number given. A seek before the start of a file, or from the end of a pipe, fails.
 */
function seekInput(o: Options, input: ByteInput): { position: bigint; drop: bigint; fromByte: number } | 'fail' {
  if (!o.seekGiven) return { position: 0n, drop: 0n, fromByte: 0 };
  const signed = o.negativeSeek ? -o.seek : o.seek;
  if (input.seekable) {
    const length = input.kind === 'file' ? BigInt(input.bytes().length) : BigInt(input.whole!.length);
    const target = o.relativeSeek || !o.negativeSeek ? signed : length + signed;
    if (target >= 0n) return { position: target, drop: 0n, fromByte: target > length ? Number(length) : Number(target) };
    if (o.negativeSeek) return 'fail';
    // fseek refused a negative position: xxd falls back to reading, which never gets there.
    return { position: o.seek, drop: o.seek, fromByte: 0 };
  }
  if (o.negativeSeek) return 'fail';
  return { position: o.seek, drop: o.seek, fromByte: 0 };
}

interface Dumper {
  /** Before the first byte is read (-i's header). */
  start(): void;
  feed(bytes: string): void;
  end(): void;
  alive(): boolean;
}

const HEX_LOWER = '0123456789abcdef';
const HEX_UPPER = '0123456789ABCDEF';

function makeDumper(o: Options, out: Output, fromStdin: boolean, inName: string | undefined, start: bigint): Dumper {
  const hex = o.upper ? HEX_UPPER : HEX_LOWER;
  const alive = () => !(out instanceof StdioOut) || out.alive;
  if (o.hexType === 'postscript') {
    let left = o.cols;
    return {
      start() {},
      feed(bytes) {
        let s = '';
        for (let k = 0; k < bytes.length; k++) {
          const e = bytes.charCodeAt(k);
          s += hex[e >> 4] + hex[e & 15];
          if (o.cols > 0 && --left === 0) { s += '\n'; left = o.cols; }
        }
        out.write(s);
      },
      end() { if (o.cols === 0 || left < o.cols) out.write('\n'); },
      alive,
    };
  }
  if (o.hexType === 'include') return includeDumper(o, out, fromStdin ? null : inName ?? null, alive);
  return lineDumper(o, out, start, alive);
}

/** `-i`: the bytes as a C array, named after the input file (or -n), with its length. */
function includeDumper(o: Options, out: Output, fileName: string | null, alive: () => boolean): Dumper {
  const name = o.varName ?? fileName;
  // A C identifier: every byte that is not a letter or digit becomes `_`; a leading digit gets `__`.
  const ident = name === null ? '' : (/^[0-9]/.test(name) ? '__' : '') + [...name].map((c) => (/[A-Za-z0-9]/.test(c) ? (o.capitalize ? c.toUpperCase() : c) : '_')).join('');
  let p = 0;
  return {
    start() { if (name !== null) out.write(`unsigned char ${ident}[] = {\n`); },
    feed(bytes) {
      let s = '';
      for (let k = 0; k < bytes.length; k++) {
        const e = bytes.charCodeAt(k);
        const lead = p % o.cols ? ', ' : p === 0 ? '  ' : ',\n  ';
        const digits = e.toString(16).padStart(2, '0');
        s += lead + (o.upper ? `0X${digits.toUpperCase()}` : `0x${digits}`);
        p++;
      }
      out.write(s);
    },
    end() {
      if (p) out.write('\n');
      if (name !== null) out.write(`};\nunsigned int ${ident}_${o.capitalize ? 'LEN' : 'len'} = ${p};\n`);
    },
    alive,
  };
}

/**
 * The dump lines: address, hex (or bits) in groups, the text column. The layout is xxd's: the
 * byte at position p of a line goes at column addr + 1 + groupWidth·x / group, x being p (its
 * group reversed with -e), and its character at addr + 3 + (groupWidth·cols − 1) / group + p,
 * in a line of spaces cut after the last character.
 */
function lineDumper(o: Options, out: Output, start: bigint, alive: () => boolean): Dumper {
  const hex = o.upper ? HEX_UPPER : HEX_LOWER;
  const bits = o.hexType === 'bits';
  const g = o.group;
  const groupWidth = bits ? 8 * g + 1 : 2 * g + 1;
  const textColumn = Math.floor((groupWidth * o.cols - 1) / g);
  const squeeze = new ZeroLineSqueezer(out);
  let n = 0n;
  let p = 0;
  let nonzero = 0;
  /** The line being laid out; room enough that -e's reversed groups cannot run past it. */
  let line: string[] = [];
  let addrLength = 0;
  let end = 0;
  let lastLine = '';
  const finishLine = () => line.slice(0, end).join('') + '\n';
  return {
    start() {},
    feed(bytes) {
      for (let k = 0; k < bytes.length; k++) {
        const e = bytes.charCodeAt(k);
        if (p === 0) {
          const addr = lineAddress(n + start + o.displayOffset, o.decimal);
          addrLength = addr.length;
          line = new Array<string>(addrLength + 8 + groupWidth * (o.cols + g) + o.cols).fill(' ');
          for (let q = 0; q < addrLength; q++) line[q] = addr[q];
        }
        const x = o.hexType === 'littleEndian' ? p ^ (g - 1) : p;
        let c = addrLength + 1 + Math.floor((groupWidth * x) / g);
        if (bits) {
          for (let b = 7; b >= 0; b--) line[c++] = (e >> b) & 1 ? '1' : '0';
        } else {
          line[c] = hex[e >> 4];
          line[c + 1] = hex[e & 15];
        }
        if (e) nonzero++;
        c = addrLength + 3 + textColumn + p;
        line[c] = e > 31 && e < 127 ? String.fromCharCode(e) : '.';
        end = c + 1;
        n++;
        if (++p === o.cols) {
          lastLine = finishLine();
          squeeze.line(lastLine, o.autoskip ? nonzero : 1);
          nonzero = 0;
          p = 0;
        }
      }
    },
    end() {
      if (p) squeeze.line(finishLine(), 1);
      else if (o.autoskip) squeeze.line(lastLine, -1);
    },
    alive,
  };
}

/** `%08lx:` (or `%08ld:` with -d, of the unsigned value: negative once its top bit is set). */
function lineAddress(at: bigint, decimal: boolean): string {
  const v = BigInt.asUintN(64, at);
  if (!decimal) return v.toString(16).padStart(8, '0') + ':';
  const signed = BigInt.asIntN(64, v);
  const digits = (signed < 0n ? -signed : signed).toString();
  return (signed < 0n ? '-' + digits.padStart(7, '0') : digits.padStart(8, '0')) + ':';
}

/**
 * xxdline(): with -a, a run of lines of zeros prints its first line, then `*` for the rest but
 * the last; a run of just two prints both. `nonzero` is the count of nonzero bytes in the line,
 * 1 for a line always printed, -1 at the end to flush a run the dump ends with.
 */
class ZeroLineSqueezer {
  private zeroLines = 0;
  private second = '';

  constructor(private readonly out: Output) {}

  line(text: string, nonzero: number): void {
    if (nonzero === 0) {
      if (this.zeroLines === 1) this.second = text;
      if (this.zeroLines++ === 0) this.out.write(text);
      return;
    }
    if (nonzero < 0) this.zeroLines--;
    if (this.zeroLines === 2) this.out.write(this.second);
    if (this.zeroLines > 2) this.out.write('*\n');
    if (nonzero > 0 || this.zeroLines > 0) this.out.write(text);
    this.zeroLines = 0;
  }
}

/**
 * `-r`: bytes from a dump. Each line's address comes first (hex digits up to the first
 * non-digit), then pairs of hex digits, at most `cols` a line, the rest of the line ignored
 * once a pair is broken by two non-digits; with -p, every pair of hex digits anywhere, blanks
 * skipped. Bytes go at baseOffset + the address: into `patch` (an output file, whose other
 * bytes stay), or appended to standard output, which cannot go back.
 */
function revertDump(text: string, cols: number, plain: boolean, baseOffset: number, patch: string | null): { bytes: string; error: { message: string; status: number } | null } {
  const file = patch === null ? null : Array.from(patch, (ch) => ch.charCodeAt(0));
  const piped: number[] = [];
  let have = 0;
  let want = 0;
  let n1 = -1;
  let n2 = 0;
  let n3 = 0;
  let p = cols;
  let skipGarbage = true;
  let error: { message: string; status: number } | null = null;
  const put = (b: number) => {
    if (file) { while (file.length < have) file.push(0); file[have] = b; } else piped.push(b);
  };
  const result = () => ({ bytes: byteString(file ?? piped), error });
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c === 13) continue;
    if (plain && (c === 32 || c === 10 || c === 9)) continue;
    n3 = n2;
    n2 = n1;
    n1 = hexDigit(c);
    if (n1 === -1 && skipGarbage) continue;
    skipGarbage = false;
    if (!plain && p >= cols) {
      // The address: hex digits up to the first other character.
      if (n1 < 0) { p = 0; continue; }
      want = Number(BigInt.asIntN(64, (BigInt(want) << 4n) | BigInt(n1)));
      continue;
    }
    if (baseOffset + want !== have) {
      const target = baseOffset + want;
      if (file && target >= 0) have = target;
      else {
        if (target < have) { error = { message: 'Sorry, cannot seek backwards.', status: 5 }; return result(); }
        if (target - have > FILL_LIMIT_BYTES) { error = { message: 'No space left on device', status: 3 }; return result(); }
        for (; have < target; have++) put(0);
      }
    }
    if (n2 >= 0 && n1 >= 0) {
      put((n2 << 4) | n1);
      have++;
      want++;
      n1 = -1;
      if (!plain && ++p >= cols) { const k = skipToEol(text, i); i = k.index; c = k.c; }
    } else if (n1 < 0 && n2 < 0 && n3 < 0) {
      const k = skipToEol(text, i);
      i = k.index;
      c = k.c;
    }
    if (c === 10) {
      if (!plain) want = 0;
      p = cols;
      skipGarbage = true;
    }
  }
  return result();
}

/**
 * How far a gap in the offsets may be filled with zeros on standard output: a dump whose
 * addresses jump by gigabytes makes the real xxd write zeros until the disk is full.
 */
const FILL_LIMIT_BYTES = 1 << 30;

/** The rest of the line is garbage: the index of its newline (c 10), or the end (c -1). */
function skipToEol(text: string, i: number): { index: number; c: number } {
  let k = i;
  let c = text.charCodeAt(k);
  while (c !== 10) {
    k++;
    if (k >= text.length) return { index: k, c: -1 };
    c = text.charCodeAt(k);
  }
  return { index: k, c };
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Byte codes as a byte string, in slices small enough to spread into String.fromCharCode. */
function byteString(codes: number[]): string {
  let s = '';
  for (let k = 0; k < codes.length; k += 8192) s += String.fromCharCode(...codes.slice(k, k + 8192));
  return s;
}
