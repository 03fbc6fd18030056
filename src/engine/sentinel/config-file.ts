/**
 * sentinel.conf: the `sentinel ...` directives (sentinelHandleConfiguration) and how the
 * sentinel persists its state in the file (rewriteConfigSentinelOption + sentinelFlushConfig).
 *
 * Loading: the config loader queues every `sentinel` line; they are applied after the file in
 * three passes, global options first (announce-ip, announce-port, deny-scripts-reconfig,
 * sentinel-user, sentinel-pass, current-epoch, myid, resolve-hostnames, announce-hostnames),
 * then `monitor`, then the per-master options, so their order in the file does not matter. An
 * error prints the FATAL CONFIG FILE ERROR block and exits.
 *
 * Saving: on every state change (a vote, an epoch, a failover, a replica or sentinel found,
 * SENTINEL SET/MONITOR/REMOVE...) the file is rewritten by the generic CONFIG REWRITE
 * (src/engine/config/rewrite.ts) with the sentinel's lines added: `sentinel myid`, the
 * masters with their non-default options, `config-epoch`, `leader-epoch`, `known-replica`,
 * `known-sentinel`, `rename-command`, then `current-epoch` and the non-default globals. The
 * rewrite is synchronous, like Redis's: the sentinel keeps the text it last wrote and reuses it
 * while the file's size and mtime are unchanged; a file changed behind its back is read again
 * first (then the save completes a moment later).
 */
import { Instance, type SentinelState, SRI_MASTER, SRI_SLAVE, SRI_SENTINEL, DEFAULT_PARALLEL_SYNCS, DEFAULT_DENY_SCRIPTS_RECONFIG, atoi, strtoull } from './state';
import { createInstance, createErrorText, currentMasterAddress, propagateDownAfterPeriod } from './instances';
import { tryConnectionSharing } from './links';
import { addrOrHostnameEqual, announceAddr } from './addr';
import { rewriteConfigText, writeConfigFileAtomically, strerror, type RewriteContext } from '../config/rewrite';
import type { RewriteSink } from '../config/types';
import { aclRewriteLines } from '../commands/acl';
import { repr } from '../util/repr';
import { bytesToStr } from '../bytes';
import { REDIS_VERSION } from '../server/server';
import type { Client } from '../server/client';
import { scriptExecutable } from './scripts';

const PRE_MONITOR = new Set(['announce-ip', 'announce-port', 'deny-scripts-reconfig', 'sentinel-user', 'sentinel-pass', 'current-epoch', 'myid', 'resolve-hostnames', 'announce-hostnames']);

/** yesnotoi(). */
function yesno(s: string): boolean | null {
  const l = s.toLowerCase();
  return l === 'yes' ? true : l === 'no' ? false : null;
}

