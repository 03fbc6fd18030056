import { describe, expect, it } from 'vitest';
import { echoStream, world } from './helpers';
import { markRecalled, type WireEvent } from '../../src/ui/world/messages';

describe('sim network', () => {
  it('refuses a connection to a closed port (ECONNREFUSED one round trip later)', async () => {
    const w = world();
    const r = await w.exec('client', 'ping-once 10.0.0.11 6379');
    expect(r.output).toBe('error ECONNREFUSED\n');
    expect(r.code).toBe(1);
  });

  it('connects, answers, and keeps the protocol bytes intact', async () => {
    const w = world();
    await w.exec('redis-1', 'redis-server --port 6379 --protected-mode no --save "" > /var/log/redis.log &');
    await w.advance(200);
    const r = await w.exec('client', 'ping-once 10.0.0.11 6379');
    expect(r.output).toBe('"PONG"\n');
  });

  it('a connection ends when both programs have closed it: the peer of the one that closed first closes at its FIN', async () => {
    const w = world();
    await w.exec('redis-1', 'redis-server --port 6379 --protected-mode no --save "" > /var/log/redis.log &');
    await w.advance(200);
    for (let i = 0; i < 3; i++) await w.exec('client', 'ping-once 10.0.0.11 6379');
    await w.exec('client', 'redis-cli -h 10.0.0.11 ping');
    await w.advance(100);
    // The server saw each EOF and closed its side: nothing is left of the four connections.
    expect(w.connections()).toEqual([]);
    expect(w.trace.recent().filter((r) => r.kind === 'close' && r.host === 'redis-1')).toHaveLength(4);
  });

  it('resolves host names and localhost, and fails unknown names', async () => {
    const w = world();
    await w.exec('redis-1', 'echo-server 7000 > /tmp/echo.log &');
    await w.advance(10);
    await w.exec('client', 'ping-once redis-1 7000 200');
    expect(w.readText('redis-1', '/tmp/echo.log')).toContain('accept 10.0.0.20');
    await w.exec('redis-1', 'ping-once localhost 7000 200');
    expect(w.readText('redis-1', '/tmp/echo.log')).toContain('accept 127.0.0.1');
    const r = await w.exec('client', 'ping-once nosuchhost 7000');
    expect(r.output).toBe('error ENOTFOUND\n');
  });

  it('a listener bound to 127.0.0.1 is unreachable from another host but reachable locally', async () => {
    const w = world();
    await w.exec('redis-1', 'echo-server 7000 127.0.0.1 > /tmp/echo.log &');
    await w.advance(10);
    expect((await w.exec('client', 'ping-once 10.0.0.11 7000')).output).toBe('error ECONNREFUSED\n');
    await w.exec('redis-1', 'ping-once 127.0.0.1 7000 100');
    expect(w.readText('redis-1', '/tmp/echo.log')).toContain('accept 127.0.0.1');
  });

  it('EADDRINUSE when the port is taken on the address (wildcard conflicts with specific)', async () => {
    const w = world();
    await w.exec('redis-1', 'echo-server 7000 > /tmp/a.log &');
    await w.advance(10);
    await w.exec('redis-1', 'echo-server 7000 127.0.0.1 2> /tmp/b.log &');
    await w.advance(10);
    expect(w.readText('redis-1', '/tmp/b.log')).toBe('listen failed: EADDRINUSE\n');
    await w.exec('redis-1', 'echo-server 7001 10.9.9.9 2> /tmp/c.log &');
    await w.advance(10);
    expect(w.readText('redis-1', '/tmp/c.log')).toBe('listen failed: EADDRNOTAVAIL\n');
  });

  it('a partition makes connects time out: the app timeout first, TCP SYN retries at 127 s otherwise', async () => {
    const w = world();
    await w.exec('redis-1', 'echo-server 7000 > /tmp/echo.log &');
    w.partition(['client'], ['redis-1']);
    const t0 = w.now;
    const r = await w.exec('client', 'ping-once 10.0.0.11 7000 2000');
    expect(r.output).toBe('error ETIMEDOUT\n');
    expect(w.now - t0).toBeGreaterThanOrEqual(2000);
    expect(w.now - t0).toBeLessThan(2100);
    const t1 = w.now;
    const r2 = await w.exec('client', 'ping-once 10.0.0.11 7000', { timeoutMs: 200_000 });
    expect(r2.output).toBe('error ETIMEDOUT\n');
    expect(w.now - t1).toBeGreaterThanOrEqual(127_000);
    expect(w.now - t1).toBeLessThan(128_000);
  });

  it('a host that is down answers nothing: EHOSTUNREACH after the ARP timeout', async () => {
    const w = world();
    w.powerOff('redis-1');
    const t0 = w.now;
    const r = await w.exec('client', 'ping-once 10.0.0.11 7000');
    expect(r.output).toBe('error EHOSTUNREACH\n');
    expect(w.now - t0).toBeGreaterThanOrEqual(3000);
  });

  it('established connections stall across a partition and deliver everything after the heal', async () => {
    const { w } = await echoStream(1000);
    const before = w.readText('client', '/tmp/stream.log')!.split('\n').filter(Boolean).length;
    expect(before).toBeGreaterThanOrEqual(9);
    w.partition(['client'], ['redis-1']);
    await w.advance(3000);
    const during = w.readText('client', '/tmp/stream.log')!.split('\n').filter(Boolean).length;
    expect(during - before).toBeLessThanOrEqual(1);
    w.heal();
    await w.advance(10_000);
    const lines = w.readText('client', '/tmp/stream.log')!.split('\n').filter(Boolean);
    expect(lines.every((l) => l.startsWith('echo@'))).toBe(true);
    // Every tick sent during the partition came back, in order, after the heal.
    const ticks = lines.map((l) => Number(/tick (\d+)/.exec(l)![1]));
    expect(ticks).toEqual(ticks.map((_, i) => i));
    expect(ticks.length).toBeGreaterThan(during + 90);
  });

  it('a one-way partition stalls only one direction', async () => {
    const { w } = await echoStream(500);
    w.partition(['redis-1'], ['client'], true);
    await w.advance(1000);
    const n1 = w.readText('client', '/tmp/stream.log')!.split('\n').filter(Boolean).length;
    await w.advance(1000);
    expect(w.readText('client', '/tmp/stream.log')!.split('\n').filter(Boolean).length).toBe(n1);
    expect(w.trace.recent().some((r) => r.kind === 'stall' && r.host === 'redis-1')).toBe(true);
    expect(w.trace.recent().some((r) => r.kind === 'stall' && r.host === 'client')).toBe(false);
  });

  it('iptables DROP makes connects time out, REJECT refuses, -D removes the rule', async () => {
    const w = world();
    await w.exec('redis-1', 'echo-server 7000 > /tmp/echo.log &');
    await w.exec('redis-1', 'iptables -A INPUT -s 10.0.0.20 -j DROP');
    expect((await w.exec('client', 'ping-once 10.0.0.11 7000 1500')).output).toBe('error ETIMEDOUT\n');
    // Loopback is not affected by a rule about another source.
    await w.exec('redis-1', 'ping-once 127.0.0.1 7000 100');
    expect(w.readText('redis-1', '/tmp/echo.log')).toContain('accept 127.0.0.1');
    await w.exec('redis-1', 'iptables -D INPUT -s 10.0.0.20 -j DROP');
    await w.exec('redis-1', 'iptables -A INPUT -p tcp --dport 7000 -j REJECT');
    expect((await w.exec('client', 'ping-once 10.0.0.11 7000 1500')).output).toBe('error ECONNREFUSED\n');
    await w.exec('redis-1', 'iptables -F');
    await w.exec('client', 'ping-once 10.0.0.11 7000 1500');
    expect(w.readText('redis-1', '/tmp/echo.log')).toContain('accept 10.0.0.20');
    // OUTPUT DROP on the sender is EPERM at once.
    await w.exec('client', 'iptables -A OUTPUT -d 10.0.0.11 -j DROP');
    expect((await w.exec('client', 'ping-once 10.0.0.11 7000 1500')).output).toBe('error EPERM\n');
  });

  it('iptables rules are kernel memory: a power cycle leaves none', async () => {
    const w = world();
    await w.exec('client', 'iptables -A OUTPUT -d 10.0.0.11 -j DROP');
    w.powerOff('client');
    w.powerOn('client');
    await w.advance(1000);
    expect((await w.exec('client', 'iptables -L -n')).output).not.toContain('10.0.0.11');
    await w.exec('redis-1', 'echo-server 7000 > /tmp/echo.log &');
    await w.advance(10);
    await w.exec('client', 'ping-once 10.0.0.11 7000 1500');
    expect(w.readText('redis-1', '/tmp/echo.log')).toContain('accept 10.0.0.20');
  });

  it('bandwidth: 100 MB over 1 Gbit/s takes about 0.84 s; latency is configurable per link', async () => {
    const w = world();
    await w.exec('redis-1', 'sink-server 7000 104857600 > /tmp/sink.log &');
    await w.advance(10);
    await w.exec('client', 'blast 10.0.0.11 7000 104857600 > /tmp/blast.log &');
    await w.advance(2000);
    const ms = Number(/in ([\d.]+) ms/.exec(w.readText('redis-1', '/tmp/sink.log')!)![1]);
    expect(ms).toBeGreaterThan(830);
    expect(ms).toBeLessThan(850);
    // The sender's socket reports the bytes still queued behind the bandwidth.
    expect(Number(/pending (\d+)/.exec(w.readText('client', '/tmp/blast.log')!)![1])).toBe(104857600);

    w.setLink('client', 'redis-2', { latencyMs: 25, jitterMs: 0 });
    await w.exec('redis-2', 'echo-server 7000 > /tmp/echo.log &');
    await w.advance(10);
    const t0 = w.now;
    await w.exec('client', 'ping-once 10.0.0.12 7000');
    // SYN, SYN-ACK, then the PING and its echo: two round trips of 50 ms.
    expect(w.now - t0).toBeGreaterThanOrEqual(100);
    expect(w.now - t0).toBeLessThan(110);
  });

  describe('what the sender still queues when the path breaks', () => {
    /** 1 MB in 16 KB writes over a 1 MB/s link: most of it waits in the sender's queue. */
    async function slowTransfer(watch?: (w: ReturnType<typeof world>) => void) {
      const w = world();
      watch?.(w);
      w.setLink('client', 'redis-1', { bandwidthBps: 8e6, latencyMs: 0.5, jitterMs: 0 });
      await w.exec('redis-1', 'sink-server 7000 1048576 progress > /tmp/sink.log &');
      await w.advance(10);
      await w.exec('client', 'blast 10.0.0.11 7000 1048576 16384 > /tmp/blast.log &');
      await w.advance(300);
      const received = () => Number([...(w.readText('redis-1', '/tmp/sink.log') ?? '').matchAll(/got (\d+)/g)].at(-1)?.[1] ?? 0);
      return { w, received };
    }

    it('a partition holds it back: nothing more arrives across the cut; after the heal all of it, in order', async () => {
      const { w, received } = await slowTransfer();
      const before = received();
      expect(before).toBeGreaterThan(200_000);
      expect(before).toBeLessThan(400_000);
      w.partition(['client'], ['redis-1']);
      await w.advance(1);
      const atCut = received();
      // At most what was on the wire (half a millisecond at 1 MB/s) still arrives.
      expect(atCut - before).toBeLessThanOrEqual(16384);
      await w.advance(3000);
      expect(received()).toBe(atCut);
      expect(w.trace.recent().some((r) => r.kind === 'held' && r.host === 'client')).toBe(true);
      w.heal();
      await w.advance(5000);
      expect(received()).toBe(1048576);
      expect(w.readText('redis-1', '/tmp/sink.log')).toMatch(/received 1048576 in/);
    });

    it('watchers of the wire learn which messages in flight the cut took back', async () => {
      const seen: WireEvent[] = [];
      const { w } = await slowTransfer((w) => w.on('message', (m) => seen.push({ ...m })));
      const cutT = w.now;
      w.partition(['client'], ['redis-1']);
      const recalls = seen.filter((m) => m.recalled);
      expect(recalls).toHaveLength(1);
      const recall = recalls[0];
      expect(recall).toMatchObject({ recalled: 'held', fromHost: 'client', toHost: 'redis-1', to: '10.0.0.11:7000', sentT: cutT });
      expect(recall.bytes).toBeGreaterThan(100_000);
      // The newest transmissions still due after the cut, exactly the bytes taken back.
      const sent = seen.filter((m) => !m.recalled);
      markRecalled(sent, recall);
      const taken = sent.filter((m) => m.fate === 'held');
      expect(taken.reduce((n, m) => n + m.bytes, 0)).toBe(recall.bytes);
      expect(taken.every((m) => m.arrivalT > cutT)).toBe(true);
      expect(sent.slice(sent.length - taken.length).every((m) => m.fate === 'held')).toBe(true);
      // After the heal they go again, as new transmissions.
      w.heal();
      await w.advance(5000);
      const after = seen.filter((m) => !m.recalled && m.sentT > cutT && m.from === recall.from);
      expect(after.reduce((n, m) => n + m.bytes, 0)).toBeGreaterThanOrEqual(recall.bytes);
    });

    it('an iptables DROP on the receiver holds it back the same way', async () => {
      const { w, received } = await slowTransfer();
      await w.exec('redis-1', 'iptables -A INPUT -s 10.0.0.20 -j DROP');
      const atRule = received();
      await w.advance(3000);
      expect(received()).toBe(atRule);
      expect(atRule).toBeLessThan(600_000);
      await w.exec('redis-1', 'iptables -F');
      await w.advance(5000);
      expect(received()).toBe(1048576);
    });

    it('the sender losing power loses it: the receiver never gets the rest', async () => {
      const { w, received } = await slowTransfer();
      w.powerOff('client');
      await w.advance(1);
      const atPowerOff = received();
      await w.advance(5000);
      expect(received()).toBe(atPowerOff);
      expect(atPowerOff).toBeLessThan(600_000);
      expect(w.trace.recent().some((r) => r.kind === 'lost' && r.host === 'client')).toBe(true);
    });
  });

  it('loss delays (retransmission) but never loses data', async () => {
    const w = world();
    w.setLink('client', 'redis-1', { loss: 0.5 });
    await w.exec('redis-1', 'echo-server 7000 > /tmp/echo.log &');
    await w.advance(10);
    await w.exec('client', 'stream-client 10.0.0.11 7000 50 > /tmp/stream.log &');
    await w.advance(5000);
    const ticks = w.readText('client', '/tmp/stream.log')!.split('\n').filter(Boolean).map((l) => Number(/tick (\d+)/.exec(l)![1]));
    expect(ticks.length).toBeGreaterThan(10);
    expect(ticks).toEqual(ticks.map((_, i) => i));
    expect(ticks.length).toBeLessThan(95);
  });
});
