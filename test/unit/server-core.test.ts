/**
 * Unit tests of server-core behaviour that depends on virtual time or on slow readers,
 * on an in-process server with a hand-driven clock (see test/support/engine-harness.ts).
 * What a real Redis does here was checked by reading networking.c/server.c and, where a
 * differential test is practical, in test/differential/client.test.ts.
 */
import { describe, it, expect } from 'vitest';
import { Harness } from '../support/engine-harness';
import { toJs } from '../../src/engine/resp/reply-parser';
import { raxNodeCount } from '../../src/engine/server/client-info';
import { notifyFlagsToString, parseNotifyFlags } from '../../src/engine/server/notify';

describe('output buffer limits', () => {
  it('soft limit: closes a slow subscriber only after staying over it longer than soft-seconds', () => {
    const h = new Harness({ 'client-output-buffer-limit': 'pubsub 0 1000 2' });
    const sub = h.connect();
    const pub = h.connect();
    sub.call('SUBSCRIBE', 'ch');
    sub.socket.stalled = true;
    // The first message fills the socket's send buffer (the kernel's, not counted)...
    pub.call('PUBLISH', 'ch', 'x'.repeat(70000));
    expect(sub.client.out.len).toBe(0);
    // ...the next stays in the reply buffer and list: over the soft limit.
    pub.call('PUBLISH', 'ch', 'x'.repeat(20000));
    expect(sub.client.out.len).toBeGreaterThan(20000);
    h.advance(100);
    expect(sub.closed).toBe(false);
    expect(sub.client.obufSoftLimitReachedTimeSec).toBeGreaterThan(0);
    h.advance(1800);
    pub.call('PUBLISH', 'ch', 'y');
    expect(sub.closed).toBe(false);
    h.advance(1100);
    // The clients cron checks it again: more than 2 s over the soft limit.
    expect(sub.closed).toBe(true);
    expect(h.log).toMatch(/# Client id=\d+ addr=127\.0\.0\.1:\d+ .* flags=P .* cmd=subscribe .* closed for overcoming of output buffer limits\.\n/);
    expect(toJs(pub.call('PUBSUB', 'NUMSUB', 'ch')[0])).toEqual(['ch', 0]);
  });

  it('the soft limit timer restarts when the buffer drops below the limit, not when it empties', () => {
    const h = new Harness({ 'client-output-buffer-limit': 'pubsub 0 30000 2' });
    const sub = h.connect();
    const pub = h.connect();
    sub.call('SUBSCRIBE', 'ch');
    sub.socket.stalled = true;
    pub.call('PUBLISH', 'ch', 'x'.repeat(70000)); // fills the socket
    pub.call('PUBLISH', 'ch', 'x'.repeat(100000)); // waits in the output buffer
    h.advance(1500);
    expect(sub.client.obufSoftLimitReachedTimeSec).toBeGreaterThan(0);
    // The peer reads: one event writes 64 KB and the chunk crossing it (80 KB), ~18 KB stay.
    sub.socket.peerReads();
    expect(sub.client.out.len).toBeGreaterThan(0);
    expect(sub.client.out.len).toBeLessThan(30000);
    h.advance(200);
    expect(sub.client.obufSoftLimitReachedTimeSec).toBe(0);
    pub.call('PUBLISH', 'ch', 'x'.repeat(100000));
    h.advance(1500);
    expect(sub.closed).toBe(false);
    // Emptied completely: Redis skips the check (no reply bytes), so the old time stays and
    // the next time the buffer is over the limit counts from it.
    while (sub.client.out.len > 0) sub.socket.peerReads();
    h.advance(1500);
    expect(sub.client.obufSoftLimitReachedTimeSec).toBeGreaterThan(0);
    pub.call('PUBLISH', 'ch', 'x'.repeat(100000));
    h.advance(200);
    expect(sub.closed).toBe(true);
  });

  it('hard limit: closed asynchronously, nothing of the reply is written', () => {
    const h = new Harness({ 'client-output-buffer-limit': 'normal 50000 0 0' });
    const a = h.connect();
    a.call('SET', 'big', 'x'.repeat(100000));
    const before = a.socket.written.length;
    a.send(['GET', 'big']);
    expect(a.socket.written.length).toBe(before);
    expect(a.closed).toBe(true);
    expect(h.log).toMatch(/scheduled to be closed ASAP for overcoming of output buffer limits\./);
  });

  it('replica class limits never go below repl-backlog-size', () => {
    const h = new Harness({ 'client-output-buffer-limit': 'replica 1000 0 0', 'repl-backlog-size': '100000' });
    const r = h.connect();
    r.client.isReplica = true;
    r.socket.stalled = true;
    r.socket.stuckBytes = 50000;
    h.advance(200);
    expect(r.closed).toBe(false);
    r.socket.stuckBytes = 150000;
    h.advance(200);
    expect(r.closed).toBe(true);
  });
});

describe('clients cron', () => {
  it('idle timeout spares subscribers, replicas and blocked clients', () => {
    const h = new Harness({ timeout: '2' });
    const idle = h.connect();
    const sub = h.connect();
    const mon = h.connect();
    idle.call('PING');
    sub.call('SUBSCRIBE', 'c');
    mon.call('MONITOR');
    h.advance(2500);
    expect(idle.closed).toBe(false); // 2 s are not "more than" 2 s yet
    h.advance(1000);
    expect(idle.closed).toBe(true);
    expect(sub.closed).toBe(false);
    expect(mon.closed).toBe(false);
  });

  it('idle query buffers are released and reply buffers shrink (CLIENT LIST)', () => {
    const h = new Harness();
    const a = h.connect();
    const b = h.connect();
    b.call('PING');
    const line = () => String(toJs(a.call('CLIENT', 'LIST')[0])).split('\n').find((l) => l.includes('cmd=ping'))!;
    expect(line()).toMatch(/qbuf=0 qbuf-free=20474 .* rbs=16384 rbp=16384 .* tot-mem=37632 /);
    h.advance(300);
    expect(line()).toMatch(/qbuf=0 qbuf-free=20474 .* rbs=1024 rbp=0 .* tot-mem=22272 /);
    h.advance(3000);
    expect(line()).toMatch(/qbuf=0 qbuf-free=0 .* rbs=1024 rbp=0 .* tot-mem=1800 /);
  });
});

describe('CLIENT PAUSE', () => {
  it('postponed commands run in arrival order when the pause expires (noticed by the cron)', () => {
    const h = new Harness();
    const a = h.connect();
    const b = h.connect();
    const c = h.connect();
    a.call('CLIENT', 'PAUSE', '500', 'WRITE');
    b.send(['SET', 'k', '1']);
    c.send(['APPEND', 'k', '2']);
    b.send(['GET', 'k']);
    expect(b.replies()).toEqual([]);
    h.advance(450);
    expect(b.replies()).toEqual([]);
    h.advance(200);
    // Like processUnblockedClients: each client's postponed command, then its pipeline.
    expect(b.replies().map(toJs)).toEqual(['OK', '1']);
    expect(c.replies().map(toJs)).toEqual([2]);
  });

  it('CLIENT UNBLOCK ... ERROR on a postponed client errors and keeps it postponed', () => {
    const h = new Harness();
    const a = h.connect();
    const b = h.connect();
    a.call('CLIENT', 'PAUSE', '100000', 'WRITE');
    b.send(['SET', 'k', '1']);
    expect(toJs(a.call('CLIENT', 'UNBLOCK', String(b.client.id))[0])).toBe(0);
    expect(toJs(a.call('CLIENT', 'UNBLOCK', String(b.client.id), 'ERROR')[0])).toBe(1);
    expect(String(toJs(b.replies()[0]))).toMatch(/UNBLOCKED client unblocked via CLIENT UNBLOCK/);
    a.call('CLIENT', 'UNPAUSE');
    expect(b.replies().map(toJs)).toEqual(['OK']);
  });
});

describe('client side caching (CLIENT TRACKING)', () => {
  it('default mode: RESP3 invalidation after a read key changes, once', () => {
    const h = new Harness();
    const t = h.connect();
    const w = h.connect();
    w.call('SET', 'b', 'exists');
    t.call('HELLO', '3');
    t.call('CLIENT', 'TRACKING', 'on');
    t.call('GET', 'k');
    t.call('MGET', 'a', 'b');
    w.call('SET', 'k', '1');
    expect(t.replies().map((v) => [v.type, toJs(v)])).toEqual([['push', ['invalidate', ['k']]]]);
    w.call('SET', 'k', '2');
    expect(t.replies()).toEqual([]);
    w.call('DEL', 'b');
    expect(t.replies().map(toJs)).toEqual([['invalidate', ['b']]]);
    w.call('FLUSHALL');
    expect(t.replies().map(toJs)).toEqual([['invalidate', null]]);
  });

  it('own writes are delivered after the reply; NOLOOP suppresses them', () => {
    const h = new Harness();
    const t = h.connect();
    t.call('HELLO', '3');
    t.call('CLIENT', 'TRACKING', 'on');
    t.call('GET', 'k');
    expect(t.call('SET', 'k', 'v').map(toJs)).toEqual(['OK', ['invalidate', ['k']]]);
    t.call('CLIENT', 'TRACKING', 'on', 'NOLOOP');
    t.call('GET', 'k');
    expect(t.call('SET', 'k', 'v2').map(toJs)).toEqual(['OK']);
  });

  it('REDIRECT to a RESP2 subscriber of __redis__:invalidate; broken redirection', () => {
    const h = new Harness();
    const r = h.connect();
    const t = h.connect();
    r.call('SUBSCRIBE', '__redis__:invalidate');
    t.call('CLIENT', 'TRACKING', 'on', 'REDIRECT', String(r.client.id));
    t.call('GET', 'k');
    t.call('SET', 'k', 'x');
    expect(r.replies().map(toJs)).toEqual([['message', '__redis__:invalidate', ['k']]]);
    expect(toJs(t.call('CLIENT', 'GETREDIR')[0])).toBe(r.client.id);
    r.call('QUIT');
    t.call('HELLO', '3');
    t.call('GET', 'k');
    expect(t.call('SET', 'k', 'y').map(toJs)).toEqual(['OK', ['tracking-redir-broken', r.client.id]]);
    expect(String(toJs(t.call('CLIENT', 'INFO')[0]))).toMatch(/ flags=tR /);
  });

  it('OPTIN tracks only after CLIENT CACHING yes, for the next command only', () => {
    const h = new Harness();
    const t = h.connect();
    const w = h.connect();
    t.call('HELLO', '3');
    t.call('CLIENT', 'TRACKING', 'on', 'OPTIN');
    t.call('GET', 'a');
    t.call('CLIENT', 'CACHING', 'yes');
    t.call('GET', 'b');
    t.call('GET', 'c');
    w.call('MSET', 'a', '1', 'b', '1', 'c', '1');
    expect(t.replies().map(toJs)).toEqual([['invalidate', ['b']]]);
  });

  it('BCAST: one sorted message per prefix per event, NOLOOP filters own keys', () => {
    const h = new Harness();
    const t = h.connect();
    const w = h.connect();
    t.call('HELLO', '3');
    t.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'cart:');
    w.send('MSET user:2 a user:1 b other c cart:9 d\r\nSET user:3 e\r\n');
    expect(t.replies().map(toJs)).toEqual([['invalidate', ['cart:9']], ['invalidate', ['user:1', 'user:2', 'user:3']]]);
    t.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP');
    expect(t.call('SET', 'user:4', 'x').map(toJs)).toEqual(['OK']);
    expect(t.replies()).toEqual([]);
  });
});

