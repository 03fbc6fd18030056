/**
 * redis-check-aof [--fix|--truncate-to-timestamp <ts>] <file.manifest|file.aof>
 *
 * Works out what it was given (a manifest, an AOF starting with an RDB preamble, or a plain
 * RESP AOF), checks every file the way the real tool does and prints the same lines:
 * "AOF analyzed: filename=..., size=..., ok_up_to=..., ok_up_to_line=..., diff=...".
 *
 * The valid prefix of a file ends after the last complete command that is not inside an
 * unfinished MULTI. With --fix, after asking "Continue? [y/N]:" on standard input, only the
 * last file of a multi-part AOF may be truncated to that prefix. The reader reproduces the
 * C code's fgets/strtol/fread steps (including its line counter, shared by all files, and
 * the error offsets printed as "0x%16llx") because lessons compare its output.
 */
import type { Os } from '../os';
import type { ProgramContext } from '../programs/program';
import { parseManifest, ManifestError, manifestErrorLines } from '../persistence/aof/manifest';
import { checkRdbImage } from './redis-check-rdb';
import { formatLogTime } from '../server/log';
import { strerror } from '../persistence/errno';
import { bytesToBinary } from '../persistence/rdb/listpack';

class Exit extends Error {
  constructor(readonly code: number) { super(`exit ${code}`); }
}

/** stdio-like reading over a file's bytes. */
class CFile {
  pos = 0;
  eof = false;
  constructor(readonly b: Uint8Array) {}

  /** fgets into `buf` (C semantics: writes the bytes and a NUL, leaves the rest). */
  fgets(buf: Uint8Array, size: number): boolean {
    if (this.pos >= this.b.length) { this.eof = true; return false; }
    let n = 0;
    while (n < size - 1 && this.pos < this.b.length) {
      const c = this.b[this.pos++];
      buf[n++] = c;
      if (c === 10) break;
    }
    if (this.pos >= this.b.length && buf[n - 1] !== 10) this.eof = true;
    buf[n] = 0;
    return true;
  }

  /** fread(target, 1, n): bytes actually read. */
  fread(n: number): Uint8Array {
    const avail = Math.max(0, Math.min(n, this.b.length - this.pos));
    const out = this.b.subarray(this.pos, this.pos + avail);
    this.pos += avail;
    if (avail < n) this.eof = true;
    return out;
  }

  /** fseek(fp, -1, SEEK_CUR): also clears the end-of-file indicator. */
  back1(): void {
    this.pos--;
    this.eof = false;
  }
}

/** C string length of a NUL-terminated buffer. */
function clen(buf: Uint8Array): number {
  const i = buf.indexOf(0);
  return i < 0 ? buf.length : i;
}

/** The bytes of `buf` up to its NUL as a byte string. */
function cstr(buf: Uint8Array): string {
  return bytesToBinary(buf, 0, clen(buf));
}

/** "%02x" of a C `char` (signed: bytes above 0x7f print as ffffffXX). */
function hexChar(c: number): string {
  return c >= 0x80 ? `ffffff${c.toString(16)}` : c.toString(16).padStart(2, '0');
}

/** strtol(s, &end, 10) on bytes: returns the value and where parsing stopped. */
function strtol(buf: Uint8Array, start: number): { value: number; end: number } {
  let i = start;
  while (buf[i] === 32 || (buf[i] >= 9 && buf[i] <= 13)) i++;
  let neg = false;
  if (buf[i] === 43 || buf[i] === 45) { neg = buf[i] === 45; i++; }
  const digitsStart = i;
  let v = 0;
  while (buf[i] >= 48 && buf[i] <= 57) { v = v * 10 + (buf[i] - 48); i++; }
  if (i === digitsStart) return { value: 0, end: start };
  if (v > 9223372036854775807) v = 9223372036854775807;
  return { value: neg ? -v : v, end: i };
}

interface CheckerState {
  os: Os;
  out: (s: string) => void;
  error: string;
  epos: number;
  line: number;
  toTimestamp: number;
  readStdinChar: () => Promise<string | null>;
}

const OK = 0, EMPTY = 1, TRUNCATED = 2, TIMESTAMP_TRUNCATED = 3;

