/**
 * Runs Redis's own test suite against our native server and against a real redis-server, unit
 * by unit, and prints a table of the results side by side.
 *
 *   npm run redis-tests -- /path/to/redis/tests [options]
 *
 * The tests directory (redis/redis 7.0's `tests/`, e.g. from a source checkout) is copied to a
 * fresh temporary directory, never into the repo, once per kind of server. Logs of each run are
 * kept in the work directory, which is printed at the end. Four suites:
 *
 * - `external` (the default): test_helper.tcl in external-server mode (`--host/--port`). Both
 *   servers are restarted for every unit (external-mode tests are stateful: a unit killed
 *   half-way can leave a server wedged), and every run gets the same flags.
 * - `spawn`: test_helper.tcl in its normal mode, where each test starts its own servers from
 *   `src/redis-server <config>` (the replication, PSYNC, RDB and AOF integration units, and the
 *   tests other units tag external:skip). Each kind of server gets a copy of the tests whose
 *   `src/redis-server` is either the real binary or a wrapper that execs our native host, so
 *   the harness's pids, SIGKILLs and restarts reach our process as they would reach Redis.
 * - `sentinel` and `cluster`: tests/sentinel/run.tcl and tests/cluster/run.tcl, which start
 *   their own redis-servers and redis-sentinels the same way (5 + 5 instances; 20 nodes).
 *   `--units` picks units by name prefix (their --single).
 *
 * Options:
 *   --suite S            external (default), spawn, sentinel or cluster
 *   --units a,b,c        units to run (default: the suite's list below; all, for sentinel and cluster)
 *   --strict             without --ignore-encoding --ignore-digest
 *   --no-durable         let an error outside an assertion abort the unit (like a plain run)
 *   --ours-only          do not run real redis-server
 *   --real-only          only run real redis-server
 *   --port N             first port for the servers under test (default 28100)
 *   --baseport N         the harness's --baseport, where it looks for free ports for itself and
 *                        the servers it starts (default: 40000-59900, by this process's pid, so
 *                        that runs side by side do not take each other's ports)
 *   --timeout S          seconds per unit and server (default 600; 3600 for a whole sentinel or
 *                        cluster run)
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
import { buildNative, NATIVE_DIST } from './build-native';

const DEFAULT_UNITS = [
  'unit/type/string', 'unit/type/incr', 'unit/type/list', 'unit/type/list-2', 'unit/type/list-3', 'unit/type/hash',
  'unit/type/set', 'unit/type/zset', 'unit/keyspace', 'unit/expire', 'unit/multi', 'unit/pubsub', 'unit/protocol',
  'unit/info-command', 'unit/scan', 'unit/other', 'unit/introspection', 'unit/dump',
];

/** The replication and persistence units of the normal-mode (spawning) harness. */
const SPAWN_UNITS = [
  'integration/replication', 'integration/replication-2', 'integration/replication-3', 'integration/replication-4',
  'integration/replication-psync', 'integration/replication-buffer', 'integration/block-repl', 'integration/psync2',
  'integration/psync2-reg', 'integration/psync2-pingoff', 'integration/psync2-master-restart', 'integration/failover',
  'integration/rdb', 'integration/aof', 'integration/aof-multi-part',
];

type Suite = 'external' | 'spawn' | 'sentinel' | 'cluster';

