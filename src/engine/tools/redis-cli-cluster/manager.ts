/**
 * The core of `redis-cli --cluster` (the "cluster manager" of redis-cli.c): the node list
 * built from CLUSTER NODES, logging with redis-cli's colours, the helpers every subcommand
 * uses (connect, load a node's view, move a slot with MIGRATE, wait for the cluster to agree)
 * and the cluster check with its fixes.
 *
 * How redis-cli sees a cluster: it connects to one node, reads its CLUSTER NODES to learn the
 * other nodes ("friends"), connects to each and reads each one's own line ("myself") for its
 * slots, migrating/importing marks and role. Nodes agree when every node's "config signature"
 * (each node with slots as "id:slot,slot,...", sorted, joined with '|') is the same.
 */
import type { RedisCli } from '../redis-cli/cli';
import { CliConnection } from '../redis-cli/connection';
import type { CliReply } from '../redis-cli/reply';
import { CLUSTER_MANAGER_CMD_FLAG } from '../redis-cli/config';
import { normalizeIp } from '../../util/inet';

export const CLUSTER_MANAGER_SLOTS = 16384;
export const CLUSTER_MANAGER_PORT_INCR = 10000;
const CLUSTER_JOIN_CHECK_AFTER = 20;

export const FLAG = { MYSELF: 1 << 0, SLAVE: 1 << 1, FRIEND: 1 << 2, NOADDR: 1 << 3, DISCONNECT: 1 << 4, FAIL: 1 << 5 };
export const OPT = { GETFRIENDS: 1 << 0, COLD: 1 << 1, UPDATE: 1 << 2, QUIET: 1 << 6, VERBOSE: 1 << 7 };
export const CMD_FLAG = CLUSTER_MANAGER_CMD_FLAG;

export const INVALID_HOST_ARG = '[ERR] Invalid arguments: you need to pass either a valid address (ie. 120.0.0.1:7000) or space separated IP and port (ie. 120.0.0.1 7000)\n';

export class CmNode {
  context: CliConnection | null = null;
  name: string | null = null;
  busPort: number;
  currentEpoch = 0;
  pingSent = 0;
  pingRecv = 0;
  flags = 0;
  flagsStr: string[] | null = null;
  /** Master ID when this node is a replica. */
  replicate: string | null = null;
  dirty = false;
  slots = new Uint8Array(CLUSTER_MANAGER_SLOTS);
  slotsCount = 0;
  replicasCount = 0;
  friends: CmNode[] | null = null;
  /** [slot, node id] pairs. */
  migrating: [string, string][] = [];
  importing: [string, string][] = [];
  weight = 1;
  balance = 0;

  constructor(public ip: string, public port: number, busPort = 0) {
    // The bus port may be wrong here; loading the node's own line corrects it.
    this.busPort = busPort ? busPort : port + CLUSTER_MANAGER_PORT_INCR;
  }

  resetSlots(): void {
    this.slots.fill(0);
    this.slotsCount = 0;
  }

  isSlave(): boolean { return (this.flags & FLAG.SLAVE) !== 0; }
}

/** atoi: leading blanks, sign, digits; 0 when none. */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(BigInt.asIntN(32, BigInt(m[1]))) : 0;
}

/** parseClusterNodeAddress: ip:port[@bus_port]. */
export function parseNodeAddress(addr: string): { ip: string; port: number; busPort: number } | null {
  let busPort = 0;
  const at = addr.lastIndexOf('@');
  if (at >= 0) {
    busPort = atoi(addr.slice(at + 1));
    addr = addr.slice(0, at);
  }
  const colon = addr.lastIndexOf(':');
  if (colon < 0) return null;
  return { ip: addr.slice(0, colon), port: atoi(addr.slice(colon + 1)), busPort };
}

/** getClusterHostFromCmdArgs: "ip:port" or "ip port". */
export function hostFromArgs(argv: string[]): { ip: string; port: number } | null {
  let ip: string | null = null;
  let port = 0;
  if (argv.length === 1) {
    const a = parseNodeAddress(argv[0]);
    if (!a) return null;
    ip = a.ip;
    port = a.port;
  } else {
    ip = argv[0];
    port = atoi(argv[1]);
  }
  if (!ip || !port) return null;
  return { ip, port };
}