function setError(s: CheckerState, msg: string): void {
  s.error = `0x${s.epos.toString(16).padStart(16, ' ')}: ${msg}`;
}

function consumeNewline(s: CheckerState, buf: Uint8Array, at: number): boolean {
  if (buf[at] !== 13 || buf[at + 1] !== 10) {
    setError(s, `Expected \\r\\n, got: ${hexChar(buf[at])}${hexChar(buf[at + 1])}`);
    return false;
  }
  s.line++;
  return true;
}

function readLong(s: CheckerState, f: CFile, prefix: string): number | null {
  s.epos = f.pos;
  // readLong's buffer is on the stack; what lies past the string is taken to be zeros
  // (what the Debian build prints for a number cut off by the end of the file).
  const buf = new Uint8Array(129);
  if (!f.fgets(buf, 128)) return null;
  if (buf[0] !== prefix.charCodeAt(0)) {
    // A NUL byte ends the C string that carries the message.
    setError(s, buf[0] === 0 ? `Expected prefix '${prefix}', got: '` : `Expected prefix '${prefix}', got: '${String.fromCharCode(buf[0])}'`);
    return null;
  }
  const { value, end } = strtol(buf, 1);
  if (!consumeNewline(s, buf, end)) return null;
  return value;
}

/** processRESP: one command; tracks MULTI/EXEC nesting in `multi`. */
function processRESP(s: CheckerState, f: CFile, filename: string, multi: { n: number }): boolean {
  const argc = readLong(s, f, '*');
  if (argc === null) return false;
  for (let i = 0; i < argc; i++) {
    const len = readLong(s, f, '$');
    if (len === null) return false;
    if (len < 0 || len > 9223372036854775807 - 2) {
      setError(s, `Expected to read string of ${len} bytes, which is not in the suitable range`);
      return false;
    }
    s.epos = f.pos;
    const data = f.fread(len + 2);
    if (data.length !== len + 2) {
      setError(s, `Expected to read ${len + 2} bytes, got ${data.length} bytes`);
      return false;
    }
    if (!consumeNewline(s, data, len)) return false;
    if (i === 0) {
      const name = cstr(data.subarray(0, len)).toLowerCase();
      if (name === 'multi') {
        if (multi.n++) { setError(s, `Unexpected MULTI in AOF ${filename}`); return false; }
      } else if (name === 'exec') {
        if (--multi.n) { setError(s, `Unexpected EXEC in AOF ${filename}`); return false; }
      }
    }
  }
  return true;
}

/** processAnnotations: "#TS:" lines matter only with --truncate-to-timestamp. */
function processAnnotations(s: CheckerState, f: CFile, filename: string, lastFile: boolean): boolean {
  s.epos = f.pos;
  const buf = new Uint8Array(1025);
  if (!f.fgets(buf, 1024)) {
    s.out(`Failed to read annotations from AOF ${filename}, aborting...\n`);
    throw new Exit(1);
  }
  const text = cstr(buf);
  if (s.toTimestamp && text.startsWith('#TS:')) {
    const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text.slice(4));
    const digits = m ? m[0].length : 0;
    if (!m || text[4 + digits] !== '\r') {
      s.out('Invalid timestamp annotation\n');
      throw new Exit(1);
    }
    const ts = Number(m[1]);
    if (ts <= s.toTimestamp) return true;
    if (s.epos === 0) {
      s.out(`AOF ${filename} has nothing before timestamp ${s.toTimestamp}, aborting...\n`);
      throw new Exit(1);
    }
    if (!lastFile) {
      s.out(`Failed to truncate AOF ${filename} to timestamp ${s.toTimestamp} to offset ${s.epos} because it is not the last file.\n`);
      s.out('If you insist, please delete all files after this file according to the manifest file and delete the corresponding records in manifest file manually. Then re-run redis-check-aof.\n');
      throw new Exit(1);
    }
    truncateFile(s.os, filename, s.epos);
    return false;
  }
  return true;
}

function truncateFile(os: Os, path: string, size: number): void {
  const fh = os.fs.open(path, 'append');
  fh.truncate(size);
  fh.close();
}

