/**
 * The SENTINEL command (sentinelCommand, sentinelSetCommand, sentinelConfig*Command,
 * sentinelSetDebugConfigParameters...) with its subcommands, exact replies and errors.
 * Arity errors come from the command table ("wrong number of arguments for 'sentinel|master'
 * command"), unknown subcommands from dispatch ("unknown subcommand 'x'. Try SENTINEL HELP.").
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec, type ArgDoc } from '../commands/table';
import { addReplyHelp } from '../commands/help';
import { string2ll } from '../util/numbers';
import { stringMatch } from '../util/glob';
import {
  type Instance, type SentinelState,
  SRI_FAILOVER_IN_PROGRESS, SRI_FORCE_FAILOVER, SRI_MASTER, SRI_S_DOWN, SRI_O_DOWN,
  SIMFAILURE_CRASH_AFTER_ELECTION, SIMFAILURE_CRASH_AFTER_PROMOTION,
} from './state';
import { sentinelStateOf } from './registry';
import { replyFields, replyInstance, replyInstances } from './replies';
import { announceAddr, resolveHost } from './addr';
import { findByAddrAndRunid, dropInstanceConnections, dropSentinelConnections } from './links';
import { voteLeader } from './election';
import {
  createInstance, createErrorText, currentMasterAddress, deleteInstance, propagateDownAfterPeriod,
  resetMastersByPattern, RESET_GENERATE_EVENT,
} from './instances';
import { selectSlave, startFailover } from './failover';
import { flushConfig, flushConfigAndReply } from './config-file';
import { sentinelEvent } from './events';
import { scriptExecutable } from './scripts';

const NO_SUCH_MASTER = 'No such master with that name';

function st(c: Client): SentinelState {
  return sentinelStateOf(c.server)!;
}

/** sentinelGetMasterByNameOrReplyError(). */
function masterOrReply(c: Client, name: string): Instance | null {
  const ri = st(c).masters.get(name);
  if (!ri) { c.replyError(NO_SUCH_MASTER); return null; }
  return ri;
}

/** getLongFromObjectOrReply with an optional custom message. */
function longOrReply(c: Client, s: string, msg?: string): number | null {
  const v = string2ll(s);
  if (v === null) { c.replyError(msg ?? 'value is not an integer or out of range'); return null; }
  return v;
}

const HELP = [
  'CKQUORUM <master-name>',
  '    Check if the current Sentinel configuration is able to reach the quorum',
  '    needed to failover a master and the majority needed to authorize the',
  '    failover.',
  'CONFIG SET <param> <value>',
  '    Set a global Sentinel configuration parameter.',
  'CONFIG GET <param>',
  '    Get global Sentinel configuration parameter.',
  'DEBUG [<param> <value> ...]',
  '    Show a list of configurable time parameters and their values (milliseconds).',
  '    Or update current configurable parameters values (one or more).',
  'GET-MASTER-ADDR-BY-NAME <master-name>',
  '    Return the ip and port number of the master with that name.',
  'FAILOVER <master-name>',
  '    Manually failover a master node without asking for agreement from other',
  '    Sentinels',
  'FLUSHCONFIG',
  '    Force Sentinel to rewrite its configuration on disk, including the current',
  '    Sentinel state.',
  'INFO-CACHE <master-name>',
  '    Return last cached INFO output from masters and all its replicas.',
  'IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>',
  '    Check if the master specified by ip:port is down from current Sentinel\'s',
  '    point of view.',
  'MASTER <master-name>',
  '    Show the state and info of the specified master.',
  'MASTERS',
  '    Show a list of monitored masters and their state.',
  'MONITOR <name> <ip> <port> <quorum>',
  '    Start monitoring a new master with the specified name, ip, port and quorum.',
  'MYID',
  '    Return the ID of the Sentinel instance.',
  'PENDING-SCRIPTS',
  '    Get pending scripts information.',
  'REMOVE <master-name>',
  '    Remove master from Sentinel\'s monitor list.',
  'REPLICAS <master-name>',
  '    Show a list of replicas for this master and their state.',
  'RESET <pattern>',
  '    Reset masters for specific master name matching this pattern.',
  'SENTINELS <master-name>',
  '    Show a list of Sentinel instances for this master and their state.',
  'SET <master-name> <option> <value> [<option> <value> ...]',
  '    Set configuration parameters for certain masters.',
  'SIMULATE-FAILURE [CRASH-AFTER-ELECTION] [CRASH-AFTER-PROMOTION] [HELP]',
  '    Simulate a Sentinel crash.',
];