/** sentinelHandleConfiguration(): one `sentinel` directive (argv after "sentinel"). */
export function handleConfiguration(st: SentinelState, argv: string[]): string | null {
  const opt = argv[0].toLowerCase();
  const n = argv.length;
  const masterOf = (name: string) => st.masters.get(name) ?? null;
  const NO_MASTER = 'No such master with specified name.';
  if (opt === 'monitor' && n === 5) {
    const quorum = atoi(argv[4]);
    if (quorum <= 0) return 'Quorum must be 1 or greater.';
    const r = createInstance(st, argv[1], SRI_MASTER, argv[2], atoi(argv[3]), quorum, null);
    if ('error' in r) return createErrorText(r.error, SRI_MASTER);
  } else if (opt === 'down-after-milliseconds' && n === 3) {
    const ri = masterOf(argv[1]);
    if (!ri) return NO_MASTER;
    ri.downAfterPeriod = atoi(argv[2]);
    if (ri.downAfterPeriod <= 0) return 'negative or zero time parameter.';
    propagateDownAfterPeriod(ri);
  } else if (opt === 'failover-timeout' && n === 3) {
    const ri = masterOf(argv[1]);
    if (!ri) return NO_MASTER;
    ri.failoverTimeout = atoi(argv[2]);
    if (ri.failoverTimeout <= 0) return 'negative or zero time parameter.';
  } else if (opt === 'parallel-syncs' && n === 3) {
    const ri = masterOf(argv[1]);
    if (!ri) return NO_MASTER;
    ri.parallelSyncs = atoi(argv[2]);
  } else if (opt === 'notification-script' && n === 3) {
    const ri = masterOf(argv[1]);
    if (!ri) return NO_MASTER;
    if (!scriptExecutable(st.server.os, argv[2])) return 'Notification script seems non existing or non executable.';
    ri.notificationScript = argv[2];
  } else if (opt === 'client-reconfig-script' && n === 3) {
    const ri = masterOf(argv[1]);
    if (!ri) return NO_MASTER;
    if (!scriptExecutable(st.server.os, argv[2])) return 'Client reconfiguration script seems non existing or non executable.';
    ri.clientReconfigScript = argv[2];
  } else if (opt === 'auth-pass' && n === 3) {
    const ri = masterOf(argv[1]);
    if (!ri) return NO_MASTER;
    ri.authPass = argv[2];
  } else if (opt === 'auth-user' && n === 3) {
    const ri = masterOf(argv[1]);
    if (!ri) return NO_MASTER;
    ri.authUser = argv[2];
  } else if (opt === 'current-epoch' && n === 2) {
    const e = strtoull(argv[1]);
    if (e > st.currentEpoch) st.currentEpoch = e;
  } else if (opt === 'myid' && n === 2) {
    if (argv[1].length !== 40) return 'Malformed Sentinel id in myid option.';
    st.myid = argv[1];
  } else if (opt === 'config-epoch' && n === 3) {
    const ri = masterOf(argv[1]);
    if (!ri) return NO_MASTER;
    ri.configEpoch = strtoull(argv[2]);
    if (ri.configEpoch > st.currentEpoch) st.currentEpoch = ri.configEpoch;
  } else if (opt === 'leader-epoch' && n === 3) {
    const ri = masterOf(argv[1]);
    if (!ri) return NO_MASTER;
    ri.leaderEpoch = strtoull(argv[2]);
  } else if ((opt === 'known-slave' || opt === 'known-replica') && n === 4) {
    const ri = masterOf(argv[1]);
    if (!ri) return NO_MASTER;
    const r = createInstance(st, null, SRI_SLAVE, argv[2], atoi(argv[3]), ri.quorum, ri);
    if ('error' in r) return createErrorText(r.error, SRI_SLAVE);
  } else if (opt === 'known-sentinel' && (n === 4 || n === 5)) {
    // The old form without a run ID is ignored.
    if (n === 5) {
      const ri = masterOf(argv[1]);
      if (!ri) return NO_MASTER;
      const si = createInstance(st, argv[4], SRI_SENTINEL, argv[2], atoi(argv[3]), ri.quorum, ri);
      if ('error' in si) return createErrorText(si.error, SRI_SENTINEL);
      si.runid = argv[4];
      tryConnectionSharing(st, si);
    }
  } else if (opt === 'rename-command' && n === 4) {
    const ri = masterOf(argv[1]);
    if (!ri) return NO_MASTER;
    const key = argv[2].toLowerCase();
    if (ri.renamedCommands.has(key)) return 'Same command renamed multiple times with rename-command.';
    ri.renamedCommands.set(key, { from: argv[2], to: argv[3] });
  } else if (opt === 'announce-ip' && n === 2) {
    if (argv[1].length) st.announceIp = argv[1];
  } else if (opt === 'announce-port' && n === 2) {
    st.announcePort = atoi(argv[1]);
  } else if (opt === 'deny-scripts-reconfig' && n === 2) {
    const v = yesno(argv[1]);
    if (v === null) return 'Please specify yes or no for the deny-scripts-reconfig options.';
    st.denyScriptsReconfig = v;
  } else if (opt === 'sentinel-user' && n === 2) {
    if (argv[1].length) st.sentinelAuthUser = argv[1];
  } else if (opt === 'sentinel-pass' && n === 2) {
    if (argv[1].length) st.sentinelAuthPass = argv[1];
  } else if (opt === 'resolve-hostnames' && n === 2) {
    const v = yesno(argv[1]);
    if (v === null) return 'Please specify yes or no for the resolve-hostnames option.';
    st.resolveHostnames = v;
  } else if (opt === 'announce-hostnames' && n === 2) {
    const v = yesno(argv[1]);
    if (v === null) return 'Please specify yes or no for the announce-hostnames option.';
    st.announceHostnames = v;
  } else if (opt === 'master-reboot-down-after-period' && n === 3) {
    const ri = masterOf(argv[1]);
    if (!ri) return NO_MASTER;
    ri.masterRebootDownAfterPeriod = atoi(argv[2]);
    if (ri.masterRebootDownAfterPeriod < 0) return 'negative time parameter.';
  } else {
    return 'Unrecognized sentinel configuration statement.';
  }
  return null;
}

