/**
 * The master side of replication (replication.c, "MASTER" half): the replication stream and
 * its backlog, SYNC/PSYNC, full synchronization through an RDB written to disk by a BGSAVE or
 * streamed to the replicas' sockets (diskless), the per-replica states (wait_bgsave,
 * send_bulk, online), ACKs, and the replicas' output.
 *
 * The stream. Every propagated write arrives through `server.hooks.propagate`; it is encoded
 * in RESP and appended to the shared buffer (backlog.ts) piece by piece, like
 * replicationFeedSlaves, with a SELECT whenever the stream's db changes. `master_repl_offset`
 * counts every byte: SELECTs, master PINGs, `REPLCONF GETACK *`. A replica owns a position in
 * that buffer (its next unsent byte). Online replicas are written from there at the end of
 * each event, as much as the socket takes (a kernel send buffer's worth beyond what is in
 * flight); the rest waits in the shared buffer and counts toward the replica's output buffer
 * limit, which is what closes a replica that cannot keep up.
 *
 * Full sync. The replica is answered `+FULLRESYNC <replid> <offset>` when the RDB child
 * starts; from then on its position is pinned at <offset>+1 so the commands that happen
 * during the transfer are kept for it. Disk target: the BGSAVE's dump.rdb is read and sent as
 * `$<len>\r\n<bytes>` in 16 KB writes paced by the socket (send_bulk). Diskless target: the
 * child's output `$EOF:<mark>\r\n<rdb><mark>` is written to every replica of the batch by the
 * parent, paced by the slowest socket; the replica is put online when the child has exited
 * and its stream starts at its first REPLCONF ACK. On the simulated network both take the
 * time the link's bandwidth gives them.
 */
import type { RedisServer } from '../server/server';
import type { Client } from '../server/client';
import type { SavePoint } from '../config/params';
import { ReplBuffer, REPL_BACKLOG_MIN_BYTES, TRIM_BLOCKS_PER_CALL } from './backlog';
import {
  replState, replicaInfo, unixtime, type ReplicaInfo, type ReplicationState, type SocketTransfer,
  REQ_RDB_EXCLUDE_DATA, REQ_RDB_EXCLUDE_FUNCTIONS,
} from './state';
import { randomHex } from '../util/random';
import { strToBytes } from '../bytes';
import { persistenceOf } from '../persistence/state';
import { rdbSaveBackground, killRdbChild } from '../persistence/rdb-save';
import { snapshotRdb, encodeOptions, usedMemory, COST, keySaveDelayMs, totalKeys } from '../persistence/snapshot';
import { childLogger, forkChild } from '../persistence/fork';
import { writeRdbFile } from '../persistence/rdb/file-writer';
import { noteRdbGeneratedForReplicas } from '../persistence/rdb-sync-files';
import { strerror } from '../persistence/errno';
import { signalNumber } from '../util/signals';

/** How much a socket takes beyond what is in flight: the kernel's send buffer. */
export const SOCKET_SEND_BUFFER_BYTES = 1024 * 1024;
/** PROTO_IOBUF_LEN: the RDB is read and written 16 KB at a time. */
const IOBUF_BYTES = 16 * 1024;
/** The shortest wait for more of a slowed child's RDB in the pipe (the parent's event loop's pace). */
const PIPE_POLL_MS = 10;
/** RDB_EOF_MARK_SIZE. */
export const RDB_EOF_MARK_SIZE = 40;

// ---- names and small helpers --------------------------------------------------------------

/** The peer IP of a connection ("ip:port" → ip). */
export function peerIp(c: Client): string {
  const a = c.addr;
  const i = a.lastIndexOf(':');
  return i < 0 ? a : a.slice(0, i);
}

