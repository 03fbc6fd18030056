/**
 * Engine throughput and memory, measured three ways:
 *
 * 1. In-process dispatch: RESP request bytes go into a server through a fake socket and the
 *    reply bytes come out of it, with no network. One command per event (like `-P 1`) and 16
 *    per event (like `-P 16`). This is the engine's own cost: parsing, dispatch, the command,
 *    reply encoding, the end-of-event flush. Reported per second of CPU time used by this
 *    process, so time spent descheduled on a busy machine does not count.
 * 2. redis-benchmark (`-t set,get,incr,lpush -n 100000 -c 50`, `-P 1` and `-P 16`) against
 *    our native server (a child `node --import tsx src/native/redis-server.ts`, what
 *    `npm run redis-server` runs) and a real redis-server side by side, with the ratio
 *    ours/real. The servers take turns test by test and the best of two runs counts. Skipped
 *    when redis-benchmark or redis-server is not installed.
 * 3. Memory of 1M small keys (DEBUG POPULATE 1000000: `key:N` → `value:N`): V8 heap used
 *    after a full GC minus the same before, in this process; real Redis's used_memory growth
 *    for the same command.
 *
 * Numbers are printed, never asserted: the machine is shared and they vary from run to run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createServer } from '../src/engine/programs/redis-server';
import { Config } from '../src/engine/config/config';
import { encodeCommand } from '../src/engine/resp/reply-parser';
import { strToBytes } from '../src/engine/bytes';
import type { OsError, Socket } from '../src/engine/os';
import type { RedisServer } from '../src/engine/server/server';
import { MemoryOs } from '../test/support/memory-os';
import type { Measurement } from './run';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** MemoryOs with the real clock, so latency tracking and the slowlog do their real work. */
class ClockOs extends MemoryOs {
  private readonly originMs = performance.timeOrigin;
  override now(): number { return Date.now(); }
  override nowUs(): number { return Math.floor((this.originMs + performance.now()) * 1000); }
}

/** A connected socket that counts what the server writes and keeps the last write. */
class SinkSocket implements Socket {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 40000;
  readonly localAddress = '127.0.0.1';
  readonly localPort = 6379;
  onConnect: (() => void) | null = null;
  onData: ((bytes: Uint8Array) => void) | null = null;
  onClose: ((error: OsError | null) => void) | null = null;
  onDrain: (() => void) | null = null;
  bytesOut = 0;
  last: Uint8Array = new Uint8Array(0);
  write(bytes: Uint8Array): boolean { this.bytesOut += bytes.length; this.last = bytes; return true; }
  pendingBytes(): number { return 0; }
  end(): void {}
  destroy(): void {}
}

function newServer(): RedisServer {
  const config = new Config();
  config.setRaw('save', []);
  config.setRaw('enable-debug-command', 'yes');
  return createServer(new ClockOs(), { config });
}

/** The commands redis-benchmark sends for each test (no -r: the key names are literal). */
const TESTS: Record<string, string[]> = {
  SET: ['SET', 'key:__rand_int__', 'xxx'],
  GET: ['GET', 'key:__rand_int__'],
  INCR: ['INCR', 'counter:__rand_int__'],
  LPUSH: ['LPUSH', 'mylist', 'xxx'],
};

/** Ops/s of `argv` fed `perEvent` at a time into one client over `seconds`. */
export function dispatchOpsPerSec(argv: string[], perEvent: number, seconds: number): number {
  const server = newServer();
  const sock = new SinkSocket();
  server.createClient(sock);
  const one = strToBytes(encodeCommand(argv));
  const chunk = new Uint8Array(one.length * perEvent);
  for (let i = 0; i < perEvent; i++) chunk.set(one, i * one.length);
  // Buffers handed to onData are owned by the server afterwards in Node; a fresh copy each
  // time would measure the copy, so the same bytes are fed again (the parser copies them).
  const feed = sock.onData!;
  const warmupUntil = performance.now() + Math.min(300, seconds * 250);
  while (performance.now() < warmupUntil) feed(chunk);
  // CPU time, not wall time: the machine is shared, and time spent descheduled is not ours.
  let ops = 0;
  const cpu0 = process.cpuUsage();
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) feed(chunk);
    ops += 200 * perEvent;
  }
  const cpu = process.cpuUsage(cpu0);
  const ok = sock.last.length > 0 && sock.last[0] !== 45; /* '-' */
  if (!ok) throw new Error(`${argv[0]} replied with an error: ${String.fromCharCode(...sock.last.subarray(0, 80))}`);
  return ops / ((cpu.user + cpu.system) / 1e6);
}

