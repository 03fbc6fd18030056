/**
 * Connects one xterm.js terminal to one simulated terminal: output from the world is written
 * as it comes, the line being edited is drawn locally (LineEditor), Enter sends it with
 * `world.type`, Ctrl-C is `world.interrupt`, Ctrl-D on an empty line `world.eof`. While a
 * program (not the shell) reads the line — redis-cli — its hints are shown greyed after the
 * cursor and Tab asks it for completions, through `world.lineHelp`.
 *
 * Drawing the edited line: xterm.js parses writes asynchronously, so every drawing operation
 * goes through a queue and computes its escape sequence only once everything before it has
 * been parsed, from the cursor position the buffer reports then. The line's start is kept as
 * an absolute buffer row and column, which scrolling does not change.
 */
import { LineEditor, History, displayWidth, type EditorAction } from './line-editor';
import { byteStringToBytes, textToByteString } from './bytes';

/** The part of xterm.js the controller uses (so tests can give a fake). */
export interface XtermLike {
  readonly cols: number;
  readonly rows: number;
  readonly buffer: { readonly active: { readonly baseY: number; readonly cursorY: number; readonly cursorX: number } };
  write(data: string | Uint8Array, callback?: () => void): void;
  reset(): void;
  onData(fn: (data: string) => void): { dispose(): void };
}

/** The part of the world the controller uses. */
export interface TerminalWorld {
  on(event: 'output', fn: (e: { terminal: number; text: string }) => void): () => void;
  on(event: 'reading', fn: (e: { terminal: number; reader: { pid: number; prompt: string; mask: boolean } | null }) => void): () => void;
  on(event: 'reset', fn: (e: Record<string, never>) => void): () => void;
  type(terminal: number, line: string): void;
  interrupt(terminal: number): void;
  eof(terminal: number): void;
  login(terminal: number): void;
  resizeTerminal(terminal: number, columns: number, lines: number): void;
  lineHelp(terminal: number, kind: 'hint' | 'complete', line: string): Promise<string | string[] | null>;
  terminal(id: number): { text(): string; shellPid: number; columns: number; lines: number; closed: boolean; currentReader(): { pid: number; prompt: string; mask: boolean } | null } | undefined;
  processes(host?: string): { pid: number; argv: string[] }[];
}

interface Pos { row: number; col: number }

/** A window being dragged resizes the terminal many times: its size is told once it held this long. */
const RESIZE_SETTLE_MS = 250;

/** Shared across a page's terminals: bash history per host would be truer, one is friendlier. */
const sharedHistory = new History();

export class TerminalController {
  readonly editor = new LineEditor(sharedHistory);
  private reader: { pid: number; prompt: string; mask: boolean } | null = null;
  private queue: Promise<void> = Promise.resolve();
  private start: Pos | null = null;
  private drawn = false;
  private hintSeq = 0;
  private readonly offs: (() => void)[] = [];
  private disposed = false;
  private resizeTimer: ReturnType<typeof setTimeout> | null = null;
  /** Lines sent, for tests and the lesson panel. */
  sent = 0;

  constructor(private readonly term: XtermLike, private readonly world: TerminalWorld, readonly id: number) {
    const t = world.terminal(id);
    if (t) {
      const text = t.text();
      if (text) this.op(() => byteStringToBytes(text));
      this.setReader(t.currentReader());
    }
    this.offs.push(
      world.on('output', (e) => { if (e.terminal === id) this.output(e.text); }),
      world.on('reading', (e) => { if (e.terminal === id) this.setReader(e.reader); }),
      world.on('reset', () => {
        this.op(() => { this.term.reset(); this.start = null; this.drawn = false; return null; });
        this.editor.reset();
        this.reader = null;
        // A rewind may have gone back before the last resize: the simulated terminal has its
        // old size again, this one has not.
        this.resized();
      }),
    );
    const sub = term.onData((data) => this.keys(data));
    this.offs.push(() => sub.dispose());
  }

