/**
 * What a sentinel learns from INFO and what it does about it (sentinelRefreshInstanceInfo).
 *
 * Reading: the run ID (a new one means the instance restarted: +reboot), the replicas a
 * master lists (`slaveN:ip=...,port=...`, or the old `slaveN:<ip>,<port>,<state>` form; new
 * ones are added with +slave and persisted), master_link_down_since_seconds, the role, and
 * for replicas the master they follow, the link status, replica-priority, the replication
 * offset and replica-announced.
 *
 * Acting (never during TILT):
 * - the replica chosen for promotion now says role:master → the failover moves on (PROMOTED);
 * - another replica says role:master while its master looks sane and nothing went down for
 *   4 publish periods → it is turned back into a replica (+convert-to-slave), which is also what
 *   happens to an old master that comes back after a failover;
 * - a replica following another address while the master looks sane, for longer than the
 *   failover timeout → SLAVEOF the right master (+fix-slave-config);
 * - a replica being reconfigured by a failover: following the promoted replica
 *   (+slave-reconf-inprog), then with its link up (+slave-reconf-done).
 * Role changes are announced as +role-change (consistent with our view) or -role-change.
 */
import {
  type Instance, type SentinelState,
  SRI_MASTER, SRI_SLAVE, SRI_MASTER_REBOOT, SRI_S_DOWN, SRI_O_DOWN, SRI_PROMOTED, SRI_FAILOVER_IN_PROGRESS,
  SRI_RECONF_SENT, SRI_RECONF_INPROG, SRI_RECONF_DONE, atoi, strtoll, strtoull,
} from './state';
import { sentinelEvent } from './events';
import { createInstance, lookupSlave, noDownFor } from './instances';
import { flushConfig } from './config-file';
import { addrEqualsHostname } from './addr';
import { promotionObserved, sendSlaveOf } from './failover';

/** sentinelMasterLooksSane(). */
export function masterLooksSane(st: SentinelState, master: Instance): boolean {
  return (master.flags & SRI_MASTER) !== 0 &&
    master.roleReported === SRI_MASTER &&
    (master.flags & (SRI_S_DOWN | SRI_O_DOWN)) === 0 &&
    st.now() - master.infoRefresh < st.timers.infoPeriod * 2;
}

/** The ip and port of a `slaveN:` line of INFO replication, or null when malformed. */
function parseSlaveLine(l: string): { ip: string; port: string } | null {
  if (!l.includes('ip=')) {
    const colon = l.indexOf(':');
    if (colon < 0) return null;
    const rest = l.slice(colon + 1);
    const c1 = rest.indexOf(',');
    if (c1 < 0) return null;
    const ip = rest.slice(0, c1);
    const afterPort = rest.slice(c1 + 1);
    const c2 = afterPort.indexOf(',');
    if (c2 < 0) return null;
    return { ip, port: afterPort.slice(0, c2) };
  }
  const ipAt = l.indexOf('ip=');
  const portAt = l.indexOf('port=');
  if (portAt < 0) return null;
  const cut = (s: string) => { const c = s.indexOf(','); return c < 0 ? s : s.slice(0, c); };
  return { ip: cut(l.slice(ipAt + 3)), port: cut(l.slice(portAt + 5)) };
}

