/**
 * Local line editing for a simulated terminal, readline/linenoise style. The simulated tty is
 * line oriented (docs: src/sim/shell/terminal.ts): the page edits the line and Enter sends it
 * whole. This module is the pure part — keys in, editor state and actions out — so it is tested
 * without a DOM; the Terminal component draws the state into xterm.js.
 *
 * Keys: printable text and paste (a pasted newline submits), ←/→, Home/End, Ctrl-A/E,
 * Backspace, Delete, Ctrl-D (EOF on an empty line, else delete), Ctrl-U/K/W, ↑/↓ history
 * (one history per program: "bash", "redis-cli"...), Ctrl-C, Ctrl-L, Tab (completion, cycling
 * through candidates on repeated Tab like linenoise; any other key accepts the shown one).
 */
export type EditorAction =
  | { kind: 'submit'; line: string }
  | { kind: 'interrupt'; line: string }
  | { kind: 'eof' }
  | { kind: 'clear-screen' }
  | { kind: 'complete'; line: string }
  | { kind: 'changed' };

const HISTORY_MAX = 500;

export class History {
  private readonly lists = new Map<string, string[]>();

  list(key: string): string[] {
    let l = this.lists.get(key);
    if (!l) this.lists.set(key, (l = []));
    return l;
  }

  add(key: string, line: string): void {
    if (line.trim() === '') return;
    const l = this.list(key);
    if (l[l.length - 1] === line) return;
    l.push(line);
    if (l.length > HISTORY_MAX) l.splice(0, l.length - HISTORY_MAX);
  }
}

export class LineEditor {
  text = '';
  /** Cursor position in code points of `text`. */
  cursor = 0;
  /** Greyed hint after the text (from the program reading the line), or null. */
  hint: string | null = null;
  /** Which history ↑/↓ walk. */
  historyKey = 'bash';
  /** Input is hidden (passwords). */
  mask = false;
  private historyIndex: number | null = null;
  private draft = '';
  private completions: string[] | null = null;
  private completionIndex = 0;
  private completionBase = '';

  constructor(readonly history: History = new History()) {}

  private chars(): string[] {
    return Array.from(this.text);
  }

  private setText(chars: string[], cursor: number): void {
    this.text = chars.join('');
    this.cursor = Math.max(0, Math.min(cursor, chars.length));
    this.hint = null;
  }

  reset(): void {
    this.text = '';
    this.cursor = 0;
    this.hint = null;
    this.historyIndex = null;
    this.completions = null;
  }

  /** Offer completions for the current line (the answer to a 'complete' action). */
  offerCompletions(line: string, candidates: string[]): void {
    if (line !== this.text || candidates.length === 0) return;
    this.completions = candidates;
    this.completionBase = line;
    this.completionIndex = 0;
    this.showCompletion();
  }

  private showCompletion(): void {
    const c = this.completions!;
    const shown = this.completionIndex < c.length ? c[this.completionIndex] : this.completionBase;
    const chars = Array.from(shown);
    this.setText(chars, chars.length);
  }

  /** Feed the data xterm.js reports for a key press or a paste; returns what to do. */
  feed(data: string): EditorAction[] {
    const actions: EditorAction[] = [];
    let i = 0;
    while (i < data.length) {
      const rest = data.slice(i);
      const esc = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(rest);
      if (esc) {
        this.completions = null;
        this.escape(esc[1], actions);
        i += esc[0].length;
        continue;
      }
      const ch = String.fromCodePoint(rest.codePointAt(0)!);
      i += ch.length;
      if (ch === '\t') {
        if (this.completions) {
          this.completionIndex = (this.completionIndex + 1) % (this.completions.length + 1);
          this.showCompletion();
          actions.push({ kind: 'changed' });
        } else {
          actions.push({ kind: 'complete', line: this.text });
        }
        continue;
      }
      this.completions = null;
      this.control(ch, actions);
    }
    return actions;
  }