  /**
   * The xterm's size changed (the pane was fitted to its box): tell the simulated terminal, as
   * a recorded input (`world.resizeTerminal`), once the size has held for RESIZE_SETTLE_MS.
   * What runs there then sees it: COLUMNS at the shell's next prompt, ls's columns.
   */
  resized(): void {
    if (this.resizeTimer !== null) clearTimeout(this.resizeTimer);
    this.resizeTimer = setTimeout(() => {
      this.resizeTimer = null;
      const t = this.world.terminal(this.id);
      const { cols, rows } = this.term;
      if (this.disposed || !t || (t.columns === cols && t.lines === rows)) return;
      this.world.resizeTerminal(this.id, cols, rows);
    }, RESIZE_SETTLE_MS);
  }

  /** Who reads the line now: the shell, a program, or nobody (a command is running). */
  get readingProgram(): boolean {
    const t = this.world.terminal(this.id);
    return !!this.reader && !!t && this.reader.pid !== t.shellPid;
  }

  private setReader(reader: { pid: number; prompt: string; mask: boolean } | null): void {
    this.reader = reader;
    if (!reader) return;
    const t = this.world.terminal(this.id);
    let key = 'bash';
    if (t && reader.pid !== t.shellPid) {
      const p = this.world.processes().find((x) => x.pid === reader.pid);
      key = (p?.argv[0] ?? 'program').split('/').pop() ?? 'program';
    }
    this.editor.historyKey = key;
    this.editor.mask = reader.mask;
    if (this.editor.text) this.requestHint();
  }

  // ---- drawing ----------------------------------------------------------------------------

  private op(fn: () => string | Uint8Array | null): void {
    this.queue = this.queue.then(() => new Promise<void>((resolve) => {
      if (this.disposed) { resolve(); return; }
      const data = fn();
      if (data === null || data.length === 0) { resolve(); return; }
      this.term.write(data, resolve);
    }));
  }

  /** Resolves when everything queued so far has been drawn. */
  flushed(): Promise<void> {
    return this.queue;
  }

  private pos(): Pos {
    const b = this.term.buffer.active;
    return { row: b.baseY + b.cursorY, col: Math.min(b.cursorX, this.term.cols - 1) };
  }

  private moveTo(target: Pos): string {
    const cur = this.pos();
    let s = '';
    const dy = target.row - cur.row;
    if (dy < 0) s += `\x1b[${-dy}A`;
    else if (dy > 0) s += `\x1b[${dy}B`;
    s += '\r';
    if (target.col > 0) s += `\x1b[${target.col}C`;
    return s;
  }

  private erase(): void {
    this.op(() => {
      if (!this.drawn || !this.start) return null;
      this.drawn = false;
      return this.moveTo(this.start) + '\x1b[J';
    });
  }

  private render(): void {
    this.op(() => {
      let s = '';
      if (!this.start) {
        s = this.promptToLeftEdge();
        this.start ??= this.pos();
      }
      if (this.drawn) s += this.moveTo(this.start);
      s += '\x1b[J';
      const visible = this.editor.mask ? '' : this.editor.text;
      const hint = this.editor.mask ? '' : this.editor.hint ?? '';
      s += visible;
      if (hint) s += `\x1b[90m${hint}\x1b[0m`;
      const total = displayWidth(visible + hint);
      // A line ending exactly at the right margin leaves xterm in "pending wrap": make the wrap
      // real so cursor arithmetic holds.
      if (total > 0 && (this.start.col + total) % this.term.cols === 0) s += ' \r\x1b[K';
      this.drawn = true;
      return s;
    });
    this.op(() => {
      if (!this.start) return null;
      const before = this.editor.mask ? 0 : displayWidth(Array.from(this.editor.text).slice(0, this.editor.cursor).join(''));
      const abs = this.start.col + before;
      return this.moveTo({ row: this.start.row + Math.floor(abs / this.term.cols), col: abs % this.term.cols });
    });
  }

