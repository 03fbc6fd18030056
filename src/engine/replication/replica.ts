/**
 * The replica side of replication (replication.c, "SLAVE" half): the link to the master as an
 * xstate actor (link-machine.ts) whose actions are implemented here, on the Os.
 *
 * - The handshake runs on the connection the replica opens (repl_transfer_s): replies are
 *   read line by line and each line is one REPLY event, so the machine's state is always
 *   Redis's `repl_state`.
 * - The full sync payload (`$<len>` or `$EOF:<mark>`, after optional newline keepalives) is
 *   read into memory and, unless `repl-diskless-load` says otherwise, also written to
 *   temp-<unixtime>.<pid>.rdb, which becomes dump.rdb before it is loaded. Loading flushes the
 *   old data and parses the RDB with the LOADING state and its modelled CPU time.
 * - A diskless load (`repl-diskless-load on-empty-db` on an empty replica, or `swapdb`) is
 *   Redis parsing the RDB from the socket as it arrives: the load starts with the first
 *   payload bytes (LOADING, "Loading DB in memory") and a dropped link is a failed load. We
 *   still parse the bytes at the end, but every state a client can see follows Redis: with
 *   `swapdb` the old data stays (in a temp db in Redis, here untouched until the swap) and is
 *   restored on failure; when the master's replid is ours (a full sync of the same history)
 *   it is even served meanwhile (async loading, `async_loading:1`).
 * - After the sync the connection becomes the master client: its commands are applied with
 *   replies muted, `reploff` advances as they are applied (a whole MULTI/EXEC at EXEC), and
 *   what was applied is proxied byte for byte to this replica's own replicas and backlog, so
 *   a chain of replicas shares one replication ID and one offset space.
 * - When the link drops, the master client is cached (its replid and offset) so the next
 *   handshake can ask `PSYNC <replid> <offset+1>`.
 */
import { createActor, type Actor } from 'xstate';
import type { RedisServer } from '../server/server';
import type { Client } from '../server/client';
import type { Socket } from '../os';
import { replicaLinkMachine, isHandshakeState, type LinkEvent, type LinkStateName } from './link-machine';
import { replState, unixtime, type IncomingTransfer, type MasterLink } from './state';
import {
  encodeArgv, clearReplicationId2, createReplicationBacklog, disconnectSlaves, freeReplicationBacklog,
  replicationFeedStreamFromMasterStream, rdbChildType,
} from './master';
import { bytesToStr, strToBytes } from '../bytes';
import { Db } from '../keyspace/db';
import { RDB_C_LINE } from '../persistence/rdb/decoder';
import { persistenceOf } from '../persistence/state';
import { killRdbChild } from '../persistence/rdb-save';
import { loadRdbIntoServer, logDoneLoading, RdbLoadFatal, startRdbLoad } from '../persistence/rdb-load';
import { debugDelay, paceLoading, rdbLoadingStepBytes, startLoading, stopLoading, yieldToEventLoop } from '../persistence/loading';
import { startAppendOnly, stopAppendOnly } from '../persistence/aof/rewrite';
import { allPersistenceDisabled } from '../persistence/rdb-sync-files';
import { COST, optionalConfig } from '../persistence/snapshot';
import { strerror } from '../persistence/errno';
import type { FileHandle } from '../os';
import { StateTimeout } from '../state-timeout';
import { REDIS_OPEN_CREATE_MODE } from '../util/create-modes';
import { forgetReplicaKeysWithExpire } from '../keyspace/replica-expire';
import { invalidateAllOnFlush } from '../server/tracking';

/** strerror() for the network errors the Os reports. */
const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EPIPE: 'Broken pipe',
  EPERM: 'Operation not permitted',
  EADDRNOTAVAIL: 'Cannot assign requested address',
};

export function netError(e: { code?: string; message?: string } | null): string {
  if (!e) return 'Success';
  if (e.code && NET_ERRORS[e.code]) return NET_ERRORS[e.code];
  return strerror(e);
}

/** Handshake replies are read into a 256-byte buffer (receiveSynchronousResponse). */
const HANDSHAKE_LINE_MAX = 255;
/** The bulk count line is read into 1024 bytes (readSyncBulkPayload). */
const BULK_LINE_MAX = 1023;

/**
 * syncReadLine(): up to `max` bytes or a newline (dropped, with a CR before it). A longer
 * line comes back in pieces, like the C function that fills a fixed buffer.
 */
export function syncReadLine(data: Uint8Array, max: number): { line: string; rest: Uint8Array } | null {
  const scan = Math.min(data.length, max + 1);
  let nl = -1;
  for (let i = 0; i < scan; i++) if (data[i] === 10) { nl = i; break; }
  if (nl >= 0 && nl < max) {
    const end = nl > 0 && data[nl - 1] === 13 ? nl - 1 : nl;
    return { line: bytesToStr(data, 0, end), rest: data.subarray(nl + 1) };
  }
  if (data.length >= max) return { line: bytesToStr(data, 0, max), rest: data.subarray(max) };
  return null;
}

