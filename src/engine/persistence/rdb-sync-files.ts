/**
 * rdb-del-sync-files: an instance with no persistence (no save points, AOF off) that had
 * to write dump.rdb only to feed replicas deletes that file once no replica needs it, so a
 * "persistence-less" master does not leave a stale snapshot behind (replication.c).
 * The replication module calls these two functions.
 */
import type { RedisServer } from '../server/server';
import type { SavePoint } from '../config/params';
import { persistenceOf } from './state';

/** After a BGSAVE to disk for replicas started (RDBGeneratedByReplication = 1). */
export function noteRdbGeneratedForReplicas(server: RedisServer): void {
  if (server.config.get<boolean>('rdb-del-sync-files')) persistenceOf(server).rdbGeneratedByReplication = true;
}

/** allPersistenceDisabled(). */
export function allPersistenceDisabled(server: RedisServer): boolean {
  return server.config.get<SavePoint[]>('save').length === 0 && persistenceOf(server).aofState === 'off';
}

/**
 * removeRDBUsedToSyncReplicas, from replicationCron: `replicasWaiting` is true while a replica
 * is still waiting for or receiving the RDB.
 */
export function removeRdbUsedToSyncReplicas(server: RedisServer, replicasWaiting: boolean): void {
  const st = persistenceOf(server);
  if (!server.config.get<boolean>('rdb-del-sync-files')) {
    st.rdbGeneratedByReplication = false;
    return;
  }
  if (!allPersistenceDisabled(server) || !st.rdbGeneratedByReplication || replicasWaiting) return;
  const file = server.config.get<string>('dbfilename');
  if (!server.os.fs.existsSync(file)) return;
  st.rdbGeneratedByReplication = false;
  server.log.notice('Removing the RDB file used to feed replicas in a persistence-less instance');
  try { server.os.fs.unlink(file); } catch { /* already gone */ }
}
