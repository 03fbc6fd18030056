/**
 * Sentinel times are whole milliseconds, as mstime() gives them, even though the simulated
 * clock is fractional (network latency): SENTINEL MASTER/REPLICAS/SENTINELS report ages such
 * as info-refresh and last-ping-reply as integers, and SENTINEL INFO-CACHE's ages are valid
 * RESP integers.
 */
import { describe, it, expect } from 'vitest';
import { SentinelLab } from './sim-helpers';

const OPEN = ['bind 0.0.0.0', 'protected-mode no'];

describe('sentinel ages in replies are whole milliseconds in the simulation', () => {
  it('SENTINEL MASTER / REPLICAS / SENTINELS / INFO-CACHE', async () => {
    const lab = new SentinelLab([{ name: 'cache01', ip: '10.0.0.11' }, { name: 'cache02', ip: '10.0.0.12' }]);
    await lab.start('cache01', 6379, OPEN);
    await lab.start('cache02', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
    const monitor = ['sentinel monitor mymaster 10.0.0.11 6379 1', 'sentinel down-after-milliseconds mymaster 3000'];
    await lab.startSentinel('cache01', 26379, monitor);
    await lab.startSentinel('cache02', 26379, monitor);
    await lab.until('discovery', async () => (await lab.cli('cache01', '-p 26379 info sentinel')).includes('slaves=1,sentinels=2'), 30_000);
    await lab.w.advance(2345.5);
    for (const sub of ['MASTER mymaster', 'REPLICAS mymaster', 'SENTINELS mymaster', 'INFO-CACHE mymaster']) {
      const out = await lab.cli('cache01', `-p 26379 SENTINEL ${sub}`);
      expect(out, sub).toMatch(sub.startsWith('INFO-CACHE') ? /^# Replication/m : /^last-ping-reply$/m);
      // Every value is a name, an address, an ID, INFO text or a whole number: no bare number has a fraction.
      expect(out, sub).not.toMatch(/^-?\d+\.\d+$/m);
    }
  }, 60_000);
});
