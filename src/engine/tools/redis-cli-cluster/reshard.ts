/**
 * `--cluster reshard` and `--cluster rebalance` (moving slots between masters).
 *
 * The reshard table takes `numslots` slots from the source masters in proportion to how many
 * each has (the largest rounds up, the others down), lowest slot numbers first. Reshard asks
 * (or takes from --cluster-slots/--cluster-from/--cluster-to/--cluster-yes) how many slots,
 * the target and the sources, shows the plan, then moves each slot with MIGRATE, printing a
 * dot per key. Rebalance computes each master's balance (slots it has minus its weighted
 * share; empty masters only with --cluster-use-empty-masters), and, when some master is off
 * by more than --cluster-threshold percent, moves slots from the most over-served to the most
 * under-served, a '#' per slot.
 */
import { ClusterManager, CMD_FLAG, CLUSTER_MANAGER_SLOTS, INVALID_HOST_ARG, OPT, atoi, hostFromArgs, CmNode } from './manager';
import { checkCluster } from './check';

interface ReshardItem { source: CmNode; slot: number }

/** clusterManagerComputeReshardTable. */
export function computeReshardTable(sources: CmNode[], numslots: number): ReshardItem[] {
  const moved: ReshardItem[] = [];
  const totSlots = sources.reduce((n, s) => n + s.slotsCount, 0);
  // qsort by slots count, descending (ties keep no particular order in C; stable here).
  const sorted = [...sources].sort((a, b) => b.slotsCount - a.slotsCount);
  sorted.forEach((node, i) => {
    let n = Math.fround(Math.fround(numslots / totSlots) * node.slotsCount);
    n = i === 0 ? Math.ceil(n) : Math.floor(n);
    const max = Math.trunc(n);
    let count = 0;
    for (let j = 0; j < CLUSTER_MANAGER_SLOTS; j++) {
      if (!node.slots[j]) continue;
      if (count >= max || moved.length >= numslots) break;
      moved.push({ source: node, slot: j });
      count++;
    }
  });
  return moved;
}

/** clusterNodeForResharding: a known master, and not the target when given. */
function nodeForResharding(cm: ClusterManager, id: string, target: CmNode | null): { node: CmNode | null; raise: boolean } {
  const node = cm.nodeByName(id);
  if (!node || node.isSlave()) {
    cm.logErr(`*** The specified node (${id}) is not known or not a master, please retry.\n`);
    return { node: null, raise: true };
  }
  if (target !== null && node.name === target.name) {
    cm.logErr('*** It is not possible to use the target node as source node.\n');
    return { node: null, raise: false };
  }
  return { node, raise: false };
}

export async function commandReshard(cm: ClusterManager, argv: string[]): Promise<boolean> {
  const host = hostFromArgs(argv);
  if (!host) { cm.err(INVALID_HOST_ARG); return false; }
  const node = new CmNode(host.ip, host.port, 0);
  if (!(await cm.loadInfoFromNode(node))) return false;
  await checkCluster(cm, false);
  if (cm.errors.length > 0) {
    cm.err('*** Please fix your cluster problems before resharding\n');
    return false;
  }
  let slots = cm.cmd.slots;
  if (!slots) {
    while (slots <= 0 || slots > CLUSTER_MANAGER_SLOTS) {
      cm.out(`How many slots do you want to move (from 1 to ${CLUSTER_MANAGER_SLOTS})? `);
      const got = await cm.readAnswer(6);
      if (got === null) return false;
      slots = atoi(got);
    }
  }
  let to = cm.cmd.to;
  while (to === null) {
    cm.out('What is the receiving node ID? ');
    const got = await cm.readAnswer(255);
    if (got === null) return false;
    if (got.length > 0) to = got;
  }
  const target = nodeForResharding(cm, to, null).node;
  if (target === null) return false;
  let sources: CmNode[] = [];
  let all = false;
  const from = cm.cmd.from;
  if (from === null) {
    cm.out('Please enter all the source node IDs.\n');
    cm.out("  Type 'all' to use all the nodes as source nodes for the hash slots.\n");
    cm.out("  Type 'done' once you entered all the source nodes IDs.\n");
    for (;;) {
      cm.out(`Source node #${sources.length + 1}: `);
      const got = await cm.readAnswer(255);
      if (got === null) return false;
      if (got === 'done') break;
      if (got === 'all') { all = true; break; }
      const r = nodeForResharding(cm, got, target);
      if (r.node) sources.push(r.node);
      else if (r.raise) return false;
    }
  } else {
    const parts = from.split(',');
    for (let i = 0; i < parts.length; i++) {
      const id = parts[i];
      const last = i === parts.length - 1;
      if (id === 'all') { all = true; break; }
      if (last && id.length === 0) break;
      const r = nodeForResharding(cm, id, target);
      if (r.node) sources.push(r.node);
      else if (r.raise) return false;
    }
  }
  if (all) sources = cm.nodes.filter((n) => !n.isSlave() && n.replicate === null && n.name !== target.name);
  if (sources.length === 0) {
    cm.err('*** No source nodes given, operation aborted.\n');
    return false;
  }
  cm.out(`\nReady to move ${slots} slots.\n`);
  cm.out('  Source nodes:\n');
  for (const src of sources) cm.out(`${cm.nodeInfo(src, 4)}\n`);
  cm.out('  Destination node:\n');
  cm.out(`${cm.nodeInfo(target, 4)}\n`);
  const table = computeReshardTable(sources, slots);
  cm.out('  Resharding plan:\n');
  for (const item of table) cm.out(`    Moving slot ${item.slot} from ${item.source.name}\n`);
  if (!cm.hasFlag(CMD_FLAG.YES)) {
    cm.out('Do you want to proceed with the proposed reshard plan (yes/no)? ');
    const got = await cm.cli.stdin.read(4);
    if (got.length === 0 || got.slice(0, 3) !== 'yes') return false;
  }
  for (const item of table) {
    const err = { value: null as string | null };
    if (!(await cm.moveSlot(item.source, target, item.slot, OPT.VERBOSE, err))) {
      if (err.value !== null) cm.logErr(`clusterManagerMoveSlot failed: ${err.value}\n`);
      return false;
    }
  }
  return true;
}

