/**
 * CLUSTER and its subcommands, READONLY, READWRITE and ASKING (clusterCommand and friends in
 * cluster.c), with Redis's replies and error texts.
 *
 * Every handler first refuses when cluster mode is off ("This instance has cluster support
 * disabled"): the commands exist in the table of every server, as in Redis.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from '../commands/table';
import { addReplyHelp, subcommandSyntaxError } from '../commands/help';
import { getLongLongOrReply, optEq } from '../commands/util';
import { string2ll } from '../util/numbers';
import { normalizeIp } from '../util/inet';
import type { Cluster } from './cluster';
import { CLUSTER_OK, CLUSTER_PORT_INCR, TODO_FSYNC_CONFIG, TODO_SAVE_CONFIG, TODO_UPDATE_STATE } from './cluster';
import { CLUSTER_SLOTS, keyHashSlot } from './crc16';
import { NODE_HANDSHAKE, NODE_MEET, slotRanges, type ClusterNode } from './node';
import { MSG_TYPE_COUNT, messageTypeName } from './message';
import { describeNode, describeNodes } from './nodes-conf';
import { broadcastPong, sendMfStart } from './bus';
import { preferredEndpoint } from './redirect';
import { failoverReplaceMyMaster, MANUAL_FAILOVER_TIMEOUT_MS } from './failover';

const G = { group: 'cluster' };
const NONDET = ['nondeterministic_output'];

/** The cluster of a server in cluster mode, or null after replying the "disabled" error. */
function clusterOrReply(c: Client): Cluster | null {
  const cl = c.server.cluster;
  if (!c.server.clusterEnabled() || !cl) {
    c.replyError('This instance has cluster support disabled');
    return null;
  }
  return cl;
}

function withCluster(fn: (c: Client, argv: string[], cl: Cluster) => void): (c: Client, argv: string[]) => void {
  return (c, argv) => {
    const cl = clusterOrReply(c);
    if (cl) fn(c, argv, cl);
  };
}

/** getSlotOrReply: an integer in 0..16383 or "Invalid or out of range slot". */
function getSlotOrReply(c: Client, s: string): number | null {
  const v = string2ll(s);
  if (v === null || v < 0 || v >= CLUSTER_SLOTS) {
    c.replyError('Invalid or out of range slot');
    return null;
  }
  return v;
}

const CLUSTER_HELP = [
  'ADDSLOTS <slot> [<slot> ...]',
  '    Assign slots to current node.',
  'ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]',
  '    Assign slots which are between <start-slot> and <end-slot> to current node.',
  'BUMPEPOCH',
  '    Advance the cluster config epoch.',
  'COUNT-FAILURE-REPORTS <node-id>',
  '    Return number of failure reports for <node-id>.',
  'COUNTKEYSINSLOT <slot>',
  '    Return the number of keys in <slot>.',
  'DELSLOTS <slot> [<slot> ...]',
  '    Delete slots information from current node.',
  'DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]',
  '    Delete slots information which are between <start-slot> and <end-slot> from current node.',
  'FAILOVER [FORCE|TAKEOVER]',
  '    Promote current replica node to being a master.',
  'FORGET <node-id>',
  '    Remove a node from the cluster.',
  'GETKEYSINSLOT <slot> <count>',
  '    Return key names stored by current node in a slot.',
  'FLUSHSLOTS',
  '    Delete current node own slots information.',
  'INFO',
  '    Return information about the cluster.',
  'KEYSLOT <key>',
  '    Return the hash slot for <key>.',
  'MEET <ip> <port> [<bus-port>]',
  '    Connect nodes into a working cluster.',
  'MYID',
  '    Return the node id.',
  'NODES',
  '    Return cluster configuration seen by node. Output format:',
  '    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...',
  'REPLICATE <node-id>',
  '    Configure current node as replica to <node-id>.',
  'RESET [HARD|SOFT]',
  '    Reset current node (default: soft).',
  'SET-CONFIG-EPOCH <epoch>',
  '    Set config epoch of current node.',
  'SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)',
  '    Set slot state.',
  'REPLICAS <node-id>',
  '    Return <node-id> replicas.',
  'SAVECONFIG',
  '    Force saving cluster configuration on disk.',
  'SLOTS',
  '    Return information about slots range mappings. Each range is made of:',
  '    start, end, master and replicas IP addresses, ports and ids',
  'SHARDS',
  '    Return information about slot range mappings and the nodes associated with them.',
  'LINKS',
  '    Return information about all network links between this node and its peers.',
  '    Output format is an array where each array element is a map containing attributes of a link',
];

