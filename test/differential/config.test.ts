/**
 * CONFIG against real Redis 7.0.15: the full parameter table as CONFIG GET * shows it, every
 * parameter's reaction to a battery of values (accepted, rejected with which text, what GET
 * shows afterwards), multi-pair atomicity, aliases, patterns, RESETSTAT and HELP.
 *
 * CONFIG GET order is the order of Redis's dict (seeded randomly at start-up), so map
 * replies are compared as sets of name/value pairs.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { describeDifferential, expectSame, type Pair } from '../support/differential';
import { RawClient } from '../support/raw-client';
import { REAL_REDIS, haveRealRedis } from '../support/real-redis';
import { freePort } from '../support/ports';
import { NativeOs } from '../../src/native/os';
import { redisServerMain } from '../../src/engine/programs/redis-server';
import { tempDir } from '../support/program-run';
import type { RespValue } from '../../src/engine/resp/reply-parser';

async function pairsOf(cl: RawClient, argv: string[]): Promise<Map<string, string>> {
  const enc = `*${argv.length}\r\n` + argv.map((x) => `$${Buffer.byteLength(x, 'latin1')}\r\n${x}\r\n`).join('');
  cl.write(enc);
  const r = (await cl.reply()).value;
  const items: RespValue[] = r.type === 'array' ? r.value : r.type === 'map' ? r.value.flat() : [];
  const m = new Map<string, string>();
  for (let i = 0; i + 1 < items.length; i += 2) {
    const k = items[i], v = items[i + 1];
    m.set(k.type === 'bulk' ? k.value : '?', v.type === 'bulk' ? v.value : JSON.stringify(v));
  }
  return m;
}

/** Values that differ by host or by the test harness's own command line. */
const HOST_SPECIFIC = new Set(['dir', 'port']);

async function expectSameConfigGet(p: Pair, argv: string[]): Promise<void> {
  const [a, b] = await Promise.all([pairsOf(p.realClient, argv), pairsOf(p.ourClient, argv)]);
  const norm = (m: Map<string, string>) => [...m].map(([k, v]) => `${k}=${HOST_SPECIFIC.has(k.toLowerCase()) ? '<host>' : v}`).sort();
  expect(norm(b), `CONFIG ${argv.slice(1).join(' ')}`).toEqual(norm(a));
}

/** Parameters whose CONFIG SET changes the test's own conditions (listening, auth, timeouts, client eviction). */
const NOT_IN_BATTERY = new Set([
  'port', 'bind', 'dir', 'requirepass', 'appendonly', 'timeout', 'maxmemory-clients', 'maxclients',
  'client-output-buffer-limit', 'oom-score-adj', 'oom-score-adj-values', 'save', 'watchdog-period',
]);

const VALUES = [
  'yes', 'no', 'NO', 'maybe', '', '0', '1', '-1', '100', '65536', '2147483648', '4294967296', '9223372036854775807',
  '18446744073709551615', '-9223372036854775808', '1k', '1kb', '2mb', '3gb', '1K', '1.5', '10%', '-10%', '101%',
  'abc', ' 5', '+5', '007', '0x10', 'always', 'default nosave now', 'save nosave', 'a b', 'local', 'allkeys-lru',
  '50 99', '900 1 300 10', 'Ag$', 'KEA', 'KEAn', 'Exn', 'KEmn', 'x y-z.local', '{title} {port}', '{bad}',
];

