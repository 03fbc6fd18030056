/**
 * Runs Redis's own test suite (external-server mode) against our native server and against a
 * real redis-server, unit by unit, and prints a table of the results side by side.
 *
 *   npm run redis-tests -- /path/to/redis/tests [options]
 *
 * The tests directory (redis/redis 7.0's `tests/`, e.g. from a source checkout) is copied to a
 * fresh temporary directory, never into the repo. Both servers are restarted for every unit
 * (external-mode tests are stateful: a unit killed half-way can leave a server wedged), and
 * every run gets the same flags. Logs of each run are kept in the work directory, which is
 * printed at the end.
 *
 * Options:
 *   --units a,b,c        units to run (default: the list below)
 *   --strict             without --ignore-encoding --ignore-digest
 *   --no-durable         let an error outside an assertion abort the unit (like a plain run)
 *   --ours-only          do not run real redis-server
 *   --real-only          only run real redis-server
 *   --port N             first port for the servers under test (default 28100)
 *   --baseport N         the harness's --baseport (default 28000)
 *   --timeout S          seconds per unit and server (default 600)
 *   --verbose            stream the harness output
 *
 * Tests tagged needs:repl (SYNC) are skipped, and so is "SRANDMEMBER with a dict containing
 * long chain", which reads a child pid that external mode does not have (see the 7.0 facts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';

const DEFAULT_UNITS = [
  'unit/type/string', 'unit/type/incr', 'unit/type/list', 'unit/type/list-2', 'unit/type/list-3', 'unit/type/hash',
  'unit/type/set', 'unit/type/zset', 'unit/keyspace', 'unit/expire', 'unit/multi', 'unit/pubsub', 'unit/protocol',
  'unit/info-command', 'unit/scan', 'unit/other', 'unit/introspection', 'unit/dump',
];

const SKIP_TESTS = ['SRANDMEMBER with a dict containing long chain'];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Options {
  testsDir: string;
  units: string[];
  strict: boolean;
  durable: boolean;
  ours: boolean;
  real: boolean;
  port: number;
  baseport: number;
  timeoutSec: number;
  verbose: boolean;
}

function usage(msg?: string): never {
  if (msg) console.error(msg);
  console.error('usage: npm run redis-tests -- /path/to/redis/tests [--units a,b] [--strict] [--no-durable] [--ours-only|--real-only] [--port N] [--baseport N] [--timeout S] [--verbose]');
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    testsDir: '', units: DEFAULT_UNITS, strict: false, durable: true, ours: true, real: true,
    port: 28100, baseport: 28000, timeoutSec: 600, verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
    if (a === '--units') o.units = next().split(',').map((u) => u.trim()).filter(Boolean);
    else if (a === '--strict') o.strict = true;
    else if (a === '--no-durable') o.durable = false;
    else if (a === '--ours-only') o.real = false;
    else if (a === '--real-only') o.ours = false;
    else if (a === '--port') o.port = Number(next());
    else if (a === '--baseport') o.baseport = Number(next());
    else if (a === '--timeout') o.timeoutSec = Number(next());
    else if (a === '--verbose') o.verbose = true;
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (!o.testsDir) o.testsDir = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!o.testsDir) usage('the path to a Redis 7.0 tests directory is required');
  o.testsDir = path.resolve(o.testsDir);
  if (!fs.existsSync(path.join(o.testsDir, 'test_helper.tcl'))) usage(`${o.testsDir} has no test_helper.tcl: not a Redis tests directory`);
  return o;
}

function which(name: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.stdout.trim() || null;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

async function freePortFrom(start: number): Promise<number> {
  for (let p = start; p < start + 200; p++) if (await isFree(p)) return p;
  throw new Error(`no free port from ${start}`);
}

/** A server under test, started fresh for one unit. */
interface Target { proc: ChildProcess; port: number; dir: string; log: string }

async function startTarget(kind: 'ours' | 'real', port: number, workDir: string, unit: string): Promise<Target> {
  const dir = fs.mkdtempSync(path.join(workDir, `${kind}-data-`));
  const log = path.join(workDir, `${kind}-${unit.replace(/\//g, '_')}.server.log`);
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    '--enable-debug-command', 'yes'];
  const out = fs.openSync(log, 'w');
  const proc = kind === 'real'
    ? spawn(which('redis-server')!, args, { stdio: ['ignore', out, out] })
    : spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/native/redis-server.ts'), ...args], { cwd: repoRoot, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const deadline = Date.now() + 30_000;
  while (!fs.readFileSync(log, 'utf8').includes('Ready to accept connections')) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${kind} server did not start, see ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, port, dir, log };
}

async function stopTarget(t: Target): Promise<void> {
  if (t.proc.exitCode === null) {
    const gone = new Promise<void>((r) => t.proc.once('exit', () => r()));
    t.proc.kill('SIGKILL');
    await gone;
  }
  fs.rmSync(t.dir, { recursive: true, force: true });
}

interface UnitResult { ok: number; err: number; exception: number; timedOut: boolean; failures: string[]; seconds: number }

/** Strip ANSI colours from the harness output. */
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

