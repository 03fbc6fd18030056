/**
 * While a master's SHUTDOWN waits for a lagging replica (shutdown-timeout), INFO's server
 * section ends with `shutdown_in_milliseconds`, the time left to wait (isShutdownInitiated);
 * the line is gone again after SHUTDOWN ABORT. Ours never showed it, so Redis's
 * integration/shutdown tests ("Master not indicating ongoing shutdown") failed on it. The
 * lagging replica is a connection that asked for a full sync and never acknowledges.
 * Side by side with the real redis-server.
 */
import { describe, it, expect } from 'vitest';
import { startOurRedis } from '../support/our-server';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { cmd, infoPairs, text, waitFor, closedAfterAll } from './helpers';

const suite = haveRealRedis() ? describe : describe.skip;

const { stops, clients } = closedAfterAll();

async function shutdownWait(kind: 'real' | 'ours') {
  const server = await (kind === 'real' ? startRealRedis : startOurRedis)(['--shutdown-timeout', '10', '--save', '']);
  stops.push(() => server.stop());
  const [c, replica, caller] = await Promise.all([server.client(), server.client(), server.client()]);
  clients.push(c, replica, caller);
  replica.write('*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n');
  await waitFor('the replica is listed', async () => (await infoPairs(c, 'replication')).some(([k]) => k === 'slave0'));
  await cmd(c, 'SET', 'k', 'v');
  const idle = (await infoPairs(c, 'server')).map(([k]) => k);
  caller.write('*1\r\n$8\r\nSHUTDOWN\r\n');
  let waiting: [string, string][] = [];
  await waitFor('shutdown_in_milliseconds', async () => {
    waiting = await infoPairs(c, 'server');
    return waiting.some(([k]) => k === 'shutdown_in_milliseconds');
  });
  const last = waiting[waiting.length - 1];
  const abort = text(await cmd(c, 'SHUTDOWN', 'ABORT'));
  const callerReply = text((await caller.reply()).value);
  const after = (await infoPairs(c, 'server')).map(([k]) => k);
  return { idle, waitingKeys: waiting.map(([k]) => k), last, abort, callerReply, after };
}

suite('INFO while SHUTDOWN waits for a lagging replica (vs real redis-server)', () => {
  it('shows shutdown_in_milliseconds, last in the server section, until SHUTDOWN ABORT', async () => {
    const [real, ours] = await Promise.all([shutdownWait('real'), shutdownWait('ours')]);
    for (const r of [real, ours]) {
      expect(r.idle).not.toContain('shutdown_in_milliseconds');
      expect(r.last[0]).toBe('shutdown_in_milliseconds');
      expect(Number(r.last[1])).toBeGreaterThan(0);
      expect(Number(r.last[1])).toBeLessThanOrEqual(10_000);
      expect(r.abort).toBe('OK');
      expect(r.after).not.toContain('shutdown_in_milliseconds');
    }
    expect(ours.waitingKeys).toEqual(real.waitingKeys);
    expect(ours.callerReply).toBe(real.callerReply);
  }, 30_000);
});
