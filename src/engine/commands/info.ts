/**
 * INFO [section ...]: the report of genRedisInfoString() in 7.0.15, section by section with
 * the same field names in the same order.
 *
 * Section selection: no argument means the default sections; "default", "all" and
 * "everything" are keywords ("all" is every core section, commandstats and latencystats
 * included; "everything" also includes sections added by subsystems, like module sections in
 * Redis); other names select a section case-insensitively, and unknown names select nothing.
 * Sections are separated by an empty line.
 *
 * Values come from the server's own state. Sections owned by other subsystems (persistence,
 * replication) render the fields of a standalone master with persistence idle until a
 * provider registered in `server.hooks.info` supplies them (see server/info-provider.ts).
 */
import type { Client } from '../server/client';
import type { RedisServer } from '../server/server';
import { REDIS_VERSION } from '../server/server';
import { cmd, type CommandSpec } from './table';
import type { InfoField } from '../server/info-provider';
import { instantaneousMetric } from '../server/instantaneous';
import { commandHistogram } from '../server/command-latency';
import { allocatorFigures, memoryOverhead } from '../server/memory-stats';
import { bytesToHuman, cFixed } from '../util/printf';
import { fmtTrimmedDouble } from '../config/types';
import { REDIS_BUILD_ID } from '../programs/build-info';
import { lazyfreePending } from '../server/lazyfree';
import { scriptCacheOf, luaVmMemoryBytes } from '../server/script-cache';
import { functionCounts, functionsVmMemoryBytes } from '../server/function-lua';
import { replicaKeysWithExpireCount } from '../keyspace/replica-expire';
import { migrateCachedSockets } from '../cluster/migrate';
import { shutdownInMs } from '../replication/shutdown';

export const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];

const CORE_ORDER: { key: string; title: string; names: string[] }[] = [
  { key: 'server', title: 'Server', names: ['server'] },
  { key: 'clients', title: 'Clients', names: ['clients'] },
  { key: 'memory', title: 'Memory', names: ['memory'] },
  { key: 'persistence', title: 'Persistence', names: ['persistence'] },
  { key: 'stats', title: 'Stats', names: ['stats'] },
  { key: 'replication', title: 'Replication', names: ['replication'] },
  { key: 'cpu', title: 'CPU', names: ['cpu'] },
  { key: 'modules', title: 'Modules', names: ['module_list', 'modules'] },
  { key: 'commandstats', title: 'Commandstats', names: ['commandstats'] },
  { key: 'errorstats', title: 'Errorstats', names: ['errorstats'] },
  { key: 'latencystats', title: 'Latencystats', names: ['latencystats'] },
  { key: 'cluster', title: 'Cluster', names: ['cluster'] },
  { key: 'keyspace', title: 'Keyspace', names: ['keyspace'] },
];