/** anetFormatAddr: IPv6 addresses in brackets. */
function formatAddr(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** replicationGetSlaveName(): "ip:listening-port" for logs. */
export function replicaName(c: Client): string {
  const r = replicaInfo(c);
  const ip = r.announcedIp ?? peerIp(c);
  if (!ip) return `client id #${c.id}`;
  return r.listeningPort ? formatAddr(ip, r.listeningPort) : `${ip}:<unknown-replica-port>`;
}

/** replstateToString(). */
export function replicaStateString(r: ReplicaInfo): string {
  switch (r.state) {
    case 'wait_bgsave_start':
    case 'wait_bgsave_end': return 'wait_bgsave';
    case 'send_bulk': return 'send_bulk';
    case 'online': return 'online';
    default: return '';
  }
}

/** The RESP encoding of a command (what the stream and the backlog carry). */
export function encodeArgv(argv: string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

// ---- replication IDs and the backlog ------------------------------------------------------

/** changeReplicationId(). */
export function changeReplicationId(server: RedisServer): void {
  server.replId = randomHex(server.os, 40);
}

/** clearReplicationId2(). */
export function clearReplicationId2(server: RedisServer): void {
  server.replId2 = '0'.repeat(40);
  server.secondReplOffset = -1;
}

/** shiftReplicationId(): a replica becoming master keeps its history as ID2. */
export function shiftReplicationId(server: RedisServer): void {
  server.replId2 = server.replId;
  server.secondReplOffset = server.masterReplOffset + 1;
  changeReplicationId(server);
  server.log.warning(`Setting secondary replication ID to ${server.replId2}, valid up to offset: ${server.secondReplOffset}. New replication ID is ${server.replId}`);
}

/** The effective backlog size (CONFIG SET clamps it to 16 KB, like resizeReplicationBacklog). */
export function backlogSize(server: RedisServer): number {
  return server.config.get<number>('repl-backlog-size');
}

/** Lowest next-unsent offset among replicas fed from the shared buffer (they pin blocks). */
function lowestReplicaOffset(server: RedisServer, st: ReplicationState): number {
  let low = Infinity;
  for (const c of st.replicas) {
    const r = replicaInfo(c);
    if (!canFeedReplica(r) || r.nextOffset === undefined) continue;
    if (r.nextOffset <= server.masterReplOffset && r.nextOffset < low) low = r.nextOffset;
  }
  return low;
}

/** createReplicationBacklog(). */
export function createReplicationBacklog(server: RedisServer): void {
  const st = replState(server);
  const b = new ReplBuffer(() => backlogSize(server), () => lowestReplicaOffset(server, st));
  b.reset(server.masterReplOffset);
  st.backlog = b;
}

/** freeReplicationBacklog(). */
export function freeReplicationBacklog(server: RedisServer): void {
  replState(server).backlog = null;
}

/** canFeedReplicaReplBuffer(). */
function canFeedReplica(r: ReplicaInfo): boolean {
  return !r.rdbOnly && r.state !== 'wait_bgsave_start';
}

/** feedReplicationBuffer: append to the shared buffer, advancing master_repl_offset. */
export function feedReplicationBuffer(server: RedisServer, s: string): void {
  const st = replState(server);
  const b = st.backlog;
  if (!b || s.length === 0) return;
  const added = b.feed(s, server.masterReplOffset + 1);
  server.masterReplOffset += s.length;
  if (added) {
    // A new block is where Redis checks the replicas' output buffer limits.
    for (const c of [...st.replicas]) {
      const r = replicaInfo(c);
      if (canFeedReplica(r)) closeReplicaOnOutputBufferLimit(server, c);
    }
  }
}

/** SELECT as Redis pre-encodes it (shared.select). */
function selectCommand(dbId: number): string {
  return encodeArgv(['SELECT', String(dbId)]);
}

/**
 * replicationFeedSlaves(): a write of a top-level master, in RESP, with a SELECT first if the
 * stream's db changes. Pieces are fed like Redis feeds them (header, then each bulk's length
 * line, payload and CRLF), which decides where the backlog's blocks are cut.
 */
export function replicationFeedSlaves(server: RedisServer, dbId: number, argv: string[]): void {
  const st = replState(server);
  if (server.masterHost !== null) return;
  if (!st.backlog && st.replicas.length === 0) return;
  if (st.slaveSelDb !== dbId) {
    feedReplicationBuffer(server, selectCommand(dbId));
    st.slaveSelDb = dbId;
  }
  feedReplicationBuffer(server, `*${argv.length}\r\n`);
  for (const a of argv) {
    feedReplicationBuffer(server, `$${a.length}\r\n`);
    feedReplicationBuffer(server, a);
    feedReplicationBuffer(server, '\r\n');
  }
}

/** replicationFeedStreamFromMasterStream(): a replica proxies what it applied. */
export function replicationFeedStreamFromMasterStream(server: RedisServer, raw: string): void {
  if (replState(server).backlog) feedReplicationBuffer(server, raw);
}

// ---- writing to replicas ------------------------------------------------------------------

/**
 * Write what a replica is owed: the rest of its bulk transfer, then the stream from its
 * position, while the socket takes it. Called at the end of every event and when a socket
 * drains.
 */
export function writeToReplica(server: RedisServer, c: Client): void {
  const st = replState(server);
  const s = c.socket;
  if (!s || !server.clients.has(c.id) || c.closeAsap) return;
  const r = replicaInfo(c);
  if (r.state === 'send_bulk' && r.bulk) {
    const bulk = r.bulk;
    while (bulk.sent < bulk.bytes.length && s.pendingBytes() < SOCKET_SEND_BUFFER_BYTES) {
      const chunk = bulk.bytes.subarray(bulk.sent, Math.min(bulk.bytes.length, bulk.sent + IOBUF_BYTES));
      s.write(chunk);
      bulk.sent += chunk.length;
      server.stats.netReplOutputBytes += chunk.length;
    }
    if (bulk.sent < bulk.bytes.length) { armDrain(server, c); return; }
    r.bulk = null;
    if (!replicaPutOnline(server, c)) { server.freeClient(c); return; }
    replicaStartCommandStream(server, c);
  }
  if (r.state !== 'online' || r.startCmdStreamOnAck || r.rdbOnly) return;
  const b = st.backlog;
  if (!b || r.nextOffset === undefined) return;
  while (r.nextOffset <= server.masterReplOffset && s.pendingBytes() < SOCKET_SEND_BUFFER_BYTES) {
    const to = Math.min(server.masterReplOffset, r.nextOffset + 64 * 1024 - 1);
    const bytes = b.read(r.nextOffset, to);
    if (bytes.length === 0) break;
    s.write(bytes);
    r.nextOffset += bytes.length;
    c.netOutput += bytes.length;
    server.stats.netReplOutputBytes += bytes.length;
  }
  if (r.nextOffset <= server.masterReplOffset) armDrain(server, c);
}

function armDrain(server: RedisServer, c: Client): void {
  const s = c.socket;
  if (!s) return;
  s.onDrain = () => server.event(() => {
    if (c.socket) c.socket.onDrain = null;
    writeToReplica(server, c);
  });
}

/** A replica's stream has bytes it has not been sent yet (its socket was full). */
function streamOwed(server: RedisServer, c: Client): boolean {
  const r = replicaInfo(c);
  return r.state === 'online' && !r.startCmdStreamOnAck && r.nextOffset !== undefined && r.nextOffset <= server.masterReplOffset;
}

/** Every replica, at the end of an event (handleClientsWithPendingWrites for replicas). */
export function writeToReplicas(server: RedisServer): void {
  const st = replState(server);
  for (const c of [...st.replicas]) if (streamOwed(server, c)) writeToReplica(server, c);
}

/**
 * Some replica is owed stream bytes its socket could not take: the end of any event may write
 * them, as soon as the socket has room (no tick is quiet meanwhile).
 */
export function replicaStreamOwed(server: RedisServer): boolean {
  for (const c of replState(server).replicas) if (streamOwed(server, c)) return true;
  return false;
}

/** checkClientOutputBufferLimits + closeClientOnOutputBufferLimitReached(async) for a replica. */
export function closeReplicaOnOutputBufferLimit(server: RedisServer, c: Client): boolean {
  const st = replState(server);
  const r = replicaInfo(c);
  if (!c.socket || c.closeAsap || !st.backlog || r.nextOffset === undefined) return false;
  const used = st.backlog.replicaMemory(r.nextOffset, server.masterReplOffset);
  const lim = server.config.get<{ replica: { hard: number; soft: number; softSeconds: number } }>('client-output-buffer-limit').replica;
  let hardLimit = lim.hard;
  if (hardLimit && hardLimit < backlogSize(server)) hardLimit = backlogSize(server);
  const hard = lim.hard > 0 && used >= hardLimit;
  let soft = lim.soft > 0 && used >= lim.soft;
  const now = unixtime(server);
  if (soft) {
    if (!r.softLimitSinceSec) { r.softLimitSinceSec = now; soft = false; }
    else if (now - r.softLimitSinceSec <= lim.softSeconds) soft = false;
  } else {
    r.softLimitSinceSec = 0;
  }
  if (!hard && !soft) return false;
  const info = server.clientInfoString(c);
  c.closeAsap = true;
  server.markPendingWrite(c);
  server.stats.clientOutbufLimitDisconnections++;
  server.log.warning(`Client ${info} scheduled to be closed ASAP for overcoming of output buffer limits.`);
  return true;
}

// ---- replica lifecycle --------------------------------------------------------------------

/** refreshGoodSlavesCount(). */
export function refreshGoodSlavesCount(server: RedisServer): void {
  const st = replState(server);
  const toWrite = server.config.get<number>('min-replicas-to-write');
  const maxLag = server.config.get<number>('min-replicas-max-lag');
  if (!toWrite || !maxLag) return;
  const now = unixtime(server);
  let good = 0;
  for (const c of st.replicas) {
    const r = replicaInfo(c);
    const lag = now - Math.floor((r.ackTimeMs ?? 0) / 1000);
    if (r.state === 'online' && lag <= maxLag) good++;
  }
  st.goodSlavesCount = good;
}

/** checkGoodReplicasStatus(). */
export function goodReplicasStatus(server: RedisServer): boolean {
  const toWrite = server.config.get<number>('min-replicas-to-write');
  const maxLag = server.config.get<number>('min-replicas-max-lag');
  return server.masterHost !== null || !maxLag || !toWrite || replState(server).goodSlavesCount >= toWrite;
}

/** replicaPutOnline(): false when the replica only wanted the RDB and must be closed. */
export function replicaPutOnline(server: RedisServer, c: Client): boolean {
  const r = replicaInfo(c);
  if (r.rdbOnly) {
    r.state = 'rdb_transmitted';
    server.log.notice(`RDB transfer completed, rdb only replica (${replicaName(c)}) should be disconnected asap`);
    return false;
  }
  r.state = 'online';
  r.ackTimeMs = server.os.now();
  refreshGoodSlavesCount(server);
  server.log.notice(`Synchronization with replica ${replicaName(c)} succeeded`);
  return true;
}

/** replicaStartCommandStream(): start writing the buffered stream. */
export function replicaStartCommandStream(server: RedisServer, c: Client): void {
  replicaInfo(c).startCmdStreamOnAck = false;
  writeToReplica(server, c);
}

/** A replica connection went away (freeClient's CLIENT_SLAVE cleanup). */
export function replicaDisconnected(server: RedisServer, c: Client): void {
  const st = replState(server);
  const i = st.replicas.indexOf(c);
  if (i < 0) return;
  server.log.warning(`Connection with replica ${replicaName(c)} lost.`);
  const r = replicaInfo(c);
  // A BGSAVE only this replica waited for is pointless now (unless save points want it).
  if (server.config.get<SavePoint[]>('save').length === 0 && r.state === 'wait_bgsave_end' &&
      rdbChildType(server) === 'disk' && !st.replicas.some((o) => o !== c && replicaInfo(o).state === 'wait_bgsave_end')) {
    killRdbChild(server);
  }
  st.replicas.splice(i, 1);
  if (st.socketTransfer) socketTransferDropped(server, c);
  if (st.replicas.length === 0) st.noSlavesSinceSec = unixtime(server);
  refreshGoodSlavesCount(server);
  const w = st.waitingAcks.indexOf(c);
  if (w >= 0) st.waitingAcks.splice(w, 1);
}

/** disconnectSlaves(): close every replica connection. */
export function disconnectSlaves(server: RedisServer): void {
  const st = replState(server);
  for (const c of [...st.replicas]) server.freeClient(c);
}

// ---- SYNC / PSYNC -------------------------------------------------------------------------

/** The type of the running RDB child, if any. */
export function rdbChildType(server: RedisServer): 'none' | 'disk' | 'socket' {
  const st = replState(server);
  if (st.socketTransfer) return 'socket';
  return persistenceOf(server).child?.type === 'rdb' ? 'disk' : 'none';
}

/** replicationSetupSlaveForFullResync(): +FULLRESYNC and pin the replica's stream position. */
export function setupReplicaForFullResync(server: RedisServer, c: Client, offset: number): boolean {
  const st = replState(server);
  const r = replicaInfo(c);
  r.psyncInitialOffset = offset;
  r.state = 'wait_bgsave_end';
  r.nextOffset = offset + 1;
  st.slaveSelDb = -1;
  if (!r.prePsync) {
    const line = `+FULLRESYNC ${server.replId} ${offset}\r\n`;
    if (!c.socket || !c.socket.write(strToBytes(line))) {
      c.closeAsap = true;
      server.markPendingWrite(c);
      return false;
    }
    server.stats.netReplOutputBytes += line.length;
  }
  return true;
}

/**
 * masterTryPartialResynchronization(): true when the replica continues from the backlog.
 * Both the replication ID (the current one, or the previous one up to second_repl_offset)
 * and the requested offset (inside the backlog) must match.
 */
export function masterTryPartialResync(server: RedisServer, c: Client, replid: string, psyncOffset: number): boolean {
  const st = replState(server);
  const log = server.log;
  const id = replid.toLowerCase();
  if (id !== server.replId.toLowerCase() && (id !== server.replId2.toLowerCase() || psyncOffset > server.secondReplOffset)) {
    if (replid[0] !== '?') {
      if (id !== server.replId.toLowerCase() && id !== server.replId2.toLowerCase()) {
        log.notice(`Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${server.replId}' and '${server.replId2}')`);
      } else {
        log.notice(`Partial resynchronization not accepted: Requested offset for second ID was ${psyncOffset}, but I can reply up to ${server.secondReplOffset}`);
      }
    } else {
      log.notice(`Full resync requested by replica ${replicaName(c)}`);
    }
    return false;
  }
  const b = st.backlog;
  if (!b || psyncOffset < b.backlogOffset || psyncOffset > b.backlogOffset + b.histlen) {
    log.notice(`Unable to partial resync with replica ${replicaName(c)} for lack of backlog (Replica request was: ${psyncOffset}).`);
    if (psyncOffset > server.masterReplOffset) {
      log.warning(`Warning: replica ${replicaName(c)} tried to PSYNC with an offset that is greater than the master replication offset.`);
    }
    return false;
  }
  const r = replicaInfo(c);
  c.isReplica = true;
  r.state = 'online';
  r.ackTimeMs = server.os.now();
  r.startCmdStreamOnAck = false;
  st.replicas.push(c);
  const line = r.capaPsync2 ? `+CONTINUE ${server.replId}\r\n` : '+CONTINUE\r\n';
  if (!c.socket || !c.socket.write(strToBytes(line))) {
    c.closeAsap = true;
    server.markPendingWrite(c);
    return true;
  }
  server.stats.netReplOutputBytes += line.length;
  // addReplyReplicationBacklog: the replica's position is the requested offset.
  r.nextOffset = psyncOffset;
  const psyncLen = b.histlen === 0 ? 0 : b.histlen - (psyncOffset - b.backlogOffset);
  log.notice(`Partial resynchronization request from ${replicaName(c)} accepted. Sending ${psyncLen} bytes of backlog starting from offset ${psyncOffset}.`);
  refreshGoodSlavesCount(server);
  writeToReplica(server, c);
  return true;
}

/**
 * startBgsaveForReplication(): socket target when diskless sync is on (or a filtered RDB is
 * wanted) and every waiting replica understands EOF-marked transfers; disk otherwise.
 */
export function startBgsaveForReplication(server: RedisServer, mincapaEof: boolean, req: number): boolean {
  const st = replState(server);
  const socketTarget = (server.config.get<boolean>('repl-diskless-sync') || req !== 0) && mincapaEof;
  server.log.notice(`Starting BGSAVE for SYNC with target: ${socketTarget ? 'replicas sockets' : 'disk'}`);
  let ok: boolean;
  if (socketTarget) {
    ok = rdbSaveToReplicasSockets(server, req);
  } else {
    ok = rdbSaveBackground(server);
    if (ok) watchRdbChild(server);
  }
  if (ok && !socketTarget) noteRdbGeneratedForReplicas(server);
  if (!ok) {
    server.log.warning('BGSAVE for replication failed');
    for (const c of [...st.replicas]) {
      const r = replicaInfo(c);
      if (r.state !== 'wait_bgsave_start') continue;
      r.state = undefined;
      c.isReplica = false;
      st.replicas.splice(st.replicas.indexOf(c), 1);
      c.replyError('BGSAVE failed, replication can\'t continue');
      c.close();
    }
    return false;
  }
  if (!socketTarget) {
    for (const c of st.replicas) {
      const r = replicaInfo(c);
      if (r.state === 'wait_bgsave_start' && (r.req ?? 0) === req) setupReplicaForFullResync(server, c, server.masterReplOffset);
    }
  }
  return true;
}

/** The SYNC and PSYNC commands (syncCommand). */
export function syncCommand(server: RedisServer, c: Client, argv: string[]): void {
  const st = replState(server);
  const log = server.log;
  const r = replicaInfo(c);
  // Already a replica or a MONITOR: ignored.
  if (c.isReplica) return;
  const isPsync = argv[0].toLowerCase() === 'psync';
  if (argv.length > 3 && isPsync && argv[3].toLowerCase() === 'failover') {
    log.warning(`Failover request received for replid ${argv[1]}.`);
    if (server.masterHost === null) { c.replyError('PSYNC FAILOVER can\'t be sent to a master.'); return; }
    if (argv[1].toLowerCase() === server.replId.toLowerCase()) {
      st.callbacks.unsetMaster?.();
      log.notice(`MASTER MODE enabled (failover request from '${server.clientInfoString(c)}')`);
    } else {
      c.replyError('PSYNC FAILOVER replid must match my replid.');
      return;
    }
  }
  if (st.failoverState !== 'no-failover') { c.replyError('-NOMASTERLINK Can\'t SYNC while failing over'); return; }
  if (server.masterHost !== null && server.replState !== 'connected') {
    c.replyError('-NOMASTERLINK Can\'t SYNC while not connected with my master');
    return;
  }
  if (c.out.len > 0) { c.replyError('SYNC and PSYNC are invalid with pending output'); return; }
  if ((r.req ?? 0) & REQ_RDB_MASK && !r.capaEof) { c.replyError('Filtered replica requires EOF capability'); return; }
  log.notice(`Replica ${replicaName(c)} asks for synchronization`);
  if (isPsync) {
    const off = parseLongLong(argv[2]);
    if (off === null) {
      c.replyError('value is not an integer or out of range');
      log.warning(`Replica ${replicaName(c)} asks for synchronization but with a wrong offset`);
      return;
    }
    if (masterTryPartialResync(server, c, argv[1], off)) {
      st.statSyncPartialOk++;
      return;
    }
    if (argv[1][0] !== '?') st.statSyncPartialErr++;
  } else {
    r.prePsync = true;
  }
  st.statSyncFull++;
  r.state = 'wait_bgsave_start';
  c.isReplica = true;
  st.replicas.push(c);
  if (st.replicas.length === 1 && !st.backlog) {
    changeReplicationId(server);
    clearReplicationId2(server);
    createReplicationBacklog(server);
    log.notice(`Replication backlog created, my new replication IDs are '${server.replId}' and '${server.replId2}'`);
  }
  const childType = rdbChildType(server);
  if (childType === 'disk') {
    // Attach to the running BGSAVE if another replica is already recording its differences.
    const other = st.replicas.find((o) => o !== c && replicaInfo(o).state === 'wait_bgsave_end' && (!replicaInfo(o).rdbOnly || r.rdbOnly));
    const or = other ? replicaInfo(other) : null;
    if (other && or && capaCovers(r, or) && (r.req ?? 0) === (or.req ?? 0)) {
      setupReplicaForFullResync(server, c, or.psyncInitialOffset!);
      log.notice('Waiting for end of BGSAVE for SYNC');
    } else {
      log.notice('Can\'t attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC');
    }
  } else if (childType === 'socket') {
    log.notice('Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC');
  } else if (server.config.get<boolean>('repl-diskless-sync') && r.capaEof && server.config.get<number>('repl-diskless-sync-delay')) {
    log.notice('Delay next BGSAVE for diskless SYNC');
  } else if (!server.hasActiveChild()) {
    startBgsaveForReplication(server, !!r.capaEof, r.req ?? 0);
  } else {
    log.notice('No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed');
  }
}

const REQ_RDB_MASK = REQ_RDB_EXCLUDE_DATA | REQ_RDB_EXCLUDE_FUNCTIONS;

/** The new replica has at least the capabilities of the one that started the BGSAVE. */
function capaCovers(a: ReplicaInfo, b: ReplicaInfo): boolean {
  return (!b.capaEof || !!a.capaEof) && (!b.capaPsync2 || !!a.capaPsync2);
}

/** string2ll for PSYNC's offset. */
function parseLongLong(s: string): number | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s) || s.length > 20) return null;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return Number(v);
}

