/**
 * The pseudo-terminal an sshd session gives a login over ssh (`ssh redis-2`, `ssh -t`): the
 * remote shell and what it runs read and write it as they do a local terminal; its output goes
 * back over the connection, and its input comes from the client's terminal.
 *
 * The simulated terminals are line-based (the page edits a line and sends it whole), so instead
 * of a stream of keys the pty tells the client when its reader wants a line and how (prompt,
 * masking, a line editor's raw mode: the `read@halab` request), the client reads that line
 * from its own terminal, which shows the prompt and echoes it, and sends it back. Ctrl-C and
 * Ctrl-D come as the bytes a terminal sends for them (0x03, 0x04): the pty interrupts its
 * foreground processes, or the shell at its prompt, and ends a read, as a line discipline does.
 *
 * Its id is the client's terminal's, so `vi` run over ssh opens the page's editor on the
 * terminal the learner is typing into.
 */
import type { Host } from '../kernel/host';
import type { Kernel } from '../kernel/kernel';
import type { LineReader, Terminal } from '../kernel/process';

export interface PtyLink {
  /** Output for the client's terminal. */
  output(text: string): void;
  /** The reader the client should read a line for, or null when none waits. */
  reading(r: { prompt: string; mask: boolean; raw: boolean } | null): void;
}

export class RemotePty implements Terminal {
  readonly foreground = new Set<number>();
  private readonly readers: LineReader[] = [];
  private readonly typeahead: (string | null)[] = [];
  /** The reader the client was last told of. */
  private told: LineReader | null = null;
  closed = false;
  /** Pid of the login shell (Ctrl-C at its prompt goes to it). */
  shellPid = 0;

  constructor(readonly id: number, readonly host: Host, readonly name: string, public columns: number, public lines: number, private readonly kernel: Kernel, private readonly link: PtyLink) {}

  write(text: string): void {
    if (this.closed || text.length === 0) return;
    this.link.output(text);
  }

  requestLine(reader: LineReader): void {
    if (this.closed) { reader.resume(null); return; }
    if (this.typeahead.length > 0) {
      const line = this.typeahead.shift()!;
      if (reader.prompt) this.write(reader.prompt);
      if (line !== null) this.write(reader.mask ? '\n' : `${line}\n`);
      reader.resume(line);
      return;
    }
    this.readers.push(reader);
    this.tell();
  }

  cancelReader(pid: number): void {
    const i = this.readers.findIndex((r) => r.pid === pid);
    if (i >= 0) this.readers.splice(i, 1);
    this.tell();
  }

  /** A line from the client's terminal (echoed there already), or null for Ctrl-D. */
  input(line: string | null): void {
    if (this.closed) return;
    const r = this.readers.shift();
    if (!r) { this.typeahead.push(line); return; }
    this.told = null;
    r.resume(line);
    this.tell();
  }

  /**
   * Ctrl-C (the client's terminal showed ^C): a line editor in raw mode ends its read; else
   * SIGINT to the foreground processes, or to the shell at its prompt (which drops the line).
   */
  interrupt(): void {
    if (this.closed) return;
    const r = this.readers[0];
    if (r?.raw) { this.readers.shift(); this.told = null; r.resume(null); this.tell(); return; }
    const fg = [...this.foreground];
    for (const pid of fg.length > 0 ? fg : [this.shellPid]) this.kernel.signal(pid, 'SIGINT');
  }

  /** The connection is gone: readers get the end of input; the session hangs up its processes. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const r of this.readers.splice(0)) r.resume(null);
    this.foreground.clear();
  }

  private tell(): void {
    const head = this.readers[0] ?? null;
    if (head === this.told) return;
    this.told = head;
    this.link.reading(head ? { prompt: head.prompt, mask: head.mask, raw: head.raw === true } : null);
  }
}
