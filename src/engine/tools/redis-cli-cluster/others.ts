/**
 * The small `--cluster` subcommands: info, check, fix, call, set-timeout, import, backup,
 * help (clusterManagerCommandInfo and friends).
 */
import { ClusterManager, CMD_FLAG, INVALID_HOST_ARG, CmNode, hostFromArgs, longInfoField, replyText } from './manager';
import { checkCluster } from './check';
import { keyHashSlot } from '../../cluster/crc16';
import { CliConnection } from '../redis-cli/connection';
import { formatRaw } from '../redis-cli/format';
import { clusterManagerHelpText } from '../redis-cli/cluster-manager';
import type { CliReply } from '../redis-cli/reply';

export async function commandInfo(cm: ClusterManager, argv: string[]): Promise<boolean> {
  const host = hostFromArgs(argv);
  if (!host) { cm.err(INVALID_HOST_ARG); return false; }
  if (!(await cm.loadInfoFromNode(new CmNode(host.ip, host.port, 0)))) return false;
  await cm.showClusterInfo();
  return true;
}

export async function commandCheck(cm: ClusterManager, argv: string[]): Promise<boolean> {
  const host = hostFromArgs(argv);
  if (!host) { cm.err(INVALID_HOST_ARG); return false; }
  if (!(await cm.loadInfoFromNode(new CmNode(host.ip, host.port, 0)))) return false;
  await cm.showClusterInfo();
  return checkCluster(cm, false);
}

export async function commandFix(cm: ClusterManager, argv: string[]): Promise<boolean> {
  cm.cmd.flags |= CMD_FLAG.FIX;
  return commandCheck(cm, argv);
}

/** `--cluster call host:port command args...`: run a command on every (or some) node. */
export async function commandCall(cm: ClusterManager, argv: string[]): Promise<boolean> {
  const host = hostFromArgs(argv.slice(0, 1));
  if (!host) { cm.err(INVALID_HOST_ARG); return false; }
  if (!(await cm.loadInfoFromNode(new CmNode(host.ip, host.port, 0)))) return false;
  const cmdArgv = argv.slice(1);
  cm.logInfo('>>> Calling');
  cm.out(cmdArgv.map((a) => ` ${a}`).join('') + '\n');
  for (const n of cm.nodes) {
    if (cm.hasFlag(CMD_FLAG.MASTERS_ONLY) && n.replicate !== null) continue;
    if (cm.hasFlag(CMD_FLAG.SLAVES_ONLY) && n.replicate === null) continue;
    if (n.context === null && !(await cm.connect(n))) continue;
    const reply = await cm.command(n, cmdArgv);
    if (reply === null) {
      cm.out(`${n.ip}:${n.port}: Failed!\n`);
    } else {
      const cfg = cm.cli.config;
      const text = formatRaw(reply, { mbDelim: cfg.mbDelim, evalLdb: false, onLdbEndSession: () => undefined, colorTerm: false });
      cm.out(`${n.ip}:${n.port}: ${text}\n`);
    }
  }
  return true;
}

export async function commandSetTimeout(cm: ClusterManager, argv: string[]): Promise<boolean> {
  const host = hostFromArgs(argv.slice(0, 1));
  if (!host) { cm.err(INVALID_HOST_ARG); return false; }
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(argv[1]);
  const timeout = m ? Number(m[1]) : 0;
  if (timeout < 100) {
    cm.err('Setting a node timeout of less than 100 milliseconds is a bad idea.\n');
    return false;
  }
  if (!(await cm.loadInfoFromNode(new CmNode(host.ip, host.port, 0)))) return false;
  let ok = 0, errs = 0;
  cm.logInfo('>>> Reconfiguring node timeout in every cluster node...\n');
  for (const n of cm.nodes) {
    const e = { value: null as string | null };
    let r = await cm.command(n, ['CONFIG', 'SET', 'cluster-node-timeout', String(timeout)]);
    let good = cm.checkReply(n, r, e);
    if (good) {
      r = await cm.command(n, ['CONFIG', 'REWRITE']);
      good = cm.checkReply(n, r, e);
    }
    if (good) {
      cm.logWarn(`*** New timeout set for ${n.ip}:${n.port}\n`);
      ok++;
    } else {
      cm.logErr(`ERR setting node-timeout for ${n.ip}:${n.port}: ${e.value ?? ''}\n`);
      errs++;
    }
  }
  cm.logInfo(`>>> New node timeout set. ${ok} OK, ${errs} ERR.\n`);
  return true;
}

