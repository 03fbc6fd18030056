/**
 * CLUSTER NODES lines and the cluster config file (nodes.conf), which share one format
 * (clusterGenNodeDescription):
 *
 *   <id> <ip>:<port>@<cport>[,<hostname>] <flags> <master-id|-> <ping-sent-ms> <pong-recv-ms>
 *   <config-epoch> <connected|disconnected> <slot|start-end>... [<slot>->-<id>] [<slot>-<-<id>]
 *
 * A replica shows its master's configEpoch; only the "myself" line shows the slots being
 * migrated ("->-") or imported ("-<-"). nodes.conf holds every node but those in handshake,
 * then `vars currentEpoch <n> lastVoteEpoch <n>`. It is rewritten whole on every change;
 * loading it restores the nodes (ping/pong times just say "was pending" as now), myself, the
 * slots, migrations and epochs.
 */
import type { Cluster } from './cluster';
import { CLUSTER_PORT_INCR } from './cluster';
import { CLUSTER_SLOTS } from './crc16';
import {
  NODE_FAIL, NODE_HANDSHAKE, NODE_MASTER, NODE_MYSELF, NODE_NOADDR, NODE_NOFAILOVER, NODE_PFAIL, NODE_SLAVE,
  flagsToString, isValidNodeName, type ClusterNode,
} from './node';
import { splitArgsStr } from '../resp/request-parser';
import { bytesToStr, strToBytes } from '../bytes';
import { strerror } from '../config/rewrite';
import { REDIS_OPEN_CREATE_MODE } from '../util/create-modes';

/**
 * A node's slots as its line lists them (" 0-5460 7000"), from its bitmap, which holds the same
 * slots as the slot table (Cluster.addSlot/delSlot keep both). Redis prints them from a scan of
 * the slot table on every save (clusterGenNodesSlotsInfo), and saves on every change: during a
 * reshard that is several full scans on every node for each slot moved. A node's list is kept
 * here until its slots change, and made again from its bitmap a byte at a time.
 */
const slotLists = new WeakMap<ClusterNode, { version: number; text: string }>();

export function slotListText(node: ClusterNode): string {
  const cached = slotLists.get(node);
  if (cached && cached.version === node.slotsVersion) return cached.text;
  const text = encodeSlotList(node.slots);
  slotLists.set(node, { version: node.slotsVersion, text });
  return text;
}

/** " a-b c ..." for the runs of set bits (bit j of byte j/8, LSB first); whole bytes skip ahead. */
function encodeSlotList(bitmap: Uint8Array): string {
  let s = '';
  let start = -1;
  for (let b = 0; b < bitmap.length; b++) {
    const byte = bitmap[b];
    if (byte === 0xff) {
      if (start < 0) start = b << 3;
      continue;
    }
    if (byte === 0 && start < 0) continue;
    for (let k = 0; k < 8; k++) {
      const j = (b << 3) | k;
      if (byte & (1 << k)) {
        if (start < 0) start = j;
      } else if (start >= 0) {
        s += start === j - 1 ? ` ${start}` : ` ${start}-${j - 1}`;
        start = -1;
      }
    }
  }
  if (start >= 0) s += start === CLUSTER_SLOTS - 1 ? ` ${start}` : ` ${start}-${CLUSTER_SLOTS - 1}`;
  return s;
}

/** The slots myself is moving, as its line ends: " [slot->-target]" or " [slot-<-source]". */
function openSlotsText(cl: Cluster): string {
  const slots = [...cl.migratingSlotsTo.slots(), ...cl.importingSlotsFrom.slots()].sort((a, b) => a - b);
  let s = '';
  for (let i = 0; i < slots.length; i++) {
    const j = slots[i];
    if (i > 0 && slots[i - 1] === j) continue;
    const to = cl.migratingSlotsTo.get(j);
    const from = cl.importingSlotsFrom.get(j);
    if (to) s += ` [${j}->-${to.name}]`;
    else if (from) s += ` [${j}-<-${from.name}]`;
  }
  return s;
}

