/**
 * The cluster in the simulated machine room (virtual time, simulated network): three hosts
 * form a cluster by hand (lab D1), a killed master is detected as failing within the node
 * timeout in virtual time, and the same seed gives the same cluster.
 */
import { it, expect } from 'vitest';
import { World } from '../../src/sim';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';

const HOSTS = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];

function clusterWorld(seed: number): World {
  return new World({
    seed,
    hosts: HOSTS.map((ip, i) => ({
      name: `node-${i + 1}`, ip, files: {},
      boot: ['redis-server --port 7000 --cluster-enabled yes --cluster-node-timeout 3000 --save "" --protected-mode no --daemonize no'],
    })),
    programs: STANDARD_PROGRAMS,
  } as ConstructorParameters<typeof World>[0]);
}

async function buildCluster(w: World): Promise<void> {
  await w.advance(500);
  await w.exec('node-1', 'redis-cli -p 7000 cluster meet 10.0.0.2 7000; redis-cli -p 7000 cluster meet 10.0.0.3 7000');
  await w.exec('node-1', 'redis-cli -p 7000 cluster addslotsrange 0 5460');
  await w.exec('node-2', 'redis-cli -p 7000 cluster addslotsrange 5461 10922');
  await w.exec('node-3', 'redis-cli -p 7000 cluster addslotsrange 10923 16383');
  await w.advance(5000);
}

it('three simulated hosts form a cluster, and a killed master fails it in virtual time', async () => {
  const w = clusterWorld(11);
  await buildCluster(w);
  for (const h of ['node-1', 'node-2', 'node-3']) {
    const info = (await w.exec(h, 'redis-cli -p 7000 cluster info')).output;
    expect(info).toContain('cluster_state:ok');
    expect(info).toContain('cluster_known_nodes:3');
    expect(info).toContain('cluster_slots_assigned:16384');
  }
  const nodes = (await w.exec('node-2', 'redis-cli -p 7000 cluster nodes')).output;
  expect(nodes.split('\n').filter(Boolean)).toHaveLength(3);
  expect(nodes).toMatch(/ 10\.0\.0\.1:7000@17000 master - 0 \d+ \d+ connected 0-5460\n/);
  expect((await w.exec('node-1', 'redis-cli -p 7000 set foo bar')).output).toBe('MOVED 12182 10.0.0.3:7000\n\n');
  expect((await w.exec('node-1', 'redis-cli -c -p 7000 set foo bar; redis-cli -c -p 7000 get foo')).output).toContain('bar');

  await w.exec('node-3', 'pkill -9 redis-server');
  await w.advance(3000 + 1500);
  const view = (await w.exec('node-1', 'redis-cli -p 7000 cluster nodes')).output;
  expect(view).toMatch(/ 10\.0\.0\.3:7000@17000 master,fail - \d+ \d+ \d+ disconnected 10923-16383\n/);
  expect((await w.exec('node-1', 'redis-cli -p 7000 cluster info')).output).toContain('cluster_state:fail');
  expect((await w.exec('node-2', 'redis-cli -p 7000 get x')).output).toBe('CLUSTERDOWN The cluster is down\n\n');
}, 60000);

it('the same seed builds the same cluster (node IDs, epochs)', async () => {
  const views: string[] = [];
  for (let i = 0; i < 2; i++) {
    const w = clusterWorld(99);
    await buildCluster(w);
    const out = (await w.exec('node-1', 'redis-cli -p 7000 cluster nodes')).output;
    views.push(out.split('\n').map((l) => l.split(' ').filter((_, j) => j !== 4 && j !== 5).join(' ')).sort().join('\n'));
  }
  expect(views[1]).toBe(views[0]);
}, 60000);

it('redis-cli --cluster create builds the cluster from a simulated shell', async () => {
  const w = clusterWorld(5);
  await w.advance(500);
  const out = (await w.exec('node-1', 'redis-cli --cluster create 10.0.0.1:7000 10.0.0.2:7000 10.0.0.3:7000 --cluster-yes')).output;
  expect(out).toContain('>>> Performing hash slots allocation on 3 nodes...');
  expect(out).toContain('[OK] All 16384 slots covered.');
  await w.advance(2000);
  for (const h of ['node-1', 'node-2', 'node-3']) {
    expect((await w.exec(h, 'redis-cli -p 7000 cluster info')).output).toContain('cluster_state:ok');
  }
}, 60000);