// ---- MEET -------------------------------------------------------------------------------

/**
 * clusterStartHandshake: add a handshake node for ip:port@cport (MEET flag set) unless one is
 * in progress for that address. 'invalid' for a bad IP or port.
 */
export function startHandshake(cl: Cluster, ip: string, port: number, cport: number): 'started' | 'in-progress' | 'invalid' {
  const normIp = normalizeIp(ip);
  if (normIp === null) return 'invalid';
  if (port <= 0 || port > 65535 || cport <= 0 || cport > 65535) return 'invalid';
  for (const n of cl.nodes.values()) {
    if (n.inHandshake() && n.ip.toLowerCase() === normIp.toLowerCase() && n.port === port && n.cport === cport) return 'in-progress';
  }
  const n = cl.createNode(null, NODE_HANDSHAKE | NODE_MEET);
  n.ip = normIp;
  n.port = port;
  n.cport = cport;
  cl.addNode(n);
  return 'started';
}

function meet(c: Client, argv: string[], cl: Cluster): void {
  if (argv.length !== 4 && argv.length !== 5) { subcommandSyntaxError(c, argv); return; }
  const port = string2ll(argv[3]);
  if (port === null) { c.replyError(`Invalid TCP base port specified: ${argv[3]}`); return; }
  let cport = port + CLUSTER_PORT_INCR;
  if (argv.length === 5) {
    const v = string2ll(argv[4]);
    if (v === null) { c.replyError(`Invalid TCP bus port specified: ${argv[4]}`); return; }
    cport = v;
  }
  if (startHandshake(cl, argv[2], port, cport) === 'invalid') {
    c.replyError(`Invalid node address specified: ${argv[2]}:${argv[3]}`);
    return;
  }
  c.replyOk();
}

// ---- slots ------------------------------------------------------------------------------

/** checkSlotAssignmentsOrReply: every slot free (ADD) or assigned (DEL), none given twice. */
function checkSlots(c: Client, cl: Cluster, seen: Uint8Array, del: boolean, start: number, end: number): boolean {
  for (let slot = start; slot <= end; slot++) {
    if (del && cl.slots[slot] === null) { c.replyError(`Slot ${slot} is already unassigned`); return false; }
    if (!del && cl.slots[slot] !== null) { c.replyError(`Slot ${slot} is already busy`); return false; }
    if (seen[slot]++ === 1) { c.replyError(`Slot ${slot} specified multiple times`); return false; }
  }
  return true;
}

function applySlots(cl: Cluster, seen: Uint8Array, del: boolean): void {
  for (let j = 0; j < CLUSTER_SLOTS; j++) {
    if (!seen[j]) continue;
    // Adding (or removing) a slot ends any import of it: we are its owner now.
    cl.importingSlotsFrom.set(j, null);
    if (del) cl.delSlot(j);
    else cl.addSlot(cl.myself, j);
  }
}

function addDelSlots(c: Client, argv: string[], cl: Cluster): void {
  const del = optEq(argv[1], 'delslots');
  const slots: number[] = [];
  for (let j = 2; j < argv.length; j++) {
    const s = getSlotOrReply(c, argv[j]);
    if (s === null) return;
    slots.push(s);
  }
  const seen = new Uint8Array(CLUSTER_SLOTS);
  for (const s of slots) if (!checkSlots(c, cl, seen, del, s, s)) return;
  applySlots(cl, seen, del);
  cl.doBeforeSleep(TODO_UPDATE_STATE | TODO_SAVE_CONFIG);
  c.replyOk();
}

function addDelSlotsRange(c: Client, argv: string[], cl: Cluster): void {
  if (argv.length % 2 === 1) { c.replyArityError(); return; }
  const del = optEq(argv[1], 'delslotsrange');
  const seen = new Uint8Array(CLUSTER_SLOTS);
  for (let j = 2; j < argv.length; j += 2) {
    const start = getSlotOrReply(c, argv[j]);
    if (start === null) return;
    const end = getSlotOrReply(c, argv[j + 1]);
    if (end === null) return;
    if (start > end) { c.replyError(`start slot number ${start} is greater than end slot number ${end}`); return; }
    if (!checkSlots(c, cl, seen, del, start, end)) return;
  }
  applySlots(cl, seen, del);
  cl.doBeforeSleep(TODO_UPDATE_STATE | TODO_SAVE_CONFIG);
  c.replyOk();
}

