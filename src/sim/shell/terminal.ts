/**
 * A terminal attached to a host: a line-oriented tty. Input arrives as whole lines (the UI
 * edits the line; Enter sends it) and goes to whoever is reading: the shell waiting for a
 * command, or a foreground process reading its standard input (redis-cli's prompt). Lines
 * typed while nobody reads are kept (typeahead). Output is a byte string the UI decodes.
 */
import type { Host } from '../kernel/host';
import type { LineReader, Terminal } from '../kernel/process';

export interface TerminalEvents {
  output(term: SimTerminal, text: string): void;
  /** Someone started reading a line: the UI can show the prompt state (masked, which pid). */
  reading(term: SimTerminal, reader: { pid: number; prompt: string; mask: boolean } | null): void;
}

export class SimTerminal implements Terminal {
  readonly foreground = new Set<number>();
  /** The window's size in character cells: 120x24 until the page tells its own (`resize`). */
  columns = 120;
  lines = 24;
  private readonly readers: LineReader[] = [];
  private readonly typeahead: (string | null)[] = [];
  private scrollback: string[] = [];
  private scrollbackBytes = 0;
  closed = false;
  /** Pid of the login shell. */
  shellPid = 0;

  constructor(readonly id: number, readonly host: Host, readonly name: string, private readonly events: TerminalEvents) {}

  write(text: string): void {
    if (this.closed || text.length === 0) return;
    this.scrollback.push(text);
    this.scrollbackBytes += text.length;
    if (this.scrollbackBytes > 1_000_000) {
      const all = this.scrollback.join('').slice(-500_000);
      this.scrollback = [all];
      this.scrollbackBytes = all.length;
    }
    this.events.output(this, text);
  }

  /** Everything shown so far (byte string). */
  text(): string { return this.scrollback.join(''); }

  requestLine(reader: LineReader): void {
    if (this.closed) { reader.resume(null); return; }
    if (reader.prompt) this.write(reader.prompt);
    if (this.typeahead.length > 0) {
      const line = this.typeahead.shift()!;
      this.echo(line, reader.mask);
      reader.resume(line);
      return;
    }
    this.readers.push(reader);
    this.events.reading(this, { pid: reader.pid, prompt: reader.prompt, mask: reader.mask });
  }

  cancelReader(pid: number): void {
    const i = this.readers.findIndex((r) => r.pid === pid);
    if (i >= 0) this.readers.splice(i, 1);
  }

  /** Who reads the next line (for hints/completion): pid and prompt, or null. */
  currentReader(): { pid: number; prompt: string; mask: boolean } | null {
    const r = this.readers[0];
    return r ? { pid: r.pid, prompt: r.prompt, mask: r.mask } : null;
  }

  /** A line typed by the user (without newline). */
  /** The window changed size (xterm's cells in the page). */
  resize(columns: number, lines: number): void {
    this.columns = Math.max(1, Math.floor(columns));
    this.lines = Math.max(1, Math.floor(lines));
  }

  input(line: string): void {
    if (this.closed) return;
    const r = this.readers.shift();
    if (!r) { this.typeahead.push(line); return; }
    this.echo(line, r.mask);
    this.events.reading(this, this.currentReader());
    r.resume(line);
  }

  /**
   * Ctrl-C to a program reading in raw mode (linenoise): no ^C echo and no SIGINT; linenoise
   * returns nothing and prints a newline (redis-cli then leaves its REPL, like Ctrl-D).
   */
  interruptRawReader(): boolean {
    const r = this.readers[0];
    if (!r?.raw) return false;
    this.readers.shift();
    this.write('\n');
    this.events.reading(this, this.currentReader());
    r.resume(null);
    return true;
  }

  /** Ctrl-D: end of input for the current reader. */
  eof(): void {
    const r = this.readers.shift();
    if (!r) { this.typeahead.push(null); return; }
    this.write('\n');
    r.resume(null);
  }

  private echo(line: string, mask: boolean): void {
    this.write(mask ? '\n' : `${line}\n`);
  }

  close(message: string): void {
    if (this.closed) return;
    this.write(message);
    this.closed = true;
    for (const r of this.readers.splice(0)) r.resume(null);
    this.foreground.clear();
  }
}
