/**
 * ping over the simulated network's ICMP echo path (kernel/icmp.ts, shell/commands/ping.ts):
 * what it prints and when with the network whole, slow, partitioned, behind iptables rules, with
 * the target powered off or unknown; Ctrl-C; the same output for the same seed; and the shape of
 * every line against the real iputils ping on 127.0.0.1 (skipped without it). The expected
 * outputs for rules and unreachable hosts were measured with the real ping 20221126 in a network
 * namespace (iptables on lo, a veth whose peer answers no ARP).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { world, typeAndRun } from './helpers';
import type { World } from '../../src/sim/world';
import { findBinary } from '../support/real-redis';
import { formatG, formatTrip } from '../../src/sim/shell/commands/ping';

async function run(w: World, host: string, cmd: string, timeoutMs = 120_000): Promise<{ out: string; code: number | null; ms: number }> {
  const t = w.now;
  const r = await w.exec(host, cmd, { timeoutMs });
  return { out: r.output, code: r.code, ms: w.now - t };
}

/** The reply lines' times in ms. */
function times(out: string): number[] {
  return [...out.matchAll(/ time=([\d.]+) ms/g)].map((m) => Number(m[1]));
}

describe('ping over the simulated network', () => {
  it('answers over the LAN: header, one line a second, the summary with rtt statistics; exits as the last reply arrives', async () => {
    const w = world();
    const r = await run(w, 'redis-1', 'ping -c 3 redis-2');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp([
      '^PING redis-2 \\(10\\.0\\.0\\.12\\) 56\\(84\\) bytes of data\\.',
      '64 bytes from redis-2 \\(10\\.0\\.0\\.12\\): icmp_seq=1 ttl=64 time=0\\.4\\d\\d ms',
      '64 bytes from redis-2 \\(10\\.0\\.0\\.12\\): icmp_seq=2 ttl=64 time=0\\.4\\d\\d ms',
      '64 bytes from redis-2 \\(10\\.0\\.0\\.12\\): icmp_seq=3 ttl=64 time=0\\.4\\d\\d ms',
      '',
      '--- redis-2 ping statistics ---',
      '3 packets transmitted, 3 received, 0% packet loss, time 2000ms',
      'rtt min/avg/max/mdev = 0\\.4\\d\\d/0\\.4\\d\\d/0\\.4\\d\\d/0\\.0\\d\\d ms',
      '$'].join('\n')));
    // 0.2 ms each way plus up to 0.05 ms of jitter, and the 84 bytes at 1 Gbit/s.
    for (const t of times(r.out)) { expect(t).toBeGreaterThanOrEqual(0.401); expect(t).toBeLessThan(0.502); }
    expect(r.ms).toBeGreaterThan(2000.4);
    expect(r.ms).toBeLessThan(2000.6);
    // A numeric target (or -n) prints addresses only; -q only the summary.
    expect((await run(w, 'redis-1', 'ping -c 1 10.0.0.12')).out).toContain('\n64 bytes from 10.0.0.12: icmp_seq=1 ttl=64 time=');
    expect((await run(w, 'redis-1', 'ping -n -c 1 redis-2')).out).toContain('\n64 bytes from 10.0.0.12: icmp_seq=1 ');
    expect((await run(w, 'redis-1', 'ping -q -c 2 redis-2')).out).toMatch(/^PING redis-2 \(10\.0\.0\.12\) 56\(84\) bytes of data\.\n\n--- redis-2 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 1000ms\nrtt min\/avg\/max\/mdev = [\d./]+ ms\n$/);
    // The trace has the datagrams; no process answers (the kernel does: pid 0).
    const kinds = w.trace.recent().filter((x) => x.kind.startsWith('icmp-'));
    expect(kinds.find((x) => x.kind === 'icmp-echo')).toMatchObject({ host: 'redis-1', detail: '10.0.0.11 -> 10.0.0.12 seq=1 84B' });
    expect(kinds.find((x) => x.kind === 'icmp-reply')).toMatchObject({ host: 'redis-2', pid: 0, detail: '10.0.0.12 -> 10.0.0.11 seq=1' });
  });

  it('the loopback and the host itself answer locally, in a tenth of a millisecond', async () => {
    const w = world();
    const lo = await run(w, 'client', 'ping -c 2 127.0.0.1');
    expect(lo.out).toBe('PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.100 ms\n64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.100 ms\n\n'
      + '--- 127.0.0.1 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 1000ms\nrtt min/avg/max/mdev = 0.100/0.100/0.100/0.000 ms\n');
    expect((await run(w, 'client', 'ping -c 1 localhost')).out).toContain('\n64 bytes from localhost (127.0.0.1): icmp_seq=1 ttl=64 time=0.100 ms\n');
    expect((await run(w, 'client', 'ping -c 1 client')).out).toContain('\n64 bytes from client (10.0.0.20): icmp_seq=1 ttl=64 time=0.100 ms\n');
    // 0.0.0.0 is the host itself, reached over the loopback.
    expect((await run(w, 'client', 'ping -c 1 0.0.0.0')).out).toMatch(/^PING 0\.0\.0\.0 \(127\.0\.0\.1\) 56\(84\) bytes of data\.\n64 bytes from 127\.0\.0\.1: icmp_seq=1 /);
    // Even cut off from everyone.
    w.partition(['client'], ['redis-1', 'redis-2']);
    expect((await run(w, 'client', 'ping -c 1 10.0.0.20')).code).toBe(0);
  });

  it('shows the link\'s latency with iputils\' precision: 3 decimals below 1 ms, 2 below 10, 1 below 100, none above', async () => {
    const w = world();
    w.setLink('redis-1', 'redis-2', { latencyMs: 2, jitterMs: 0 });
    expect(times((await run(w, 'redis-1', 'ping -c 2 -i 0.2 redis-2')).out)).toEqual([4, 4]);
    expect((await run(w, 'redis-1', 'ping -c 1 redis-2')).out).toContain(' time=4.00 ms\n');
    w.setLink('redis-1', 'redis-2', { latencyMs: 25 });
    const r = await run(w, 'redis-1', 'ping -c 1 redis-2');
    expect(r.out).toContain(' time=50.0 ms\n');
    expect(r.out).toContain('rtt min/avg/max/mdev = 50.001/50.001/50.001/0.000 ms\n');
    w.setLink('redis-1', 'redis-2', { latencyMs: 150 });
    expect((await run(w, 'redis-1', 'ping -c 1 redis-2')).out).toContain(' time=300 ms\n');
    // One way only: the other direction keeps the LAN's 0.2 ms.
    w.setLink('redis-1', 'client', { latencyMs: 10, jitterMs: 0 }, true);
    expect((await run(w, 'redis-1', 'ping -c 1 client')).out).toContain(' time=10.2 ms\n');
    // A slow link: 1400+28 bytes at 1 Mbit/s take 11.4 ms each way.
    w.setLink('redis-2', 'client', { latencyMs: 0.2, jitterMs: 0, bandwidthBps: 1e6 });
    expect((await run(w, 'redis-2', 'ping -c 1 -s 1400 client')).out).toContain('1408 bytes from client (10.0.0.20): icmp_seq=1 ttl=64 time=23.2 ms\n');
    expect([formatTrip(999), formatTrip(1234), formatTrip(9994), formatTrip(9995), formatTrip(99949), formatTrip(99950)]).toEqual(['0.999 ms', '1.23 ms', '9.99 ms', '10.0 ms', '99.9 ms', '100 ms']);
  });

  it('a partition (two-way or one-way) loses every datagram: 100% packet loss after the linger time, status 1', async () => {
    const w = world();
    w.partition(['redis-1'], ['redis-2']);
    const cut = await run(w, 'redis-1', 'ping -c 2 redis-2');
    expect(cut).toMatchObject({ out: 'PING redis-2 (10.0.0.12) 56(84) bytes of data.\n\n--- redis-2 ping statistics ---\n2 packets transmitted, 0 received, 100% packet loss, time 1000ms\n\n', code: 1 });
    // The count sent, it waits -W's 10 s by default.
    expect(cut.ms).toBeCloseTo(11_000, 0);
    expect((await run(w, 'redis-1', 'ping -c 2 -W 1 redis-2')).ms).toBeCloseTo(2000, 0);
    w.heal();
    // One way: the requests get through, the replies do not; from the other side, the requests do not.
    w.partition(['redis-2'], ['redis-1'], true);
    expect((await run(w, 'redis-1', 'ping -c 2 -W 1 redis-2')).out).toContain('2 packets transmitted, 0 received, 100% packet loss');
    expect((await run(w, 'redis-2', 'ping -c 2 -W 1 redis-1')).out).toContain('2 packets transmitted, 0 received, 100% packet loss');
    // redis-2's kernel answered; its reply was lost in the cut.
    expect(w.trace.recent().some((x) => x.kind === 'icmp-drop' && x.host === 'redis-2' && x.pid === 0 && x.detail === '10.0.0.11 seq=1 (partition)')).toBe(true);
    expect((await run(w, 'client', 'ping -c 1 redis-1')).code).toBe(0);
  });

  it('iptables: INPUT DROP is silence, REJECT answers Destination Port Unreachable, the own OUTPUT chain silently keeps it; -p tcp rules leave ping alone', async () => {
    const w = world();
    await w.exec('redis-2', 'iptables -A INPUT -s 10.0.0.11 -p tcp -j DROP');
    expect((await run(w, 'redis-1', 'ping -c 1 10.0.0.12')).code).toBe(0);
    await w.exec('redis-2', 'iptables -A INPUT -s 10.0.0.11 -j DROP');
    expect((await run(w, 'redis-1', 'ping -c 2 -W 2 10.0.0.12')).out).toContain('\n2 packets transmitted, 0 received, 100% packet loss, time 1000ms\n');
    expect((await run(w, 'client', 'ping -c 1 10.0.0.12')).code).toBe(0);
    await w.exec('redis-2', 'iptables -F; iptables -A INPUT -p icmp --icmp-type echo-request -j REJECT');
    const rej = await run(w, 'redis-1', 'ping -c 2 10.0.0.12');
    expect(rej).toMatchObject({
      out: 'PING 10.0.0.12 (10.0.0.12) 56(84) bytes of data.\nFrom 10.0.0.12 icmp_seq=1 Destination Port Unreachable\nFrom 10.0.0.12 icmp_seq=2 Destination Port Unreachable\n\n'
        + '--- 10.0.0.12 ping statistics ---\n2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1000ms\n\n',
      code: 1,
    });
    // It ends with the last answer (an error counts).
    expect(rej.ms).toBeLessThan(1001);
    // An echo-reply rule does not match requests; its listing, as iptables 1.8 prints it.
    await w.exec('redis-2', 'iptables -F; iptables -A OUTPUT -p icmp --icmp-type echo-reply -j DROP');
    expect((await run(w, 'redis-1', 'ping -c 1 -W 1 10.0.0.12')).code).toBe(1);
    expect((await run(w, 'redis-2', 'iptables -L OUTPUT; iptables -L OUTPUT -n; iptables -S OUTPUT')).out).toBe(
      'Chain OUTPUT (policy ACCEPT)\ntarget     prot opt source               destination         \nDROP       icmp --  anywhere             anywhere             icmp echo-reply\n'
      + 'Chain OUTPUT (policy ACCEPT)\ntarget     prot opt source               destination         \nDROP       icmp --  0.0.0.0/0            0.0.0.0/0            icmptype 0\n'
      + '-P OUTPUT ACCEPT\n-A OUTPUT -p icmp -m icmp --icmp-type 0 -j DROP\n');
    await w.exec('redis-2', 'iptables -F');
    // The sender's own OUTPUT chain: sendto fails with EPERM, which iputils does not report.
    await w.exec('redis-1', 'iptables -A OUTPUT -p icmp -j DROP');
    const out = await run(w, 'redis-1', 'ping -c 2 10.0.0.12');
    expect(out).toMatchObject({ out: 'PING 10.0.0.12 (10.0.0.12) 56(84) bytes of data.\n\n--- 10.0.0.12 ping statistics ---\n2 packets transmitted, 0 received, 100% packet loss, time 1000ms\n\n', code: 1 });
    expect(out.ms).toBeCloseTo(11_000, 0);
    expect(await run(w, 'redis-1', 'iptables -A INPUT -p foo -j DROP; iptables -A INPUT --icmp-type 8 -j DROP; iptables -A INPUT -p icmp --icmp-type bogus -j DROP')).toMatchObject({
      out: 'iptables v1.8.7 (nf_tables): unknown protocol "foo" specified\nTry `iptables -h\' or \'iptables --help\' for more information.\n'
        + 'iptables v1.8.7 (nf_tables): unknown option "--icmp-type"\nTry `iptables -h\' or \'iptables --help\' for more information.\n'
        + 'iptables v1.8.7 (nf_tables): Unknown ICMP type `bogus\'\nTry `iptables -h\' or \'iptables --help\' for more information.\n',
      code: 2,
    });
  });

  it('net.ipv4.icmp_echo_ignore_all=1 makes a host answer no ping, its own loopback included (as measured)', async () => {
    const w = world();
    expect(await run(w, 'redis-2', 'sysctl -w net.ipv4.icmp_echo_ignore_all=1; sysctl -w net.ipv4.icmp_echo_ignore_all=2')).toMatchObject({
      out: 'net.ipv4.icmp_echo_ignore_all = 1\nsysctl: setting key "net.ipv4.icmp_echo_ignore_all": Invalid argument\n', code: 1,
    });
    expect((await run(w, 'redis-1', 'ping -c 1 -W 1 redis-2')).out).toContain('\n1 packets transmitted, 0 received, 100% packet loss, time 0ms\n');
    expect((await run(w, 'redis-2', 'ping -c 1 -W 1 127.0.0.1')).code).toBe(1);
    // Its own pings out are answered as usual.
    expect((await run(w, 'redis-2', 'ping -c 1 redis-1')).code).toBe(0);
    await w.exec('redis-2', 'echo 0 > /proc/sys/net/ipv4/icmp_echo_ignore_all');
    expect((await run(w, 'redis-1', 'ping -c 1 redis-2')).code).toBe(0);
  });

  it('a host that is down or an address nobody owns: ARP fails after 3 s, Destination Host Unreachable from the host itself', async () => {
    const w = world();
    w.powerOff('redis-2');
    const down = await run(w, 'redis-1', 'ping -c 4 redis-2');
    // As measured (-c 4 to an address whose ARP gets no answer): the first three at 3 s, the
    // fourth, sent as the first resolution failed, 3 s later; pipe 4.
    expect(down).toMatchObject({
      out: 'PING redis-2 (10.0.0.12) 56(84) bytes of data.\n'
        + 'From redis-1 (10.0.0.11) icmp_seq=1 Destination Host Unreachable\nFrom redis-1 (10.0.0.11) icmp_seq=2 Destination Host Unreachable\n'
        + 'From redis-1 (10.0.0.11) icmp_seq=3 Destination Host Unreachable\nFrom redis-1 (10.0.0.11) icmp_seq=4 Destination Host Unreachable\n\n'
        + '--- redis-2 ping statistics ---\n4 packets transmitted, 0 received, +4 errors, 100% packet loss, time 3000ms\npipe 4\n',
      code: 1,
    });
    expect(down.ms).toBeCloseTo(6000, 0);
    expect((await run(w, 'redis-1', 'ping -c 1 10.0.0.99')).out).toContain('\nFrom 10.0.0.11 icmp_seq=1 Destination Host Unreachable\n');
    // -w ends at the first error.
    expect((await run(w, 'redis-1', 'ping -w 10 10.0.0.99')).ms).toBeCloseTo(3000, 0);
    // Powered off while pinged: its replies had kept it a valid neighbour, so the requests go
    // out silently for its reachable time (15-45 s) plus DELAY 5 s and PROBE 3 s; only then
    // does ARP start, and fail, three requests every 3 s (measured: 32 s after the last reply).
    w.powerOn('redis-2');
    await w.advance(100);
    const t = w.openTerminal('redis-1');
    await w.advance(50);
    w.type(t, 'ping redis-2');
    await w.advance(2500);
    w.powerOff('redis-2');
    await w.advance(70_000);
    w.interrupt(t);
    await w.advance(50);
    const text = w.terminal(t)!.text();
    const m = /icmp_seq=3 ttl=64 time=[\d.]+ ms\nFrom redis-1 \(10\.0\.0\.11\) icmp_seq=(\d+) Destination Host Unreachable\n/.exec(text);
    expect(m).not.toBeNull();
    const firstError = Number(m![1]);
    // The last reply confirmed it at 2 s; the first error is for a request sent 23-53 s later.
    expect(firstError - 3).toBeGreaterThanOrEqual(23);
    expect(firstError - 3).toBeLessThanOrEqual(53);
    const errors = [...text.matchAll(/icmp_seq=(\d+) Destination Host Unreachable/g)].map((x) => Number(x[1]));
    expect(errors).toEqual(Array.from({ length: errors.length }, (_, i) => firstError + i));
    expect(text).toMatch(/\n\^C\n--- redis-2 ping statistics ---\n73 packets transmitted, 3 received, \+\d+ errors, 95\.8904% packet loss, time 72000ms\nrtt min\/avg\/max\/mdev = [\d./]+ ms, pipe 4\n/);
    expect(w.trace.recent().some((x) => x.kind === 'icmp-drop' && x.detail === '10.0.0.12 seq=4 (host down)')).toBe(true);
  });

  it('a host heard from over TCP is a valid neighbour when it goes down: silence first, no unreachable at once', async () => {
    const w = world();
    // The connection's segments from redis-2 confirm it in redis-1's neighbour table.
    expect((await run(w, 'redis-1', 'nc -z redis-2 22')).code).toBe(0);
    w.powerOff('redis-2');
    const silent = await run(w, 'redis-1', 'ping -c 3 -W 1 redis-2');
    expect(silent.out).toBe('PING redis-2 (10.0.0.12) 56(84) bytes of data.\n\n--- redis-2 ping statistics ---\n3 packets transmitted, 0 received, 100% packet loss, time 2000ms\n\n');
    // client never talked to redis-2: ARP at once.
    expect((await run(w, 'client', 'ping -c 1 redis-2')).out).toContain('\nFrom client (10.0.0.20) icmp_seq=1 Destination Host Unreachable\n');
    // A power cycle of redis-1 forgets its table.
    w.powerOff('redis-1');
    w.powerOn('redis-1');
    await w.advance(5000);
    expect((await run(w, 'redis-1', 'ping -c 1 redis-2')).out).toContain('\nFrom redis-1 (10.0.0.11) icmp_seq=1 Destination Host Unreachable\n');
  });

  it('names: unknown hosts, usage errors and bad option values as iputils words them', async () => {
    const w = world();
    expect(await run(w, 'redis-1', 'ping -c 1 nohost')).toMatchObject({ out: 'ping: nohost: Name or service not known\n', code: 2 });
    expect(await run(w, 'redis-1', "ping -c 1 ''")).toMatchObject({ out: 'ping: : Name or service not known\n', code: 2 });
    expect(await run(w, 'redis-1', 'ping')).toMatchObject({ out: 'ping: usage error: Destination address required\n', code: 1 });
    expect(await run(w, 'redis-1', 'ping -c 0 redis-2')).toMatchObject({ out: "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807\n", code: 1 });
    expect(await run(w, 'redis-1', 'ping -c 99999999999999999999 redis-2')).toMatchObject({ out: "ping: invalid argument: '99999999999999999999': Numerical result out of range\n", code: 1 });
    expect((await run(w, 'redis-1', 'ping -c 9223372036854775807 -w 1 redis-2')).code).toBe(1);
    expect(await run(w, 'redis-1', 'ping -w abc redis-2')).toMatchObject({ out: "ping: invalid argument: 'abc'\n", code: 1 });
    expect(await run(w, 'redis-1', 'ping -W -1 redis-2')).toMatchObject({ out: 'ping: bad linger time: -1\n', code: 2 });
    expect(await run(w, 'redis-1', 'ping -V')).toMatchObject({ out: 'ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n', code: 0 });
    const bad = await run(w, 'redis-1', 'ping -x redis-2');
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/^ping: invalid option -- 'x'\n\nUsage\n {2}ping \[options\] <destination>\n/);
    expect(await run(w, 'redis-1', 'ping -c 1 10.0.0.255')).toMatchObject({ out: 'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n', code: 2 });
    expect(await run(w, 'redis-1', 'ping -f redis-2')).toMatchObject({ out: 'ping: -f: not supported by the simulated network\n', code: 2 });
    const garbage = await run(w, 'redis-1', 'ping -c 1 -i 1x redis-2');
    expect(garbage.out).toMatch(/^ping: option argument contains garbage: x\nping: this will become fatal error in the future\nPING redis-2/);
    expect(await run(w, 'redis-1', 'ping -c 1 -s 65508 127.0.0.1')).toMatchObject({
      out: 'PING 127.0.0.1 (127.0.0.1) 65508(65536) bytes of data.\nping: local error: message too long, mtu=65535\n\n--- 127.0.0.1 ping statistics ---\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n\n',
      code: 1,
    });
    expect((await run(w, 'redis-1', 'ping -c 1 -s 10 redis-2')).out).toBe('PING redis-2 (10.0.0.12) 10(38) bytes of data.\n18 bytes from redis-2 (10.0.0.12): icmp_seq=1 ttl=64\n\n--- redis-2 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\n\n');
    expect([formatG(Math.fround(200 / 3)), formatG(Math.fround(100 / 3)), formatG(100), formatG(Math.fround(100 / 7))]).toEqual(['66.6667', '33.3333', '100', '14.2857']);
  });

  it('-w DEADLINE sends past -c and sets the status by the count of replies; -i 0 reports ipg/ewma', async () => {
    const w = world();
    const d = await run(w, 'redis-1', 'ping -c 2 -w 1 redis-2');
    expect(d.out).toContain('\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\n');
    expect(d.code).toBe(1);
    const free = await run(w, 'redis-1', 'ping -w 3 redis-2');
    expect(free.out).toContain('\n3 packets transmitted, 3 received, 0% packet loss, time 2000ms\n');
    expect(free.code).toBe(0);
    expect(free.ms).toBeCloseTo(3000, 0);
    expect((await run(w, 'redis-1', 'ping -c 3 -i 0 -q redis-2')).out).toMatch(/\nrtt min\/avg\/max\/mdev = [\d./]+ ms, ipg\/ewma 0\.\d{3}\/0\.\d{3} ms\n$/);
    // -D stamps each line with the (virtual) time of day; -O reports a request still unanswered
    // when the next one leaves.
    expect((await run(w, 'redis-1', 'ping -D -c 1 redis-2')).out).toMatch(/\n\[\d{10}\.\d{6}\] 64 bytes from redis-2 \(10\.0\.0\.12\): icmp_seq=1 /);
    w.partition(['redis-1'], ['redis-2']);
    expect((await run(w, 'redis-1', 'ping -O -c 3 -W 1 redis-2')).out).toBe('PING redis-2 (10.0.0.12) 56(84) bytes of data.\nno answer yet for icmp_seq=1\nno answer yet for icmp_seq=2\n\n'
      + '--- redis-2 ping statistics ---\n3 packets transmitted, 0 received, 100% packet loss, time 2000ms\n\n');
  });

  it('ends like a process: SIGPIPE when what reads it is gone, SIGTERM from timeout without a summary', async () => {
    const w = world();
    const piped = await run(w, 'redis-1', 'ping redis-2 | head -2; echo "${PIPESTATUS[@]}"');
    expect(piped.out).toMatch(/^PING redis-2 \(10\.0\.0\.12\) 56\(84\) bytes of data\.\n64 bytes from redis-2 \(10\.0\.0\.12\): icmp_seq=1 ttl=64 time=[\d.]+ ms\n141 0\n$/);
    // Nothing of it is left sending.
    const sent = w.trace.count;
    await w.advance(5000);
    expect(w.trace.recent().filter((x) => x.kind === 'icmp-echo' && x.i >= sent)).toEqual([]);
    const t = await run(w, 'redis-1', 'timeout 2.5 ping redis-2; echo $?');
    expect(t.out).toMatch(/icmp_seq=3 ttl=64 time=[\d.]+ ms\n124\n$/);
  });

  it('SIGQUIT prints the running status line on stderr and goes on (format as measured)', async () => {
    const w = world();
    const t = w.openTerminal('redis-1');
    await w.advance(50);
    w.type(t, 'ping -i 0.2 127.0.0.1');
    await w.advance(700);
    const pid = w.processes('redis-1').find((p) => p.argv[0] === 'ping')!.pid;
    w.kill('redis-1', pid, 'SIGQUIT');
    await w.advance(300);
    w.interrupt(t);
    await w.advance(50);
    const text = w.terminal(t)!.text();
    expect(text).toContain('icmp_seq=4 ttl=64 time=0.100 ms\n\r4/4 packets, 0% loss, min/avg/ewma/max = 0.100/0.100/0.100/0.100 ms\n64 bytes from 127.0.0.1: icmp_seq=5 ');
    expect(text).toContain('\n5 packets transmitted, 5 received, 0% packet loss, time 800ms\n');
  });

  it('Ctrl-C ends it with the summary (status 0 with replies); a lossy link loses some, the same way for the same seed', async () => {
    const lossy = async (seed: number) => {
      const w = world({ seed });
      w.setLink('redis-1', 'redis-2', { loss: 0.3, jitterMs: 2 });
      const t = w.openTerminal('redis-1');
      await w.advance(50);
      w.type(t, 'ping redis-2');
      await w.advance(9_500);
      w.interrupt(t);
      await w.advance(50);
      const after = await typeAndRun(w, t, 'echo $?');
      return { text: w.terminal(t)!.text(), after, hash: w.trace.hash() };
    };
    const a = await lossy(42);
    expect(a.text).toMatch(/\n\^C\n--- redis-2 ping statistics ---\n10 packets transmitted, \d+ received, [\d.]+% packet loss, time 9000ms\nrtt min\/avg\/max\/mdev = [\d./]+ ms\n/);
    const received = Number(/transmitted, (\d+) received/.exec(a.text)![1]);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(10);
    expect(a.after).toBe('echo $?\n0\nroot@redis-1:~# ');
    // Jitter shows in the times.
    expect(new Set(times(a.text)).size).toBeGreaterThan(1);
    const b = await lossy(42);
    expect(b).toEqual(a);
    const c = await lossy(7);
    expect(c.text).not.toBe(a.text);
  });
});