export async function commandRebalance(cm: ClusterManager, argv: string[]): Promise<boolean> {
  const host = hostFromArgs(argv);
  if (!host) { cm.err(INVALID_HOST_ARG); return false; }
  const node = new CmNode(host.ip, host.port, 0);
  if (!(await cm.loadInfoFromNode(node))) return false;
  for (const w of cm.cmd.weight ?? []) {
    const eq = w.indexOf('=');
    if (eq < 0) { cm.logErr(`*** invalid input ${w}\n`); return false; }
    const n = cm.nodeByAbbreviatedName(w.slice(0, eq));
    if (n === null) { cm.logErr(`*** No such master node ${w.slice(0, eq)}\n`); return false; }
    n.weight = Math.fround(Number.parseFloat(w.slice(eq + 1)) || 0);
  }
  let totalWeight = 0;
  const useEmpty = cm.hasFlag(CMD_FLAG.EMPTYMASTER);
  const involved: CmNode[] = [];
  for (const n of cm.nodes) {
    if (n.isSlave() || n.replicate !== null) continue;
    if (!useEmpty && n.slotsCount === 0) { n.weight = 0; continue; }
    totalWeight = Math.fround(totalWeight + n.weight);
    involved.push(n);
  }
  await checkCluster(cm, true);
  if (cm.errors.length > 0) {
    cm.logErr('*** Please fix your cluster problems before rebalancing\n');
    return false;
  }
  let thresholdReached = false;
  let totalBalance = 0;
  const threshold = cm.cmd.threshold;
  for (const n of involved) {
    const expected = Math.trunc(Math.fround(Math.fround(CLUSTER_MANAGER_SLOTS / totalWeight) * n.weight));
    n.balance = n.slotsCount - expected;
    totalBalance += n.balance;
    let over = false;
    if (threshold > 0) {
      if (n.slotsCount > 0) {
        const errPerc = Math.abs(100 - (100.0 * expected) / n.slotsCount);
        if (errPerc > threshold) over = true;
      } else if (expected > 1) {
        over = true;
      }
    }
    if (over) thresholdReached = true;
  }
  if (!thresholdReached) {
    cm.logWarn(`*** No rebalancing needed! All nodes are within the ${threshold.toFixed(2)}% threshold.\n`);
    return true;
  }
  // Rounding may leave the balances summing above zero: give the excess to receivers.
  while (totalBalance > 0) {
    for (const n of involved) {
      if (n.balance <= 0 && totalBalance > 0) { n.balance--; totalBalance--; }
    }
  }
  const weighted = [...involved].sort((a, b) => a.balance - b.balance);
  cm.logInfo(`>>> Rebalancing across ${involved.length} nodes. Total weight = ${totalWeight.toFixed(2)}\n`);
  if (cm.cli.config.verbose) for (const n of weighted) cm.out(`${n.ip}:${n.port} balance is ${n.balance} slots\n`);
  let dstIdx = 0;
  let srcIdx = weighted.length - 1;
  const simulate = cm.hasFlag(CMD_FLAG.SIMULATE);
  while (dstIdx < srcIdx) {
    const dst = weighted[dstIdx];
    const src = weighted[srcIdx];
    const numslots = Math.min(Math.abs(dst.balance), Math.abs(src.balance));
    if (numslots > 0) {
      cm.out(`Moving ${numslots} slots from ${src.ip}:${src.port} to ${dst.ip}:${dst.port}\n`);
      const table = computeReshardTable([src], numslots);
      if (table.length !== numslots) {
        cm.logErr('*** Assertion failed: Reshard table != number of slots');
        return false;
      }
      if (simulate) {
        cm.out('#'.repeat(table.length));
      } else {
        for (const item of table) {
          const err = { value: null as string | null };
          if (!(await cm.moveSlot(item.source, dst, item.slot, OPT.QUIET | OPT.UPDATE, err))) {
            cm.logErr(`*** clusterManagerMoveSlot: ${err.value}\n`);
            return false;
          }
          cm.out('#');
        }
      }
      cm.out('\n');
    }
    dst.balance += numslots;
    src.balance -= numslots;
    if (dst.balance === 0) dstIdx++;
    if (src.balance === 0) srcIdx--;
  }
  return true;
}