export interface QueuedLine { args: string[]; line: string; lineNo: number }

/**
 * loadSentinelConfigFromQueue(): apply the queued directives in their three passes. Returns
 * the FATAL block for stderr on the first error, or null.
 */
export function loadSentinelConfig(st: SentinelState, lines: QueuedLine[]): string | null {
  const pre: QueuedLine[] = [];
  const monitor: QueuedLine[] = [];
  const post: QueuedLine[] = [];
  for (const l of lines) {
    const o = l.args[0].toLowerCase();
    if (o === 'monitor') monitor.push(l);
    else if (PRE_MONITOR.has(o)) pre.push(l);
    else post.push(l);
  }
  for (const l of [...pre, ...monitor, ...post]) {
    const err = handleConfiguration(st, l.args);
    if (err) {
      return `\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\nReading the configuration file, at line ${l.lineNo}\n>>> '${l.line}'\n${err}\n`;
    }
  }
  return null;
}

/** rewriteConfigSentinelOption(): the sentinel's lines for CONFIG REWRITE. */
export function rewriteSentinelLines(st: SentinelState, sink: RewriteSink): void {
  sink.line('sentinel myid', `sentinel myid ${st.myid}`, true);
  sink.line('sentinel deny-scripts-reconfig', `sentinel deny-scripts-reconfig ${st.denyScriptsReconfig ? 'yes' : 'no'}`,
    st.denyScriptsReconfig !== DEFAULT_DENY_SCRIPTS_RECONFIG);
  sink.line('sentinel resolve-hostnames', `sentinel resolve-hostnames ${st.resolveHostnames ? 'yes' : 'no'}`, st.resolveHostnames);
  sink.line('sentinel announce-hostnames', `sentinel announce-hostnames ${st.announceHostnames ? 'yes' : 'no'}`, st.announceHostnames);
  for (const master of st.masters.values()) {
    const masterAddr = currentMasterAddress(master);
    const name = master.name;
    sink.line('sentinel monitor', `sentinel monitor ${name} ${announceAddr(st, masterAddr)} ${masterAddr.port} ${master.quorum}`, true);
    if (master.downAfterPeriod !== st.timers.defaultDownAfter) {
      sink.line('sentinel down-after-milliseconds', `sentinel down-after-milliseconds ${name} ${master.downAfterPeriod}`, true);
    }
    if (master.failoverTimeout !== st.timers.defaultFailoverTimeout) {
      sink.line('sentinel failover-timeout', `sentinel failover-timeout ${name} ${master.failoverTimeout}`, true);
    }
    if (master.parallelSyncs !== DEFAULT_PARALLEL_SYNCS) {
      sink.line('sentinel parallel-syncs', `sentinel parallel-syncs ${name} ${master.parallelSyncs}`, true);
    }
    if (master.notificationScript) sink.line('sentinel notification-script', `sentinel notification-script ${name} ${master.notificationScript}`, true);
    if (master.clientReconfigScript) sink.line('sentinel client-reconfig-script', `sentinel client-reconfig-script ${name} ${master.clientReconfigScript}`, true);
    if (master.authPass) sink.line('sentinel auth-pass', `sentinel auth-pass ${name} ${master.authPass}`, true);
    if (master.authUser) sink.line('sentinel auth-user', `sentinel auth-user ${name} ${master.authUser}`, true);
    if (master.masterRebootDownAfterPeriod !== 0) {
      sink.line('sentinel master-reboot-down-after-period', `sentinel master-reboot-down-after-period ${name} ${master.masterRebootDownAfterPeriod}`, true);
    }
    sink.line('sentinel config-epoch', `sentinel config-epoch ${name} ${master.configEpoch}`, true);
    sink.line('sentinel leader-epoch', `sentinel leader-epoch ${name} ${master.leaderEpoch}`, true);
    for (const s of master.slaves.values()) {
      // The promoted replica (already advertised as the master) is listed as the old master.
      const a = addrOrHostnameEqual(s.addr, masterAddr) ? master.addr : s.addr;
      sink.line('sentinel known-replica', `sentinel known-replica ${name} ${announceAddr(st, a)} ${a.port}`, true);
    }
    for (const s of master.sentinels.values()) {
      if (s.runid === null) continue;
      sink.line('sentinel known-sentinel', `sentinel known-sentinel ${name} ${announceAddr(st, s.addr)} ${s.addr.port} ${s.runid}`, true);
    }
    for (const { from, to } of master.renamedCommands.values()) {
      sink.line('sentinel rename-command', `sentinel rename-command ${name} ${from} ${to}`, true);
    }
  }
  sink.line('sentinel current-epoch', `sentinel current-epoch ${st.currentEpoch}`, true);
  if (st.announceIp) sink.line('sentinel announce-ip', `sentinel announce-ip ${repr(st.announceIp)}`, true);
  else sink.processed('sentinel announce-ip');
  if (st.announcePort) sink.line('sentinel announce-port', `sentinel announce-port ${st.announcePort}`, true);
  else sink.processed('sentinel announce-port');
  if (st.sentinelAuthUser) sink.line('sentinel sentinel-user', `sentinel sentinel-user ${st.sentinelAuthUser}`, true);
  else sink.processed('sentinel sentinel-user');
  if (st.sentinelAuthPass) sink.line('sentinel sentinel-pass', `sentinel sentinel-pass ${st.sentinelAuthPass}`, true);
  else sink.processed('sentinel sentinel-pass');
  for (const o of ['monitor', 'down-after-milliseconds', 'failover-timeout', 'parallel-syncs', 'notification-script',
    'client-reconfig-script', 'auth-pass', 'auth-user', 'config-epoch', 'leader-epoch', 'known-replica', 'known-sentinel',
    'rename-command', 'master-reboot-down-after-period']) {
    sink.processed(`sentinel ${o}`);
  }
}

