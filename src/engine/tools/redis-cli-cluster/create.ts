/**
 * `--cluster create host1:port1 ... hostN:portN [--cluster-replicas N]`
 * (clusterManagerCommandCreate).
 *
 * Every node must be an empty cluster node. The nodes are interleaved by IP so that masters
 * spread over hosts; the first nodes/(replicas+1) become masters and get equal slot ranges;
 * the others are assigned as replicas, preferring a host different from their master's, and
 * an anti-affinity pass swaps replicas at random to reduce replicas sharing a host with their
 * master or with each other. After the "Can I set the above configuration?" prompt the slots
 * are assigned, each node gets a distinct configEpoch, every node MEETs the first one, and
 * once all nodes agree the replicas are configured and the cluster is checked.
 */
import { ClusterManager, CmNode, CLUSTER_MANAGER_PORT_INCR, CLUSTER_MANAGER_SLOTS, parseNodeAddress } from './manager';
import { checkCluster } from './check';

/** clusterManagerGetAntiAffinityScore; `offending` collects one replica per bad group. */
function antiAffinityScore(cm: ClusterManager, ipNodes: CmNode[][], offending: CmNode[] | null): number {
  let score = 0;
  for (const group of ipNodes) {
    const related = new Map<string, string>();
    let ip: string | null = null;
    for (const node of group) {
      if (ip === null) ip = node.ip;
      const key = node.replicate ?? node.name!;
      let types = related.get(key) ?? '';
      // A master's 'm' always leads its group's types.
      types = node.replicate ? types + 's' : 'm' + types;
      related.set(key, types);
    }
    for (const [name, types] of related) {
      if (types.length < 2) continue;
      score += types[0] === 'm' ? 10000 * (types.length - 1) : types.length;
      if (offending === null) continue;
      const n = cm.nodes.find((x) => x.replicate !== null && x.replicate === name && x.ip === ip);
      if (n) offending.push(n);
    }
  }
  return score;
}

/** rand() % n from the Os's random source. */
function rand(cm: ClusterManager, n: number): number {
  return Math.floor(cm.cli.os.random() * n);
}

function optimizeAntiAffinity(cm: ClusterManager, ipNodes: CmNode[][]): void {
  let score = antiAffinityScore(cm, ipNodes, null);
  if (score === 0) return;
  cm.logInfo('>>> Trying to optimize slaves allocation for anti-affinity\n');
  let maxIter = 500 * cm.nodes.length;
  while (maxIter > 0) {
    const offenders: CmNode[] = [];
    score = antiAffinityScore(cm, ipNodes, offenders);
    if (score === 0 || offenders.length === 0) break;
    const first = offenders[rand(cm, offenders.length)];
    const others = cm.nodes.filter((n) => n !== first && n.replicate !== null);
    if (others.length === 0) break;
    const second = others[rand(cm, others.length)];
    const firstMaster = first.replicate, secondMaster = second.replicate;
    first.replicate = secondMaster; first.dirty = true;
    second.replicate = firstMaster; second.dirty = true;
    // Keep a swap unless it makes things worse: the best layout may need several swaps.
    if (antiAffinityScore(cm, ipNodes, null) > score) {
      first.replicate = firstMaster;
      second.replicate = secondMaster;
    }
    maxIter--;
  }
  score = antiAffinityScore(cm, ipNodes, null);
  if (score === 0) cm.logOk('[OK] Perfect anti-affinity obtained!\n');
  else if (score >= 10000) cm.logWarn('[WARNING] Some slaves are in the same host as their master\n');
  else cm.logWarn('[WARNING] Some slaves of the same master are in the same host\n');
}

