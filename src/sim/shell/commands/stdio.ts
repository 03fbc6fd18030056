/**
 * What the C byte viewers (xxd, od, hexdump) share: their standard output as glibc's stdio
 * buffers it, and their input as a stream of bytes from a file or standard input.
 *
 * The buffering matters where stdout and stderr meet (`2>&1`, a terminal): a C program's
 * messages go out at once (stderr is unbuffered) while its output waits in a 4 KiB buffer
 * (the st_blksize of a pipe or an ext4 file) unless stdout is a terminal, which is
 * line-buffered. So xxd's `Sorry, cannot seek backwards.` comes before the bytes it wrote;
 * GNU tools' error() flushes stdout first (`flush`), so od's messages come where they happen.
 */
import type { CmdCtx } from '../context';
import { abs, readChunk } from '../context';
import { bytesToLatin1 } from '../../kernel/kernel';
import type { TaskGen } from '../../kernel/tasks';
import { alive } from './operands';

/** glibc's buffer for a pipe or a regular file on ext4 (st_blksize). */
export const STDIO_BUFFER_BYTES = 4096;

export class StdioOut {
  private pending = '';
  private readonly lineBuffered: boolean;

  constructor(private readonly ctx: CmdCtx) {
    this.lineBuffered = ctx.proc.stdout.kind === 'tty';
  }

  write(text: string): void {
    this.pending += text;
    if (this.lineBuffered) {
      const end = this.pending.lastIndexOf('\n') + 1;
      if (end > 0) this.emit(end);
    } else if (this.pending.length >= STDIO_BUFFER_BYTES) {
      this.emit(this.pending.length - (this.pending.length % STDIO_BUFFER_BYTES));
    }
  }

  /** fflush(stdout): what is buffered goes out (glibc's error() does it before its message). */
  flush(): void {
    if (this.pending !== '') this.emit(this.pending.length);
  }

  /** exit() (or fclose) flushes what is left. */
  close(): void { this.flush(); }

  /** Whether the process still lives (a closed pipe's SIGPIPE ends it): producers stop when not. */
  get alive(): boolean { return alive(this.ctx); }

  private emit(n: number): void {
    const text = this.pending.slice(0, n);
    this.pending = this.pending.slice(n);
    this.ctx.out(text);
  }
}

/**
 * An input stream as a C program opens it: a file's bytes (read as the page cache has them when
 * it reads), or standard input chunk by chunk. `seekable` is what lseek(2) would allow: a
 * regular file, standard input redirected from one (`< file`) or /dev/null; not a pipe or a
 * terminal.
 */
export type ByteInput =
  /**
   * `type`: a directory opens (fopen succeeds) but cannot be read, EISDIR at the first read;
   * /dev/null is a character device, which reads empty and seeks anywhere.
   */
  | { kind: 'file'; bytes: () => string; seekable: true; type: 'regular' | 'directory' | 'device' }
  | { kind: 'stdin'; seekable: boolean; whole: string | null };

/**
 * fopen(NAME, "r"): the file, or open(2)'s errno — ENOTDIR when a component before the last
 * is a file (`text/x`, `text/`). /dev/null reads empty.
 */
export function openFile(ctx: CmdCtx, name: string): ByteInput | 'ENOENT' | 'ENOTDIR' {
  const path = abs(ctx, name);
  if (path === '/dev/null') return { kind: 'file', seekable: true, type: 'device', bytes: () => '' };
  const node = name === '' ? null : ctx.host.disk.lookup(path);
  if (node && (node.isDir || !name.endsWith('/'))) {
    return { kind: 'file', seekable: true, type: node.isDir ? 'directory' : 'regular', bytes: () => (node.isDir ? '' : bytesToLatin1(node.bytes())) };
  }
  if (node) return 'ENOTDIR';
  const parts = path.split('/');
  for (let k = 2; k < parts.length; k++) {
    const parent = ctx.host.disk.lookup(parts.slice(0, k).join('/'));
    if (parent && !parent.isDir) return 'ENOTDIR';
  }
  return 'ENOENT';
}

/** Standard input as a ByteInput: a redirected file is seekable, its bytes known at once. */
export function stdinInput(ctx: CmdCtx): ByteInput {
  const src = ctx.stdin;
  if (src.kind === 'null') return { kind: 'stdin', seekable: true, whole: '' };
  if (src.kind === 'text' && src.file) return { kind: 'stdin', seekable: true, whole: src.text ?? '' };
  return { kind: 'stdin', seekable: false, whole: null };
}

/** Everything the input holds (to its end), read from standard input as it comes. */
export function* readAll(ctx: CmdCtx, input: ByteInput): TaskGen<string> {
  if (input.kind === 'file') return input.bytes();
  if (input.whole !== null) { consumeStdin(ctx); return input.whole; }
  let s = '';
  for (;;) {
    const c: string | null = yield readChunk(ctx);
    if (c === null || !alive(ctx)) return s;
    s += c;
  }
}

