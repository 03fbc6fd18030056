/** A command that throws (an engine bug) answers an error and the connection keeps working. */
import { it, expect, afterEach } from 'vitest';
import { startOurRedis, type OurRedis } from '../support/our-server';

let ours: OurRedis | undefined;
afterEach(async () => { await ours?.stop(); });

it('a throwing handler replies an error and later commands still run', async () => {
  ours = await startOurRedis();
  const get = ours.server.table.get('get')!;
  const real = get.handler!;
  get.handler = () => { throw new Error('boom'); };
  const c = await ours.client();
  expect(await c.call('GET', 'k')).toBe("-ERR internal error in 'get': boom\r\n");
  get.handler = real;
  expect(await c.call('SET', 'k', 'v')).toBe('+OK\r\n');
  expect(await c.call('GET', 'k')).toBe('$1\r\nv\r\n');
  expect(ours.log.join('')).toContain("Internal error in 'get': Error: boom");
  c.close();
});
