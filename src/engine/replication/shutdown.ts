/**
 * A master's graceful shutdown with replicas (server.c prepareForShutdown, finishShutdown,
 * isReadyToShutdown, cancelShutdown): unless SHUTDOWN NOW, or `shutdown-timeout 0`, a master
 * whose replicas have not acknowledged its whole stream pauses writes, asks them for an ACK
 * (REPLCONF GETACK *) and waits, the SHUTDOWN caller blocked, until they all did or
 * `shutdown-timeout` seconds passed; then it finishes the shutdown, logging the replicas
 * still lagging and how many were in sync. SHUTDOWN ABORT cancels the wait.
 */
import type { CronTick, RedisServer, ShutdownOptions } from '../server/server';
import { replState, replicaInfo, unixtime } from './state';
import { replicaName, replicaStateString, replicationFeedSlaves, writeToReplicas } from './master';
import { pauseWrites, unpauseWrites } from './pause';

const waiting = new WeakMap<RedisServer, { opts: ShutdownOptions; deadlineMs: number }>();

/** isReadyToShutdown(). */
function readyToShutdown(server: RedisServer): boolean {
  return replState(server).replicas.every((c) => (replicaInfo(c).ackOff ?? 0) === server.masterReplOffset);
}

/** The server's shutdownPrepare hook. */
export function prepareShutdown(server: RedisServer, opts: ShutdownOptions, start: boolean): boolean {
  if (!start) return waiting.has(server);
  const timeout = server.config.get<number>('shutdown-timeout');
  if (timeout === 0 || readyToShutdown(server)) return false;
  waiting.set(server, { opts, deadlineMs: server.os.now() + timeout * 1000 });
  if (!server.clientsPaused()) replicationFeedSlaves(server, replState(server).slaveSelDb, ['REPLCONF', 'GETACK', '*']);
  pauseWrites(server, 'shutdown');
  server.log.notice('Waiting for replicas before shutting down.');
  return true;
}

/** INFO's shutdown_in_milliseconds: the time left to wait for the replicas, null when no shutdown waits. */
export function shutdownInMs(server: RedisServer): number | null {
  const w = waiting.get(server);
  return w ? w.deadlineMs - server.os.now() : null;
}

/** CronHook.quietUntil of shutdownCron: acting on every tick while a shutdown waits. */
export function shutdownQuietUntil(server: RedisServer, tick: CronTick): number {
  return waiting.has(server) ? tick.atMs : Infinity;
}

/** From serverCron: finish once the replicas caught up or the timeout passed. */
export function shutdownCron(server: RedisServer): void {
  const w = waiting.get(server);
  if (!w) return;
  if (server.os.now() < w.deadlineMs && !readyToShutdown(server)) return;
  waiting.delete(server);
  if (server.shutdown({ ...w.opts, resume: true }) !== null) cancel(server);
}

/** cancelShutdown(): blocked SHUTDOWN callers get an error, writes resume. */
function cancel(server: RedisServer): void {
  for (const c of [...server.clients.values()]) {
    if (c.blocked?.kind !== 'shutdown') continue;
    server.unblockClient(c, false);
    c.replyError('Errors trying to SHUTDOWN. Check logs.');
    server.afterUnblock(c);
  }
  unpauseWrites(server, 'shutdown');
}

/** The server's shutdownAbort hook (SHUTDOWN ABORT while waiting). */
export function abortShutdownWait(server: RedisServer): boolean {
  if (!waiting.has(server)) return false;
  waiting.delete(server);
  cancel(server);
  return true;
}

/** The replication part of finishShutdown(). */
export function replicasAtShutdown(server: RedisServer): void {
  const st = replState(server);
  let lagging = 0;
  for (const c of st.replicas) {
    const r = replicaInfo(c);
    if ((r.ackOff ?? 0) === server.masterReplOffset) continue;
    lagging++;
    const lag = r.state === 'online' ? unixtime(server) - Math.floor((r.ackTimeMs ?? 0) / 1000) : 0;
    server.log.warning(`Lagging replica ${replicaName(c)} reported offset ${server.masterReplOffset - (r.ackOff ?? 0)} behind master, lag=${lag}, state=${replicaStateString(r)}.`);
  }
  if (st.replicas.length > 0) server.log.notice(`${st.replicas.length - lagging} of ${st.replicas.length} replicas are in sync when shutting down.`);
  if (st.socketTransfer) {
    server.log.warning('There is a child saving an .rdb. Killing it!');
    st.socketTransfer.child.kill('SIGUSR1');
  }
  // flushSlavesOutputBuffers(): a best effort before the sockets close.
  writeToReplicas(server);
}
