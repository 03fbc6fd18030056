/**
 * The cluster in the simulated machine room (virtual time, simulated network): three hosts
 * form a cluster by hand (lab D1), a killed master is detected as failing within the node
 * timeout in virtual time, and the same seed gives the same cluster.
 */
import { it, expect } from 'vitest';
import { World } from '../../src/sim';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';

const HOSTS = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];

function clusterWorld(seed: number, extraArgs = ''): World {
  return new World({
    seed,
    hosts: HOSTS.map((ip, i) => ({
      name: `node-${i + 1}`, ip, files: {},
      boot: ['redis-server --port 7000 --cluster-enabled yes --cluster-node-timeout 3000 --save "" --protected-mode no --daemonize no' + extraArgs],
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

it('bus packets wait in the link\'s send buffer until the end of the event (CLUSTER LINKS, mem_cluster_links)', async () => {
  const w = clusterWorld(7);
  await buildCluster(w);
  const fields = (out: string) => out.split('\n').filter(Boolean);
  const links = async () => fields((await w.exec('node-1', 'redis-cli -p 7000 cluster links')).output);
  const allZero = (lines: string[]) => {
    const sizes = lines.filter((_, i) => lines[i - 1] === 'send-buffer-allocated' || lines[i - 1] === 'send-buffer-used');
    return sizes.length === 8 && sizes.every((x) => x === '0');
  };
  // Idle: the cron gave back what the last pings took.
  let idle = await links();
  for (let i = 0; i < 20 && !allZero(idle); i++) {
    await w.advance(37);
    idle = await links();
  }
  expect(allZero(idle)).toBe(true);
  expect(idle.filter((l) => l === 'events').length).toBe(4);
  expect(idle.filter((_, i) => idle[i - 1] === 'events').every((e) => e === 'r')).toBe(true);
  // In a transaction, the PUBLISH packets are still queued on both outbound links.
  let tx = '';
  for (let i = 0; i < 20; i++) {
    tx = (await w.exec('node-1', "printf 'MULTI\\nPUBLISH ch hello\\nCLUSTER LINKS\\nEXEC\\n' | redis-cli -p 7000")).output;
    if ((tx.match(/\nsend-buffer-used\n2271\n/g) ?? []).length === 2) break;
    await w.advance(37);
  }
  const after = fields(tx);
  const to = after.map((l, i) => (l === 'to' && after[i - 1] === 'direction' ? after.slice(i + 5, i + 11).join(' ') : null)).filter(Boolean);
  expect(to).toEqual(['events rw send-buffer-allocated 5114 send-buffer-used 2271', 'events rw send-buffer-allocated 5114 send-buffer-used 2271']);
  // Written at the end of that event; the next cron shrinks the buffers again.
  await w.advance(250);
  expect(allZero(await links())).toBe(true);
  // Four links of struct + 1 KB receive buffer, as summed by the cron.
  expect((await w.exec('node-1', 'redis-cli -p 7000 info memory')).output).toContain('mem_cluster_links:4352\r\n');
  expect((await w.exec('node-1', 'redis-cli -p 7000 memory stats')).output).toMatch(/\ncluster\.links\n4352\n/);
}, 60000);

it('a peer stopped with SIGSTOP pushes back: its link\'s send buffer grows until cluster-link-sendbuf-limit frees it', async () => {
  const w = clusterWorld(13, ' --logfile /var/log/redis.log');
  await buildCluster(w);
  const cli = async (cmd: string) => (await w.exec('node-1', `redis-cli -p 7000 ${cmd}`)).output;
  await cli('config set cluster-node-timeout 3600000');
  await cli(`config set cluster-link-sendbuf-limit ${256 * 1024}`);
  const peerId = (await w.exec('node-2', 'redis-cli -p 7000 cluster myid')).output.trim();
  expect(peerId).toMatch(/^[0-9a-f]{40}$/);
  const peer = w.processes('node-2').find((p) => p.argv[0] === 'redis-server')!;
  w.kill('node-2', peer.pid, 'SIGSTOP');
  await w.advance(100);
  // 128 KB messages: the stopped peer's window and the socket take about 1.1 MB, then the
  // link's own buffer grows past the limit and a cron frees the link.
  const message = 'x'.repeat(128 * 1024);
  let sent = 0;
  while (!(await cli('cluster info')).includes('total_cluster_links_buffer_limit_exceeded:1') && sent < 40) {
    await w.exec('node-1', `redis-cli -p 7000 publish channel ${message} > /dev/null`);
    sent++;
    await w.advance(150);
  }
  expect(sent).toBeGreaterThan(8);
  expect(sent).toBeLessThan(40);
  expect(w.readText('node-1', '/var/log/redis.log')).toMatch(new RegExp(`# Freeing cluster link\\(to node ${peerId}, used memory: \\d+\\) due to exceeding send buffer memory limit\\.`));
}, 60000);