describeDifferential('CONFIG (differential)', (pair) => {
  it('CONFIG GET * lists the same parameters with the same values', async () => {
    await expectSameConfigGet(pair(), ['CONFIG', 'GET', '*']);
  });

  it('CONFIG GET patterns, exact names, aliases, case and several arguments', async () => {
    const p = pair();
    for (const args of [
      ['*max*'], ['slave*'], ['replica*'], ['*-ziplist-*'], ['port'], ['PORT'], ['Port', 'port'], ['maxmemory', 'maxmemory*'],
      ['slaveof'], ['replicaof'], ['SLAVE-PRIORITY'], ['use-exit-on-panic'], ['rdb-key-save-delay'], ['key-load-delay'],
      ['loading-process-events-interval-bytes'], ['*delay*'], ['nonexistent'], ['h?'], ['[hp]*'], ['*', 'port'],
      ['hz', 'maxmemory', 'nope', 'save'], ['a*', 'b*', 'c*'], ['tls-*'], ['*-cpulist', '*_cpulist'],
    ]) await expectSameConfigGet(p, ['CONFIG', 'GET', ...args]);
    await expectSame(p, [['CONFIG', 'GET'], ['CONFIG', 'GET', 'nonexistent'], ['CONFIG', 'GET', 'port', 'x']].slice(0, 2));
  });

  it('every parameter answers a battery of CONFIG SET values like Redis', async () => {
    const p = pair();
    const names = [...(await pairsOf(p.realClient, ['CONFIG', 'GET', '*'])).keys()].filter((n) => !NOT_IN_BATTERY.has(n)).sort();
    expect(names.length).toBeGreaterThan(150);
    for (const name of names) {
      const original = (await pairsOf(p.realClient, ['CONFIG', 'GET', name])).get(name)!;
      const steps: string[][] = [];
      for (const v of VALUES) steps.push(['CONFIG', 'SET', name, v], ['CONFIG', 'GET', name]);
      steps.push(['CONFIG', 'SET', name, original], ['CONFIG', 'GET', name]);
      await expectSame(p, steps);
    }
  }, 180_000);

  it('special parameters: save, client-output-buffer-limit, oom-score-adj-values, maxclients, maxmemory-clients', () => expectSame(pair(), [
    ['CONFIG', 'SET', 'save', '100 10 200'], ['CONFIG', 'SET', 'save', '0 10'], ['CONFIG', 'SET', 'save', 'a 1'], ['CONFIG', 'SET', 'save', '100 -1'],
    ['CONFIG', 'SET', 'save', '100 10 200 20'], ['CONFIG', 'GET', 'save'], ['CONFIG', 'SET', 'save', '100  10'], ['CONFIG', 'GET', 'save'],
    ['CONFIG', 'SET', 'save', '100 '], ['CONFIG', 'GET', 'save'], ['CONFIG', 'SET', 'save', ' 100 5'], ['CONFIG', 'SET', 'save', '+100 5'], ['CONFIG', 'GET', 'save'],
    ['CONFIG', 'SET', 'save', ''], ['CONFIG', 'GET', 'save'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 64mb 16mb 120'], ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'replica 1gb 512mb 30 normal 0 0 0'], ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'slave 1 2 3'], ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'master 1 2 3'], ['CONFIG', 'SET', 'client-output-buffer-limit', 'bogus 1 2 3'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1 2'], ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub x 2 3'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1 2 -3'], ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1 2 3x'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'PUBSUB 1K 2KB 3'], ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', ''], ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0 replica 256mb 64mb 60 pubsub 32mb 8mb 60'],
    ['CONFIG', 'SET', 'oom-score-adj-values', '0 100'], ['CONFIG', 'SET', 'oom-score-adj-values', '0 100 3000'], ['CONFIG', 'SET', 'oom-score-adj-values', 'a b c'],
    ['CONFIG', 'GET', 'oom-score-adj-values'],
    ['CONFIG', 'SET', 'maxclients', '0'], ['CONFIG', 'SET', 'maxclients', '-1'], ['CONFIG', 'SET', 'maxclients', 'x'], ['CONFIG', 'SET', 'maxclients', '100'],
    ['CONFIG', 'GET', 'maxclients'], ['CONFIG', 'SET', 'maxclients', '10000'],
    ['CONFIG', 'SET', 'maxmemory-clients', '10%'], ['CONFIG', 'GET', 'maxmemory-clients'], ['CONFIG', 'SET', 'maxmemory-clients', '101%'],
    ['CONFIG', 'SET', 'maxmemory-clients', '-5'], ['CONFIG', 'SET', 'maxmemory-clients', '1gb'], ['CONFIG', 'GET', 'maxmemory-clients'],
    ['CONFIG', 'SET', 'maxmemory-clients', '0'],
    ['CONFIG', 'SET', 'timeout', '-1'], ['CONFIG', 'SET', 'timeout', 'x'], ['CONFIG', 'GET', 'timeout'],
    ['CONFIG', 'SET', 'bind', '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17'], ['CONFIG', 'GET', 'bind'],
    ['CONFIG', 'SET', 'dir', '/nonexistent/dir'], ['CONFIG', 'SET', 'port', 'x'], ['CONFIG', 'SET', 'port', '70000'],
    ['CONFIG', 'SET', 'requirepass', ''], ['CONFIG', 'GET', 'requirepass'],
  ]));

  it('CONFIG SET with several pairs is all or nothing, with Redis\'s error precedence', () => expectSame(pair(), [
    ['CONFIG', 'SET', 'hz', '20', 'maxmemory', '10mb'], ['CONFIG', 'GET', 'hz'], ['CONFIG', 'GET', 'maxmemory'],
    ['CONFIG', 'SET', 'hz', '30', 'maxmemory', 'bad'], ['CONFIG', 'GET', 'hz'], ['CONFIG', 'GET', 'maxmemory'],
    ['CONFIG', 'SET', 'maxmemory', 'bad', 'hz', '30'], ['CONFIG', 'GET', 'hz'],
    ['CONFIG', 'SET', 'hz', '30', 'nope', '1'], ['CONFIG', 'SET', 'nope', '1', 'daemonize', 'yes'], ['CONFIG', 'SET', 'daemonize', 'yes', 'nope', '1'],
    ['CONFIG', 'SET', 'hz', '30', 'HZ', '40'], ['CONFIG', 'SET', 'hz', '30', 'hz', 'x'], ['CONFIG', 'GET', 'hz'],
    ['CONFIG', 'SET', 'replica-priority', '5', 'slave-priority', '6'], ['CONFIG', 'GET', 'replica-priority'],
    ['CONFIG', 'SET', 'slave-priority', 'x'], ['CONFIG', 'SET', 'SLAVE-PRIORITY', '7'], ['CONFIG', 'GET', 'slave-priority'],
    ['CONFIG', 'SET', 'dbfilename', 'x.rdb'], ['CONFIG', 'SET', 'hz', '10', 'dbfilename', 'x.rdb', 'maxmemory', 'x'],
    ['CONFIG', 'SET', 'daemonize', 'no'], ['CONFIG', 'SET', 'slaveof', 'no one'], ['CONFIG', 'SET', 'enable-debug-command', 'no'],
    ['CONFIG', 'SET', 'hz'], ['CONFIG', 'SET', 'hz', '10', 'maxmemory'], ['CONFIG', 'SET'],
    ['CONFIG', 'SET', 'maxmemory', '0', 'hz', '10'], ['CONFIG', 'GET', 'maxmemory'],
    ['CONFIG', 'SET', 'port', '21', 'hz', 'x'],
  ]));

  it('CONFIG RESETSTAT, HELP, REWRITE without a config file, unknown subcommands', () => expectSame(pair(), [
    ['SET', 'k', 'v'], ['GET', 'k'], ['GET', 'nokey'], ['INCR', 'k'],
    ['CONFIG', 'RESETSTAT'], { cmd: ['INFO', 'commandstats'], compare: 'type' }, ['INFO', 'errorstats'], ['CONFIG', 'RESETSTAT', 'x'],
    ['CONFIG', 'HELP'], ['config', 'help'], ['CONFIG', 'HELP', 'x'], ['CONFIG', 'REWRITE'], ['CONFIG', 'REWRITE', 'x'],
    ['CONFIG', 'BOGUS'], ['CONFIG'], ['CONFIG', 'GET', 'notify-keyspace-events'],
  ]));

  it('notify-keyspace-events normalisation and latency percentiles formatting', () => expectSame(pair(), [
    ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'nKE$lshzxetdg'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'mnE'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'Kx'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'q'], ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '0 0.5 12.345678 100'], ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
    ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '101'], ['CONFIG', 'SET', 'latency-tracking-info-percentiles', 'x'],
    ['CONFIG', 'SET', 'latency-tracking-info-percentiles', ''], ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
    ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9'],
    ['CONFIG', 'SET', 'shutdown-on-sigterm', 'nosave now'], ['CONFIG', 'GET', 'shutdown-on-sigterm'],
    ['CONFIG', 'SET', 'shutdown-on-sigterm', 'force now save'], ['CONFIG', 'GET', 'shutdown-on-sigterm'],
    ['CONFIG', 'SET', 'shutdown-on-sigterm', 'default'], ['CONFIG', 'GET', 'shutdown-on-sigterm'],
    ['CONFIG', 'SET', 'oom-score-adj', 'no'], ['CONFIG', 'GET', 'oom-score-adj'],
    ['CONFIG', 'SET', 'appendfsync', 'ALWAYS'], ['CONFIG', 'GET', 'appendfsync'], ['CONFIG', 'SET', 'appendfsync', 'everysec'],
  ]));
});