function inProcess(): Measurement[] {
  const out: Measurement[] = [];
  for (const perEvent of [1, 16]) {
    for (const [name, argv] of Object.entries(TESTS)) {
      out.push({
        name: `in-process ${name} (${perEvent === 1 ? 'one command per event' : `${perEvent} per event`})`,
        value: dispatchOpsPerSec(argv, perEvent, 1), unit: 'ops/s',
      });
    }
  }
  return out;
}

// ---- redis-benchmark against both servers -------------------------------------------------

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

async function freePort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const p = 30000 + Math.floor(Math.random() * 20000);
    if (await isFree(p)) return p;
  }
  throw new Error('no free port');
}

interface Running { port: number; proc: ChildProcess; dir: string }

async function startProcess(cmd: string, args: string[], port: number, dir: string): Promise<Running> {
  const proc = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  const deadline = Date.now() + 30000;
  while (!out.includes('Ready to accept connections')) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${cmd} did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { port, proc, dir };
}

async function startServer(kind: 'ours' | 'real'): Promise<Running> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `halab-bench-${kind}-`));
  const common = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    '--enable-debug-command', 'yes'];
  if (kind === 'real') return startProcess(which('redis-server')!, common, port, dir);
  // What `npm run redis-server` runs, without npm in between.
  return startProcess(process.execPath, ['--import', 'tsx', 'src/native/redis-server.ts', ...common], port, dir);
}

async function stopServer(r: Running): Promise<void> {
  const exited = new Promise<void>((resolve) => { if (r.proc.exitCode !== null) resolve(); else r.proc.once('exit', () => resolve()); });
  r.proc.kill('SIGKILL');
  await exited;
  fs.rmSync(r.dir, { recursive: true, force: true });
}

/** One redis-benchmark run of one test (its CSV line: "test","rps",...): req/s. */
function runRedisBenchmark(port: number, test: string, pipeline: number): number {
  const r = spawnSync('redis-benchmark', ['-p', String(port), '-t', test.toLowerCase(), '-n', '100000', '-c', '50',
    '-P', String(pipeline), '--csv'], { encoding: 'utf8', timeout: 120_000 });
  for (const line of r.stdout.split('\n')) {
    const m = /^"([A-Z]+)[^"]*","([\d.]+)"/.exec(line);
    if (m && m[1] === test) return Number(m[2]);
  }
  throw new Error(`redis-benchmark gave no result for ${test}: ${r.stderr || r.stdout}`);
}

/**
 * Runs per server and test; the best one counts (the least disturbed on a shared machine).
 * A -P 16 run takes a fraction of a second, so it gets more rounds.
 */
const ROUNDS: Record<number, number> = { 1: 2, 16: 5 };

/** One redis-cli call's reply (raw output). */
function cli(port: number, ...args: string[]): string {
  return spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();
}