/** The file text the sentinel last wrote (or read), with the stat it had then. */
interface ConfigCache { text: string; size: number; mtimeMs: number }
const caches = new WeakMap<SentinelState, ConfigCache>();

/** Read the config file once at start-up so later saves can be synchronous. */
export async function primeConfigCache(st: SentinelState): Promise<void> {
  const fs = st.server.os.fs;
  const path = st.server.config.configFile;
  let text = '';
  try { text = bytesToStr(await fs.readFile(path)); } catch { text = ''; }
  const stat = fs.statSync(path);
  caches.set(st, { text, size: stat?.size ?? -1, mtimeMs: stat?.mtimeMs ?? -1 });
}

function rewriteContext(st: SentinelState): RewriteContext {
  const s = st.server;
  return { sentinel: true, clusterEnabled: false, master: null, userLines: aclRewriteLines(s), extra: s.config.rewriters };
}

/** Rewrite from `text` and write; returns null or the strerror text. */
function writeFrom(st: SentinelState, text: string): string | null {
  const s = st.server;
  const path = s.config.configFile;
  const content = rewriteConfigText(text, s.config, rewriteContext(st));
  const err = writeConfigFileAtomically(s.os.fs, path, content, () => s.os.random());
  if (err) return err;
  const stat = s.os.fs.statSync(path);
  caches.set(st, { text: content, size: stat?.size ?? -1, mtimeMs: stat?.mtimeMs ?? -1 });
  return null;
}

function logSaved(st: SentinelState, err: string | null): boolean {
  if (err) {
    st.server.log.warning(`WARNING: Sentinel was not able to save the new configuration on disk!!!: ${err}`);
    return false;
  }
  st.server.log.notice('Sentinel new configuration saved on disk');
  return true;
}

/** sentinelFlushConfig(): persist the state now. False (and a warning logged) on failure. */
export function flushConfig(st: SentinelState): boolean {
  const s = st.server;
  const path = s.config.configFile;
  const fs = s.os.fs;
  const cache = caches.get(st);
  const stat = fs.statSync(path);
  if (cache && ((stat === null && cache.size === -1) || (stat !== null && stat.size === cache.size && stat.mtimeMs === cache.mtimeMs))) {
    return logSaved(st, writeFrom(st, cache.text));
  }
  // A directory in the file's place reads as empty (fgets fails on it, and Redis does not
  // check), and the rename over it fails with EISDIR.
  if (stat === null || stat.isDirectory) return logSaved(st, writeFrom(st, ''));
  // Changed by someone else since we last wrote it: read it again first.
  fs.readFile(path).then(
    (b) => s.event(() => { logSaved(st, writeFrom(st, bytesToStr(b))); }),
    (e) => s.event(() => { logSaved(st, e?.code === 'ENOENT' ? writeFrom(st, '') : strerror(e)); }),
  );
  return true;
}

/** sentinelFlushConfigAndReply(). */
export function flushConfigAndReply(st: SentinelState, c: Client): void {
  if (!flushConfig(st)) c.replyError('Failed to save config file. Check server logs.');
  else c.replyOk();
}

export { Instance };