function flushSlots(c: Client, _argv: string[], cl: Cluster): void {
  if (c.server.dbs[0].dict.size !== 0) { c.replyError('DB must be empty to perform CLUSTER FLUSHSLOTS.'); return; }
  cl.delNodeSlots(cl.myself);
  cl.doBeforeSleep(TODO_UPDATE_STATE | TODO_SAVE_CONFIG);
  c.replyOk();
}

function setSlot(c: Client, argv: string[], cl: Cluster): void {
  const me = cl.myself;
  if (me.isSlave()) { c.replyError('Please use SETSLOT only with masters.'); return; }
  const slot = getSlotOrReply(c, argv[2]);
  if (slot === null) return;
  const action = argv[3];
  if (optEq(action, 'migrating') && argv.length === 5) {
    if (cl.slots[slot] !== me) { c.replyError(`I'm not the owner of hash slot ${slot}`); return; }
    const n = cl.lookupNode(argv[4]);
    if (!n) { c.replyError(`I don't know about node ${argv[4]}`); return; }
    if (n.isSlave()) { c.replyError('Target node is not a master'); return; }
    cl.migratingSlotsTo.set(slot, n);
  } else if (optEq(action, 'importing') && argv.length === 5) {
    if (cl.slots[slot] === me) { c.replyError(`I'm already the owner of hash slot ${slot}`); return; }
    const n = cl.lookupNode(argv[4]);
    if (!n) { c.replyError(`I don't know about node ${argv[4]}`); return; }
    if (n.isSlave()) { c.replyError('Target node is not a master'); return; }
    cl.importingSlotsFrom.set(slot, n);
  } else if (optEq(action, 'stable') && argv.length === 4) {
    cl.importingSlotsFrom.set(slot, null);
    cl.migratingSlotsTo.set(slot, null);
  } else if (optEq(action, 'node') && argv.length === 5) {
    const n = cl.lookupNode(argv[4]);
    if (!n) { c.replyError(`Unknown node ${argv[4]}`); return; }
    if (n.isSlave()) { c.replyError('Target node is not a master'); return; }
    if (cl.slots[slot] === me && n !== me && cl.countKeysInSlot(slot) !== 0) {
      c.replyError(`Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`);
      return;
    }
    // Nothing left to migrate: assigning the slot ends the migration.
    if (cl.countKeysInSlot(slot) === 0 && cl.migratingSlotsTo.get(slot)) cl.migratingSlotsTo.set(slot, null);
    const slotWasMine = cl.slots[slot] === me;
    cl.delSlot(slot);
    cl.addSlot(n, slot);
    if (slotWasMine && n !== me && me.numSlots === 0 && c.server.config.get<boolean>('cluster-allow-replica-migration')) {
      cl.log.warning(`Configuration change detected. Reconfiguring myself as a replica of ${n.name}`);
      cl.setMyMaster(n);
      cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
    }
    if (n === me && cl.importingSlotsFrom.get(slot)) {
      // The import is done: a new configEpoch (without consensus) makes the new ownership win
      // everywhere; collisions, if any, are resolved by the usual epoch collision handling.
      if (cl.bumpConfigEpochWithoutConsensus()) cl.log.warning(`configEpoch updated after importing slot ${slot}`);
      cl.importingSlotsFrom.set(slot, null);
      broadcastPong(cl, 'all');
    }
  } else {
    c.replyError('Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP');
    return;
  }
  cl.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
  c.replyOk();
}

// ---- information ------------------------------------------------------------------------

