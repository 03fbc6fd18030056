/**
 * The server's blocking machinery on a virtual clock: long timeouts beyond the host timer
 * limit, FIFO serving, and serving after the command that made a key ready.
 */
import { describe, it, expect } from 'vitest';
import { RedisServer } from '../../src/engine/server/server';
import { ALL_COMMAND_FAMILIES } from '../../src/engine/commands';
import { processCommand } from '../../src/engine/server/dispatch';
import type { Client } from '../../src/engine/server/client';
import type { Os } from '../../src/engine/os';

/** Just enough of an Os for a server without sockets: a virtual clock and timers. */
class ClockOs {
  nowMs = 1_700_000_000_000;
  private timers = new Map<number, { at: number; fire: () => void }>();
  private nextId = 1;
  /** Longest delay accepted, like Node's setTimeout. */
  maxDelaySeen = 0;
  now(): number { return this.nowMs; }
  nowUs(): number { return this.nowMs * 1000; }
  tzOffsetMinutes(): number { return 0; }
  setTimer(ms: number, fire: () => void): number {
    if (ms > 2 ** 31 - 1) throw new Error(`timer delay ${ms} exceeds the host limit`);
    this.maxDelaySeen = Math.max(this.maxDelaySeen, ms);
    const id = this.nextId++;
    this.timers.set(id, { at: this.nowMs + ms, fire });
    return id;
  }
  clearTimer(id: number): void { this.timers.delete(id); }
  random(): number { return 0.5; }
  stdout(): void {}
  stderr(): void {}
  pid = 1;
  /** Advance the clock, firing due timers in time order. */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      let next: [number, { at: number; fire: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.nowMs = Math.max(this.nowMs, next[1].at);
      next[1].fire();
    }
    this.nowMs = end;
  }
}

function setup() {
  const os = new ClockOs();
  const server = new RedisServer(os as unknown as Os, ALL_COMMAND_FAMILIES);
  const run = (c: Client, ...argv: string[]) => server.event(() => processCommand(server, c, argv));
  const out = (c: Client) => new TextDecoder('latin1').decode(c.out.take());
  return { os, server, run, out };
}

describe('blocking commands on a virtual clock', () => {
  it('a timeout longer than the host timer limit is re-armed in steps and fires on time', () => {
    const { os, server, run, out } = setup();
    const c = server.createClient(null);
    run(c, 'BLPOP', 'k', '3000000'); // 3e9 ms > 2^31-1
    expect(c.blocked).not.toBeNull();
    expect(os.maxDelaySeen).toBeLessThanOrEqual(2 ** 31 - 1);
    os.advance(2 ** 31);
    expect(c.blocked).not.toBeNull();
    expect(out(c)).toBe('');
    os.advance(3_000_000_000 - 2 ** 31 - 10);
    expect(c.blocked).not.toBeNull();
    os.advance(20);
    expect(c.blocked).toBeNull();
    expect(out(c)).toBe('*-1\r\n');
  });

  it('serves blocked clients in arrival order, and only after the command that created the key', () => {
    const { server, run, out } = setup();
    const a = server.createClient(null), b = server.createClient(null), pusher = server.createClient(null);
    run(a, 'BLPOP', 'k', '0');
    run(b, 'BRPOP', 'k', '0');
    expect(server.blockingKeys.get('0\0k')).toEqual([a, b]);
    run(pusher, 'RPUSH', 'k', 'x', 'y', 'z');
    expect(out(pusher)).toBe(':3\r\n');
    expect(out(a)).toBe('*2\r\n$1\r\nk\r\n$1\r\nx\r\n');
    expect(out(b)).toBe('*2\r\n$1\r\nk\r\n$1\r\nz\r\n');
    expect(server.blockingKeys.size).toBe(0);
    run(pusher, 'LRANGE', 'k', '0', '-1');
    expect(out(pusher)).toBe('*1\r\n$1\r\ny\r\n');
  });

  it('propagates a served BLPOP as LPOP on its own', () => {
    const { server, run, out } = setup();
    const ops: string[] = [];
    server.hooks.propagate.push((op) => ops.push(`${op.dbId}:${op.argv.join(' ')}`));
    const a = server.createClient(null), p = server.createClient(null);
    run(a, 'SELECT', '2');
    run(a, 'BLPOP', 'q', '0');
    out(a);
    run(p, 'SELECT', '2');
    run(p, 'RPUSH', 'q', 'v');
    expect(out(a)).toBe('*2\r\n$1\r\nq\r\n$1\r\nv\r\n');
    expect(ops).toEqual(['2:RPUSH q v', '2:LPOP q']);
  });

  it('counts a blocked command as a call and logs it to the slowlog when served', () => {
    const { server, run } = setup();
    const a = server.createClient(null), p = server.createClient(null);
    run(p, 'CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    run(a, 'BLPOP', 'k', '0');
    expect(server.table.get('blpop')!.stats!.calls).toBe(1);
    expect(server.slowlog[0].argv[0]).toBe('CONFIG');
    run(p, 'RPUSH', 'k', 'v');
    expect(server.slowlog.slice(0, 2).map((e) => e.argv.join(' '))).toEqual(['BLPOP k 0', 'RPUSH k v']);
  });

  it('a client with denyBlocking gets the timeout reply at once', () => {
    const { server, run, out } = setup();
    const c = server.createClient(null);
    c.denyBlocking = true;
    run(c, 'BLPOP', 'k', '0');
    run(c, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0');
    expect(c.blocked).toBeNull();
    expect(out(c)).toBe('*-1\r\n$-1\r\n');
  });

  it('a freed blocked client leaves the registries and its timer', () => {
    const { os, server, run } = setup();
    const c = server.createClient(null);
    run(c, 'BLPOP', 'k', 'k2', '10');
    expect(server.blockingKeys.size).toBe(2);
    server.freeClient(c);
    expect(server.blockingKeys.size).toBe(0);
    os.advance(20_000); // the cancelled timer must not fire into a freed client
    expect(c.blocked).toBeNull();
  });
});