// ---- BGSAVE completion --------------------------------------------------------------------

const watchedChildren = new WeakSet<object>();

/** Be told when the running disk BGSAVE (ours or the user's) ends: updateSlavesWaitingBgsave. */
export function watchRdbChild(server: RedisServer): void {
  const child = persistenceOf(server).child;
  if (!child || child.type !== 'rdb' || watchedChildren.has(child)) return;
  watchedChildren.add(child);
  child.onDone.push((ok) => updateSlavesWaitingBgsave(server, ok, 'disk'));
}

/**
 * updateSlavesWaitingBgsave(): a BGSAVE ended. Disk target: open dump.rdb and start
 * send_bulk. Socket target: the RDB already went through the sockets; the replica is online
 * and its stream starts at its first ACK.
 */
export function updateSlavesWaitingBgsave(server: RedisServer, ok: boolean, type: 'disk' | 'socket'): void {
  const st = replState(server);
  let fileBytes: Promise<Uint8Array> | null = null;
  for (const c of [...st.replicas]) {
    const r = replicaInfo(c);
    if (r.state !== 'wait_bgsave_end') continue;
    if (!ok) {
      c.closeAsap = true;
      server.markPendingWrite(c);
      server.log.warning('SYNC failed. BGSAVE child returned an error');
      continue;
    }
    if (type === 'socket') {
      server.log.notice(`Streamed RDB transfer with replica ${replicaName(c)} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`);
      if (!replicaPutOnline(server, c)) {
        c.closeAsap = true;
        server.markPendingWrite(c);
        continue;
      }
      r.startCmdStreamOnAck = true;
    } else {
      const filename = server.config.get<string>('dbfilename');
      if (!server.os.fs.existsSync(filename)) {
        c.closeAsap = true;
        server.markPendingWrite(c);
        server.log.warning(`SYNC failed. Can't open/stat DB after BGSAVE: ${strerror({ code: 'ENOENT' })}`);
        continue;
      }
      // send_bulk starts once the file is read (a read from the page cache, or the disk).
      r.state = 'send_bulk';
      r.bulk = null;
      fileBytes ??= server.os.fs.readFile(filename);
      fileBytes.then((bytes) => server.event(() => {
        if (!server.clients.has(c.id) || r.state !== 'send_bulk') return;
        // sendBulkToSlave(): the preamble first, then the file.
        const preamble = strToBytes(`$${bytes.length}\r\n`);
        c.socket?.write(preamble);
        server.stats.netReplOutputBytes += preamble.length;
        r.bulk = { bytes, sent: 0 };
        writeToReplica(server, c);
      }), (e) => server.event(() => {
        if (!server.clients.has(c.id)) return;
        server.log.warning(`SYNC failed. Can't open/stat DB after BGSAVE: ${strerror(e)}`);
        server.freeClient(c);
      }));
    }
  }
}

