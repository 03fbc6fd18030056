/**
 * The `# Persistence` section of INFO, field for field in Redis 7.0.15's order. The
 * aof_* size fields appear only when appendonly is on, the loading_* progress fields only
 * while loading. Copy-on-write sizes follow the parent's writes while a child runs (see
 * noteParentWrites); module forks, which the engine does not have, read as none.
 */
import type { RedisServer } from '../server/server';
import { persistenceOf, reportedCow, unixtime, type ActiveChild } from './state';

/** [name, value] pairs of INFO persistence, in order. */
export function persistenceInfoFields(server: RedisServer): [string, string | number][] {
  const st = persistenceOf(server);
  const now = unixtime(server);
  const child = st.child;
  const rdbChild = child?.type === 'rdb';
  const aofChild = child?.type === 'aof';
  const processed = child ? keysProcessed(child, server.os.now()) : 0;
  // What the child last reported (once a second); it only grows here, so it is its peak too.
  const cow = child && !child.exit ? reportedCow(child, server.os.now()) : null;
  const fields: [string, string | number][] = [
    ['loading', server.loading && !server.asyncLoading ? 1 : 0],
    ['async_loading', server.asyncLoading ? 1 : 0],
    ['current_cow_peak', cow?.bytes ?? 0],
    ['current_cow_size', cow?.bytes ?? 0],
    ['current_cow_size_age', cow ? Math.floor((server.os.now() - cow.atMs) / 1000) : 0],
    ['current_fork_perc', (child && child.keysTotal > 0 ? (processed / child.keysTotal) * 100 : 0).toFixed(2)],
    ['current_save_keys_processed', processed],
    ['current_save_keys_total', child ? child.keysTotal : 0],
    ['rdb_changes_since_last_save', server.dirty],
    ['rdb_bgsave_in_progress', rdbChild ? 1 : 0],
    ['rdb_last_save_time', Math.floor(server.lastSaveTimeMs / 1000)],
    ['rdb_last_bgsave_status', st.lastBgsaveOk ? 'ok' : 'err'],
    ['rdb_last_bgsave_time_sec', st.rdbSaveTimeLast],
    ['rdb_current_bgsave_time_sec', rdbChild ? now - st.rdbSaveTimeStart : -1],
    ['rdb_saves', st.statRdbSaves],
    ['rdb_last_cow_size', st.rdbLastCowBytes],
    ['rdb_last_load_keys_expired', st.rdbLastLoadKeysExpired],
    ['rdb_last_load_keys_loaded', st.rdbLastLoadKeysLoaded],
    ['aof_enabled', st.aofState !== 'off' ? 1 : 0],
    ['aof_rewrite_in_progress', aofChild ? 1 : 0],
    ['aof_rewrite_scheduled', st.aofRewriteScheduled ? 1 : 0],
    ['aof_last_rewrite_time_sec', st.aofRewriteTimeLast],
    ['aof_current_rewrite_time_sec', aofChild ? now - st.aofRewriteTimeStart : -1],
    ['aof_last_bgrewrite_status', st.aofLastBgrewriteOk ? 'ok' : 'err'],
    ['aof_rewrites', st.statAofRewrites],
    ['aof_rewrites_consecutive_failures', st.statAofrwConsecutiveFailures],
    ['aof_last_write_status', st.aofLastWriteOk && st.aofBioFsyncOk ? 'ok' : 'err'],
    ['aof_last_cow_size', st.aofLastCowBytes],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
  if (server.config.get<boolean>('appendonly')) {
    fields.push(
      ['aof_current_size', st.aofCurrentSize],
      ['aof_base_size', st.aofRewriteBaseSize],
      ['aof_pending_rewrite', st.aofRewriteScheduled ? 1 : 0],
      ['aof_buffer_length', st.aofBuf.len],
      ['aof_pending_bio_fsync', st.aofPendingBioFsync],
      ['aof_delayed_fsync', st.aofDelayedFsync],
    );
  }
  if (server.loading) {
    let perc = 0;
    let remaining = 1;
    if (st.loadingTotalBytes) {
      perc = st.loadingLoadedBytes / st.loadingTotalBytes * 100;
      remaining = st.loadingTotalBytes - st.loadingLoadedBytes;
    } else if (st.loadingRdbUsedMem) {
      perc = Math.min(99.99, st.loadingLoadedBytes / st.loadingRdbUsedMem * 100);
      remaining = Math.max(1, st.loadingRdbUsedMem - st.loadingLoadedBytes);
    }
    const elapsed = now - st.loadingStartTime;
    const eta = elapsed === 0 ? 1 : Math.floor(elapsed * remaining / (st.loadingLoadedBytes + 1));
    fields.push(
      ['loading_start_time', st.loadingStartTime],
      ['loading_total_bytes', st.loadingTotalBytes],
      ['loading_rdb_used_mem', st.loadingRdbUsedMem],
      ['loading_loaded_bytes', st.loadingLoadedBytes],
      ['loading_loaded_perc', perc.toFixed(2)],
      ['loading_eta_seconds', eta],
    );
  }
  return fields;
}

/** The section's lines ("name:value"), without the "# Persistence" header. */
export function persistenceInfoLines(server: RedisServer): string[] {
  return persistenceInfoFields(server).map(([k, v]) => `${k}:${v}`);
}

/**
 * current_save_keys_processed: the child tells the parent how many keys it has written, checking
 * every 1024 keys whether a second has passed since its last report (rdbSaveRio's
 * sendChildInfo). The child's work is one stretch of virtual time in the cost model, so its
 * count at a report is its share of that time; the parent sees the last report.
 */
export function keysProcessed(child: ActiveChild, nowMs: number): number {
  if (child.workMs <= 0 || child.keysTotal === 0 || child.exit) return 0;
  const reportedAtMs = Math.floor((nowMs - child.startMs) / 1000) * 1000;
  if (reportedAtMs <= 0) return 0;
  const written = Math.floor(child.keysTotal * Math.min(1, reportedAtMs / child.workMs));
  return written - (written % 1024);
}