async function redisBenchmark(): Promise<Measurement[]> {
  if (!which('redis-benchmark') || !which('redis-server') || !which('redis-cli')) {
    return [{ name: 'redis-benchmark: skipped (redis-benchmark/redis-server not installed)', value: 0, unit: '' }];
  }
  const out: Measurement[] = [];
  const ours = await startServer('ours');
  const real = await startServer('real');
  try {
    // Let our server's JIT see the hot paths before the measured runs.
    spawnSync('redis-benchmark', ['-p', String(ours.port), '-t', 'set,get,incr,lpush', '-n', '20000', '-c', '50', '-P', '16', '-q'], { encoding: 'utf8' });
    // The two servers take turns test by test, so both see the same machine load.
    for (const pipeline of [1, 16]) {
      for (const test of ['SET', 'GET', 'INCR', 'LPUSH']) {
        let ov = 0, rv = 0;
        for (let round = 0; round < ROUNDS[pipeline]; round++) {
          ov = Math.max(ov, runRedisBenchmark(ours.port, test, pipeline));
          rv = Math.max(rv, runRedisBenchmark(real.port, test, pipeline));
        }
        out.push({ name: `redis-benchmark -P ${pipeline} ${test}: ours`, value: ov, unit: 'req/s', note: `best of ${ROUNDS[pipeline]}` });
        out.push({ name: `redis-benchmark -P ${pipeline} ${test}: real redis-server`, value: rv, unit: 'req/s', note: `best of ${ROUNDS[pipeline]}` });
        out.push({ name: `redis-benchmark -P ${pipeline} ${test}: ratio ours/real`, value: rv ? ov / rv : 0, unit: '×', target: 0.5 });
      }
    }
    out.push(...realMemory(real.port));
  } finally {
    await stopServer(ours);
    await stopServer(real);
  }
  return out;
}

// ---- memory ---------------------------------------------------------------------------------

const KEYS = 1_000_000;
/** Servers kept reachable while their memory is measured. */
const measured: RedisServer[] = [];

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapUsedAfterGc(gc: () => void): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap growth of a server filled by `fill` (after full GCs), and how long filling took. The
 * keys are made two ways: DEBUG POPULATE (strings built inside the engine) and SET requests
 * through the parser (strings made from request bytes, like a client's writes).
 */
function heapOf(label: string, fill: (server: RedisServer, sock: SinkSocket) => void): Measurement[] {
  const gc = collectGarbage();
  const before = heapUsedAfterGc(gc);
  const server = newServer();
  measured.push(server);
  const sock = new SinkSocket();
  server.createClient(sock);
  const t0 = performance.now();
  fill(server, sock);
  const ms = performance.now() - t0;
  if (server.dbs[0].size !== KEYS) throw new Error(`${label} made ${server.dbs[0].size} keys`);
  const after = heapUsedAfterGc(gc);
  const mb = (after - before) / (1024 * 1024);
  measured.length = 0;
  return [
    { name: `ours: heap for ${KEYS / 1e6}M keys (${label}, after GC)`, value: mb, unit: 'MB', target: 250, note: `${((after - before) / KEYS).toFixed(0)} bytes/key` },
    { name: `ours: ${label} of ${KEYS / 1e6}M keys`, value: ms, unit: 'ms' },
  ];
}

export function ourMemory(): Measurement[] {
  return [
    ...heapOf('DEBUG POPULATE', (_server, sock) => sock.onData!(strToBytes(encodeCommand(['DEBUG', 'POPULATE', String(KEYS)])))),
    ...heapOf('SET key:N value:N', (_server, sock) => {
      // 1000 requests per event, like a client pipelining its writes.
      for (let i = 0; i < KEYS; i += 1000) {
        let batch = '';
        for (let j = i; j < i + 1000; j++) batch += encodeCommand(['SET', `key:${j}`, `value:${j}`]);
        sock.onData!(strToBytes(batch));
      }
    }),
  ];
}

function usedMemory(port: number): number {
  const m = /used_memory:(\d+)/.exec(cli(port, 'INFO', 'memory'));
  return m ? Number(m[1]) : 0;
}

function realMemory(port: number): Measurement[] {
  cli(port, 'FLUSHALL');
  const before = usedMemory(port);
  cli(port, 'DEBUG', 'POPULATE', String(KEYS));
  const after = usedMemory(port);
  cli(port, 'FLUSHALL');
  const mb = (after - before) / (1024 * 1024);
  return [{ name: `real redis-server: used_memory growth for ${KEYS / 1e6}M keys`, value: mb, unit: 'MB', note: `${((after - before) / KEYS).toFixed(0)} bytes/key` }];
}

function machine(): Measurement {
  const cpus = os.cpus();
  return {
    name: 'machine: load average (1 min) at start', value: os.loadavg()[0], unit: '',
    note: `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`,
  };
}

export default async function run(): Promise<Measurement[]> {
  return [machine(), ...inProcess(), ...ourMemory(), ...(await redisBenchmark())];
}
