/**
 * Sandbox presets: the topologies of the source documents, as world options (hosts with their
 * files and boot lines). Nothing here pretends: the files say what the real deployment would
 * say, and the processes do what the engine does.
 */
import type { HostSpec } from '../../sim';

export interface Preset {
  id: string;
  title: { en: string; zh: string };
  /** What is true about this preset today (shown under the selector). */
  /** Shown under the title; `backquoted` text is a command or a config name, shown as code. */
  note: { en: string; zh: string };
  seed: number;
  hosts: HostSpec[];
}

/** A redis.conf for one server of a local master/replica set (port 7000 is the master). */
export function localServerConf(port: number, masterPort: number | null): string {
  return [
    `port ${port}`,
    'bind 127.0.0.1 -::1',
    'daemonize no',
    `pidfile /var/run/redis_${port}.pid`,
    `logfile /var/log/redis/redis_${port}.log`,
    `dir /var/redis/${port}`,
    'appendonly no',
    ...(masterPort !== null ? [`replicaof 127.0.0.1 ${masterPort}`] : []),
    '',
  ].join('\n');
}

const LOCAL_PORTS = [7000, 7001, 7002];

const masterAndReplicas: Preset = {
  id: 'master-replicas',
  title: { en: '1 master + 2 replicas on 127.0.0.1:7000-7002', zh: '1 主 2 从：127.0.0.1:7000-7002' },
  note: {
    en: 'One host, three redis-server processes: 7001 and 7002 run with `replicaof 127.0.0.1 7000` (diskless full sync after `repl-diskless-sync-delay`, 5 s). Watch their link machines in Statecharts and their offsets in Plots.',
    zh: '一台主机，三个 redis-server 进程：7001 和 7002 以 `replicaof 127.0.0.1 7000` 运行（等待 `repl-diskless-sync-delay` 5 秒后无盘全量同步）。在“状态图”里看它们的复制链路状态机，在“图表”里看偏移量。',
  },
  seed: 7000,
  hosts: [
    {
      name: 'redis-1',
      ip: '10.0.0.11',
      files: Object.fromEntries(LOCAL_PORTS.map((p, i) => [`/etc/redis/${p}.conf`, localServerConf(p, i === 0 ? null : 7000)])),
      dirs: [...LOCAL_PORTS.map((p) => `/var/redis/${p}`), '/var/log/redis', '/var/run'],
      boot: LOCAL_PORTS.map((p) => `redis-server /etc/redis/${p}.conf`),
    },
  ],
};

function sentinelConf(masterIp: string): string {
  return [
    'port 26379',
    'daemonize no',
    'logfile /var/log/redis/sentinel.log',
    'dir /tmp',
    `sentinel monitor mymaster ${masterIp} 6379 2`,
    'sentinel down-after-milliseconds mymaster 30000',
    'sentinel failover-timeout mymaster 180000',
    'sentinel parallel-syncs mymaster 1',
    '',
  ].join('\n');
}

function hostConf(masterIp: string | null): string {
  return [
    'port 6379',
    'bind 0.0.0.0',
    'protected-mode no',
    'daemonize no',
    'pidfile /var/run/redis_6379.pid',
    'logfile /var/log/redis/redis_6379.log',
    'dir /var/redis/6379',
    ...(masterIp ? [`replicaof ${masterIp} 6379`] : []),
    '',
  ].join('\n');
}

const THREE_IPS = ['10.0.1.51', '10.0.1.52', '10.0.1.53'];

const threeHostsSentinels: Preset = {
  id: 'three-hosts-sentinels',
  title: { en: '3 hosts: master, 2 replicas, 3 sentinels', zh: '3 台主机：主节点、2 个副本、3 个哨兵' },
  note: {
    en: 'redis01-03 each boot a redis-server and a redis-sentinel (`quorum 2`, `down-after-milliseconds 30000`). redis02 and redis03 replicate redis01. Kill the master and watch the sentinels\' views and failover in Statecharts.',
    zh: 'redis01-03 各自启动一个 redis-server 和一个 redis-sentinel（`quorum 2`，`down-after-milliseconds 30000`）。redis02 和 redis03 复制 redis01。杀掉主节点，在“状态图”里观察哨兵的判断和故障转移。',
  },
  seed: 4,
  hosts: THREE_IPS.map((ip, i) => ({
    name: `redis0${i + 1}`,
    ip,
    files: { '/etc/redis/6379.conf': hostConf(i === 0 ? null : THREE_IPS[0]), '/etc/redis/sentinel.conf': sentinelConf(THREE_IPS[0]) },
    dirs: ['/var/redis/6379', '/var/log/redis', '/var/run'],
    boot: ['redis-server /etc/redis/6379.conf', 'redis-sentinel /etc/redis/sentinel.conf'],
  })),
};

