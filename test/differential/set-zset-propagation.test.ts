/**
 * What the set and sorted-set commands send to the AOF and replicas: real Redis's stream is read
 * with `redis-cli --replica`, ours from the server's propagate hook, and the two are compared
 * command by command (SELECT and PING dropped, members chosen at random masked).
 */
import { it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { describeDifferential, runScript, type Step } from '../support/differential';
import { REAL_REDIS_CLI } from '../support/real-redis';
import { repr } from '../../src/engine/util/repr';
import { encodeCommand } from '../../src/engine/resp/reply-parser';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await wait(20);
  }
}

/** Replace the member of an SREM on a key whose members were picked at random. */
function mask(line: string): string {
  return line.replace(/^("SREM","rand[^"]*"),".*"$/, '$1,"?"');
}

describeDifferential('set/zset propagation (differential)', (pair) => {
  it('writes propagate like Redis 7.0 (SPOP → SREM/DEL, ZMPOP/BZ*POP → ZPOP*)', async () => {
    const p = pair();
    // The replica stream starts only after the diskless-sync delay (5 s by default).
    await p.realClient.call('CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
    const cli = spawn(REAL_REDIS_CLI!, ['-p', String(p.real.port), '--replica']);
    let out = '', err = '';
    cli.stdout.on('data', (d) => { out += d; });
    cli.stderr.on('data', (d) => { err += d; });
    const ours: string[] = [];
    const hook = (op: { argv: string[] }) => { ours.push(op.argv.map(repr).join(',')); };
    p.ours.server.hooks.propagate.push(hook);
    try {
      await until(() => err.includes('SYNC done'));
      const members = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);
      const steps: Step[] = [
        ['FLUSHALL'],
        ['SADD', 's', 'a', 'b', 'c', '\xff\0'], ['SADD', 's', 'a'], ['SREM', 's', 'a', 'zz'], ['SREM', 's', 'zz'],
        ['SMOVE', 's', 'd', 'b'], ['SMOVE', 's', 'd', 'nope'],
        ['SADD', 'randA', 'x', 'y', 'z'], { cmd: ['SPOP', 'randA'], compare: 'type' },
        ['SADD', 'randB', ...members(10)], { cmd: ['SPOP', 'randB', '2'], compare: 'length' },
        ['SADD', 'randC', ...members(12)], { cmd: ['SPOP', 'randC', '10'], compare: 'length' },
        ['SADD', 'all', '1', '2', '3'], ['SPOP', 'all', '10'], ['SPOP', 'all', '0'], ['SPOP', 'nokey', '3'], ['SPOP', 'nokey'],
        ['SADD', 'one', 'x'], ['SPOP', 'one'],
        ['SADD', 'i1', '1', '2'], ['SADD', 'i2', '2', '3'], ['SINTERSTORE', 'o1', 'i1', 'i2'], ['SUNIONSTORE', 'o2', 'i1', 'i2'],
        ['SDIFFSTORE', 'o3', 'i1', 'i1'], ['SINTERCARD', '2', 'i1', 'i2'],
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'], ['ZADD', 'z', 'NX', '9', 'a'], ['ZINCRBY', 'z', '1.5', 'a'],
        ['ZADD', 'z', 'INCR', '-inf', 'a'], ['ZREM', 'z', 'nope'], ['ZREM', 'z', 'd'],
        ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '5'], ['ZPOPMIN', 'z'], ['ZPOPMIN', 'nokey', '2'],
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZMPOP', '2', 'nokey', 'z', 'MAX', 'COUNT', '10'], ['ZMPOP', '1', 'nokey', 'MIN'],
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZMPOP', '1', 'z', 'MIN'],
        ['BZPOPMIN', 'nokey', 'z', '0'], ['BZPOPMAX', 'z', '0'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
        ['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '2'], ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '5'],
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZRANGESTORE', 'zr', 'z', '0', '1'], ['ZUNIONSTORE', 'zu', '2', 'z', 'zr'],
        ['ZINTERSTORE', 'zi', '2', 'z', 'nokey'], ['ZREMRANGEBYSCORE', 'z', '(1', '2'], ['ZREMRANGEBYRANK', 'z', '5', '6'],
        ['ZREMRANGEBYLEX', 'z', '-', '+'],
      ];
      expect(await runScript(p, steps)).toEqual([]);

      // Blocked clients served later propagate as ZPOPMIN/ZPOPMAX with the effective count.
      for (const srv of [p.real, p.ours]) {
        const w1 = await srv.client(), w2 = await srv.client(), pusher = await srv.client();
        w1.write(encodeCommand(['BZPOPMIN', 'bk', '0']));
        await wait(30);
        w2.write(encodeCommand(['BZMPOP', '0', '1', 'bk', 'MAX', 'COUNT', '5']));
        await wait(30);
        await pusher.call('ZADD', 'bk', '1', 'a', '2', 'b', '3', 'c');
        await w1.reply();
        await w2.reply();
        await pusher.call('SET', '__end__', '1');
        for (const c of [w1, w2, pusher]) c.close();
      }
      await until(() => out.includes('"__end__"'));
      const real = out.split('\n').filter((l) => l && !/^"(SELECT|PING)"/.test(l)).map(mask);
      if (process.env.SHOW_PROPAGATION) console.log(real.join("\n"));
      expect(real.length).toBeGreaterThan(40);
      expect(real).toContain('"DEL","all"');
      expect(real).toContain('"ZPOPMAX","bk","2"');
      expect(ours.map(mask)).toEqual(real);
    } finally {
      cli.kill('SIGKILL');
      const i = p.ours.server.hooks.propagate.indexOf(hook);
      if (i >= 0) p.ours.server.hooks.propagate.splice(i, 1);
    }
  });

  it('keyspace notifications match Redis (notify-keyspace-events KEA)', async () => {
    const p = pair();
    const sub = await p.real.client();
    const seenReal: string[] = [];
    const seenOurs: string[] = [];
    const server = p.ours.server;
    const origPublish = server.publish.bind(server);
    server.publish = (channel: string, message: string) => { seenOurs.push(`${channel} ${message}`); return origPublish(channel, message); };
    try {
      expect(await sub.call('PSUBSCRIBE', '__key*__:*')).toContain('psubscribe');
      const steps: Step[] = [
        ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
        ['SADD', 's', 'a', 'b', 'c'], ['SADD', 's', 'a'], ['SREM', 's', 'a', 'zz'], ['SREM', 's', 'zz'], ['SMOVE', 's', 'd', 'b'],
        ['SMOVE', 's', 'd', 'c'], ['SMOVE', 'd', 'd', 'c'], ['SADD', 'one', 'x'], ['SPOP', 'one'], ['SADD', 'two', '1', '2'], ['SPOP', 'two', '5'],
        ['SADD', 'i1', '1', '2'], ['SADD', 'i2', '2', '3'], ['SINTERSTORE', 'o', 'i1', 'i2'], ['SUNIONSTORE', 'o', 'i1', 'i2'],
        ['SDIFFSTORE', 'o', 'i1', 'i1'], ['SINTERSTORE', 'o', 'nokey'],
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'], ['ZADD', 'z', '1', 'a'], ['ZINCRBY', 'z', '1', 'a'], ['ZADD', 'z', 'INCR', '1', 'a'],
        ['ZREM', 'z', 'a'], ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '0'], ['ZMPOP', '1', 'z', 'MAX', 'COUNT', '9'],
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZREMRANGEBYRANK', 'z', '0', '0'], ['ZREMRANGEBYSCORE', 'z', '2', '2'],
        ['ZREMRANGEBYLEX', 'z', '-', '+'], ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZRANGESTORE', 'zr', 'z', '0', '0'],
        ['ZUNIONSTORE', 'zu', '1', 'z'], ['ZINTERSTORE', 'zu', '2', 'z', 'nokey'], ['ZDIFFSTORE', 'zd', '1', 'z'],
        ['ZRANGESTORE', 'zr', 'z', '5', '6'], ['BZPOPMIN', 'z', '0'], ['BZMPOP', '0', '1', 'z', 'MIN'],
        ['SET', '__end__', '1'], ['CONFIG', 'SET', 'notify-keyspace-events', ''],
      ];
      expect(await runScript(p, steps)).toEqual([]);
      for (;;) {
        const r = await sub.reply();
        const v = r.value as { value: { value: string }[] };
        const [, , channel, message] = v.value.map((x) => x.value);
        if (channel === '__keyspace@0__:__end__') break;
        seenReal.push(`${channel} ${message}`);
      }
      await wait(50);
      const ours = seenOurs.slice(0, seenReal.length);
      expect(seenReal.length).toBeGreaterThan(60);
      expect(ours).toEqual(seenReal);
    } finally {
      server.publish = origPublish;
      sub.close();
    }
  });
}, ['--repl-diskless-sync-delay', '0']);
