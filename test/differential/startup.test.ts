/**
 * redis-server start-up against real Redis 7.0.15: --version/--help, every kind of bad
 * configuration (same FATAL text on stderr, same exit code), the log lines of a normal start
 * and of a SIGTERM shutdown, port conflicts, includes, stdin and command-line options.
 *
 * Differences we accept and filter: the build line of --version (allocator and build id).
 * Both read this machine's /proc/sys/vm/overcommit_memory and /proc/sys/net/core/somaxconn (and
 * its THP mode and clock source), so the warnings about them are compared too (whatever the
 * machine's values are), and so is --check-system.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { haveRealRedis } from '../support/real-redis';
import { freePort } from '../support/ports';
import { normaliseLog, runOurs, runReal, tempDir } from '../support/program-run';

const dirs: string[] = [];
function dir(): string {
  const d = tempDir('halab-startup-');
  dirs.push(d);
  return d;
}
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** Run both with the same files and arguments; compare exit code, stderr and normalised stdout. */
async function compareRun(files: Record<string, string>, args: string[], opts: { stdin?: string; readyText?: string } = {}): Promise<void> {
  const a = dir(), b = dir();
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(a, name), text.split('$DIR').join(a));
    fs.writeFileSync(path.join(b, name), text.split('$DIR').join(b));
  }
  const argsA = args.map((x) => x.split('$DIR').join(a)), argsB = args.map((x) => x.split('$DIR').join(b));
  const real = await runReal(argsA, a, { stdin: opts.stdin, readyText: opts.readyText ?? 'Ready to accept connections' });
  const ours = await runOurs(argsB, b, { stdin: opts.stdin });
  const norm = (s: string, d: string, pid: number) => normaliseLog(s, [pid]).split(d).join('$DIR');
  expect({ code: ours.code, stderr: norm(ours.stderr, b, ours.pid), stdout: norm(ours.stdout, b, ours.pid) })
    .toEqual({ code: real.code, stderr: norm(real.stderr, a, real.pid), stdout: norm(real.stdout, a, real.pid) });
}

