/**
 * `sysctl` as procps-ng 4.0.2 prints it: read (`sysctl vm.overcommit_memory`, a subtree `sysctl
 * vm`, `-a`), write (`-w key=value`, or any `key=value`), load files (`-p [file...]`, default
 * /etc/sysctl.conf), with -n/-N/-b/-e/-q. The tunables are files under /proc/sys on the host's
 * disk (see kernel/sysctl.ts); the kernel's bounds decide what a write may store.
 */
import type { Command, CmdCtx } from '../context';
import { PROC_SYS, parseConfLine, parseTunableValue, setTunableFile, tunableAt } from '../../kernel/sysctl';
import { bytesToLatin1 } from '../../kernel/kernel';
import type { Inode } from '../../kernel/disk';

const USAGE = `
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
`;

interface Opts { all: boolean; binary: boolean; ignore: boolean; names: boolean; values: boolean; load: boolean; quiet: boolean; write: boolean }

/** A key as typed → its /proc/sys path and the dotted name sysctl shows. */
function keyPath(key: string): { path: string; shown: string } {
  // A key with a '/' is taken as a path (its dots stay); otherwise dots separate levels.
  const rel = key.includes('/') ? key.replace(/^\/+/, '') : key.split('.').join('/');
  return { path: `${PROC_SYS}/${rel}`, shown: rel.split('/').join('.') };
}

function show(ctx: CmdCtx, o: Opts, shown: string, value: string): void {
  const v = value.endsWith('\n') ? value.slice(0, -1) : value;
  if (o.names) ctx.out(`${shown}\n`);
  else if (o.values) ctx.out(o.binary ? v : `${v}\n`);
  else ctx.out(o.binary ? `${shown} = ${v}` : `${shown} = ${v}\n`);
}

/** Every file under a /proc/sys directory, in name order. */
function walk(ctx: CmdCtx, dir: string, out: string[]): void {
  const names = ctx.host.disk.list(dir);
  if (!Array.isArray(names)) return;
  for (const n of names) {
    const p = `${dir}/${n}`;
    const f = ctx.host.disk.lookup(p);
    if (f?.isDir) walk(ctx, p, out);
    else if (f) out.push(p);
  }
}

/** The key's file under /proc/sys, or the status after procps's "cannot stat" (0 with -e). */
function statKey(ctx: CmdCtx, o: Opts, key: string): { f: Inode; path: string; shown: string } | number {
  const { path, shown } = keyPath(key);
  const f = ctx.host.disk.lookup(path);
  if (f) return { f, path, shown };
  if (o.ignore) return 0;
  ctx.err(`sysctl: cannot stat ${path}: No such file or directory\n`);
  return 1;
}

function readKey(ctx: CmdCtx, o: Opts, key: string): number {
  const found = statKey(ctx, o, key);
  if (typeof found === 'number') return found;
  const { f, path, shown } = found;
  if (f.isDir) {
    const files: string[] = [];
    walk(ctx, path, files);
    for (const p of files) show(ctx, o, p.slice(PROC_SYS.length + 1).split('/').join('.'), bytesToLatin1(ctx.host.disk.lookup(p)!.bytes()));
    return 0;
  }
  show(ctx, o, shown, bytesToLatin1(f.bytes()));
  return 0;
}

function writeKey(ctx: CmdCtx, o: Opts, key: string, value: string): number {
  const found = statKey(ctx, o, key);
  if (typeof found === 'number') return found;
  const { f, path, shown } = found;
  const t = tunableAt(path);
  const stored = t ? parseTunableValue(t, value) : null;
  if (f.isDir || !t || stored === null) {
    ctx.err(`sysctl: setting key "${shown}": ${f.isDir ? 'Is a directory' : 'Invalid argument'}\n`);
    return 1;
  }
  setTunableFile(ctx.host, path, stored, ctx.kernel.now);
  ctx.kernel.record('sysctl', ctx.host.name, ctx.proc.pid, `${shown}=${stored.trim()}`);
  if (!o.quiet) show(ctx, o, shown, value);
  return 0;
}

