/**
 * The INFO fields of Redis 7.0.15 by section, with the type a check sees: N (a number) or
 * S (text). Collected from `INFO everything` of real redis-server 7.0.15 instances (a master
 * with a replica, a replica, a cluster node, a sentinel) plus the fields server.c prints only
 * in some states (loading, a sync in progress, min-replicas-to-write, shutdown).
 *
 * Fields whose names carry an index or a name (`slave0`, `db0`, `master0` in a sentinel,
 * `cmdstat_set`, `errorstat_ERR`) hold `key=value,...` lists and are records in checks:
 * `info("10.0.0.1:6379", "replication").slave0.state == "online"`.
 */

export type InfoFieldType = 'N' | 'S';
const N: InfoFieldType = 'N';
const S: InfoFieldType = 'S';

export const INFO_SECTIONS: Readonly<Record<string, Readonly<Record<string, InfoFieldType>>>> = {
  server: {
    redis_version: S, redis_git_sha1: S, redis_git_dirty: N, redis_build_id: S, redis_mode: S,
    os: S, arch_bits: N, monotonic_clock: S, multiplexing_api: S, atomicvar_api: S, gcc_version: S,
    process_id: N, process_supervised: S, run_id: S, tcp_port: N, server_time_usec: N,
    uptime_in_seconds: N, uptime_in_days: N, hz: N, configured_hz: N, lru_clock: N, executable: S,
    config_file: S, io_threads_active: N, shutdown_in_milliseconds: N,
  },
  clients: {
    connected_clients: N, cluster_connections: N, maxclients: N, client_recent_max_input_buffer: N,
    client_recent_max_output_buffer: N, blocked_clients: N, tracking_clients: N,
    clients_in_timeout_table: N,
  },
  memory: {
    used_memory: N, used_memory_human: S, used_memory_rss: N, used_memory_rss_human: S,
    used_memory_peak: N, used_memory_peak_human: S, used_memory_peak_perc: S,
    used_memory_overhead: N, used_memory_startup: N, used_memory_dataset: N,
    used_memory_dataset_perc: S, allocator_allocated: N, allocator_active: N, allocator_resident: N,
    total_system_memory: N, total_system_memory_human: S, used_memory_lua: N,
    used_memory_vm_eval: N, used_memory_lua_human: S, used_memory_scripts_eval: N,
    number_of_cached_scripts: N, number_of_functions: N, number_of_libraries: N,
    used_memory_vm_functions: N, used_memory_vm_total: N, used_memory_vm_total_human: S,
    used_memory_functions: N, used_memory_scripts: N, used_memory_scripts_human: S, maxmemory: N,
    maxmemory_human: S, maxmemory_policy: S, allocator_frag_ratio: N, allocator_frag_bytes: N,
    allocator_rss_ratio: N, allocator_rss_bytes: N, rss_overhead_ratio: N, rss_overhead_bytes: N,
    mem_fragmentation_ratio: N, mem_fragmentation_bytes: N, mem_not_counted_for_evict: N,
    mem_replication_backlog: N, mem_total_replication_buffers: N, mem_clients_slaves: N,
    mem_clients_normal: N, mem_cluster_links: N, mem_aof_buffer: N, mem_allocator: S,
    active_defrag_running: N, lazyfree_pending_objects: N, lazyfreed_objects: N,
  },
  persistence: {
    loading: N, async_loading: N, current_cow_peak: N, current_cow_size: N, current_cow_size_age: N,
    current_fork_perc: N, current_save_keys_processed: N, current_save_keys_total: N,
    rdb_changes_since_last_save: N, rdb_bgsave_in_progress: N, rdb_last_save_time: N,
    rdb_last_bgsave_status: S, rdb_last_bgsave_time_sec: N, rdb_current_bgsave_time_sec: N,
    rdb_saves: N, rdb_last_cow_size: N, rdb_last_load_keys_expired: N, rdb_last_load_keys_loaded: N,
    aof_enabled: N, aof_rewrite_in_progress: N, aof_rewrite_scheduled: N,
    aof_last_rewrite_time_sec: N, aof_current_rewrite_time_sec: N, aof_last_bgrewrite_status: S,
    aof_rewrites: N, aof_rewrites_consecutive_failures: N, aof_last_write_status: S,
    aof_last_cow_size: N, module_fork_in_progress: N, module_fork_last_cow_size: N,
    aof_current_size: N, aof_base_size: N, aof_pending_rewrite: N, aof_buffer_length: N,
    aof_pending_bio_fsync: N, aof_delayed_fsync: N, loading_start_time: N, loading_total_bytes: N,
    loading_rdb_used_mem: N, loading_loaded_bytes: N, loading_loaded_perc: N,
    loading_eta_seconds: N,
  },
  stats: {
    total_connections_received: N, total_commands_processed: N, instantaneous_ops_per_sec: N,
    total_net_input_bytes: N, total_net_output_bytes: N, total_net_repl_input_bytes: N,
    total_net_repl_output_bytes: N, instantaneous_input_kbps: N, instantaneous_output_kbps: N,
    instantaneous_input_repl_kbps: N, instantaneous_output_repl_kbps: N, rejected_connections: N,
    sync_full: N, sync_partial_ok: N, sync_partial_err: N, expired_keys: N, expired_stale_perc: N,
    expired_time_cap_reached_count: N, expire_cycle_cpu_milliseconds: N, evicted_keys: N,
    evicted_clients: N, total_eviction_exceeded_time: N, current_eviction_exceeded_time: N,
    keyspace_hits: N, keyspace_misses: N, pubsub_channels: N, pubsub_patterns: N,
    pubsubshard_channels: N, latest_fork_usec: N, total_forks: N, migrate_cached_sockets: N,
    slave_expires_tracked_keys: N, active_defrag_hits: N, active_defrag_misses: N,
    active_defrag_key_hits: N, active_defrag_key_misses: N, total_active_defrag_time: N,
    current_active_defrag_time: N, tracking_total_keys: N, tracking_total_items: N,
    tracking_total_prefixes: N, unexpected_error_replies: N, total_error_replies: N,
    dump_payload_sanitizations: N, total_reads_processed: N, total_writes_processed: N,
    io_threaded_reads_processed: N, io_threaded_writes_processed: N, reply_buffer_shrinks: N,
    reply_buffer_expands: N,
  },
  replication: {
    role: S, connected_slaves: N, master_failover_state: S, master_replid: S, master_replid2: S,
    master_repl_offset: N, second_repl_offset: N, repl_backlog_active: N, repl_backlog_size: N,
    repl_backlog_first_byte_offset: N, repl_backlog_histlen: N, master_host: S, master_port: N,
    master_link_status: S, master_last_io_seconds_ago: N, master_sync_in_progress: N,
    slave_read_repl_offset: N, slave_repl_offset: N, master_link_down_since_seconds: N,
    slave_priority: N, slave_read_only: N, replica_announced: N, master_sync_total_bytes: N,
    master_sync_read_bytes: N, master_sync_left_bytes: N, master_sync_perc: N,
    master_sync_last_io_seconds_ago: N, min_slaves_good_slaves: N,
  },
  cpu: {
    used_cpu_sys: N, used_cpu_user: N, used_cpu_sys_children: N, used_cpu_user_children: N,
    used_cpu_sys_main_thread: N, used_cpu_user_main_thread: N,
  },
  modules: {},
  commandstats: {},
  errorstats: {},
  latencystats: {},
  cluster: {
    cluster_enabled: N,
  },
  keyspace: {},
  sentinel: {
    sentinel_masters: N, sentinel_tilt: N, sentinel_tilt_since_seconds: N,
    sentinel_running_scripts: N, sentinel_scripts_queue_length: N,
    sentinel_simulate_failure_flags: N,
  },
};