async function readFileOrExit(s: CheckerState, path: string, msg: (e: unknown) => string): Promise<Uint8Array> {
  try {
    return await s.os.fs.readFile(path);
  } catch (e) {
    s.out(msg(e));
    throw new Exit(1);
  }
}

/** checkSingleAof. */
async function checkSingleAof(s: CheckerState, name: string, path: string, lastFile: boolean, fix: boolean, preamble: boolean): Promise<number> {
  const bytes = await readFileOrExit(s, path, (e) => `Cannot open file ${path}: ${strerror(e)}, aborting...\n`);
  const size = bytes.length;
  if (size === 0) return EMPTY;
  const f = new CFile(bytes);
  if (preamble) {
    let terminated = false;
    const res = checkRdbImage(bytes, name, s.os.now(), {
      out: s.out,
      terminate: (msg) => { terminated = true; s.out(`${s.os.pid}:C ${formatLogTime(s.os, s.os.now())} # ${msg}\n`); },
    });
    if (terminated) throw new Exit(1);
    if (!res.ok) {
      s.out('RDB preamble of AOF file is not sane, aborting.\n');
      throw new Exit(1);
    }
    s.out('RDB preamble is OK, proceeding with AOF tail...\n');
    f.pos = res.end;
  }
  let pos = 0;
  const multi = { n: 0 };
  const one = new Uint8Array(2);
  for (;;) {
    if (!multi.n) pos = f.pos;
    if (!f.fgets(one, 2)) break; // end of file
    f.back1();
    if (one[0] === 35) {
      if (!processAnnotations(s, f, path, lastFile)) return TIMESTAMP_TRUNCATED;
    } else if (one[0] === 42) {
      if (!processRESP(s, f, path, multi)) break;
    } else {
      s.out(`AOF ${name} format error\n`);
      break;
    }
  }
  if (f.eof && multi.n && s.error.length === 0) setError(s, 'Reached EOF before reading EXEC for MULTI');
  if (s.error.length > 0) s.out(`${s.error}\n`);
  const diff = size - pos;
  if (diff === 0 && s.toTimestamp) {
    s.out(`Truncate nothing in AOF ${name} to timestamp ${s.toTimestamp}\n`);
    return OK;
  }
  s.out(`AOF analyzed: filename=${name}, size=${size}, ok_up_to=${pos}, ok_up_to_line=${s.line}, diff=${diff}\n`);
  if (diff > 0) {
    if (fix) {
      if (!lastFile) {
        s.out(`Failed to truncate AOF ${name} because it is not the last file\n`);
        throw new Exit(1);
      }
      s.out(`This will shrink the AOF ${name} from ${size} bytes, with ${diff} bytes, to ${pos} bytes\n`);
      s.out('Continue? [y/N]: ');
      const answer = await s.readStdinChar();
      if (answer === null || answer.toLowerCase() !== 'y') {
        s.out('Aborting...\n');
        throw new Exit(1);
      }
      try {
        truncateFile(s.os, path, pos);
      } catch {
        s.out(`Failed to truncate AOF ${name}\n`);
        throw new Exit(1);
      }
      return TRUNCATED;
    }
    s.out(`AOF ${name} is not valid. Use the --fix option to try fixing it.\n`);
    throw new Exit(1);
  }
  return OK;
}

/** dirname(3). */
function dirname(p: string): string {
  let s = p.replace(/\/+$/, '');
  if (s === '') return p.startsWith('/') ? '/' : '.';
  const i = s.lastIndexOf('/');
  if (i < 0) return '.';
  s = s.slice(0, i).replace(/\/+$/, '');
  return s === '' ? '/' : s;
}

function isManifest(bytes: Uint8Array): boolean {
  const text = bytesToBinary(bytes, 0, bytes.length);
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    end = end < 0 ? text.length : end + 1;
    if (end - pos > 1024) end = pos + 1024;
    const line = text.slice(pos, end);
    pos = end;
    if (line[0] === '#') continue;
    if (line.startsWith('file')) return true;
  }
  return false;
}

function isRdb(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytesToBinary(bytes, 0, 5) === 'REDIS';
}