/** `--cluster import host:port --cluster-from host:port`: MIGRATE every key of a standalone server. */
export async function commandImport(cm: ClusterManager, argv: string[]): Promise<boolean> {
  const host = hostFromArgs(argv);
  if (!host) { cm.err(INVALID_HOST_ARG); return false; }
  const from = cm.cmd.from;
  if (from === null) { cm.err("[ERR] Option '--cluster-from' is required for subcommand 'import'.\n"); return false; }
  const src = hostFromArgs([from]);
  if (!src) { cm.err('[ERR] Invalid --cluster-from host. You need to pass a valid address (ie. 120.0.0.1:7000).\n'); return false; }
  cm.logInfo(`>>> Importing data from ${src.ip}:${src.port} to cluster ${host.ip}:${host.port}\n`);
  if (!(await cm.loadInfoFromNode(new CmNode(host.ip, host.port, 0)))) return false;
  if (!(await checkCluster(cm, false))) return false;
  const ctx = await CliConnection.connect(cm.cli.os, src.ip, src.port);
  if (ctx.err) {
    cm.err(`Could not connect to Redis at ${src.ip}:${src.port}: ${ctx.err.errstr}.\n`);
    return false;
  }
  const call = async (args: string[]): Promise<CliReply | null> => { ctx.appendCommand(args); return ctx.getReply(); };
  const replyErr = (r: CliReply | null) => {
    if (r && r.type === 'error') cm.logErr(`Source ${src.ip}:${src.port} replied with error:\n${r.str}\n`);
    return false;
  };
  try {
    if (cm.cmd.fromPass !== null) {
      const r = await call(cm.cmd.fromUser !== null ? ['AUTH', cm.cmd.fromUser, cm.cmd.fromPass] : ['AUTH', cm.cmd.fromPass]);
      if (r === null || r.type === 'error') {
        cm.err(`AUTH failed: ${r && r.type === 'error' ? r.str : ''}\n`);
        return false;
      }
    }
    let r = await call(['INFO']);
    if (!r || r.type === 'error') return replyErr(r);
    if (longInfoField(replyText(r), 'cluster_enabled') > 0) {
      cm.logErr('[ERR] The source node should not be a cluster node.\n');
      return false;
    }
    r = await call(['DBSIZE']);
    if (!r || r.type === 'error') return replyErr(r);
    cm.logWarn(`*** Importing ${r.type === 'integer' ? r.integer : 0} keys from DB 0\n`);
    const slotsMap: (CmNode | null)[] = new Array(16384).fill(null);
    for (let i = 0; i < 16384; i++) {
      for (const n of cm.nodes) {
        if (n.isSlave() || n.slotsCount === 0) continue;
        if (n.slots[i]) { slotsMap[i] = n; break; }
      }
    }
    const cfg = cm.cli.config;
    const extra: string[] = [];
    if (cfg.auth !== null) extra.push(...(cfg.user !== null ? ['AUTH2', cfg.user, cfg.auth] : ['AUTH', cfg.auth]));
    if (cm.hasFlag(CMD_FLAG.COPY)) extra.push('COPY');
    if (cm.hasFlag(CMD_FLAG.REPLACE)) extra.push('REPLACE');
    let cursor = -999;
    while (cursor !== 0) {
      if (cursor < 0) cursor = 0;
      r = await call(['SCAN', String(cursor), 'COUNT', '1000']);
      if (!r || r.type === 'error' || !('element' in r)) return replyErr(r);
      cursor = Number(replyText(r.element[0]) || 0);
      const keys = r.element[1];
      if (!('element' in keys)) break;
      for (const kr of keys.element) {
        const key = replyText(kr);
        const target = slotsMap[keyHashSlot(key)]!;
        cm.out(`Migrating ${key} to ${target.ip}:${target.port}: `);
        const mr = await call(['MIGRATE', target.ip, String(target.port), key, '0', String(cm.cmd.timeout), ...extra]);
        if (!mr || mr.type === 'error') {
          if (mr && mr.type === 'error') cm.logErr(`Source ${src.ip}:${src.port} replied with error:\n${mr.str}\n`);
          return false;
        }
        cm.logOk('OK\n');
      }
    }
    return true;
  } finally {
    ctx.close();
  }
}

/**
 * `--cluster backup`: saving each master's RDB needs the replication protocol (SYNC), which
 * this engine's redis-cli does not drive yet; it says so instead of writing partial backups.
 */
export async function commandBackup(cm: ClusterManager, argv: string[]): Promise<boolean> {
  const host = hostFromArgs(argv.slice(0, 1));
  if (!host) { cm.err(INVALID_HOST_ARG); return false; }
  cm.err('--cluster backup is not available in this redis-cli yet\n');
  return false;
}

export function commandHelp(cm: ClusterManager): boolean {
  cm.out(clusterManagerHelpText());
  return false;
}