export function refreshInstanceInfo(st: SentinelState, ri: Instance, info: string): void {
  ri.info = info;
  ri.masterLinkDownTime = 0;
  let role = 0;
  const nul = info.indexOf('\0');
  const text = nul >= 0 ? info.slice(0, nul) : info;
  for (const l of text.split('\r\n')) {
    if (l.length >= 47 && l.startsWith('run_id:')) {
      const id = l.slice(7, 47);
      if (ri.runid === null) {
        ri.runid = id;
      } else if (ri.runid !== id) {
        sentinelEvent(st, 'notice', '+reboot', ri);
        if ((ri.flags & SRI_MASTER) && ri.masterRebootDownAfterPeriod !== 0) {
          ri.flags |= SRI_MASTER_REBOOT;
          ri.masterRebootSinceTime = st.now();
        }
        ri.runid = id;
      }
    }
    if ((ri.flags & SRI_MASTER) && l.length >= 7 && l.startsWith('slave') && l.charCodeAt(5) >= 48 && l.charCodeAt(5) <= 57) {
      const s = parseSlaveLine(l);
      if (s && lookupSlave(st, ri, s.ip, atoi(s.port)) === null) {
        const slave = createInstance(st, null, SRI_SLAVE, s.ip, atoi(s.port), ri.quorum, ri);
        if (!('error' in slave)) {
          sentinelEvent(st, 'notice', '+slave', slave);
          flushConfig(st);
        }
      }
    }
    if (l.length >= 32 && l.startsWith('master_link_down_since_seconds')) {
      ri.masterLinkDownTime = strtoll(l.slice(31)) * 1000;
    }
    if (l.length >= 11 && l.startsWith('role:master')) role = SRI_MASTER;
    else if (l.length >= 10 && l.startsWith('role:slave')) role = SRI_SLAVE;

    if (role === SRI_SLAVE) {
      if (l.length >= 12 && l.startsWith('master_host:')) {
        const host = l.slice(12);
        if (ri.slaveMasterHost === null || host.toLowerCase() !== ri.slaveMasterHost.toLowerCase()) {
          ri.slaveMasterHost = host;
          ri.slaveConfChangeTime = st.now();
        }
      }
      if (l.length >= 12 && l.startsWith('master_port:')) {
        const port = atoi(l.slice(12));
        if (ri.slaveMasterPort !== port) {
          ri.slaveMasterPort = port;
          ri.slaveConfChangeTime = st.now();
        }
      }
      if (l.length >= 19 && l.startsWith('master_link_status:')) {
        ri.slaveMasterLinkUp = l.slice(19).toLowerCase() === 'up';
      }
      if (l.length >= 15 && l.startsWith('slave_priority:')) ri.slavePriority = atoi(l.slice(15));
      if (l.length >= 18 && l.startsWith('slave_repl_offset:')) ri.slaveReplOffset = strtoull(l.slice(18));
      if (l.length >= 18 && l.startsWith('replica_announced:')) ri.replicaAnnounced = atoi(l.slice(18));
    }
  }
  ri.infoRefresh = st.now();

  if (role !== ri.roleReported) {
    ri.roleReportedTime = st.now();
    ri.roleReported = role;
    if (role === SRI_SLAVE) ri.slaveConfChangeTime = st.now();
    const consistent = (ri.flags & (SRI_MASTER | SRI_SLAVE)) === role;
    sentinelEvent(st, 'verbose', consistent ? '+role-change' : '-role-change', ri,
      ` new reported role is ${role === SRI_MASTER ? 'master' : 'slave'}`);
  }

  if (st.tilt) return;

  const master = ri.master;
  if ((ri.flags & SRI_SLAVE) && role === SRI_MASTER && master) {
    if ((ri.flags & SRI_PROMOTED) && (master.flags & SRI_FAILOVER_IN_PROGRESS) && master.failoverState === 'wait_promotion') {
      promotionObserved(master);
    } else {
      // A replica turned into a master: wait a little for a newer configuration to arrive,
      // then make it follow the master we know.
      const wait = st.timers.publishPeriod * 4;
      if (!(ri.flags & SRI_PROMOTED) && masterLooksSane(st, master) && noDownFor(st, ri, wait) && st.now() - ri.roleReportedTime > wait) {
        if (sendSlaveOf(st, ri, master.addr)) sentinelEvent(st, 'notice', '+convert-to-slave', ri);
      }
    }
  }

  if ((ri.flags & SRI_SLAVE) && role === SRI_SLAVE && master &&
    (ri.slaveMasterPort !== master.addr.port || ri.slaveMasterHost === null || !addrEqualsHostname(st, master.addr, ri.slaveMasterHost))) {
    const wait = master.failoverTimeout;
    if (masterLooksSane(st, master) && noDownFor(st, ri, wait) && st.now() - ri.slaveConfChangeTime > wait) {
      if (sendSlaveOf(st, ri, master.addr)) sentinelEvent(st, 'notice', '+fix-slave-config', ri);
    }
  }

  if ((ri.flags & SRI_SLAVE) && role === SRI_SLAVE && master && (ri.flags & (SRI_RECONF_SENT | SRI_RECONF_INPROG))) {
    const promoted = master.promotedSlave;
    if ((ri.flags & SRI_RECONF_SENT) && ri.slaveMasterHost !== null && promoted &&
      addrEqualsHostname(st, promoted.addr, ri.slaveMasterHost) && ri.slaveMasterPort === promoted.addr.port) {
      ri.flags &= ~SRI_RECONF_SENT;
      ri.flags |= SRI_RECONF_INPROG;
      sentinelEvent(st, 'notice', '+slave-reconf-inprog', ri);
    }
    if ((ri.flags & SRI_RECONF_INPROG) && ri.slaveMasterLinkUp) {
      ri.flags &= ~SRI_RECONF_INPROG;
      ri.flags |= SRI_RECONF_DONE;
      sentinelEvent(st, 'notice', '+slave-reconf-done', ri);
    }
  }
}
