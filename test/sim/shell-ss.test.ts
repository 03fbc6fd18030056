/**
 * ss and netstat on the simulated hosts. Their usage, help, version and error answers against
 * the real ones (iproute2 6.1.0's ss, net-tools 2.10's netstat: skipped without them); the
 * listings of a simulated master and replica as those tools lay them out (the layout itself is
 * checked against the real ss in ss-layout.test.ts): states, backlogs, `-p`'s descriptors,
 * filters, the summary, a terminal's width, a stopped server's accept queue. The queues of a
 * stopped replica, against a real pair: ss-stopped-replica.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { World } from '../../src/sim/world';
import { useShellDifferential } from './shell-differential';
import { THREE_HOSTS, world } from './helpers';

/** The listings here are Redis's sockets: hosts without the sshd every host runs by default. */
const NO_SSHD = THREE_HOSTS.map((h) => ({ ...h, sshd: false }));

const ssVersion = spawnSync('ss', ['-V'], { encoding: 'utf8' }).stdout ?? '';
const netstatVersion = spawnSync('netstat', ['-V'], { encoding: 'utf8' }).stdout ?? '';
const haveSs = ssVersion.includes('iproute2-6.1.0');
const haveNetstat = netstatVersion.startsWith('net-tools 2.10');

describe.skipIf(!haveSs)('ss: usage and errors (differential)', () => {
  const { expectSame } = useShellDifferential('shell-ss');

  it('help, version, bad options and their arguments, as getopt_long and ss answer them', async () => {
    await expectSame([
      'ss -h', 'ss --help', 'ss -V', 'ss --vers', 'ss -f help', 'ss -y', 'ss -ty', 'ss --foo', 'ss --foo=bar', 'ss --s', 'ss --n', 'ss --co',
      'ss --fam', 'ss --family', 'ss -f', 'ss -f bogus', 'ss --family=bogus', 'ss --numeric=1', 'ss -A bogus', 'ss --query=tcp,bogus',
      'ss -N', 'ss -N nowhere', 'ss -Z', 'ss -z', 'ss -F /nonexistent/filter', 'ss -t -F /nonexistent -F /x',
    ]);
  });

  it('getopt_long\'s words: --name=value quoted whole (an unknown one, an ambiguous prefix), an empty name', async () => {
    await expectSame(['ss --s=x', 'ss --t=1', 'ss --=x', 'ss -n --bogus=1 -y']);
  });

  it('state filters and expressions it refuses: status 255 after a syntax error, 1 after a bad word', async () => {
    await expectSame([
      'ss -t state', 'ss -t state bogus', 'ss -t exclude', 'ss -t excl bogus', 'ss -t state ESTABLISHED state bogus',
      'ss -t dport = :abc', 'ss -t dport', 'ss -t dport =', 'ss -t "dport = :6379 extra"', 'ss -t "(" dport = :6379', 'ss -t ")"',
      'ss -t dport = :6379 or', 'ss -t not', 'ss -t sport gt', 'ss -t src "[::1"', 'ss -t src 1.2.3.4/40', 'ss -t dev = nosuchdev',
      'ss -t fwmark = x', 'ss -t 127.0.0.1', 'ss -t dport = :6379 sport', 'ss -t and', 'ss -t dst 10.0.0.1 dport',
    ]);
  });
});

describe.skipIf(!haveNetstat)('netstat: usage and errors (differential)', () => {
  const { expectSame } = useShellDifferential('shell-netstat');

  it('help, version, a bad option, an unknown address family', async () => {
    await expectSame(['netstat -h', 'netstat --help', 'netstat -V', 'netstat -y', 'netstat --foo', 'netstat -A bogus', 'netstat -A inet,bogus', 'netstat -tZ']);
  });

  it('getopt_long over net-tools\' table: the address families are one option, so a prefix of several is none of them ambiguous', async () => {
    await expectSame([
      'netstat --foo=bar', 'netstat --ine -V', 'netstat --in', 'netstat --in=1', 'netstat --un', 'netstat --u', 'netstat --unix -V',
      'netstat --ine=3', 'netstat --=x', 'netstat --proto', 'netstat -?', 'netstat -t?',
    ]);
  });
});