// ---- diskless: RDB to the replicas' sockets -------------------------------------------------

/** Concatenated byte arrays, read in slices without copying the whole. */
export class PayloadParts {
  readonly length: number;
  constructor(private readonly parts: Uint8Array[]) {
    this.length = parts.reduce((n, p) => n + p.length, 0);
  }
  /** Bytes [from, to): a view when they lie in one part. */
  slice(from: number, to: number): Uint8Array {
    let base = 0;
    for (const p of this.parts) {
      if (from < base + p.length) {
        if (to <= base + p.length) return p.subarray(from - base, to - base);
        break;
      }
      base += p.length;
    }
    const out = new Uint8Array(to - from);
    let pos = 0;
    base = 0;
    for (const p of this.parts) {
      const s = Math.max(from, base), e = Math.min(to, base + p.length);
      if (s < e) { out.set(p.subarray(s - base, e - base), pos); pos += e - s; }
      base += p.length;
    }
    return out;
  }
}

/** The RDB a replica asked for: everything, or only the functions (rdb-filter-only). */
function rdbForReplicas(server: RedisServer, req: number): Uint8Array {
  if (req === 0) return snapshotRdb(server, { aofBase: false, withReplInfo: true });
  const pst = persistenceOf(server);
  return writeRdbFile((req & REQ_RDB_EXCLUDE_DATA) ? [] : server.dbs, {
    encode: encodeOptions(server), aofBase: false, repl: pst.replInfo ? pst.replInfo() : null,
    ctimeSec: unixtime(server), usedMemory: usedMemory(server), checksum: server.config.get<boolean>('rdbchecksum'),
    evictionHints: null, lruClock: server.lruClock(),
    functions: (req & REQ_RDB_EXCLUDE_FUNCTIONS) ? [] : pst.functions,
  });
}