/** The CLUSTER INFO text (fields in Redis 7.0's order). */
export function clusterInfoText(cl: Cluster): string {
  const assigned = cl.assignedSlots;
  let ok = 0, pfail = 0, fail = 0;
  for (const [n, count] of cl.slotCounts) {
    if (n.failed()) fail += count;
    else if (n.timedOut()) pfail += count;
    else ok += count;
  }
  const me = cl.myself;
  const myEpoch = me.isSlave() && me.slaveof ? me.slaveof.configEpoch : me.configEpoch;
  let s = `cluster_state:${cl.state === CLUSTER_OK ? 'ok' : 'fail'}\r\n`
    + `cluster_slots_assigned:${assigned}\r\n`
    + `cluster_slots_ok:${ok}\r\n`
    + `cluster_slots_pfail:${pfail}\r\n`
    + `cluster_slots_fail:${fail}\r\n`
    + `cluster_known_nodes:${cl.nodes.size}\r\n`
    + `cluster_size:${cl.size}\r\n`
    + `cluster_current_epoch:${cl.currentEpoch}\r\n`
    + `cluster_my_epoch:${myEpoch}\r\n`;
  let totSent = 0, totReceived = 0;
  for (let i = 0; i < MSG_TYPE_COUNT; i++) {
    if (!cl.statsSent[i]) continue;
    totSent += cl.statsSent[i];
    s += `cluster_stats_messages_${messageTypeName(i)}_sent:${cl.statsSent[i]}\r\n`;
  }
  s += `cluster_stats_messages_sent:${totSent}\r\n`;
  for (let i = 0; i < MSG_TYPE_COUNT; i++) {
    if (!cl.statsReceived[i]) continue;
    totReceived += cl.statsReceived[i];
    s += `cluster_stats_messages_${messageTypeName(i)}_received:${cl.statsReceived[i]}\r\n`;
  }
  s += `cluster_stats_messages_received:${totReceived}\r\n`;
  s += `total_cluster_links_buffer_limit_exceeded:${cl.statLinksBufferLimitExceeded}\r\n`;
  return s;
}

/** addNodeToNodeReply: [endpoint, port, id, {extra endpoints}]. */
function replyNodeEndpoint(c: Client, cl: Cluster, n: ClusterNode): void {
  const type = c.server.config.get<string>('cluster-preferred-endpoint-type');
  c.replyArrayLen(4);
  if (type === 'unknown-endpoint') c.replyNull();
  else c.replyBulk(preferredEndpoint(cl, n));
  c.replyInt(n.port);
  c.replyBulk(n.name);
  const extras: [string, string][] = [];
  if (type !== 'ip') extras.push(['ip', n.ip]);
  if (type !== 'hostname' && n.hostname !== '') extras.push(['hostname', n.hostname]);
  c.replyMapLen(extras.length);
  for (const [k, v] of extras) { c.replyBulk(k); c.replyBulk(v); }
}

/** isReplicaAvailable: not failed and has replicated something. */
function replicaAvailable(cl: Cluster, n: ClusterNode): boolean {
  if (n.failed()) return false;
  const offset = n.isMyself() ? cl.replication.replicaOffset() : n.replOffset;
  return offset !== 0;
}

/** Contiguous runs of the slot table with the same owner. */
function slotRuns(cl: Cluster): { node: ClusterNode; start: number; end: number }[] {
  const runs: { node: ClusterNode; start: number; end: number }[] = [];
  let cur: ClusterNode | null = null;
  let start = 0;
  for (let i = 0; i <= CLUSTER_SLOTS; i++) {
    const n = i < CLUSTER_SLOTS ? cl.slots[i] : null;
    if (n === cur) continue;
    if (cur) runs.push({ node: cur, start, end: i - 1 });
    cur = n;
    start = i;
  }
  return runs;
}

function slots(c: Client, _argv: string[], cl: Cluster): void {
  const runs = slotRuns(cl);
  c.replyArrayLen(runs.length);
  for (const r of runs) {
    const replicas = r.node.slaves.filter((s) => replicaAvailable(cl, s));
    c.replyArrayLen(3 + replicas.length);
    c.replyInt(r.start);
    c.replyInt(r.end);
    replyNodeEndpoint(c, cl, r.node);
    for (const s of replicas) replyNodeEndpoint(c, cl, s);
  }
}

function replyShardNode(c: Client, cl: Cluster, n: ClusterNode): void {
  const fields: [string, string | number][] = [['id', n.name]];
  if (n.port) fields.push(['port', n.port]);
  fields.push(['ip', n.ip], ['endpoint', preferredEndpoint(cl, n)]);
  if (n.hostname !== '') fields.push(['hostname', n.hostname]);
  const offset = n.isMyself() ? (n.isSlave() ? cl.replication.replicaOffset() : c.server.masterReplOffset) : n.replOffset;
  fields.push(['role', n.isSlave() ? 'replica' : 'master'], ['replication-offset', offset]);
  fields.push(['health', n.failed() ? 'fail' : n.isSlave() && offset === 0 ? 'loading' : 'online']);
  c.replyMapLen(fields.length);
  for (const [k, v] of fields) {
    c.replyBulk(k);
    if (typeof v === 'number') c.replyInt(v);
    else c.replyBulk(v);
  }
}

