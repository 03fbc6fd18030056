/**
 * With loglevel verbose, a client that closes its connection leaves Redis's "Client closed
 * connection <client info>" line in the log (readQueryFromClient on a read of 0), ours as the
 * real redis-server's: the same CLIENT LIST fields in the same order.
 */
import { describe, it, expect } from 'vitest';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { startOurRedis } from '../support/our-server';
import { closedAfterAll, waitFor } from '../replication/helpers';

const suite = haveRealRedis() ? describe : describe.skip;
const { stops } = closedAfterAll();

async function closedLine(kind: 'real' | 'ours'): Promise<string> {
  const s = kind === 'real' ? await startRealRedis(['--loglevel', 'verbose']) : await startOurRedis(['--loglevel', 'verbose']);
  stops.push(() => s.stop());
  const log = () => ('output' in s ? s.output() : s.log.join(''));
  const c = await s.client();
  expect(await c.call('CLIENT', 'SETNAME', 'leaving')).toBe('+OK\r\n');
  c.close();
  let line = '';
  await waitFor('the log line', () => !!(line = log().split('\n').find((l) => l.includes('Client closed connection')) ?? ''), 5000);
  // Times, ids, ports, fds and sizes differ between the two servers; the fields do not.
  return line.replace(/^.*? - Client closed connection /, '').replace(/=\S*\d\S*/g, '=N');
}

suite('the log line of a client that closed its connection (vs real redis-server)', () => {
  it('is "Client closed connection" with the client\'s CLIENT LIST fields', async () => {
    const [real, ours] = [await closedLine('real'), await closedLine('ours')];
    expect(real).toContain('name=leaving');
    expect(ours).toBe(real);
  }, 20_000);
});
