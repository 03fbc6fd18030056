/**
 * Creating, finding, resetting and releasing instance records (sentinel.c's
 * createSentinelRedisInstance, releaseSentinelRedisInstance, sentinelResetMaster,
 * sentinelResetMasterAndChangeAddress and friends).
 */
import { createSentinelAddr, addrOrHostnameEqual, announceAddrAndPort, dupAddr } from './addr';
import {
  Instance, type SentinelAddr, type SentinelState,
  SRI_MASTER, SRI_SLAVE, SRI_SENTINEL, SRI_PROMOTED, SRI_FAILOVER_IN_PROGRESS, failoverStateIndex,
} from './state';
import { releaseLink, closeLinkConnection } from './links';
import { sentinelEvent } from './events';
import { createInstanceView } from './down';
import { createFailoverActor } from './failover';
import { flushConfig } from './config-file';
import { stringMatch } from '../util/glob';

export type CreateError = 'EBUSY' | 'ENOENT' | 'EINVAL';

/**
 * createSentinelRedisInstance(): a master (added to the masters table), a replica (named
 * "ip:port", added to its master's replicas) or a sentinel (added to its master's sentinels).
 * Fails when the address is invalid or the name is already taken.
 */
export function createInstance(
  st: SentinelState, name: string | null, flags: number, hostname: string, port: number, quorum: number, master: Instance | null,
): Instance | { error: CreateError } {
  const r = createSentinelAddr(st, hostname, port, true);
  if ('errno' in r) return { error: r.errno };
  const addr = r.addr;
  const instName = flags & SRI_SLAVE ? announceAddrAndPort(st, addr) : name!;
  const table = flags & SRI_MASTER ? st.masters : flags & SRI_SLAVE ? master!.slaves : master!.sentinels;
  if (table.has(instName)) return { error: 'EBUSY' };
  const ri = new Instance(flags, instName, addr, quorum, master, st.now(), st.timers);
  ri.view = createInstanceView(st, ri);
  if (flags & SRI_MASTER) ri.failover = createFailoverActor(st, ri);
  table.set(instName, ri);
  return ri;
}

/** sentinelCheckCreateInstanceErrors(). */
export function createErrorText(error: CreateError, role: number): string {
  switch (error) {
    case 'EBUSY':
      return role === SRI_MASTER ? 'Duplicate master name.' : role === SRI_SLAVE ? 'Duplicate hostname and port for replica.' : 'Duplicate runid for sentinel.';
    case 'ENOENT': return "Can't resolve instance hostname.";
    case 'EINVAL': return 'Invalid port number.';
  }
}

/** releaseSentinelRedisInstance(): the record, its replicas and sentinels, its link. */
export function releaseInstance(ri: Instance): void {
  for (const s of ri.sentinels.values()) releaseInstance(s);
  for (const s of ri.slaves.values()) releaseInstance(s);
  ri.sentinels.clear();
  ri.slaves.clear();
  ri.released = true;
  releaseLink(ri.link);
  ri.view.stop();
  ri.failover?.stop();
  if ((ri.flags & SRI_SLAVE) && (ri.flags & SRI_PROMOTED) && ri.master) ri.master.promotedSlave = null;
}

/** Remove a record from a table and release it (dictDelete with the instance destructor). */
export function deleteInstance(table: Map<string, Instance>, key: string): void {
  const ri = table.get(key);
  if (!ri) return;
  table.delete(key);
  releaseInstance(ri);
}

/** sentinelRedisInstanceLookupSlave(): the replica record for ip:port, if any. */
export function lookupSlave(st: SentinelState, master: Instance, host: string, port: number): Instance | null {
  const r = createSentinelAddr(st, host, port, false);
  if ('errno' in r) return null;
  return master.slaves.get(announceAddrAndPort(st, r.addr)) ?? null;
}

/** removeMatchingSentinelFromMaster(): drop the sentinels with this run ID. */
export function removeMatchingSentinel(master: Instance, runid: string | null): number {
  if (runid === null) return 0;
  let removed = 0;
  for (const [k, ri] of [...master.sentinels]) {
    if (ri.runid !== null && ri.runid === runid) {
      deleteInstance(master.sentinels, k);
      removed++;
    }
  }
  return removed;
}

export const RESET_NO_SENTINELS = 1 << 0;
export const RESET_GENERATE_EVENT = 1 << 16;