/** A redis.conf for one node of the six-node cluster. */
export function clusterNodeConf(port: number): string {
  return [
    `port ${port}`,
    'bind 0.0.0.0',
    'protected-mode no',
    'daemonize no',
    `pidfile /var/run/redis_${port}.pid`,
    `logfile /var/log/redis/redis_${port}.log`,
    `dir /var/redis/${port}`,
    'cluster-enabled yes',
    `cluster-config-file nodes-${port}.conf`,
    'cluster-node-timeout 5000',
    'appendonly no',
    '',
  ].join('\n');
}

const CLUSTER_IPS = ['10.0.0.7', '10.0.0.8', '10.0.0.9'];
const CLUSTER_PORTS = [7000, 7001];
const CLUSTER_NODES = CLUSTER_IPS.flatMap((ip) => CLUSTER_PORTS.map((p) => `${ip}:${p}`));

/**
 * What the first host runs once its servers are up: `redis-cli --cluster create` over the six
 * nodes with one replica per master (it places each replica on another host than its master).
 * Run again after a reboot it finds the nodes already configured and changes nothing.
 */
export const CLUSTER_CREATE_SCRIPT = [
  '# Form the cluster once every node listens (boot starts them all at once).',
  'sleep 1',
  `redis-cli --cluster create ${CLUSTER_NODES.join(' ')} --cluster-replicas 1 --cluster-yes > /var/log/redis/cluster-create.log 2>&1`,
  '',
].join('\n');

const sixNodeCluster: Preset = {
  id: 'cluster-6',
  title: { en: '6-node cluster: 3 masters + 3 replicas on 3 hosts', zh: '6 节点集群：3 主 3 从，3 台主机' },
  note: {
    en: 'node1-3 each run two cluster-enabled redis-servers (7000, 7001); at boot node1 runs `redis-cli --cluster create … --cluster-replicas 1` (`/etc/redis/create-cluster.sh`, output in `/var/log/redis/cluster-create.log`). Try `redis-cli -c -h 10.0.0.7 -p 7000`, kill a master and watch the failure detectors in Statecharts.',
    zh: 'node1-3 各运行两个开启集群模式的 redis-server（7000、7001）；启动时 node1 执行 `redis-cli --cluster create … --cluster-replicas 1`（`/etc/redis/create-cluster.sh`，输出在 `/var/log/redis/cluster-create.log`）。试试 `redis-cli -c -h 10.0.0.7 -p 7000`，杀掉一个主节点，在“状态图”里观察故障检测。',
  },
  seed: 6,
  hosts: CLUSTER_IPS.map((ip, i) => ({
    name: `node${i + 1}`,
    ip,
    files: {
      ...Object.fromEntries(CLUSTER_PORTS.map((p) => [`/etc/redis/${p}.conf`, clusterNodeConf(p)])),
      ...(i === 0 ? { '/etc/redis/create-cluster.sh': CLUSTER_CREATE_SCRIPT } : {}),
    },
    dirs: [...CLUSTER_PORTS.map((p) => `/var/redis/${p}`), '/var/log/redis', '/var/run'],
    boot: [...CLUSTER_PORTS.map((p) => `redis-server /etc/redis/${p}.conf`), ...(i === 0 ? ['sh /etc/redis/create-cluster.sh'] : [])],
  })),
};

const emptyWorld: Preset = {
  id: 'empty',
  title: { en: 'Empty world (one host, nothing running)', zh: '空白世界（一台主机，无进程）' },
  note: { en: 'Start what you like from the terminal: `redis-server --port 6379 &`', zh: '在终端里自己启动：`redis-server --port 6379 &`' },
  seed: 1,
  hosts: [{ name: 'host-1', ip: '10.0.0.11', dirs: ['/var/redis', '/var/log/redis', '/var/run'] }],
};

export const PRESETS: readonly Preset[] = [masterAndReplicas, threeHostsSentinels, sixNodeCluster, emptyWorld];

export const DEFAULT_PRESET = masterAndReplicas.id;

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