/** A master on redis-1 and its replica on redis-2 (both binding `* -::*`), in sync. */
async function pair(extra = ''): Promise<World> {
  const w = world({ hosts: NO_SSHD });
  await w.exec('redis-1', `redis-server --port 6379 --protected-mode no --save "" --daemonize yes --repl-diskless-sync-delay 0 ${extra}`);
  await w.exec('redis-2', 'redis-server --port 6379 --protected-mode no --save "" --daemonize yes --replicaof 10.0.0.11 6379');
  // Away from the replica's once-a-second REPLCONF ACK, which is on the wire (Send-Q) for a moment.
  await w.advance(2437);
  return w;
}

const run = async (w: World, host: string, cmd: string) => (await w.exec(host, cmd)).output;
const pidOf = (w: World, host: string, program: string) => w.processes(host).find((p) => p.argv[0] === program)!.pid;

describe('ss on a simulated master and replica', () => {
  it('listeners with their backlog, the replication link, users with Redis\'s descriptors (listeners 6 and 7, then 8)', async () => {
    const w = await pair();
    const m = pidOf(w, 'redis-1', 'redis-server');
    const r = pidOf(w, 'redis-2', 'redis-server');
    expect(await run(w, 'redis-1', 'ss -tlnp')).toBe(
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                                \n'
      + `LISTEN 0      511          0.0.0.0:6379      0.0.0.0:*    users:(("redis-server",pid=${m},fd=6))\n`
      + `LISTEN 0      511             [::]:6379         [::]:*    users:(("redis-server",pid=${m},fd=7))\n`);
    expect(await run(w, 'redis-2', 'ss -tanp')).toBe(
      'State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess                                \n'
      + `LISTEN 0      511          0.0.0.0:6379       0.0.0.0:*    users:(("redis-server",pid=${r},fd=6))\n`
      + `ESTAB  0      0          10.0.0.12:40854    10.0.0.11:6379 users:(("redis-server",pid=${r},fd=8))\n`
      + `LISTEN 0      511             [::]:6379          [::]:*    users:(("redis-server",pid=${r},fd=7))\n`);
    // Without -a only the connections; one table: no Netid; one state: no State; -H: no header.
    expect(await run(w, 'redis-2', 'ss -t')).toBe(
      'State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n'
      + 'ESTAB 0      0          10.0.0.12:40854    10.0.0.11:6379       \n');
    expect(await run(w, 'redis-2', 'ss')).toBe(
      'Netid State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n'
      + 'tcp   ESTAB 0      0          10.0.0.12:40854    10.0.0.11:6379       \n');
    expect(await run(w, 'redis-2', 'ss -tn state established')).toBe(
      'Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n'
      + '0      0          10.0.0.12:40854    10.0.0.11:6379       \n');
    expect(await run(w, 'redis-2', 'ss -Htan')).toBe(
      'LISTEN 0      511      0.0.0.0:6379    0.0.0.0:*   \n'
      + 'ESTAB  0      0      10.0.0.12:40854 10.0.0.11:6379\n'
      + 'LISTEN 0      511         [::]:6379       [::]:*   \n');
  });

  it('filters: ports and addresses, ss\'s left-to-right and/or, families; a service name from /etc/services when the host has one', async () => {
    const w = await pair();
    // The sockets a filter keeps (state and addresses: the link's Send-Q depends on the moment).
    const kept = async (filter: string) => run(w, 'redis-2', `ss -Htan ${filter} | awk '{print $1, $4, $5}'`);
    const link = 'ESTAB 10.0.0.12:40854 10.0.0.11:6379\n';
    const listeners = 'LISTEN 0.0.0.0:6379 0.0.0.0:*\nLISTEN [::]:6379 [::]:*\n';
    expect(await kept('dport = :6379')).toBe(link);
    expect(await kept("'sport = :6379'")).toBe(listeners);
    expect(await kept('-4 sport = :6379')).toBe('LISTEN 0.0.0.0:6379 0.0.0.0:*\n');
    expect(await kept('sport eq 6379 or dst 10.0.0.0/24 and sport ge 40000')).toBe(link);
    expect(await kept('sport == 6379 or dst 10.0.0.0/24')).toBe(`LISTEN 0.0.0.0:6379 0.0.0.0:*\n${link}LISTEN [::]:6379 [::]:*\n`);
    expect(await kept('not \\( sport = :6379 \\)')).toBe(link);
    expect(await kept('dst redis-1 autobound')).toBe(link);
    expect(await kept('src [::]')).toBe('LISTEN [::]:6379 [::]:*\n');
    expect(await kept('exclude listening')).toBe(link);
    expect(await kept('-l dport lt 1')).toBe(listeners);
    expect((await w.exec('redis-2', 'ss -t dport = :redis')).output).toBe('Error: "redis" does not look like a port.\nCannot parse dst/src address.\n');
    // Debian's /etc/services names 6379 redis; the ephemeral port is never named.
    await w.exec('redis-2', "printf 'ssh\\t\\t22/tcp\\nredis\\t\\t6379/tcp\\n' > /etc/services");
    expect(await run(w, 'redis-2', "ss -Ht dport = :redis | awk '{print $4, $5}'")).toBe('10.0.0.12:40854 10.0.0.11:redis\n');
    expect(await run(w, 'redis-2', "ss -Htn | awk '{print $4, $5}'")).toBe('10.0.0.12:40854 10.0.0.11:6379\n');
    expect(await run(w, 'redis-2', "ss -Htr | awk '{print $4, $5}'")).toBe('redis-2:40854 redis-1:redis\n');
  });

  it('a terminal: the spare width shared out among the columns', async () => {
    const w = await pair();
    const term = w.openTerminal('redis-2');
    w.resizeTerminal(term, 100, 30);
    await w.advance(10);
    const before = w.terminal(term)!.text().length;
    w.type(term, 'ss -tn');
    await w.advance(200);
    const out = w.terminal(term)!.text().slice(before).split('\n').slice(1, 3);
    expect(out).toEqual([
      'State     Recv-Q     Send-Q         Local Address:Port            Peer Address:Port     Process     ',
      'ESTAB     0          0                  10.0.0.12:40854              10.0.0.11:6379                 ',
    ]);
  });

  it('backlog: tcp-backlog capped by net.core.somaxconn when the server listened', async () => {
    const w = world({ hosts: NO_SSHD });
    await w.exec('redis-1', 'redis-server --port 7000 --tcp-backlog 128 --daemonize yes --save ""');
    await w.exec('redis-1', 'sysctl -w net.core.somaxconn=100 >/dev/null; redis-server --port 7001 --daemonize yes --save ""');
    await w.advance(500);
    expect(await run(w, 'redis-1', 'ss -Hltn4')).toBe('LISTEN 0      128    0.0.0.0:7000 0.0.0.0:*\nLISTEN 0      100    0.0.0.0:7001 0.0.0.0:*\n');
  });

  it('clients take the lowest free descriptor after the listeners; a closed one leaves TIME-WAIT on the side that closed first', async () => {
    const w = await pair();
    const m = pidOf(w, 'redis-1', 'redis-server');
    await w.exec('client', 'redis-cli -h 10.0.0.11 blpop a 0 > /dev/null &');
    await w.exec('client', 'redis-cli -h 10.0.0.11 blpop b 0 > /dev/null &');
    await w.advance(100);
    const fds = async () => (await run(w, 'redis-1', 'ss -Htnp')).split('\n').filter(Boolean).map((l) => /fd=(\d+)/.exec(l)![1]);
    expect(await fds()).toEqual(['8', '9', '10']);
    // The first client ends: its descriptor is the next one taken.
    const first = w.processes('client').find((p) => p.argv.includes('a'))!.pid;
    await w.exec('client', `kill ${first}`);
    await w.advance(100);
    expect(await fds()).toEqual(['8', '10']);
    await w.exec('client', 'redis-cli -h 10.0.0.11 blpop c 0 > /dev/null &');
    await w.advance(100);
    expect(await fds()).toEqual(['8', '10', '9']);
    const tw = await run(w, 'client', 'ss -Htano');
    expect(tw).toMatch(/^TIME-WAIT 0      0      10\.0\.0\.20:\d+ 10\.0\.0\.11:6379 timer:\(timewait,59sec,0\)\n/);
    expect(tw).not.toContain('users');
    expect(await run(w, 'redis-1', 'ss -Htan state time-wait')).toBe('');
    expect(w.processes('redis-1').some((p) => p.pid === m)).toBe(true);
    // Sixty seconds later it is gone.
    await w.advance(60_000);
    expect(await run(w, 'client', 'ss -Htan state time-wait')).toBe('');
  });

  it('-s: the counts of /proc/net/sockstat', async () => {
    const w = await pair();
    await w.exec('client', 'redis-cli -h 10.0.0.11 ping');
    await w.advance(100);
    expect(await run(w, 'redis-1', 'ss -s')).toBe(
      'Total: 3\nTCP:   3 (estab 1, closed 0, orphaned 0, timewait 0)\n\nTransport Total     IP        IPv6\n'
      + 'RAW\t  0         0         0        \nUDP\t  0         0         0        \nTCP\t  3         2         1        \n'
      + 'INET\t  3         2         1        \nFRAG\t  0         0         0        \n\n');
    expect(await run(w, 'client', 'ss -s')).toContain('TCP:   1 (estab 0, closed 1, orphaned 0, timewait 1)\n');
  });
});