/** The value of `field` in an INFO text (getInfoField), up to '\r' or ','. */
export function infoField(info: string, field: string): string | null {
  const p = info.indexOf(field);
  if (p < 0) return null;
  const start = p + field.length + 1;
  let end = info.indexOf('\r', start);
  if (end < 0) end = info.length;
  const comma = info.indexOf(',', start);
  if (comma >= 0 && comma < end) end = comma;
  return info.slice(start, end);
}

export function longInfoField(info: string, field: string): number {
  const v = infoField(info, field);
  return v === null ? Number.MIN_SAFE_INTEGER : atoi(v);
}

/** The text of a string-ish reply. */
export function replyText(r: CliReply): string {
  return r.type === 'string' || r.type === 'status' || r.type === 'error' || r.type === 'verb' ? r.str : '';
}

export function replyInt(r: CliReply): number {
  return r.type === 'integer' ? Number(r.integer) : 0;
}

const LOG_COLORS = { info: '29;1m', warn: '33;1m', err: '31;1m', ok: '32;1m' };

export class ClusterManager {
  nodes: CmNode[] = [];
  errors: string[] = [];
  unreachableMasters = 0;

  constructor(readonly cli: RedisCli) {}

  get cmd() { return this.cli.config.clusterManagerCommand; }

  hasFlag(f: number): boolean { return (this.cmd.flags & f) !== 0; }

  // ---- output ---------------------------------------------------------------------------

  out(text: string): void { this.cli.out(text); }
  err(text: string): void { this.cli.err(text); }

  /** clusterManagerLog: ANSI colours when the terminal is an xterm (CMD_FLAG.COLOR). */
  private log(level: keyof typeof LOG_COLORS, text: string): void {
    const color = this.hasFlag(CMD_FLAG.COLOR);
    this.out(color ? `\x1b[${LOG_COLORS[level]}${text}\x1b[0m` : text);
  }

  logInfo(text: string): void { this.log('info', text); }
  logWarn(text: string): void { this.log('warn', text); }
  logErr(text: string): void { this.log('err', text); }
  logOk(text: string): void { this.log('ok', text); }

  printReplyError(n: CmNode, err: string): void {
    this.logErr(`Node ${n.ip}:${n.port} replied with error:\n${err}\n`);
  }

