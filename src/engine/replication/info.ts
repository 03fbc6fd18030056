/**
 * What replication shows: the `# Replication` section of INFO (genRedisInfoString in
 * server.c, field for field and in order for both roles), the sync_* fields of `# Stats`, and
 * ROLE.
 */
import type { Client } from '../server/client';
import type { RedisServer } from '../server/server';
import type { InfoField } from '../server/info-provider';
import { setInfoField } from '../server/info-provider';
import { replState, replicaInfo, unixtime } from './state';
import { peerIp, replicaStateString } from './master';
import { isHandshakeState } from './link-machine';
import type { ReplicaSide } from './replica';

/** `slave_repl_offset`: what we applied from our master (or our cached master), else 1. */
export function replicaAppliedOffset(server: RedisServer): { applied: number; read: number } {
  const st = replState(server);
  const link = st.master ?? st.cachedMaster;
  if (!link) return { applied: 1, read: 1 };
  return { applied: link.reploff, read: link.readReploff };
}

export function replicationInfoFields(server: RedisServer): InfoField[] {
  const st = replState(server);
  const f: InfoField[] = [['role', server.masterHost === null ? 'master' : 'slave']];
  const now = unixtime(server);
  if (server.masterHost !== null) {
    const { applied, read } = replicaAppliedOffset(server);
    const connected = server.replState === 'connected';
    const master = st.master?.client ?? null;
    const transfer = server.replState === 'transfer';
    f.push(
      ['master_host', server.masterHost],
      ['master_port', server.masterPort],
      ['master_link_status', connected ? 'up' : 'down'],
      ['master_last_io_seconds_ago', master ? now - Math.floor(master.lastInteractionMs / 1000) : -1],
      ['master_sync_in_progress', transfer ? 1 : 0],
      ['slave_read_repl_offset', read],
      ['slave_repl_offset', applied],
    );
    if (transfer) {
      const t = st.transfer;
      const size = t ? t.size : -1;
      const got = t ? t.read : 0;
      const perc = size ? (got / size) * 100 : 0;
      f.push(
        ['master_sync_total_bytes', size],
        ['master_sync_read_bytes', got],
        ['master_sync_left_bytes', size - got],
        ['master_sync_perc', perc.toFixed(2)],
        ['master_sync_last_io_seconds_ago', now - Math.floor(st.transferLastIoMs / 1000)],
      );
    }
    if (!connected) f.push(['master_link_down_since_seconds', st.downSinceSec ? now - st.downSinceSec : -1]);
    f.push(
      ['slave_priority', server.config.get<number>('replica-priority')],
      ['slave_read_only', server.config.get<boolean>('replica-read-only') ? 1 : 0],
      ['replica_announced', server.config.get<boolean>('replica-announced') ? 1 : 0],
    );
  }
  f.push(['connected_slaves', st.replicas.length]);
  if (server.config.get<number>('min-replicas-to-write') && server.config.get<number>('min-replicas-max-lag')) {
    f.push(['min_slaves_good_slaves', st.goodSlavesCount]);
  }
  let id = 0;
  for (const c of st.replicas) {
    const r = replicaInfo(c);
    const ip = r.announcedIp ?? peerIp(c);
    const state = replicaStateString(r);
    if (!ip || state === '') continue;
    const lag = r.state === 'online' ? now - Math.floor((r.ackTimeMs ?? 0) / 1000) : 0;
    f.push([`slave${id}`, `ip=${ip},port=${r.listeningPort ?? 0},state=${state},offset=${r.ackOff ?? 0},lag=${lag}`]);
    id++;
  }
  const b = st.backlog;
  f.push(
    ['master_failover_state', st.failoverState],
    ['master_replid', server.replId],
    ['master_replid2', server.replId2],
    ['master_repl_offset', server.masterReplOffset],
    ['second_repl_offset', server.secondReplOffset],
    ['repl_backlog_active', b ? 1 : 0],
    ['repl_backlog_size', server.config.get<number>('repl-backlog-size')],
    ['repl_backlog_first_byte_offset', b ? b.backlogOffset : 0],
    ['repl_backlog_histlen', b ? b.histlen : 0],
  );
  return f;
}

/** INFO stats: sync_full, sync_partial_ok, sync_partial_err. */
export function statsInfoFields(server: RedisServer, defaults: InfoField[]): InfoField[] {
  const st = replState(server);
  setInfoField(defaults, 'sync_full', st.statSyncFull);
  setInfoField(defaults, 'sync_partial_ok', st.statSyncPartialOk);
  setInfoField(defaults, 'sync_partial_err', st.statSyncPartialErr);
  return defaults;
}

/** ROLE. */
export function roleCommand(server: RedisServer, replica: ReplicaSide, c: Client): void {
  const st = replState(server);
  if (server.masterHost === null) {
    const online = st.replicas.filter((r) => replicaInfo(r).state === 'online');
    c.replyArrayLen(3);
    c.replyBulk('master');
    c.replyInt(server.masterReplOffset);
    c.replyArrayLen(online.length);
    for (const r of online) {
      const info = replicaInfo(r);
      c.replyArrayLen(3);
      c.replyBulk(info.announcedIp ?? peerIp(r));
      c.replyBulk(String(info.listeningPort ?? 0));
      c.replyBulk(String(info.ackOff ?? 0));
    }
    return;
  }
  const name = replica.state();
  let state: string;
  if (isHandshakeState(name)) state = 'handshake';
  else if (name === 'transfer' || name === 'loading') state = 'sync';
  else if (name === 'none' || name === 'connect' || name === 'connecting' || name === 'connected') state = name;
  else state = 'unknown';
  c.replyArrayLen(5);
  c.replyBulk('slave');
  c.replyBulk(server.masterHost);
  c.replyInt(server.masterPort);
  c.replyBulk(state);
  c.replyInt(st.master ? st.master.reploff : -1);
}

/**
 * INFO memory: the shared replication buffer (repl_buffer_mem) and its split between the
 * backlog and the replicas (getMemoryOverheadData): beyond repl-backlog-size, buffer memory
 * counts as the replicas'. The backlog's block index adds its root node (4 bytes).
 */
export function memoryInfoFields(server: RedisServer, defaults: InfoField[]): InfoField[] {
  const st = replState(server);
  const mem = st.backlog ? st.backlog.memBytes : 0;
  const size = server.config.get<number>('repl-backlog-size');
  let backlog = mem, slaves = 0;
  if (st.replicas.length && mem > size) { slaves = mem - size; backlog = size; }
  if (st.backlog) backlog += 4;
  setInfoField(defaults, 'mem_replication_backlog', backlog);
  setInfoField(defaults, 'mem_total_replication_buffers', mem);
  const f = defaults.find((x) => x[0] === 'mem_clients_slaves');
  if (f) f[1] = Number(f[1]) + slaves;
  return defaults;
}
