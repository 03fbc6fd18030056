/**
 * FAILOVER, Redis 7.0's coordinated failover (replication.c: failoverCommand,
 * updateFailoverStatus, abortFailover):
 *
 * 1. The master pauses writes and enters `waiting-for-sync`.
 * 2. Each replicationCron (every 100 ms while failing over) and each beforeSleep it looks for
 *    the target replica (or any replica) whose acknowledged offset equals master_repl_offset.
 * 3. It then becomes a replica of that replica (`failover-in-progress`) and sends
 *    `PSYNC <replid> <offset> FAILOVER`; the target turns itself into a master and answers
 *    +CONTINUE, and the failover is over (writes resume: they will now get READONLY).
 * 4. TIMEOUT without FORCE aborts; with FORCE the failover goes ahead anyway. Any PSYNC
 *    rejection aborts and the old master becomes a master again.
 */
import type { Client } from '../server/client';
import type { RedisServer } from '../server/server';
import { replState, replicaInfo } from './state';
import { peerIp } from './master';
import { setMaster, unsetMaster } from './role-change';
import type { ReplicaSide } from './replica';
import { pauseWrites, unpauseWrites } from './pause';

/** findReplica(): a replica by its announced (or peer) IP and listening port. */
function findReplica(server: RedisServer, host: string, port: number): Client | null {
  for (const c of replState(server).replicas) {
    const r = replicaInfo(c);
    const ip = r.announcedIp ?? peerIp(c);
    if (ip.toLowerCase() === host.toLowerCase() && port === (r.listeningPort ?? 0)) return c;
  }
  return null;
}

/** clearFailoverState(): also ends the pause the failover started. */
export function clearFailoverState(server: RedisServer): void {
  const st = replState(server);
  st.failoverEndMs = 0;
  st.forceFailover = false;
  st.targetHost = null;
  st.targetPort = 0;
  st.failoverState = 'no-failover';
  unpauseWrites(server, 'failover');
}

/** abortFailover(). */
export function abortFailover(server: RedisServer, replica: ReplicaSide, err: string): void {
  const st = replState(server);
  if (st.failoverState === 'no-failover') return;
  if (st.targetHost) server.log.notice(`FAILOVER to ${st.targetHost}:${st.targetPort} aborted: ${err}`);
  else server.log.notice(`FAILOVER to any replica aborted: ${err}`);
  if (st.failoverState === 'failover-in-progress') unsetMaster(server, replica);
  clearFailoverState(server);
}

/** Writes paused by a FAILOVER with a deadline (replicationCron then skips its PING). */
export function failoverPausedWrites(server: RedisServer): boolean {
  return replState(server).failoverEndMs !== 0 && server.clientsPaused();
}

/** The FAILOVER command after its arguments were parsed (server-admin.ts). */
export function failoverCommand(server: RedisServer, c: Client, opts: { host: string | null; port: number; timeoutMs: number; force: boolean }): void {
  const st = replState(server);
  if (st.failoverState !== 'no-failover') { c.replyError('FAILOVER already in progress.'); return; }
  if (server.masterHost !== null) { c.replyError('FAILOVER is not valid when server is a replica.'); return; }
  if (st.replicas.length === 0) { c.replyError('FAILOVER requires connected replicas.'); return; }
  if (opts.force && (!opts.timeoutMs || !opts.host)) {
    c.replyError('FAILOVER with force option requires both a timeout and target HOST and IP.');
    return;
  }
  if (opts.host !== null) {
    const target = findReplica(server, opts.host, opts.port);
    if (!target) { c.replyError('FAILOVER target HOST and PORT is not a replica.'); return; }
    if (replicaInfo(target).state !== 'online') { c.replyError('FAILOVER target replica is not online.'); return; }
    st.targetHost = opts.host;
    st.targetPort = opts.port;
    server.log.notice(`FAILOVER requested to ${opts.host}:${opts.port}.`);
  } else {
    server.log.notice('FAILOVER requested to any replica.');
  }
  st.failoverEndMs = opts.timeoutMs ? server.os.now() + opts.timeoutMs : 0;
  st.forceFailover = opts.force;
  st.failoverState = 'waiting-for-sync';
  pauseWrites(server, 'failover');
  c.replyOk();
}

/** updateFailoverStatus(). */
export function updateFailoverStatus(server: RedisServer, replica: ReplicaSide): void {
  const st = replState(server);
  if (st.failoverState !== 'waiting-for-sync') return;
  const now = server.os.now();
  if (st.failoverEndMs && st.failoverEndMs <= now) {
    if (st.forceFailover) {
      server.log.notice(`FAILOVER to ${st.targetHost}:${st.targetPort} time out exceeded, failing over.`);
      st.failoverState = 'failover-in-progress';
      setMaster(server, replica, st.targetHost!, st.targetPort);
    } else {
      abortFailover(server, replica, 'Replica never caught up before timeout');
    }
    return;
  }
  let target: Client | null = null;
  if (st.targetHost) {
    target = findReplica(server, st.targetHost, st.targetPort);
  } else {
    for (const c of st.replicas) {
      const r = replicaInfo(c);
      if ((r.ackOff ?? 0) === server.masterReplOffset) {
        st.targetHost = r.announcedIp ?? peerIp(c);
        st.targetPort = r.listeningPort ?? 0;
        target = c;
        break;
      }
    }
  }
  if (target && (replicaInfo(target).ackOff ?? 0) === server.masterReplOffset) {
    st.failoverState = 'failover-in-progress';
    server.log.notice(`Failover target ${st.targetHost}:${st.targetPort} is synced, failing over.`);
    setMaster(server, replica, st.targetHost!, st.targetPort);
  }
}

/** The PSYNC FAILOVER outcome, from the link (syncWithMaster). */
export function registerFailoverLinkHooks(server: RedisServer, replica: ReplicaSide): void {
  const st = replState(server);
  st.callbacks.psyncAccepted = () => {
    if (st.failoverState === 'failover-in-progress') clearFailoverState(server);
  };
  st.callbacks.psyncRejected = () => {
    if (st.failoverState === 'failover-in-progress') abortFailover(server, replica, 'Failover target rejected psync request');
  };
}