  /**
   * A program's line editor (linenoise: redis-cli) redraws its whole line from the left edge,
   * prompt included, at every key: a prompt printed after something left on its row (`^C` when
   * Ctrl-C ends redis-cli's SUBSCRIBE mode quickly: "^C127.0.0.1:6379> ") moves to the left
   * edge with the first key, over what was there. The shell's (readline) does not. Sets `start`
   * when it redraws the prompt.
   */
  private promptToLeftEdge(): string {
    const prompt = this.reader?.prompt;
    if (!prompt || !this.readingProgram) return '';
    const width = displayWidth(prompt);
    const at = this.pos();
    if (width >= this.term.cols || at.col === width) return '';
    // Where the prompt began: on this row, or (wrapped at the right margin) on the one above.
    const up = at.col < width ? 1 : 0;
    this.start = { row: at.row - up, col: width };
    return `${up ? '\x1b[1A' : ''}\r\x1b[J${prompt}`;
  }

  private output(text: string): void {
    this.erase();
    this.op(() => byteStringToBytes(text));
    this.op(() => { this.start = null; return null; });
    if (this.editor.text || this.editor.hint) {
      // Output arrived while a line was being edited (a background job): show the prompt again
      // under it, then the line, as zsh does.
      const prompt = this.reader?.prompt;
      if (prompt && !text.endsWith(prompt)) this.op(() => (this.term.buffer.active.cursorX > 0 ? '\r\n' : '') + prompt);
      this.render();
    }
  }

  // ---- keys -------------------------------------------------------------------------------

  keys(data: string): void {
    // The login shell ended (`exit`): nothing reads the keys; Enter logs in again, as the tabs'
    // row says (Terminals.svelte). A host that is off ignores it (it reconnects on power-on).
    if (this.world.terminal(this.id)?.closed) {
      if (data.includes('\r')) this.world.login(this.id);
      return;
    }
    for (const a of this.editor.feed(data)) this.act(a);
  }

  private act(a: EditorAction): void {
    switch (a.kind) {
      case 'changed':
        this.render();
        this.requestHint();
        return;
      case 'submit':
        this.erase();
        this.op(() => { this.start = null; return null; });
        this.sent++;
        this.world.type(this.id, textToByteString(a.line));
        return;
      case 'interrupt':
        // Leave what was typed on screen (bash shows "partial^C"), then let the world answer.
        this.op(() => {
          const shown = this.editor.mask ? '' : a.line;
          const s = this.start && this.drawn ? this.moveTo(this.start) + '\x1b[J' : '';
          this.drawn = false;
          return s + shown;
        });
        this.op(() => { this.start = null; return null; });
        this.world.interrupt(this.id);
        return;
      case 'eof':
        this.world.eof(this.id);
        return;
      case 'clear-screen': {
        const prompt = this.reader?.prompt ?? '';
        this.op(() => { this.drawn = false; this.start = null; return `\x1b[H\x1b[2J\x1b[3J${prompt}`; });
        if (this.editor.text) this.render();
        return;
      }
      case 'complete':
        void this.complete(a.line);
        return;
    }
  }

  private requestHint(): void {
    if (!this.readingProgram) {
      if (this.editor.hint) { this.editor.hint = null; this.render(); }
      return;
    }
    const seq = ++this.hintSeq;
    const line = this.editor.text;
    void this.world.lineHelp(this.id, 'hint', textToByteString(line)).then((h) => {
      if (seq !== this.hintSeq || this.editor.text !== line) return;
      const hint = typeof h === 'string' && h.length > 0 ? h : null;
      if (hint === this.editor.hint) return;
      this.editor.hint = hint;
      this.render();
    });
  }

  /** Tab: the program's completion (redis-cli), or the shell's (commands and paths). */
  private async complete(line: string): Promise<void> {
    if (!this.reader) return;
    const r = await this.world.lineHelp(this.id, 'complete', textToByteString(line));
    if (!Array.isArray(r) || r.length === 0 || this.editor.text !== line) return;
    this.editor.offerCompletions(line, r);
    this.render();
    this.requestHint();
  }

  /** Type a whole line as if the learner typed it and pressed Enter (lesson "try" lines). */
  typeLine(line: string): void {
    this.editor.history.add(this.editor.historyKey, line);
    this.editor.reset();
    this.act({ kind: 'submit', line });
  }

  dispose(): void {
    this.disposed = true;
    if (this.resizeTimer !== null) clearTimeout(this.resizeTimer);
    for (const off of this.offs) off();
  }
}