const SKIP_TESTS = ['SRANDMEMBER with a dict containing long chain'];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Options {
  suite: Suite;
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
  console.error('usage: npm run redis-tests -- /path/to/redis/tests [--suite external|spawn|sentinel|cluster] [--units a,b] [--strict] [--no-durable] [--ours-only|--real-only] [--port N] [--baseport N] [--timeout S] [--verbose]');
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    suite: 'external', testsDir: '', units: [], strict: false, durable: true, ours: true, real: true,
    port: 28100, baseport: 40000 + (process.pid % 200) * 100, timeoutSec: 600, verbose: false,
  };
  let timeoutSec: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
    if (a === '--suite') {
      const v = next();
      if (v !== 'external' && v !== 'spawn' && v !== 'sentinel' && v !== 'cluster') usage(`unknown suite ${v}`);
      o.suite = v;
    } else if (a === '--units') o.units = next().split(',').map((u) => u.trim()).filter(Boolean);
    else if (a === '--strict') o.strict = true;
    else if (a === '--no-durable') o.durable = false;
    else if (a === '--ours-only') o.real = false;
    else if (a === '--real-only') o.ours = false;
    else if (a === '--port') o.port = Number(next());
    else if (a === '--baseport') o.baseport = Number(next());
    else if (a === '--timeout') timeoutSec = Number(next());
    else if (a === '--verbose') o.verbose = true;
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (!o.testsDir) o.testsDir = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!o.testsDir) usage('the path to a Redis 7.0 tests directory is required');
  // A sentinel or cluster run is one harness process for every unit.
  o.timeoutSec = timeoutSec ?? (o.suite === 'sentinel' || o.suite === 'cluster' ? 3600 : 600);
  if (o.units.length === 0) o.units = o.suite === 'external' ? DEFAULT_UNITS : o.suite === 'spawn' ? SPAWN_UNITS : [''];
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
    : spawn(process.execPath, [path.join(NATIVE_DIST, 'redis-server.mjs'), ...args], { cwd: repoRoot, stdio: ['ignore', out, out] });
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

/** The harness's command line for one unit of `o.suite` (the server under test at `port`). */
function harnessArgs(o: Options, unit: string, port: number): string[] {
  if (o.suite === 'sentinel' || o.suite === 'cluster') {
    return [`tests/${o.suite}/run.tcl`, ...(unit ? ['--single', unit] : [])];
  }
  const args = ['tests/test_helper.tcl', '--single', unit, '--timeout', String(o.timeoutSec)];
  if (o.suite === 'external') args.push('--host', '127.0.0.1', '--port', String(port), '--baseport', String(o.baseport), '--tags', '-needs:repl');
  else args.push('--clients', '1', '--baseport', String(o.baseport));
  if (!o.strict) args.push('--ignore-encoding', '--ignore-digest');
  if (o.durable) args.push('--durable');
  for (const t of SKIP_TESTS) args.push('--skiptest', t);
  return args;
}

/**
 * The results in a harness's output, by unit: test_helper.tcl's `[ok]: name` / `[err]: name`
 * lines (one unit per run), or run.tcl's `Testing unit: U` followed by `HH:MM:SS> name: OK` or
 * `...: FAILED: why` (every unit of the sentinel or cluster suite in one run).
 */
function parseResults(out: string, unit: string, seconds: number, timedOut: boolean): Map<string, UnitResult> {
  const results = new Map<string, UnitResult>();
  let current = unit;
  const row = () => {
    let r = results.get(current);
    if (!r) results.set(current, r = { ok: 0, err: 0, exception: 0, timedOut, failures: [], seconds });
    return r;
  };
  for (const l of plain(out).split('\n')) {
    const u = /^Testing unit: (\S+)/.exec(l);
    if (u) { current = u[1].replace(/\.tcl$/, ''); row(); continue; }
    const t = /^\d\d:\d\d:\d\d> (.*): (OK|FAILED: .*)$/.exec(l);
    if (t) {
      if (t[2] === 'OK') row().ok++;
      else { row().err++; row().failures.push(`${t[1]}: ${t[2]}`); }
    } else if (l.startsWith('[ok]: ')) row().ok++;
    else if (l.startsWith('[err]: ')) { row().err++; row().failures.push(l.slice(7)); }
    else if (l.startsWith('[exception]: ')) { row().exception++; row().failures.push(l); }
  }
  if (results.size === 0) row();
  return results;
}

