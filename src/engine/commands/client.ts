/**
 * CLIENT (the connection introspection and control container, clientCommand in networking.c)
 * and MONITOR.
 *
 * CLIENT KILL has two syntaxes: the old `CLIENT KILL <ip:port>` (replies OK or "No such
 * client", may kill the caller itself) and the filter form `CLIENT KILL <option> <value> ...`
 * (ID, TYPE, USER, ADDR, LADDR, SKIPME; replies the number killed). The caller is closed after
 * its reply. CLIENT REPLY OFF/SKIP silence the connection's replies (pushes still go out);
 * CLIENT PAUSE postpones commands until the pause ends; CLIENT UNBLOCK ends another client's
 * blocking command as if it timed out (or with an UNBLOCKED error).
 *
 * MONITOR turns the connection into a feed of every command the server runs (see
 * dispatch.ts feedMonitors); such a connection counts as a replica and may only run
 * commands that do not touch the keyspace.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { getLongLongOrReply, getRangeLongOrReply, LONG_MAX, optEq } from './util';
import { setClientNameOrReply } from './connection';
import { addReplyHelp, subcommandSyntaxError } from './help';
import { clientInfoString, clientTypeByName, clientTypeName } from '../server/client-info';
import { pauseClients, unpauseClients } from '../server/pause';
import { checkPrefixCollisionsOrReply, disableTracking, enableTracking } from '../server/tracking';

const G = { group: 'connection', acl: ['@connection'] };

/** The C-string view of an argument (what strcmp and %s see): up to the first NUL. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul >= 0 ? s.slice(0, nul) : s;
}

const CLIENT_HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

function clientHelp(c: Client): void {
  addReplyHelp(c, c.argv, CLIENT_HELP);
}

function clientId(c: Client): void {
  c.replyInt(c.id);
}

function clientInfo(c: Client): void {
  c.replyVerbatim(clientInfoString(c.server, c) + '\n');
}

function clientList(c: Client, argv: string[]): void {
  const s = c.server;
  let type: string | null = null;
  let out: string | null = null;
  if (argv.length === 4 && optEq(argv[2], 'type')) {
    type = clientTypeByName(cString(argv[3]));
    if (type === null) {
      c.replyError(`Unknown client type '${cString(argv[3])}'`);
      return;
    }
  } else if (argv.length > 3 && optEq(argv[2], 'id')) {
    out = '';
    for (let j = 3; j < argv.length; j++) {
      const id = getLongLongOrReply(c, argv[j], 'Invalid client ID');
      if (id === null) return;
      const cl = s.clients.get(id);
      if (cl) out += clientInfoString(s, cl) + '\n';
    }
  } else if (argv.length !== 2) {
    c.replySyntaxError();
    return;
  }
  if (out === null) {
    out = '';
    for (const cl of s.clients.values()) {
      if (type !== null && clientTypeName(cl) !== type) continue;
      out += clientInfoString(s, cl) + '\n';
    }
  }
  c.replyVerbatim(out);
}

function clientReply(c: Client, argv: string[]): void {
  if (optEq(argv[2], 'on')) {
    c.replyOff = false;
    c.replySkip = false;
    c.replySkipNext = false;
    c.replyOk();
  } else if (optEq(argv[2], 'off')) {
    c.replyOff = true;
  } else if (optEq(argv[2], 'skip')) {
    if (!c.replyOff) c.replySkipNext = true;
  } else {
    c.replySyntaxError();
  }
}

function clientNoEvict(c: Client, argv: string[]): void {
  if (optEq(argv[2], 'on')) {
    c.noEvict = true;
    c.replyOk();
  } else if (optEq(argv[2], 'off')) {
    c.noEvict = false;
    c.replyOk();
  } else {
    c.replySyntaxError();
  }
}

function clientKill(c: Client, argv: string[]): void {
  const s = c.server;
  let addr: string | null = null;
  let laddr: string | null = null;
  let user: string | null = null;
  let type: string | null = null;
  let id = 0;
  let skipme = true;
  if (argv.length === 3) {
    addr = cString(argv[2]);
    skipme = false;
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const more = argv.length > i + 1;
      if (optEq(argv[i], 'id') && more) {
        const v = getRangeLongOrReply(c, argv[i + 1], 1, LONG_MAX, 'client-id should be greater than 0');
        if (v === null) return;
        id = v;
      } else if (optEq(argv[i], 'type') && more) {
        type = clientTypeByName(cString(argv[i + 1]));
        if (type === null) {
          c.replyError(`Unknown client type '${cString(argv[i + 1])}'`);
          return;
        }
      } else if (optEq(argv[i], 'addr') && more) {
        addr = cString(argv[i + 1]);
      } else if (optEq(argv[i], 'laddr') && more) {
        laddr = cString(argv[i + 1]);
      } else if (optEq(argv[i], 'user') && more) {
        if (!c.server.acl.users.has(argv[i + 1])) {
          c.replyError(`No such user '${cString(argv[i + 1])}'`);
          return;
        }
        user = argv[i + 1];
      } else if (optEq(argv[i], 'skipme') && more) {
        if (optEq(argv[i + 1], 'yes')) skipme = true;
        else if (optEq(argv[i + 1], 'no')) skipme = false;
        else { c.replySyntaxError(); return; }
      } else {
        c.replySyntaxError();
        return;
      }
    }
  }
  let killed = 0;
  let closeSelf = false;
  for (const cl of [...s.clients.values()]) {
    if (addr !== null && cl.addr !== addr) continue;
    if (laddr !== null && cl.laddr !== laddr) continue;
    if (type !== null && clientTypeName(cl) !== type) continue;
    if (id !== 0 && cl.id !== id) continue;
    if (user !== null && cl.user !== user) continue;
    if (cl === c && skipme) continue;
    if (cl === c) closeSelf = true;
    else s.freeClient(cl);
    killed++;
  }
  if (argv.length === 3) {
    if (killed === 0) c.replyError('No such client');
    else c.replyOk();
  } else {
    c.replyInt(killed);
  }
  if (closeSelf) c.close();
}

function clientUnblock(c: Client, argv: string[]): void {
  if (argv.length > 4) { subcommandSyntaxError(c, argv); return; }
  let withError = false;
  if (argv.length === 4) {
    if (optEq(argv[3], 'timeout')) withError = false;
    else if (optEq(argv[3], 'error')) withError = true;
    else {
      c.replyError('CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      return;
    }
  }
  const id = getLongLongOrReply(c, argv[2]);
  if (id === null) return;
  const s = c.server;
  const target = s.clients.get(id);
  const b = target?.blocked;
  // Redis 7.0.15 crashes when asked to time out a client postponed by CLIENT PAUSE; we report
  // that it could not be unblocked instead.
  if (!target || !b || (b.kind === 'pause' && !withError)) {
    c.replyInt(0);
    return;
  }
  if (withError) target.replyError('-UNBLOCKED client unblocked via CLIENT UNBLOCK');
  else b.onTimeout();
  // Redis 7.0 counts either way as a failure.
  if (b.kind !== 'pause') s.updateStatsOnUnblock(target, b, 0, true, []);
  if (b.kind === 'pause') {
    // Redis processes the postponed command again, which postpones it anew while the pause
    // lasts: it moves to the end of the queue.
    const i = s.postponed.findIndex((p) => p.c === target);
    if (i >= 0) s.postponed.push(...s.postponed.splice(i, 1));
  } else {
    s.unblockClient(target, false);
    s.afterUnblock(target);
  }
  c.replyInt(1);
}

function clientSetname(c: Client, argv: string[]): void {
  if (setClientNameOrReply(c, argv[2])) c.replyOk();
}

function clientGetname(c: Client): void {
  if (c.name) c.replyBulk(c.name);
  else c.replyNull();
}

function clientUnpause(c: Client): void {
  unpauseClients(c.server, 'client');
  c.replyOk();
}

function clientPause(c: Client, argv: string[]): void {
  if (argv.length > 4) { subcommandSyntaxError(c, argv); return; }
  let type: 'write' | 'all' = 'all';
  if (argv.length === 4) {
    if (optEq(argv[3], 'write')) type = 'write';
    else if (optEq(argv[3], 'all')) type = 'all';
    else {
      c.replyError('CLIENT PAUSE mode must be WRITE or ALL');
      return;
    }
  }
  const ms = getLongLongOrReply(c, argv[2], 'timeout is not an integer or out of range');
  if (ms === null) return;
  if (ms < 0) {
    c.replyError('timeout is negative');
    return;
  }
  const end = ms > 0 ? c.server.nowMs() + ms : 0;
  pauseClients(c.server, 'client', end, type);
  c.replyOk();
}

function clientTracking(c: Client, argv: string[]): void {
  const s = c.server;
  let redir = 0;
  const opts = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j > 0;
    if (optEq(argv[j], 'redirect') && more) {
      j++;
      if (redir !== 0) {
        c.replyError('A client can only redirect to a single other client');
        return;
      }
      const v = getLongLongOrReply(c, argv[j]);
      if (v === null) return;
      redir = v;
      if (!s.clients.has(redir)) {
        c.replyError('The client ID you want redirect to does not exist');
        return;
      }
    } else if (optEq(argv[j], 'bcast')) {
      opts.bcast = true;
    } else if (optEq(argv[j], 'optin')) {
      opts.optin = true;
    } else if (optEq(argv[j], 'optout')) {
      opts.optout = true;
    } else if (optEq(argv[j], 'noloop')) {
      opts.noloop = true;
    } else if (optEq(argv[j], 'prefix') && more) {
      j++;
      prefixes.push(argv[j]);
    } else {
      c.replySyntaxError();
      return;
    }
  }
  if (optEq(argv[2], 'on')) {
    if (!opts.bcast && prefixes.length) {
      c.replyError('PREFIX option requires BCAST mode to be enabled');
      return;
    }
    if (c.tracking && c.tracking.bcast !== opts.bcast) {
      c.replyError("You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
      return;
    }
    if (opts.bcast && (opts.optin || opts.optout)) {
      c.replyError('OPTIN and OPTOUT are not compatible with BCAST');
      return;
    }
    if (opts.optin && opts.optout) {
      c.replyError("You can't specify both OPTIN mode and OPTOUT mode");
      return;
    }
    if ((opts.optin && c.tracking?.optout) || (opts.optout && c.tracking?.optin)) {
      c.replyError("You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
      return;
    }
    if (opts.bcast && !checkPrefixCollisionsOrReply(c, prefixes)) return;
    enableTracking(s, c, redir, opts, prefixes);
  } else if (optEq(argv[2], 'off')) {
    disableTracking(s, c);
  } else {
    c.replySyntaxError();
    return;
  }
  c.replyOk();
}

function clientCaching(c: Client, argv: string[]): void {
  if (!c.tracking) {
    c.replyError('CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
    return;
  }
  if (optEq(argv[2], 'yes')) {
    if (!c.tracking.optin) {
      c.replyError('CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
      return;
    }
    c.trackingCaching = true;
  } else if (optEq(argv[2], 'no')) {
    if (!c.tracking.optout) {
      c.replyError('CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
      return;
    }
    c.trackingCaching = true;
  } else {
    c.replySyntaxError();
    return;
  }
  c.replyOk();
}

function clientGetredir(c: Client): void {
  c.replyInt(c.tracking ? c.tracking.redirect : -1);
}

function clientTrackinginfo(c: Client): void {
  const t = c.tracking;
  c.replyMapLen(3);
  c.replyBulk('flags');
  const flags = [t ? 'on' : 'off'];
  if (t?.bcast) flags.push('bcast');
  if (t?.optin) { flags.push('optin'); if (c.trackingCaching) flags.push('caching-yes'); }
  if (t?.optout) { flags.push('optout'); if (c.trackingCaching) flags.push('caching-no'); }
  if (t?.noloop) flags.push('noloop');
  if (t?.brokenRedirect) flags.push('broken_redirect');
  c.replySetLen(flags.length);
  for (const f of flags) c.replyBulk(f);
  c.replyBulk('redirect');
  c.replyInt(t ? t.redirect : -1);
  c.replyBulk('prefixes');
  const prefixes = t ? [...t.prefixes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  c.replyBulks(prefixes);
}

function monitor(c: Client): void {
  if (c.denyBlocking) {
    c.replyError("MONITOR isn't allowed for DENY BLOCKING client");
    return;
  }
  // Already a replica or monitor: ignored, without a reply.
  if (c.isReplica) return;
  c.isReplica = true;
  c.isMonitor = true;
  c.server.monitors.add(c);
  c.replyOk();
}

const F = ['noscript', 'loading', 'stale', 'sentinel'] as const;
const A = ['admin', 'noscript', 'loading', 'stale', 'sentinel'] as const;

export const clientCommands: CommandSpec[] = [
  cmd('client', -2, ['sentinel'], [0, 0, 0], { group: 'connection', since: '2.4.0', summary: 'Inspect and control client connections (a container command).', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('caching', 3, [...F], [0, 0, 0], { ...G, since: '6.0.0', summary: 'Tell the server whether to track the keys of the next command (OPTIN/OPTOUT tracking).', complexity: 'O(1)', args: [{ name: 'mode', type: 'oneof', args: [{ name: 'yes', type: 'pure-token', token: 'YES' }, { name: 'no', type: 'pure-token', token: 'NO' }] }] }, clientCaching),
      cmd('getname', 2, [...F], [0, 0, 0], { ...G, since: '2.6.9', summary: 'Return the name of this connection.', complexity: 'O(1)' }, clientGetname),
      cmd('getredir', 2, [...F], [0, 0, 0], { ...G, since: '6.0.0', summary: 'Return the id tracking invalidations are redirected to.', complexity: 'O(1)' }, clientGetredir),
      cmd('help', 2, ['loading', 'stale', 'sentinel'], [0, 0, 0], { ...G, since: '5.0.0', summary: 'Show what the CLIENT subcommands do.', complexity: 'O(1)' }, clientHelp),
      cmd('id', 2, [...F], [0, 0, 0], { ...G, since: '5.0.0', summary: 'Return the id of this connection.', complexity: 'O(1)' }, clientId),
      cmd('info', 2, [...F], [0, 0, 0], { ...G, since: '6.2.0', summary: 'Describe this connection (one CLIENT LIST line).', complexity: 'O(1)', tips: ['nondeterministic_output'] }, clientInfo),
      cmd('kill', -3, [...A], [0, 0, 0], {
        ...G, since: '2.4.0', summary: 'Close the connections matching an address or filters.', complexity: 'O(N) where N is the number of client connections',
        args: [{ name: 'filter', type: 'oneof', args: [
          { name: 'ip:port', type: 'string', deprecatedSince: '2.8.12' },
          { name: 'new-format', type: 'oneof', multiple: true, args: [
            { name: 'client-id', type: 'integer', token: 'ID', optional: true, since: '2.8.12' },
            { name: 'normal_master_slave_pubsub', type: 'oneof', token: 'TYPE', optional: true, since: '2.8.12', args: [
              { name: 'normal', type: 'pure-token', token: 'NORMAL' }, { name: 'master', type: 'pure-token', token: 'MASTER', since: '3.2.0' },
              { name: 'slave', type: 'pure-token', token: 'SLAVE' }, { name: 'replica', type: 'pure-token', token: 'REPLICA', since: '5.0.0' },
              { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' }] },
            { name: 'username', type: 'string', token: 'USER', optional: true },
            { name: 'ip:port', type: 'string', token: 'ADDR', optional: true },
            { name: 'ip:port', type: 'string', token: 'LADDR', optional: true, since: '6.2.0' },
            { name: 'yes/no', type: 'string', token: 'SKIPME', optional: true }] }] }],
      }, clientKill, {
        history: [['2.8.12', 'Added new filter format.'], ['2.8.12', '`ID` option.'], ['3.2.0', 'Added `master` type in for `TYPE` option.'],
          ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'], ['6.2.0', '`LADDR` option.']],
      }),
      cmd('list', -2, [...A], [0, 0, 0], {
        ...G, since: '2.4.0', summary: 'List the client connections.', complexity: 'O(N) where N is the number of client connections', tips: ['nondeterministic_output'],
        args: [
          { name: 'normal_master_replica_pubsub', type: 'oneof', token: 'TYPE', optional: true, since: '5.0.0', args: [
            { name: 'normal', type: 'pure-token', token: 'NORMAL' }, { name: 'master', type: 'pure-token', token: 'MASTER' },
            { name: 'replica', type: 'pure-token', token: 'REPLICA' }, { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' }] },
          { name: 'id', type: 'block', token: 'ID', optional: true, since: '6.2.0', args: [{ name: 'client-id', type: 'integer', multiple: true }] }],
      }, clientList, {
        history: [['2.8.12', 'Added unique client `id` field.'], ['5.0.0', 'Added optional `TYPE` filter.'], ['6.0.0', 'Added `user` field.'],
          ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
          ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'], ['7.0.3', 'Added `ssub` field.']],
      }),
      cmd('no-evict', 3, [...A], [0, 0, 0], { ...G, since: '7.0.0', summary: 'Exempt this connection from client eviction, or not.', complexity: 'O(1)', args: [{ name: 'enabled', type: 'oneof', args: [{ name: 'on', type: 'pure-token', token: 'ON' }, { name: 'off', type: 'pure-token', token: 'OFF' }] }] }, clientNoEvict),
      cmd('pause', -3, [...A], [0, 0, 0], { ...G, since: '2.9.50', summary: 'Hold client commands (all, or only writes) for some milliseconds.', complexity: 'O(1)', args: [{ name: 'timeout', type: 'integer' }, { name: 'mode', type: 'oneof', optional: true, since: '6.2.0', args: [{ name: 'write', type: 'pure-token', token: 'WRITE' }, { name: 'all', type: 'pure-token', token: 'ALL' }] }] }, clientPause, {
        history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
      }),
      cmd('reply', 3, [...F], [0, 0, 0], { ...G, since: '3.2.0', summary: 'Turn the replies to this connection on or off, or skip the next one.', complexity: 'O(1)', args: [{ name: 'on_off_skip', type: 'oneof', args: [{ name: 'on', type: 'pure-token', token: 'ON' }, { name: 'off', type: 'pure-token', token: 'OFF' }, { name: 'skip', type: 'pure-token', token: 'SKIP' }] }] }, clientReply),
      cmd('setname', 3, [...F], [0, 0, 0], { ...G, since: '2.6.9', summary: 'Name this connection.', complexity: 'O(1)', args: [{ name: 'connection-name', type: 'string' }] }, clientSetname),
      cmd('tracking', -3, [...F], [0, 0, 0], {
        ...G, since: '6.0.0', summary: 'Turn server-assisted client side caching on or off.', complexity: 'O(1). Some options may introduce additional complexity.',
        args: [
          { name: 'status', type: 'oneof', args: [{ name: 'on', type: 'pure-token', token: 'ON' }, { name: 'off', type: 'pure-token', token: 'OFF' }] },
          { name: 'client-id', type: 'integer', token: 'REDIRECT', optional: true },
          { name: 'prefix', type: 'string', token: 'PREFIX', optional: true, multiple: true, multipleToken: true },
          { name: 'bcast', type: 'pure-token', token: 'BCAST', optional: true },
          { name: 'optin', type: 'pure-token', token: 'OPTIN', optional: true },
          { name: 'optout', type: 'pure-token', token: 'OPTOUT', optional: true },
          { name: 'noloop', type: 'pure-token', token: 'NOLOOP', optional: true }],
      }, clientTracking),
      cmd('trackinginfo', 2, [...F], [0, 0, 0], { ...G, since: '6.2.0', summary: 'Describe the client side caching state of this connection.', complexity: 'O(1)' }, clientTrackinginfo),
      cmd('unblock', -3, [...A], [0, 0, 0], { ...G, since: '5.0.0', summary: 'End the blocking command another connection is waiting in.', complexity: 'O(log N) where N is the number of client connections', args: [{ name: 'client-id', type: 'integer' }, { name: 'timeout_error', type: 'oneof', optional: true, args: [{ name: 'timeout', type: 'pure-token', token: 'TIMEOUT' }, { name: 'error', type: 'pure-token', token: 'ERROR' }] }] }, clientUnblock),
      cmd('unpause', 2, [...A], [0, 0, 0], { ...G, since: '6.2.0', summary: 'End a client pause.', complexity: 'O(N) Where N is the number of paused clients' }, clientUnpause),
    ],
  }),
  cmd('monitor', 1, ['admin', 'noscript', 'loading', 'stale'], [0, 0, 0], { group: 'server', since: '1.0.0', summary: 'Stream every command the server runs to this connection.', complexity: undefined }, monitor),
];