const PING = findBinary('ping');

describe.skipIf(!PING)('ping against the real iputils ping (differential)', () => {
  /** A line's shape: every number a placeholder keeping its decimals (`0.189` and `0.100` alike). */
  const shape = (text: string) => text.replace(/\d+\.(\d+)/g, (_m, d: string) => `N.${'d'.repeat(d.length)}`).replace(/\d+/g, 'N');
  const real = (args: string[]) => {
    const r = spawnSync(PING!, args, { encoding: 'utf8', argv0: 'ping' });
    return { out: r.stdout, err: r.stderr, code: r.status };
  };

  it('prints each line of `ping -c 2 127.0.0.1`, -q, -s 10 and -n localhost in the real one\'s format', async () => {
    const w = world();
    for (const args of [['-c', '2', '-i', '0.2', '127.0.0.1'], ['-q', '-c', '2', '-i', '0.2', '127.0.0.1'], ['-c', '1', '-s', '10', '127.0.0.1'], ['-n', '-c', '1', 'localhost'], ['-c', '1', 'localhost']]) {
      const r = real(args);
      if (r.code !== 0) return; // no ICMP socket for this user here: nothing to compare with
      const ours = await run(w, 'redis-1', `ping ${args.join(' ')}`);
      expect(ours.code).toBe(0);
      expect(shape(ours.out).split('\n')).toEqual(shape(r.out).split('\n'));
    }
  });

  it('refuses what the real one refuses, with its words and status', async () => {
    const w = world();
    for (const args of [['-c', '0', '127.0.0.1'], ['-w', 'abc', '127.0.0.1'], ['-W', '-1', '127.0.0.1'], ['-s', '-1', '127.0.0.1'], ['nosuchhost.invalid'], [], ['-x', '127.0.0.1'],
      ['-h'], ['-c', '1', '-i', '', '127.0.0.1'], ['-c', '1', '-t', '300', '127.0.0.1'], ['-c', '99999999999999999999', '127.0.0.1'], ['-c', '1', '10.0.0.11', 'nosuchhost.invalid']]) {
      const r = real(args);
      const ours = await run(w, 'redis-1', `ping ${args.map((a) => (a === '' ? "''" : a)).join(' ')}`);
      expect({ out: ours.out, code: ours.code }).toEqual({ out: r.out + r.err, code: r.code });
    }
  });
});
