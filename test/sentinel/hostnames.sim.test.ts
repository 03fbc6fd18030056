/**
 * Sentinel with `resolve-hostnames yes` in the simulated machine room: a master named by its
 * host name is known by the address the name resolves to (the lab's host table, as the
 * network resolves names when connecting), and by the name only with announce-hostnames.
 */
import { describe, it, expect } from 'vitest';
import { SentinelLab } from './sim-helpers';

describe('sentinel resolve-hostnames in the simulation', () => {
  it('a master monitored as "cache01" has the address 10.0.0.11; announce-hostnames shows the name', async () => {
    const lab = new SentinelLab([{ name: 'cache01', ip: '10.0.0.11' }, { name: 'cache02', ip: '10.0.0.12' }]);
    await lab.start('cache01', 6379, ['bind 0.0.0.0', 'protected-mode no']);
    await lab.startSentinel('cache02', 26379, ['sentinel resolve-hostnames yes', 'sentinel monitor mymaster cache01 6379 1']);
    const addr = async () => (await lab.cli('cache02', '-p 26379 sentinel get-master-addr-by-name mymaster')).split('\n').map((l) => l.trim()).filter(Boolean);
    expect(await addr()).toEqual(['10.0.0.11', '6379']);
    // The link is up: the sentinel reached the master at that address.
    await lab.until('master link', async () => (await lab.cli('cache02', '-p 26379 info sentinel')).includes('status=ok'), 10_000);
    await lab.cli('cache02', '-p 26379 sentinel config set announce-hostnames yes');
    expect(await addr()).toEqual(['cache01', '6379']);
    // localhost is the loopback; a name the lab does not have cannot be monitored.
    expect((await lab.cli('cache02', '-p 26379 sentinel monitor local localhost 6379 1')).trim()).toBe('OK');
    await lab.cli('cache02', '-p 26379 sentinel config set announce-hostnames no');
    expect((await lab.cli('cache02', '-p 26379 sentinel get-master-addr-by-name local')).split('\n').map((l) => l.trim()).filter(Boolean)).toEqual(['127.0.0.1', '6379']);
    expect((await lab.cli('cache02', '-p 26379 sentinel monitor other nosuchhost 6379 1')).trim()).toBe('ERR Invalid IP address or hostname specified');
  });
});
