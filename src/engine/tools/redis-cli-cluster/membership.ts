/**
 * `--cluster add-node new_host:new_port existing_host:existing_port [--cluster-slave
 * [--cluster-master-id id]]` and `--cluster del-node host:port node_id`.
 *
 * add-node checks the existing cluster, copies its functions to the new (empty) node unless
 * it joins as a replica, makes it MEET the first node, and for a replica waits for the join
 * and issues CLUSTER REPLICATE (to the given master, or the one with fewest replicas).
 * del-node refuses a node that still serves slots, moves its replicas to the master with the
 * fewest replicas, has every other node FORGET it, and resets it (CLUSTER RESET SOFT).
 */
import { ClusterManager, CMD_FLAG, CLUSTER_MANAGER_PORT_INCR, INVALID_HOST_ARG, hostFromArgs, CmNode } from './manager';
import { checkCluster } from './check';

function nodeWithLeastReplicas(cm: ClusterManager): CmNode | null {
  let node: CmNode | null = null;
  for (const n of cm.nodes) {
    if (n.isSlave()) continue;
    if (node === null || n.replicasCount < node.replicasCount) node = n;
  }
  return node;
}

export async function commandAddNode(cm: ClusterManager, argv: string[]): Promise<boolean> {
  const ref = hostFromArgs(argv.slice(1));
  const add = hostFromArgs(argv.slice(0, 1));
  if (!ref || !add) { cm.err(INVALID_HOST_ARG); return false; }
  cm.logInfo(`>>> Adding node ${add.ip}:${add.port} to cluster ${ref.ip}:${ref.port}\n`);
  const refnode = new CmNode(ref.ip, ref.port, 0);
  if (!(await cm.loadInfoFromNode(refnode))) return false;
  if (!(await checkCluster(cm, false))) return false;

  let masterNode: CmNode | null = null;
  if (cm.hasFlag(CMD_FLAG.SLAVE)) {
    const masterId = cm.cmd.masterId;
    if (masterId !== null) {
      masterNode = cm.nodeByName(masterId);
      if (masterNode === null) {
        cm.logErr(`[ERR] No such master ID ${masterId}\n`);
        return false;
      }
    } else {
      masterNode = nodeWithLeastReplicas(cm)!;
      cm.out(`Automatically selected master ${masterNode.ip}:${masterNode.port}\n`);
    }
  }

  const newNode = new CmNode(add.ip, add.port, 0);
  if (!(await cm.connect(newNode))) {
    cm.logErr(`[ERR] Sorry, can't connect to node ${add.ip}:${add.port}\n`);
    return false;
  }
  const e = { value: null as string | null };
  if (!(await cm.isCluster(newNode, e))) {
    cm.printNotClusterNodeError(newNode, e.value);
    return false;
  }
  if (!(await cm.loadNodeInfo(newNode, 0, e))) {
    if (e.value) cm.printReplyError(newNode, e.value);
    return false;
  }
  if (!(await cm.isEmpty(newNode, e))) {
    cm.printNotEmptyNodeError(newNode, e.value);
    return false;
  }
  const first = cm.nodes[0];
  cm.nodes.push(newNode);

  if (!masterNode) {
    // A replica gets the functions from its master; a new master needs them now.
    cm.logInfo('>>> Getting functions from cluster\n');
    const dump = await cm.command(refnode, ['FUNCTION', 'DUMP']);
    const de = { value: null as string | null };
    if (!cm.checkReply(refnode, dump, de)) {
      cm.logInfo(`>>> Failed retrieving Functions from the cluster, skip this step as Redis version do not support function command (error = '${de.value ?? 'NULL reply'}')\n`);
    } else {
      cm.logInfo(`>>> Send FUNCTION LIST to ${add.ip}:${add.port} to verify there is no functions in it\n`);
      const list = await cm.command(newNode, ['FUNCTION', 'LIST']);
      if (!cm.checkReply(newNode, list, de)) {
        cm.logErr(`>>> Failed on CLUSTER LIST (error = '${de.value ?? 'NULL reply'}')\r\n`);
        return false;
      }
      if ('element' in list && list.element.length > 0) {
        cm.logErr('>>> New node already contains functions and can not be added to the cluster. Use FUNCTION FLUSH and try again.\r\n');
        return false;
      }
      cm.logInfo(`>>> Send FUNCTION RESTORE to ${add.ip}:${add.port}\n`);
      const payload = dump.type === 'string' ? dump.str : '';
      const restore = await cm.command(newNode, ['FUNCTION', 'RESTORE', payload]);
      if (!cm.checkReply(newNode, restore, de)) {
        cm.logErr(`>>> Failed loading functions to the new node (error = '${de.value ?? 'NULL reply'}')\r\n`);
        return false;
      }
    }
  }

  cm.logInfo(`>>> Send CLUSTER MEET to node ${add.ip}:${add.port} to make it join the cluster.\n`);
  const firstIp = ClusterManager.resolve(first.ip);
  if (firstIp === null) {
    cm.err(`Invalid IP address or hostname specified: ${first.ip}\n`);
    return false;
  }
  const meet = first.busPort === 0 || first.busPort === first.port + CLUSTER_MANAGER_PORT_INCR
    ? ['CLUSTER', 'MEET', firstIp, String(first.port)]
    : ['CLUSTER', 'MEET', firstIp, String(first.port), String(first.busPort)];
  if (!cm.checkReply(newNode, await cm.command(newNode, meet))) return false;
  if (masterNode) {
    await cm.sleep(1000);
    await cm.waitForClusterJoin();
    cm.logInfo(`>>> Configure node as replica of ${masterNode.ip}:${masterNode.port}.\n`);
    if (!cm.checkReply(newNode, await cm.command(newNode, ['CLUSTER', 'REPLICATE', masterNode.name!]))) return false;
  }
  cm.logOk('[OK] New node added correctly.\n');
  return true;
}

export async function commandDelNode(cm: ClusterManager, argv: string[]): Promise<boolean> {
  const host = hostFromArgs(argv.slice(0, 1));
  if (!host) { cm.err(INVALID_HOST_ARG); return false; }
  const nodeId = argv[1];
  cm.logInfo(`>>> Removing node ${nodeId} from cluster ${host.ip}:${host.port}\n`);
  const refNode = new CmNode(host.ip, host.port, 0);
  if (!(await cm.loadInfoFromNode(refNode))) return false;
  const node = cm.nodeByName(nodeId);
  if (node === null) {
    cm.logErr(`[ERR] No such node ID ${nodeId}\n`);
    return false;
  }
  if (node.slotsCount !== 0) {
    cm.logErr(`[ERR] Node ${node.ip}:${node.port} is not empty! Reshard data away and try again.\n`);
    return false;
  }
  cm.logInfo('>>> Sending CLUSTER FORGET messages to the cluster...\n');
  for (const n of cm.nodes) {
    if (n === node) continue;
    if (n.replicate !== null && n.replicate.toLowerCase() === nodeId.toLowerCase()) {
      const master = nodeWithLeastReplicas(cm)!;
      cm.logInfo(`>>> ${n.ip}:${n.port} as replica of ${master.ip}:${master.port}\n`);
      if (!cm.checkReply(n, await cm.command(n, ['CLUSTER', 'REPLICATE', master.name!]))) return false;
    }
    if (!cm.checkReply(n, await cm.command(n, ['CLUSTER', 'FORGET', nodeId]))) return false;
  }
  cm.logInfo('>>> Sending CLUSTER RESET SOFT to the deleted node.\n');
  return cm.checkReply(node, await cm.command(node, ['CLUSTER', 'RESET', 'SOFT']));
}