/** Feed the input to `onChunk` chunk by chunk, as it arrives; stops early when it returns false. */
export function* eachChunk(ctx: CmdCtx, input: ByteInput, onChunk: (bytes: string) => boolean | void): TaskGen<void> {
  if (input.kind === 'file' || input.whole !== null) {
    const bytes = input.kind === 'file' ? input.bytes() : input.whole!;
    if (input.kind === 'stdin') consumeStdin(ctx);
    if (bytes !== '') onChunk(bytes);
    return;
  }
  for (;;) {
    const c: string | null = yield readChunk(ctx);
    if (c === null || !alive(ctx)) return;
    if (onChunk(c) === false) return;
  }
}

/** A redirected file read through: the next reader of this standard input finds its end. */
function consumeStdin(ctx: CmdCtx): void {
  if (ctx.stdin.kind === 'text') ctx.stdin.text = null;
}

/**
 * Several operands read as one stream, the way od and hexdump concatenate their files: the
 * next file is opened only when more bytes are needed (so `od -N 4 a missing` never notices
 * `missing`), a file that does not open is reported and skipped, and a directory opens but
 * fails at its first read (EISDIR), reported as the chain moves past it. `-` is standard input.
 */
export class InputChain {
  /** False once a file failed to open or to read. */
  ok = true;
  private next = 0;
  private cur: { name: string; input: ByteInput; data: string; pos: number; ended: boolean } | null = null;

  constructor(
    private readonly ctx: CmdCtx,
    private readonly files: string[],
    /** How the tool reports a file it cannot open or read (`od: NAME: No such file or directory`). */
    private readonly report: (name: string, errno: 'ENOENT' | 'ENOTDIR' | 'EISDIR') => void,
  ) {}

  /** The first file that opens; false when every one failed. */
  open(): boolean {
    return this.openNext();
  }

  /** Whether the chain is past its last file. */
  get done(): boolean { return this.cur === null; }

  private openNext(): boolean {
    this.cur = null;
    while (this.next < this.files.length) {
      const name = this.files[this.next++];
      const input = name === '-' ? stdinInput(this.ctx) : openFile(this.ctx, name);
      if (typeof input === 'string') { this.report(name, input); this.ok = false; continue; }
      const data = input.kind === 'stdin' ? input.whole ?? '' : input.bytes();
      if (input.kind === 'stdin' && input.whole !== null && this.ctx.stdin.kind === 'text') this.ctx.stdin.text = null;
      this.cur = { name, input, data, pos: 0, ended: input.kind === 'file' || input.whole !== null };
      return true;
    }
    return false;
  }

  /** Done with the current file: a directory's failed read is reported now; the next one opens. */
  private advance(): void {
    const cur = this.cur!;
    if (cur.input.kind === 'file' && cur.input.type === 'directory') { this.report(cur.name, 'EISDIR'); this.ok = false; }
    this.openNext();
  }

  /** More bytes of the current file in `data` (standard input as it comes); false at its end. */
  private *fill(): TaskGen<boolean> {
    const cur = this.cur!;
    if (cur.pos < cur.data.length) return true;
    if (cur.ended) return false;
    const chunk: string | null = yield readChunk(this.ctx);
    if (chunk === null || !alive(this.ctx)) { cur.ended = true; return false; }
    cur.data = chunk;
    cur.pos = 0;
    return true;
  }

  /** Up to `n` bytes, across files; fewer only at the end of the last one. */
  *read(n: number): TaskGen<string> {
    let out = '';
    while (out.length < n && this.cur) {
      if (!(yield* this.fill())) { this.advance(); continue; }
      const cur = this.cur;
      const take = Math.min(n - out.length, cur.data.length - cur.pos);
      out += cur.data.slice(cur.pos, cur.pos + take);
      cur.pos += take;
    }
    return out;
  }

  /**
   * Skip `n` bytes across files (od's -j): what is left to skip when the input ended first. A
   * directory or a device takes any skip at once (fseek succeeds there and reads nothing), so
   * the bytes after it are not skipped, as in od.
   */
  *skip(n: bigint): TaskGen<bigint> {
    while (n > 0n && this.cur) {
      const cur = this.cur;
      if (cur.input.kind === 'file' && cur.input.type !== 'regular') return 0n;
      if (!(yield* this.fill())) { this.advance(); continue; }
      const take = Math.min(Number(n < BigInt(cur.data.length - cur.pos) ? n : BigInt(cur.data.length - cur.pos)), cur.data.length - cur.pos);
      cur.pos += take;
      n -= BigInt(take);
    }
    return n;
  }
}