function masters(c: Client): void {
  replyInstances(c, st(c), st(c).masters);
}

function master(c: Client, argv: string[]): void {
  const ri = masterOrReply(c, argv[2]);
  if (ri) replyInstance(c, st(c), ri);
}

function replicas(c: Client, argv: string[]): void {
  const ri = masterOrReply(c, argv[2]);
  if (ri) replyInstances(c, st(c), ri.slaves);
}

function sentinels(c: Client, argv: string[]): void {
  const ri = masterOrReply(c, argv[2]);
  if (ri) replyInstances(c, st(c), ri.sentinels);
}

function myid(c: Client): void {
  c.replyBulk(st(c).myid);
}

/**
 * SENTINEL IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>: whether we see that
 * master SDOWN (always 0 in TILT) and, when a run ID is given, our vote for that epoch.
 */
function isMasterDownByAddr(c: Client, argv: string[]): void {
  const s = st(c);
  const port = longOrReply(c, argv[3]);
  if (port === null) return;
  const reqEpoch = longOrReply(c, argv[4]);
  if (reqEpoch === null) return;
  const ri = findByAddrAndRunid(s, s.masters, argv[2], port, null);
  const isDown = !s.tilt && ri !== null && (ri.flags & SRI_S_DOWN) !== 0 && (ri.flags & SRI_MASTER) !== 0;
  let leader: string | null = null;
  let leaderEpoch = 0;
  if (ri && (ri.flags & SRI_MASTER) && argv[5].toLowerCase() !== '*') {
    // The epoch is unsigned in Redis: a negative one is a huge epoch.
    const v = voteLeader(s, ri, reqEpoch < 0 ? Number(BigInt.asUintN(64, BigInt(reqEpoch))) : reqEpoch, argv[5]);
    leader = v.leader;
    leaderEpoch = v.epoch;
  }
  c.replyArrayLen(3);
  c.replyInt(isDown ? 1 : 0);
  c.replyBulk(leader ?? '*');
  c.replyInt(leaderEpoch);
}

function reset(c: Client, argv: string[]): void {
  c.replyInt(resetMastersByPattern(st(c), argv[2], RESET_GENERATE_EVENT));
}

function getMasterAddrByName(c: Client, argv: string[]): void {
  const s = st(c);
  const ri = s.masters.get(argv[2]);
  if (!ri) { c.replyNullArray(); return; }
  const addr = currentMasterAddress(ri);
  c.replyArrayLen(2);
  c.replyBulk(announceAddr(s, addr));
  c.replyBulk(String(addr.port));
}

function failover(c: Client, argv: string[]): void {
  const s = st(c);
  const ri = masterOrReply(c, argv[2]);
  if (!ri) return;
  if (ri.flags & SRI_FAILOVER_IN_PROGRESS) { c.replyError('-INPROG Failover already in progress'); return; }
  if (selectSlave(s, ri) === null) { c.replyError('-NOGOODSLAVE No suitable replica to promote'); return; }
  s.server.log.warning(`Executing user requested FAILOVER of '${ri.name}'`);
  startFailover(ri);
  ri.flags |= SRI_FORCE_FAILOVER;
  c.replyOk();
}

