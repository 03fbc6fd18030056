/**
 * How SENTINEL MASTERS/MASTER/REPLICAS/SENTINELS describe an instance
 * (addReplySentinelRedisInstance): a map whose fields depend on the instance's kind and
 * state, in Redis's order. Numbers are bulk strings, like addReplyBulkLongLong.
 */
import type { Client } from '../server/client';
import {
  type Instance, type SentinelState,
  SRI_S_DOWN, SRI_O_DOWN, SRI_MASTER, SRI_SLAVE, SRI_SENTINEL, SRI_MASTER_DOWN, SRI_FAILOVER_IN_PROGRESS, SRI_PROMOTED,
  SRI_RECONF_SENT, SRI_RECONF_INPROG, SRI_RECONF_DONE, SRI_FORCE_FAILOVER, SRI_SCRIPT_KILL_SENT,
} from './state';
import { announceAddr } from './addr';

const FLAG_NAMES: [number | 'disconnected', string][] = [
  [SRI_S_DOWN, 's_down'], [SRI_O_DOWN, 'o_down'], [SRI_MASTER, 'master'], [SRI_SLAVE, 'slave'], [SRI_SENTINEL, 'sentinel'],
  ['disconnected', 'disconnected'], [SRI_MASTER_DOWN, 'master_down'], [SRI_FAILOVER_IN_PROGRESS, 'failover_in_progress'],
  [SRI_PROMOTED, 'promoted'], [SRI_RECONF_SENT, 'reconf_sent'], [SRI_RECONF_INPROG, 'reconf_inprog'], [SRI_RECONF_DONE, 'reconf_done'],
  [SRI_FORCE_FAILOVER, 'force_failover'], [SRI_SCRIPT_KILL_SENT, 'script_kill_sent'],
];

/** The flags field: "master,disconnected"... */
export function flagsText(ri: Instance): string {
  const out: string[] = [];
  for (const [bit, name] of FLAG_NAMES) {
    if (bit === 'disconnected' ? ri.link.disconnected : (ri.flags & bit) !== 0) out.push(name);
  }
  return out.join(',');
}

/** The fields of one instance, in order. */
export function instanceFields(st: SentinelState, ri: Instance): [string, string][] {
  const now = st.now();
  const f: [string, string][] = [];
  const add = (k: string, v: string | number) => f.push([k, String(v)]);
  add('name', ri.name);
  add('ip', announceAddr(st, ri.addr));
  add('port', ri.addr.port);
  add('runid', ri.runid ?? '');
  add('flags', flagsText(ri));
  add('link-pending-commands', ri.link.pendingCommands);
  add('link-refcount', ri.link.refcount);
  if (ri.flags & SRI_FAILOVER_IN_PROGRESS) add('failover-state', ri.failoverState);
  add('last-ping-sent', ri.link.actPingTime ? now - ri.link.actPingTime : 0);
  add('last-ok-ping-reply', now - ri.link.lastAvailTime);
  add('last-ping-reply', now - ri.link.lastPongTime);
  if (ri.flags & SRI_S_DOWN) add('s-down-time', now - ri.sDownSinceTime);
  if (ri.flags & SRI_O_DOWN) add('o-down-time', now - ri.oDownSinceTime);
  add('down-after-milliseconds', ri.downAfterPeriod);
  if (ri.flags & (SRI_MASTER | SRI_SLAVE)) {
    add('info-refresh', ri.infoRefresh ? now - ri.infoRefresh : 0);
    add('role-reported', ri.roleReported === SRI_MASTER ? 'master' : 'slave');
    add('role-reported-time', now - ri.roleReportedTime);
  }
  if (ri.flags & SRI_MASTER) {
    add('config-epoch', ri.configEpoch);
    add('num-slaves', ri.slaves.size);
    add('num-other-sentinels', ri.sentinels.size);
    add('quorum', ri.quorum);
    add('failover-timeout', ri.failoverTimeout);
    add('parallel-syncs', ri.parallelSyncs);
    if (ri.notificationScript) add('notification-script', ri.notificationScript);
    if (ri.clientReconfigScript) add('client-reconfig-script', ri.clientReconfigScript);
  }
  if (ri.flags & SRI_SLAVE) {
    add('master-link-down-time', ri.masterLinkDownTime);
    add('master-link-status', ri.slaveMasterLinkUp ? 'ok' : 'err');
    add('master-host', ri.slaveMasterHost ?? '?');
    add('master-port', ri.slaveMasterPort);
    add('slave-priority', ri.slavePriority);
    add('slave-repl-offset', ri.slaveReplOffset);
    add('replica-announced', ri.replicaAnnounced);
  }
  if (ri.flags & SRI_SENTINEL) {
    add('last-hello-message', now - ri.lastHelloTime);
    add('voted-leader', ri.leader ?? '?');
    add('voted-leader-epoch', ri.leaderEpoch);
  }
  return f;
}

export function replyFields(c: Client, fields: [string, string][]): void {
  c.replyMapLen(fields.length);
  for (const [k, v] of fields) { c.replyBulk(k); c.replyBulk(v); }
}

/** addReplySentinelRedisInstance(). */
export function replyInstance(c: Client, st: SentinelState, ri: Instance): void {
  replyFields(c, instanceFields(st, ri));
}

/** addReplyDictOfRedisInstances(): replicas with replica-announced no are left out. */
export function replyInstances(c: Client, st: SentinelState, instances: Map<string, Instance>): void {
  const list = [...instances.values()].filter((ri) => !((ri.flags & SRI_SLAVE) && !ri.replicaAnnounced));
  c.replyArrayLen(list.length);
  for (const ri of list) replyInstance(c, st, ri);
}