  private control(ch: string, actions: EditorAction[]): void {
    const chars = this.chars();
    const c = this.cursor;
    switch (ch) {
      case '\r':
      case '\n': {
        const line = this.text;
        this.history.add(this.historyKey, line);
        this.reset();
        actions.push({ kind: 'submit', line });
        return;
      }
      case '\x03': {
        const line = this.text;
        this.reset();
        actions.push({ kind: 'interrupt', line });
        return;
      }
      case '\x04':
        if (chars.length === 0) { actions.push({ kind: 'eof' }); return; }
        if (c < chars.length) { chars.splice(c, 1); this.setText(chars, c); actions.push({ kind: 'changed' }); }
        return;
      case '\x7f':
      case '\b':
        if (c > 0) { chars.splice(c - 1, 1); this.setText(chars, c - 1); actions.push({ kind: 'changed' }); }
        return;
      case '\x01': this.cursor = 0; actions.push({ kind: 'changed' }); return;
      case '\x05': this.cursor = chars.length; actions.push({ kind: 'changed' }); return;
      case '\x02': if (c > 0) { this.cursor = c - 1; actions.push({ kind: 'changed' }); } return;
      case '\x06': if (c < chars.length) { this.cursor = c + 1; actions.push({ kind: 'changed' }); } return;
      case '\x15': this.setText(chars.slice(c), 0); actions.push({ kind: 'changed' }); return;
      case '\x0b': this.setText(chars.slice(0, c), c); actions.push({ kind: 'changed' }); return;
      case '\x17': {
        let start = c;
        while (start > 0 && chars[start - 1] === ' ') start--;
        while (start > 0 && chars[start - 1] !== ' ') start--;
        chars.splice(start, c - start);
        this.setText(chars, start);
        actions.push({ kind: 'changed' });
        return;
      }
      case '\x0c': actions.push({ kind: 'clear-screen' }); return;
      case '\x10': this.historyMove(-1, actions); return;
      case '\x0e': this.historyMove(1, actions); return;
    }
    if (ch < ' ' || ch === '\x7f') return; // other control characters are ignored
    chars.splice(c, 0, ch);
    this.setText(chars, c + 1);
    actions.push({ kind: 'changed' });
  }

  private escape(seq: string, actions: EditorAction[]): void {
    const chars = this.chars();
    switch (seq) {
      case '[A': case 'OA': this.historyMove(-1, actions); return;
      case '[B': case 'OB': this.historyMove(1, actions); return;
      case '[C': case 'OC': if (this.cursor < chars.length) { this.cursor++; actions.push({ kind: 'changed' }); } return;
      case '[D': case 'OD': if (this.cursor > 0) { this.cursor--; actions.push({ kind: 'changed' }); } return;
      case '[H': case 'OH': case '[1~': this.cursor = 0; actions.push({ kind: 'changed' }); return;
      case '[F': case 'OF': case '[4~': this.cursor = chars.length; actions.push({ kind: 'changed' }); return;
      case '[3~':
        if (this.cursor < chars.length) { chars.splice(this.cursor, 1); this.setText(chars, this.cursor); actions.push({ kind: 'changed' }); }
        return;
    }
  }

  private historyMove(delta: number, actions: EditorAction[]): void {
    const list = this.history.list(this.historyKey);
    if (list.length === 0) return;
    let idx = this.historyIndex;
    if (idx === null) {
      if (delta > 0) return;
      this.draft = this.text;
      idx = list.length;
    }
    idx += delta;
    if (idx < 0) idx = 0;
    if (idx >= list.length) {
      this.historyIndex = null;
      const d = Array.from(this.draft);
      this.setText(d, d.length);
    } else {
      this.historyIndex = idx;
      const h = Array.from(list[idx]);
      this.setText(h, h.length);
    }
    actions.push({ kind: 'changed' });
  }
}

/** Columns a string occupies in a terminal (East Asian wide characters take two). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