/** `#:\n\r` in names become '_' (getSafeInfoString). */
const safe = (s: string) => s.replace(/[#:\n\r]/g, '_');

/** Effective hz: dynamic-hz doubles it while there are more than 200 clients per tick. */
export function effectiveHz(s: RedisServer): number {
  if (s.hzOverride !== null) return s.hzOverride;
  let hz = Math.max(1, Math.min(500, s.config.get<number>('hz')));
  if (s.config.get<boolean>('dynamic-hz')) {
    while (s.clients.size / hz > 200) {
      hz *= 2;
      if (hz > 500) { hz = 500; break; }
    }
  }
  return hz;
}

function serverFields(s: RedisServer): InfoField[] {
  const now = s.os.now();
  const uptime = Math.floor(now / 1000) - Math.floor(s.startTimeMs / 1000);
  const mode = s.clusterEnabled() ? 'cluster' : s.sentinelMode ? 'sentinel' : 'standalone';
  const fields: InfoField[] = [
    ['redis_version', REDIS_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', REDIS_BUILD_ID],
    ['redis_mode', mode],
    ['os', s.os.info.osName],
    ['arch_bits', s.os.info.arch],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'epoll'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['process_id', s.os.pid],
    ['process_supervised', 'no'],
    ['run_id', s.runId],
    ['tcp_port', s.config.get<number>('port') || s.config.get<number>('tls-port')],
    ['server_time_usec', Math.floor(s.os.nowUs())],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', effectiveHz(s)],
    ['configured_hz', s.config.get<number>('hz')],
    ['lru_clock', s.lruClock()],
    ['executable', s.executable],
    ['config_file', s.config.configFile],
    ['io_threads_active', 0],
  ];
  // Shown only while a shutdown waits for lagging replicas (isShutdownInitiated).
  const shutdownIn = shutdownInMs(s);
  if (shutdownIn !== null) fields.push(['shutdown_in_milliseconds', shutdownIn]);
  return fields;
}

function clientsFields(s: RedisServer): InfoField[] {
  let replicas = 0, blocked = 0, inTimeout = 0, maxIn = 0, maxOut = 0;
  for (const c of s.clients.values()) {
    if (c.isReplica && !c.isMonitor) replicas++;
    if (c.blocked && c.blocked.kind !== 'sleep') {
      blocked++;
      if (c.blocked.timeoutMs > 0) inTimeout++;
    }
    maxIn = Math.max(maxIn, c.parser.pendingBytes);
    maxOut = Math.max(maxOut, c.out.len);
  }
  return [
    ['connected_clients', s.clients.size - replicas],
    ['cluster_connections', 0],
    ['maxclients', s.config.get<number>('maxclients')],
    ['client_recent_max_input_buffer', maxIn],
    ['client_recent_max_output_buffer', maxOut],
    ['blocked_clients', blocked],
    ['tracking_clients', s.tracking.clientsCount],
    ['clients_in_timeout_table', inTimeout],
  ];
}

function memoryFields(s: RedisServer): InfoField[] {
  const mh = memoryOverhead(s);
  const used = mh.total;
  const al = allocatorFigures(used);
  const maxmemory = s.config.get<number>('maxmemory');
  const scripts = scriptCacheOf(s);
  const lua = luaVmMemoryBytes(scripts.size), functionsVm = functionsVmMemoryBytes(s);
  const fcounts = functionCounts(s);
  return [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(used)],
    ['used_memory_rss', al.rss],
    ['used_memory_rss_human', bytesToHuman(al.rss)],
    ['used_memory_peak', mh.peak],
    ['used_memory_peak_human', bytesToHuman(mh.peak)],
    ['used_memory_peak_perc', `${cFixed(mh.peakPerc, 2)}%`],
    ['used_memory_overhead', mh.overheadTotal],
    ['used_memory_startup', mh.startup],
    ['used_memory_dataset', mh.dataset],
    ['used_memory_dataset_perc', `${cFixed(mh.datasetPerc, 2)}%`],
    ['allocator_allocated', al.allocated],
    ['allocator_active', al.active],
    ['allocator_resident', al.resident],
    ['total_system_memory', s.systemMemoryBytes],
    ['total_system_memory_human', bytesToHuman(s.systemMemoryBytes)],
    ['used_memory_lua', lua],
    ['used_memory_vm_eval', lua],
    ['used_memory_lua_human', bytesToHuman(lua)],
    ['used_memory_scripts_eval', mh.luaCaches],
    ['number_of_cached_scripts', scripts.size],
    ['number_of_functions', fcounts.functions],
    ['number_of_libraries', fcounts.libraries],
    ['used_memory_vm_functions', functionsVm],
    ['used_memory_vm_total', functionsVm + lua],
    ['used_memory_vm_total_human', bytesToHuman(functionsVm + lua)],
    ['used_memory_functions', mh.functionsCaches],
    ['used_memory_scripts', mh.functionsCaches + mh.luaCaches],
    ['used_memory_scripts_human', bytesToHuman(mh.functionsCaches + mh.luaCaches)],
    ['maxmemory', maxmemory],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', s.config.get<string>('maxmemory-policy')],
    ['allocator_frag_ratio', cFixed(al.active / al.allocated, 2)],
    ['allocator_frag_bytes', al.active - al.allocated],
    ['allocator_rss_ratio', cFixed(al.resident / al.active, 2)],
    ['allocator_rss_bytes', al.resident - al.active],
    ['rss_overhead_ratio', cFixed(al.rss / al.resident, 2)],
    ['rss_overhead_bytes', al.rss - al.resident],
    ['mem_fragmentation_ratio', cFixed(al.rss / used, 2)],
    ['mem_fragmentation_bytes', al.rss - used],
    ['mem_not_counted_for_evict', mh.aofBuffer + mh.replBacklog],
    ['mem_replication_backlog', mh.replBacklog],
    ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', mh.clientsSlaves],
    ['mem_clients_normal', mh.clientsNormal],
    ['mem_cluster_links', mh.clusterLinks],
    ['mem_aof_buffer', mh.aofBuffer],
    ['mem_allocator', 'libc'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', lazyfreePending(s)],
    ['lazyfreed_objects', s.stats.lazyfreedObjects],
  ];
}

function persistenceFields(s: RedisServer): InfoField[] {
  const rdbChild = s.children.get('rdb');
  const aofChild = s.children.get('aof');
  const nowSec = Math.floor(s.os.now() / 1000);
  return [
    ['loading', s.loading && !s.asyncLoading ? 1 : 0],
    ['async_loading', s.asyncLoading ? 1 : 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', s.dirty],
    ['rdb_bgsave_in_progress', rdbChild ? 1 : 0],
    ['rdb_last_save_time', Math.floor(s.lastSaveTimeMs / 1000)],
    ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1],
    ['rdb_current_bgsave_time_sec', rdbChild ? nowSec - Math.floor(rdbChild.startMs / 1000) : -1],
    ['rdb_saves', 0],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', 0],
    ['rdb_last_load_keys_loaded', 0],
    ['aof_enabled', s.config.get<boolean>('appendonly') ? 1 : 0],
    ['aof_rewrite_in_progress', aofChild ? 1 : 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', aofChild ? nowSec - Math.floor(aofChild.startMs / 1000) : -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
}

function statsFields(s: RedisServer): InfoField[] {
  const st = s.stats;
  const currentEvictionExceededUs = st.evictionExceededSinceUs ? s.os.nowUs() - st.evictionExceededSinceUs : 0;
  const kbps = (m: Parameters<typeof instantaneousMetric>[1]) => cFixed(Math.fround(Math.fround(instantaneousMetric(s, m)) / 1024), 2);
  return [
    ['total_connections_received', st.numConnections],
    ['total_commands_processed', st.numCommands],
    ['instantaneous_ops_per_sec', instantaneousMetric(s, 'command')],
    ['total_net_input_bytes', st.netInputBytes + st.netReplInputBytes],
    ['total_net_output_bytes', st.netOutputBytes + st.netReplOutputBytes],
    ['total_net_repl_input_bytes', st.netReplInputBytes],
    ['total_net_repl_output_bytes', st.netReplOutputBytes],
    ['instantaneous_input_kbps', kbps('netInput')],
    ['instantaneous_output_kbps', kbps('netOutput')],
    ['instantaneous_input_repl_kbps', kbps('netReplInput')],
    ['instantaneous_output_repl_kbps', kbps('netReplOutput')],
    ['rejected_connections', st.rejectedConns],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', st.expiredKeys],
    ['expired_stale_perc', cFixed(st.expiredStalePerc * 100, 2)],
    ['expired_time_cap_reached_count', st.expiredTimeCapReachedCount],
    ['expire_cycle_cpu_milliseconds', Math.floor(st.expireCycleTimeUsedUs / 1000)],
    ['evicted_keys', st.evictedKeys],
    ['evicted_clients', st.evictedClients],
    ['total_eviction_exceeded_time', Math.floor((st.totalEvictionExceededUs + currentEvictionExceededUs) / 1000)],
    ['current_eviction_exceeded_time', Math.floor(currentEvictionExceededUs / 1000)],
    ['keyspace_hits', st.keyspaceHits],
    ['keyspace_misses', st.keyspaceMisses],
    ['pubsub_channels', s.channels.size],
    ['pubsub_patterns', s.patterns.size],
    ['pubsubshard_channels', s.shardChannels.size],
    ['latest_fork_usec', st.latestForkUs],
    ['total_forks', st.totalForks],
    ['migrate_cached_sockets', migrateCachedSockets(s)],
    ['slave_expires_tracked_keys', replicaKeysWithExpireCount(s)],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', s.tracking.keys.size],
    ['tracking_total_items', s.tracking.totalItems],
    ['tracking_total_prefixes', s.tracking.prefixes.size],
    ['unexpected_error_replies', st.unexpectedErrorReplies],
    ['total_error_replies', st.totalErrorReplies],
    ['dump_payload_sanitizations', st.dumpPayloadSanitizations],
    ['total_reads_processed', st.totalReadsProcessed],
    ['total_writes_processed', st.totalWritesProcessed],
    ['io_threaded_reads_processed', st.ioThreadedReads],
    ['io_threaded_writes_processed', st.ioThreadedWrites],
    ['reply_buffer_shrinks', st.replyBufferShrinks],
    ['reply_buffer_expands', st.replyBufferExpands],
  ];
}

function replicationFields(s: RedisServer): InfoField[] {
  const f: InfoField[] = [['role', s.masterHost === null ? 'master' : 'slave']];
  if (s.masterHost !== null) {
    const up = s.replState === 'connected';
    f.push(
      ['master_host', s.masterHost],
      ['master_port', s.masterPort],
      ['master_link_status', up ? 'up' : 'down'],
      ['master_last_io_seconds_ago', -1],
      ['master_sync_in_progress', 0],
      ['slave_read_repl_offset', s.masterReplOffset || 1],
      ['slave_repl_offset', s.masterReplOffset || 1],
    );
    if (!up) f.push(['master_link_down_since_seconds', -1]);
    f.push(
      ['slave_priority', s.config.get<number>('replica-priority')],
      ['slave_read_only', s.config.get<boolean>('replica-read-only') ? 1 : 0],
      ['replica_announced', s.config.get<boolean>('replica-announced') ? 1 : 0],
    );
  }
  let replicas = 0;
  for (const c of s.clients.values()) if (c.isReplica && !c.isMonitor) replicas++;
  f.push(['connected_slaves', replicas]);
  if (s.config.get<number>('min-replicas-to-write') && s.config.get<number>('min-replicas-max-lag')) {
    f.push(['min_slaves_good_slaves', 0]);
  }
  f.push(
    ['master_failover_state', 'no-failover'],
    ['master_replid', s.replId],
    ['master_replid2', s.replId2],
    ['master_repl_offset', s.masterReplOffset],
    ['second_repl_offset', s.secondReplOffset],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', s.config.get<number>('repl-backlog-size')],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  );
  return f;
}

/** getrusage() as the Os tells it; seconds with six decimals ("%ld.%06ld"). */
function cpuFields(s: RedisServer): InfoField[] {
  const u = s.os.cpuUsage?.() ?? { userMs: 0, sysMs: 0, childrenUserMs: 0, childrenSysMs: 0 };
  const sec = (ms: number) => (Math.floor(ms * 1000) / 1e6).toFixed(6);
  return [
    ['used_cpu_sys', sec(u.sysMs)],
    ['used_cpu_user', sec(u.userMs)],
    ['used_cpu_sys_children', sec(u.childrenSysMs)],
    ['used_cpu_user_children', sec(u.childrenUserMs)],
    // No I/O threads: the main thread is the process.
    ['used_cpu_sys_main_thread', sec(u.sysMs)],
    ['used_cpu_user_main_thread', sec(u.userMs)],
  ];
}

function commandstatsFields(s: RedisServer): InfoField[] {
  const f: InfoField[] = [];
  for (const c of s.table.walk()) {
    const st = c.stats;
    if (!st || !(st.calls || st.failedCalls || st.rejectedCalls)) continue;
    const perCall = st.calls === 0 ? 0 : Math.fround(Math.fround(st.usec) / Math.fround(st.calls));
    f.push([`cmdstat_${safe(c.fullname!)}`,
      `calls=${st.calls},usec=${Math.floor(st.usec)},usec_per_call=${cFixed(perCall, 2)},rejected_calls=${st.rejectedCalls},failed_calls=${st.failedCalls}`]);
  }
  return f;
}

function errorstatsFields(s: RedisServer): InfoField[] {
  // A radix tree iterates keys in byte order.
  const names = [...s.errorStats.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((n) => [`errorstat_${safe(n)}`, `count=${s.errorStats.get(n)}`] as InfoField);
}

function latencystatsFields(s: RedisServer): InfoField[] {
  if (!s.config.get<boolean>('latency-tracking')) return [];
  const pcts = s.config.get<number[]>('latency-tracking-info-percentiles');
  const f: InfoField[] = [];
  for (const c of s.table.walk()) {
    const h = commandHistogram(s, c);
    if (!h) continue;
    const parts = pcts.map((p) => `p${fmtTrimmedDouble(p)}=${cFixed(h.valueAtPercentile(p) / Math.fround(1000), 3)}`);
    f.push([`latency_percentiles_usec_${safe(c.fullname!)}`, parts.join(',')]);
  }
  return f;
}

function keyspaceFields(s: RedisServer): InfoField[] {
  const f: InfoField[] = [];
  for (const db of s.dbs) {
    const keys = db.dict.size, vkeys = db.volatile.size;
    if (keys || vkeys) f.push([`db${db.id}`, `keys=${keys},expires=${vkeys},avg_ttl=${Math.floor(db.avgTtl)}`]);
  }
  return f;
}

function coreFields(s: RedisServer, key: string): InfoField[] {
  switch (key) {
    case 'server': return serverFields(s);
    case 'clients': return clientsFields(s);
    case 'memory': return memoryFields(s);
    case 'persistence': return persistenceFields(s);
    case 'stats': return statsFields(s);
    case 'replication': return replicationFields(s);
    case 'cpu': return cpuFields(s);
    case 'modules': return [];
    case 'commandstats': return commandstatsFields(s);
    case 'errorstats': return errorstatsFields(s);
    case 'latencystats': return latencystatsFields(s);
    case 'cluster': return [['cluster_enabled', s.clusterEnabled() ? 1 : 0]];
    case 'keyspace': return keyspaceFields(s);
    default: return [];
  }
}

const CORE_KEYS = new Set(CORE_ORDER.map((x) => x.key));

/**
 * The INFO text for `args` (the arguments after INFO). Also used by the UI's inspector and
 * lesson checks through `info(...)`.
 */
export function genInfoString(s: RedisServer, args: string[]): string {
  let all = false, everything = false;
  const wanted = new Set<string>();
  if (args.length === 0) {
    for (const d of DEFAULT_SECTIONS) wanted.add(d);
  } else {
    for (const a of args) {
      const l = a.toLowerCase();
      if (l === 'default') for (const d of DEFAULT_SECTIONS) wanted.add(d);
      else if (l === 'all') all = true;
      else if (l === 'everything') { everything = true; all = true; }
      else wanted.add(l);
    }
  }
  const out: string[] = [];
  const render = (title: string, fields: InfoField[]) => {
    let text = `# ${title}\r\n`;
    for (const [k, v] of fields) text += `${k}:${v}\r\n`;
    out.push(text);
  };
  for (const sec of CORE_ORDER) {
    if (!all && !sec.names.some((n) => wanted.has(n))) continue;
    let fields = coreFields(s, sec.key);
    const provider = s.hooks.info.get(sec.key);
    if (provider) fields = provider.fields(fields);
    render(sec.title, fields);
  }
  // Sections contributed by subsystems under their own names (like module sections).
  for (const [name, provider] of s.hooks.info) {
    if (CORE_KEYS.has(name)) continue;
    if (!everything && !wanted.has(name)) continue;
    render(provider.title ?? name.charAt(0).toUpperCase() + name.slice(1), provider.fields([]));
  }
  return out.join('\r\n');
}

function info(c: Client, argv: string[]): void {
  const text = genInfoString(c.server, argv.slice(1));
  c.replyVerbatim(text, 'txt');
}

export const infoCommands: CommandSpec[] = [
  cmd('info', -1, ['loading', 'stale'], [0, 0, 0], {
    group: 'server', acl: ['@dangerous'], since: '1.0.0', summary: 'Report information and statistics about the server.',
    complexity: 'O(1)', tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
    args: [{ name: 'section', type: 'string', optional: true, multiple: true }],
  }, info, { history: [['7.0.0', 'Added support for taking multiple section arguments.']] }),
];