function runUnit(o: Options, workDir: string, port: number, unit: string, kind: string): Promise<UnitResult> {
  const args = ['tests/test_helper.tcl', '--host', '127.0.0.1', '--port', String(port), '--baseport', String(o.baseport),
    '--single', unit, '--tags', '-needs:repl', '--timeout', String(o.timeoutSec)];
  if (!o.strict) args.push('--ignore-encoding', '--ignore-digest');
  if (o.durable) args.push('--durable');
  for (const t of SKIP_TESTS) args.push('--skiptest', t);
  const logPath = path.join(workDir, `${kind}-${unit.replace(/\//g, '_')}.log`);
  const started = Date.now();
  return new Promise((resolve) => {
    const p = spawn(which('tclsh8.6') ?? which('tclsh') ?? 'tclsh', args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => { out += d.toString('latin1'); if (o.verbose) process.stdout.write(d); };
    p.stdout!.on('data', onData);
    p.stderr!.on('data', onData);
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; p.kill('SIGKILL'); }, (o.timeoutSec + 30) * 1000);
    p.on('exit', () => {
      clearTimeout(timer);
      fs.writeFileSync(logPath, out);
      const lines = plain(out).split('\n');
      const r: UnitResult = { ok: 0, err: 0, exception: 0, timedOut, failures: [], seconds: Math.round((Date.now() - started) / 1000) };
      for (const l of lines) {
        if (l.startsWith('[ok]: ')) r.ok++;
        else if (l.startsWith('[err]: ')) { r.err++; r.failures.push(l.slice(7)); }
        else if (l.startsWith('[exception]: ')) { r.exception++; r.failures.push(l); }
      }
      resolve(r);
    });
  });
}

function prepareWorkDir(o: Options): string {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'halab-redis-tests-'));
  fs.cpSync(o.testsDir, path.join(workDir, 'tests'), { recursive: true });
  fs.rmSync(path.join(workDir, 'tests', 'tmp'), { recursive: true, force: true });
  fs.mkdirSync(path.join(workDir, 'tests', 'tmp'));
  // Some helpers shell out to src/redis-cli and friends: point them at the installed tools.
  fs.mkdirSync(path.join(workDir, 'src'));
  for (const tool of ['redis-cli', 'redis-benchmark', 'redis-check-aof', 'redis-check-rdb', 'redis-server']) {
    const p = which(tool);
    if (p) fs.symlinkSync(p, path.join(workDir, 'src', tool));
  }
  return workDir;
}

function fmt(r: UnitResult | undefined): string {
  if (!r) return '-';
  return `${r.ok}/${r.err}/${r.exception}${r.timedOut ? ' (timeout)' : ''}`;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.real && !which('redis-server')) usage('redis-server is not installed (use --ours-only)');
  if (!which('tclsh8.6') && !which('tclsh')) usage('tclsh is not installed (apt-get install tcl)');
  const workDir = prepareWorkDir(o);
  console.log(`work directory: ${workDir}`);
  const results = new Map<string, { ours?: UnitResult; real?: UnitResult }>();
  for (const unit of o.units) {
    const row: { ours?: UnitResult; real?: UnitResult } = {};
    for (const kind of ['ours', 'real'] as const) {
      if ((kind === 'ours' && !o.ours) || (kind === 'real' && !o.real)) continue;
      const port = await freePortFrom(o.port);
      const target = await startTarget(kind, port, workDir, unit);
      try {
        row[kind] = await runUnit(o, workDir, port, unit, kind);
      } finally {
        await stopTarget(target);
      }
      console.log(`${unit.padEnd(22)} ${kind.padEnd(5)} ok/err/exception ${fmt(row[kind])}  (${row[kind]!.seconds} s)`);
    }
    results.set(unit, row);
  }

  console.log(`\n| unit | ours ok | ours err | ours exception | real ok | real err |`);
  console.log(`|---|---|---|---|---|---|`);
  const total = { ok: 0, err: 0, exc: 0, rok: 0, rerr: 0 };
  for (const [unit, r] of results) {
    const ours = r.ours, real = r.real;
    console.log(`| ${unit} | ${ours ? ours.ok : '-'} | ${ours ? ours.err : '-'} | ${ours ? ours.exception + (ours.timedOut ? ' (timeout)' : '') : '-'} | ${real ? real.ok : '-'} | ${real ? real.err + real.exception : '-'} |`);
    total.ok += ours?.ok ?? 0; total.err += ours?.err ?? 0; total.exc += ours?.exception ?? 0;
    total.rok += real?.ok ?? 0; total.rerr += (real?.err ?? 0) + (real?.exception ?? 0);
  }
  console.log(`| **total** | ${total.ok} | ${total.err} | ${total.exc} | ${total.rok} | ${total.rerr} |`);

  const failing = [...results].filter(([, r]) => r.ours && (r.ours.err || r.ours.exception));
  if (failing.length) {
    console.log('\nFailures on our server:');
    for (const [unit, r] of failing) {
      for (const f of r.ours!.failures) console.log(`  ${unit}: ${f.split('\n')[0]}`);
    }
  }
  console.log(`\nlogs: ${workDir}`);
}

main().catch((e) => { console.error(e?.stack ?? e); process.exit(1); });
