/**
 * Lazy freeing against real Redis 7.0.15: INFO's lazyfree_pending_objects and lazyfreed_objects
 * after UNLINK of values above and below LAZYFREE_THRESHOLD (64 allocations: quicklist nodes,
 * hashtable sets and hashes, skiplist sorted sets, stream rax nodes plus groups' PELs), DEL,
 * EXPIRE and overwrites under the lazyfree-lazy-* options, FLUSHALL/FLUSHDB ASYNC, and
 * CONFIG RESETSTAT.
 *
 * The real server frees on its bio thread, so each checkpoint polls both servers until nothing
 * is pending (a moment later) and then compares the two counters.
 */
import { it, expect } from 'vitest';
import { describeDifferential, expectSame, type Pair, type Step } from '../support/differential';
import type { RawClient } from '../support/raw-client';

async function lazyfreeCounters(client: RawClient): Promise<{ pending: number; freed: number }> {
  const v = await client.command(['INFO', 'memory']);
  const text = String((v as { value: unknown }).value);
  const field = (name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { pending: field('lazyfree_pending_objects'), freed: field('lazyfreed_objects') };
}

/** Both servers' counters once neither has a job pending (polled for at most ~1 s). */
async function settled(pair: Pair): Promise<{ real: string; ours: string }> {
  let real = await lazyfreeCounters(pair.realClient);
  let ours = await lazyfreeCounters(pair.ourClient);
  for (let i = 0; i < 100 && (real.pending !== 0 || ours.pending !== 0); i++) {
    await new Promise((r) => setTimeout(r, 10));
    real = await lazyfreeCounters(pair.realClient);
    ours = await lazyfreeCounters(pair.ourClient);
  }
  return { real: JSON.stringify(real), ours: JSON.stringify(ours) };
}

/** Run `steps` on both (replies compared), then compare the settled counters, labelled. */
async function checkpoint(pair: Pair, label: string, steps: Step[]): Promise<string> {
  await expectSame(pair, steps);
  const { real, ours } = await settled(pair);
  return `${label}: real ${real} ours ${ours}`;
}

const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

describeDifferential('lazyfree (differential)', (pair) => {
  it('UNLINK, DEL, EXPIRE and overwrites free big values in the background; FLUSH ASYNC; RESETSTAT', async () => {
    const p = pair();
    const lines: string[] = [];
    const check = async (label: string, steps: Step[]): Promise<void> => {
      const line = await checkpoint(p, label, steps);
      const [, real, ours] = /real (.*) ours (.*)/.exec(line)!;
      if (process.env.LAZYFREE_DEBUG) console.log(line);
      if (real !== ours) lines.push(line);
    };
    await check('start', [['FLUSHALL'], ['CONFIG', 'RESETSTAT']]);

    // Lists: effort is the quicklist's node count (4 elements a node here).
    await check('list 75 nodes', [['CONFIG', 'SET', 'list-max-listpack-size', '4'], ['RPUSH', 'bigl', ...range(300, (i) => `e${i}`)], ['UNLINK', 'bigl']]);
    await check('list 16 nodes', [['RPUSH', 'l', ...range(64, (i) => `e${i}`)], ['UNLINK', 'l']]);
    await check('list one node', [['CONFIG', 'SET', 'list-max-listpack-size', '-2'], ['RPUSH', 'l', ...range(300, (i) => `e${i}`)], ['UNLINK', 'l']]);
    // Sets: a hashtable counts its members, an intset is one allocation.
    await check('set ht 100', [['SADD', 's', ...range(100, (i) => `m${i}`)], ['UNLINK', 's']]);
    await check('set ht 64', [['SADD', 's', ...range(64, (i) => `m${i}`)], ['UNLINK', 's']]);
    await check('set intset 300', [['SADD', 's', ...range(300, (i) => String(i))], ['OBJECT', 'ENCODING', 's'], ['UNLINK', 's']]);
    // Hashes and sorted sets: hashtable / skiplist count elements, listpacks are one.
    await check('hash ht 200', [['HSET', 'h', ...range(200, (i) => `f${i}`).flatMap((f) => [f, 'v'])], ['UNLINK', 'h']]);
    await check('hash listpack', [['HSET', 'h', ...range(100, (i) => `f${i}`).flatMap((f) => [f, 'v'])], ['UNLINK', 'h']]);
    await check('zset skiplist 200', [['ZADD', 'z', ...range(200, (i) => `m${i}`).flatMap((m, i) => [String(i), m])], ['UNLINK', 'z']]);
    await check('zset listpack', [['ZADD', 'z', ...range(100, (i) => `m${i}`).flatMap((m, i) => [String(i), m])], ['UNLINK', 'z']]);
    // Streams: rax nodes, plus groups × (1 + the first group's PEL).
    const xadds = (key: string, n: number): Step[] => range(n, (i) => String(i + 1)).map((id) => ['XADD', key, `${id}-1`, 'f', 'v']);
    await check('stream one group PEL 100', [...xadds('x', 100), ['XGROUP', 'CREATE', 'x', 'g', '0'], { cmd: ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '100', 'STREAMS', 'x', '>'], compare: 'length' }, ['UNLINK', 'x']]);
    await check('stream first group PEL empty', [...xadds('x', 100), ['XGROUP', 'CREATE', 'x', 'a', '0'], ['XGROUP', 'CREATE', 'x', 'b', '0'], { cmd: ['XREADGROUP', 'GROUP', 'b', 'c', 'COUNT', '100', 'STREAMS', 'x', '>'], compare: 'length' }, ['UNLINK', 'x']]);
    await check('stream 100 nodes', [['CONFIG', 'SET', 'stream-node-max-entries', '1'], ...xadds('x', 100), ['XINFO', 'STREAM', 'x'], ['UNLINK', 'x'], ['CONFIG', 'SET', 'stream-node-max-entries', '100']]);
    await check('string', [['SET', 'str', 'x'.repeat(1000)], ['UNLINK', 'str']]);

    // DEL follows lazyfree-lazy-user-del.
    await check('DEL sync', [['SADD', 's', ...range(100, (i) => `m${i}`)], ['DEL', 's']]);
    await check('DEL lazy', [['CONFIG', 'SET', 'lazyfree-lazy-user-del', 'yes'], ['SADD', 's', ...range(100, (i) => `m${i}`)], ['DEL', 's'], ['CONFIG', 'SET', 'lazyfree-lazy-user-del', 'no']]);
    // EXPIRE in the past follows lazyfree-lazy-expire.
    await check('EXPIRE lazy', [['CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes'], ['SADD', 's', ...range(100, (i) => `m${i}`)], ['EXPIRE', 's', '-1'], ['CONFIG', 'SET', 'lazyfree-lazy-expire', 'no']]);
    // lazyfree-lazy-server-del: SET over a big value, RENAME over one; the renamed value
    // itself and a MOVEd one stay in use, so nothing is freed for them.
    await check('server-del', [
      ['CONFIG', 'SET', 'lazyfree-lazy-server-del', 'yes'],
      ['SADD', 's', ...range(100, (i) => `m${i}`)], ['SET', 's', 'x'],
      ['SADD', 'a', ...range(100, (i) => `m${i}`)], ['SADD', 'b', ...range(100, (i) => `n${i}`)], ['RENAME', 'a', 'b'],
      ['MOVE', 'b', '1'], ['SELECT', '1'], ['DEL', 'b'], ['SELECT', '0'],
      ['CONFIG', 'SET', 'lazyfree-lazy-server-del', 'no'],
    ]);

    // Flushes: ASYNC frees every key of the database on the thread, whatever their size.
    const sets = (n: number): Step[] => [['MSET', ...range(n, (i) => `k${i}`).flatMap((k) => [k, 'v'])]];
    await check('FLUSHALL ASYNC', [...sets(50), ['SELECT', '2'], ...sets(7), ['SELECT', '0'], ['FLUSHALL', 'ASYNC']]);
    await check('FLUSHDB ASYNC', [...sets(30), ['FLUSHDB', 'ASYNC']]);
    await check('FLUSHALL SYNC', [...sets(30), ['FLUSHALL', 'SYNC'], ...sets(5), ['FLUSHALL']]);
    await check('lazy-user-flush', [['CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'yes'], ...sets(20), ['FLUSHALL'], ...sets(3), ['FLUSHDB', 'SYNC'], ['CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'no']]);
    await check('RESETSTAT', [['CONFIG', 'RESETSTAT']]);
    await check('after reset', [['SADD', 's', ...range(100, (i) => `m${i}`)], ['UNLINK', 's']]);

    // A big value takes the thread milliseconds: INFO right after UNLINK still sees it pending
    // (real Redis frees 100k members in ~10 ms; a request round trip is well under that).
    await expectSame(p, [['SADD', 'huge', ...range(100_000, (i) => `m${i}`)], ['UNLINK', 'huge']]);
    const now = { real: await lazyfreeCounters(p.realClient), ours: await lazyfreeCounters(p.ourClient) };
    if (JSON.stringify(now.real) !== JSON.stringify(now.ours)) lines.push(`right after UNLINK huge: real ${JSON.stringify(now.real)} ours ${JSON.stringify(now.ours)}`);
    expect(now.ours).toEqual({ pending: 1, freed: 1 });
    await check('a moment after UNLINK huge', []);
    expect(lines, lines.join('\n')).toEqual([]);
    // The checks above ran: two sets freed lazily since the reset.
    expect((await lazyfreeCounters(p.ourClient)).freed).toBe(2);
  });
});
