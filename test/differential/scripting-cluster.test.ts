/**
 * Scripts on a cluster node (one node serving every slot) against real Redis 7.0.15: the
 * no-cluster flag, keys that hash to different slots (allowed in compat mode and with
 * allow-cross-slot-keys, refused otherwise, declared keys counting), CROSSSLOT of the EVAL itself.
 */
import { it } from 'vitest';
import { describeDifferential, expectSame, type Pair } from '../support/differential';

async function clusterOk(p: Pair): Promise<void> {
  for (const cl of [p.realClient, p.ourClient]) {
    const deadline = Date.now() + 5000;
    for (;;) {
      const info = await cl.command(['CLUSTER', 'INFO']);
      if ((info as { value: string }).value.includes('cluster_state:ok')) break;
      if (Date.now() > deadline) throw new Error('cluster did not become ok');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describeDifferential('scripting on a cluster node (differential)', (pair) => {
  it('slots of the keys scripts touch, and the no-cluster flag', async () => {
    const p = pair();
    await expectSame(p, [['CLUSTER', 'ADDSLOTSRANGE', '0', '16383']]);
    await clusterOk(p);
    await expectSame(p, [
      ['EVAL', 'return redis.call("SET", KEYS[1], "1")', '1', 'a'], ['EVAL', 'return redis.call("GET", "a")', '0'],
      ['EVAL', 'redis.call("SET", "a", "1") return redis.call("SET", "b", "1")', '0'],
      ['EVAL', '#!lua\nredis.call("SET", "a", "1") return redis.call("SET", "b", "1")', '0'],
      ['EVAL', '#!lua flags=allow-cross-slot-keys\nredis.call("SET", "a", "1") return redis.call("SET", "b", "1")', '0'],
      ['EVAL', '#!lua\nreturn redis.call("GET", KEYS[1]) .. redis.call("GET", "b")', '1', 'a'],
      ['EVAL', '#!lua\nreturn redis.call("GET", KEYS[1]) .. redis.call("GET", "{a}x")', '1', 'a'],
      ['EVAL', '#!lua\nreturn redis.pcall("GET", "b")', '1', 'a'],
      ['EVAL', 'return redis.call("MSET", "a", "1", "b", "2")', '0'], ['EVAL', 'return redis.pcall("MGET", "a", "b")', '0'],
      ['EVAL', 'return 1', '2', 'a', 'b'], ['EVAL', '#!lua flags=no-cluster\nreturn 1', '0'],
      ['EVAL', '#!lua flags=no-writes\nreturn redis.call("PING")', '0'],
    ]);
  });
}, ['--cluster-enabled', 'yes']);
