/**
 * A busy, fault-heavy scenario for the determinism test and the benchmarks: three redis-server
 * processes on three hosts, a client host running one load generator per server over jittery
 * links, a terminal session, a ping, a partition that heals, a server stopped and continued
 * (SIGSTOP/SIGCONT) under load, and a kill -9.
 */
import { World } from '../../src/sim/world';
import type { Runtime } from '../../src/sim/runtime/runtime';
import { programs } from './programs';

export const SCENARIO_HOSTS = [
  { name: 'redis-1', ip: '10.0.0.11' },
  { name: 'redis-2', ip: '10.0.0.12', files: { '/etc/redis/redis.conf': 'port 6379\nprotected-mode no\nsave ""\nappendonly no\nlogfile /var/log/redis.log\n' } },
  { name: 'redis-3', ip: '10.0.0.13' },
  { name: 'client', ip: '10.0.0.20' },
];

export async function runScenario(opts: { seed?: number; runtime?: Runtime; commands?: number } = {}): Promise<World> {
  const w = new World({
    seed: opts.seed ?? 2024,
    hosts: SCENARIO_HOSTS,
    programs,
    runtime: opts.runtime,
    links: ['redis-1', 'redis-2', 'redis-3'].map((h) => ({ a: 'client', b: h, params: { latencyMs: 0.3, jitterMs: 0.2 } })),
  });
  const n = opts.commands ?? 300;
  for (const h of ['redis-1', 'redis-3']) {
    await w.exec(h, 'redis-server --port 6379 --protected-mode no --save "" --appendonly no --logfile /var/log/redis.log &');
  }
  // A config file read through the kernel, a forked child, and a pipe into a process's stdin.
  await w.exec('redis-2', 'redis-server /etc/redis/redis.conf &');
  await w.exec('redis-1', 'forker > /tmp/forker.log &');
  await w.exec('client', 'echo piped | cat-stdin > /tmp/piped.log &');
  await w.advance(500);
  const term = w.openTerminal('client');
  w.type(term, `load-client 10.0.0.11 6379 ${n} a 2 > /tmp/a.log & load-client 10.0.0.12 6379 ${n} b 3 > /tmp/b.log & load-client 10.0.0.13 6379 ${n} c 1 > /tmp/c.log &`);
  // ICMP echo across the coming partition (kernel-side datagrams, seeded jitter).
  await w.exec('client', 'ping -q -c 12 -i 0.2 redis-2 > /tmp/ping.log &');
  await w.advance(300);
  w.partition(['client'], ['redis-2']);
  await w.advance(700);
  w.heal();
  await w.advance(300);
  const frozen = w.processes('redis-1').find((p) => p.argv[0] === 'redis-server');
  if (frozen) {
    w.kill('redis-1', frozen.pid, 'SIGSTOP');
    await w.advance(400);
    w.kill('redis-1', frozen.pid, 'SIGCONT');
  }
  const victim = w.processes('redis-3').find((p) => p.argv[0] === 'redis-server');
  if (victim) w.kill('redis-3', victim.pid, 'SIGKILL');
  w.type(term, 'ps aux | grep -c load-client; cat /tmp/a.log');
  await w.advance(3000);
  return w;
}
