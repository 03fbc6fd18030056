/**
 * Replication commands: REPLICAOF / SLAVEOF, REPLCONF, PSYNC, SYNC (replication.c). ROLE,
 * WAIT and FAILOVER live in server-admin.ts and reach the replication module through
 * replicationCommandHooks. The work is done by src/engine/replication; these handlers parse
 * arguments and answer with Redis's exact texts.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { getLongLongOrReply, getRangeLongOrReply, optEq } from './util';
import { replicationOf } from '../replication';
import { syncCommand, replicaAck } from '../replication/master';
import { replicaInfo, REQ_RDB_EXCLUDE_DATA, REQ_RDB_EXCLUDE_FUNCTIONS } from '../replication/state';
import { replState } from '../replication/state';
import { splitArgs } from '../tools/redis-cli/split-args';
import { string2ll } from '../util/numbers';

const G = { group: 'server' };

/** NET_HOST_STR_LEN. */
const NET_HOST_STR_LEN = 256;

function replicaof(c: Client, argv: string[]): void {
  const s = c.server;
  const repl = replicationOf(s);
  if (s.clusterEnabled()) { c.replyError('REPLICAOF not allowed in cluster mode.'); return; }
  if (replState(s).failoverState !== 'no-failover') { c.replyError('REPLICAOF not allowed while failing over.'); return; }
  if (optEq(argv[1], 'no') && optEq(argv[2], 'one')) {
    if (s.masterHost !== null) {
      repl.unsetMaster();
      s.log.notice(`MASTER MODE enabled (user request from '${s.clientInfoString(c)}')`);
    }
  } else {
    if (c.isReplica) { c.replyError('Command is not valid when client is a replica.'); return; }
    const port = getRangeLongOrReply(c, argv[2], 0, 65535, 'Invalid master port');
    if (port === null) return;
    if (s.masterHost !== null && s.masterHost.toLowerCase() === argv[1].toLowerCase() && s.masterPort === port) {
      s.log.notice('REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.');
      c.replyStatus('OK Already connected to specified master');
      return;
    }
    repl.setMaster(argv[1], port);
    s.log.notice(`REPLICAOF ${s.masterHost}:${s.masterPort} enabled (user request from '${s.clientInfoString(c)}')`);
  }
  c.replyOk();
}

function replconf(c: Client, argv: string[]): void {
  const s = c.server;
  if (argv.length % 2 === 0) { c.replySyntaxError(); return; }
  const r = replicaInfo(c);
  for (let j = 1; j < argv.length; j += 2) {
    const opt = argv[j], val = argv[j + 1];
    if (optEq(opt, 'listening-port')) {
      const port = getLongLongOrReply(c, val);
      if (port === null) return;
      r.listeningPort = port;
    } else if (optEq(opt, 'ip-address')) {
      if (val.length >= NET_HOST_STR_LEN) {
        c.replyError(`REPLCONF ip-address provided by replica instance is too long: ${val.length} bytes`);
        return;
      }
      r.announcedIp = val;
    } else if (optEq(opt, 'capa')) {
      if (optEq(val, 'eof')) r.capaEof = true;
      else if (optEq(val, 'psync2')) r.capaPsync2 = true;
    } else if (optEq(opt, 'ack')) {
      // Only from a replica, and never answered.
      if (!c.isReplica) return;
      const off = string2ll(val);
      if (off === null) return;
      replicaAck(s, c, off);
      return;
    } else if (optEq(opt, 'getack')) {
      if (s.masterHost !== null && replState(s).master) replicationOf(s).replica.sendAck();
      return;
    } else if (optEq(opt, 'rdb-only')) {
      const v = getRangeLongOrReply(c, val, 0, 1);
      if (v === null) return;
      r.rdbOnly = v === 1;
    } else if (optEq(opt, 'rdb-filter-only')) {
      const filters = splitArgs(val);
      if (filters === null) { c.replyError('Missing rdb-filter-only values'); return; }
      let req = (r.req ?? 0) | REQ_RDB_EXCLUDE_DATA | REQ_RDB_EXCLUDE_FUNCTIONS;
      for (const f of filters) {
        if (optEq(f, 'functions')) req &= ~REQ_RDB_EXCLUDE_FUNCTIONS;
        else { r.req = req; c.replyError(`Unsupported rdb-filter-only option: ${f}`); return; }
      }
      r.req = req;
    } else {
      c.replyError(`Unrecognized REPLCONF option: ${opt}`);
      return;
    }
  }
  c.replyOk();
}

function sync(c: Client, argv: string[]): void {
  syncCommand(c.server, c, argv);
}

const HOST_PORT_ARGS = [{
  name: 'args', type: 'oneof' as const, args: [
    { name: 'host-port', type: 'block' as const, args: [{ name: 'host', type: 'string' as const }, { name: 'port', type: 'integer' as const }] },
    { name: 'no-one', type: 'block' as const, args: [{ name: 'no', type: 'pure-token' as const, token: 'NO' }, { name: 'one', type: 'pure-token' as const, token: 'ONE' }] },
  ],
}];

export const replicationCommands: CommandSpec[] = [
  cmd('replicaof', 3, ['no_async_loading', 'admin', 'noscript', 'stale'], [0, 0, 0], {
    ...G, since: '5.0.0', summary: 'Make the server a replica of another instance, or promote it as master.', complexity: 'O(1)', args: HOST_PORT_ARGS,
  }, replicaof),
  cmd('slaveof', 3, ['no_async_loading', 'admin', 'noscript', 'stale'], [0, 0, 0], {
    ...G, since: '1.0.0', summary: 'Make the server a replica of another instance, or promote it as master.', complexity: 'O(1)', args: HOST_PORT_ARGS,
  }, replicaof, { docFlags: ['deprecated'], deprecatedSince: '5.0.0', replacedBy: '`REPLICAOF`' }),
  cmd('replconf', -1, ['admin', 'noscript', 'loading', 'stale', 'allow_busy'], [0, 0, 0], {
    ...G, since: '3.0.0', summary: 'An internal command for configuring the replication stream.', complexity: 'O(1)',
  }, replconf, { docFlags: ['syscmd'] }),
  cmd('psync', -3, ['no_async_loading', 'admin', 'no_multi', 'noscript'], [0, 0, 0], {
    ...G, since: '2.8.0', summary: 'An internal command used in replication.',
    args: [{ name: 'replicationid', type: 'string' }, { name: 'offset', type: 'integer' }],
  }, sync),
  cmd('sync', 1, ['no_async_loading', 'admin', 'no_multi', 'noscript'], [0, 0, 0], {
    ...G, since: '1.0.0', summary: 'An internal command used in replication.',
  }, sync),
];
