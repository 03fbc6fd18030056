/**
 * `npm run redis-cli -- [options] [cmd [arg ...]]`: the engine's redis-cli on a real terminal
 * and real TCP.
 *
 * The program talks in byte strings; here they become bytes (latin1 Buffers) on the way out,
 * and argv/env (which Node has already decoded from UTF-8) are re-encoded on the way in.
 * On a terminal, lines are edited with Node's readline: history from the program, Tab
 * completion, and redis-cli's argument hints drawn in grey after the cursor (as linenoise does).
 */
import * as readline from 'node:readline';
import { NativeOs } from './os';
import { redisCliMain } from '../engine/tools/redis-cli/main';
import { bytesToUtf8, strToBytes, utf8ToStr } from '../engine/bytes';
import type { LineEditing, ProgramIo } from '../engine/programs/program';

const toBytes = (s: string) => Buffer.from(s, 'latin1');
const display = (s: string) => bytesToUtf8(strToBytes(s));

// A reader of a closed pipe (`redis-cli --scan | head`) ends us quietly, like SIGPIPE would.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });
}

/** Standard input as chunks (pipes, files, heredocs). */
function makeChunkReader(): () => Promise<string | null> {
  let iterator: AsyncIterator<Buffer> | null = null;
  let done = false;
  return async () => {
    if (done) return null;
    iterator ??= (process.stdin as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    const next = await iterator.next();
    if (next.done) { done = true; return null; }
    return Buffer.from(next.value).toString('latin1');
  };
}

/** Draws redis-cli's hint greyed to the right of the cursor while the cursor is at the end. */
class HintPainter {
  private shown = false;
  constructor(private readonly rl: readline.Interface & { line: string; cursor: number }, private readonly prompt: string,
    private readonly hint: (line: string) => string | null) {}

  clear(): void {
    if (this.shown) process.stdout.write('\x1b[0K');
    this.shown = false;
  }

  paint(): void {
    const line = this.rl.line;
    if (this.rl.cursor !== line.length) { this.clear(); return; }
    const text = this.hint(utf8ToStr(line));
    const columns = process.stdout.columns ?? 80;
    const room = columns - (this.prompt.length + line.length) - 1;
    if (!text || room <= 0) { this.clear(); return; }
    const shown = display(text).slice(0, room);
    process.stdout.write(`\x1b[0K\x1b[90m${shown}\x1b[0m\x1b[${shown.length}D`);
    this.shown = true;
  }
}

type EditableInterface = readline.Interface & { line: string; cursor: number; _refreshLine(): void; _writeToOutput(s: string): void };

/**
 * linenoise's Tab: the first completion replaces the line, each further Tab shows the next
 * one and then the original text again (with a beep); Esc restores the original text, any
 * other key keeps the completion shown.
 */
class TabCycler {
  private items: string[] | null = null;
  private index = 0;
  private original = '';
  constructor(private readonly rl: EditableInterface, private readonly complete: (line: string) => string[]) {}

  private show(text: string): void {
    this.rl.line = text;
    this.rl.cursor = text.length;
    this.rl._refreshLine();
  }

  /** Called before readline sees the key. */
  key(key: readline.Key | undefined): void {
    if (key?.name === 'tab') {
      if (this.items === null) {
        const items = this.complete(utf8ToStr(this.rl.line)).map(display);
        if (items.length === 0) { process.stdout.write('\x07'); return; }
        this.items = items;
        this.original = this.rl.line;
        this.index = 0;
      } else {
        this.index = (this.index + 1) % (this.items.length + 1);
      }
      if (this.index === this.items.length) process.stdout.write('\x07');
      this.show(this.index < this.items.length ? this.items[this.index] : this.original);
      return;
    }
    if (this.items !== null && key?.name === 'escape') this.show(this.original);
    this.items = null;
  }
}

function readLineOnTerminal(promptBytes: string, opts: LineEditing = {}): Promise<string | null> {
  const prompt = display(promptBytes);
  return new Promise((resolve) => {
    // Tab is handled by TabCycler; readline only needs a completer so that Tab inserts nothing.
    const completer = (line: string): [string[], string] => [[], line];
    const rl = readline.createInterface({
      input: process.stdin, output: process.stdout, terminal: true, completer,
      history: [...(opts.history ?? [])].reverse().map(display), historySize: 100, removeHistoryDuplicates: false,
      prompt, tabSize: 8,
    }) as EditableInterface;
    let finished = false;
    const finish = (value: string | null) => {
      if (finished) return;
      finished = true;
      process.stdin.off('keypress', beforeKey);
      process.stdin.off('keypress', afterKey);
      rl.close();
      resolve(value);
    };
    if (opts.mask) {
      // linenoise's mask mode: one '*' per typed character.
      const write = rl._writeToOutput.bind(rl);
      rl._writeToOutput = (s: string) => {
        if (s.startsWith(prompt)) write(prompt + '*'.repeat(rl.line.length));
        else if (s === '\r\n' || s === '\n') write(s);
        else write(s.replace(/[^\r\n\x1b]/g, '*'));
      };
    }
    const painter = opts.hint && !opts.mask ? new HintPainter(rl, prompt, opts.hint) : null;
    const cycler = opts.complete ? new TabCycler(rl, opts.complete) : null;
    const beforeKey = (_s: string, key: readline.Key | undefined) => {
      // Before readline handles Enter, remove the hint so the line stays as typed.
      if (key && (key.name === 'return' || key.name === 'enter')) painter?.clear();
      cycler?.key(key);
    };
    const afterKey = () => { if (!finished) setImmediate(() => { if (!finished) painter?.paint(); }); };
    process.stdin.prependListener('keypress', beforeKey);
    process.stdin.on('keypress', afterKey);
    rl.on('line', (line) => finish(utf8ToStr(line)));
    rl.on('SIGINT', () => { process.stdout.write('\n'); finish(null); });
    rl.on('close', () => finish(null));
    rl.prompt();
  });
}

const io: ProgramIo = {
  isTty: !!process.stdout.isTTY,
  get columns() { return process.stdout.columns; },
  readChunk: makeChunkReader(),
  readLine: process.stdin.isTTY ? readLineOnTerminal : undefined,
};

const env: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = utf8ToStr(v);

const os = new NativeOs({
  processName: 'redis-cli',
  stdout: (t) => { process.stdout.write(toBytes(t)); },
  stderr: (t) => { process.stderr.write(toBytes(t)); },
});

redisCliMain({ os, argv: ['redis-cli', ...process.argv.slice(2).map(utf8ToStr)], env, io }).catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