describe('queues', () => {
  it('a stopped server accepts nothing: the listener\'s Recv-Q counts the waiting connections, which have no process yet', async () => {
    const w = await pair();
    const replica = pidOf(w, 'redis-2', 'redis-server');
    w.kill('redis-2', replica, 'SIGSTOP');
    await w.exec('client', 'redis-cli -h 10.0.0.12 ping > /dev/null &');
    await w.advance(100);
    expect(await run(w, 'redis-2', 'ss -Htanp4')).toMatch(new RegExp(
      `^LISTEN 1 +511 +0\\.0\\.0\\.0:6379 +0\\.0\\.0\\.0:\\* +users:\\(\\("redis-server",pid=${replica},fd=6\\)\\)\n`
      + `ESTAB +0 +0 +10\\.0\\.0\\.12:40854 +10\\.0\\.0\\.11:6379 +users:\\(\\("redis-server",pid=${replica},fd=8\\)\\)\n`
      + 'ESTAB +14 +0 +10\\.0\\.0\\.12:6379 +10\\.0\\.0\\.20:\\d+ *\n$'));
    w.kill('redis-2', replica, 'SIGCONT');
    await w.advance(100);
    expect(await run(w, 'redis-2', 'ss -Htlnp4')).toMatch(/^LISTEN 0 /);
  });
});