function pendingScripts(c: Client): void {
  const s = st(c);
  const now = s.now();
  c.replyArrayLen(s.scriptsQueue.length);
  for (const job of s.scriptsQueue) {
    c.replyMapLen(5);
    c.replyBulk('argv');
    c.replyArrayLen(job.argv.length);
    for (const a of job.argv) c.replyBulk(a);
    c.replyBulk('flags');
    c.replyBulk(job.running ? 'running' : 'scheduled');
    c.replyBulk('pid');
    c.replyBulk(String(job.pid));
    if (job.running) {
      c.replyBulk('run-time');
      c.replyBulk(String(now - job.startTime));
    } else {
      const delay = job.startTime ? Math.max(0, job.startTime - now) : 0;
      c.replyBulk('run-delay');
      c.replyBulk(String(delay));
    }
    c.replyBulk('retry-num');
    c.replyBulk(String(job.retryNum));
  }
}

function monitor(c: Client, argv: string[]): void {
  const s = st(c);
  const quorum = longOrReply(c, argv[5], 'Invalid quorum');
  if (quorum === null) return;
  const port = longOrReply(c, argv[4], 'Invalid port');
  if (port === null) return;
  if (quorum <= 0) { c.replyError('Quorum must be 1 or greater.'); return; }
  if (resolveHost(s, argv[3]) === null) { c.replyError('Invalid IP address or hostname specified'); return; }
  const ri = createInstance(s, argv[2], SRI_MASTER, argv[3], port, quorum, null);
  if ('error' in ri) { c.replyError(createErrorText(ri.error, SRI_MASTER)); return; }
  flushConfigAndReply(s, c);
  sentinelEvent(s, 'warning', '+monitor', ri, ` quorum ${ri.quorum}`);
}

function flushconfig(c: Client): void {
  flushConfigAndReply(st(c), c);
}

function remove(c: Client, argv: string[]): void {
  const s = st(c);
  const ri = masterOrReply(c, argv[2]);
  if (!ri) return;
  sentinelEvent(s, 'warning', '-monitor', ri);
  deleteInstance(s.masters, argv[2]);
  flushConfigAndReply(s, c);
}

/**
 * SENTINEL CKQUORUM: the sentinels we could count on now (ourselves plus those not SDOWN or
 * ODOWN) against the quorum and against a majority of all the known sentinels.
 */
function ckquorum(c: Client, argv: string[]): void {
  const ri = masterOrReply(c, argv[2]);
  if (!ri) return;
  let usable = 1;
  const voters = ri.sentinels.size + 1;
  for (const s of ri.sentinels.values()) if (!(s.flags & (SRI_S_DOWN | SRI_O_DOWN))) usable++;
  const noQuorum = usable < ri.quorum;
  const noAuth = usable < Math.floor(voters / 2) + 1;
  if (!noQuorum && !noAuth) {
    c.replyRaw(`+OK ${usable} usable Sentinels. Quorum and failover authorization can be reached\r\n`);
    return;
  }
  let e = `-NOQUORUM ${usable} usable Sentinels. `;
  if (noQuorum) e += 'Not enough available Sentinels to reach the specified quorum for this master';
  if (noAuth) {
    if (noQuorum) e += '. ';
    e += 'Not enough available Sentinels to reach the majority and authorize a failover';
  }
  c.replyError(e);
}