function reportLine(s: CheckerState, ret: number, kind: string, name: string): void {
  if (ret === OK) s.out(`${kind}${name} is valid\n`);
  else if (ret === EMPTY) s.out(`${kind}${name} is empty\n`);
  else if (ret === TIMESTAMP_TRUNCATED) s.out(`Successfully truncated AOF ${name} to timestamp ${s.toTimestamp}\n`);
  else if (ret === TRUNCATED) s.out(`Successfully truncated AOF ${name}\n`);
}

async function checkMultiPart(s: CheckerState, dir: string, manifestBytes: Uint8Array, fix: boolean): Promise<void> {
  s.out('Start checking Multi Part AOF\n');
  let am;
  try {
    am = parseManifest(bytesToBinary(manifestBytes, 0, manifestBytes.length));
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    for (const l of manifestErrorLines(e)) s.out(`${s.os.pid}:C ${formatLogTime(s.os, s.os.now())} # ${l}\n`);
    throw new Exit(1);
  }
  const total = am.fileCount();
  let n = 0;
  if (am.base) {
    const path = `${dir}/${am.base.name}`;
    const last = ++n === total;
    const bytes = await readFileOrExit(s, path, (e) => `Cannot open file ${path}: ${strerror(e)}\n`);
    const preamble = isRdb(bytes);
    s.out(`Start to check BASE AOF (${preamble ? 'RDB' : 'RESP'} format).\n`);
    const ret = await checkSingleAof(s, am.base.name, path, last, fix, preamble);
    reportLine(s, ret, 'BASE AOF ', am.base.name);
  }
  if (am.incr.length) {
    s.out('Start to check INCR files.\n');
    for (const ai of am.incr) {
      const path = `${dir}/${ai.name}`;
      const last = ++n === total;
      const ret = await checkSingleAof(s, ai.name, path, last, fix, false);
      reportLine(s, ret, 'INCR AOF ', ai.name);
    }
  }
  s.out('All AOF files and manifest are valid\n');
}

/** `redis-check-aof` as a program. */
export async function redisCheckAofMain(ctx: ProgramContext): Promise<void> {
  const { os, argv } = ctx;
  let stdinBuffer = '';
  let stdinEnded = false;
  const s: CheckerState = {
    os, out: (t) => os.stdout(t), error: '', epos: 0, line: 1, toTimestamp: 0,
    readStdinChar: async () => {
      // fgets(buf, 2, stdin): one character, or null at end of input.
      while (stdinBuffer.length === 0 && !stdinEnded) {
        const chunk = await ctx.io.readChunk();
        if (chunk === null) stdinEnded = true; else stdinBuffer += chunk;
      }
      if (stdinBuffer.length === 0) return null;
      const c = stdinBuffer[0];
      stdinBuffer = stdinBuffer.slice(1);
      return c;
    },
  };
  const usage = () => {
    os.stdout(`Usage: ${argv[0]} [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>\n`);
    throw new Exit(1);
  };
  try {
    let filepath = '';
    let fix = false;
    if (argv.length < 2) usage();
    else if (argv.length === 2) filepath = argv[1];
    else if (argv.length === 3) {
      if (argv[1] === '--fix') { filepath = argv[2]; fix = true; } else usage();
    } else if (argv.length === 4) {
      if (argv[1] === '--truncate-to-timestamp') {
        if (!/^[ \t\n\v\f\r]*[+-]?\d+$/.test(argv[2])) {
          os.stdout('Invalid timestamp, aborting...\n');
          throw new Exit(1);
        }
        s.toTimestamp = Number(argv[2]);
        filepath = argv[3];
      } else usage();
    } else usage();

    const bytes = await readFileOrExit(s, filepath, (e) => `Cannot open file ${filepath}: ${strerror(e)}\n`);
    if (bytes.length > 0 && isManifest(bytes)) {
      await checkMultiPart(s, dirname(filepath), bytes, fix);
    } else {
      s.out('Start checking Old-Style AOF\n');
      const ret = await checkSingleAof(s, filepath, filepath, true, fix, isRdb(bytes));
      reportLine(s, ret, 'AOF ', filepath);
    }
    os.exit(0);
  } catch (e) {
    if (e instanceof Exit) { os.exit(e.code); return; }
    throw e;
  }
}