/** A `key=value,...` field: which section, its name pattern, and the types of its keys. */
export interface InfoListField {
  section: string;
  pattern: RegExp;
  /** Example name for messages. */
  example: string;
  keys: Readonly<Record<string, InfoFieldType>>;
  /** Values some text keys can take, for type errors on impossible comparisons. */
  oneOf?: Readonly<Record<string, readonly string[]>>;
}

export const INFO_LIST_FIELDS: readonly InfoListField[] = [
  {
    section: 'replication',
    pattern: /^slave\d+$/,
    example: 'slave0',
    keys: { ip: S, port: N, state: S, offset: N, lag: N },
    oneOf: { state: ['wait_bgsave', 'send_bulk', 'online'] },
  },
  { section: 'keyspace', pattern: /^db\d+$/, example: 'db0', keys: { keys: N, expires: N, avg_ttl: N } },
  {
    section: 'sentinel',
    pattern: /^master\d+$/,
    example: 'master0',
    keys: { name: S, status: S, address: S, slaves: N, sentinels: N },
    oneOf: { status: ['ok', 'sdown', 'odown'] },
  },
  {
    section: 'commandstats',
    pattern: /^cmdstat_[a-z|_-]+$/,
    example: 'cmdstat_set',
    keys: { calls: N, usec: N, usec_per_call: N, rejected_calls: N, failed_calls: N },
  },
  { section: 'errorstats', pattern: /^errorstat_[A-Z_-]+$/, example: 'errorstat_ERR', keys: { count: N } },
];

/** Text fields with a fixed set of values. */
export const INFO_ONE_OF: Readonly<Record<string, readonly string[]>> = {
  role: ['master', 'slave'],
  master_link_status: ['up', 'down'],
  rdb_last_bgsave_status: ['ok', 'err'],
  aof_last_bgrewrite_status: ['ok', 'err'],
  aof_last_write_status: ['ok', 'err'],
  redis_mode: ['standalone', 'sentinel', 'cluster'],
  master_failover_state: ['no-failover', 'waiting-for-sync', 'failover-in-progress'],
};

export const INFO_SECTION_NAMES: readonly string[] = Object.keys(INFO_SECTIONS);