/** SENTINEL SET <master> <option> <value> [...]: options applied one by one, each with +set. */
function set(c: Client, argv: string[]): void {
  const s = st(c);
  const ri = masterOrReply(c, argv[2]);
  if (!ri) return;
  let changes = 0;
  let j = 3;
  let option = '';
  const badArg = (k: number) => {
    c.replyError(`Invalid argument '${argv[k]}' for SENTINEL SET '${option}'`);
    if (changes) flushConfig(s);
  };
  const denied = () => {
    c.replyError('Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration');
    if (changes) flushConfig(s);
  };
  for (; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    option = argv[j];
    const opt = option.toLowerCase();
    const oldJ = j;
    let redacted = false;
    if (opt === 'down-after-milliseconds' && moreArgs > 0) {
      const ll = string2ll(argv[++j]);
      if (ll === null || ll <= 0) { badArg(j); return; }
      ri.downAfterPeriod = ll;
      propagateDownAfterPeriod(ri);
      changes++;
    } else if (opt === 'failover-timeout' && moreArgs > 0) {
      const ll = string2ll(argv[++j]);
      if (ll === null || ll <= 0) { badArg(j); return; }
      ri.failoverTimeout = ll;
      changes++;
    } else if (opt === 'parallel-syncs' && moreArgs > 0) {
      const ll = string2ll(argv[++j]);
      if (ll === null || ll <= 0) { badArg(j); return; }
      ri.parallelSyncs = ll;
      changes++;
    } else if (opt === 'notification-script' && moreArgs > 0) {
      const value = argv[++j];
      if (s.denyScriptsReconfig) { denied(); return; }
      if (value.length && !scriptExecutable(s.server.os, value)) {
        c.replyError('Notification script seems non existing or non executable');
        if (changes) flushConfig(s);
        return;
      }
      ri.notificationScript = value.length ? value : null;
      changes++;
    } else if (opt === 'client-reconfig-script' && moreArgs > 0) {
      const value = argv[++j];
      if (s.denyScriptsReconfig) { denied(); return; }
      if (value.length && !scriptExecutable(s.server.os, value)) {
        c.replyError('Client reconfiguration script seems non existing or non executable');
        if (changes) flushConfig(s);
        return;
      }
      ri.clientReconfigScript = value.length ? value : null;
      changes++;
    } else if (opt === 'auth-pass' && moreArgs > 0) {
      const value = argv[++j];
      ri.authPass = value.length ? value : null;
      dropInstanceConnections(ri);
      changes++;
      redacted = true;
    } else if (opt === 'auth-user' && moreArgs > 0) {
      const value = argv[++j];
      ri.authUser = value.length ? value : null;
      dropInstanceConnections(ri);
      changes++;
    } else if (opt === 'quorum' && moreArgs > 0) {
      const ll = string2ll(argv[++j]);
      if (ll === null || ll <= 0) { badArg(j); return; }
      ri.quorum = ll;
      changes++;
    } else if (opt === 'rename-command' && moreArgs > 1) {
      const oldName = argv[++j];
      const newName = argv[++j];
      if (oldName.length === 0 || newName.length === 0) { badArg(newName.length ? j - 1 : j); return; }
      ri.renamedCommands.delete(oldName.toLowerCase());
      if (oldName.toLowerCase() !== newName.toLowerCase()) ri.renamedCommands.set(oldName.toLowerCase(), { from: oldName, to: newName });
      changes++;
    } else if (opt === 'master-reboot-down-after-period' && moreArgs > 0) {
      const ll = string2ll(argv[++j]);
      if (ll === null || ll < 0) { badArg(j); return; }
      ri.masterRebootDownAfterPeriod = ll;
      changes++;
    } else {
      c.replyError(`Unknown option or number of arguments for SENTINEL SET '${option}'`);
      if (changes) flushConfig(s);
      return;
    }
    const n = j - oldJ + 1;
    if (n === 2) sentinelEvent(s, 'warning', '+set', ri, ` ${argv[oldJ]} ${redacted ? '******' : argv[oldJ + 1]}`);
    else if (n === 3) sentinelEvent(s, 'warning', '+set', ri, ` ${argv[oldJ]} ${argv[oldJ + 1]} ${argv[oldJ + 2]}`);
    else sentinelEvent(s, 'warning', '+set', ri, ` ${argv[oldJ]}`);
  }
  if (changes) flushConfigAndReply(s, c);
}

function yesno(v: string): boolean | null {
  const l = v.toLowerCase();
  return l === 'yes' ? true : l === 'no' ? false : null;
}