/** An argument on the command line: `key=value` writes, a bare key reads (an error with -w). */
function setting(ctx: CmdCtx, o: Opts, arg: string): number {
  const eq = arg.indexOf('=');
  if (eq < 0) {
    if (o.write) { ctx.err('sysctl: command line(0): invalid syntax, continuing...\n'); return 1; }
    return readKey(ctx, o, arg);
  }
  return writeKey(ctx, o, arg.slice(0, eq).trim(), arg.slice(eq + 1).trim());
}

/** `-p`: the whole file is parsed (syntax errors first), then its settings are written in order. */
function load(ctx: CmdCtx, o: Opts, file: string): number {
  const f = ctx.host.disk.lookup(file.startsWith('/') ? file : `${ctx.cwd}/${file}`);
  if (!f || f.isDir) {
    ctx.err(`sysctl: cannot open "${file}": ${f ? 'Is a directory' : 'No such file or directory'}\n`);
    return 1;
  }
  let code = 0;
  const settings: { key: string; value: string }[] = [];
  bytesToLatin1(f.bytes()).split('\n').forEach((raw, i) => {
    const r = parseConfLine(raw);
    if (r === 'invalid') { ctx.err(`sysctl: ${file}(${i + 1}): invalid syntax, continuing...\n`); code = 1; }
    else if (r !== 'blank') settings.push(r);
  });
  for (const s of settings) if (writeKey(ctx, o, s.key, s.value) !== 0) code = 1;
  return code;
}

export const sysctl: Command = function* (ctx, argv) {
  const o: Opts = { all: false, binary: false, ignore: false, names: false, values: false, load: false, quiet: false, write: false };
  const rest: string[] = [];
  let loadFile: string | null = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { rest.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const [name, val] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, null];
      switch (name) {
        case '--all': o.all = true; break;
        case '--binary': o.binary = true; break;
        case '--ignore': o.ignore = true; break;
        case '--names': o.names = true; break;
        case '--values': o.values = true; break;
        case '--quiet': o.quiet = true; break;
        case '--write': o.write = true; break;
        case '--load': o.load = true; if (val !== null) loadFile = val; break;
        case '--help': ctx.out(USAGE); return 0;
        case '--version': ctx.out('sysctl from procps-ng 4.0.2\n'); return 0;
        default:
          ctx.err(`sysctl: unrecognized option '${a}'\n`);
          ctx.out(USAGE);
          return 0;
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        switch (c) {
          case 'a': case 'A': case 'X': o.all = true; break;
          case 'b': o.binary = true; break;
          case 'e': o.ignore = true; break;
          case 'N': o.names = true; break;
          case 'n': o.values = true; break;
          case 'q': o.quiet = true; break;
          case 'w': o.write = true; break;
          case 'o': case 'x': break;
          case 'p': case 'f':
            o.load = true;
            if (j + 1 < a.length) { loadFile = a.slice(j + 1); j = a.length; }
            break;
          case 'h': case 'd': ctx.out(USAGE); return 0;
          case 'V': ctx.out('sysctl from procps-ng 4.0.2\n'); return 0;
          default:
            // procps prints the usage on stdout here and exits 0.
            ctx.err(`sysctl: invalid option -- '${c}'\n`);
            ctx.out(USAGE);
            return 0;
        }
      }
      continue;
    }
    rest.push(a);
  }
  if (o.load) {
    const files = loadFile !== null ? [loadFile, ...rest] : rest.length ? rest : ['/etc/sysctl.conf'];
    let code = 0;
    for (const f of files) if (load(ctx, o, f) !== 0) code = 1;
    return code;
  }
  if (o.all) {
    const files: string[] = [];
    walk(ctx, PROC_SYS, files);
    for (const p of files) show(ctx, o, p.slice(PROC_SYS.length + 1).split('/').join('.'), bytesToLatin1(ctx.host.disk.lookup(p)!.bytes()));
    return 0;
  }
  if (rest.length === 0) { ctx.err(USAGE); return 1; }
  let code = 0;
  for (const a of rest) if (setting(ctx, o, a) !== 0) code = 1;
  return code;
};