function runUnit(o: Options, tree: string, port: number, unit: string, kind: string): Promise<Map<string, UnitResult>> {
  const args = harnessArgs(o, unit, port);
  const logPath = path.join(tree, '..', `${kind}-${o.suite}-${(unit || 'all').replace(/\//g, '_')}.log`);
  const started = Date.now();
  return new Promise((resolve) => {
    const p = spawn(which('tclsh8.6') ?? which('tclsh') ?? 'tclsh', args, { cwd: tree, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => { out += d.toString('latin1'); if (o.verbose) process.stdout.write(d); };
    p.stdout!.on('data', onData);
    p.stderr!.on('data', onData);
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; p.kill('SIGKILL'); }, (o.timeoutSec + 30) * 1000);
    p.on('exit', () => {
      clearTimeout(timer);
      fs.writeFileSync(logPath, out);
      resolve(parseResults(out, unit, Math.round((Date.now() - started) / 1000), timedOut));
    });
  });
}

/**
 * A copy of the tests for one kind of server: `src/` holds the tools the tests shell out to
 * (the installed redis-cli and friends) and the servers they start: the real binaries, or for
 * ours wrappers that exec our native host (keeping the pid the harness signals).
 */
function prepareTree(o: Options, workDir: string, kind: 'ours' | 'real'): string {
  const tree = path.join(workDir, kind);
  fs.cpSync(o.testsDir, path.join(tree, 'tests'), { recursive: true });
  for (const tmp of ['tmp', 'sentinel/tmp', 'cluster/tmp']) {
    fs.rmSync(path.join(tree, 'tests', tmp), { recursive: true, force: true });
    fs.mkdirSync(path.join(tree, 'tests', tmp));
  }
  const src = path.join(tree, 'src');
  fs.mkdirSync(src);
  for (const tool of ['redis-cli', 'redis-benchmark', 'redis-check-aof', 'redis-check-rdb']) {
    const p = which(tool);
    if (p) fs.symlinkSync(p, path.join(src, tool));
  }
  for (const server of ['redis-server', 'redis-sentinel']) {
    const target = path.join(src, server);
    if (kind === 'real') {
      const p = which(server);
      if (p) fs.symlinkSync(p, target);
    } else {
      // The bundle main() builds first (scripts/build-native.ts): it starts in ~0.15 s where
      // the sources through tsx take ~1 s, and the harness starts hundreds of servers.
      const entry = path.join(NATIVE_DIST, `${server}.mjs`);
      fs.writeFileSync(target, `#!/bin/sh\nexec '${process.execPath}' '${entry}' "$@"\n`, { mode: 0o755 });
    }
  }
  return tree;
}

function fmt(r: UnitResult | undefined): string {
  if (!r) return '-';
  return `${r.ok}/${r.err}/${r.exception}${r.timedOut ? ' (timeout)' : ''}`;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.real && !which('redis-server')) usage('redis-server is not installed (use --ours-only)');
  if (o.real && o.suite === 'sentinel' && !which('redis-sentinel')) usage('redis-sentinel is not installed (use --ours-only)');
  if (!which('tclsh8.6') && !which('tclsh')) usage('tclsh is not installed (apt-get install tcl)');
  // Ours runs from the bundle, built now from the current sources.
  if (o.ours) await buildNative();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'halab-redis-tests-'));
  console.log(`work directory: ${workDir}`);
  const kinds = (['ours', 'real'] as const).filter((k) => (k === 'ours' ? o.ours : o.real));
  const trees = new Map(kinds.map((k) => [k, prepareTree(o, workDir, k)]));
  const results = new Map<string, { ours?: UnitResult; real?: UnitResult }>();
  for (const unit of o.units) {
    for (const kind of kinds) {
      // Only external mode needs a server from us; the other suites start their own.
      const port = await freePortFrom(o.port);
      const target = o.suite === 'external' ? await startTarget(kind, port, workDir, unit) : null;
      let byUnit: Map<string, UnitResult>;
      try {
        byUnit = await runUnit(o, trees.get(kind)!, port, unit, kind);
      } finally {
        if (target) await stopTarget(target);
      }
      for (const [name, r] of byUnit) {
        const row = results.get(name) ?? {};
        row[kind] = r;
        results.set(name, row);
        console.log(`${(name || o.suite).padEnd(30)} ${kind.padEnd(5)} ok/err/exception ${fmt(r)}  (${r.seconds} s)`);
      }
    }
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
