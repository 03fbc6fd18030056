/**
 * Which node serves a command, and the redirection errors (getNodeByQuery and
 * clusterRedirectClient), run by processCommand through `server.guards.clusterRedirect`.
 *
 * All the keys of a command (of every queued command, for EXEC) must hash to one slot, else
 * CROSSSLOT. With no key at all the command runs here. Then, in order:
 * - the slot has no owner: CLUSTERDOWN Hash slot not served;
 * - the cluster is down: CLUSTERDOWN The cluster is down (with cluster-allow-reads-when-down,
 *   reads still run and writes get "... and only accepts read commands");
 * - MIGRATE runs here whenever the slot is migrating or importing;
 * - the slot is migrating away from us and some keys are missing here: ASK to the target when
 *   none of them is here, TRYAGAIN when only some are;
 * - the slot is being imported and the client sent ASKING (or the command is flagged
 *   "asking", like RESTORE-ASKING): run here, unless several keys are involved and some are
 *   missing (TRYAGAIN);
 * - we are a replica of the slot's master and the client said READONLY: reads run here;
 * - otherwise the owner serves it: MOVED when that is not us.
 */
import type { Client } from '../server/client';
import { FLAG_BIT, type CommandSpec } from '../commands/table';
import type { Cluster } from './cluster';
import { CLUSTER_OK } from './cluster';
import type { ClusterNode } from './node';
import { keyHashSlot } from './crc16';
import { discardTransaction } from '../server/dispatch';
import { Lookup } from '../keyspace/db';

export const REDIR_NONE = 0;
export const REDIR_CROSS_SLOT = 1;
export const REDIR_UNSTABLE = 2;
export const REDIR_ASK = 3;
export const REDIR_MOVED = 4;
export const REDIR_DOWN_STATE = 5;
export const REDIR_DOWN_UNBOUND = 6;
export const REDIR_DOWN_RO_STATE = 7;

export interface NodeForQuery { node: ClusterNode | null; slot: number; code: number }

function hasFlag(cmd: CommandSpec, f: string): boolean {
  return (cmd.flags as string[]).includes(f);
}

/** Whether processCommand looks at this command at all (it has keys, or it is EXEC). */
export function commandMayHaveKeys(cmd: CommandSpec): boolean {
  return cmd.firstKey > 0 || !!cmd.getKeys || (cmd.keySpecs?.length ?? 0) > 0 || (cmd.name === 'exec' && !cmd.parent);
}

/**
 * getCommandFlags(): the flags the command runs with. EVAL/FCALL take their script's (a script
 * without a no-writes shebang flag counts as a write), so a READONLY replica answers MOVED to
 * a writing script instead of running it and failing inside.
 */
function commandFlagBits(c: Client, cmd: CommandSpec, argv: string[]): number {
  return cmd.getFlags ? cmd.getFlags(c.server, argv, cmd.flagBits ?? 0) : (cmd.flagBits ?? 0);
}

export function getNodeByQuery(cl: Cluster, c: Client, cmd: CommandSpec, argv: string[]): NodeForQuery {
  const me = cl.myself;
  const cmdFlags = commandFlagBits(c, cmd, argv);
  const isExec = cmd.name === 'exec' && !cmd.parent;
  let commands: { cmd: CommandSpec; argv: string[] }[];
  if (isExec) {
    // EXEC without MULTI just fails by itself.
    if (!c.inMulti) return { node: me, slot: 0, code: REDIR_NONE };
    commands = c.multiQueue;
  } else {
    commands = [{ cmd, argv }];
  }
  // Shard channels route like keys, but are served by the slot's owner whether or not
  // anyone is subscribed, and may stay usable while the cluster is down.
  const isPubsubShard = cmd.name === 'ssubscribe' || cmd.name === 'sunsubscribe' || cmd.name === 'spublish';
  const table = cl.server.table;
  const db0 = cl.server.dbs[0];
  let firstKey: string | null = null;
  let slot = 0;
  let n: ClusterNode | null = null;
  let multipleKeys = false;
  let migrating = false;
  let importing = false;
  let missingKeys = 0;
  let existingKeys = 0;
  for (const q of commands) {
    for (const pos of table.keyPositions(q.cmd, q.argv)) {
      if (pos >= q.argv.length) continue;
      const key = q.argv[pos];
      const keySlot = keyHashSlot(key);
      if (firstKey === null) {
        firstKey = key;
        slot = keySlot;
        n = cl.slots[slot];
        if (n === null) return { node: null, slot, code: REDIR_DOWN_UNBOUND };
        if (n === me && cl.migratingSlotsTo.get(slot) !== null) migrating = true;
        else if (cl.importingSlotsFrom.get(slot) !== null) importing = true;
      } else if (key !== firstKey) {
        if (slot !== keySlot) return { node: null, slot, code: REDIR_CROSS_SLOT };
        multipleKeys = true;
      }
      if ((migrating || importing) && !isPubsubShard) {
        // Peek without side effects: no LRU touch, no stats, no expiry deletion.
        if (db0.lookup(key, Lookup.NoTouch | Lookup.NoStats | Lookup.NoNotify | Lookup.NoExpire) === undefined) missingKeys++;
        else existingKeys++;
      }
    }
  }
  if (n === null) return { node: me, slot: 0, code: REDIR_NONE };

  if (cl.state !== CLUSTER_OK) {
    if (isPubsubShard) {
      if (!cl.server.config.get<boolean>('cluster-allow-pubsubshard-when-down')) return { node: null, slot, code: REDIR_DOWN_STATE };
    } else if (!cl.server.config.get<boolean>('cluster-allow-reads-when-down')) return { node: null, slot, code: REDIR_DOWN_STATE };
    // Like Redis, EXEC is judged by its own flags here (not by the queued commands').
    else if (cmdFlags & FLAG_BIT.write) return { node: null, slot, code: REDIR_DOWN_RO_STATE };
  }
  if ((migrating || importing) && cmd.name === 'migrate') return { node: me, slot, code: REDIR_NONE };
  if (migrating && missingKeys) {
    if (existingKeys) return { node: null, slot, code: REDIR_UNSTABLE };
    return { node: cl.migratingSlotsTo.get(slot), slot, code: REDIR_ASK };
  }
  if (importing && (c.asking || (cmdFlags & FLAG_BIT.asking))) {
    if (multipleKeys && missingKeys) return { node: null, slot, code: REDIR_UNSTABLE };
    return { node: me, slot, code: REDIR_NONE };
  }
  const isWriteCommand = (cmdFlags & FLAG_BIT.write) !== 0 || (isExec && c.multiFlags.has('write'));
  if ((c.readonly || isPubsubShard) && !isWriteCommand && me.isSlave() && me.slaveof === n) return { node: me, slot, code: REDIR_NONE };
  return { node: n, slot, code: n !== me ? REDIR_MOVED : REDIR_NONE };
}