describe('maxmemory', () => {
  it('noeviction refuses denyoom commands with OOM; reads still run', () => {
    const h = new Harness({ maxmemory: '1' });
    const a = h.connect();
    expect(a.call('SET', 'k', 'v').map(toJs)[0]).toMatchObject({ message: "OOM command not allowed when used memory > 'maxmemory'." });
    expect(a.call('GET', 'k').map(toJs)).toEqual([null]);
    expect(h.server.stats.evictedKeys).toBe(0);
  });

  it('allkeys-lru evicts the least recently used keys, with evicted events and DELs', () => {
    const h = new Harness({ 'maxmemory-policy': 'allkeys-lru', 'maxmemory-samples': '64', 'notify-keyspace-events': 'Ee' });
    const a = h.connect();
    const sub = h.connect();
    sub.call('SUBSCRIBE', '__keyevent@0__:evicted');
    const props: string[] = [];
    h.server.hooks.propagate.push((op) => props.push(op.argv.join(' ')));
    for (let i = 0; i < 20; i++) a.call('SET', `k${i}`, 'x'.repeat(1000));
    h.advance(2000); // LRU clock has 1 s resolution
    for (let i = 10; i < 20; i++) a.call('GET', `k${i}`);
    const used = Number(/used_memory:(\d+)/.exec(String(toJs(a.call('INFO', 'memory')[0])))![1]);
    a.call('CONFIG', 'SET', 'maxmemory', String(used - 5000));
    h.advance(200);
    a.call('SET', 'new', '1');
    const left = (toJs(a.call('KEYS', 'k*')[0]) as string[]).map((k) => Number(k.slice(1)));
    // Some of the idle keys went; every recently read key stayed.
    expect(left.length).toBeLessThan(20);
    for (let i = 10; i < 20; i++) expect(left).toContain(i);
    const evicted = sub.replies().map((v) => (toJs(v) as string[])[2]);
    expect(evicted.length).toBe(20 - left.length);
    expect(props.filter((p) => p.startsWith('DEL k'))).toHaveLength(evicted.length);
    expect(h.server.stats.evictedKeys).toBe(evicted.length);
  });
});

describe('helpers', () => {
  it('rax node counts (tracking prefix memory in CLIENT LIST)', () => {
    expect(raxNodeCount([])).toBe(0);
    expect(raxNodeCount([''])).toBe(1);
    expect(raxNodeCount(['x'])).toBe(2);
    expect(raxNodeCount(['ab', 'ac'])).toBe(4);
    expect(raxNodeCount(['user:', 'cart:'])).toBe(5);
  });

  it('notify-keyspace-events flags print like keyspaceEventsFlagsToString', () => {
    const show = (s: string) => notifyFlagsToString(parseNotifyFlags(s)!);
    expect(show('KEA')).toBe('AKE');
    expect(show('AKEn')).toBe('AKE');
    expect(show('nKg')).toBe('gnK');
    expect(show('mK')).toBe('Km');
    expect(show('g$lshzxetd')).toBe('A');
    expect(parseNotifyFlags('KEz?')).toBeNull();
  });
});