/** One CLUSTER NODES line without the newline. */
export function describeNode(cl: Cluster, node: ClusterNode): string {
  let s = node.name;
  s += node.hostname ? ` ${node.ip}:${node.port}@${node.cport},${node.hostname} ` : ` ${node.ip}:${node.port}@${node.cport} `;
  s += flagsToString(node.flags);
  s += ' ' + (node.slaveof ? node.slaveof.name : '-');
  const epoch = node.isSlave() && node.slaveof ? node.slaveof.configEpoch : node.configEpoch;
  s += ` ${node.pingSentMs} ${node.pongReceivedMs} ${epoch} ${node.link || node.isMyself() ? 'connected' : 'disconnected'}`;
  if (node.numSlots > 0) s += slotListText(node);
  if (node.isMyself()) s += openSlotsText(cl);
  return s;
}

/** clusterGenNodesDescription: every node not matching `filter`, one line each. */
export function describeNodes(cl: Cluster, filter = 0): string {
  let out = '';
  for (const n of cl.nodes.values()) {
    if (n.flags & filter) continue;
    out += describeNode(cl, n) + '\n';
  }
  return out;
}

export function configFilePath(cl: Cluster): string {
  return cl.server.config.get<string>('cluster-config-file');
}

/** clusterSaveConfig: the whole file at once (atomic for readers), fsync'd when asked. */
export function saveConfig(cl: Cluster, fsync: boolean): boolean {
  const text = describeNodes(cl, NODE_HANDSHAKE) + `vars currentEpoch ${cl.currentEpoch} lastVoteEpoch ${cl.lastVoteEpoch}\n`;
  try {
    cl.os.fs.writeFile(configFilePath(cl), strToBytes(text), { fsync, createMode: REDIS_OPEN_CREATE_MODE });
    return true;
  } catch (e) {
    cl.lastSaveError = strerror(e);
    return false;
  }
}

function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(BigInt.asIntN(32, BigInt(m[1]))) : 0;
}