describe('netstat', () => {
  it('-tnp, -tlnp, -a, names without -n: net-tools\' fixed columns, Redis\'s title as the program', async () => {
    const w = await pair();
    const m = pidOf(w, 'redis-1', 'redis-server');
    await w.exec('client', 'redis-cli -h 10.0.0.11 ping');
    await w.advance(100);
    const head = 'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ';
    expect(await run(w, 'redis-1', 'netstat -tnp')).toBe(
      `Active Internet connections (w/o servers)\n${head} PID/Program name    \n`
      + `tcp        0      0 10.0.0.11:6379          10.0.0.12:40854         ESTABLISHED ${`${m}/redis-server *:6379`.slice(0, 19).padEnd(20)}\n`);
    expect(await run(w, 'redis-1', 'netstat -tln')).toBe(
      `Active Internet connections (only servers)\n${head}\n`
      + 'tcp        0      0 0.0.0.0:6379            0.0.0.0:*               LISTEN     \n'
      + 'tcp6       0      0 :::6379                 :::*                    LISTEN     \n');
    expect(await run(w, 'client', 'netstat -tan')).toMatch(/^Active Internet connections \(servers and established\)\n.*\ntcp        0      0 10\.0\.0\.20:\d+         10\.0\.0\.11:6379          TIME_WAIT  \n$/);
    expect(await run(w, 'redis-1', 'netstat -t')).toBe(
      `Active Internet connections (w/o servers)\n${head}\ntcp        0      0 redis-1:6379            redis-2:40854           ESTABLISHED\n`);
    expect(await run(w, 'redis-1', 'netstat -l')).toBe(
      `Active Internet connections (only servers)\n${head}\n`
      + 'tcp        0      0 0.0.0.0:6379            0.0.0.0:*               LISTEN     \n'
      + 'tcp6       0      0 [::]:6379               [::]:*                  LISTEN     \n'
      + 'Active UNIX domain sockets (only servers)\nProto RefCnt Flags       Type       State         I-Node   Path\n');
  });
});
