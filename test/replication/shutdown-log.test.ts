/**
 * A replica that shuts down says "bye bye" last: Redis exits there, so its master link is not
 * reported lost, cached or reconnected afterwards. Ours freed its clients on the way out and
 * logged "Connection with master lost", "Reconnecting to MASTER" and "MASTER <-> REPLICA sync
 * started" after the goodbye (seen in Redis's integration/replication logs). Side by side with
 * the real redis-server.
 */
import { describe, it, expect } from 'vitest';
import { startOurRedis } from '../support/our-server';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { cmd, waitFor, linkUp, sleep, closedAfterAll } from './helpers';

const suite = haveRealRedis() ? describe : describe.skip;

const { stops, clients } = closedAfterAll();

async function linesAfterGoodbye(kind: 'real' | 'ours'): Promise<string[]> {
  const start = kind === 'real' ? startRealRedis : startOurRedis;
  const [m, r] = await Promise.all([start(), start()]);
  const output = () => ('output' in r ? r.output() : r.log.join(''));
  stops.push(() => m.stop(), () => r.stop());
  const [master, replica] = await Promise.all([m.client(), r.client()]);
  clients.push(master, replica);
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(m.port));
  await waitFor('link up', () => linkUp(replica));
  replica.write('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
  await sleep(500);
  const log = output().split('\n').filter(Boolean);
  const bye = log.findIndex((l) => l.endsWith('ready to exit, bye bye...'));
  expect(bye).toBeGreaterThan(0);
  return log.slice(bye + 1);
}

suite('a replica shutting down (vs real redis-server)', () => {
  it('logs nothing after "bye bye"', async () => {
    const [real, ours] = await Promise.all([linesAfterGoodbye('real'), linesAfterGoodbye('ours')]);
    expect(real).toEqual([]);
    expect(ours).toEqual([]);
  }, 20_000);
});