/**
 * rdbSaveToSlavesSockets(): fork the child that produces `$EOF:<mark>\r\n<rdb><mark>`; the
 * parent writes it to every replica of the batch, 16 KB at a time, as fast as the slowest
 * socket takes it, then lets the child exit.
 */
export function rdbSaveToReplicasSockets(server: RedisServer, req: number): boolean {
  const st = replState(server);
  if (server.hasActiveChild() || st.socketTransfer) return false;
  const batch: Client[] = [];
  for (const c of st.replicas) {
    const r = replicaInfo(c);
    if (r.state === 'wait_bgsave_start' && (r.req ?? 0) === req) {
      batch.push(c);
      setupReplicaForFullResync(server, c, server.masterReplOffset);
    }
  }
  const rdb = rdbForReplicas(server, req);
  const mark = randomHex(server.os, RDB_EOF_MARK_SIZE);
  const head = strToBytes(`$EOF:${mark}\r\n`);
  const tail = strToBytes(mark);
  const payload = new PayloadParts([head, rdb, tail]);
  // Resolved by the parent, at its time, once it has read the whole payload from the pipe.
  let release: (() => void) | null = null;
  const released = new Promise<number>((resolve) => { release = () => resolve(server.os.now()); });
  let child;
  try {
    child = forkChild(server, 'redis-rdb-to-slaves', async (cos) => {
      // The child serialises the dataset (its CPU time), then waits until the parent has
      // drained the pipe before it exits.
      cos.busy(rdb.length / COST.rdbSaveBytesPerMs);
      childLogger(server, cos).notice('Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB');
      // Blocked on the full pipe until then (the child's clock catches up with the parent's).
      const readAtMs = await released;
      if (readAtMs > cos.now()) cos.sleep(readAtMs - cos.now());
      return 0;
    });
  } catch (e) {
    server.log.warning(`Can't save in background: fork: ${strerror(e)}`);
    for (const c of batch) replicaInfo(c).state = 'wait_bgsave_start';
    return false;
  }
  server.log.notice(`Background RDB transfer started by pid ${child.pid}`);
  const pst = persistenceOf(server);
  pst.rdbSaveTimeStart = unixtime(server);
  server.children.set('rdb', { pid: child.pid, startMs: server.os.now() });
  // The child sleeps after every key (rdb-key-save-delay): the RDB body reaches the pipe at that
  // pace, the header at once and the EOF mark at the end.
  const delayMs = keySaveDelayMs(server, req & REQ_RDB_EXCLUDE_DATA ? 0 : totalKeys(server));
  const startMs = server.os.now();
  const producedBytes = (nowMs: number): number => {
    if (delayMs <= 0 || nowMs - startMs >= delayMs) return payload.length;
    return head.length + Math.floor(rdb.length * Math.max(0, nowMs - startMs) / delayMs);
  };
  const nextProducedMs = (nowMs: number): number =>
    Math.min(startMs + delayMs, nowMs + Math.max(PIPE_POLL_MS, IOBUF_BYTES * delayMs / Math.max(1, rdb.length)));
  const t: SocketTransfer = {
    child, pid: child.pid, replicas: batch, payload, sent: new Map<Client, number>(batch.map((c) => [c, 0])), pipeReadBytes: 0,
    exit: null, release, doneReading: false, startMs, producedBytes, nextProducedMs, paceTimer: false,
  };
  st.socketTransfer = t;
  child.onExit = (code, signal) => server.event(() => { t.exit = { code, signal }; });
  server.os.setTimer(0, () => server.event(() => pumpSocketTransfer(server)));
  return true;
}