const EMPTY = new Uint8Array(0);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * A diskless load stops reading its socket with this much received and not parsed yet (Redis
 * reads the connection only as its parser asks, so the rest waits in the kernel's buffers).
 */
const UNPARSED_HIGH_WATER = 256 * 1024;

/** REPL_MAX_WRITTEN_BEFORE_FSYNC: the temp file is flushed every 8 MB. */
const WRITTEN_BEFORE_FSYNC = 8 * 1024 * 1024;

/** Events as actions and guards see them (xstate also routes its own internal events). */
type AnyEvent = { type: string; line?: string; error?: string };

export interface LinkSnapshotListener { (state: LinkStateName): void }

/**
 * One server's replica side. `actor` is the live link; `state()` its current state name.
 */
export class ReplicaSide {
  readonly actor: Actor<typeof replicaLinkMachine>;
  /** Bytes of the handshake not yet consumed (byte string). */
  private pending: Uint8Array = EMPTY;
  private sentAuth = false;
  private sentIp = false;
  /** The transfer socket closed while the RDB was being loaded. */
  private closedWhileLoading = false;
  private tmpHandle: FileHandle | null = null;
  private readonly listeners = new Set<LinkSnapshotListener>();
  /** The repl-timeout of the state the link is in (REPL_TIMEOUT or MASTER_TIMEOUT). */
  private readonly timeout: StateTimeout;

  constructor(private readonly server: RedisServer) {
    this.timeout = new StateTimeout(server.os);
    const machine = replicaLinkMachine.provide({
      actions: this.actions(),
      guards: this.guards(),
    });
    this.actor = createActor(machine);
    this.actor.subscribe((snap) => {
      const name = snap.value as LinkStateName;
      server.replState = name === 'loading' ? 'transfer' : name;
      for (const l of this.listeners) l(name);
    });
    this.actor.start();
  }

  /** The live state, as the UI draws it. */
  state(): LinkStateName {
    return this.actor.getSnapshot().value as LinkStateName;
  }

  onChange(l: LinkSnapshotListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  send(ev: LinkEvent): void {
    this.actor.send(ev);
  }

  // ---- timeouts -------------------------------------------------------------------------

  /** ms until `floor(now) - floor(lastio) > repl-timeout` in seconds, as the cron would see it. */
  private untilTimeout(lastIoMs: number): number {
    const timeout = this.server.config.get<number>('repl-timeout');
    const deadline = (Math.floor(lastIoMs / 1000) + timeout + 1) * 1000;
    return Math.max(1, deadline - this.server.os.now());
  }

  private timedOut(lastIoMs: number): boolean {
    return unixtime(this.server) - Math.floor(lastIoMs / 1000) > this.server.config.get<number>('repl-timeout');
  }

  // ---- guards -----------------------------------------------------------------------------

  private guards() {
    const line = (ev: AnyEvent) => (ev.type === 'REPLY' ? ev.line ?? '' : '');
    const st = () => replState(this.server);
    return {
      pingReplyAccepted: ({ event }: { event: AnyEvent }) => {
        const l = line(event);
        return l[0] === '+' || l.startsWith('-NOAUTH') || l.startsWith('-NOPERM') || l.startsWith('-ERR operation not permitted');
      },
      replyIsError: ({ event }: { event: AnyEvent }) => line(event)[0] === '-',
      hasMasterAuth: () => this.sentAuth,
      hasAnnounceIp: () => this.sentIp,
      replyIsEmpty: ({ event }: { event: AnyEvent }) => line(event) === '',
      replyIsFullResync: ({ event }: { event: AnyEvent }) => line(event).startsWith('+FULLRESYNC'),
      replyIsContinue: ({ event }: { event: AnyEvent }) => line(event).startsWith('+CONTINUE'),
      replyIsTryLater: ({ event }: { event: AnyEvent }) => line(event).startsWith('-NOMASTERLINK') || line(event).startsWith('-LOADING'),
      failingOver: () => st().failoverState === 'failover-in-progress',
      linkTimedOut: () => this.timedOut(st().transferLastIoMs),
      transferTimedOut: () => this.timedOut(st().transferLastIoMs),
      masterTimedOut: () => {
        const c = st().master?.client;
        return !!c && this.timedOut(c.lastInteractionMs);
      },
    };
  }

  // ---- actions ----------------------------------------------------------------------------

  private actions() {
    const s = this.server;
    const log = s.log;
    const st = () => replState(s);
    const hostPort = () => `${s.masterHost}:${s.masterPort}`;
    /** slaveTryPartialResynchronization's words for a PSYNC error reply. */
    const logPsyncNotSupported = (l: string) => {
      if (!l.startsWith('-ERR')) log.warning(`Unexpected reply to PSYNC from master: ${l}`);
      else log.notice(`Master does not support PSYNC or is in error state (reply: ${l})`);
    };
    const guard = (fn: (ev: AnyEvent) => void) => ({ event }: { event: AnyEvent }) => {
      try { fn(event); } catch (e: any) { log.warning(`Internal error in the replication link: ${e?.stack ?? e}`); }
    };
    const replyLine = (ev: AnyEvent) => (ev.type === 'REPLY' ? ev.line ?? '' : '');
    const nonCritical = (what: string) => guard((ev) => {
      const l = replyLine(ev);
      if (l[0] === '-') log.notice(`(Non critical) Master does not understand REPLCONF ${what}: ${l}`);
    });
    return {
      connectToMaster: guard(() => { this.connectWithMaster(); this.flushDeferredLog(); }),
      closeTransferSocket: guard(() => this.closeTransferSocket()),
      flushDeferredLog: guard(() => this.flushDeferredLog()),
      sendPing: guard(() => this.write(encodeArgv(['PING']))),
      sendHandshake: guard(() => this.sendHandshake()),
      sendPsync: guard(() => this.sendPsync()),
      sendSync: guard(() => this.write('SYNC\r\n')),
      prepareTransfer: guard(() => this.prepareTransfer()),
      startLoading: guard(() => {
        const loading = this.loadTransfer().catch((e) => log.warning(`Internal error loading the master's RDB: ${e?.stack ?? e}`));
        s.os.trackAsync?.(loading);
      }),
      onFullResync: guard((ev) => this.onFullResync(replyLine(ev))),
      onContinue: guard((ev) => this.onContinue(replyLine(ev))),
      finishSync: guard(() => this.finishSync()),
      logConnecting: guard(() => log.notice(`Connecting to MASTER ${hostPort()}`)),
      logConnectFired: guard(() => log.notice('Non blocking connect for SYNC fired the event.')),
      logSocketError: guard((ev) => {
        const err = ev.type === 'SOCKET_ERROR' || ev.type === 'SOCKET_CLOSED' ? ev.error ?? '' : '';
        if (err) log.warning(`Error condition on socket for SYNC: ${err}`);
      }),
      logPingReplyError: guard((ev) => log.warning(`Error reply to PING from master: '${replyLine(ev)}'`)),
      logPingReplyOk: guard(() => log.notice('Master replied to PING, replication can continue...')),
      logAuthError: guard((ev) => log.warning(`Unable to AUTH to MASTER: ${replyLine(ev)}`)),
      logNonCriticalPort: nonCritical('listening-port'),
      logNonCriticalIp: nonCritical('ip-address'),
      logNonCriticalCapa: nonCritical('capa'),
      logTryLater: guard((ev) => {
        log.notice(`Master is currently unable to PSYNC but should be in the future: ${replyLine(ev)}`);
        replState(s).callbacks.psyncRejected?.();
      }),
      logNotSupported: guard((ev) => {
        logPsyncNotSupported(replyLine(ev));
        log.notice('Retrying with SYNC...');
      }),
      logNotSupportedInFailover: guard((ev) => {
        logPsyncNotSupported(replyLine(ev));
        replState(s).callbacks.psyncRejected?.();
      }),
      logReadFailure: guard((ev) => log.warning(`Failed to read response from the server: ${ev.type === 'SOCKET_CLOSED' ? ev.error : 'Success'}`)),
      logNoResponse: guard(() => log.warning('Master did not respond to command during SYNC handshake')),
      logNoPsyncReply: guard(() => {
        log.warning('Master did not reply to PSYNC, will try later');
        replState(s).callbacks.psyncRejected?.();
      }),
      logTimeoutConnecting: guard(() => log.warning('Timeout connecting to the MASTER...')),
      logTimeoutTransfer: guard(() => {
        // A diskless load reads the socket with repl-timeout as its receive timeout.
        if (this.disklessLoadStarted()) this.logDisklessLoadFailed('Resource temporarily unavailable');
        else log.warning("Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.");
      }),
      logTransferIoError: guard(() => {
        // rdbLoadRio saw the end of the stream: errno is still 0.
        if (this.disklessLoadStarted()) this.logDisklessLoadFailed('Success');
        else log.warning('I/O error trying to sync with MASTER: connection lost');
      }),
      logReconnectAfterFailure: guard(() => log.notice(`Reconnecting to MASTER ${hostPort()} after failure`)),
      logReconnecting: guard(() => log.notice(`Reconnecting to MASTER ${hostPort()}`)),
      logMasterTimeout: guard(() => log.warning('MASTER timeout: no data nor PING received...')),
      dropMasterClient: guard(() => {
        const c = st().master?.client;
        if (c) s.freeClient(c);
      }),
      touchLastIo: guard(() => { st().transferLastIoMs = s.os.now(); }),
      armReplTimeout: () => this.timeout.arm(this.untilTimeout(st().transferLastIoMs), () => this.send({ type: 'REPL_TIMEOUT' })),
      armMasterTimeout: () => this.timeout.arm(
        this.untilTimeout(st().master?.client?.lastInteractionMs ?? s.os.now()), () => this.send({ type: 'MASTER_TIMEOUT' })),
      disarmTimeout: () => this.timeout.disarm(),
    };
  }

  // ---- the connection ----------------------------------------------------------------------

  private write(text: string): void {
    const sock = replState(this.server).transferSocket;
    if (sock) sock.write(strToBytes(text));
  }

  /** connectWithMaster(). */
  private connectWithMaster(): void {
    const s = this.server;
    const st = replState(s);
    this.closeTransferSocket();
    let sock: Socket;
    try {
      // connConnect(..., server.bind_source_addr, ...): the replica connects from that address.
      const bindAddress = s.config.get<string>('bind-source-addr') || undefined;
      sock = s.os.connect(s.masterHost!, s.masterPort, { bindAddress });
    } catch (e) {
      s.log.warning(`Unable to connect to MASTER: ${netError(e as { code?: string })}`);
      // Stay in `connect`: the next cron tick retries.
      s.os.setTimer(0, () => s.event(() => this.send({ type: 'SOCKET_ERROR', error: '' })));
      return;
    }
    st.transferSocket = sock;
    st.transferLastIoMs = s.os.now();
    this.pending = EMPTY;
    s.log.notice('MASTER <-> REPLICA sync started');
    sock.onConnect = () => s.event(() => {
      if (st.transferSocket !== sock) return;
      this.send({ type: 'SOCKET_CONNECTED' });
    });
    sock.onData = (b) => s.event(() => {
      if (st.transferSocket !== sock) return;
      this.onData(b);
    });
    sock.onClose = (err) => s.event(() => {
      if (st.transferSocket !== sock) return;
      const state = this.state();
      // A payload that has all arrived is still loaded (it was in the kernel's buffer).
      if (state === 'loading' || (state === 'transfer' && st.transfer?.complete)) { this.closedWhileLoading = true; return; }
      sock.onData = null;
      st.transferSocket = null;
      if (state === 'connecting') this.send({ type: 'SOCKET_ERROR', error: netError(err) });
      else this.send({ type: 'SOCKET_CLOSED', error: netError(err) });
    });
  }

  /** Close the handshake/transfer connection and drop a partial transfer (cancelReplicationHandshake). */
  private closeTransferSocket(): void {
    const s = this.server;
    const st = replState(s);
    const sock = st.transferSocket;
    if (sock) {
      sock.onConnect = null;
      sock.onData = null;
      sock.onClose = null;
      sock.destroy();
      st.transferSocket = null;
    }
    this.pending = EMPTY;
    this.closedWhileLoading = false;
    if (st.transfer?.diskless?.started) this.abortDisklessLoad();
    if (st.transfer) {
      if (this.tmpHandle) {
        try { this.tmpHandle.close(); } catch { /* gone */ }
        this.tmpHandle = null;
      }
      if (st.transfer.tmpfile) { try { s.os.fs.unlink(st.transfer.tmpfile); } catch { /* never created */ } }
      st.transfer = null;
    }
  }

  /** Bytes from the master during the handshake and the transfer. */
  private onData(b: Uint8Array): void {
    const s = this.server;
    const st = replState(s);
    st.transferLastIoMs = s.os.now();
    let data = this.pending.length ? concat(this.pending, b) : b;
    this.pending = EMPTY;
    for (;;) {
      const state = this.state();
      if (isHandshakeState(state)) {
        const r = syncReadLine(data, HANDSHAKE_LINE_MAX);
        if (!r) { this.pending = data.slice(); return; }
        data = r.rest;
        this.send({ type: 'REPLY', line: r.line });
        if (data.length === 0) return;
        continue;
      }
      if (state === 'transfer') {
        this.readSyncBulkPayload(data);
        return;
      }
      if (state === 'loading' && st.transfer) {
        if (data.length) st.transfer.rest.push(data.slice());
        return;
      }
      if (state === 'connected' && st.master?.client) {
        // A partial resync: what followed +CONTINUE is the stream.
        if (data.length) this.feedMaster(st.master, data.slice());
        return;
      }
      return;
    }
  }

  // ---- handshake ---------------------------------------------------------------------------

  private sendHandshake(): void {
    const s = this.server;
    const cfg = s.config;
    let out = '';
    const masterauth = cfg.get<string | null>('masterauth') || null;
    const masteruser = cfg.get<string | null>('masteruser') || null;
    this.sentAuth = masterauth !== null;
    if (masterauth !== null) out += encodeArgv(masteruser ? ['AUTH', masteruser, masterauth] : ['AUTH', masterauth]);
    const port = cfg.get<number>('replica-announce-port') || cfg.get<number>('port');
    out += encodeArgv(['REPLCONF', 'listening-port', String(port)]);
    const ip = cfg.get<string | null>('replica-announce-ip') || null;
    this.sentIp = ip !== null;
    if (ip !== null) out += encodeArgv(['REPLCONF', 'ip-address', ip]);
    out += encodeArgv(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
    this.write(out);
  }

  /** slaveTryPartialResynchronization(), writing half. */
  private sendPsync(): void {
    const s = this.server;
    const st = replState(s);
    st.masterInitialOffset = -1;
    let id = '?', offset = '-1';
    if (st.cachedMaster) {
      id = st.cachedMaster.replid;
      offset = String(st.cachedMaster.reploff + 1);
      s.log.notice(`Trying a partial resynchronization (request ${id}:${offset}).`);
    } else {
      s.log.notice('Partial resynchronization not possible (no cached master)');
    }
    const argv = ['PSYNC', id, offset];
    if (st.failoverState === 'failover-in-progress') argv.push('FAILOVER');
    this.write(encodeArgv(argv));
  }

  private onFullResync(reply: string): void {
    const s = this.server;
    const st = replState(s);
    const sp = reply.indexOf(' ');
    const replid = sp >= 0 ? reply.slice(sp + 1) : '';
    const sp2 = replid.indexOf(' ');
    if (sp < 0 || sp2 !== 40) {
      s.log.warning('Master replied with wrong +FULLRESYNC syntax.');
      st.masterReplid = '';
    } else {
      st.masterReplid = replid.slice(0, 40);
      const m = /^\s*([+-]?\d+)/.exec(replid.slice(41));
      st.masterInitialOffset = m ? Number(m[1]) : 0;
      s.log.notice(`Full resync from master: ${st.masterReplid}:${st.masterInitialOffset}`);
    }
    replState(s).callbacks.psyncAccepted?.();
  }

  private onContinue(reply: string): void {
    const s = this.server;
    const st = replState(s);
    s.log.notice('Successful partial resynchronization with master.');
    const cached = st.cachedMaster!;
    const rest = reply.slice(10);
    if (reply.length > 9 && rest.length === 40) {
      if (rest !== cached.replid) {
        s.log.warning(`Master replication ID changed to ${rest}`);
        s.replId2 = cached.replid;
        s.secondReplOffset = s.masterReplOffset + 1;
        s.replId = rest;
        cached.replid = rest;
        disconnectSlaves(s);
      }
    }
    this.resurrectCachedMaster();
    if (!st.backlog) createReplicationBacklog(s);
    s.log.notice('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
    replState(s).callbacks.psyncAccepted?.();
  }

  // ---- the bulk payload ----------------------------------------------------------------------

  /** useDisklessLoad(). */
  private disklessLoad(): boolean {
    const mode = this.server.config.get<string>('repl-diskless-load');
    return mode === 'swapdb' || (mode === 'on-empty-db' && this.server.dbs.every((d) => d.dict.size === 0));
  }

  private prepareTransfer(): void {
    const s = this.server;
    const st = replState(s);
    let tmpfile: string | null = null;
    if (!this.disklessLoad()) {
      tmpfile = `temp-${unixtime(s)}.${s.os.pid}.rdb`;
      try {
        this.tmpHandle = s.os.fs.open(tmpfile, 'write', { createMode: REDIS_OPEN_CREATE_MODE });
      } catch (e) {
        s.log.warning(`Opening the temp file needed for MASTER <-> REPLICA synchronization: ${strerror(e)}`);
        tmpfile = null;
        this.tmpHandle = null;
      }
    }
    st.transfer = { size: -1, read: 0, useMark: false, eofMark: '', buf: EMPTY, tmpfile, rest: [], lastFsyncOff: 0 };
    st.transferLastIoMs = s.os.now();
  }

  /** readSyncBulkPayload(): the `$` line, then the bytes. */
  private readSyncBulkPayload(data: Uint8Array): void {
    const s = this.server;
    const st = replState(s);
    const t = st.transfer;
    if (!t) return;
    while (t.size === -1) {
      const r = syncReadLine(data, BULK_LINE_MAX);
      if (!r) { this.pending = data.slice(); return; }
      const line = r.line;
      s.stats.netReplInputBytes += data.length - r.rest.length;
      data = r.rest;
      if (line[0] === '-') {
        s.log.warning(`MASTER aborted replication with an error: ${line.slice(1)}`);
        this.send({ type: 'TRANSFER_FAILED' });
        return;
      }
      if (line === '') { st.transferLastIoMs = s.os.now(); continue; }
      if (line[0] !== '$') {
        s.log.warning(`Bad protocol from MASTER, the first byte is not '$' (we received '${line}'), are you sure the host and port are right?`);
        this.send({ type: 'TRANSFER_FAILED' });
        return;
      }
      const to = t.tmpfile === null ? 'to parser' : 'to disk';
      if (t.tmpfile === null) {
        t.diskless = { started: false, swapdb: s.config.get<string>('repl-diskless-load') === 'swapdb', async: false };
      }
      if (line.startsWith('$EOF:') && line.length - 5 >= 40) {
        t.useMark = true;
        t.eofMark = line.slice(5, 45);
        t.size = 0;
        s.log.notice(`MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF ${to}`);
      } else {
        const m = /^\s*([+-]?\d+)/.exec(line.slice(1));
        t.size = m ? Number(m[1]) : 0;
        t.buf = new Uint8Array(Math.max(0, t.size));
        s.log.notice(`MASTER <-> REPLICA sync: receiving ${t.size} bytes from master ${to}`);
      }
    }
    if (data.length === 0) return;
    if (t.diskless && !t.diskless.started) this.beginDisklessLoad();
    let bytes = data;
    if (!t.useMark) {
      const left = t.size - t.read;
      if (data.length > left) {
        bytes = data.subarray(0, left);
        t.rest.push(data.slice(left));
      }
    }
    s.stats.netReplInputBytes += bytes.length;
    if (t.read + bytes.length > t.buf.length) {
      // EOF-marked transfers have no announced size: grow by doubling.
      const grown = new Uint8Array(Math.max(t.read + bytes.length, t.buf.length * 2, 64 * 1024));
      grown.set(t.buf.subarray(0, t.read));
      t.buf = grown;
    }
    t.buf.set(bytes, t.read);
    t.read += bytes.length;
    if (this.tmpHandle) {
      try {
        this.tmpHandle.write(bytes);
      } catch (e) {
        s.log.warning(`Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: ${strerror(e)}`);
        this.send({ type: 'TRANSFER_FAILED' });
        return;
      }
      if (t.read >= t.lastFsyncOff + WRITTEN_BEFORE_FSYNC) t.lastFsyncOff = t.read;
    }
    let eof = false;
    if (t.useMark) {
      if (t.read >= 40 && bytesToStr(t.buf, t.read - 40, t.read) === t.eofMark) eof = true;
    } else if (t.read === t.size) {
      eof = true;
    }
    if (t.parser) {
      // The loader reads the connection as fast as it parses: what it has not parsed yet stays
      // in the kernel, so a slow load holds back the master's writes.
      if (eof) t.complete = true;
      this.parseArrived();
      // Not while the parser waits for the rest of a record: it would never come.
      const p = t.parser;
      if (!t.complete && !p.paused && t.read >= p.stuckAt && t.read - p.load.parsed > UNPARSED_HIGH_WATER) this.pauseReads(t, true);
      return;
    }
    if (eof) this.send({ type: 'PAYLOAD_COMPLETE' });
  }

  private pauseReads(t: IncomingTransfer, paused: boolean): void {
    if (!t.parser || t.parser.paused === paused) return;
    t.parser.paused = paused;
    replState(this.server).transferSocket?.pauseReads?.(paused);
  }

  /** Parse what has arrived of a diskless load, unless a parse is already under way. */
  private parseArrived(): void {
    const s = this.server;
    const t = replState(s).transfer;
    if (!t?.parser || t.parser.running) return;
    t.parser.running = true;
    const run = this.runParser(t).catch((e) => s.log.warning(`Internal error loading the master's RDB: ${e?.stack ?? e}`));
    s.os.trackAsync?.(run);
  }

  /**
   * rdbLoadRio on the connection: records are loaded as they arrive, each step of
   * loading-process-events-interval-bytes paying its modelled CPU time and key-load-delay per
   * key, then the event loop runs (processEventsWhileBlocked) and loading_loaded_bytes moves.
   * Once the whole payload is there and parsed (or cannot be), PAYLOAD_COMPLETE: loadTransfer
   * finishes the load.
   */
  private async runParser(t: IncomingTransfer): Promise<void> {
    const s = this.server;
    const st = replState(s);
    const p = t.parser!;
    const live = () => st.transfer === t && !!t.diskless?.started;
    for (;;) {
      if (!live()) return;
      const avail = Math.max(0, t.complete && t.useMark ? t.read - 40 : t.read);
      if (p.done || (!t.complete && avail < p.stuckAt)) {
        this.pauseReads(t, false);
        break;
      }
      const step = Math.max(1, rdbLoadingStepBytes(s));
      const before = p.load.parsed;
      const stopAt = (Math.floor(before / step) + 1) * step;
      let done: boolean;
      try {
        done = p.load.feed(t.buf.subarray(0, avail), false, stopAt);
      } catch (e) {
        p.running = false;
        this.disklessParseFailed(e);
        return;
      }
      const after = p.load.parsed;
      if (after > before) {
        s.os.busy((after - before) / COST.rdbLoadBytesPerMs);
        const items = p.load.stats.keysLoaded + p.load.stats.keysExpired;
        const delayUs = optionalConfig(s, 'key-load-delay', 0);
        if (delayUs !== 0) debugDelay(s, delayUs, items - p.itemsPaced);
        p.itemsPaced = items;
        // Reading the socket is I/O: the transfer is not timing out.
        st.transferLastIoMs = s.os.now();
        if (Math.floor(after / step) > Math.floor(before / step)) persistenceOf(s).loadingLoadedBytes = after;
        if (p.paused && t.read - after <= UNPARSED_HIGH_WATER) this.pauseReads(t, false);
      }
      if (done) { p.done = true; break; }
      if (after >= stopAt) {
        await yieldToEventLoop(s);
        continue;
      }
      // A record not all here: try again once there are twice as many of its bytes (a big
      // value is not re-parsed for every packet).
      p.stuckAt = after + Math.max(1, 2 * (avail - after));
      this.pauseReads(t, false);
      if (t.complete) break;
    }
    p.running = false;
    if (!live()) return;
    if (p.done || t.complete) this.pauseReads(t, false);
    if (t.complete) this.send({ type: 'PAYLOAD_COMPLETE' });
  }

  /** A diskless load that failed while the payload arrived (the records' own checks). */
  private disklessParseFailed(e: unknown): void {
    const s = this.server;
    if (e instanceof RdbLoadFatal && e.kind === 'fatal') {
      stopLoading(s);
      s.terminate(1);
      return;
    }
    if (!(e instanceof RdbLoadFatal)) s.log.warning(`Internal error loading the master's RDB: ${(e as Error)?.stack ?? e}`);
    s.log.warning('Failed trying to load the MASTER synchronization DB from socket: Success');
    this.send({ type: 'TRANSFER_FAILED' });
  }

  /** The RDB image received (without the EOF mark). */
  private payload(): Uint8Array {
    const t = replState(this.server).transfer!;
    return t.buf.subarray(0, Math.max(0, t.useMark ? t.read - 40 : t.read));
  }

  /** The second half of readSyncBulkPayload(): flush, load, and become connected. */
  private async loadTransfer(): Promise<void> {
    const s = this.server;
    const st = replState(s);
    const t = st.transfer!;
    const diskless = t.tmpfile === null;
    const d = t.diskless;
    const bytes = this.payload();
    const filename = s.config.get<string>('dbfilename');
    if (d) {
      // A payload of nothing but the EOF mark never started the load.
      if (!d.started) this.beginDisklessLoad();
    } else {
      const pst = persistenceOf(s);
      if (pst.aofState !== 'off') stopAppendOnly(s);
      if (rdbChildType(s) !== 'none') {
        if (!diskless) {
          s.log.notice(`Replica is about to load the RDB file received from the master, but there is a pending RDB child running. Killing process ${pst.child?.pid ?? st.socketTransfer?.pid} and removing its temp file to avoid any race`);
        }
        killRdbChild(s);
      }
      this.attachToNewMaster();
      s.log.notice('MASTER <-> REPLICA sync: Flushing old data');
      this.emptyData();
      s.log.notice('MASTER <-> REPLICA sync: Loading DB in memory');
    }
    if (!diskless) {
      try {
        this.tmpHandle?.fsync();
        this.tmpHandle?.close();
        if (t.useMark) {
          const h = s.os.fs.open(t.tmpfile!, 'append');
          h.truncate(bytes.length);
          h.close();
        }
        this.tmpHandle = null;
        s.os.fs.rename(t.tmpfile!, filename);
        t.tmpfile = null;
      } catch (e) {
        s.log.warning(`Failed trying to rename the temp DB into ${filename} in MASTER <-> REPLICA synchronization: ${strerror(e)}`);
        this.send({ type: 'LOAD_FAILED' });
        return;
      }
    }
    if (!d) startLoading(s, bytes.length);
    // swapdb: the RDB goes to a temp db (rdbLoadingCtx), swapped with the live one on success.
    const p = t.parser;
    const into = p ? p.into : undefined;
    let replStreamDb = -1;
    try {
      let stats;
      if (p) {
        // Parsed while it arrived; what is left is the end of a broken image, reported now.
        if (!p.done) p.load.feed(bytes, true);
        stats = p.load.stats;
      } else {
        stats = loadRdbIntoServer(s, bytes, filename, { fromSocket: diskless });
        await paceLoading(s, bytes.length, COST.rdbLoadBytesPerMs, {
          items: stats.keysLoaded + stats.keysExpired, stepBytes: rdbLoadingStepBytes(s),
        });
      }
      if (stats.repl.replStreamDb !== undefined) replStreamDb = stats.repl.replStreamDb;
      logDoneLoading(s, stats);
    } catch (e) {
      stopLoading(s);
      if (!(e instanceof RdbLoadFatal)) throw e;
      if (e.kind === 'fatal' && diskless) { s.terminate(1); return; }
      s.log.warning(diskless
        ? 'Failed trying to load the MASTER synchronization DB from socket: Success'
        : `Failed trying to load the MASTER synchronization DB from disk: ${e.message}`);
      if (into) this.discardTempDb(into.dbs);
      else if (diskless) this.emptyData();
      this.removeRdbIfNoPersistence(diskless);
      this.send({ type: 'LOAD_FAILED' });
      return;
    }
    if (into) this.swapInTempDb(into);
    if (diskless) s.dirty++;
    stopLoading(s);
    this.removeRdbIfNoPersistence(diskless);
    s.os.setTimer(0, () => s.event(() => {
      if (this.state() !== 'loading') return;
      this.loadedStreamDb = replStreamDb;
      this.send({ type: 'LOADED' });
    }));
  }

  private loadedStreamDb = -1;

  /** The transfer is a diskless load that has started (LOADING is on, data may be flushed). */
  private disklessLoadStarted(): boolean {
    return !!replState(this.server).transfer?.diskless?.started;
  }

  /**
   * The start of a diskless load, at the first payload bytes (readSyncBulkPayload once the
   * `$` line is read): stop AOF and any RDB child, then either keep the old data aside
   * (swapdb) or attach to the new master and flush, and enter LOADING, asynchronous when
   * swapdb loads the same history (our replid is the master's).
   */
  private beginDisklessLoad(): void {
    const s = this.server;
    const st = replState(s);
    const t = st.transfer!;
    const d = t.diskless!;
    d.started = true;
    if (persistenceOf(s).aofState !== 'off') stopAppendOnly(s);
    if (rdbChildType(s) !== 'none') killRdbChild(s);
    if (d.swapdb) {
      d.async = s.replId === st.masterReplid;
    } else {
      this.attachToNewMaster();
      s.log.notice('MASTER <-> REPLICA sync: Flushing old data');
      this.emptyData();
    }
    s.log.notice('MASTER <-> REPLICA sync: Loading DB in memory');
    startLoading(s, t.useMark ? 0 : Math.max(0, t.size), d.async);
    const into = d.swapdb ? { dbs: s.dbs.map((db) => new Db(db.id, s)), functions: [] as string[] } : undefined;
    const load = startRdbLoad(s, s.config.get<string>('dbfilename'), { fromSocket: true, into });
    t.parser = { load, into, done: false, running: false, stuckAt: 0, itemsPaced: 0, paused: false };
  }

  /**
   * rdbLoadRio's failure on a socket that dropped or timed out mid-transfer: a short read,
   * logged as Redis logs it (the offset is the last progress report's).
   */
  private logDisklessLoadFailed(why: string): void {
    const s = this.server;
    const step = rdbLoadingStepBytes(s);
    const offset = Math.floor(persistenceOf(s).loadingLoadedBytes / step) * step;
    s.log.warning('Short read or OOM loading DB. Unrecoverable error, aborting now.');
    s.log.warning(`Internal error in RDB reading offset ${offset}, function at rdb.c:${RDB_C_LINE.unexpectedEof} -> Unexpected EOF reading RDB file. Failure loading rdb format from socket, assuming connection error, resuming operation.`);
    s.log.warning(`Failed trying to load the MASTER synchronization DB from socket: ${why}`);
  }

  /**
   * A diskless load that started ended with its transfer: LOADING stops; swapdb kept the old
   * data (the temp db is dropped), otherwise the half-loaded data is removed.
   */
  private abortDisklessLoad(): void {
    const s = this.server;
    const d = replState(s).transfer!.diskless!;
    d.started = false;
    stopLoading(s);
    // Redis logs the discard after cancelReplicationHandshake() reconnected.
    if (d.swapdb) this.deferredLog = 'MASTER <-> REPLICA sync: Discarding temporary DB in background';
    else this.emptyData();
  }

  /** A line that Redis logs after the reconnection that follows (see abortDisklessLoad). */
  private deferredLog: string | null = null;

  private flushDeferredLog(): void {
    if (this.deferredLog !== null) this.server.log.notice(this.deferredLog);
    this.deferredLog = null;
  }

  /** replicationAttachToNewMaster(): a different dataset, so no PSYNC for us or our replicas. */
  private attachToNewMaster(): void {
    const s = this.server;
    this.discardCachedMaster();
    disconnectSlaves(s);
    freeReplicationBacklog(s);
  }

  /** disklessLoadDiscardTempDb() after a failed swapdb load. */
  private discardTempDb(dbs: Db[]): void {
    for (const db of dbs) db.clear(true);
    this.server.log.notice('MASTER <-> REPLICA sync: Discarding temporary DB in background');
  }

  /** swapMainDbWithTempDb() and the functions with them, then the old data is freed. */
  private swapInTempDb(into: { dbs: Db[]; functions: string[] }): void {
    const s = this.server;
    this.attachToNewMaster();
    s.log.notice('MASTER <-> REPLICA sync: Swapping active DB with loaded DB');
    for (let i = 0; i < s.dbs.length; i++) {
      const live = s.dbs[i], loaded = into.dbs[i];
      // WATCHed keys that change with the swap fail their transactions.
      s.touchAllWatchedKeysInDb(live, loaded);
      live.swapWith(loaded);
    }
    // Blocked clients on keys that now hold a value (or lost a stream) get looked at again.
    for (const [k] of s.blockingKeys) {
      const sep = k.indexOf('\0');
      const id = Number(k.slice(0, sep));
      const name = k.slice(sep + 1);
      const v = s.dbs[id]?.getEntry(name)?.v;
      const was = into.dbs[id]?.getEntry(name)?.v;
      const blockable = v !== undefined && typeof v !== 'string' && (v.type === 'list' || v.type === 'zset' || v.type === 'stream');
      const wasStream = was !== undefined && typeof was !== 'string' && was.type === 'stream';
      if (blockable || wasStream) s.signalKeyAsReady(s.dbs[id], name);
    }
    invalidateAllOnFlush(s);
    forgetReplicaKeysWithExpire(s);
    persistenceOf(s).functions = into.functions;
    for (const db of into.dbs) db.clear(true);
    s.log.notice('MASTER <-> REPLICA sync: Discarding old DB in background');
  }

  private removeRdbIfNoPersistence(diskless: boolean): void {
    const s = this.server;
    if (diskless || !s.config.get<boolean>('rdb-del-sync-files') || !allPersistenceDisabled(s)) return;
    s.log.notice('Removing the RDB file obtained from the master. This replica has persistence disabled');
    try { s.os.fs.unlink(s.config.get<string>('dbfilename')); } catch { /* gone */ }
  }

  /** emptyData(-1): every db, the functions too. */
  private emptyData(): void {
    const s = this.server;
    s.touchAllWatchedKeysInDb(null, true);
    const async = s.config.get<boolean>('replica-lazy-flush');
    for (const db of s.dbs) db.clear(async);
    forgetReplicaKeysWithExpire(s);
    persistenceOf(s).functions = [];
  }

  /** The end of a full sync: the connection becomes the master client. */
  private finishSync(): void {
    const s = this.server;
    const st = replState(s);
    const t = st.transfer!;
    const sock = st.transferSocket!;
    st.transferSocket = null;
    st.transfer = null;
    const link: MasterLink = {
      client: null, replid: st.masterReplid, reploff: st.masterInitialOffset, readReploff: st.masterInitialOffset,
      dbId: this.loadedStreamDb >= 0 ? this.loadedStreamDb : 0, unapplied: [],
      prePsync: st.masterInitialOffset === -1,
    };
    st.master = link;
    st.downSinceSec = 0;
    this.attachMasterClient(link, sock);
    s.replId = link.replid;
    s.masterReplOffset = link.reploff;
    clearReplicationId2(s);
    if (!st.backlog) createReplicationBacklog(s);
    s.log.notice('MASTER <-> REPLICA sync: Finished with success');
    if (t.useMark) this.sendAck();
    if (s.config.get<boolean>('appendonly') && persistenceOf(s).aofState === 'off') this.restartAofAfterSync();
    const c = link.client!;
    const closed = this.closedWhileLoading;
    this.closedWhileLoading = false;
    for (const chunk of t.rest) {
      if (!s.clients.has(c.id)) break;
      this.feedMaster(link, chunk);
    }
    if (closed && s.clients.has(c.id)) s.freeClient(c);
  }

  /** restartAOFAfterSYNC(). */
  restartAofAfterSync(): void {
    const s = this.server;
    if (!startAppendOnly(s)) {
      s.log.warning('Failed enabling the AOF after successful master synchronization! Trying it again in one second.');
    }
  }

  // ---- the master client -----------------------------------------------------------------

  /** replicationCreateMasterClient(): a client on `sock` that applies the stream. */
  private attachMasterClient(link: MasterLink, sock: Socket): void {
    const s = this.server;
    sock.onConnect = null;
    const c = s.createClient(sock);
    c.isMaster = true;
    c.authenticated = true;
    c.replyMuted = true;
    // The master client has no ACL user: it can do everything (CLIENT LIST shows it so).
    c.user = '(superuser)';
    c.db = s.dbs[link.dbId] ?? s.dbs[0];
    link.client = c;
    // read_reploff counts every byte read from the master.
    sock.onData = (b) => s.event(() => this.feedMaster(link, b));
  }

  /** Bytes of the stream for the master client (readQueryFromClient). */
  private feedMaster(link: MasterLink, b: Uint8Array): void {
    const c = link.client;
    if (!c || !this.server.clients.has(c.id)) return;
    link.readReploff += b.length;
    link.unapplied.push(b.slice());
    this.server.readFromClient(c, b);
  }

  /** replicationResurrectCachedMaster(): +CONTINUE on the handshake connection. */
  private resurrectCachedMaster(): void {
    const s = this.server;
    const st = replState(s);
    const link = st.cachedMaster!;
    const sock = st.transferSocket!;
    st.transferSocket = null;
    st.cachedMaster = null;
    st.master = link;
    st.downSinceSec = 0;
    link.unapplied = [];
    this.attachMasterClient(link, sock);
    // The rest of the data event (the backlog) is read by onData's `connected` branch.
  }

  /**
   * A command (or a newline) from the master was applied (commandProcessed): the applied
   * offset is what was read minus what the parser has not consumed yet, except inside a
   * MULTI, which counts at its EXEC. The bytes applied since last time are proxied unchanged
   * to our own replicas and backlog, so the whole chain shares one offset space.
   */
  streamApplied(c: Client): void {
    const s = this.server;
    const link = replState(s).master;
    if (!link || link.client !== c || c.inMulti) return;
    const applied = link.readReploff - c.parser.pendingBytes;
    let n = applied - link.reploff;
    if (n <= 0) return;
    link.reploff = applied;
    link.dbId = c.db.id;
    let raw = '';
    while (n > 0 && link.unapplied.length) {
      const chunk = link.unapplied[0];
      if (chunk.length <= n) {
        raw += bytesToStr(chunk);
        n -= chunk.length;
        link.unapplied.shift();
      } else {
        raw += bytesToStr(chunk, 0, n);
        link.unapplied[0] = chunk.subarray(n);
        n = 0;
      }
    }
    replicationFeedStreamFromMasterStream(s, raw);
  }

  /** replicationSendAck(): REPLCONF ACK <reploff>, even though replies to the master are muted. */
  sendAck(): void {
    const link = replState(this.server).master;
    const c = link?.client;
    if (!link || !c) return;
    c.replyMuted = false;
    c.replyRaw(encodeArgv(['REPLCONF', 'ACK', String(link.reploff)]));
    c.replyMuted = true;
  }

  /** The master client was freed (freeClient → replicationCacheMaster). */
  masterClientClosed(c: Client): boolean {
    const s = this.server;
    const st = replState(s);
    if (!st.master || st.master.client !== c) return false;
    // The process is exiting (terminate frees every client): nothing to cache or reconnect.
    if (s.exiting) { st.master.client = null; return true; }
    s.log.warning('Connection with master lost.');
    s.log.notice('Caching the disconnected master state.');
    const link = st.master;
    link.client = null;
    link.readReploff = link.reploff;
    link.unapplied = [];
    link.dbId = c.db.id;
    st.cachedMaster = link;
    // replicationHandleMasterDisconnection().
    st.master = null;
    st.downSinceSec = unixtime(s);
    if (s.masterHost !== null) this.send({ type: 'MASTER_LOST' });
    return true;
  }

  /** replicationDiscardCachedMaster(). */
  discardCachedMaster(): void {
    const st = replState(this.server);
    if (!st.cachedMaster) return;
    this.server.log.notice('Discarding previously cached master state.');
    st.cachedMaster = null;
  }

  /** replicationCacheMasterUsingMyself(): our own id and offset, to PSYNC with a new master. */
  cacheMasterUsingMyself(): void {
    const s = this.server;
    const st = replState(s);
    s.log.notice('Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.');
    st.masterInitialOffset = s.masterReplOffset;
    st.cachedMaster = {
      client: null, replid: s.replId, reploff: s.masterReplOffset, readReploff: s.masterReplOffset,
      dbId: 0, unapplied: [],
    };
  }
}
