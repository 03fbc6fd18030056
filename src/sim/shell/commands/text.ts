/** Text commands: echo, printf, sed, grep, head, tail, wc, sort, uniq. */
import type { Command, CmdCtx } from '../context';
import { abs, ERRNO, getopt, readAllInput, readText, usage, writeText } from '../context';
import type { TaskGen } from '../../kernel/tasks';

function unescape(s: string): string {
  return s.replace(/\\(n|t|\\|r|a|b|e|0[0-7]{0,3}|c)/g, (_m, c: string) => {
    switch (c[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'e': return '\x1b';
      case '\\': return '\\';
      case '0': return String.fromCharCode(parseInt(c.slice(1) || '0', 8));
      default: return '';
    }
  });
}

export const echo: Command = function* (ctx, argv) {
  let i = 1;
  let newline = true;
  let escapes = false;
  while (i < argv.length && /^-[neE]+$/.test(argv[i])) {
    for (const c of argv[i].slice(1)) { if (c === 'n') newline = false; else if (c === 'e') escapes = true; else escapes = false; }
    i++;
  }
  let text = argv.slice(i).join(' ');
  if (escapes) text = unescape(text);
  ctx.out(text + (newline ? '\n' : ''));
  return 0;
};

export const printf: Command = function* (ctx, argv) {
  if (argv.length < 2) { ctx.err('printf: usage: printf [-v var] format [arguments]\n'); return 2; }
  const fmt = argv[1];
  const args = argv.slice(2);
  let out = '';
  let ai = 0;
  do {
    out += unescape(fmt).replace(/%(-?\d*)([sdif%])/g, (_m, w: string, c: string) => {
      if (c === '%') return '%';
      const a = args[ai++] ?? '';
      let v = c === 's' ? a : String(c === 'f' ? (Number(a) || 0).toFixed(6) : Math.trunc(Number(a) || 0));
      const width = Number(w.replace('-', '')) || 0;
      v = w.startsWith('-') ? v.padEnd(width) : v.padStart(width);
      return v;
    });
  } while (ai < args.length && ai > 0);
  ctx.out(out);
  return 0;
};

/** Text of the operands (or standard input); reports unreadable files like GNU tools. */
function* inputs(ctx: CmdCtx, files: string[], name: string, openMsg: (f: string, e: string) => string): TaskGen<{ name: string; text: string }[] | number> {
  if (files.length === 0) return [{ name: '(standard input)', text: yield* readAllInput(ctx) }];
  const out: { name: string; text: string }[] = [];
  let failed = false;
  for (const f of files) {
    if (f === '-') { out.push({ name: '(standard input)', text: yield* readAllInput(ctx) }); continue; }
    const r = readText(ctx, f);
    if ('error' in r) { ctx.err(`${name}: ${openMsg(f, ERRNO[r.error])}\n`); failed = true; continue; }
    out.push({ name: f, text: r.text });
  }
  if (failed && out.length === 0) return 1;
  return failed ? [...out, { name: '\0failed', text: '' }] : out;
}

function lines(text: string): string[] {
  if (text === '') return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** POSIX basic regular expression → JavaScript. */
export function breToJs(re: string): string {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\' && i + 1 < re.length) {
      const n = re[++i];
      if ('(){}|+?'.includes(n)) out += n;
      else if (n === '<' || n === '>') out += '\\b';
      else out += '\\' + n;
      continue;
    }
    if ('(){}|+?'.includes(c)) { out += '\\' + c; continue; }
    if (c === '[') {
      const end = re.indexOf(']', i + (re[i + 1] === '^' ? 3 : 2));
      if (end > 0) {
        out += re.slice(i, end + 1).replace(/\[:alpha:\]/g, 'A-Za-z').replace(/\[:digit:\]/g, '0-9').replace(/\[:space:\]/g, '\\s').replace(/\[:alnum:\]/g, 'A-Za-z0-9').replace(/\[:upper:\]/g, 'A-Z').replace(/\[:lower:\]/g, 'a-z');
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function compile(pattern: string, ere: boolean, flags: string): RegExp | null {
  try { return new RegExp(ere ? pattern : breToJs(pattern), flags); } catch { return null; }
}

export const grep: Command = function* (ctx, argv) {
  const { flags, args, bad } = getopt(argv, 'vciEFnqlhHorwx', 'e');
  if (bad || (args.length === 0 && !flags.has('e'))) {
    if (bad) ctx.err(`grep: invalid option -- '${bad}'\n`);
    ctx.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
    return 2;
  }
  const pattern = flags.has('e') ? flags.get('e')! : args.shift()!;
  let src = flags.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern;
  if (flags.has('w')) src = `\\b(?:${flags.has('E') || flags.has('F') ? src : breToJs(src)})\\b`;
  if (flags.has('x')) src = `^(?:${flags.has('E') || flags.has('F') || flags.has('w') ? src : breToJs(src)})$`;
  const re = compile(src, flags.has('E') || flags.has('F') || flags.has('w') || flags.has('x'), flags.has('i') ? 'i' : '');
  if (!re) { ctx.err('grep: Unmatched ( or \\(\n'); return 2; }
  const ins = yield* inputs(ctx, args, 'grep', (f, e) => `${f}: ${e}`);
  if (typeof ins === 'number') return 2;
  const failed = ins.some((x) => x.name === '\0failed');
  const files = ins.filter((x) => x.name !== '\0failed');
  const prefix = (flags.has('H') || args.length > 1) && !flags.has('h');
  let any = false;
  for (const f of files) {
    let count = 0;
    lines(f.text).forEach((line, idx) => {
      const hit = re.test(line) !== flags.has('v');
      if (!hit) return;
      count++;
      any = true;
      if (flags.has('q') || flags.has('c') || flags.has('l')) return;
      const pre = `${prefix ? f.name + ':' : ''}${flags.has('n') ? idx + 1 + ':' : ''}`;
      if (flags.has('o') && !flags.has('v')) {
        const g = new RegExp(re.source, re.flags + 'g');
        for (const m of line.matchAll(g)) if (m[0]) ctx.out(pre + m[0] + '\n');
      } else ctx.out(pre + line + '\n');
    });
    if (flags.has('c')) ctx.out(`${prefix ? f.name + ':' : ''}${count}\n`);
    if (flags.has('l') && count > 0) ctx.out(f.name + '\n');
  }
  if (failed) return 2;
  return any ? 0 : 1;
};

interface SedCmd { addr: RegExp | number | '$' | null; cmd: 's' | 'd' | 'p'; re?: RegExp; repl?: string; global?: boolean; print?: boolean; nth?: number }

function parseSed(script: string, ere: boolean): SedCmd[] | string {
  const cmds: SedCmd[] = [];
  for (const raw of script.split(/;|\n/)) {
    let s = raw.trim();
    if (!s) continue;
    let addr: SedCmd['addr'] = null;
    let m: RegExpExecArray | null;
    if ((m = /^(\d+)/.exec(s))) { addr = Number(m[1]); s = s.slice(m[0].length); }
    else if (s.startsWith('$')) { addr = '$'; s = s.slice(1); }
    else if (s.startsWith('/')) {
      const end = s.indexOf('/', 1);
      if (end < 0) return 'unterminated address regex';
      const re = compile(s.slice(1, end), ere, '');
      if (!re) return 'invalid regex';
      addr = re;
      s = s.slice(end + 1);
    }
    s = s.trim();
    if (s === 'd' || s === 'p') { cmds.push({ addr, cmd: s }); continue; }
    if (s.startsWith('s') && s.length > 1) {
      const delim = s[1];
      const parts: string[] = [];
      let cur = '';
      let i = 2;
      for (; i < s.length && parts.length < 2; i++) {
        if (s[i] === '\\' && s[i + 1] === delim) { cur += delim; i++; continue; }
        if (s[i] === delim) { parts.push(cur); cur = ''; continue; }
        cur += s[i];
      }
      if (parts.length < 2) return `unterminated \`s' command`;
      const flagsText = s.slice(i);
      const icase = flagsText.includes('I') || flagsText.includes('i');
      const re = compile(parts[0], ere, icase ? 'gi' : 'g');
      if (!re) return 'invalid regex';
      const repl = parts[1]
        .replace(/\$/g, '$$$$')
        .replace(/\\(\d)/g, '$$$1')
        .replace(/(^|[^\\])&/g, '$1$$&')
        .replace(/\\&/g, '&')
        .replace(/\\n/g, '\n')
        .replace(/\\\//g, '/');
      const nth = /\d+/.exec(flagsText);
      cmds.push({ addr, cmd: 's', re, repl, global: flagsText.includes('g'), print: flagsText.includes('p'), nth: nth ? Number(nth[0]) : undefined });
      continue;
    }
    return `unknown command: \`${s[0]}'`;
  }
  return cmds;
}

function runSed(cmds: SedCmd[], text: string, quiet: boolean): string {
  const ls = lines(text);
  const trailingNewline = text.endsWith('\n') || text === '';
  let out = '';
  ls.forEach((line0, idx) => {
    let line = line0;
    let deleted = false;
    let extra = '';
    for (const c of cmds) {
      const a = c.addr;
      const hit = a === null || (typeof a === 'number' ? a === idx + 1 : a === '$' ? idx === ls.length - 1 : a.test(line));
      if (!hit) continue;
      if (c.cmd === 'd') { deleted = true; break; }
      if (c.cmd === 'p') { extra += line + '\n'; continue; }
      let n = 0;
      const before = line;
      line = line.replace(c.re!, (...m) => {
        n++;
        if (c.global || (c.nth ? n === c.nth : n === 1)) {
          return c.repl!.replace(/\$(\$|&|\d)/g, (_x, k: string) => (k === '$' ? '$' : k === '&' ? m[0] : m[Number(k)] ?? ''));
        }
        return m[0];
      });
      if (c.print && line !== before) extra += line + '\n';
    }
    out += extra;
    if (!deleted && !quiet) out += line + (idx < ls.length - 1 || trailingNewline ? '\n' : '');
  });
  return out;
}

export const sed: Command = function* (ctx, argv) {
  const scripts: string[] = [];
  const files: string[] = [];
  let inPlace = false;
  let quiet = false;
  let ere = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-e') { scripts.push(argv[++i] ?? ''); continue; }
    if (a === '-i' || a.startsWith('-i')) { inPlace = true; continue; }
    if (a === '-n') { quiet = true; continue; }
    if (a === '-E' || a === '-r') { ere = true; continue; }
    if (a.startsWith('-') && a !== '-') return usage(ctx, 'sed', `invalid option -- '${a.slice(1, 2)}'`);
    if (scripts.length === 0) scripts.push(a);
    else files.push(a);
  }
  if (scripts.length === 0) {
    ctx.err('Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n');
    return 1;
  }
  const cmds = parseSed(scripts.join('\n'), ere);
  if (typeof cmds === 'string') { ctx.err(`sed: -e expression #1, char 1: ${cmds}\n`); return 1; }
  if (inPlace) {
    if (files.length === 0) { ctx.err('sed: no input files\n'); return 1; }
    let code = 0;
    for (const f of files) {
      const r = readText(ctx, f);
      if ('error' in r) { ctx.err(`sed: can't read ${f}: ${ERRNO[r.error]}\n`); code = 2; continue; }
      writeText(ctx, f, runSed(cmds, r.text, quiet));
    }
    return code;
  }
  const ins = yield* inputs(ctx, files, 'sed', (f, e) => `can't read ${f}: ${e}`);
  if (typeof ins === 'number') return 2;
  const ok = ins.filter((x) => x.name !== '\0failed');
  ctx.out(runSed(cmds, ok.map((x) => x.text).join(''), quiet));
  return ok.length === ins.length ? 0 : 2;
};

function headTail(which: 'head' | 'tail'): Command {
  return function* (ctx, argv) {
    let n = 10;
    let bytes: number | null = null;
    let fromStart = false;
    const files: string[] = [];
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i];
      let v: string | null = null;
      if (a === '-n' || a === '-c') v = argv[++i] ?? '';
      else if (/^-[nc].+/.test(a)) v = a.slice(2);
      else if (/^-\d+$/.test(a)) { n = Number(a.slice(1)); continue; }
      else if (a === '-f' || a === '-F') { ctx.err(`${which}: -f is not available in this terminal; run it again to see new lines\n`); return 1; }
      else if (a.startsWith('-') && a !== '-') return usage(ctx, which, `invalid option -- '${a.slice(1, 2)}'`);
      else { files.push(a); continue; }
      const isBytes = a.startsWith('-c');
      if (which === 'tail' && v.startsWith('+')) { fromStart = true; v = v.slice(1); }
      if (!/^-?\d+$/.test(v)) { ctx.err(`${which}: invalid number of ${isBytes ? 'bytes' : 'lines'}: ‘${v}’\n`); return 1; }
      if (isBytes) bytes = Number(v); else n = Number(v);
    }
    const ins = yield* inputs(ctx, files, which, (f, e) => `cannot open '${f}' for reading: ${e}`);
    if (typeof ins === 'number') return 1;
    const ok = ins.filter((x) => x.name !== '\0failed');
    ok.forEach((f, idx) => {
      if (ok.length > 1) ctx.out(`${idx > 0 ? '\n' : ''}==> ${f.name} <==\n`);
      if (bytes !== null) {
        ctx.out(which === 'head' ? (bytes < 0 ? f.text.slice(0, bytes) : f.text.slice(0, bytes)) : fromStart ? f.text.slice(Math.max(0, bytes - 1)) : f.text.slice(-bytes || f.text.length));
        return;
      }
      const ls = lines(f.text);
      let sel: string[];
      if (which === 'head') sel = n < 0 ? ls.slice(0, n) : ls.slice(0, n);
      else sel = fromStart ? ls.slice(Math.max(0, n - 1)) : n === 0 ? [] : ls.slice(-n);
      const lastIncluded = sel.length > 0 && (which === 'tail' || sel.length === ls.length);
      const noFinalNewline = !f.text.endsWith('\n') && lastIncluded;
      ctx.out(sel.join('\n') + (sel.length > 0 && !noFinalNewline ? '\n' : ''));
    });
    return ok.length === ins.length ? 0 : 1;
  };
}

export const head = headTail('head');
export const tail = headTail('tail');

export const wc: Command = function* (ctx, argv) {
  const { flags, args, bad } = getopt(argv, 'lcwm');
  if (bad) return usage(ctx, 'wc', `invalid option -- '${bad}'`);
  const ins = yield* inputs(ctx, args, 'wc', (f, e) => `${f}: ${e}`);
  if (typeof ins === 'number') return 1;
  const ok = ins.filter((x) => x.name !== '\0failed');
  const show = flags.size === 0 ? ['l', 'w', 'c'] : ['l', 'w', 'c', 'm'].filter((f) => flags.has(f));
  const rows = ok.map((f) => ({
    name: args.length ? f.name : '',
    l: (f.text.match(/\n/g) ?? []).length,
    w: f.text.split(/\s+/).filter(Boolean).length,
    c: f.text.length,
    m: f.text.length,
  }));
  if (rows.length > 1) rows.push({ name: 'total', l: sum(rows, 'l'), w: sum(rows, 'w'), c: sum(rows, 'c'), m: sum(rows, 'm') });
  const width = show.length === 1 && rows.length === 1 ? 0 : args.length === 0 ? 7 : Math.max(...rows.map((r) => String(r.c).length));
  for (const r of rows) {
    const cols = show.map((k) => String(r[k as 'l']).padStart(width));
    ctx.out(cols.join(' ') + (r.name ? ' ' + r.name : '') + '\n');
  }
  return ok.length === ins.length ? 0 : 1;
};

function sum(rows: { l: number; w: number; c: number; m: number }[], k: 'l' | 'w' | 'c' | 'm'): number {
  return rows.reduce((t, r) => t + r[k], 0);
}

export const sort: Command = function* (ctx, argv) {
  const { flags, args } = getopt(argv, 'nru');
  const ins = yield* inputs(ctx, args, 'sort', (f, e) => `cannot read: ${f}: ${e}`);
  if (typeof ins === 'number') return 2;
  let ls = ins.filter((x) => x.name !== '\0failed').flatMap((f) => lines(f.text));
  ls.sort(flags.has('n') ? (a, b) => parseFloat(a) - parseFloat(b) || (a < b ? -1 : 1) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (flags.has('r')) ls.reverse();
  if (flags.has('u')) ls = ls.filter((l, i) => i === 0 || l !== ls[i - 1]);
  ctx.out(ls.map((l) => l + '\n').join(''));
  return 0;
};

export const uniq: Command = function* (ctx, argv) {
  const { flags, args } = getopt(argv, 'c');
  const ins = yield* inputs(ctx, args.slice(0, 1), 'uniq', (f, e) => `${f}: ${e}`);
  if (typeof ins === 'number') return 1;
  const ls = ins.flatMap((f) => lines(f.text));
  let prev: string | null = null;
  let count = 0;
  const flush = () => { if (prev !== null) ctx.out(flags.has('c') ? `${String(count).padStart(7)} ${prev}\n` : prev + '\n'); };
  for (const l of ls) {
    if (l === prev) { count++; continue; }
    flush();
    prev = l;
    count = 1;
  }
  flush();
  return 0;
};

export const seq: Command = function* (ctx, argv) {
  const nums = argv.slice(1).filter((a) => !a.startsWith('-') || /^-\d/.test(a)).map(Number);
  if (nums.length === 0 || nums.some((n) => Number.isNaN(n))) return usage(ctx, 'seq', nums.length === 0 ? 'missing operand' : `invalid floating point argument: ‘${argv.find((a) => Number.isNaN(Number(a)) && a !== argv[0])}’`);
  const [first, step, last] = nums.length === 1 ? [1, 1, nums[0]] : nums.length === 2 ? [nums[0], 1, nums[1]] : nums;
  if (step === 0) return usage(ctx, 'seq', 'invalid Zero increment value: ‘0’');
  const out: string[] = [];
  for (let v = first; step > 0 ? v <= last : v >= last; v += step) {
    out.push(String(v));
    if (out.length >= 1_000_000) break;
  }
  ctx.out(out.length ? out.join('\n') + '\n' : '');
  return 0;
};

/** test / [ : file tests, string and integer comparisons, !, -a, -o. */
export const test: Command = function* (ctx, argv) {
  let args = argv.slice(1);
  if (argv[0] === '[') {
    if (args[args.length - 1] !== ']') { ctx.err("bash: [: missing `]'\n"); return 2; }
    args = args.slice(0, -1);
  }
  const node = (p: string) => ctx.host.disk.lookup(abs(ctx, p));
  const evalExpr = (a: string[]): boolean | string => {
    const orAt = a.indexOf('-o');
    if (orAt > 0) { const l = evalExpr(a.slice(0, orAt)); const r = evalExpr(a.slice(orAt + 1)); return typeof l === 'string' ? l : typeof r === 'string' ? r : l || r; }
    const andAt = a.indexOf('-a', 1);
    if (andAt > 0 && a.length > 3) { const l = evalExpr(a.slice(0, andAt)); const r = evalExpr(a.slice(andAt + 1)); return typeof l === 'string' ? l : typeof r === 'string' ? r : l && r; }
    if (a[0] === '!') { const r = evalExpr(a.slice(1)); return typeof r === 'string' ? r : !r; }
    if (a.length === 0) return false;
    if (a.length === 1) return a[0] !== '';
    if (a.length === 2) {
      const [op, v] = a;
      switch (op) {
        case '-z': return v === '';
        case '-n': return v !== '';
        case '-e': return node(v) !== null;
        case '-f': return node(v)?.isDir === false;
        case '-d': return node(v)?.isDir === true;
        case '-s': { const n = node(v); return !!n && !n.isDir && n.len > 0; }
        case '-r': case '-w': case '-x': return node(v) !== null;
      }
      return `${op}: unary operator expected`;
    }
    const [l, op, r] = a;
    const ints = () => (/^-?\d+$/.test(l) && /^-?\d+$/.test(r) ? [Number(l), Number(r)] : null);
    switch (op) {
      case '=': case '==': return l === r;
      case '!=': return l !== r;
      case '-eq': case '-ne': case '-lt': case '-le': case '-gt': case '-ge': {
        const n = ints();
        if (!n) return `${/^-?\d+$/.test(l) ? r : l}: integer expression expected`;
        return { '-eq': n[0] === n[1], '-ne': n[0] !== n[1], '-lt': n[0] < n[1], '-le': n[0] <= n[1], '-gt': n[0] > n[1], '-ge': n[0] >= n[1] }[op];
      }
    }
    return `${op}: binary operator expected`;
  };
  const r = evalExpr(args);
  if (typeof r === 'string') { ctx.err(`bash: ${argv[0]}: ${r}\n`); return 2; }
  return r ? 0 : 1;
};

export { abs };
