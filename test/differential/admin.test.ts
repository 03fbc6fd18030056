/**
 * SLOWLOG, LATENCY, SHUTDOWN, WAIT, MEMORY, ROLE, FAILOVER, LASTSAVE and LOLWUT against real
 * Redis 7.0.15: error texts byte for byte, reply shapes where values are timing-dependent.
 */
import { it, expect } from 'vitest';
import { describeDifferential, expectSame } from '../support/differential';
import { runOurs, runReal, tempDir, normaliseLog } from '../support/program-run';
import { freePort } from '../support/ports';
import { RawClient } from '../support/raw-client';
import { haveRealRedis } from '../support/real-redis';

describeDifferential('server administration commands (differential)', (pair) => {
  it('SLOWLOG', () => expectSame(pair(), [
    ['SLOWLOG', 'RESET'], ['SLOWLOG', 'LEN'], ['SLOWLOG', 'GET'], ['SLOWLOG', 'GET', '-2'], ['SLOWLOG', 'GET', 'x'], ['SLOWLOG', 'LEN', 'x'],
    ['SLOWLOG', 'RESET', 'x'], ['SLOWLOG', 'HELP'], ['SLOWLOG', 'foo'], ['SLOWLOG'],
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'],
    ['SET', 'k', 'v'], ['SET', 'long', 'x'.repeat(200)], ['SLOWLOG', 'LEN'],
    { cmd: ['SLOWLOG', 'GET', '2'], compare: 'length' }, { cmd: ['SLOWLOG', 'GET', '-1'], compare: 'length' }, { cmd: ['SLOWLOG', 'GET', '0'], compare: 'length' },
    ['CONFIG', 'SET', 'slowlog-max-len', '2'], ['SET', 'a', 'b'], ['SLOWLOG', 'LEN'],
    ['CONFIG', 'SET', 'slowlog-max-len', '0'], ['SET', 'a', 'b'], ['SLOWLOG', 'LEN'],
    ['CONFIG', 'SET', 'slowlog-max-len', '128'], ['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'], ['SLOWLOG', 'RESET'], ['SET', 'a', 'b'], ['SLOWLOG', 'LEN'],
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'],
  ]));

  it('SLOWLOG entries: id, time, duration, trimmed arguments, client address and name', async () => {
    const p = pair();
    const steps = [['SLOWLOG', 'RESET'], ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], ['SET', 'long', 'x'.repeat(200)],
      ['MSET', ...Array.from({ length: 40 }, (_, i) => String(i))], ['CONFIG', 'SET', 'masterauth', 'secret', 'hz', '10'],
      ['CONFIG', 'SET', 'requirepass', ''], ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']];
    for (const s of steps) { await p.realClient.call(...s); await p.ourClient.call(...s); }
    const entries = async (cl: RawClient, port: number) => {
      cl.write('*3\r\n$7\r\nSLOWLOG\r\n$3\r\nGET\r\n$2\r\n10\r\n');
      const v = (await cl.reply()).value;
      expect(v.type).toBe('array');
      return (v as { value: any[] }).value.map((e) => {
        const [id, t, us, args, addr, name] = e.value;
        expect(Number(t.value)).toBeGreaterThan(1_600_000_000);
        expect(Number(us.value)).toBeGreaterThanOrEqual(0);
        expect(addr.value).toMatch(/^127\.0\.0\.1:\d+$/);
        void port;
        return { id: Number(id.value), args: args.value.map((a: any) => a.value), name: name.value };
      });
    };
    const [a, b] = await Promise.all([entries(p.realClient, p.real.port), entries(p.ourClient, p.ours.port)]);
    expect(b).toEqual(a);
  });

  it('LATENCY', () => expectSame(pair(), [
    ['LATENCY', 'RESET'], ['LATENCY', 'LATEST'], ['LATENCY', 'HISTORY', 'command'], ['LATENCY', 'GRAPH', 'command'],
    ['LATENCY', 'DOCTOR'], ['LATENCY', 'HELP'], ['LATENCY', 'foo'], ['LATENCY'], ['LATENCY', 'HISTORY'], ['LATENCY', 'GRAPH', 'a', 'b'],
    ['LATENCY', 'RESET', 'a', 'b'], ['LATENCY', 'LATEST', 'x'], ['LATENCY', 'DOCTOR', 'x'],
    ['CONFIG', 'SET', 'latency-monitor-threshold', '200'], ['LATENCY', 'DOCTOR'],
    ['DEBUG', 'SLEEP', '0.25'], { cmd: ['LATENCY', 'LATEST'], compare: 'length' }, { cmd: ['LATENCY', 'HISTORY', 'command'], compare: 'length' },
    ['LATENCY', 'RESET', 'command'], ['LATENCY', 'LATEST'], ['CONFIG', 'SET', 'latency-monitor-threshold', '0'],
    ['CONFIG', 'RESETSTAT'], { cmd: ['LATENCY', 'HISTOGRAM'], compare: 'length' }, ['LATENCY', 'HISTOGRAM', 'set', 'nosuchcmd'],
    ['SET', 'a', 'b'], ['SET', 'a', 'c'], { cmd: ['LATENCY', 'HISTOGRAM', 'set'], compare: 'type' }, ['LATENCY', 'HISTOGRAM', 'get'],
    { raw: '*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n', replies: 1 }, ['LATENCY', 'HISTOGRAM', 'get'], { cmd: ['LATENCY', 'HISTOGRAM', 'set'], compare: 'type' },
    { raw: '*2\r\n$5\r\nHELLO\r\n$1\r\n2\r\n', replies: 1 },
  ]));

  it('LATENCY HISTOGRAM reports the calls and cumulative power-of-two buckets', async () => {
    const p = pair();
    await p.ourClient.call('CONFIG', 'RESETSTAT');
    for (let i = 0; i < 20; i++) await p.ourClient.call('SET', 'k', 'v');
    p.ourClient.write('*3\r\n$7\r\nLATENCY\r\n$9\r\nHISTOGRAM\r\n$3\r\nset\r\n');
    const v = (await p.ourClient.reply()).value as any;
    const [name, body] = v.value;
    expect(name.value).toBe('set');
    expect(body.value[0].value).toBe('calls');
    expect(Number(body.value[1].value)).toBe(20);
    const buckets = body.value[3].value;
    let prev = 0;
    for (let i = 0; i < buckets.length; i += 2) {
      const us = Number(buckets[i].value), cum = Number(buckets[i + 1].value);
      expect(us === 1 || (us + 1) % 2 === 0 || Number.isInteger(Math.log2(us + 1)) || us >= 1).toBe(true);
      expect(cum).toBeGreaterThan(prev);
      prev = cum;
    }
    expect(prev).toBe(20);
  });

  it('MEMORY', () => expectSame(pair(), [
    ['FLUSHALL'], ['SET', 'foo', 'bar'], ['SET', 'n', '12345'], ['SET', 'big', 'x'.repeat(100)], ['SET', 'big2', 'x'.repeat(1000)], ['SET', '', 'empty key'],
    ['MEMORY', 'USAGE', 'foo'], ['MEMORY', 'USAGE', 'n'], ['MEMORY', 'USAGE', 'big'], ['MEMORY', 'USAGE', 'big2'], ['MEMORY', 'USAGE', ''],
    ['MEMORY', 'USAGE', 'nokey'], ['MEMORY', 'USAGE'], ['MEMORY', 'USAGE', 'foo', 'SAMPLES'], ['MEMORY', 'USAGE', 'foo', 'SAMPLES', 'x'],
    ['MEMORY', 'USAGE', 'foo', 'SAMPLES', '-1'], ['MEMORY', 'USAGE', 'foo', 'SAMPLES', '0'], ['MEMORY', 'USAGE', 'foo', 'bar'],
    ['MEMORY', 'DOCTOR'], ['MEMORY', 'HELP'], ['MEMORY', 'foo'], ['MEMORY'], ['MEMORY', 'STATS', 'x'], ['MEMORY', 'PURGE', 'x'],
    { cmd: ['MEMORY', 'STATS'], compare: 'length' }, { cmd: ['MEMORY', 'MALLOC-STATS'], compare: 'type' },
  ]));

  it('ROLE, WAIT, FAILOVER, LASTSAVE, LOLWUT, SHUTDOWN errors', () => expectSame(pair(), [
    ['ROLE'], ['ROLE', 'x'], ['WAIT', '0', '0'], ['WAIT', '-1', '0'], ['WAIT', 'x', '0'], ['WAIT', '0', '-1'], ['WAIT', '0', 'x'], ['WAIT', '1'],
    ['WAIT', '1', '100'], ['WAIT', '2', '50'],
    ['FAILOVER'], ['FAILOVER', 'ABORT'], ['FAILOVER', 'TO', '127.0.0.1', '6379'], ['FAILOVER', 'TO', '127.0.0.1', 'x'], ['FAILOVER', 'TO', '127.0.0.1'],
    ['FAILOVER', 'TIMEOUT', '-1'], ['FAILOVER', 'TIMEOUT', 'x'], ['FAILOVER', 'TIMEOUT', '10', 'TIMEOUT', '5'], ['FAILOVER', 'FORCE'], ['FAILOVER', 'FORCE', 'FORCE'],
    ['FAILOVER', 'bogus'], ['FAILOVER', 'ABORT', 'x'],
    { cmd: ['LASTSAVE'], compare: 'type' }, ['LASTSAVE', 'x'],
    ['LOLWUT', 'VERSION', 'x'], ['LOLWUT', 'VERSION', '7'], ['LOLWUT', 'VERSION', '4'], ['LOLWUT'], ['LOLWUT', 'x'],
    ['SHUTDOWN', 'foo'], ['SHUTDOWN', 'ABORT'], ['SHUTDOWN', 'SAVE', 'NOSAVE'], ['SHUTDOWN', 'ABORT', 'NOW'], ['SHUTDOWN', 'NOSAVE', 'ABORT'],
  ]));

  it('WAIT with missing replicas blocks until its timeout', async () => {
    const p = pair();
    const t0 = Date.now();
    expect(await p.ourClient.call('WAIT', '1', '300')).toBe(':0\r\n');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    const t1 = Date.now();
    expect(await p.ourClient.call('WAIT', '0', '0')).toBe(':0\r\n');
    expect(Date.now() - t1).toBeLessThan(200);
  });
});