/**
 * sentinelResetMaster(): forget the replicas (and the sentinels unless told not to), drop
 * the runtime flags, undo a failover in progress, reset the timers (a new failover may start
 * at once) and reconnect.
 */
export function resetMaster(st: SentinelState, ri: Instance, flags: number): void {
  for (const k of [...ri.slaves.keys()]) deleteInstance(ri.slaves, k);
  if (!(flags & RESET_NO_SENTINELS)) for (const k of [...ri.sentinels.keys()]) deleteInstance(ri.sentinels, k);
  closeLinkConnection(ri.link, 'cc');
  closeLinkConnection(ri.link, 'pc');
  ri.flags &= SRI_MASTER;
  ri.leader = null;
  ri.failoverState = 'none';
  ri.failover?.send({ type: 'RESET' });
  ri.view.send({ type: 'RESET' });
  ri.failoverStateChangeTime = 0;
  ri.failoverStartTime = 0;
  ri.promotedSlave = null;
  ri.runid = null;
  ri.slaveMasterHost = null;
  const now = st.now();
  ri.link.actPingTime = now;
  ri.link.lastPingTime = 0;
  ri.link.lastAvailTime = now;
  ri.link.lastPongTime = now;
  ri.roleReportedTime = now;
  ri.roleReported = SRI_MASTER;
  if (flags & RESET_GENERATE_EVENT) sentinelEvent(st, 'warning', '+reset-master', ri);
}

/** sentinelResetMastersByPattern(). */
export function resetMastersByPattern(st: SentinelState, pattern: string, flags: number): number {
  let reset = 0;
  for (const ri of st.masters.values()) {
    if (stringMatch(pattern, ri.name, false)) {
      resetMaster(st, ri, flags);
      reset++;
    }
  }
  return reset;
}

/**
 * sentinelResetMasterAndChangeAddress(): the master record now points at a new address (the
 * promoted replica); every other known replica, and the old master itself, become its
 * replicas (+slave). Returns false when the address is invalid.
 */
export function resetMasterAndChangeAddress(st: SentinelState, master: Instance, hostname: string, port: number): boolean {
  const r = createSentinelAddr(st, hostname, port, false);
  if ('errno' in r) return false;
  const newAddr = r.addr;
  const slaves: SentinelAddr[] = [];
  for (const s of master.slaves.values()) {
    if (addrOrHostnameEqual(s.addr, newAddr)) continue;
    slaves.push(dupAddr(s.addr));
  }
  if (!addrOrHostnameEqual(newAddr, master.addr)) slaves.push(dupAddr(master.addr));
  resetMaster(st, master, RESET_NO_SENTINELS);
  master.addr = newAddr;
  master.oDownSinceTime = 0;
  master.sDownSinceTime = 0;
  for (const a of slaves) {
    const s = createInstance(st, null, SRI_SLAVE, a.hostname, a.port, master.quorum, master);
    if (!('error' in s)) sentinelEvent(st, 'notice', '+slave', s);
  }
  flushConfig(st);
  return true;
}

/** sentinelRedisInstanceNoDownFor(): no SDOWN/ODOWN began in the last `ms`. */
export function noDownFor(st: SentinelState, ri: Instance, ms: number): boolean {
  const mostRecent = Math.max(ri.sDownSinceTime, ri.oDownSinceTime);
  return mostRecent === 0 || st.now() - mostRecent > ms;
}

/**
 * sentinelGetCurrentMasterAddress(): once the promoted replica accepted its new role
 * (reconf_slaves and later) the master is advertised at the replica's address.
 */
export function currentMasterAddress(master: Instance): SentinelAddr {
  if ((master.flags & SRI_FAILOVER_IN_PROGRESS) && master.promotedSlave && failoverStateIndex(master.failoverState) >= failoverStateIndex('reconf_slaves')) {
    return master.promotedSlave.addr;
  }
  return master.addr;
}

/** sentinelPropagateDownAfterPeriod(). */
export function propagateDownAfterPeriod(master: Instance): void {
  for (const ri of master.slaves.values()) ri.downAfterPeriod = master.downAfterPeriod;
  for (const ri of master.sentinels.values()) ri.downAfterPeriod = master.downAfterPeriod;
}

export { SRI_SENTINEL };
