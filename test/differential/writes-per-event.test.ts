/**
 * writeToClient() sends one client at most NET_MAX_WRITES_PER_EVENT (64 KB, plus the rest of
 * the chunk crossing it) per event while used memory is under maxmemory, and nothing once the
 * kernel refuses (EAGAIN); the rest stays in the reply list, where it counts as client memory
 * (omem in CLIENT LIST, used_memory, so keys get evicted). A subscriber that stops reading
 * therefore holds most of what is published to it in the server's output buffer (unit/
 * maxmemory "eviction due to output buffers of pubsub"). Before, ours handed every reply to
 * the socket whole and Node buffered it where neither omem nor used_memory saw it.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { haveRealRedis, REAL_REDIS, startServerProcess, type RealRedis } from '../support/real-redis';
import { startOurRedis, type OurRedis } from '../support/our-server';
import type { RawClient } from '../support/raw-client';
import { toJs } from '../../src/engine/resp/reply-parser';
import { cmd, info, text } from '../replication/helpers';

const suite = haveRealRedis() && process.platform === 'linux' ? describe : describe.skip;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const servers: (RealRedis | OurRedis)[] = [];
const clients: RawClient[] = [];
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.stop()));
});

const MESSAGES = 100;
const MESSAGE_BYTES = 100_000;

function field(line: string, name: string): number {
  return Number(new RegExp(`\\b${name}=(\\d+)`).exec(line)?.[1] ?? NaN);
}

async function scenario(s: RealRedis | OurRedis) {
  servers.push(s);
  const connect = async () => { const c = await s.client(); clients.push(c); return c; };
  const r = await connect();
  await cmd(r, 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
  for (let i = 0; i < 20; i++) await cmd(r, 'SET', `k${i}`, 'v'.repeat(10_000));
  const sub = await connect();
  await cmd(sub, 'SUBSCRIBE', 'ch');
  const usedBefore = Number((await info(r, 'memory')).used_memory);
  // The output buffer may grow 1 MB before keys must go.
  await cmd(r, 'CONFIG', 'SET', 'maxmemory', String(usedBefore + 1_000_000));
  // The subscriber stops reading: what the kernel cannot take waits in the server.
  sub.sock.pause();
  for (let i = 0; i < MESSAGES; i++) await cmd(r, 'PUBLISH', 'ch', String(i).padStart(4, '0') + 'x'.repeat(MESSAGE_BYTES - 4));
  await sleep(100);
  const line = text(await cmd(r, 'CLIENT', 'LIST', 'TYPE', 'pubsub'));
  const omem = field(line, 'omem');
  const grew = Number((await info(r, 'memory')).used_memory) - usedBefore;
  const evicted = Number((await info(r, 'stats')).evicted_keys);
  await cmd(r, 'CONFIG', 'SET', 'maxmemory', '0');
  // Nothing lost or reordered once it reads again.
  sub.sock.resume();
  const seen: string[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const { value } = await sub.reply(5000);
    seen.push(String((toJs(value) as string[])[2]).slice(0, 4));
  }
  return { omem, grew, events: /events=(\S+)/.exec(line)?.[1], evicted, seen };
}

suite('writes per event (native, vs real redis-server)', () => {
  it('a subscriber that stops reading keeps its backlog in the output buffer, which evicts keys', async () => {
    const real = await scenario(await startServerProcess([REAL_REDIS!]));
    const ours = await scenario(await startOurRedis());
    const expected = Array.from({ length: MESSAGES }, (_, i) => String(i).padStart(4, '0'));
    expect(real.seen).toEqual(expected);
    expect(ours.seen).toEqual(expected);
    // The kernel took a part of the 10 MB on both (the same loopback, some 4 MB); the rest is omem.
    expect(real.omem).toBeGreaterThan(1_000_000);
    expect(Math.abs(ours.omem - real.omem)).toBeLessThan(1_000_000);
    // used_memory counts it (keys were evicted for it, so it grew by less than omem).
    expect(real.grew).toBeGreaterThan(real.omem - 1_000_000);
    expect(ours.grew).toBeGreaterThan(ours.omem - 1_000_000);
    expect(real.events).toBe('rw');
    expect(ours.events).toBe(real.events);
    expect(real.evicted).toBeGreaterThan(0);
    expect(ours.evicted).toBeGreaterThan(0);
  }, 30_000);
});
