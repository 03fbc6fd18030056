import { it } from 'vitest';
import { SentinelLab } from './sim-helpers';

const HOSTS = [{ name: 'cache01', ip: '10.0.0.11' }, { name: 'cache02', ip: '10.0.0.12' }, { name: 'cache03', ip: '10.0.0.13' }];
const OPEN = ['bind 0.0.0.0', 'protected-mode no'];

it('scratch', async () => {
  const lab = new SentinelLab(HOSTS);
  await lab.start('cache01', 6379, OPEN);
  await lab.start('cache02', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
  await lab.start('cache03', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
  for (const h of HOSTS) await lab.startSentinel(h.name, 26379, ['sentinel monitor mymaster 10.0.0.11 6379 2', 'sentinel down-after-milliseconds mymaster 3000', 'sentinel failover-timeout mymaster 10000']);
  await lab.advance(15000);
  console.log(lab.sentinelLog('cache01', 26379));
  console.log(await lab.cli('cache01', '-p 26379 info sentinel'));
  await lab.w.exec('cache01', `kill -9 ${lab.pid('cache01', 6379)}`);
  await lab.advance(20000);
  for (const h of HOSTS) console.log(h.name, '\n' + lab.sentinelLog(h.name, 26379));
  console.log(lab.sentinelConf('cache02', 26379));
  await lab.w.exec('cache01', 'redis-server /etc/redis/6379.conf &');
  await lab.advance(25000);
  console.log(lab.sentinelLog('cache03', 26379));
  console.log(await lab.cli('cache01', 'info replication'));
}, 120000);
