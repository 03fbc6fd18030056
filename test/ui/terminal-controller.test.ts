/**
 * The terminal controller against a real simulated world and a fake xterm that interprets the
 * few escape sequences the controller emits (cursor moves, erase), so the screen it would show
 * can be asserted.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import { TerminalController, type XtermLike } from '../../src/ui/terminal/controller';
import type { ProgramMain } from '../../src/engine/programs/program';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';

/**
 * An interactive line-reading program, as redis-cli is: a prompt, argument hints and Tab
 * completions through the terminal's line editing, `quit` to leave.
 */
const repl: ProgramMain = async ({ os, io, argv }) => {
  const commands = ['SET', 'SETEX', 'GET'];
  for (;;) {
    if (argv[1] === '--after') os.stdout(argv[2]);
    const line = await io.readLine!('repl> ', {
      hint: (l) => (l.trim().toUpperCase() === 'SET' ? ' key value [EX seconds]' : null),
      complete: (l) => commands.filter((c) => c.startsWith(l.toUpperCase())),
      historyKey: 'repl',
    });
    if (line === null || line === 'quit') os.exit(0);
    os.stdout(`got ${line}\n`);
  }
};

/** A tiny terminal screen: enough VT100 for the controller (CR, LF, CUU/CUD/CUF, ED, EL, SGR). */
class FakeXterm implements XtermLike {
  cols = 40;
  rows = 12;
  lines: string[] = [''];
  x = 0;
  y = 0;
  private listener: ((d: string) => void) | null = null;
  get buffer() {
    return { active: { baseY: 0, cursorY: this.y, cursorX: this.x } };
  }
  write(data: string | Uint8Array, cb?: () => void): void {
    const s = typeof data === 'string' ? data : new TextDecoder().decode(data);
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '\x1b') {
        const m = /^\x1b\[([0-9;]*)([A-Za-z])/.exec(s.slice(i));
        if (!m) continue;
        const n = Number(m[1] || '1');
        if (m[2] === 'A') this.y = Math.max(0, this.y - n);
        if (m[2] === 'B') this.y += n;
        if (m[2] === 'C') this.x = Math.min(this.cols - 1, this.x + n);
        if (m[2] === 'J') { this.lines[this.y] = this.lines[this.y].slice(0, this.x); this.lines.length = this.y + 1; }
        if (m[2] === 'K') this.lines[this.y] = this.lines[this.y].slice(0, this.x);
        i += m[0].length - 1;
        continue;
      }
      if (c === '\r') { this.x = 0; continue; }
      if (c === '\n') { this.y++; this.x = 0; this.ensure(); continue; }
      if (this.x >= this.cols) { this.y++; this.x = 0; this.ensure(); }
      const line = this.lines[this.y].padEnd(this.x, ' ');
      this.lines[this.y] = line.slice(0, this.x) + c + line.slice(this.x + 1);
      this.x++;
    }
    cb?.();
  }
  private ensure(): void { while (this.lines.length <= this.y) this.lines.push(''); }
  reset(): void { this.lines = ['']; this.x = 0; this.y = 0; }
  onData(fn: (d: string) => void) { this.listener = fn; return { dispose: () => { this.listener = null; } }; }
  press(data: string): void { this.listener?.(data); }
  screen(): string { return this.lines.map((l) => l.trimEnd()).join('\n'); }
}

async function setup() {
  const world = new World({ seed: 3, hosts: [{ name: 'h1', ip: '10.0.0.1' }], programs: { ...STANDARD_PROGRAMS, repl } });
  const id = world.openTerminal('h1');
  await world.advance(10);
  const term = new FakeXterm();
  const c = new TerminalController(term, world, id);
  await c.flushed();
  return { world, term, c, id };
}