(haveRealRedis() ? describe : describe.skip)('redis-server start-up (differential)', () => {
  it('--version, -v, --help, -h', async () => {
    for (const args of [['--version'], ['-v'], ['--version', '--port', '1']]) {
      const real = await runReal(args, dir());
      const ours = await runOurs(args, dir());
      expect(ours.code).toBe(real.code);
      const shape = (s: string) => s.replace(/malloc=\S+ /, 'malloc=M ').replace(/build=[0-9a-f]+/, 'build=B');
      expect(shape(ours.stdout)).toBe(shape(real.stdout));
    }
    for (const args of [['--help'], ['-h']]) {
      const real = await runReal(args, dir());
      const ours = await runOurs(args, dir());
      expect({ code: ours.code, stderr: ours.stderr, stdout: ours.stdout }).toEqual({ code: real.code, stderr: real.stderr, stdout: real.stdout });
    }
  });

  it('--check-system: the same checks and texts (the measured slow-clocksource check aside)', async () => {
    const real = await runReal(['--check-system'], dir());
    const ours = await runOurs(['--check-system'], dir());
    // The clock test times a busy loop: on a busy virtual machine it comes out either way.
    const settled = (s: string) => s.replace(/^\[slow-clocksource\]\.\.\.(OK|skipped)\n|^\[slow-clocksource\]\.\.\.WARNING:\n.*\n/m, '');
    expect({ stdout: settled(ours.stdout), stderr: ours.stderr }).toEqual({ stdout: settled(real.stdout), stderr: real.stderr });
    expect(ours.stdout).toMatch(/^\[slow-clocksource\]\.\.\.(OK|WARNING:\n.*)\n\[xen-clocksource\]/);
    const slowWarned = (s: string) => s.startsWith('[slow-clocksource]...WARNING');
    if (slowWarned(ours.stdout) === slowWarned(real.stdout)) expect(ours.code).toBe(real.code);
  });

  const BAD_LINES = [
    'bogus yes', 'port', 'port abc', 'port 70000', 'dir "abc', "dir 'abc", 'maxmemory 1x', 'save 1 2 3', 'save 0 1', 'include /nonexistent.conf',
    'rename-command FOO BAR', 'rename-command GET SET', 'sentinel monitor x 1 2 3', 'logfile /nonexistent/dir/log', 'dir /nonexistent',
    'loglevel bogus', 'appendfilename a/b', 'appendfilename ""', 'dbfilename x/y', 'slaveof host', 'replicaof a b c', 'slaveof host port',
    'tls-port 6380', 'include $DIR/inc.conf', 'bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17', 'maxclients 0', 'hz x',
    'client-output-buffer-limit normal 1 2', 'client-output-buffer-limit master 1 2 3', 'notify-keyspace-events Q',
    'oom-score-adj-values 1 2', 'latency-tracking-info-percentiles 200', 'shutdown-on-sigterm save nosave', 'unixsocketperm 999',
    'cluster-announce-hostname bad_host', 'proc-title-template {nope}', 'activedefrag yes', 'enable-debug-command maybe',
    'list-max-ziplist-entries 5', 'list-max-ziplist-entries', 'foo.bar', 'save', 'user', 'requirepass "a b" c',
    'maxmemory-clients 101%', 'databases 0', 'io-threads 200', 'unixsocketperm 8',
    // ACL users: rules rejected while reading the file, and those only found when loading them.
    'user alice on bogus', 'user alice on (+get', 'user alice on #abc', 'user a on\nuser a off', 'user alice ~* ~x', 'user alice on +nosuch', 'user alice +config|', 'user alice +config|get|x', 'user alice +select|0',
    'user default off', 'aclfile /nonexistent.acl', 'aclfile $DIR/inc.conf', 'aclfile $DIR/inc.conf\nuser x on',
  ];
  for (const line of BAD_LINES) {
    it(`bad config: ${line}`, () => compareRun({ 'bad.conf': `# test\n${line}\nport 0\n`, 'inc.conf': 'hz 5\nbad-in-include 1\n' }, ['bad.conf']));
  }

  it('cluster mode with replicaof, and errors found after the last line', () => compareRun({ 'c.conf': 'cluster-enabled yes\nreplicaof 127.0.0.1 6379\nport 0\n' }, ['c.conf']));

  it('a config file that does not exist', () => compareRun({}, ['/nonexistent/redis.conf']));

  it('bad command-line options', async () => {
    for (const args of [['--bogus'], ['--port'], ['--port', 'x'], ['--port', '1', '2'], ['--save', '1'], ['--dir', '/nonexistent'], ['--maxmemory', '1x', '--port', '0'], ['x.conf', '--port', '0'], ['--port', '0', '--loglevel', 'nope']]) {
      await compareRun({ 'x.conf': 'hz 5\n' }, args);
    }
  });

  it('normal start, SIGTERM shutdown: the same log lines', async () => {
    const port = await freePort();
    await compareRun({}, ['--port', String(port), '--save', '', '--bind', '127.0.0.1']);
  });

  const overcommit = fs.readFileSync('/proc/sys/vm/overcommit_memory', 'latin1').trim();
  (overcommit === '0' ? it : it.skip)('vm.overcommit_memory = 0: both log the overcommit warning right after "Server initialized"', async () => {
    const port = await freePort();
    const args = ['--port', String(port), '--save', '', '--bind', '127.0.0.1'];
    const real = await runReal(args, dir(), { readyText: 'Ready to accept connections' });
    const ours = await runOurs(args, dir());
    const after = (out: string) => {
      const lines = out.split('\n').map((l) => l.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ /, ''));
      return lines[lines.indexOf('# Server initialized') + 1];
    };
    expect(after(real.stdout)).toMatch(/^# WARNING Memory overcommit must be enabled!/);
    expect(after(ours.stdout)).toBe(after(real.stdout));
  });

  it('tcp-backlog above /proc/sys/net/core/somaxconn: the same warning, before "Server initialized"', async () => {
    const somaxconn = Number(fs.readFileSync('/proc/sys/net/core/somaxconn', 'latin1'));
    const port = await freePort();
    await compareRun({}, ['--port', String(port), '--save', '', '--bind', '127.0.0.1', '--tcp-backlog', String(somaxconn + 1)]);
  });

  it('start with a config file with units, repeated save lines, quotes, include and an empty glob include', async () => {
    const port = await freePort();
    await compareRun({
      'r.conf': `# comment\n  port ${port}  \nbind 127.0.0.1\nmaxmemory 1gb\nsave 100 1\nsave 200 2\nsave ""\ndbfilename "my dump.rdb"\ninclude $DIR/inc.conf\ninclude $DIR/conf.d/*.conf\nmaxmemory-policy ALLKEYS-LRU\n`,
      'inc.conf': 'hz 20\nloglevel notice\n',
    }, ['r.conf']);
  });

  // At loglevel warning the last start-up line is the overcommit warning when the machine's
  // vm.overcommit_memory is not 1 (it follows "Server initialized").
  const lastWarningAtStart = fs.readFileSync('/proc/sys/vm/overcommit_memory', 'latin1').trim() === '1' ? 'Server initialized' : 'Memory overcommit';
  it('always-show-logo and loglevel warning', async () => {
    for (const extra of [['--always-show-logo', 'yes'], ['--loglevel', 'warning']]) {
      const port = await freePort();
      await compareRun({}, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...extra], { readyText: extra[1] === 'warning' ? lastWarningAtStart : undefined });
    }
  });

  it('logfile: the same lines go to the file, nothing to stdout', async () => {
    const a = dir(), b = dir();
    const portA = await freePort(), portB = await freePort();
    const realP = runReal(['--port', String(portA), '--bind', '127.0.0.1', '--save', '', '--logfile', 'r.log'], a, { readyFile: path.join(a, 'r.log'), readyText: 'Ready to accept' });
    const ours = await runOurs(['--port', String(portB), '--bind', '127.0.0.1', '--save', '', '--logfile', 'r.log'], b);
    const real = await realP;
    expect(ours.stdout).toBe(real.stdout);
    const norm = (d: string, pid: number, port: number) => normaliseLog(fs.readFileSync(path.join(d, 'r.log'), 'latin1'), [pid]).split(String(port)).join('PORT');
    expect(norm(b, ours.pid, portB)).toBe(norm(a, real.pid, portA));
  });

  it('config from stdin', async () => {
    const port = await freePort();
    await compareRun({}, ['-', '--save', ''], { stdin: `port ${port}\nbind 127.0.0.1\n` });
  });

  it('port already in use: same log lines and exit code', async () => {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      await compareRun({}, ['--port', String(port), '--bind', '127.0.0.1', '--save', '']);
      await compareRun({}, ['--port', String(port), '--bind', '10.255.255.1', '--save', '']);
    } finally {
      blocker.close();
    }
  });

  it('a pid file is written and removed', async () => {
    const port = await freePort();
    await compareRun({}, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--pidfile', '$DIR/r.pid']);
  });

  it('unixsocket: a stale file replaced, "ready to accept connections at", the file removed at shutdown', async () => {
    const port = await freePort();
    // Over TCP and the socket: both ready lines; only the socket (port 0): the second alone.
    await compareRun({ sock: 'stale' }, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--unixsocket', '$DIR/sock', '--unixsocketperm', '700'], { readyText: 'ready to accept connections at' });
    await compareRun({ sock: 'stale' }, ['--port', '0', '--save', '', '--unixsocket', '$DIR/sock'], { readyText: 'ready to accept connections at' });
    // Where the socket cannot be: the bind error, exit 1; a path sun_path cannot hold.
    await compareRun({}, ['--port', '0', '--save', '', '--unixsocket', '$DIR/no/such/dir/sock']);
    await compareRun({}, ['--port', '0', '--save', '', '--unixsocket', `/tmp/${'x'.repeat(120)}`]);
  });
});
