/**
 * Standard input for redis-cli, over the program's chunked input: whole-input reads (`-x`,
 * `--pipe`), line reads the way linenoise reads a non-terminal (up to '\n', no '\r'
 * stripping, a last line without newline still counts), and short reads.
 */
import type { ProgramIo } from '../../programs/program';

export class StdinReader {
  /** Unread input is buffered.slice(pos); pos avoids re-copying the buffer on every line. */
  private buffered = '';
  private pos = 0;
  private eof = false;

  constructor(private readonly io: ProgramIo) {}

  private async fill(): Promise<boolean> {
    if (this.eof) return false;
    const chunk = await this.io.readChunk();
    if (chunk === null) { this.eof = true; return false; }
    this.buffered = this.buffered.slice(this.pos) + chunk;
    this.pos = 0;
    return true;
  }

  private take(end: number, skip: number): string {
    const out = this.buffered.slice(this.pos, end);
    this.pos = end + skip;
    return out;
  }

  async readAll(): Promise<string> {
    while (await this.fill()) { /* keep reading */ }
    return this.take(this.buffered.length, 0);
  }

  /** linenoiseNoTTY: the next line without its '\n', or null at end of input. */
  async readLine(): Promise<string | null> {
    let from = this.pos;
    for (;;) {
      const nl = this.buffered.indexOf('\n', from);
      if (nl >= 0) return this.take(nl, 1);
      from = this.buffered.length - this.pos;
      const more = await this.fill();
      from += this.pos;
      if (!more) {
        if (this.pos >= this.buffered.length) return null;
        return this.take(this.buffered.length, 0);
      }
    }
  }

  /** read(2): whatever is available (at most `max` bytes), '' at end of input. */
  async read(max: number): Promise<string> {
    if (this.pos >= this.buffered.length) await this.fill();
    return this.take(Math.min(this.buffered.length, this.pos + max), 0);
  }
}