function shards(c: Client, _argv: string[], cl: Cluster): void {
  const masters = [...cl.nodes.values()].filter((n) => n.isMaster());
  c.replyArrayLen(masters.length);
  for (const m of masters) {
    c.replyMapLen(2);
    c.replyBulk('slots');
    const ranges = slotRanges((j) => cl.slots[j] === m);
    c.replyArrayLen(ranges.length * 2);
    for (const [a, b] of ranges) { c.replyInt(a); c.replyInt(b); }
    c.replyBulk('nodes');
    const nodes = [m, ...m.slaves];
    c.replyArrayLen(nodes.length);
    for (const n of nodes) replyShardNode(c, cl, n);
  }
}

function links(c: Client, _argv: string[], cl: Cluster): void {
  const all: { link: NonNullable<ClusterNode['link']>; node: ClusterNode }[] = [];
  for (const n of cl.nodes.values()) {
    if (n.link) all.push({ link: n.link, node: n });
    if (n.inboundLink) all.push({ link: n.inboundLink, node: n });
  }
  c.replyArrayLen(all.length);
  for (const { link, node } of all) {
    const buf = link.sendBuffer;
    c.replyMapLen(6);
    c.replyBulk('direction'); c.replyBulk(link.inbound ? 'from' : 'to');
    c.replyBulk('node'); c.replyBulk(node.name);
    c.replyBulk('create-time'); c.replyInt(link.ctimeMs);
    // The read handler is installed once connected, the write handler while packets are queued.
    c.replyBulk('events'); c.replyBulk(`${link.connected ? 'r' : ''}${link.wantsWrite() ? 'w' : ''}`);
    c.replyBulk('send-buffer-allocated'); c.replyInt(buf.allocated);
    c.replyBulk('send-buffer-used'); c.replyInt(buf.length);
  }
}

// ---- keys -------------------------------------------------------------------------------

function countKeysInSlot(c: Client, argv: string[], cl: Cluster): void {
  const slot = getLongLongOrReply(c, argv[2]);
  if (slot === null) return;
  if (slot < 0 || slot >= CLUSTER_SLOTS) { c.replyError('Invalid slot'); return; }
  c.replyInt(cl.countKeysInSlot(slot));
}

function getKeysInSlot(c: Client, argv: string[], cl: Cluster): void {
  const slot = getLongLongOrReply(c, argv[2]);
  if (slot === null) return;
  const max = getLongLongOrReply(c, argv[3]);
  if (max === null) return;
  if (slot < 0 || slot >= CLUSTER_SLOTS || max < 0) { c.replyError('Invalid slot or number of keys'); return; }
  c.replyBulks(cl.slotIndex().keys(slot, max));
}

// ---- membership and roles ---------------------------------------------------------------

function forget(c: Client, argv: string[], cl: Cluster): void {
  const n = cl.lookupNode(argv[2]);
  if (!n) { c.replyError(`Unknown node ${argv[2]}`); return; }
  if (n === cl.myself) { c.replyError("I tried hard but I can't forget myself..."); return; }
  if (cl.myself.isSlave() && cl.myself.slaveof === n) { c.replyError("Can't forget my master!"); return; }
  cl.blacklistAdd(n);
  cl.delNode(n);
  cl.doBeforeSleep(TODO_UPDATE_STATE | TODO_SAVE_CONFIG);
  c.replyOk();
}

function replicate(c: Client, argv: string[], cl: Cluster): void {
  const n = cl.lookupNode(argv[2]);
  if (!n) { c.replyError(`Unknown node ${argv[2]}`); return; }
  if (n === cl.myself) { c.replyError("Can't replicate myself"); return; }
  if (n.isSlave()) { c.replyError('I can only replicate a master, not a replica.'); return; }
  if (cl.myself.isMaster() && (cl.myself.numSlots !== 0 || c.server.dbs[0].dict.size !== 0)) {
    c.replyError('To set a master the node must be empty and without assigned slots.');
    return;
  }
  cl.setMyMaster(n);
  cl.doBeforeSleep(TODO_UPDATE_STATE | TODO_SAVE_CONFIG);
  c.replyOk();
}