/**
 * rdbPipeReadHandler / rdbPipeWriteHandler: move the payload to the replicas' sockets. The
 * parent reads the pipe 16 KB at a time and writes each buffer to every replica; a replica
 * whose socket is full gets the rest when it drains, and until every replica has taken the
 * buffer the pipe is not read again. So the transfer goes at the slowest replica's pace (and
 * the child, blocked on the full pipe, with it).
 */
function pumpSocketTransfer(server: RedisServer): void {
  const st = replState(server);
  const t = st.socketTransfer;
  if (!t || t.doneReading) return;
  for (;;) {
    let waiting = false;
    for (const c of t.replicas) {
      const s = c.socket;
      if (!s) continue;
      let sent = t.sent.get(c)!;
      while (sent < t.pipeReadBytes && s.pendingBytes() < SOCKET_SEND_BUFFER_BYTES) {
        const chunk = t.payload.slice(sent, Math.min(t.pipeReadBytes, sent + IOBUF_BYTES));
        s.write(chunk);
        sent += chunk.length;
        server.stats.netReplOutputBytes += chunk.length;
      }
      t.sent.set(c, sent);
      if (sent < t.pipeReadBytes) {
        waiting = true;
        replicaInfo(c).lastPartialWriteSec = unixtime(server);
        s.onDrain = () => server.event(() => { if (c.socket) c.socket.onDrain = null; pumpSocketTransfer(server); });
      } else {
        // It took the whole buffer (rdbPipeWriteHandlerConnRemoved): no longer a replica the
        // full-sync timeout looks at while it waits for a slower one.
        replicaInfo(c).lastPartialWriteSec = 0;
      }
    }
    if (waiting) return;
    if (t.pipeReadBytes >= t.payload.length) break;
    const produced = t.producedBytes(server.os.now());
    if (produced <= t.pipeReadBytes) {
      // Nothing more in the pipe yet: read again when the child has written more.
      if (!t.paceTimer) {
        t.paceTimer = true;
        const nowMs = server.os.now();
        server.os.setTimer(Math.max(0, t.nextProducedMs(nowMs) - nowMs), () => server.event(() => { t.paceTimer = false; pumpSocketTransfer(server); }));
      }
      return;
    }
    // A read of the pipe: as much as the child wrote, up to the parent's buffer.
    t.pipeReadBytes = Math.min(produced, t.pipeReadBytes + IOBUF_BYTES);
  }
  t.doneReading = true;
  server.log.warning(`Diskless rdb transfer, done reading from pipe, ${t.replicas.length} replicas still up.`);
  t.release?.();
}