/** lround. */
function lround(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export async function commandCreate(cm: ClusterManager, argv: string[]): Promise<boolean> {
  for (const addr of argv) {
    const a = parseNodeAddress(addr);
    if (!a) {
      cm.err(`Invalid address format: ${addr}\n`);
      return false;
    }
    const node = new CmNode(a.ip, a.port, 0);
    if (!(await cm.connect(node))) return false;
    const e = { value: null as string | null };
    if (!(await cm.isCluster(node, e))) {
      cm.printNotClusterNodeError(node, e.value);
      return false;
    }
    e.value = null;
    if (!(await cm.loadNodeInfo(node, 0, e))) {
      if (e.value) cm.printReplyError(node, e.value);
      return false;
    }
    e.value = null;
    if (!(await cm.isEmpty(node, e))) {
      cm.printNotEmptyNodeError(node, e.value);
      return false;
    }
    cm.nodes.push(node);
  }
  const nodeLen = cm.nodes.length;
  const replicas = cm.cmd.replicas;
  const mastersCount = Math.trunc(nodeLen / (replicas + 1));
  if (mastersCount < 3) {
    cm.logErr(`*** ERROR: Invalid configuration for cluster creation.\n*** Redis Cluster requires at least 3 master nodes.\n*** This is not possible with ${nodeLen} nodes and ${replicas} replicas per node.`);
    cm.logErr(`\n*** At least ${3 * (replicas + 1)} nodes are required.\n`);
    return false;
  }
  cm.logInfo(`>>> Performing hash slots allocation on ${nodeLen} nodes...\n`);

  // Group by IP, then interleave: one node of each host in turn.
  const ips: string[] = [];
  const ipNodes: CmNode[][] = [];
  for (const n of cm.nodes) {
    let i = ips.indexOf(n.ip);
    if (i < 0) { i = ips.length; ips.push(n.ip); ipNodes.push([]); }
    ipNodes[i].push(n);
  }
  const queues = ipNodes.map((g) => [...g]);
  const interleavedAll: CmNode[] = [];
  while (interleavedAll.length < nodeLen) {
    for (const q of queues) if (q.length > 0) interleavedAll.push(q.shift()!);
  }
  const masters = interleavedAll.slice(0, mastersCount);
  let interleaved: (CmNode | null)[] = interleavedAll.slice(mastersCount);
  const slotsPerNode = Math.fround(CLUSTER_MANAGER_SLOTS / mastersCount);
  let first = 0;
  let cursor = 0;
  for (let i = 0; i < mastersCount; i++) {
    const master = masters[i];
    let last = lround(Math.fround(Math.fround(cursor + slotsPerNode) - 1));
    if (last > CLUSTER_MANAGER_SLOTS || i === mastersCount - 1) last = CLUSTER_MANAGER_SLOTS - 1;
    if (last < first) last = first;
    cm.out(`Master[${i}] -> Slots ${first} - ${last}\n`);
    master.slotsCount = 0;
    for (let j = first; j <= last; j++) { master.slots[j] = 1; master.slotsCount++; }
    master.dirty = true;
    first = last + 1;
    cursor = Math.fround(cursor + slotsPerNode);
  }

  // Rotating the list sometimes gives a better starting point for anti-affinity.
  if (interleaved.length > 0) interleaved = [...interleaved.slice(1), interleaved[0]];
  let assignUnused = false;
  let available = interleaved.length;
  for (;;) {
    for (const master of masters) {
      let assigned = 0;
      while (assigned < replicas) {
        if (available === 0) break;
        let found: CmNode | null = null;
        let firstNodeIdx = -1;
        for (let j = 0; j < interleaved.length; j++) {
          const n = interleaved[j];
          if (n === null) continue;
          if (n.ip !== master.ip) {
            found = n;
            interleaved[j] = null;
            break;
          }
          if (firstNodeIdx < 0) firstNodeIdx = j;
        }
        let slave: CmNode | null = null;
        if (found) {
          slave = found;
        } else if (firstNodeIdx >= 0) {
          slave = interleaved[firstNodeIdx];
          interleaved = interleaved.slice(firstNodeIdx + 1);
        }
        if (slave === null) break;
        assigned++;
        available--;
        slave.replicate = master.name;
        slave.dirty = true;
        cm.out(`Adding replica ${slave.ip}:${slave.port} to ${master.ip}:${master.port}\n`);
        if (assignUnused) break;
      }
    }
    if (!assignUnused && available > 0) {
      assignUnused = true;
      cm.out('Adding extra replicas...\n');
      continue;
    }
    break;
  }
  optimizeAntiAffinity(cm, ipNodes);
  cm.showNodes();
  if (!(await cm.confirmWithYes('Can I set the above configuration?', false))) return true;

  for (const node of cm.nodes) {
    const e = { value: null as string | null };
    const flushed = await cm.flushNodeConfig(node, e);
    if (!flushed && node.dirty && node.replicate === null) {
      if (e.value !== null) cm.printReplyError(node, e.value);
      return false;
    }
  }
  cm.logInfo('>>> Nodes configuration updated\n');
  cm.logInfo('>>> Assign a different config epoch to each node\n');
  let configEpoch = 1;
  for (const node of cm.nodes) await cm.command(node, ['cluster', 'set-config-epoch', String(configEpoch++)]);
  cm.logInfo('>>> Sending CLUSTER MEET messages to join the cluster\n');
  const firstNode = cm.nodes[0];
  const firstIp = ClusterManager.resolve(firstNode.ip);
  if (firstIp === null) {
    cm.err(`Invalid IP address or hostname specified: ${firstNode.ip}\n`);
    return false;
  }
  for (const node of cm.nodes.slice(1)) {
    const meet = firstNode.busPort === 0 || firstNode.busPort === firstNode.port + CLUSTER_MANAGER_PORT_INCR
      ? ['cluster', 'meet', firstIp, String(firstNode.port)]
      : ['cluster', 'meet', firstIp, String(firstNode.port), String(firstNode.busPort)];
    const reply = await cm.command(node, meet);
    if (reply === null) {
      cm.err('Failed to send CLUSTER MEET command.\n');
      return false;
    }
    if (reply.type === 'error') {
      cm.printReplyError(node, reply.str);
      return false;
    }
  }
  // Give the join a second to start, so that empty nodes do not look like they agree.
  await cm.sleep(1000);
  await cm.waitForClusterJoin();
  for (const node of cm.nodes) {
    if (!node.dirty) continue;
    const e = { value: null as string | null };
    const flushed = await cm.flushNodeConfig(node, e);
    if (!flushed && node.replicate === null) {
      if (e.value !== null) cm.printReplyError(node, e.value);
      return false;
    }
  }
  const head = cm.nodes[0];
  for (const n of cm.nodes.slice(1)) n.context?.close();
  cm.nodes = [];
  if (!(await cm.loadInfoFromNode(head))) return false;
  await checkCluster(cm, false);
  return true;
}