function replicas(c: Client, argv: string[], cl: Cluster): void {
  const n = cl.lookupNode(argv[2]);
  if (!n) { c.replyError(`Unknown node ${argv[2]}`); return; }
  if (n.isSlave()) { c.replyError('The specified node is not a master'); return; }
  c.replyBulks(n.slaves.map((s) => describeNode(cl, s)));
}

function countFailureReports(c: Client, argv: string[], cl: Cluster): void {
  const n = cl.lookupNode(argv[2]);
  if (!n) { c.replyError(`Unknown node ${argv[2]}`); return; }
  c.replyInt(cl.failureReportsCount(n));
}

function failover(c: Client, argv: string[], cl: Cluster): void {
  if (argv.length !== 2 && argv.length !== 3) { subcommandSyntaxError(c, argv); return; }
  let force = false, takeover = false;
  if (argv.length === 3) {
    if (optEq(argv[2], 'force')) force = true;
    else if (optEq(argv[2], 'takeover')) { takeover = true; force = true; } else { c.replySyntaxError(); return; }
  }
  const me = cl.myself;
  if (me.isMaster()) { c.replyError('You should send CLUSTER FAILOVER to a replica'); return; }
  if (me.slaveof === null) { c.replyError("I'm a replica but my master is unknown to me"); return; }
  if (!force && (me.slaveof.failed() || me.slaveof.link === null)) {
    c.replyError('Master is down or failed, please use CLUSTER FAILOVER FORCE');
    return;
  }
  cl.resetManualFailover();
  cl.mfEndMs = cl.now() + MANUAL_FAILOVER_TIMEOUT_MS;
  if (takeover) {
    // No agreement at all: a new configEpoch of our own, and the master's slots are ours.
    cl.log.warning('Taking over the master (user request).');
    cl.bumpConfigEpochWithoutConsensus();
    failoverReplaceMyMaster(cl);
  } else if (force) {
    cl.log.warning('Forced failover user request accepted.');
    cl.mfCanStart = true;
  } else {
    cl.log.warning('Manual failover user request accepted.');
    sendMfStart(cl, me.slaveof);
  }
  c.replyOk();
}

function setConfigEpoch(c: Client, argv: string[], cl: Cluster): void {
  const epoch = getLongLongOrReply(c, argv[2]);
  if (epoch === null) return;
  if (epoch < 0) {
    c.replyError(`Invalid config epoch specified: ${epoch}`);
  } else if (cl.nodes.size > 1) {
    c.replyError('The user can assign a config epoch only when the node does not know any other node.');
  } else if (cl.myself.configEpoch !== 0) {
    c.replyError('Node config epoch is already non-zero');
  } else {
    cl.myself.configEpoch = epoch;
    cl.log.warning(`configEpoch set to ${epoch} via CLUSTER SET-CONFIG-EPOCH`);
    if (cl.currentEpoch < epoch) cl.currentEpoch = epoch;
    cl.doBeforeSleep(TODO_UPDATE_STATE | TODO_SAVE_CONFIG);
    c.replyOk();
  }
}

function reset(c: Client, argv: string[], cl: Cluster): void {
  if (argv.length !== 2 && argv.length !== 3) { subcommandSyntaxError(c, argv); return; }
  let hard = false;
  if (argv.length === 3) {
    if (optEq(argv[2], 'hard')) hard = true;
    else if (!optEq(argv[2], 'soft')) { c.replySyntaxError(); return; }
  }
  if (cl.myself.isMaster() && c.db.dict.size !== 0) {
    c.replyError("CLUSTER RESET can't be called with master nodes containing keys");
    return;
  }
  cl.reset(hard);
  c.replyOk();
}

function saveconfig(c: Client, _argv: string[], cl: Cluster): void {
  if (cl.saveConfig(true)) c.replyOk();
  else c.replyError(`error saving the cluster node config: ${cl.lastSaveError}`);
}

function bumpepoch(c: Client, _argv: string[], cl: Cluster): void {
  const bumped = cl.bumpConfigEpochWithoutConsensus();
  c.replyStatus(`${bumped ? 'BUMPED' : 'STILL'} ${cl.myself.configEpoch}`);
}

// ---- the table --------------------------------------------------------------------------

