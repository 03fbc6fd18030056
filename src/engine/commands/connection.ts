/**
 * Connection management: PING, ECHO, SELECT, QUIT, AUTH, HELLO, RESET.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { getIntOrReply, getLongLongOrReply, optEq } from './util';
import { REDIS_VERSION } from '../server/server';
import { discardTransaction } from '../server/dispatch';
import { unsubscribeEverything } from '../server/pubsub';
import { disableTracking } from '../server/tracking';
import { aclAuthenticate } from './acl';

const G = { group: 'connection', acl: ['@connection'] };

function ping(c: Client, argv: string[]): void {
  if (argv.length > 2) { c.replyArityError(); return; }
  if (c.inPubSub && c.resp === 2) {
    c.replyArrayLen(2);
    c.replyBulk('pong');
    c.replyBulk(argv.length === 1 ? '' : argv[1]);
  } else if (argv.length === 1) {
    c.replyStatus('PONG');
  } else {
    c.replyBulk(argv[1]);
  }
}

function select(c: Client, argv: string[]): void {
  const id = getIntOrReply(c, argv[1]);
  if (id === null) return;
  if (c.server.clusterEnabled() && id !== 0) { c.replyError('SELECT is not allowed in cluster mode'); return; }
  if (id < 0 || id >= c.server.dbs.length) { c.replyError('DB index is out of range'); return; }
  c.db = c.server.dbs[id];
  c.replyOk();
}

function auth(c: Client, argv: string[]): void {
  if (argv.length > 3) { c.replySyntaxError(); return; }
  c.redactArg(1);
  let user: string, pass: string;
  if (argv.length === 2) {
    if (c.server.acl.defaultUser.nopass) {
      c.replyError('AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
      return;
    }
    user = 'default'; pass = argv[1];
  } else {
    user = argv[1]; pass = argv[2];
    c.redactArg(2);
  }
  if (aclAuthenticate(c, user, pass)) c.replyOk();
  else c.replyError('-WRONGPASS invalid username-password pair or user is disabled.');
}

/** clientSetNameOrReply: names may not contain spaces, newlines or special characters. */
export function setClientNameOrReply(c: Client, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) {
      c.replyError('Client names cannot contain spaces, newlines or special characters.');
      return false;
    }
  }
  c.name = name;
  return true;
}

function hello(c: Client, argv: string[]): void {
  let ver = 0;
  let next = 1;
  if (argv.length >= 2) {
    const v = getLongLongOrReply(c, argv[next++], 'Protocol version is not an integer or out of range');
    if (v === null) return;
    if (v < 2 || v > 3) { c.replyError('-NOPROTO unsupported protocol version'); return; }
    ver = v;
  }
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (optEq(argv[j], 'auth') && more >= 2) {
      c.redactArg(j + 1);
      c.redactArg(j + 2);
      if (!aclAuthenticate(c, argv[j + 1], argv[j + 2])) {
        c.replyError('-WRONGPASS invalid username-password pair or user is disabled.');
        return;
      }
      j += 2;
    } else if (optEq(argv[j], 'setname') && more) {
      if (!setClientNameOrReply(c, argv[j + 1])) return;
      j++;
    } else {
      c.replyError(`Syntax error in HELLO option '${argv[j]}'`);
      return;
    }
  }
  if (c.authRequired()) {
    c.replyError('-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
    return;
  }
  if (ver) c.resp = ver as 2 | 3;
  const s = c.server;
  c.replyMapLen(s.sentinelMode ? 6 : 7);
  c.replyBulk('server'); c.replyBulk('redis');
  c.replyBulk('version'); c.replyBulk(REDIS_VERSION);
  c.replyBulk('proto'); c.replyInt(c.resp);
  c.replyBulk('id'); c.replyInt(c.id);
  c.replyBulk('mode'); c.replyBulk(s.sentinelMode ? 'sentinel' : s.clusterEnabled() ? 'cluster' : 'standalone');
  if (!s.sentinelMode) { c.replyBulk('role'); c.replyBulk(s.masterHost ? 'replica' : 'master'); }
  c.replyBulk('modules'); c.replyArrayLen(0);
}

function quit(c: Client): void {
  c.replyOk();
  c.close();
}

/** RESET: back to a fresh connection state (clearClientConnectionState). */
function reset(c: Client): void {
  const s = c.server;
  if (c.isMaster || (c.isReplica && !c.isMonitor)) {
    c.replyError('can only reset normal client connections');
    return;
  }
  if (c.isMonitor) { s.monitors.delete(c); c.isMonitor = false; c.isReplica = false; }
  disableTracking(s, c);
  c.db = s.dbs[0];
  c.resp = 2;
  c.user = 'default';
  c.authenticated = !s.authRequiredForDefaultUser();
  discardTransaction(c);
  unsubscribeEverything(s, c);
  c.name = '';
  c.asking = false;
  c.readonly = false;
  c.replyOff = false;
  c.replySkipNext = false;
  c.replyStatus('RESET');
}

export const connectionCommands: CommandSpec[] = [
  cmd('ping', -1, ['fast', 'sentinel'], [0, 0, 0], { ...G, since: '1.0.0', summary: 'Check the connection: reply PONG or echo the message.', complexity: 'O(1)', tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], args: [{ name: 'message', type: 'string', optional: true }] }, ping),
  cmd('echo', 2, ['loading', 'stale', 'fast'], [0, 0, 0], { ...G, since: '1.0.0', summary: 'Return the given string.', complexity: 'O(1)', args: [{ name: 'message', type: 'string' }] }, (c, a) => c.replyBulk(a[1])),
  cmd('select', 2, ['loading', 'stale', 'fast'], [0, 0, 0], { ...G, since: '1.0.0', summary: 'Change the selected database of this connection.', complexity: 'O(1)', args: [{ name: 'index', type: 'integer' }] }, select),
  cmd('quit', -1, ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'], [0, 0, 0], { ...G, since: '1.0.0', summary: 'Close the connection.', complexity: 'O(1)' }, quit),
  cmd('auth', -2, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'], [0, 0, 0], { ...G, since: '1.0.0', summary: 'Authenticate this connection.', complexity: 'O(N) where N is the number of passwords defined for the user', args: [{ name: 'username', type: 'string', optional: true, since: '6.0.0' }, { name: 'password', type: 'string' }] }, auth, {
    history: [['6.0.0', 'Added ACL style (username and password).']],
  }),
  cmd('hello', -1, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'], [0, 0, 0], {
    ...G, since: '6.0.0', summary: 'Handshake: pick the protocol version, optionally authenticate and name the connection.', complexity: 'O(1)',
    args: [{ name: 'arguments', type: 'block', optional: true, args: [
      { name: 'protover', type: 'integer' },
      { name: 'username_password', type: 'block', token: 'AUTH', optional: true, args: [{ name: 'username', type: 'string' }, { name: 'password', type: 'string' }] },
      { name: 'clientname', type: 'string', token: 'SETNAME', optional: true }] }],
  }, hello, {
    history: [['6.2.0', '`protover` made optional; when called without arguments the command reports the current connection\'s context.']],
  }),
  cmd('reset', 1, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], [0, 0, 0], { ...G, since: '6.2.0', summary: 'Reset the connection to its initial state.', complexity: 'O(1)' }, reset),
];