/** SENTINEL CONFIG SET <option> <value>. */
function configSet(c: Client, argv: string[]): void {
  const s = st(c);
  const o = argv[3];
  const val = argv[4];
  const opt = o.toLowerCase();
  let dropConns = false;
  const badFmt = () => c.replyError(`Invalid value '${val}' to SENTINEL CONFIG SET '${o}'`);
  if (opt === 'resolve-hostnames') {
    const v = yesno(val);
    if (v === null) { badFmt(); return; }
    s.resolveHostnames = v;
  } else if (opt === 'announce-hostnames') {
    const v = yesno(val);
    if (v === null) { badFmt(); return; }
    s.announceHostnames = v;
  } else if (opt === 'announce-ip') {
    s.announceIp = val;
  } else if (opt === 'announce-port') {
    const v = string2ll(val);
    if (v === null || v < 0 || v > 65535) { badFmt(); return; }
    s.announcePort = v;
  } else if (opt === 'sentinel-user') {
    s.sentinelAuthUser = val.length === 0 ? null : val;
    dropConns = true;
  } else if (opt === 'sentinel-pass') {
    s.sentinelAuthPass = val.length === 0 ? null : val;
    dropConns = true;
  } else {
    c.replyError(`Invalid argument '${o}' to SENTINEL CONFIG SET`);
    return;
  }
  flushConfigAndReply(s, c);
  if (dropConns) dropSentinelConnections(s);
}

/** SENTINEL CONFIG GET <pattern>. */
function configGet(c: Client, argv: string[]): void {
  const s = st(c);
  const pattern = argv[3];
  const out: [string, string | number][] = [];
  const params: [string, () => string | number][] = [
    ['resolve-hostnames', () => (s.resolveHostnames ? 'yes' : 'no')],
    ['announce-hostnames', () => (s.announceHostnames ? 'yes' : 'no')],
    ['announce-ip', () => s.announceIp ?? ''],
    ['announce-port', () => s.announcePort],
    ['sentinel-user', () => s.sentinelAuthUser ?? ''],
    ['sentinel-pass', () => s.sentinelAuthPass ?? ''],
  ];
  for (const [name, get] of params) if (stringMatch(pattern, name, true)) out.push([name, get()]);
  c.replyMapLen(out.length);
  for (const [k, v] of out) { c.replyBulk(k); c.replyBulk(String(v)); }
}

function config(c: Client, argv: string[]): void {
  const sub = argv[2].toLowerCase();
  if (sub === 'set' && argv.length === 5) configSet(c, argv);
  else if (sub === 'get' && argv.length === 4) configGet(c, argv);
  else c.replyError('Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.');
}

/** SENTINEL INFO-CACHE [<master> ...]: the last INFO of each master and of its replicas. */
function infoCache(c: Client, argv: string[]): void {
  const s = st(c);
  const now = s.now();
  let list: Instance[];
  if (argv.length > 2) {
    const picked = new Map<string, Instance>();
    for (const name of argv.slice(2)) {
      const ri = s.masters.get(name);
      if (ri) picked.set(ri.name, ri);
    }
    list = [...picked.values()];
  } else {
    list = [...s.masters.values()];
  }
  c.replyArrayLen(list.length * 2);
  for (const ri of list) {
    c.replyBulk(ri.name);
    c.replyArrayLen(ri.slaves.size + 1);
    c.replyArrayLen(2);
    c.replyInt(ri.infoRefresh ? now - ri.infoRefresh : 0);
    if (ri.info !== null) c.replyBulk(ri.info); else c.replyNull();
    for (const sri of ri.slaves.values()) {
      c.replyArrayLen(2);
      // Redis tests the master's refresh time here, not the replica's.
      c.replyInt(ri.infoRefresh ? now - sri.infoRefresh : 0);
      if (sri.info !== null) c.replyBulk(sri.info); else c.replyNull();
    }
  }
}

