/**
 * Sandbox presets: the topologies of the source documents, as world options (hosts with their
 * files and boot lines). Nothing here pretends: where a subsystem does not exist yet in the
 * engine (replication, sentinel, cluster), the files still say what the real deployment would
 * say, and the processes do what the engine does today.
 */
import type { HostSpec } from '../../sim';

export interface Preset {
  id: string;
  title: { en: string; zh: string };
  /** What is true about this preset today (shown under the selector). */
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
    en: 'One host, three redis-server processes. 7001 and 7002 are configured with replicaof 127.0.0.1 7000 and report role:slave, but the engine has no replication link yet (master_link_status:down) until replication lands.',
    zh: '一台主机，三个 redis-server 进程。7001 和 7002 配置了 replicaof 127.0.0.1 7000，显示 role:slave，但引擎还没有复制链路（master_link_status:down），要等复制功能完成。',
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
    en: 'redis01-03 each boot a redis-server and a redis-sentinel (port 26379, quorum 2, down-after 30 s). redis01 is the master; the sentinels find the replicas and each other within seconds. Kill the master and watch /var/log/redis/sentinel.log.',
    zh: 'redis01-03 各自启动一个 redis-server 和一个 redis-sentinel（端口 26379，quorum 2，down-after 30 秒）。redis01 是主节点；哨兵几秒内就会发现副本和彼此。杀掉主节点，观察 /var/log/redis/sentinel.log。',
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

const emptyWorld: Preset = {
  id: 'empty',
  title: { en: 'Empty world (one host, nothing running)', zh: '空白世界（一台主机，无进程）' },
  note: { en: 'Start what you like from the terminal: redis-server --port 6379 &', zh: '在终端里自己启动：redis-server --port 6379 &' },
  seed: 1,
  hosts: [{ name: 'host-1', ip: '10.0.0.11', dirs: ['/var/redis', '/var/log/redis', '/var/run'] }],
};

export const PRESETS: readonly Preset[] = [masterAndReplicas, threeHostsSentinels, emptyWorld];

export const DEFAULT_PRESET = masterAndReplicas.id;

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
