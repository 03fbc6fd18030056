import { it, expect } from 'vitest';
import { describeDifferential, expectSame } from '../support/differential';
import { Session } from '../support/dual';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Several pmessages as a sorted block: patterns are delivered in hash table order. */
const sortedPushes = (x: string) => x.split(/(?=\*4\r\n\$8\r\npmessage)/).sort().join('');

describeDifferential('pub/sub (differential)', (pair) => {
  it('subscribe/unsubscribe confirmations (RESP2)', async () => {
    const s = new Session(pair());
    const a = await s.connect('sub');
    await a.call(['UNSUBSCRIBE']);
    await a.call(['PUNSUBSCRIBE']);
    await a.call(['SUNSUBSCRIBE']);
    await a.raw('SUBSCRIBE foo bar foo\r\n', 3);
    await a.raw('UNSUBSCRIBE nosuch foo\r\n', 2);
    await a.raw('PSUBSCRIBE f* b?r f*\r\n', 3);
    await a.raw('PUNSUBSCRIBE x f*\r\n', 2);
    await a.raw('SSUBSCRIBE s1 s2\r\n', 2);
    await a.raw('SUNSUBSCRIBE s1 s1\r\n', 2);
    await a.raw('SUNSUBSCRIBE\r\n', 1);
    await a.raw('PUNSUBSCRIBE\r\n', 1);
    await a.raw('UNSUBSCRIBE\r\n', 1);
    await a.raw('UNSUBSCRIBE\r\n', 1);
    // Subscribed context: only (P|S)(UN)SUBSCRIBE, PING, QUIT, RESET.
    await a.raw('SUBSCRIBE c\r\n', 1);
    await a.call(['GET', 'x']);
    await a.call(['CLIENT', 'ID'], (x) => x.replace(/\d+/, 'N'));
    await a.call(['PUBSUB', 'NUMPAT']);
    await a.call(['NOSUCHCMD']);
    await a.call(['PING']);
    await a.call(['PING', 'hello']);
    await a.call(['PING', 'a', 'b']);
    await a.call(['SUBSCRIBE']);
    await a.call(['MULTI']);
    await a.call(['RESET']);
    await a.call(['GET', 'x']);
    await a.raw('SUBSCRIBE c\r\nQUIT\r\n', 2);
    await a.untilClosed();
    s.expectClean();
  });

  it('messages to channel and pattern subscribers, counts, RESP3 pushes', async () => {
    const s = new Session(pair());
    const sub = await s.connect('sub');
    const psub = await s.connect('psub');
    const r3 = await s.connect('resp3');
    const pub = await s.connect('pub');
    await pub.call(['PUBLISH', 'news', 'nobody']);
    await sub.raw('SUBSCRIBE news\r\n', 1);
    await psub.raw('PSUBSCRIBE n* *s\r\n', 2);
    await r3.call(['HELLO', '3'], (x) => x.replace(/:\d+\r\n\$4\r\nmode/, ':ID\r\n$4\r\nmode'));
    await r3.raw('SUBSCRIBE news other\r\n', 2);
    await pub.call(['PUBLISH', 'news', 'hello world']);
    await sub.expect(1, 'message');
    await psub.expect(2, 'pmessages n* and *s', sortedPushes);
    await r3.expect(1, 'push message');
    await pub.call(['PUBLISH', 'other', 'x\r\ny\0z']);
    await r3.expect(1, 'push message 2');
    await pub.call(['PUBLISH', 'nx', '']);
    await psub.expect(1, 'pmessage nx');
    // RESP3 subscribers may run any command; pushes arrive between replies.
    await r3.call(['SET', 'k', 'v']);
    await r3.call(['GET', 'k']);
    await r3.call(['PING']);
    await r3.call(['PING', 'x']);
    await pub.call(['PUBLISH', 'news', 'again']);
    await sub.expect(1, 'message again');
    await psub.expect(2, 'pmessages again', sortedPushes);
    await r3.expect(1, 'push again');
    await r3.raw('UNSUBSCRIBE other\r\n', 1);
    await r3.raw('UNSUBSCRIBE news\r\n', 1);
    await r3.raw('UNSUBSCRIBE\r\n', 1);
    await r3.raw('PUNSUBSCRIBE\r\n', 1);
    // Shard channels: patterns never see them.
    await sub.raw('SSUBSCRIBE news\r\n', 1);
    await pub.call(['SPUBLISH', 'news', 'sharded']);
    await sub.expect(1, 'smessage');
    await pub.call(['SPUBLISH', 'nosub', 'x']);
    await pub.call(['PUBLISH', 'news', 'plain']);
    await sub.expect(1, 'plain message while also shard-subscribed');
    await psub.expect(2, 'pmessages plain', sortedPushes);
    // CLIENT REPLY OFF does not silence pushes.
    await pub.raw('CLIENT REPLY OFF\r\n', 0);
    await pub.raw('SUBSCRIBE self\r\n', 1);
    await pub.raw('PUNSUBSCRIBE\r\n', 1);
    await sub.quiet();
    await psub.quiet();
    s.expectClean();
  });

  it('PUBSUB introspection', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const b = await s.connect('b');
    const q = await s.connect('q');
    await q.call(['PUBSUB', 'CHANNELS']);
    await q.call(['PUBSUB', 'NUMPAT']);
    await q.call(['PUBSUB', 'NUMSUB']);
    await a.raw('SUBSCRIBE ch1 ch2 news.tech\r\n', 3);
    await b.raw('SUBSCRIBE ch1\r\n', 1);
    await b.raw('PSUBSCRIBE p* p* q*\r\n', 3);
    await a.raw('PSUBSCRIBE p*\r\n', 1);
    await b.raw('SSUBSCRIBE sh1 sh2\r\n', 2);
    const sorted = (x: string) => x.split('\r\n').sort().join('\r\n');
    await q.call(['PUBSUB', 'CHANNELS'], sorted);
    await q.call(['PUBSUB', 'CHANNELS', 'ch*'], sorted);
    await q.call(['PUBSUB', 'CHANNELS', 'news.*']);
    await q.call(['PUBSUB', 'CHANNELS', 'zzz']);
    await q.call(['PUBSUB', 'NUMSUB', 'ch1', 'ch2', 'nope', 'ch1']);
    await q.call(['PUBSUB', 'NUMPAT']);
    await q.call(['PUBSUB', 'SHARDCHANNELS'], sorted);
    await q.call(['PUBSUB', 'SHARDCHANNELS', 'sh1']);
    await q.call(['PUBSUB', 'SHARDNUMSUB', 'sh1', 'ch1']);
    await q.call(['PUBSUB', 'SHARDNUMSUB']);
    await q.call(['PUBSUB', 'HELP']);
    await q.call(['pubsub', 'help']);
    await q.call(['PUBSUB', 'HELP', 'x']);
    await q.call(['PUBSUB']);
    await q.call(['PUBSUB', 'NOSUCH']);
    await q.call(['PUBSUB', 'CHANNELS', 'a', 'b']);
    await q.call(['PUBSUB', 'NUMPAT', 'x']);
    await q.call(['PUBSUB', 'SHARDCHANNELS', 'a', 'b']);
    await q.call(['PUBLISH', 'ch1', 'm']);
    await q.call(['PUBLISH', 'pq', 'm']);
    await q.call(['PUBLISH']);
    await q.call(['SPUBLISH', 'sh1']);
    await q.call(['SSUBSCRIBE']);
    await q.call(['PSUBSCRIBE']);
    s.expectClean();
  });

  it('keyspace notifications for every class we have commands for', async () => {
    const s = new Session(pair());
    const sub = await s.connect('sub');
    const w = await s.connect('writer');
    await w.call(['FLUSHALL']);
    await sub.raw('PSUBSCRIBE *\r\n', 1);
    // The `n` class (new keys) is fired by Db.add, which the keyspace owner's branch adds.
    const configs = ['KEA', 'K$', 'E$', 'Kg', 'Eg', 'KEx', 'KEm', 'KE', 'A', 'KEAm', 'gK$E', 'KEl', 'Ed', 'K', 'E', 'g$'];
    for (const cfg of configs) {
      await w.call(['CONFIG', 'SET', 'notify-keyspace-events', cfg]);
      await w.call(['CONFIG', 'GET', 'notify-keyspace-events']);
      await w.call(['SET', 'k', '1']);
      await w.call(['SET', 'k', '2', 'KEEPTTL']);
      await w.call(['INCR', 'k']);
      await w.call(['INCRBYFLOAT', 'k', '1.5']);
      await w.call(['APPEND', 'k', 'x']);
      await w.call(['SETRANGE', 'k', '0', 'ab']);
      await w.call(['GETDEL', 'k']);
      await w.call(['GET', 'missing']);
      await w.call(['MSET', 'a', '1', 'b', '2']);
      await w.call(['EXPIRE', 'a', '100']);
      await w.call(['PERSIST', 'a']);
      await w.call(['EXPIRE', 'a', '0']);
      await w.call(['RENAME', 'b', 'c']);
      await w.call(['COPY', 'c', 'd']);
      await w.call(['MOVE', 'd', '1']);
      await w.call(['DEL', 'c', 'nosuch']);
      await w.call(['SET', 'e', 'v', 'PX', '1']);
      await sleep(5);
      await w.call(['GET', 'e']);
      await w.call(['GETEX', 'f']);
      await w.call(['SET', 'g', 'v']);
      await w.call(['GETEX', 'g', 'EX', '100']);
      await w.call(['GETEX', 'g', 'PERSIST']);
      await w.call(['FLUSHALL']);
      // Everything the subscriber got for this setting, in order.
      await sub.drain(`events with notify-keyspace-events ${cfg}`);
    }
    await w.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
    await w.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEz?']);
    s.expectClean();
  });

  it('a subscriber that never reads is cut off by the pubsub output buffer limit', async () => {
    const s = new Session(pair());
    const sub = await s.connect('sub');
    const pub = await s.connect('pub');
    await pub.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 100000 50000 60']);
    await sub.raw('SUBSCRIBE flood\r\n', 1);
    sub.real.sock.pause();
    sub.ours.sock.pause();
    const big = 'x'.repeat(8000);
    // Enough to fill the kernel's socket buffers and then the server's output buffer.
    for (let i = 0; i < 2500; i++) pub.send(['PUBLISH', 'flood', big]);
    await pub.expect(2500, 'publish counts', (x) => x.replace(/:[01]\r\n/g, ':N\r\n'), 20000);
    const numsub = await pub.call(['PUBSUB', 'NUMSUB', 'flood']);
    expect(numsub).toBe('*2\r\n$5\r\nflood\r\n:0\r\n');
    await pub.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 33554432 8388608 60']);
    s.expectClean();
  });
});

describeDifferential('pub/sub context errors (differential)', (pair) => {
  it('RESP2 subscribed-context error text for several commands', () => expectSame(pair(), [
    { raw: 'SUBSCRIBE x\r\n' },
    ['SET', 'a', 'b'], ['CONFIG', 'GET', 'port'], ['CLIENT', 'LIST'], ['MULTI'], ['HELLO'], ['PUBLISH', 'x', 'y'],
    ['PSUBSCRIBE', 'y*'], ['PUNSUBSCRIBE', 'y*'], ['UNSUBSCRIBE', 'x'], ['GET', 'a'],
  ]));
});