  /** clusterManagerOnError: remember the error and print it. */
  onError(err: string): void {
    this.errors.push(err);
    this.logErr(`${err}\n`);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.cli.os.setTimer(ms, resolve));
  }

  // ---- stdin ----------------------------------------------------------------------------

  /** read(2) of up to `max` bytes, then (like the C code) skip the rest of the line. */
  async readAnswer(max: number): Promise<string | null> {
    const got = await this.cli.stdin.read(max);
    if (got.length === 0) return null;
    if (got[got.length - 1] !== '\n') {
      for (;;) {
        const ch = await this.cli.stdin.read(1);
        if (ch === '' || ch === '\n') break;
      }
    }
    return got.slice(0, got.length - 1);
  }

  /** confirmWithYes: --cluster-yes answers unless the question must be asked anyway. */
  async confirmWithYes(msg: string, ignoreForce: boolean): Promise<boolean> {
    if (!ignoreForce && this.hasFlag(CMD_FLAG.YES)) return true;
    this.out(`${msg} (type 'yes' to accept): `);
    const got = await this.cli.stdin.read(4);
    return got.length !== 0 && got.slice(0, 3) === 'yes';
  }

  // ---- talking to nodes -----------------------------------------------------------------

  /** clusterManagerNodeConnect (with AUTH when -a is given). */
  async connect(node: CmNode): Promise<boolean> {
    node.context?.close();
    const c = await CliConnection.connect(this.cli.os, node.ip, node.port);
    if (c.err) {
      this.err(`Could not connect to Redis at ${node.ip}:${node.port}: ${c.err.errstr}\n`);
      node.context = null;
      return false;
    }
    node.context = c;
    const cfg = this.cli.config;
    if (cfg.auth !== null) {
      const r = await this.command(node, cfg.user === null ? ['AUTH', cfg.auth] : ['AUTH', cfg.user, cfg.auth]);
      if (!this.checkReply(node, r)) return false;
    }
    return true;
  }

  /** redisCommand: null on an I/O error. */
  async command(node: CmNode, argv: string[]): Promise<CliReply | null> {
    const c = node.context;
    if (!c) return null;
    c.appendCommand(argv);
    return c.getReply();
  }

  /**
   * clusterManagerCheckRedisReply: false for no reply or an error; the error goes to `err`
   * when given, else it is printed.
   */
  checkReply(n: CmNode, r: CliReply | null, err?: { value: string | null }): r is CliReply {
    if (r === null) return false;
    if (r.type === 'error') {
      if (err) err.value = r.str;
      else this.printReplyError(n, r.str);
      return false;
    }
    return true;
  }

  nodeByName(name: string): CmNode | null {
    const lc = name.toLowerCase();
    return this.nodes.find((n) => n.name === lc) ?? null;
  }

  nodeByAbbreviatedName(name: string): CmNode | null {
    const lc = name.toLowerCase();
    return this.nodes.find((n) => n.name !== null && n.name.startsWith(lc)) ?? null;
  }

  /** clusterManagerNodeIsCluster: INFO says cluster_enabled:1. */
  async isCluster(node: CmNode, err: { value: string | null }): Promise<boolean> {
    const info = await this.command(node, ['INFO']);
    if (info === null) return false;
    if (info.type === 'error') { err.value = info.str; return false; }
    return longInfoField(replyText(info), 'cluster_enabled') === 1;
  }

  /** clusterManagerNodeIsEmpty: no db0 keys and knows no other node. */
  async isEmpty(node: CmNode, err: { value: string | null }): Promise<boolean> {
    const info = await this.command(node, ['INFO']);
    if (info === null) return false;
    if (info.type === 'error') { err.value = info.str; return false; }
    if (replyText(info).includes('db0:')) return false;
    const ci = await this.command(node, ['CLUSTER', 'INFO']);
    if (!this.checkReply(node, ci, err)) return false;
    return longInfoField(replyText(ci), 'cluster_known_nodes') === 1;
  }

  printNotClusterNodeError(node: CmNode, err: string | null): void {
    this.logErr(`[ERR] Node ${node.ip}:${node.port} ${err ?? 'is not configured as a cluster node.'}\n`);
  }

  printNotEmptyNodeError(node: CmNode, err: string | null): void {
    this.logErr(`[ERR] Node ${node.ip}:${node.port} ${err ?? 'is not empty. Either the node already knows other nodes (check with CLUSTER NODES) or contains some key in database 0.'}\n`);
  }

  /**
   * clusterManagerNodeLoadInfo: read the node's CLUSTER NODES. Its own line gives its name,
   * slots, migrations and role; with GETFRIENDS every other line becomes a friend node.
   */
  async loadNodeInfo(node: CmNode, opts: number, err: { value: string | null }): Promise<boolean> {
    const reply = await this.command(node, ['CLUSTER', 'NODES']);
    if (!this.checkReply(node, reply, err)) return false;
    const getFriends = (opts & OPT.GETFRIENDS) !== 0;
    const text = replyText(reply);
    let rest = text;
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      let line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      const tokens: string[] = [];
      let sp: number;
      while ((sp = line.indexOf(' ')) >= 0) {
        tokens.push(line.slice(0, sp));
        line = line.slice(sp + 1);
        if (tokens.length === 8) break;
      }
      const [name, addr, flagsField, masterId, pingSent, pingRecv, configEpoch] = tokens;
      if (flagsField === undefined) return false;
      const a = addr === undefined ? null : parseNodeAddress(addr);
      if (!a) {
        this.err('Error: invalid CLUSTER NODES reply\n');
        return false;
      }
      const myself = flagsField.includes('myself');
      let current: CmNode;
      if (myself) {
        node.busPort = a.busPort;
        node.flags |= FLAG.MYSELF;
        current = node;
        node.resetSlots();
        if (tokens.length === 8) this.parseSlotsField(node, line);
        node.dirty = false;
      } else if (!getFriends) {
        if (!(node.flags & FLAG.MYSELF)) continue;
        break;
      } else {
        current = new CmNode(a.ip, a.port, a.busPort);
        current.flags |= FLAG.FRIEND;
        (node.friends ??= []).push(current);
      }
      if (name !== undefined) current.name = name;
      current.flagsStr = [];
      for (const flag of flagsField.split(',').filter((f) => f.length > 0)) {
        if (flag === 'noaddr') current.flags |= FLAG.NOADDR;
        else if (flag === 'disconnected') current.flags |= FLAG.DISCONNECT;
        else if (flag === 'fail') current.flags |= FLAG.FAIL;
        else if (flag === 'slave') {
          current.flags |= FLAG.SLAVE;
          if (masterId !== undefined) current.replicate = masterId;
        }
        current.flagsStr.push(flag);
      }
      if (configEpoch !== undefined) current.currentEpoch = atoi(configEpoch);
      if (pingSent !== undefined) current.pingSent = Number(pingSent) || 0;
      if (pingRecv !== undefined) current.pingRecv = Number(pingRecv) || 0;
      if (!getFriends && myself) break;
    }
    return true;
  }

  private parseSlotsField(node: CmNode, field: string): void {
    for (const def of field.split(' ')) {
      if (def.length === 0) continue;
      if (def[0] === '[') {
        const body = def.slice(1);
        let p = body.indexOf('->-');
        if (p >= 0) {
          const dst = body.slice(p + 3).replace(/\].*$/, '');
          node.migrating.push([body.slice(0, p), dst]);
        } else if ((p = body.indexOf('-<-')) >= 0) {
          const src = body.slice(p + 3).replace(/\].*$/, '');
          node.importing.push([body.slice(0, p), src]);
        }
      } else if (def.includes('-')) {
        const dash = def.indexOf('-');
        let start = atoi(def.slice(0, dash));
        const stop = atoi(def.slice(dash + 1));
        node.slotsCount += stop - (start - 1);
        while (start <= stop) node.slots[start++] = 1;
      } else {
        node.slots[atoi(def)] = 1;
        node.slotsCount++;
      }
    }
  }

  /**
   * clusterManagerLoadInfoFromNode: the node list seen from one node. Friends that cannot be
   * reached, or that the node sees as failed or without address, are left out (counting
   * unreachable masters).
   */
  async loadInfoFromNode(node: CmNode): Promise<boolean> {
    if (node.context === null && !(await this.connect(node))) return false;
    const e = { value: null as string | null };
    if (!(await this.isCluster(node, e))) {
      this.printNotClusterNodeError(node, e.value);
      return false;
    }
    e.value = null;
    if (!(await this.loadNodeInfo(node, OPT.GETFRIENDS, e))) {
      if (e.value) this.printReplyError(node, e.value);
      return false;
    }
    for (const n of this.nodes) if (n !== node) n.context?.close();
    this.nodes = [node];
    for (const friend of node.friends ?? []) {
      let valid = false;
      if (friend.ip && friend.port && (friend.context !== null || (await this.connect(friend)))) {
        const fe = { value: null as string | null };
        if (await this.loadNodeInfo(friend, 0, fe)) {
          valid = !(friend.flags & (FLAG.NOADDR | FLAG.DISCONNECT | FLAG.FAIL));
        } else {
          this.logErr(`[ERR] Unable to load info for node ${friend.ip}:${friend.port}\n`);
        }
      }
      if (valid) {
        this.nodes.push(friend);
      } else {
        if (!(friend.flags & FLAG.SLAVE)) this.unreachableMasters++;
        friend.context?.close();
      }
    }
    node.friends = null;
    for (const n of this.nodes) {
      if (n.replicate === null) continue;
      const master = this.nodeByName(n.replicate);
      if (master === null) this.logWarn(`*** WARNING: ${n.ip}:${n.port} claims to be slave of unknown node ID ${n.replicate}.\n`);
      else master.replicasCount++;
    }
    return true;
  }

  // ---- describing nodes -----------------------------------------------------------------

  static slotsString(slots: Uint8Array): string {
    const parts: string[] = [];
    let first = -1, last = -1;
    for (let i = 0; i <= CLUSTER_MANAGER_SLOTS; i++) {
      if (i < CLUSTER_MANAGER_SLOTS && slots[i]) {
        if (first < 0) first = i;
        last = i;
      } else if (first >= 0) {
        parts.push(first === last ? `[${first}]` : `[${first}-${last}]`);
        first = last = -1;
      }
    }
    return parts.join(',');
  }

  static flagString(node: CmNode): string {
    return (node.flagsStr ?? []).filter((f) => f !== 'myself').join(',');
  }

  /** clusterManagerNodeInfo. */
  nodeInfo(node: CmNode, indent: number): string {
    const spaces = ' '.repeat(indent);
    let info = spaces;
    if (node.dirty && node.replicate !== null) {
      info += `S: ${node.name} ${node.ip}:${node.port}`;
    } else {
      const role = node.isSlave() ? 'S' : 'M';
      info += `${role}: ${node.name} ${node.ip}:${node.port}\n${spaces}   slots:${ClusterManager.slotsString(node.slots)} (${node.slotsCount} slots) ${ClusterManager.flagString(node)}`;
    }
    if (node.replicate !== null) info += `\n${spaces}   replicates ${node.replicate}`;
    else if (node.replicasCount) info += `\n${spaces}   ${node.replicasCount} additional replica(s)`;
    return info;
  }

  showNodes(): void {
    for (const n of this.nodes) this.out(`${this.nodeInfo(n, 0)}\n`);
  }

  /** clusterManagerShowClusterInfo: keys, slots and replicas per master. */
  async showClusterInfo(): Promise<void> {
    let masters = 0, keys = 0;
    for (const node of this.nodes) {
      if (node.isSlave() || !node.name) continue;
      const replicas = this.nodes.filter((n) => n !== node && n.isSlave() && n.replicate === node.name).length;
      const r = await this.command(node, ['DBSIZE']);
      if (r === null || r.type !== 'integer') {
        this.printReplyError(node, r !== null && r.type === 'error' ? r.str : '');
        return;
      }
      const dbsize = Number(r.integer);
      this.out(`${node.ip}:${node.port} (${node.name.slice(0, 8)}...) -> ${dbsize} keys | ${node.slotsCount} slots | ${replicas} slaves.\n`);
      masters++;
      keys += dbsize;
    }
    this.logOk(`[OK] ${keys} keys in ${masters} masters.\n`);
    this.out(`${Math.fround(keys / CLUSTER_MANAGER_SLOTS).toFixed(2)} keys per slot on average.\n`);
  }

  // ---- agreement ------------------------------------------------------------------------

  /** clusterManagerGetConfigSignature: "id:slots" of every node with slots, sorted, '|'-joined. */
  async configSignature(node: CmNode): Promise<string | null> {
    const reply = await this.command(node, ['CLUSTER', 'NODES']);
    if (reply === null || reply.type === 'error') return null;
    const configs: string[] = [];
    for (const line of replyText(reply).split('\n')) {
      const fields = line.split(' ');
      if (fields.length <= 8) continue;
      const slots = fields.slice(8).filter((s) => s.length > 0 && s[0] !== '[');
      if (slots.length === 0) continue;
      slots.sort(cmpStr);
      configs.push(`${fields[0]}:${slots.join(',')}`);
    }
    if (configs.length === 0) return null;
    configs.sort(cmpStr);
    return configs.join('|');
  }

  async isConfigConsistent(): Promise<boolean> {
    if (this.nodes.length <= 1) return true;
    let first: string | null = null;
    for (const n of this.nodes) {
      const cfg = await this.configSignature(n);
      if (cfg === null) return false;
      if (first === null) first = cfg;
      else if (cfg !== first) return false;
    }
    return true;
  }

  /** clusterManagerGetLinkStatus: unreachable node address → nodes that cannot reach it. */
  private async linkStatus(): Promise<Map<string, string[]>> {
    const status = new Map<string, string[]>();
    for (const node of this.nodes) {
      const reply = await this.command(node, ['CLUSTER', 'NODES']);
      if (!this.checkReply(node, reply)) continue;
      for (const line of replyText(reply).split('\n')) {
        const f = line.split(' ');
        if (f.length < 8) continue;
        const [, addr, flags] = f;
        const link = f[7];
        if (flags.includes('myself')) continue;
        if (flags.includes('disconnected') || link.includes('disconnected') || flags.includes('handshake')) {
          const from = status.get(addr) ?? [];
          from.push(`${node.ip}:${node.port}`);
          status.set(addr, from);
        }
      }
    }
    return status;
  }

  /** clusterManagerWaitForClusterJoin: a dot a second until every node agrees. */
  async waitForClusterJoin(): Promise<void> {
    this.out('Waiting for the cluster to join\n');
    let counter = 0;
    const checkAfter = CLUSTER_JOIN_CHECK_AFTER + Math.trunc(this.nodes.length * 0.15);
    while (!(await this.isConfigConsistent())) {
      this.out('.');
      await this.sleep(1000);
      if (++counter > checkAfter) {
        const status = await this.linkStatus();
        if (status.size > 0) {
          this.out('\n');
          this.logErr(`Warning: ${status.size} node(s) may be unreachable\n`);
          for (const [addr, from] of status) {
            const a = parseNodeAddress(addr);
            if (a && a.busPort) this.logErr(` - The port ${a.busPort} of node ${a.ip} may be unreachable from:\n`);
            else this.logErr(` - Node ${addr} may be unreachable from:\n`);
            for (const f of from) this.logErr(`   ${f}\n`);
            this.logErr('Cluster bus ports must be reachable by every node.\nRemember that cluster bus ports are different from standard instance ports.\n');
          }
        }
        counter = 0;
      }
    }
    this.out('\n');
  }

  /** anetResolve for CLUSTER MEET: an IP literal (or localhost), else null. */
  static resolve(host: string): string | null {
    if (host === 'localhost') return '127.0.0.1';
    return normalizeIp(host) === null ? null : host;
  }

  // ---- slots ----------------------------------------------------------------------------

  async setSlot(node1: CmNode, node2: CmNode, slot: number, status: string, err?: { value: string | null }): Promise<boolean> {
    const reply = await this.command(node1, ['CLUSTER', 'SETSLOT', String(slot), status, node2.name ?? '']);
    if (err) err.value = null;
    if (reply === null) {
      if (err) err.value = 'CLUSTER SETSLOT failed to run';
      return false;
    }
    if (reply.type === 'error') {
      if (err) err.value = reply.str;
      else this.printReplyError(node1, reply.str);
      return false;
    }
    return true;
  }

  async clearSlotStatus(node: CmNode, slot: number): Promise<boolean> {
    return this.checkReply(node, await this.command(node, ['CLUSTER', 'SETSLOT', String(slot), 'STABLE']));
  }

  /** The owner of a slot according to `n`'s CLUSTER SLOTS. */
  async slotOwner(n: CmNode, slot: number, err: { value: string | null }): Promise<CmNode | null> {
    const reply = await this.command(n, ['CLUSTER', 'SLOTS']);
    if (!this.checkReply(n, reply, err) || !('element' in reply)) return null;
    for (const r of reply.element) {
      if (!('element' in r) || r.element.length < 3) continue;
      const from = replyInt(r.element[0]), to = replyInt(r.element[1]);
      if (slot < from || slot > to) continue;
      const nr = r.element[2];
      if (!('element' in nr)) continue;
      let owner: CmNode | null = null;
      if (nr.element.length >= 3) owner = this.nodeByName(replyText(nr.element[2]));
      else owner = this.nodes.find((x) => x.ip === replyText(nr.element[0]) && x.port === replyInt(nr.element[1])) ?? null;
      if (owner) return owner;
    }
    return null;
  }

  async delSlot(node: CmNode, slot: number, ignoreUnassignedErr: boolean): Promise<boolean> {
    const reply = await this.command(node, ['CLUSTER', 'DELSLOTS', String(slot)]);
    const err = { value: null as string | null };
    let success = this.checkReply(node, reply, err);
    if (!success && reply !== null && reply.type === 'error' && ignoreUnassignedErr) {
      const ownerErr = { value: null as string | null };
      const assigned = await this.slotOwner(node, slot, ownerErr);
      if (!assigned) {
        if (ownerErr.value === null) success = true;
        else this.printReplyError(node, ownerErr.value);
      }
    }
    if (!success && err.value !== null) this.printReplyError(node, err.value);
    return success;
  }

  async countKeysInSlot(node: CmNode, slot: number): Promise<number> {
    const reply = await this.command(node, ['CLUSTER', 'COUNTKEYSINSLOT', String(slot)]);
    return this.checkReply(node, reply) && reply.type === 'integer' ? Number(reply.integer) : -1;
  }

  /**
   * clusterManagerSetSlotOwner: in one MULTI/EXEC, release the slot (if assigned), take it,
   * optionally clear its migrating state, bump the epoch. Only an ADDSLOTS error counts.
   */
  async setSlotOwner(owner: CmNode, slot: number, doClear: boolean): Promise<boolean> {
    if (!this.checkReply(owner, await this.command(owner, ['MULTI']))) return false;
    await this.delSlot(owner, slot, true);
    this.checkReply(owner, await this.command(owner, ['CLUSTER', 'ADDSLOTS', String(slot)]));
    if (doClear) await this.clearSlotStatus(owner, slot);
    this.checkReply(owner, await this.command(owner, ['CLUSTER', 'BUMPEPOCH']));
    const reply = await this.command(owner, ['EXEC']);
    if (!this.checkReply(owner, reply)) return false;
    if (!('element' in reply)) return false;
    for (let i = 0; i < reply.element.length; i++) {
      const r = reply.element[i];
      if (r.type === 'error') {
        if (i !== 1) continue;
        this.printReplyError(owner, r.str);
        return false;
      }
    }
    return true;
  }

  // ---- moving keys ----------------------------------------------------------------------

  /** MIGRATE host port "" 0 timeout [REPLACE] [AUTH..] KEYS k1..kn, sent to the source. */
  private async migrateKeysInReply(source: CmNode, target: CmNode, keys: string[], replace: boolean, timeout: number): Promise<CliReply | null> {
    const cfg = this.cli.config;
    const argv = ['MIGRATE', target.ip, String(target.port), '', '0', String(timeout)];
    if (replace) argv.push('REPLACE');
    if (cfg.auth !== null) {
      if (cfg.user !== null) argv.push('AUTH2', cfg.user, cfg.auth);
      else argv.push('AUTH', cfg.auth);
    }
    argv.push('KEYS', ...keys);
    return this.command(source, argv);
  }

  /** DEBUG DIGEST-VALUE on both nodes: keys present on both with different values. */
  private async compareKeysValues(n1: CmNode, n2: CmNode, keys: string[], diffs: string[]): Promise<boolean> {
    const argv = ['DEBUG', 'DIGEST-VALUE', ...keys];
    const r1 = await this.command(n1, argv);
    if (r1 === null) return false;
    const r2 = await this.command(n2, argv);
    if (r2 === null) return false;
    let ok = true;
    if (r1.type === 'error') { this.printReplyError(n1, r1.str); ok = false; }
    if (r2.type === 'error') { this.printReplyError(n2, r2.str); ok = false; }
    if (!ok || !('element' in r1) || !('element' in r2)) return false;
    const zero = '0'.repeat(40);
    keys.forEach((k, i) => {
      const h1 = replyText(r1.element[i]), h2 = replyText(r2.element[i]);
      if (h1 === zero || h2 === zero) return;
      if (h1 !== h2) diffs.push(k);
    });
    return true;
  }

  /**
   * clusterManagerMigrateKeysInSlot: GETKEYSINSLOT `pipeline` keys at a time and MIGRATE them.
   * A BUSYKEY target (the key already exists there) is overwritten when both values are equal
   * or --cluster-replace is given; an unserved slot is assigned to the target under fix.
   */
  async migrateKeysInSlot(source: CmNode, target: CmNode, slot: number, timeout: number, pipeline: number, verbose: boolean, err: { value: string | null } | null): Promise<boolean> {
    const doFix = this.hasFlag(CMD_FLAG.FIX);
    const doReplace = this.hasFlag(CMD_FLAG.REPLACE);
    for (;;) {
      const reply = await this.command(source, ['CLUSTER', 'GETKEYSINSLOT', String(slot), String(pipeline)]);
      if (reply === null) return false;
      if (reply.type === 'error') {
        if (err) {
          err.value = reply.str;
          this.printReplyError(source, reply.str);
        }
        return false;
      }
      const keys = 'element' in reply ? reply.element.map(replyText) : [];
      if (keys.length === 0) break;
      const dots = verbose ? '.'.repeat(keys.length) : '';
      let migrateReply = await this.migrateKeysInReply(source, target, keys, false, timeout);
      if (migrateReply === null) return false;
      if (migrateReply.type === 'error') {
        const isBusy = migrateReply.str.includes('BUSYKEY');
        let notServed = false;
        if (!isBusy) {
          const ownerErr = { value: null as string | null };
          const servedBy = await this.slotOwner(source, slot, ownerErr);
          if (!servedBy) {
            if (ownerErr.value === null) notServed = true;
            else this.printReplyError(source, ownerErr.value);
          }
        }
        let success: boolean;
        if (isBusy || notServed) {
          if (doFix && notServed) {
            this.logWarn(`*** Slot was not served, setting owner to node ${target.ip}:${target.port}.\n`);
            await this.setSlot(source, target, slot, 'node');
          }
          if (isBusy) {
            this.logWarn('\n*** Target key exists\n');
            if (!doReplace) {
              this.logWarn('*** Checking key values on both nodes...\n');
              const diffs: string[] = [];
              if (!(await this.compareKeysValues(source, target, keys, diffs))) {
                this.logErr('*** Value check failed!\n');
                return false;
              }
              if (diffs.length > 0) {
                this.logErr(`*** Found ${diffs.length} key(s) in both source node and target node having different values.\n    Source node: ${source.ip}:${source.port}\n    Target node: ${target.ip}:${target.port}\n    Keys(s):\n`);
                for (const k of diffs) this.logErr(`    - ${k}\n`);
                this.logErr('Please fix the above key(s) manually and try again or relaunch the command \nwith --cluster-replace option to force key overriding.\n');
                return false;
              }
            }
            this.logWarn('*** Replacing target keys...\n');
          }
          migrateReply = await this.migrateKeysInReply(source, target, keys, isBusy, timeout);
          success = migrateReply !== null && migrateReply.type !== 'error';
        } else {
          success = false;
        }
        if (!success) {
          if (migrateReply !== null) {
            if (err) err.value = replyText(migrateReply);
            this.out('\n');
            this.printReplyError(source, replyText(migrateReply));
          }
          return false;
        }
      }
      if (verbose) this.out(dots);
    }
    return true;
  }

  /**
   * clusterManagerMoveSlot: IMPORTING on the target, MIGRATING on the source, move the keys,
   * then SETSLOT NODE on the target first (it spreads the news), the source, and every other
   * master. COLD skips the slot states (fix); UPDATE keeps our slot tables in step.
   */
  async moveSlot(source: CmNode, target: CmNode, slot: number, opts: number, err: { value: string | null } | null): Promise<boolean> {
    if (!(opts & OPT.QUIET)) this.out(`Moving slot ${slot} from ${source.ip}:${source.port} to ${target.ip}:${target.port}: `);
    if (err) err.value = null;
    const e = err ?? { value: null };
    const cold = (opts & OPT.COLD) !== 0;
    if (!cold) {
      if (!(await this.setSlot(target, source, slot, 'importing', e))) return false;
      if (!(await this.setSlot(source, target, slot, 'migrating', e))) return false;
    }
    const ok = await this.migrateKeysInSlot(source, target, slot, this.cmd.timeout, this.cmd.pipeline, (opts & OPT.VERBOSE) !== 0, err);
    if (!(opts & OPT.QUIET)) this.out('\n');
    if (!ok) return false;
    if (!cold) {
      if (!(await this.setSlot(target, target, slot, 'node', e))) return false;
      // A source that just gave away its last slot may already be a replica of the target.
      const srcOk = await this.setSlot(source, target, slot, 'node', e);
      const acceptable = 'ERR Please use SETSLOT only with masters.';
      if (!srcOk && e.value !== null && e.value.startsWith(acceptable)) e.value = null;
      else if (!srcOk && err) return false;
      for (const n of this.nodes) {
        if (n === target || n === source || n.isSlave()) continue;
        if (!(await this.setSlot(n, target, slot, 'node', e))) return false;
      }
    }
    if (opts & OPT.UPDATE) {
      source.slots[slot] = 0;
      target.slots[slot] = 1;
    }
    return true;
  }

  /** clusterManagerFlushNodeConfig: CLUSTER REPLICATE for replicas, ADDSLOTS for masters. */
  async flushNodeConfig(node: CmNode, err: { value: string | null }): Promise<boolean> {
    if (!node.dirty) return false;
    err.value = null;
    if (node.replicate !== null) {
      const reply = await this.command(node, ['CLUSTER', 'REPLICATE', node.replicate]);
      if (reply === null || reply.type === 'error') {
        if (reply !== null && reply.type === 'error') err.value = reply.str;
        // The replica may not know its master yet: stay dirty, flush again later.
        return false;
      }
    } else {
      const slots: string[] = [];
      for (let i = 0; i < CLUSTER_MANAGER_SLOTS && slots.length < node.slotsCount; i++) if (node.slots[i]) slots.push(String(i));
      if (slots.length === 0) {
        node.dirty = false;
        return false;
      }
      const reply = await this.command(node, ['CLUSTER', 'ADDSLOTS', ...slots]);
      if (!this.checkReply(node, reply, err)) {
        node.dirty = false;
        return false;
      }
    }
    node.dirty = false;
    return true;
  }
}

/** strcmp order for ASCII strings. */
export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