describe('terminal controller', () => {
  it('shows the prompt, edits locally, and sends the line on Enter', async () => {
    const { world, term, c } = await setup();
    expect(term.screen()).toBe('root@h1:~#');
    term.press('echo helo');
    term.press('\x1b[D\x1b[Dl');
    await c.flushed();
    expect(term.screen()).toBe('root@h1:~# echo hello');
    term.press('\r');
    await world.advance(50);
    await c.flushed();
    expect(term.screen()).toBe('root@h1:~# echo hello\nhello\nroot@h1:~#');
    world.dispose();
  });

  it('after `exit`, Enter logs in again (a recorded input, replayed by a rewind); other keys do nothing', async () => {
    const { world, term, c, id } = await setup();
    term.press('exit\r');
    await world.advance(50);
    await c.flushed();
    expect(world.terminal(id)!.closed).toBe(true);
    expect(term.screen()).toBe('root@h1:~# exit\nlogout\nConnection to h1 closed.\n');
    // Before, the terminal took no key again: the learner had to reset the world.
    term.press('ls');
    term.press('\r');
    await world.advance(50);
    await c.flushed();
    expect(world.terminal(id)!.closed).toBe(false);
    term.press('echo back\r');
    await world.advance(50);
    await c.flushed();
    expect(term.screen().split('\n').slice(3)).toEqual(['', 'Connected to h1.', 'root@h1:~# echo back', 'back', 'root@h1:~#']);
    expect(world.recordedInputs().filter((r) => r.input.kind === 'login').map((r) => r.input)).toEqual([{ kind: 'login', terminal: id }]);
    const text = world.terminal(id)!.text();
    await world.rewind(world.now - 1);
    expect(world.terminal(id)!.text()).toBe(text);
    world.dispose();
  });

  it("tells the simulated terminal its size once it holds: the shell's COLUMNS and LINES follow at the next prompt; a rewind before it tells it again", async () => {
    const { world, term, c, id } = await setup();
    expect(world.terminal(id)!.columns).toBe(120);
    // Two resizes in quick succession (a dragged window): one input, the last size.
    term.cols = 70;
    c.resized();
    term.cols = 60;
    term.rows = 20;
    c.resized();
    await new Promise((r) => setTimeout(r, 300));
    const resizes = world.recordedInputs().filter((r) => r.input.kind === 'resize');
    expect(resizes.map((r) => r.input)).toEqual([{ kind: 'resize', terminal: id, columns: 60, lines: 20 }]);
    expect(world.terminal(id)!.columns).toBe(60);
    // An unchanged size is not told again.
    c.resized();
    await new Promise((r) => setTimeout(r, 300));
    expect(world.recordedInputs().filter((r) => r.input.kind === 'resize')).toHaveLength(1);
    term.press('echo $COLUMNS $LINES; bash -c \'echo "[$COLUMNS]"\'\r');
    await world.advance(50);
    await c.flushed();
    expect(term.screen().split('\n').slice(-3)).toEqual(['60 20', '[]', 'root@h1:~#']);
    // Back to before the resize: the world's terminal is 120 wide again, and is told 60 again.
    await world.rewind(resizes[0].t - 1);
    expect(world.terminal(id)!.columns).toBe(120);
    await new Promise((r) => setTimeout(r, 300));
    expect(world.terminal(id)!.columns).toBe(60);
    world.dispose();
  });

  it('keeps a long line correct across the right margin', async () => {
    const { world, term, c } = await setup();
    const long = 'echo ' + 'x'.repeat(60);
    term.press(long);
    await c.flushed();
    term.press('\x01');
    term.press('\x1b[3~\x1b[3~\x1b[3~\x1b[3~\x1b[3~');
    await c.flushed();
    expect(term.screen().replace(/\n/g, '')).toBe('root@h1:~# ' + 'x'.repeat(60));
    term.press('\x05\x15echo ok\r');
    await world.advance(50);
    await c.flushed();
    expect(term.screen().split('\n').slice(-2)).toEqual(['ok', 'root@h1:~#']);
    world.dispose();
  });

  it('Ctrl-C at the prompt leaves the partial line with ^C and a new prompt', async () => {
    const { world, term, c } = await setup();
    term.press('sleep');
    term.press('\x03');
    await world.advance(10);
    await c.flushed();
    expect(term.screen()).toBe('root@h1:~# sleep^C\nroot@h1:~#');
    world.dispose();
  });

  it('Ctrl-C interrupts a running command', async () => {
    const { world, term, c } = await setup();
    term.press('sleep 100\r');
    await world.advance(1000);
    term.press('\x03');
    await world.advance(10);
    await c.flushed();
    // (Whether a newline follows ^C is the simulated shell's business.)
    expect(term.screen()).toMatch(/^root@h1:~# sleep 100\n\^C\n?root@h1:~#$/);
    world.dispose();
  });

  it('Ctrl-C ends redis-cli\'s SUBSCRIBE as real redis-cli 7.0 does: ^C, the prompt, redrawn at the left edge by the first key', async () => {
    // Real redis-cli 7.0.15 in a pty (bash, `redis-cli`, `SUBSCRIBE ch`, Ctrl-C): its SIGINT
    // handler leaves the subscribed mode and reconnects; it prints "(N.NNs)" after half a second
    // or more, then linenoise writes the prompt where the cursor is (after the tty's "^C") and
    // redraws the whole line from the left edge ("\r" + prompt + line) at each key.
    const { world, term, c } = await setup();
    const type = async (keys: string, ms: number) => { term.press(keys); await world.advance(ms); await c.flushed(); };
    await type('redis-server --daemonize yes\r', 1000);
    await type('redis-cli\r', 500);
    await type('SUBSCRIBE ch\r', 100);
    await type('\x03', 100);
    expect(term.screen().split('\n').slice(-2)).toEqual(['3) (integer) 1', '^C127.0.0.1:6379>']);
    await type('pi', 100);
    expect(term.screen().split('\n').slice(-2)).toEqual(['3) (integer) 1', '127.0.0.1:6379> pi']);
    await type('ng\r', 500);
    expect(term.screen().split('\n').slice(-4)).toEqual(['3) (integer) 1', '127.0.0.1:6379> ping', 'PONG', '127.0.0.1:6379>']);
    // Subscribed for a second: the time, and the prompt on its own row.
    await type('SUBSCRIBE ch\r', 1000);
    await type('\x03', 100);
    await type('ping\r', 500);
    const rows = term.screen().split('\n').slice(-5);
    expect(rows[1]).toMatch(/^\^C\(1\.\d\ds\)$/);
    expect([rows[0], ...rows.slice(2)]).toEqual(['3) (integer) 1', '127.0.0.1:6379> ping', 'PONG', '127.0.0.1:6379>']);
    // Not interactive: SIGINT ends redis-cli, bash starts a new line.
    await type('exit\r', 100);
    await type('redis-cli SUBSCRIBE ch\r', 500);
    await type('\x03', 100);
    expect(term.screen().split('\n').slice(-3)).toEqual(['3) (integer) 1', '^C', 'root@h1:~#']);
    world.dispose();
  });

  it('a program\'s prompt printed after text (wrapped at the margin, too) moves to the left edge with the first key', async () => {
    const { world, term, c } = await setup();
    term.press(`repl --after ${'x'.repeat(36)}\r`);
    await world.advance(50);
    await c.flushed();
    expect(term.screen().split('\n').slice(-2)).toEqual([`${'x'.repeat(36)}repl`, '>']);
    term.press('a');
    await c.flushed();
    expect(term.screen().split('\n').slice(-1)).toEqual(['repl> a']);
    term.press('\r');
    await world.advance(50);
    await c.flushed();
    // (The program prints its text again before each prompt.)
    expect(term.screen().split('\n').slice(-4)).toEqual(['repl> a', 'got a', `${'x'.repeat(36)}repl`, '>']);
    world.dispose();
  });

  it('redraws the line being edited after output arrives', async () => {
    const { world, term, c } = await setup();
    term.press('(sleep 1; echo late) &\r');
    await world.advance(10);
    term.press('ech');
    await world.advance(2000);
    await c.flushed();
    const lines = term.screen().split('\n');
    expect(lines.some((l) => l.endsWith('late'))).toBe(true);
    expect(lines[lines.length - 1]).toBe('root@h1:~# ech');
    term.press('o ok\r');
    await world.advance(10);
    await c.flushed();
    const after = term.screen().split('\n');
    expect(after).toContain('root@h1:~# echo ok');
    expect(after[after.indexOf('root@h1:~# echo ok') + 1]).toBe('ok');
    expect(after[after.length - 1]).toBe('root@h1:~#');
    world.dispose();
  });

  it('supports interactive programs generically: hints, Tab completion, their own history', async () => {
    const { world, term, c } = await setup();
    term.press('echo shell-line\r');
    await world.advance(20);
    term.press('repl\r');
    await world.advance(200);
    await c.flushed();
    expect(term.screen().split('\n').pop()).toBe('repl>');
    expect(c.readingProgram).toBe(true);
    term.press('SET');
    await world.advance(1);
    await new Promise((r) => setTimeout(r, 20));
    await c.flushed();
    // The hint the program gave is drawn after the cursor.
    expect(term.screen().split('\n').pop()).toBe('repl> SET key value [EX seconds]');
    term.press('\x15SE\t');
    await new Promise((r) => setTimeout(r, 20));
    await c.flushed();
    expect(c.editor.text).toBe('SET');
    term.press('\t');
    expect(c.editor.text).toBe('SETEX');
    term.press(' k 10 v\r');
    await world.advance(50);
    await c.flushed();
    expect(term.screen()).toContain('got SETEX k 10 v');
    // History is per program: ↑ in repl recalls repl lines, not the shell's.
    term.press('\x1b[A');
    expect(c.editor.text).toBe('SETEX k 10 v');
    term.press('\x15quit\r');
    await world.advance(50);
    await c.flushed();
    expect(c.readingProgram).toBe(false);
    term.press('\x1b[A');
    expect(c.editor.text).toBe('repl');
    world.dispose();
  });
});