/** A replica of the diskless batch went away. */
function socketTransferDropped(server: RedisServer, c: Client): void {
  const t = replState(server).socketTransfer;
  if (!t) return;
  const i = t.replicas.indexOf(c);
  if (i < 0) return;
  t.replicas.splice(i, 1);
  t.sent.delete(c);
  if (t.replicas.length === 0 && !t.doneReading) {
    server.log.warning('Diskless rdb transfer, last replica dropped, killing fork child.');
    t.doneReading = true;
    t.child.kill('SIGUSR1');
  } else if (!t.doneReading) {
    server.os.setTimer(0, () => server.event(() => pumpSocketTransfer(server)));
  }
}

/** checkChildrenDone for the diskless child (backgroundSaveDoneHandlerSocket). */
export function checkSocketChildDone(server: RedisServer): void {
  const st = replState(server);
  const t = st.socketTransfer;
  if (!t || !t.exit) return;
  const { code, signal } = t.exit;
  const ok = !signal && code === 0;
  if (ok) server.log.notice('Background RDB transfer terminated with success');
  else if (!signal) server.log.warning('Background transfer error');
  else server.log.warning(`Background transfer terminated by signal ${signalNumber(signal) ?? signal}`);
  st.socketTransfer = null;
  server.children.delete('rdb');
  const pst = persistenceOf(server);
  pst.rdbSaveTimeLast = unixtime(server) - pst.rdbSaveTimeStart;
  pst.rdbSaveTimeStart = -1;
  updateSlavesWaitingBgsave(server, ok, 'socket');
}

