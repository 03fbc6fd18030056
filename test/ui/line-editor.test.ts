import { describe, expect, it } from 'vitest';
import { LineEditor, History, displayWidth } from '../../src/ui/terminal/line-editor';

const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const UP = '\x1b[A';
const DOWN = '\x1b[B';

describe('line editor', () => {
  it('inserts at the cursor, moves, deletes and submits', () => {
    const e = new LineEditor();
    e.feed('pin');
    e.feed(LEFT + LEFT);
    e.feed('X');
    expect(e.text).toBe('pXin');
    expect(e.cursor).toBe(2);
    e.feed('\x7f');
    expect(e.text).toBe('pin');
    e.feed('\x05g');
    expect(e.text).toBe('ping');
    e.feed('\x01\x1b[3~');
    expect(e.text).toBe('ing');
    expect(e.feed('\r')).toEqual([{ kind: 'submit', line: 'ing' }]);
    expect(e.text).toBe('');
  });

  it('kills words and lines like readline', () => {
    const e = new LineEditor();
    e.feed('redis-cli -p 7000');
    e.feed('\x17');
    expect(e.text).toBe('redis-cli -p ');
    e.feed('\x01' + RIGHT + RIGHT + '\x0b');
    expect(e.text).toBe('re');
    e.feed('\x15');
    expect(e.text).toBe('');
  });

  it('walks a per-program history and restores the draft', () => {
    const h = new History();
    const e = new LineEditor(h);
    e.feed('ps aux\r');
    e.feed('ls /etc\r');
    e.historyKey = 'redis-cli';
    e.feed('PING\r');
    e.historyKey = 'bash';
    e.feed('dra');
    e.feed(UP);
    expect(e.text).toBe('ls /etc');
    e.feed(UP);
    expect(e.text).toBe('ps aux');
    e.feed(UP);
    expect(e.text).toBe('ps aux');
    e.feed(DOWN + DOWN);
    expect(e.text).toBe('dra');
    e.historyKey = 'redis-cli';
    e.feed('\x15' + UP);
    expect(e.text).toBe('PING');
  });

  it('Ctrl-C interrupts, Ctrl-D is EOF only on an empty line, Ctrl-L clears', () => {
    const e = new LineEditor();
    expect(e.feed('\x04')).toEqual([{ kind: 'eof' }]);
    e.feed('ab' + LEFT);
    expect(e.feed('\x04')).toEqual([{ kind: 'changed' }]);
    expect(e.text).toBe('a');
    expect(e.feed('\x03')).toEqual([{ kind: 'interrupt', line: 'a' }]);
    expect(e.text).toBe('');
    expect(e.feed('\x0c')).toEqual([{ kind: 'clear-screen' }]);
  });

  it('Tab asks for completions, then cycles through them and back to what was typed', () => {
    const e = new LineEditor();
    e.feed('CON');
    expect(e.feed('\t')).toEqual([{ kind: 'complete', line: 'CON' }]);
    e.offerCompletions('CON', ['CONFIG', 'CONFIG GET']);
    expect(e.text).toBe('CONFIG');
    e.feed('\t');
    expect(e.text).toBe('CONFIG GET');
    e.feed('\t');
    expect(e.text).toBe('CON');
    e.feed('\t');
    expect(e.text).toBe('CONFIG');
    e.feed(' x');
    expect(e.text).toBe('CONFIG x');
    // Stale answers (the line changed meanwhile) are ignored.
    e.offerCompletions('CON', ['CONFIG']);
    expect(e.text).toBe('CONFIG x');
  });

  it('takes a pasted block: each newline submits a line', () => {
    const e = new LineEditor();
    expect(e.feed('echo a\necho b\n').filter((a) => a.kind === 'submit')).toEqual([
      { kind: 'submit', line: 'echo a' },
      { kind: 'submit', line: 'echo b' },
    ]);
  });

  it('handles characters outside the BMP and wide characters', () => {
    const e = new LineEditor();
    e.feed('键😀' + LEFT);
    expect(e.cursor).toBe(1);
    e.feed('\x7f');
    expect(e.text).toBe('😀');
    expect(displayWidth('键a')).toBe(3);
  });
});
