/**
 * Replication wired into a server (`attachReplication`, called by createServer) and its
 * public API (`replicationOf(server)`), for the commands, the UI and Cluster.
 *
 * Hooks it registers:
 * - propagate: every write of a top-level master goes into the replication stream;
 * - masterStreamApplied (dispatch.ts): the master client's commands advance the replica's
 *   offset and are proxied to its own replicas;
 * - beforeSleep: WAIT bookkeeping, REPLCONF GETACK, the failover check, the replicas' output;
 * - cron: replicationCron; clientClosed: losing the master or a replica;
 * - INFO replication/stats (and rdb_bgsave_in_progress during a diskless transfer);
 * - guards.goodReplicas: min-replicas-to-write;
 * - persistence: the repl-* AUX fields of RDB files, and PSYNC after a restart from them;
 * - DEBUG CHANGE-REPL-ID / REPLICATE; ROLE, WAIT, FAILOVER through replicationCommandHooks.
 */
import type { RedisServer } from '../server/server';
import type { Client } from '../server/client';
import type { InfoField } from '../server/info-provider';
import { setInfoField } from '../server/info-provider';
import { replState, replicaInfo, isReplicaClient, unixtime, type ReplicationState } from './state';
import {
  replicationFeedSlaves, writeToReplicas, watchRdbChild, replicaDisconnected, goodReplicasStatus, refreshGoodSlavesCount,
  resizeReplicationBacklog, changeReplicationId, clearReplicationId2, createReplicationBacklog, freeReplicationBacklog,
  replicaName,
} from './master';
import { TRIM_BLOCKS_PER_CALL } from './backlog';
import { ReplicaSide } from './replica';
import { replicaLinkMachine, type LinkStateName } from './link-machine';
import { setMaster, unsetMaster } from './role-change';
import { serverCronReplication, firstReplicationCron, replicationQuietUntil } from './cron';
import { prepareShutdown, shutdownCron, shutdownQuietUntil, abortShutdownWait, replicasAtShutdown } from './shutdown';
import { replicationInfoFields, statsInfoFields, memoryInfoFields, roleCommand, replicaAppliedOffset } from './info';
import { waitCommand, processClientsWaitingReplicas, sendGetackIfRequested } from './wait';
import { failoverCommand, abortFailover, updateFailoverStatus, registerFailoverLinkHooks } from './failover';
import { persistenceOf } from '../persistence/state';
import { replicationCommandHooks } from '../commands/server-admin';
import { debugHooks } from '../commands/debug';

/** The public face of a server's replication. */
export interface Replication {
  /** The link machine's definition (states and transitions), for drawing. */
  readonly linkMachine: typeof replicaLinkMachine;
  /** The link's live state ('none' on a master). */
  linkState(): LinkStateName;
  /** Called on every link state change. Returns an unsubscribe function. */
  onLinkChange(cb: (state: LinkStateName) => void): () => void;
  /** REPLICAOF host port (CLUSTER REPLICATE uses this too). */
  setMaster(host: string, port: number): void;
  /** REPLICAOF NO ONE. */
  unsetMaster(): void;
  /** master_repl_offset. */
  masterReplOffset(): number;
  /** slave_repl_offset: what this replica applied (1 when it never had a master). */
  replicaOffset(): number;
  /** The replicas as INFO lists them. */
  replicas(): { id: number; name: string; ip: string; port: number; state: string; ackOffset: number }[];
  readonly state: ReplicationState;
  /** The replica side (link internals, for tests). */
  readonly replica: ReplicaSide;
}

const attached = new WeakMap<RedisServer, Replication>();

export function replicationOf(server: RedisServer): Replication {
  const r = attached.get(server);
  if (!r) throw new Error('replication is not attached to this server');
  return r;
}

/** The server's replication, or null when it has none (a sentinel): for observers. */
export function attachedReplication(server: RedisServer): Replication | null {
  return attached.get(server) ?? null;
}

/** The RDB aux fields for replication (rdbPopulateSaveInfo), or null when not in a chain. */
function saveInfo(server: RedisServer) {
  const st = replState(server);
  let db: number;
  if (server.masterHost === null && st.backlog) db = st.slaveSelDb === -1 ? 0 : st.slaveSelDb;
  else if (st.master?.client) db = st.master.client.db.id;
  else if (st.cachedMaster) db = st.cachedMaster.dbId;
  else return null;
  return { replStreamDb: db, replId: server.replId, replOffset: server.masterReplOffset };
}