function simulateFailure(c: Client, argv: string[]): void {
  const s = st(c);
  s.simFailureFlags = 0;
  for (let j = 2; j < argv.length; j++) {
    const a = argv[j].toLowerCase();
    if (a === 'crash-after-election') {
      s.simFailureFlags |= SIMFAILURE_CRASH_AFTER_ELECTION;
      s.server.log.warning('Failure simulation: this Sentinel will crash after being successfully elected as failover leader');
    } else if (a === 'crash-after-promotion') {
      s.simFailureFlags |= SIMFAILURE_CRASH_AFTER_PROMOTION;
      s.server.log.warning('Failure simulation: this Sentinel will crash after promoting the selected replica to master');
    } else if (a === 'help') {
      c.replyArrayLen(2);
      c.replyBulk('crash-after-election');
      c.replyBulk('crash-after-promotion');
      return;
    } else {
      c.replyError('Unknown failure simulation specified');
      return;
    }
  }
  c.replyOk();
}

/** SENTINEL DEBUG option names → timer fields, in the order the listing prints them. */
const DEBUG_PARAMS: [string, keyof SentinelState['timers']][] = [
  ['info-period', 'infoPeriod'], ['ping-period', 'pingPeriod'], ['ask-period', 'askPeriod'],
  ['publish-period', 'publishPeriod'], ['default-down-after', 'defaultDownAfter'],
  ['default-failover-timeout', 'defaultFailoverTimeout'], ['tilt-trigger', 'tiltTrigger'], ['tilt-period', 'tiltPeriod'],
  ['slave-reconf-timeout', 'slaveReconfTimeout'], ['min-link-reconnect-period', 'minLinkReconnectPeriod'],
  ['election-timeout', 'electionTimeout'], ['script-max-runtime', 'scriptMaxRuntime'], ['script-retry-delay', 'scriptRetryDelay'],
];

function debug(c: Client, argv: string[]): void {
  const s = st(c);
  if (argv.length === 2) {
    replyFields(c, DEBUG_PARAMS.map(([name, key]) => [name.toUpperCase(), String(s.timers[key])]));
    return;
  }
  for (let j = 2; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    const option = argv[j];
    const p = DEBUG_PARAMS.find(([name]) => name === option.toLowerCase());
    if (!p || moreArgs <= 0) {
      c.replyError(`Unknown option or number of arguments for SENTINEL DEBUG '${option}'`);
      return;
    }
    const ll = string2ll(argv[++j]);
    if (ll === null || ll <= 0) {
      c.replyError(`Invalid argument '${argv[j]}' for SENTINEL DEBUG '${option}'`);
      return;
    }
    s.timers[p[1]] = ll;
  }
  c.replyOk();
}

// ---- the command table ------------------------------------------------------------------

const G = { group: 'sentinel' };
const A = ['admin', 'sentinel', 'only_sentinel'] as const;
const masterName: ArgDoc[] = [{ name: 'master-name', type: 'string' }];

function sub(name: string, arity: number, since: string, summary: string, handler: (c: Client, argv: string[]) => void, args?: ArgDoc[], complexity?: string): CommandSpec {
  return cmd(name, arity, [...A], [0, 0, 0], { ...G, since, summary, complexity, args }, handler);
}

