/**
 * Full sync of 1M keys over a 1 Gbit simulated link, inline runtime (everything on this
 * thread): a master filled with DEBUG POPULATE, a replica on another host typing REPLICAOF,
 * timed from the command to `master_link_status:up`. Reported for disk-based and diskless
 * sync: wall time (target < 3 s), the process's CPU time over the same span (the two differ
 * on a machine shared with other work), and the virtual time the sync took in the simulation.
 * Most of the CPU time is the replica parsing the 25 MB RDB (persistence's loader) and GC.
 */
import { World } from '../src/sim/world';
import { STANDARD_PROGRAMS } from '../src/sim/programs';
import type { Measurement } from './run';

async function linkUp(w: World): Promise<boolean> {
  return (await w.exec('replica', 'redis-cli info replication')).output.includes('master_link_status:up');
}

async function fullSync(keys: number, diskless: boolean): Promise<Measurement[]> {
  const w = new World({
    seed: 5,
    hosts: [{ name: 'master', ip: '10.0.0.1' }, { name: 'replica', ip: '10.0.0.2' }],
    links: [{ a: 'master', b: 'replica', params: { latencyMs: 0.2, jitterMs: 0, bandwidthBps: 1e9, loss: 0 } }],
    programs: STANDARD_PROGRAMS,
  });
  const common = '--protected-mode no --save "" --appendonly no --dir /tmp --logfile /tmp/redis.log';
  await w.exec('master', `redis-server ${common} --enable-debug-command yes --repl-diskless-sync ${diskless ? 'yes' : 'no'} --repl-diskless-sync-delay 0 &`);
  await w.exec('replica', `redis-server ${common} &`);
  await w.advance(200);
  await w.exec('master', `redis-cli debug populate ${keys}`);
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const virt0 = w.now;
  await w.exec('replica', 'redis-cli replicaof 10.0.0.1 6379');
  while (!(await linkUp(w))) await w.advance(50);
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const virtMs = w.now - virt0;
  const log = w.readText('replica', '/tmp/redis.log') ?? '';
  const size = /receiving (\d+) bytes/.exec(log)?.[1];
  const dbsize = (await w.exec('replica', 'redis-cli dbsize')).output.trim();
  if (dbsize !== String(keys)) throw new Error(`replica has ${dbsize} keys, expected ${keys}`);
  const mode = diskless ? 'diskless' : 'disk';
  return [
    { name: `full sync ${keys / 1e6}M keys, 1 Gbit link, ${mode}: wall`, value: wallMs, unit: 'ms', target: 3000, note: size ? `${(Number(size) / 1e6).toFixed(1)} MB RDB` : 'EOF-marked RDB' },
    { name: `full sync ${keys / 1e6}M keys, 1 Gbit link, ${mode}: CPU (user+sys)`, value: cpuMs, unit: 'ms', note: 'wall exceeds CPU when other processes share the cores' },
    { name: `full sync ${keys / 1e6}M keys, 1 Gbit link, ${mode}: virtual`, value: virtMs, unit: 'ms' },
  ];
}

export default async function run(): Promise<Measurement[]> {
  return [...await fullSync(1_000_000, false), ...await fullSync(1_000_000, true)];
}