/** The preferred endpoint of a node in redirections and CLUSTER SLOTS/SHARDS. */
export function preferredEndpoint(cl: Cluster, n: ClusterNode): string {
  switch (cl.server.config.get<string>('cluster-preferred-endpoint-type')) {
    case 'hostname': return n.hostname !== '' ? n.hostname : '?';
    case 'unknown-endpoint': return '';
    default: return n.ip;
  }
}

/** clusterRedirectClient: the error reply for a redirection code. */
export function redirectError(cl: Cluster, r: NodeForQuery): string {
  switch (r.code) {
    case REDIR_CROSS_SLOT: return "-CROSSSLOT Keys in request don't hash to the same slot";
    case REDIR_UNSTABLE: return '-TRYAGAIN Multiple keys request during rehashing of slot';
    case REDIR_DOWN_STATE: return '-CLUSTERDOWN The cluster is down';
    case REDIR_DOWN_RO_STATE: return '-CLUSTERDOWN The cluster is down and only accepts read commands';
    case REDIR_DOWN_UNBOUND: return '-CLUSTERDOWN Hash slot not served';
    default: {
      const n = r.node!;
      return `-${r.code === REDIR_ASK ? 'ASK' : 'MOVED'} ${r.slot} ${preferredEndpoint(cl, n)}:${n.port}`;
    }
  }
}

/**
 * The processCommand step: true when the client got a redirection (the command does not
 * run). A redirected EXEC discards the transaction; a redirected command queued in MULTI
 * makes the EXEC fail with EXECABORT.
 */
export function clusterRedirectGuard(cl: Cluster, c: Client, cmd: CommandSpec, argv: string[]): boolean {
  if (!commandMayHaveKeys(cmd)) return false;
  const r = getNodeByQuery(cl, c, cmd, argv);
  if (r.code === REDIR_NONE && r.node === cl.myself) return false;
  if (cmd.name === 'exec' && !cmd.parent) discardTransaction(c);
  else if (c.inMulti) c.dirtyExec = true;
  c.replyError(redirectError(cl, r));
  return true;
}

/**
 * clusterRedirectBlockedClientIfNeeded: a client blocked on a key (BLPOP...) whose slot is no
 * longer served here (moved away, unassigned, or the cluster went down) would wait forever;
 * it gets the redirection instead. True when the client was answered (the caller unblocks it).
 */
export function redirectBlockedClientIfNeeded(cl: Cluster, c: Client): boolean {
  const b = c.blocked;
  if (!b || b.kind !== 'keys') return false;
  if (cl.state !== CLUSTER_OK) {
    c.replyError('-CLUSTERDOWN The cluster is down');
    return true;
  }
  if (b.keys.length === 0) return false;
  const slot = keyHashSlot(b.keys[0]);
  let node = cl.slots[slot];
  const me = cl.myself;
  if (c.readonly && !hasFlag(b.cmd, 'write') && me.isSlave() && me.slaveof === node) node = me;
  if (node !== me && cl.importingSlotsFrom.get(slot) === null) {
    c.replyError(node === null ? '-CLUSTERDOWN Hash slot not served' : redirectError(cl, { node, slot, code: REDIR_MOVED }));
    return true;
  }
  return false;
}

/** scriptVerifyClusterState's getNodeByQuery call for a command a script runs. */
export function scriptClusterQuery(cl: Cluster, c: Client, cmd: CommandSpec, argv: string[]): { local: boolean; slot: number; code: 'ok' | 'down' | 'down-ro' | 'other' } {
  const r = getNodeByQuery(cl, c, cmd, argv);
  const hasKeys = cl.server.table.keyPositions(cmd, argv).some((p) => p < argv.length);
  const slot = hasKeys ? r.slot : -1;
  if (r.node === cl.myself) return { local: true, slot, code: 'ok' };
  return { local: false, slot, code: r.code === REDIR_DOWN_RO_STATE ? 'down-ro' : r.code === REDIR_DOWN_STATE ? 'down' : 'other' };
}

/** The slot of a command's keys (the first key's; -1 without keys). */
export function commandSlot(cl: Cluster, cmd: CommandSpec, argv: string[]): number {
  const pos = cl.server.table.keyPositions(cmd, argv).find((p) => p < argv.length);
  return pos === undefined ? -1 : keyHashSlot(argv[pos]);
}