export const sentinelCommandSpec: CommandSpec = cmd('sentinel', -2, [...A], [0, 0, 0], {
  ...G, since: '2.8.4', summary: 'A container for Sentinel commands.', complexity: 'Depends on subcommand.',
}, undefined, {
  subcommands: [
    sub('ckquorum', 3, '2.8.4', 'Check whether the sentinels can reach the quorum and the majority for a master.', ckquorum, masterName),
    sub('config', -3, '6.2.0', 'Get or set a global Sentinel parameter.', config, [
      { name: 'set-or-get', type: 'oneof', args: [
        { name: 'set-param-value', type: 'block', token: 'SET', multiple: true, args: [{ name: 'parameter', type: 'string' }, { name: 'value', type: 'string' }] },
        { name: 'parameter', type: 'string', token: 'GET', multiple: true },
      ] },
    ], 'O(1)'),
    sub('debug', -2, '7.0.0', 'Show or change the Sentinel timers.', debug,
      [{ name: 'data', type: 'block', optional: true, multiple: true, args: [{ name: 'parameter', type: 'string' }, { name: 'value', type: 'string' }] }],
      'O(N) where N is the number of configurable parameters'),
    sub('failover', 3, '2.8.4', 'Fail over a master without asking the other sentinels.', failover, masterName),
    sub('flushconfig', 2, '2.8.4', 'Rewrite the configuration file with the current state.', flushconfig, undefined, 'O(1)'),
    sub('get-master-addr-by-name', 3, '2.8.4', 'The address of the current master with this name.', getMasterAddrByName, masterName, 'O(1)'),
    cmd('help', 2, ['loading', 'stale', 'sentinel', 'only_sentinel'], [0, 0, 0], { ...G, since: '6.2.0', summary: 'Show what the SENTINEL subcommands do.', complexity: 'O(1)' },
      (c, argv) => addReplyHelp(c, argv, HELP)),
    sub('info-cache', -3, '3.2.0', 'The INFO output cached from masters and their replicas.', infoCache,
      [{ name: 'nodename', type: 'string', multiple: true }], 'O(N) where N is the number of instances'),
    sub('is-master-down-by-addr', 6, '2.8.4', 'Whether this sentinel sees a master down (and its vote).', isMasterDownByAddr, [
      { name: 'ip', type: 'string' }, { name: 'port', type: 'integer' }, { name: 'current-epoch', type: 'integer' }, { name: 'runid', type: 'string' },
    ], 'O(1)'),
    sub('master', 3, '2.8.4', 'The state of a monitored master.', master, masterName, 'O(1)'),
    sub('masters', 2, '2.8.4', 'The monitored masters and their state.', masters, undefined, 'O(N) where N is the number of masters'),
    sub('monitor', 6, '2.8.4', 'Start monitoring a master.', monitor, [
      { name: 'name', type: 'string' }, { name: 'ip', type: 'string' }, { name: 'port', type: 'integer' }, { name: 'quorum', type: 'integer' },
    ], 'O(1)'),
    sub('myid', 2, '6.2.0', 'This sentinel\'s ID.', myid, undefined, 'O(1)'),
    sub('pending-scripts', 2, '2.8.4', 'The scripts waiting to run or running.', pendingScripts),
    sub('remove', 3, '2.8.4', 'Stop monitoring a master.', remove, masterName, 'O(1)'),
    sub('replicas', 3, '5.0.0', 'The replicas of a master and their state.', replicas, masterName, 'O(N) where N is the number of replicas'),
    sub('reset', 3, '2.8.4', 'Reset the masters whose name matches a pattern.', reset, [{ name: 'pattern', type: 'pattern' }],
      'O(N) where N is the number of monitored masters'),
    sub('sentinels', 3, '2.8.4', 'The other sentinels of a master and their state.', sentinels, masterName, 'O(N) where N is the number of Sentinels'),
    sub('set', -5, '2.8.4', 'Change the configuration of a monitored master.', set, [
      { name: 'master-name', type: 'string' },
      { name: 'option-value', type: 'block', multiple: true, args: [{ name: 'option', type: 'string' }, { name: 'value', type: 'string' }] },
    ], 'O(1)'),
    sub('simulate-failure', -3, '3.2.0', 'Make this sentinel crash at a chosen point of a failover.', simulateFailure, [
      { name: 'mode', type: 'oneof', optional: true, multiple: true, args: [
        { name: 'crash-after-election', type: 'pure-token', token: 'CRASH-AFTER-ELECTION' },
        { name: 'crash-after-promotion', type: 'pure-token', token: 'CRASH-AFTER-PROMOTION' },
        { name: 'help', type: 'pure-token', token: 'HELP' },
      ] },
    ]),
    { ...sub('slaves', 3, '2.8.0', 'The replicas of a master and their state.', replicas, masterName, 'O(N) where N is the number of slaves'),
      docFlags: ['deprecated'], deprecatedSince: '5.0.0', replacedBy: '`SENTINEL REPLICAS`' },
  ],
});