it.skipIf(!haveRealRedis())('SHUTDOWN: the same log lines and the client sees the connection close', async () => {
  for (const args of [['NOSAVE'], [], ['NOW'], ['FORCE', 'NOSAVE']]) {
    const portA = await freePort(), portB = await freePort();
    const dirA = tempDir('halab-sd-'), dirB = tempDir('halab-sd-');
    const realP = runReal(['--port', String(portA), '--bind', '127.0.0.1', '--save', ''], dirA, { timeoutMs: 8000 });
    await new Promise((r) => setTimeout(r, 300));
    const ca = await RawClient.connect(portA);
    ca.write(`*${args.length + 1}\r\n$8\r\nSHUTDOWN\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`);
    const realClosed = await ca.readUntilClose();
    const real = await realP;

    const oursP = runOurs(['--port', String(portB), '--bind', '127.0.0.1', '--save', ''], dirB, { stopWith: 'none' });
    await new Promise((r) => setTimeout(r, 300));
    const cb = await RawClient.connect(portB);
    cb.write(`*${args.length + 1}\r\n$8\r\nSHUTDOWN\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`);
    const oursClosed = await cb.readUntilClose();
    expect(oursClosed).toBe(realClosed);
    expect(cb.closed).toBe(true);
    const ours = await oursP;
    const tail = (s: string, pid: number) => normaliseLog(s, [pid]).split('\n').filter((l) => /shutdown|exit|Saving|pid/i.test(l));
    expect(tail(ours.stdout, ours.pid)).toEqual(tail(real.stdout, real.pid));
    expect(ours.code).toBe(real.code);
  }
}, 60_000);
