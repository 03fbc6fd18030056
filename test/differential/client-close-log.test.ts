/**
 * With loglevel verbose, a client's connection leaves Redis's "Accepted <ip>:<port>" line
 * (acceptTcpHandler) and, once it closes, "Client closed connection <client info>"
 * (readQueryFromClient on a read of 0), ours (the native host's Os) as the real
 * redis-server's: the same CLIENT LIST fields in the same order.
 */
import { describe, it, expect } from 'vitest';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { startOurRedis } from '../support/our-server';
import { closedAfterAll, waitFor } from '../replication/helpers';

const suite = haveRealRedis() ? describe : describe.skip;
const { stops } = closedAfterAll();

async function clientLines(kind: 'real' | 'ours'): Promise<string[]> {
  const s = kind === 'real' ? await startRealRedis(['--loglevel', 'verbose']) : await startOurRedis(['--loglevel', 'verbose']);
  stops.push(() => s.stop());
  const log = () => ('output' in s ? s.output() : s.log.join(''));
  const c = await s.client();
  expect(await c.call('CLIENT', 'SETNAME', 'leaving')).toBe('+OK\r\n');
  c.close();
  let line = '';
  await waitFor('the log line', () => !!(line = log().split('\n').find((l) => l.includes('Client closed connection')) ?? ''), 5000);
  // Times, ids, ports, fds and sizes differ between the two servers; the fields do not.
  const accepted = log().split('\n').filter((l) => / - Accepted /.test(l));
  return [...accepted, line].map((l) => l.replace(/^.*? - /, '').replace(/=\S*\d\S*/g, '=N').replace(/:\d+$/, ':N'));
}

suite('the log line of a client that closed its connection (vs real redis-server)', () => {
  it('is "Accepted <ip>:<port>", then "Client closed connection" with the client\'s CLIENT LIST fields', async () => {
    const [real, ours] = [await clientLines('real'), await clientLines('ours')];
    expect(real[0]).toBe('Accepted 127.0.0.1:N');
    expect(real[1]).toContain('name=leaving');
    expect(ours).toEqual(real);
  }, 20_000);
});
