/**
 * nc, ssh and scp over the simulated network (shell/commands/nc.ts, ssh.ts, scp.ts, ssh/):
 * what they print and when, with the network whole, partitioned, behind an iptables DROP or
 * REJECT, with sshd gone; the login over ssh on the same terminal; and nc's answers against the
 * real netcat-openbsd and a real redis-server on 127.0.0.1 (skipped without them).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import { world, typeAndRun } from './helpers';
import type { World } from '../../src/sim/world';
import { findBinary, haveRealRedis, haveTools, startRealRedis, type RealRedis } from '../support/real-redis';

async function run(w: World, host: string, cmd: string, timeoutMs = 300_000): Promise<{ out: string; code: number | null; ms: number }> {
  const t = w.now;
  const r = await w.exec(host, cmd, { timeoutMs });
  return { out: r.output, code: r.code, ms: w.now - t };
}

/** redis-2 runs a Redis on 6379 that other hosts may reach. */
async function withRedis(): Promise<World> {
  const w = world();
  await w.exec('redis-2', 'redis-server --port 6379 --save "" --protected-mode no --daemonize yes');
  await w.advance(200);
  return w;
}

describe('nc over the simulated network', () => {
  it('checks ports: succeeded, refused, a range; the exit status says whether any connected', async () => {
    const w = await withRedis();
    expect(await run(w, 'redis-1', 'nc -zv 10.0.0.12 6379')).toMatchObject({ out: 'Connection to 10.0.0.12 6379 port [tcp/*] succeeded!\n', code: 0 });
    expect(await run(w, 'redis-1', 'nc -zv redis-2 6378')).toMatchObject({ out: 'nc: connect to redis-2 (10.0.0.12) port 6378 (tcp) failed: Connection refused\n', code: 1 });
    expect((await run(w, 'redis-1', 'nc -z redis-2 6378')).out).toBe('');
    expect(await run(w, 'redis-1', 'nc -zv redis-2 6378-6379')).toMatchObject({
      out: 'nc: connect to redis-2 (10.0.0.12) port 6378 (tcp) failed: Connection refused\nConnection to redis-2 (10.0.0.12) 6379 port [tcp/*] succeeded!\n', code: 0,
    });
    expect(await run(w, 'redis-1', 'nc -zv foo 6379')).toMatchObject({ out: 'nc: getaddrinfo for host "foo" port 6379: Name or service not known\n', code: 1 });
  });

  it('speaks RESP by hand: -N ends with the server, -q waits its seconds, without them nc waits for the server', async () => {
    const w = await withRedis();
    const n = await run(w, 'redis-1', "printf 'PING\\r\\n' | nc -N redis-2 6379");
    expect(n).toMatchObject({ out: '+PONG\r\n', code: 0 });
    expect(n.ms).toBeLessThan(50);
    const q = await run(w, 'redis-1', "printf 'PING\\r\\n' | nc -q 2 redis-2 6379");
    expect(q.out).toBe('+PONG\r\n');
    expect(q.ms).toBeGreaterThanOrEqual(2000);
    expect(q.ms).toBeLessThan(2050);
    // Redis keeps the connection: nc waits (-w 3 gives up after 3 idle seconds).
    const wait = await run(w, 'redis-1', "printf 'SET k v\\r\\nGET k\\r\\n' | nc -w 3 redis-2 6379");
    expect(wait.out).toBe('+OK\r\n$1\r\nv\r\n');
    expect(wait.ms).toBeGreaterThanOrEqual(3000);
    expect(await run(w, 'redis-1', "printf 'PING\\nQUIT\\n' | nc -C redis-2 6379")).toMatchObject({ out: '+PONG\r\n+OK\r\n', code: 0 });
  });

  it('a DROP rule or a partition: the SYN retries end in "Connection timed out" after 127 s, or -w N gives up after N s; REJECT refuses at once', async () => {
    const w = await withRedis();
    await w.exec('redis-2', 'iptables -A INPUT -s 10.0.0.11 -p tcp --dport 6379 -j DROP');
    const dropped = await run(w, 'redis-1', 'nc -zv 10.0.0.12 6379');
    expect(dropped).toMatchObject({ out: 'nc: connect to 10.0.0.12 port 6379 (tcp) failed: Connection timed out\n', code: 1 });
    expect(dropped.ms).toBeGreaterThanOrEqual(127_000);
    expect(dropped.ms).toBeLessThan(127_100);
    const w3 = await run(w, 'redis-1', 'nc -zv -w 3 10.0.0.12 6379');
    expect(w3).toMatchObject({ out: 'nc: connect to 10.0.0.12 port 6379 (tcp) timed out: Operation now in progress\n', code: 1 });
    expect(w3.ms).toBeGreaterThanOrEqual(3000);
    expect(w3.ms).toBeLessThan(3050);
    // Another host is not concerned.
    expect((await run(w, 'client', 'nc -zv 10.0.0.12 6379')).code).toBe(0);
    await w.exec('redis-2', 'iptables -F; iptables -A INPUT -p tcp --dport 6379 -j REJECT');
    const rejected = await run(w, 'redis-1', 'nc -zv 10.0.0.12 6379');
    expect(rejected.out).toBe('nc: connect to 10.0.0.12 port 6379 (tcp) failed: Connection refused\n');
    expect(rejected.ms).toBeLessThan(50);
    await w.exec('redis-2', 'iptables -F');
    w.partition(['redis-1'], ['redis-2']);
    const cut = await run(w, 'redis-1', 'nc -zv redis-2 6379');
    expect(cut.out).toBe('nc: connect to redis-2 (10.0.0.12) port 6379 (tcp) failed: Connection timed out\n');
    expect(cut.ms).toBeGreaterThanOrEqual(127_000);
    w.heal();
    w.powerOff('redis-2');
    const down = await run(w, 'redis-1', 'nc -zv redis-2 6379');
    expect(down.out).toBe('nc: connect to redis-2 (10.0.0.12) port 6379 (tcp) failed: No route to host\n');
    expect(down.ms).toBeGreaterThanOrEqual(3000);
    expect(down.ms).toBeLessThan(3050);
  });

  it('on a terminal: lines typed go to the server; after it closed, the next line ends nc; listen mode on another host', async () => {
    const w = await withRedis();
    const t = w.openTerminal('redis-1');
    await w.advance(50);
    await typeAndRun(w, t, 'nc redis-2 6379');
    expect(await typeAndRun(w, t, 'PING')).toBe('PING\n+PONG\r\n');
    expect(await typeAndRun(w, t, 'QUIT')).toBe('QUIT\n+OK\r\n');
    expect(await typeAndRun(w, t, 'PING')).toMatch(/^PING\nroot@redis-1:~# $/);
    await w.exec('redis-2', 'nc -lv 9999 > /tmp/got 2>/tmp/log &');
    await w.advance(10);
    expect((await run(w, 'redis-1', 'echo hello | nc -N redis-2 9999')).code).toBe(0);
    await w.advance(10);
    expect(w.readText('redis-2', '/tmp/got')).toBe('hello\n');
    expect(w.readText('redis-2', '/tmp/log')).toMatch(/^Listening on 0\.0\.0\.0 9999\nConnection received on redis-1 \d+\n$/);
  });
});

describe('ssh and sshd', () => {
  // OpenBSD getopt's errors, before any connection: the real client's bytes (openssh-client).
  it.skipIf(!findBinary('ssh') || !findBinary('scp'))('parse options like the real ssh and scp: unknown, missing argument, no destination', async () => {
    const w = world();
    for (const line of ['ssh -Z', 'ssh -p', 'ssh -qZ host', 'ssh', 'scp -Z a b', 'scp -P', 'scp x', 'scp -rZ a b', 'scp -q -- x']) {
      const real = spawnSync('bash', ['-c', `${line} 2>&1 </dev/null`], { encoding: 'utf8' });
      expect(await run(w, 'redis-1', `${line} 2>&1 </dev/null`), line).toMatchObject({ out: real.stdout, code: real.status });
    }
  });

  it('every host runs sshd on port 22, as Debian shows it', async () => {
    const w = world();
    expect((await run(w, 'redis-2', 'ps -ef | grep [s]shd')).out).toMatch(/^root +\d+ +1 +0 \d\d:\d\d \? +00:00:00 sshd: \/usr\/sbin\/sshd -D \[listener\] 0 of 10-100 startups\n$/);
    expect((await run(w, 'redis-2', 'ss -tln')).out).toContain('LISTEN 0      128          0.0.0.0:22        0.0.0.0:*          \nLISTEN 0      128             [::]:22           [::]:*');
    const off = new (w.constructor as typeof World)({ seed: 1, hosts: [{ name: 'a', ip: '10.0.0.1', sshd: false }] });
    expect((await off.exec('a', 'ss -tln')).output).not.toContain(':22');
  });

  it('runs a command: its output, errors and status come back; stdin goes to it; names resolve as the hosts', async () => {
    const w = await withRedis();
    expect(await run(w, 'redis-1', "ssh 10.0.0.12 'redis-cli info replication | head -2; echo oops >&2; exit 3'")).toMatchObject({ out: '# Replication\r\nrole:master\r\noops\n', code: 3 });
    expect(await run(w, 'redis-1', 'echo hi | ssh redis-2 "cat; hostname"')).toMatchObject({ out: 'hi\nredis-2\n', code: 0 });
    // (Real bash -c says `bash: line 1: nosuch: …`; the simulated bash -c leaves out the line, wherever it runs.)
    const missing = await run(w, 'redis-1', 'ssh redis-2 nosuch');
    expect(missing.code).toBe(127);
    expect(missing.out).toMatch(/^bash: (line 1: )?nosuch: command not found\n$/);
    expect(await run(w, 'redis-1', "ssh redis-2 'kill -9 $$'")).toMatchObject({ out: '', code: 255 });
    expect(await run(w, 'redis-1', 'ssh foo true')).toMatchObject({ out: 'ssh: Could not resolve hostname foo: Name or service not known\r\n', code: 255 });
    expect(await run(w, 'redis-1', 'ssh bob@redis-2 true')).toMatchObject({ out: 'bob@redis-2: Permission denied (publickey,password).\r\n', code: 255 });
    expect(await run(w, 'redis-1', 'ssh -p 2222 redis-2 true')).toMatchObject({ out: 'ssh: connect to host redis-2 port 2222: Connection refused\r\n', code: 255 });
    // The session on the remote side, while its command runs.
    expect((await run(w, 'redis-1', "ssh redis-2 'ps -o args= -p $PPID'")).out).toBe('sshd: root@notty\n');
  });

  it('fails as OpenSSH does: sshd killed, a DROP rule (127 s, or ConnectTimeout), a partition mid-command that heals', async () => {
    const w = await withRedis();
    await w.exec('redis-2', 'iptables -A INPUT -s 10.0.0.11 -j DROP');
    const dropped = await run(w, 'redis-1', 'ssh redis-2 true');
    expect(dropped).toMatchObject({ out: 'ssh: connect to host redis-2 port 22: Connection timed out\r\n', code: 255 });
    expect(dropped.ms).toBeGreaterThanOrEqual(127_000);
    const short = await run(w, 'redis-1', 'ssh -o ConnectTimeout=5 redis-2 true');
    expect(short).toMatchObject({ out: 'ssh: connect to host redis-2 port 22: Connection timed out\r\n', code: 255 });
    expect(short.ms).toBeGreaterThanOrEqual(5000);
    expect(short.ms).toBeLessThan(5050);
    await w.exec('redis-2', 'iptables -F');
    // A partition while the command runs: TCP holds the output and delivers it after the heal.
    const t = w.openTerminal('redis-1');
    await w.advance(50);
    w.type(t, 'ssh redis-2 "sleep 2; echo done" > /tmp/out; echo $? >> /tmp/out');
    await w.advance(500);
    w.partition(['redis-1'], ['redis-2']);
    await w.advance(10_000);
    expect(w.readText('redis-1', '/tmp/out')).toBe('');
    w.heal();
    await w.advance(30_000);
    expect(w.readText('redis-1', '/tmp/out')).toBe('done\n0\n');
    const sshd = (await run(w, 'redis-2', 'ps -eo pid,args | grep "[s]shd -D"')).out.trim().split(/\s+/)[0];
    await w.exec('redis-2', `kill -9 ${sshd}`);
    expect(await run(w, 'redis-1', 'ssh redis-2 true')).toMatchObject({ out: 'ssh: connect to host redis-2 port 22: Connection refused\r\n', code: 255 });
  });

  it('opens a login shell on the same terminal: the remote prompt, exit back, Ctrl-C and the remote host going away', async () => {
    const w = await withRedis();
    const t = w.openTerminal('redis-1');
    await w.advance(50);
    expect(await typeAndRun(w, t, 'ssh redis-2')).toBe('ssh redis-2\nLinux redis-2 5.15.0-sim #1 SMP x86_64\nroot@redis-2:~# ');
    expect(await typeAndRun(w, t, 'hostname; ps -o tty= -p $$')).toBe('hostname; ps -o tty= -p $$\nredis-2\npts/0\nroot@redis-2:~# ');
    w.interrupt(t);
    await w.advance(50);
    expect(w.terminal(t)!.text().endsWith('root@redis-2:~# ^C\nroot@redis-2:~# ')).toBe(true);
    // `exit` without a status exits with the last one (130 after the Ctrl-C), which ssh returns.
    expect(await typeAndRun(w, t, 'exit')).toBe('exit\nlogout\nConnection to redis-2 closed.\r\nroot@redis-1:~# ');
    expect(await typeAndRun(w, t, 'echo $?')).toBe('echo $?\n130\nroot@redis-1:~# ');
    await typeAndRun(w, t, 'ssh redis-2');
    w.type(t, 'reboot');
    await w.advance(20_000);
    expect(w.terminal(t)!.text()).toContain('Connection to redis-2 closed by remote host.\r\nroot@redis-1:~# ');
  });
});

describe('scp', () => {
  it('copies a file (its mode without -p, less the umask) and a tree with -r; errors as OpenSSH words them', async () => {
    const w = world();
    await w.exec('redis-1', 'mkdir -p /etc/redis /root/d/sub && printf "port 6379\\n" > /etc/redis/6379.conf && chmod 640 /etc/redis/6379.conf && echo b > /root/d/sub/f2');
    await w.exec('redis-2', 'mkdir -p /etc/redis');
    expect(await run(w, 'redis-1', 'scp /etc/redis/6379.conf 10.0.0.12:/etc/redis/')).toMatchObject({ out: '', code: 0 });
    expect((await run(w, 'redis-2', 'ls -l /etc/redis; cat /etc/redis/6379.conf')).out).toMatch(/^total 4\n-rw-r----- 1 root root 10 .* 6379\.conf\nport 6379\n$/);
    expect(await run(w, 'redis-1', 'scp -r d redis-2:')).toMatchObject({ out: '', code: 0 });
    expect(w.readText('redis-2', '/root/d/sub/f2')).toBe('b\n');
    expect(await run(w, 'redis-1', 'scp redis-2:/etc/redis/6379.conf /tmp/')).toMatchObject({ out: '', code: 0 });
    expect(w.readText('redis-1', '/tmp/6379.conf')).toBe('port 6379\n');
    expect(await run(w, 'redis-1', 'scp redis-2:/nonexist /tmp/')).toMatchObject({ out: 'scp: /nonexist: No such file or directory\n', code: 1 });
    expect(await run(w, 'redis-1', 'scp /nonexist redis-2:/tmp/')).toMatchObject({ out: 'scp: stat local "/nonexist": No such file or directory\n', code: 255 });
    expect(await run(w, 'redis-1', 'scp d redis-2:/tmp/')).toMatchObject({ out: 'scp: local "d" is not a regular file\nscp: failed to upload file d to redis-2:/tmp/\n', code: 1 });
    expect(await run(w, 'redis-1', 'scp /etc/redis/6379.conf redis-2:/nodir/x')).toMatchObject({
      out: 'scp: dest open "/nodir/x": No such file or directory\nscp: failed to upload file /etc/redis/6379.conf to redis-2:/nodir/x\n', code: 1,
    });
    w.partition(['redis-1'], ['redis-2']);
    const cut = await run(w, 'redis-1', 'scp /etc/redis/6379.conf redis-2:/tmp/');
    expect(cut).toMatchObject({ out: 'ssh: connect to host redis-2 port 22: Connection timed out\r\nscp: Connection closed\n', code: 255 });
    expect(cut.ms).toBeGreaterThanOrEqual(127_000);
  });
});

describe('determinism', () => {
  it('a world using nc, ssh and scp gives the same trace twice', async () => {
    const once = async () => {
      const w = await withRedis();
      await w.exec('redis-1', "printf 'SET a 1\\r\\n' | nc -N redis-2 6379; ssh redis-2 redis-cli get a; scp /etc/hostname redis-2:/tmp/ 2>&1; nc -zv -w 1 redis-3 1 2>&1");
      w.partition(['redis-1'], ['redis-2']);
      await w.exec('redis-1', 'ssh -o ConnectTimeout=2 redis-2 true', { timeoutMs: 10_000 });
      return { hash: w.trace.hash(), count: w.trace.count, late: w.stats().lateDeliveries };
    };
    const a = await once();
    expect(a.late).toBe(0);
    expect(await once()).toEqual(a);
  });
});

/** The real OpenBSD netcat of Debian, against a real redis-server on 127.0.0.1. */
const NC = findBinary('nc');
const isOpenBsdNc = NC !== null && (spawnSync(NC, ['-h'], { encoding: 'utf8' }).stderr ?? '').includes('OpenBSD netcat (Debian patchlevel 1.219');

describe.skipIf(!haveRealRedis() || !haveTools(isOpenBsdNc ? NC : null))('nc against the real netcat-openbsd (differential)', () => {
  let real: RealRedis;
  beforeAll(async () => { real = await startRealRedis(); });
  afterAll(async () => { await real.stop(); });

  it('the same bytes and status for checks, RESP by hand and bad command lines', async () => {
    const p = real.port;
    const closed = p + 1;
    const cmds = [
      `nc -zv 127.0.0.1 ${p}`, `nc -zvn 127.0.0.1 ${p}`, `nc -zv 127.0.0.1 ${closed}`, `nc -z 127.0.0.1 ${closed}`, `nc -zv localhost ${p}`,
      `nc -zv 127.0.0.1 ${p}-${closed}`, `nc -zv -n localhost ${p}`,
      `printf 'PING\\r\\n' | nc -N 127.0.0.1 ${p}`, `printf 'SET k v\\r\\nGET k\\r\\nQUIT\\r\\n' | nc 127.0.0.1 ${p}`,
      `printf 'PING\\nQUIT\\n' | nc -C 127.0.0.1 ${p}`, `printf 'PING\\r\\n' | nc -q0 127.0.0.1 ${p}`,
      'nc', 'nc 127.0.0.1', `nc -w abc 127.0.0.1 ${p}`, 'nc -zv 127.0.0.1 0', 'nc -zv 127.0.0.1 99999', 'nc -zv 127.0.0.1 abc',
      'nc -Q', 'nc -w', `nc -k 127.0.0.1 ${p}`, 'nc -l -z 1', 'nc -q x a 1', 'nc -W 0 a 1', 'nc -h',
    ];
    const w = world();
    await w.exec('redis-1', `redis-server --port ${p} --save "" --daemonize yes`);
    await w.advance(200);
    for (const cmd of cmds) {
      const r = spawnSync('bash', ['-c', `${cmd} 2>&1`], { encoding: 'latin1', timeout: 10_000, input: '' });
      const sim = await w.exec('redis-1', cmd.includes('|') ? `${cmd} 2>&1` : `${cmd} 2>&1 </dev/null`);
      expect.soft({ cmd, out: sim.output, code: sim.code }).toEqual({ cmd, out: r.stdout, code: r.status });
    }
  });
});