// ---- CONFIG REWRITE: both servers started from the same redis.conf, changed the same way ----


const ORIGINAL_CONF = `# My redis.conf
port $PORT
bind 127.0.0.1
save 900 1
save 300 10
# replica settings
slave-priority 50
maxmemory 100mb
hz 10
loglevel notice

   # indented comment


dbfilename "my dump.rdb"
client-output-buffer-limit pubsub 32mb 8mb 60
notify-keyspace-events ""
rename-command DEBUG DEBUG
`;

interface ConfServer { client: RawClient; dir: string; stop(): Promise<void> }

async function startRealWithConf(text: string): Promise<ConfServer> {
  const dir = tempDir('halab-rw-real-');
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'redis.conf'), text.replace('$PORT', String(port)));
  const proc: ChildProcess = spawn(REAL_REDIS!, ['redis.conf'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  while (!out.includes('Ready to accept')) await new Promise((r) => setTimeout(r, 20));
  return {
    dir, client: await RawClient.connect(port),
    stop: async () => { proc.kill('SIGKILL'); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

async function startOursWithConf(text: string): Promise<ConfServer> {
  const dir = tempDir('halab-rw-ours-');
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'redis.conf'), text.replace('$PORT', String(port)));
  const nos = new NativeOs({ cwd: dir, syntheticPid: true, onExit: () => undefined, stdout: () => undefined, stderr: () => undefined });
  const proc = await redisServerMain(nos, ['redis-server', 'redis.conf']);
  if (!proc) throw new Error('ours did not start');
  return {
    dir, client: await RawClient.connect(port),
    stop: async () => { proc.server.terminate(0); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/**
 * The rewritten file with host paths and ports neutralised. Redis appends new lines in the
 * order of its (randomly seeded) config dict, so the appended part is compared as a sorted set
 * of non-empty lines: which of them end up adjacent, and so which blank lines collapse in a
 * later rewrite, depends on that random order.
 */
function normaliseConf(text: string, dir: string): string[] {
  const lines = text.split(dir).join('$DIR').replace(/^port \d+$/m, 'port $PORT').split('\n');
  const sig = lines.indexOf('# Generated by CONFIG REWRITE');
  if (sig < 0) return lines;
  return [...lines.slice(0, sig + 1), ...lines.slice(sig + 1).filter((l) => l !== '').sort()];
}

(haveRealRedis() ? describe : describe.skip)('CONFIG REWRITE (differential)', () => {
  const servers: ConfServer[] = [];
  afterAll(async () => { for (const s of servers) await s.stop(); });

  it('keeps comments and order, updates lines in place, appends new ones, drops defaults and extra lines', async () => {
    const real = await startRealWithConf(ORIGINAL_CONF);
    const ours = await startOursWithConf(ORIGINAL_CONF);
    servers.push(real, ours);
    const steps: string[][] = [
      ['CONFIG', 'SET', 'maxmemory', '200mb'], ['CONFIG', 'SET', 'replica-priority', '100'], ['CONFIG', 'SET', 'save', '100 5'],
      ['CONFIG', 'SET', 'requirepass', 'foo'], ['AUTH', 'foo'], ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
      ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 2mb 3'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
      ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99.5'], ['CONFIG', 'SET', 'hz', '10'], ['CONFIG', 'SET', 'masteruser', 'bob'],
      ['CONFIG', 'REWRITE'],
    ];
    for (const argv of steps) {
      expect(await ours.client.call(...argv), argv.join(' ')).toBe(await real.client.call(...argv));
    }
    const a = normaliseConf(fs.readFileSync(path.join(real.dir, 'redis.conf'), 'latin1'), real.dir);
    const b = normaliseConf(fs.readFileSync(path.join(ours.dir, 'redis.conf'), 'latin1'), ours.dir);
    expect(b).toEqual(a);
    if (process.env.SHOW_REWRITE) console.log(b.join('\n'));

    // A second round: values back to defaults, the file edited meanwhile (unknown line becomes "# ???").
    fs.appendFileSync(path.join(real.dir, 'redis.conf'), 'bogus-directive 1\n');
    fs.appendFileSync(path.join(ours.dir, 'redis.conf'), 'bogus-directive 1\n');
    for (const argv of [['CONFIG', 'SET', 'requirepass', ''], ['CONFIG', 'SET', 'save', ''], ['CONFIG', 'SET', 'masteruser', ''],
      ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0'], ['CONFIG', 'SET', 'maxmemory', '0'], ['CONFIG', 'REWRITE']]) {
      expect(await ours.client.call(...argv), argv.join(' ')).toBe(await real.client.call(...argv));
    }
    const a2 = normaliseConf(fs.readFileSync(path.join(real.dir, 'redis.conf'), 'latin1'), real.dir);
    const b2 = normaliseConf(fs.readFileSync(path.join(ours.dir, 'redis.conf'), 'latin1'), ours.dir);
    expect(b2).toEqual(a2);
    // No temporary files left behind.
    expect(fs.readdirSync(ours.dir).filter((f) => f.startsWith('redis.conf.'))).toEqual([]);
  });

  it('rewriting a config file that was deleted creates it; an unwritable directory fails like Redis', async () => {
    const real = await startRealWithConf('port $PORT\nbind 127.0.0.1\n');
    const ours = await startOursWithConf('port $PORT\nbind 127.0.0.1\n');
    servers.push(real, ours);
    fs.rmSync(path.join(real.dir, 'redis.conf'));
    fs.rmSync(path.join(ours.dir, 'redis.conf'));
    expect(await ours.client.call('CONFIG', 'REWRITE')).toBe(await real.client.call('CONFIG', 'REWRITE'));
    const a = normaliseConf(fs.readFileSync(path.join(real.dir, 'redis.conf'), 'latin1'), real.dir);
    const b = normaliseConf(fs.readFileSync(path.join(ours.dir, 'redis.conf'), 'latin1'), ours.dir);
    expect(b).toEqual(a);
  });
});

// ---- CONFIG SET port / bind: the listener really moves, and CONFIG SET replies after it did ----


function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

(haveRealRedis() ? describe : describe.skip)('CONFIG GET * on a default-started server (differential)', () => {
  it('the same names and values (dir and port are host-specific)', async () => {
    const real = await startRealWithConf('port $PORT\n');
    const ours = await startOursWithConf('port $PORT\n');
    try {
      const [a, b] = await Promise.all([pairsOf(real.client, ['CONFIG', 'GET', '*']), pairsOf(ours.client, ['CONFIG', 'GET', '*'])]);
      const norm = (m: Map<string, string>) => [...m].map(([k, v]) => `${k}=${HOST_SPECIFIC.has(k) ? '<host>' : v}`).sort();
      expect(norm(b)).toEqual(norm(a));
      expect(b.size).toBe(a.size);
    } finally {
      await real.stop();
      await ours.stop();
    }
  });
});

(haveRealRedis() ? describe : describe.skip)('CONFIG SET port and bind (differential)', () => {
  it('moves the listener, refuses a busy port with the same error, and rebinds', async () => {
    const real = await startRealWithConf('port $PORT\nbind 127.0.0.1\nsave ""\n');
    const ours = await startOursWithConf('port $PORT\nbind 127.0.0.1\nsave ""\n');
    try {
      const blocker = net.createServer();
      const busy = await freePort();
      await new Promise<void>((r) => blocker.listen(busy, '127.0.0.1', () => r()));
      try {
        // A busy port: the same error, and the server still listens where it was.
        expect(await ours.client.call('CONFIG', 'SET', 'port', String(busy))).toBe(await real.client.call('CONFIG', 'SET', 'port', String(busy)));
      } finally {
        blocker.close();
      }
      for (const srv of [real, ours]) {
        const oldPort = srv.client.sock.remotePort!;
        expect(await canConnect(oldPort)).toBe(true);
        const next = await freePort();
        expect(await srv.client.call('CONFIG', 'SET', 'port', String(next))).toBe('+OK\r\n');
        // The reply came after the rebind: the new port accepts right away, the old one is closed.
        expect(await canConnect(next)).toBe(true);
        expect(await canConnect(oldPort)).toBe(false);
        expect(await srv.client.call('CONFIG', 'GET', 'port')).toBe(`*2\r\n$4\r\nport\r\n$${String(next).length}\r\n${next}\r\n`);
        expect(await srv.client.call('CONFIG', 'SET', 'bind', '127.0.0.1 -::1')).toBe('+OK\r\n');
        expect(await canConnect(next)).toBe(true);
        expect(await srv.client.call('CONFIG', 'SET', 'bind', '10.255.255.1')).toBe('-ERR CONFIG SET failed (possibly related to argument \'bind\') - Failed to bind to specified addresses.\r\n');
        expect(await canConnect(next)).toBe(true);
        expect(await srv.client.call('CONFIG', 'GET', 'bind')).toBe('*2\r\n$4\r\nbind\r\n$14\r\n127.0.0.1 -::1\r\n');
        expect(await srv.client.call('PING')).toBe('+PONG\r\n');
      }
    } finally {
      await real.stop();
      await ours.stop();
    }
  });
});