function strtoull(s: string): number {
  const m = /^[ \t\n\v\f\r]*\+?(\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

function getOrCreate(cl: Cluster, name: string): ClusterNode {
  let n = cl.nodes.get(name);
  if (!n) {
    n = cl.createNode(name, 0);
    cl.nodes.set(name, n);
  }
  return n;
}

export type LoadResult = 'loaded' | 'missing' | { fatal: string; panic?: boolean };

/**
 * clusterLoadConfig. 'missing' when there is no file or it is empty (a new node); a fatal
 * error for anything unreadable or malformed (Redis exits rather than guess).
 */
export async function loadConfig(cl: Cluster): Promise<LoadResult> {
  const path = configFilePath(cl);
  let text: string;
  try {
    text = bytesToStr(await cl.os.fs.readFile(path));
  } catch (e: any) {
    if (e?.code === 'ENOENT') return 'missing';
    return { fatal: `Loading the cluster node config from ${path}: ${strerror(e)}` };
  }
  if (text.length === 0) return 'missing';
  const corrupted = { fatal: 'Unrecoverable error: corrupted cluster config file.' };
  const loaded: ClusterNode[] = [];
  let myself: ClusterNode | null = null;
  for (const raw of text.split('\n')) {
    if (raw.length === 0 || raw[0] === '\0') continue;
    const argv = splitArgsStr(raw);
    if (argv === null) return corrupted;
    if (argv.length === 0) continue;
    if (argv[0].toLowerCase() === 'vars') {
      if (argv.length % 2 === 0) return corrupted;
      for (let j = 1; j < argv.length; j += 2) {
        const name = argv[j].toLowerCase();
        if (name === 'currentepoch') cl.currentEpoch = strtoull(argv[j + 1]);
        else if (name === 'lastvoteepoch') cl.lastVoteEpoch = strtoull(argv[j + 1]);
        else cl.log.warning(`Skipping unknown cluster config variable '${argv[j]}'`);
      }
      continue;
    }
    if (argv.length < 8) return corrupted;
    if (!isValidNodeName(argv[0])) return corrupted;
    const n = getOrCreate(cl, argv[0]);
    if (!loaded.includes(n)) loaded.push(n);
    let addr = argv[1];
    const comma = addr.indexOf(',');
    if (comma >= 0) {
      n.hostname = addr.slice(comma + 1);
      addr = addr.slice(0, comma);
    } else {
      n.hostname = '';
    }
    const colon = addr.lastIndexOf(':');
    if (colon < 0) return corrupted;
    n.ip = addr.slice(0, colon).slice(0, 45);
    let portPart = addr.slice(colon + 1);
    let busPart: string | null = null;
    const at = portPart.indexOf('@');
    if (at >= 0) { busPart = portPart.slice(at + 1); portPart = portPart.slice(0, at); }
    n.port = atoi(portPart);
    // Old files have no "@busport": the default offset applies.
    n.cport = busPart !== null ? atoi(busPart) : n.port + CLUSTER_PORT_INCR;
    for (const f of argv[2].split(',')) {
      switch (f.toLowerCase()) {
        case 'myself':
          if (myself) return { fatal: 'Unknown flag in redis cluster config file', panic: true };
          myself = n;
          n.flags |= NODE_MYSELF;
          break;
        case 'master': n.flags |= NODE_MASTER; break;
        case 'slave': n.flags |= NODE_SLAVE; break;
        case 'fail?': n.flags |= NODE_PFAIL; break;
        case 'fail': n.flags |= NODE_FAIL; n.failTimeMs = cl.now(); break;
        case 'handshake': n.flags |= NODE_HANDSHAKE; break;
        case 'noaddr': n.flags |= NODE_NOADDR; break;
        case 'nofailover': n.flags |= NODE_NOFAILOVER; break;
        case 'noflags': break;
        default: return { fatal: 'Unknown flag in redis cluster config file', panic: true };
      }
    }
    if (argv[3][0] !== '-') {
      if (!isValidNodeName(argv[3])) return corrupted;
      const master = getOrCreate(cl, argv[3]);
      if (!loaded.includes(master)) loaded.push(master);
      n.slaveof = master;
      master.addSlave(n);
    }
    if (atoi(argv[4])) n.pingSentMs = cl.now();
    if (atoi(argv[5])) n.pongReceivedMs = cl.now();
    n.configEpoch = n.isSlave() && n.slaveof ? 0 : strtoull(argv[6]);
    for (let j = 8; j < argv.length; j++) {
      const spec = argv[j];
      if (spec[0] === '[') {
        const dash = spec.indexOf('-');
        if (dash < 0) return corrupted;
        const direction = spec[dash + 1];
        const slot = atoi(spec.slice(1, dash));
        if (slot < 0 || slot >= CLUSTER_SLOTS) return corrupted;
        const nameStart = dash + 3;
        const close = spec.indexOf(']', nameStart);
        if (close < 0 || !isValidNodeName(spec.slice(nameStart, close))) return corrupted;
        const other = getOrCreate(cl, spec.slice(nameStart, close));
        if (!loaded.includes(other)) loaded.push(other);
        if (direction === '>') cl.migratingSlotsTo.set(slot, other);
        else cl.importingSlotsFrom.set(slot, other);
        continue;
      }
      let start: number, stop: number;
      const dash = spec.indexOf('-');
      if (dash >= 0) { start = atoi(spec.slice(0, dash)); stop = atoi(spec.slice(dash + 1)); } else { start = stop = atoi(spec); }
      if (start < 0 || start >= CLUSTER_SLOTS || stop < 0 || stop >= CLUSTER_SLOTS) return corrupted;
      while (start <= stop) cl.addSlot(n, start++);
    }
  }
  if (!myself) return corrupted;
  cl.myself = myself;
  // The nodes were registered raw while parsing; now start their failure detectors with the
  // flags they were saved with.
  for (const n of loaded) { cl.nodes.delete(n.name); cl.addNode(n); }
  cl.log.notice(`Node configuration loaded, I'm ${cl.myself.name}`);
  if (cl.maxEpoch() > cl.currentEpoch) cl.currentEpoch = cl.maxEpoch();
  return 'loaded';
}