const ADMIN: CommandSpec['flags'] = ['admin', 'stale'];
const ADMIN_NAL: CommandSpec['flags'] = ['admin', 'stale', 'no_async_loading'];
const nodeIdArg = [{ name: 'node-id', type: 'string' as const }];
const slotArg = { name: 'slot', type: 'integer' as const };
const rangeArgs = [{ name: 'start-slot_end-slot', type: 'block' as const, multiple: true, args: [{ name: 'start-slot', type: 'integer' as const }, { name: 'end-slot', type: 'integer' as const }] }];

function sub(name: string, arity: number, flags: CommandSpec['flags'], summary: string, handler: (c: Client, argv: string[], cl: Cluster) => void, extra: { since?: string; tips?: string[]; args?: CommandSpec['args']; complexity?: string } & Pick<CommandSpec, 'history' | 'docFlags' | 'deprecatedSince' | 'replacedBy'> = {}): CommandSpec {
  const { since, tips, args, complexity, ...docExtras } = extra;
  return cmd(name, arity, flags, [0, 0, 0], {
    ...G, since: since ?? '3.0.0', summary, complexity: complexity ?? 'O(1)', tips, args,
  }, withCluster(handler), docExtras);
}

export const clusterCommands: CommandSpec[] = [
  cmd('cluster', -2, [], [0, 0, 0], { ...G, since: '3.0.0', summary: 'A container for Redis Cluster commands.', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      sub('addslots', -3, ADMIN_NAL, 'Assign new hash slots to the node.', addDelSlots, { args: [{ ...slotArg, multiple: true }], complexity: 'O(N) where N is the total number of hash slot arguments' }),
      sub('addslotsrange', -4, ADMIN_NAL, 'Assign new hash slot ranges to the node.', addDelSlotsRange, { since: '7.0.0', args: rangeArgs, complexity: 'O(N) where N is the total number of the slots between the start slot and end slot arguments.' }),
      sub('bumpepoch', 2, ADMIN_NAL, 'Advance the cluster config epoch.', bumpepoch, { tips: NONDET }),
      sub('count-failure-reports', 3, ADMIN, 'The number of failure reports the node has for another node.', countFailureReports, { tips: NONDET, args: nodeIdArg, complexity: 'O(N) where N is the number of failure reports' }),
      sub('countkeysinslot', 3, ['stale'], 'The number of keys in a hash slot.', countKeysInSlot, { args: [slotArg] }),
      sub('delslots', -3, ADMIN_NAL, 'Unassign hash slots from the node.', addDelSlots, { args: [{ ...slotArg, multiple: true }], complexity: 'O(N) where N is the total number of hash slot arguments' }),
      sub('delslotsrange', -4, ADMIN_NAL, 'Unassign hash slot ranges from the node.', addDelSlotsRange, { since: '7.0.0', args: rangeArgs, complexity: 'O(N) where N is the total number of the slots between the start slot and end slot arguments.' }),
      sub('failover', -2, ADMIN_NAL, 'Make this replica take over its master.', failover, {
        args: [{ name: 'options', type: 'oneof', optional: true, args: [{ name: 'force', type: 'pure-token', token: 'FORCE' }, { name: 'takeover', type: 'pure-token', token: 'TAKEOVER' }] }],
      }),
      sub('flushslots', 2, ADMIN_NAL, 'Unassign every hash slot of the node.', flushSlots),
      sub('forget', 3, ADMIN_NAL, 'Remove a node from the node table.', forget, { args: nodeIdArg }),
      sub('getkeysinslot', 4, ['stale'], 'Names of keys in a hash slot.', getKeysInSlot, {
        tips: NONDET, args: [slotArg, { name: 'count', type: 'integer' }], complexity: 'O(N) where N is the number of requested keys',
      }),
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '5.0.0', summary: 'Show helpful text about the different subcommands.', complexity: 'O(N) where N is the total number of subcommands' },
        withCluster((c, argv) => addReplyHelp(c, argv, CLUSTER_HELP))),
      sub('info', 2, ['stale'], 'State and statistics of the cluster as this node sees it.', (c, _a, cl) => c.replyVerbatim(clusterInfoText(cl)), { tips: NONDET }),
      sub('keyslot', 3, ['stale'], 'The hash slot of a key.', (c, argv) => c.replyInt(keyHashSlot(argv[2])), {
        args: [{ name: 'key', type: 'string' }], complexity: 'O(N) where N is the number of bytes in the key',
      }),
      sub('links', 2, ['stale'], 'The bus links of this node to and from its peers.', links, { since: '7.0.0', tips: NONDET, complexity: 'O(N) where N is the total number of Cluster nodes' }),
      sub('meet', -4, ADMIN_NAL, 'Join this node to the cluster of another node.', meet, {
        args: [{ name: 'ip', type: 'string' }, { name: 'port', type: 'integer' }, { name: 'cluster_bus_port', type: 'integer', optional: true, since: '4.0.0' }],
        history: [['4.0.0', 'Added the optional `cluster_bus_port` argument.']],
      }),
      sub('myid', 2, ['stale'], 'The ID of this node.', (c, _a, cl) => c.replyBulk(cl.myself.name)),
      sub('nodes', 2, ['stale'], 'The cluster configuration as this node sees it.', (c, _a, cl) => c.replyVerbatim(describeNodes(cl)), {
        tips: NONDET, complexity: 'O(N) where N is the total number of Cluster nodes',
      }),
      sub('replicas', 3, ADMIN, 'The replicas of a master.', replicas, { since: '5.0.0', tips: NONDET, args: nodeIdArg }),
      sub('replicate', 3, ADMIN_NAL, 'Make this node a replica of a master.', replicate, { args: nodeIdArg }),
      sub('reset', -2, ['admin', 'noscript', 'stale'], 'Forget every other node and release every slot.', reset, {
        args: [{ name: 'hard_soft', type: 'oneof', optional: true, args: [{ name: 'hard', type: 'pure-token', token: 'HARD' }, { name: 'soft', type: 'pure-token', token: 'SOFT' }] }],
        complexity: 'O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.',
      }),
      sub('saveconfig', 2, ADMIN_NAL, 'Write the cluster configuration file now.', saveconfig),
      sub('set-config-epoch', 3, ADMIN_NAL, 'Set the configEpoch of a new node.', setConfigEpoch, { args: [{ name: 'config-epoch', type: 'integer' }] }),
      sub('setslot', -4, ADMIN_NAL, 'Bind a hash slot to a node, or mark it migrating or importing.', setSlot, {
        args: [slotArg, {
          name: 'subcommand', type: 'oneof', args: [
            { name: 'node-id', type: 'string', token: 'IMPORTING' }, { name: 'node-id', type: 'string', token: 'MIGRATING' },
            { name: 'node-id', type: 'string', token: 'NODE' }, { name: 'stable', type: 'pure-token', token: 'STABLE' },
          ],
        }],
      }),
      sub('shards', 2, ['stale'], 'The slot ranges and nodes of every shard.', shards, { since: '7.0.0', tips: NONDET, complexity: 'O(N) where N is the total number of cluster nodes' }),
      sub('slaves', 3, ADMIN, 'The replicas of a master (deprecated name of CLUSTER REPLICAS).', replicas, {
        tips: NONDET, args: nodeIdArg, docFlags: ['deprecated'], deprecatedSince: '5.0.0', replacedBy: '`CLUSTER REPLICAS`',
      }),
      sub('slots', 2, ['stale'], 'The slot ranges and the nodes serving them.', slots, {
        tips: NONDET, complexity: 'O(N) where N is the total number of Cluster nodes', docFlags: ['deprecated'], deprecatedSince: '7.0.0', replacedBy: '`CLUSTER SHARDS`',
        history: [['4.0.0', 'Added node IDs.'], ['7.0.0', 'Added additional networking metadata field.']],
      }),
    ],
  }),
  cmd('asking', 1, ['fast'], [0, 0, 0], { group: 'cluster', acl: ['@connection'], since: '3.0.0', summary: 'Let the next command run on a node importing its slot.', complexity: 'O(1)' },
    withCluster((c) => { c.asking = true; c.replyOk(); })),
  cmd('readonly', 1, ['loading', 'stale', 'fast'], [0, 0, 0], { group: 'cluster', acl: ['@connection'], since: '3.0.0', summary: 'Allow reads from a replica of the slot master on this connection.', complexity: 'O(1)' },
    withCluster((c) => { c.readonly = true; c.replyOk(); })),
  cmd('readwrite', 1, ['loading', 'stale', 'fast'], [0, 0, 0], { group: 'cluster', acl: ['@connection'], since: '3.0.0', summary: 'End READONLY mode on this connection.', complexity: 'O(1)' },
    withCluster((c) => { c.readonly = false; c.replyOk(); })),
];
