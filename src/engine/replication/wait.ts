/**
 * WAIT numreplicas timeout: synchronous replication on request (replication.c waitCommand,
 * processClientsWaitingReplicas, replicationRequestAckFromSlaves).
 *
 * The client waits for the offset of its last write (c->woff: master_repl_offset right after
 * that write was propagated). If enough online replicas already acknowledged it, WAIT answers
 * at once; otherwise the client blocks, and before the event loop sleeps the master sends
 * `REPLCONF GETACK *` to all replicas (once per event, for all the WAITs of that event; the
 * GETACK is part of the stream and advances the offset). Each ACK that arrives is checked in
 * beforeSleep; the timeout answers with the count reached so far.
 */
import type { Client } from '../server/client';
import type { RedisServer } from '../server/server';
import { replState, replicaInfo } from './state';
import { replicationFeedSlaves } from './master';

/** replicationCountAcksByOffset(). */
export function countAcksByOffset(server: RedisServer, offset: number): number {
  let n = 0;
  for (const c of replState(server).replicas) {
    const r = replicaInfo(c);
    if (r.state === 'online' && (r.ackOff ?? 0) >= offset) n++;
  }
  return n;
}

/** The offset a client's WAIT waits for (c->woff). */
export function clientWriteOffset(c: Client): number {
  return (c.repl.woff as number | undefined) ?? 0;
}

/** waitCommand() after argument parsing (server-admin.ts parses and checks the role). */
export function waitCommand(server: RedisServer, c: Client, numReplicas: number, timeoutMs: number): void {
  const st = replState(server);
  const offset = clientWriteOffset(c);
  const acked = countAcksByOffset(server, offset);
  if (acked >= numReplicas || c.inMulti) {
    c.replyInt(acked);
    return;
  }
  server.blockClient(c, {
    kind: 'wait', dbId: c.db.id, keys: [], timeoutMs, argv: c.argv, cmd: c.cmd!,
    waitOffset: offset, waitReplicas: numReplicas,
    onTimeout: () => {
      const i = st.waitingAcks.indexOf(c);
      if (i >= 0) st.waitingAcks.splice(i, 1);
      c.replyInt(countAcksByOffset(server, offset));
    },
  });
  st.waitingAcks.unshift(c);
  st.getAckFromSlaves = true;
}

/** processClientsWaitingReplicas(), from beforeSleep. */
export function processClientsWaitingReplicas(server: RedisServer): void {
  const st = replState(server);
  let lastOffset = 0, lastNum = 0;
  for (const c of [...st.waitingAcks]) {
    const b = c.blocked;
    if (!b || b.kind !== 'wait') continue;
    const want = b.waitOffset ?? 0, replicas = b.waitReplicas ?? 0;
    let n: number;
    if (lastOffset && lastOffset >= want && lastNum >= replicas) {
      n = lastNum;
    } else {
      n = countAcksByOffset(server, want);
      if (n < replicas) continue;
      lastOffset = want;
      lastNum = n;
    }
    st.waitingAcks.splice(st.waitingAcks.indexOf(c), 1);
    server.unblockClient(c, false);
    c.replyInt(n);
    server.afterUnblock(c);
  }
}

/** sendGetackToReplicas(), from beforeSleep when a client blocked in WAIT (not while paused). */
export function sendGetackIfRequested(server: RedisServer): void {
  const st = replState(server);
  if (!st.getAckFromSlaves || server.clientsPaused()) return;
  replicationFeedSlaves(server, st.slaveSelDb, ['REPLCONF', 'GETACK', '*']);
  st.getAckFromSlaves = false;
}