// ---- the replication cron, master part ----------------------------------------------------

/** shouldStartChildReplication(). */
function shouldStartChildReplication(server: RedisServer): { eof: boolean; req: number } | null {
  const st = replState(server);
  if (server.hasActiveChild()) return null;
  let waiting = 0, maxIdle = 0, eof = true, req = 0, first = true;
  const now = unixtime(server);
  for (const c of st.replicas) {
    const r = replicaInfo(c);
    if (r.state !== 'wait_bgsave_start') continue;
    if (first) req = r.req ?? 0;
    else if (req !== (r.req ?? 0)) continue;
    const idle = now - Math.floor(c.lastInteractionMs / 1000);
    if (idle > maxIdle) maxIdle = idle;
    waiting++;
    eof = first ? !!r.capaEof : eof && !!r.capaEof;
    first = false;
  }
  const maxReplicas = server.config.get<number>('repl-diskless-sync-max-replicas');
  if (waiting && (!server.config.get<boolean>('repl-diskless-sync') || (maxReplicas > 0 && waiting >= maxReplicas) ||
      maxIdle >= server.config.get<number>('repl-diskless-sync-delay'))) {
    return { eof, req };
  }
  return null;
}

/** replicationStartPendingFork(). */
export function replicationStartPendingFork(server: RedisServer): void {
  const start = shouldStartChildReplication(server);
  if (start) startBgsaveForReplication(server, start.eof, start.req);
}

/** The master half of replicationCron(). */
export function masterCron(server: RedisServer, clientsPausedForFailover: boolean): void {
  const st = replState(server);
  const period = server.config.get<number>('repl-ping-replica-period');
  if (st.cronLoops % period === 0 && st.replicas.length > 0 && !clientsPausedForFailover) {
    replicationFeedSlaves(server, st.slaveSelDb, ['PING']);
  }
  // Newlines keep replicas that wait for the RDB from timing out.
  for (const c of st.replicas) {
    const r = replicaInfo(c);
    const presync = r.state === 'wait_bgsave_start' || (r.state === 'wait_bgsave_end' && rdbChildType(server) !== 'socket');
    if (presync && c.socket) {
      c.socket.write(strToBytes('\n'));
    }
  }
  const timeout = server.config.get<number>('repl-timeout');
  const now = unixtime(server);
  for (const c of [...st.replicas]) {
    const r = replicaInfo(c);
    if (r.state === 'online') {
      if (r.prePsync) continue;
      if (now - Math.floor((r.ackTimeMs ?? 0) / 1000) > timeout) {
        server.log.warning(`Disconnecting timedout replica (streaming sync): ${replicaName(c)}`);
        server.freeClient(c);
        continue;
      }
    }
    if (r.state === 'wait_bgsave_end' && rdbChildType(server) === 'socket') {
      if (r.lastPartialWriteSec && now - r.lastPartialWriteSec > timeout) {
        server.log.warning(`Disconnecting timedout replica (full sync): ${replicaName(c)}`);
        server.freeClient(c);
        continue;
      }
    }
  }
  const ttl = server.config.get<number>('repl-backlog-ttl');
  if (st.replicas.length === 0 && ttl && st.backlog && server.masterHost === null) {
    if (now - st.noSlavesSinceSec > ttl) {
      changeReplicationId(server);
      clearReplicationId2(server);
      freeReplicationBacklog(server);
      server.log.notice(`Replication backlog freed after ${ttl} seconds without connected replicas.`);
    }
  }
  replicationStartPendingFork(server);
}

/** Whether some replica still waits for or receives an RDB (removeRDBUsedToSyncReplicas). */
export function replicasWaitingRdb(server: RedisServer): boolean {
  return replState(server).replicas.some((c) => {
    const s = replicaInfo(c).state;
    return s === 'wait_bgsave_start' || s === 'wait_bgsave_end' || s === 'send_bulk';
  });
}

/** The repl-backlog-size CONFIG SET hook (resizeReplicationBacklog). */
export function resizeReplicationBacklog(server: RedisServer): void {
  if (backlogSize(server) < REPL_BACKLOG_MIN_BYTES) server.config.setRaw('repl-backlog-size', REPL_BACKLOG_MIN_BYTES);
  const b = replState(server).backlog;
  if (b) b.trim(TRIM_BLOCKS_PER_CALL, server.masterReplOffset);
}

/** REPLCONF ACK: the replica processed the stream up to `offset`. */
export function replicaAck(server: RedisServer, c: Client, offset: number): void {
  const r = replicaInfo(c);
  if (offset > (r.ackOff ?? 0)) r.ackOff = offset;
  r.ackTimeMs = server.os.now();
  if (rdbChildType(server) === 'socket' && r.state === 'wait_bgsave_end') checkSocketChildDone(server);
  if (r.startCmdStreamOnAck && r.state === 'online') replicaStartCommandStream(server, c);
}