export function attachReplication(server: RedisServer): Replication {
  const st = replState(server);
  // initServer: no replicas since now. From 0, a cluster replica restarted from its RDB (a
  // master until the cluster cron makes it a replica) freed its backlog at once as "3600
  // seconds without connected replicas", and that changed its replid, so no PSYNC.
  st.noSlavesSinceSec = unixtime(server);
  const replica = new ReplicaSide(server);
  st.callbacks.unsetMaster = () => unsetMaster(server, replica);
  registerFailoverLinkHooks(server, replica);

  server.hooks.propagate.push((op) => {
    if ((op as { target?: string }).target === 'aof') return;
    replicationFeedSlaves(server, op.dbId, op.argv);
    const c = server.currentClient;
    if (c) c.repl.woff = server.masterReplOffset;
  });
  server.masterStreamApplied = (c) => replica.streamApplied(c);
  server.hooks.beforeSleep.push(() => {
    watchRdbChild(server);
    if (st.waitingAcks.length) processClientsWaitingReplicas(server);
    sendGetackIfRequested(server);
    updateFailoverStatus(server, replica);
    // A replica must never get replies: one that asked for something is closed.
    for (const c of st.replicas) {
      if (c.out.len > 0 && !c.closeAsap) {
        server.log.warning(`Replica generated a reply to command '${c.lastCmd?.fullname ?? '<unknown>'}', disconnecting it: ${server.clientInfoString(c)}`);
        c.out.clear();
        c.closeAsap = true;
        server.markPendingWrite(c);
      }
    }
    writeToReplicas(server);
    if (st.backlog) st.backlog.trim(10 * TRIM_BLOCKS_PER_CALL, server.masterReplOffset);
  });
  server.hooks.cron.push({ run: () => serverCronReplication(server, replica), quietUntil: (tick) => replicationQuietUntil(server, tick) });
  server.hooks.clientClosed.push((c: Client) => {
    if (c.isMaster && replica.masterClientClosed(c)) return;
    if (isReplicaClient(c)) replicaDisconnected(server, c);
  });
  server.hooks.info.set('replication', { fields: () => replicationInfoFields(server) });
  server.hooks.info.set('stats', { fields: (d) => statsInfoFields(server, d) });
  server.hooks.info.set('memory', { fields: (d) => memoryInfoFields(server, d) });
  // A diskless transfer is an RDB child too (rdb_bgsave_in_progress).
  const persistenceInfo = server.hooks.info.get('persistence');
  if (persistenceInfo) {
    server.hooks.info.set('persistence', {
      fields: (d: InfoField[]) => {
        const f = persistenceInfo.fields(d);
        if (st.socketTransfer) {
          setInfoField(f, 'rdb_bgsave_in_progress', 1);
          setInfoField(f, 'rdb_current_bgsave_time_sec', unixtime(server) - persistenceOf(server).rdbSaveTimeStart);
        }
        return f;
      },
    });
  }
  // finishShutdown(): report the replicas that did not acknowledge everything, stop a
  // diskless transfer, and push what they are owed before the sockets close.
  server.hooks.shutdown.unshift(() => {
    replicasAtShutdown(server);
    return null;
  });
  server.shutdownPrepare = (opts, start) => prepareShutdown(server, opts, start);
  server.shutdownAbort = () => abortShutdownWait(server);
  server.hooks.cron.push({ run: () => shutdownCron(server), quietUntil: (tick) => shutdownQuietUntil(server, tick) });
  server.hooks.resetStats.push(() => { st.statSyncFull = 0; st.statSyncPartialOk = 0; st.statSyncPartialErr = 0; });
  server.guards.goodReplicas = () => goodReplicasStatus(server);

  const pst = persistenceOf(server);
  pst.replInfo = () => saveInfo(server);
  pst.killSocketRdbChild = () => st.socketTransfer?.child.kill('SIGUSR1');
  const loadHook = server.loadDataFromDiskHook;
  if (loadHook) {
    server.loadDataFromDiskHook = async () => {
      // loadDataFromDisk: a master loading an RDB (not an AOF) gets a backlog first, for the
      // DELs of the keys it finds expired.
      const feed = server.masterHost === null && !server.config.get<boolean>('appendonly');
      if (feed) {
        createReplicationBacklog(server);
        pst.feedExpiredAtLoad = (dbId, key) =>
          replicationFeedSlaves(server, dbId, [server.config.get<boolean>('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
      }
      try {
        await loadHook();
      } finally {
        pst.feedExpiredAtLoad = null;
      }
      restoreReplInfoAfterLoad(server, replica);
      firstReplicationCron(server, replica);
    };
  }

  const dh = debugHooks(server);
  dh.changeReplId = () => { changeReplicationId(server); clearReplicationId2(server); };
  dh.replicate = (argv) => replicationFeedSlaves(server, st.slaveSelDb, argv);

  const rh = replicationCommandHooks(server);
  rh.role = (c) => { roleCommand(server, replica, c); return true; };
  rh.wait = (c, n, timeoutMs) => { waitCommand(server, c, n, timeoutMs); return true; };
  rh.failover = (c, opts) => { failoverCommand(server, c, opts); return true; };
  rh.failoverAbort = (c) => {
    if (st.failoverState === 'no-failover') return false;
    abortFailover(server, replica, 'Failover manually aborted');
    c.replyOk();
    return true;
  };

  server.config.onApply('repl-backlog-size', () => { resizeReplicationBacklog(server); return null; });
  server.config.onApply('min-replicas-to-write', () => { refreshGoodSlavesCount(server); return null; });
  server.config.onApply('min-replicas-max-lag', () => { refreshGoodSlavesCount(server); return null; });

  // `replicaof` in the config file: connect at the first replicationCron tick.
  if (server.masterHost !== null) replica.send({ type: 'CONFIGURED' });

  const api: Replication = {
    linkMachine: replicaLinkMachine,
    linkState: () => replica.state(),
    onLinkChange: (cb) => replica.onChange(cb),
    setMaster: (host, port) => setMaster(server, replica, host, port),
    unsetMaster: () => unsetMaster(server, replica),
    masterReplOffset: () => server.masterReplOffset,
    replicaOffset: () => replicaAppliedOffset(server).applied,
    replicas: () => st.replicas.map((c) => {
      const r = replicaInfo(c);
      return { id: c.id, name: replicaName(c), ip: r.announcedIp ?? c.addr.slice(0, c.addr.lastIndexOf(':')), port: r.listeningPort ?? 0, state: r.state ?? '', ackOffset: r.ackOff ?? 0 };
    }),
    state: st,
    replica,
  };
  attached.set(server, api);
  return api;
}

/**
 * loadDataFromDisk's replication part: an RDB with repl-id/repl-offset lets a restarted
 * replica PSYNC with its master (a cached master from those values), and a restarted master
 * accept PSYNCs from its replicas (the old ID becomes master_replid2, the offset continues).
 */
function restoreReplInfoAfterLoad(server: RedisServer, replica: ReplicaSide): void {
  const pst = persistenceOf(server);
  const st = replState(server);
  const info = pst.loadedReplInfo;
  if (pst.aofState !== 'off') return;
  const valid = !!info && info.replId !== undefined && info.replOffset !== undefined && info.replOffset !== -1 &&
    info.replStreamDb !== undefined && info.replStreamDb !== -1;
  // Without replication info (or without an RDB) no PSYNC is possible: the backlog goes.
  if (!valid || !info) {
    if (server.iAmMaster() && st.backlog) freeReplicationBacklog(server);
    return;
  }
  if (!server.iAmMaster()) {
    server.replId = info.replId!;
    server.masterReplOffset = info.replOffset!;
    replica.cacheMasterUsingMyself();
    st.cachedMaster!.dbId = info.replStreamDb!;
  } else {
    if (!st.backlog) createReplicationBacklog(server);
    server.replId2 = info.replId!;
    server.secondReplOffset = info.replOffset! + 1;
    // The offset continues from the RDB's, after the DELs fed while loading.
    server.masterReplOffset += info.replOffset!;
    st.backlog!.rebase(info.replOffset!);
    st.noSlavesSinceSec = unixtime(server);
  }
}

