/**
 * `--cluster check` and `--cluster fix` (clusterManagerCheckCluster and the fix functions):
 *
 * 1. Do all nodes agree about which node serves which slots (config signatures)?
 * 2. Open slots: any node with slots in migrating or importing state is reported; `fix`
 *    closes them (finish the move when one node migrates and one imports, move the keys to
 *    the owner when only importers exist, or just close a migration that has no keys left).
 * 3. Coverage: every slot must be served. `fix` assigns uncovered slots: to a random master
 *    when no node has keys for them, to the node holding the keys, or to the node with the
 *    most keys after moving the others' keys there.
 * 4. With --cluster-search-multiple-owners, slots claimed (or holding keys) on several masters.
 */
import { ClusterManager, CMD_FLAG, CLUSTER_MANAGER_SLOTS, OPT, atoi, type CmNode } from './manager';

/** clusterManagerGetNodeWithMostKeysInSlot. */
async function nodeWithMostKeys(cm: ClusterManager, nodes: CmNode[], slot: number): Promise<CmNode | null> {
  let node: CmNode | null = null;
  let numkeys = 0;
  for (const n of nodes) {
    if (n.isSlave() || n.replicate !== null) continue;
    const r = await cm.command(n, ['CLUSTER', 'COUNTKEYSINSLOT', String(slot)]);
    const err = { value: null as string | null };
    if (!cm.checkReply(n, r, err)) {
      if (err.value !== null) cm.printReplyError(n, err.value);
      return null;
    }
    const count = r.type === 'integer' ? Number(r.integer) : 0;
    if (count > numkeys || node === null) {
      numkeys = count;
      node = n;
    }
  }
  return node;
}

function masterRandom(cm: ClusterManager): CmNode {
  const masters = cm.nodes.filter((n) => !n.isSlave());
  return masters[Math.floor(cm.cli.os.random() * masters.length)];
}

function printSlotsList(cm: ClusterManager, slots: number[]): void {
  const bitmap = new Uint8Array(CLUSTER_MANAGER_SLOTS);
  for (const s of slots) bitmap[s] = 1;
  cm.out(`${ClusterManager.slotsString(bitmap)}\n`);
}

function refuseWithUnreachableMasters(cm: ClusterManager, what: string): void {
  cm.logWarn(`*** Fixing ${what} with ${cm.unreachableMasters} unreachable masters is dangerous: redis-cli will assume that slots about masters that are not reachable are not covered, and will try to reassign them to the reachable nodes. This can cause data loss and is rarely what you want to do. If you really want to proceed use the --cluster-fix-with-unreachable-masters option.\n`);
}

/** exit(code) from deep inside a subcommand (the entry point turns it into the exit status). */
export class ExitRequest extends Error {
  constructor(readonly code: number) { super('exit'); }
}

/** clusterManagerFixSlotsCoverage: returns the number of slots fixed, -1 on error. */
async function fixSlotsCoverage(cm: ClusterManager, allSlots: Uint8Array): Promise<number> {
  if (cm.unreachableMasters > 0 && !cm.hasFlag(CMD_FLAG.FIX_WITH_UNREACHABLE_MASTERS)) {
    refuseWithUnreachableMasters(cm, 'slots coverage');
    throw new ExitRequest(1);
  }
  let fixed = 0;
  cm.logInfo('>>> Fixing slots coverage...\n');
  const uncovered = new Map<number, CmNode[]>();
  for (let i = 0; i < CLUSTER_MANAGER_SLOTS; i++) {
    if (allSlots[i]) continue;
    const slotNodes: CmNode[] = [];
    for (const n of cm.nodes) {
      if (n.isSlave() || n.replicate !== null) continue;
      const reply = await cm.command(n, ['CLUSTER', 'GETKEYSINSLOT', String(i), '1']);
      if (!cm.checkReply(n, reply)) return -1;
      if ('element' in reply && reply.element.length > 0) slotNodes.push(n);
    }
    uncovered.set(i, slotNodes);
  }
  const none: number[] = [], single: number[] = [], multi: number[] = [];
  for (const [slot, nodes] of uncovered) {
    if (nodes.length === 0) none.push(slot);
    else if (nodes.length === 1) single.push(slot);
    else multi.push(slot);
  }
  if (none.length > 0) {
    cm.out('The following uncovered slots have no keys across the cluster:\n');
    printSlotsList(cm, none);
    if (await cm.confirmWithYes('Fix these slots by covering with a random node?', true)) {
      for (const s of none) {
        const n = masterRandom(cm);
        cm.logInfo(`>>> Covering slot ${s} with ${n.ip}:${n.port}\n`);
        if (!(await cm.setSlotOwner(n, s, false))) return -1;
        n.slots[s] = 1;
        fixed++;
      }
    }
  }
  if (single.length > 0) {
    cm.out('The following uncovered slots have keys in just one node:\n');
    printSlotsList(cm, single);
    if (await cm.confirmWithYes('Fix these slots by covering with those nodes?', true)) {
      for (const s of single) {
        const n = uncovered.get(s)![0];
        cm.logInfo(`>>> Covering slot ${s} with ${n.ip}:${n.port}\n`);
        if (!(await cm.setSlotOwner(n, s, false))) return -1;
        n.slots[s] = 1;
        fixed++;
      }
    }
  }
  if (multi.length > 0) {
    cm.out('The following uncovered slots have keys in multiple nodes:\n');
    printSlotsList(cm, multi);
    if (await cm.confirmWithYes('Fix these slots by moving keys into a single node?', true)) {
      for (const s of multi) {
        const nodes = uncovered.get(s)!;
        const target = await nodeWithMostKeys(cm, nodes, s);
        if (target === null) return -1;
        cm.logInfo(`>>> Covering slot ${s} moving keys to ${target.ip}:${target.port}\n`);
        if (!(await cm.setSlotOwner(target, s, true))) return -1;
        target.slots[s] = 1;
        for (const src of nodes) {
          if (src === target) continue;
          if (!(await cm.setSlot(src, target, s, 'NODE'))) return -1;
          // Importing (though keys leave) so that MIGRATE is not redirected.
          if (!(await cm.setSlot(src, target, s, 'IMPORTING'))) return -1;
          if (!(await cm.moveSlot(src, target, s, OPT.VERBOSE | OPT.COLD, null))) return -1;
          if (!(await cm.clearSlotStatus(src, s))) return -1;
        }
        fixed++;
      }
    }
  }
  return fixed;
}

/** clusterManagerFixOpenSlot. */
async function fixOpenSlot(cm: ClusterManager, slot: number): Promise<boolean> {
  if (cm.unreachableMasters > 0 && !cm.hasFlag(CMD_FLAG.FIX_WITH_UNREACHABLE_MASTERS)) {
    refuseWithUnreachableMasters(cm, 'open slots');
    throw new ExitRequest(1);
  }
  cm.logInfo(`>>> Fixing open slot ${slot}\n`);
  const owners: CmNode[] = [];
  for (const n of cm.nodes) {
    if (n.isSlave()) continue;
    if (n.slots[slot]) {
      owners.push(n);
    } else {
      const r = await cm.command(n, ['CLUSTER', 'COUNTKEYSINSLOT', String(slot)]);
      if (!cm.checkReply(n, r)) return false;
      if (r.type === 'integer' && r.integer > 0n) {
        cm.logWarn(`*** Found keys about slot ${slot} in non-owner node ${n.ip}:${n.port}!\n`);
        owners.push(n);
      }
    }
  }
  let owner: CmNode | null = owners.length === 1 ? owners[0] : null;
  let migrating: CmNode[] = [];
  let importing: CmNode[] = [];
  const migratingStr: string[] = [];
  const importingStr: string[] = [];
  for (const n of cm.nodes) {
    if (n.isSlave()) continue;
    let isMigrating = false, isImporting = false;
    if (n.migrating.some(([s]) => atoi(s) === slot)) {
      migratingStr.push(`${n.ip}:${n.port}`);
      migrating.push(n);
      isMigrating = true;
    }
    if (!isMigrating && n.importing.some(([s]) => atoi(s) === slot)) {
      importingStr.push(`${n.ip}:${n.port}`);
      importing.push(n);
      isImporting = true;
    }
    if (!isMigrating && !isImporting && n !== owner) {
      const r = await cm.command(n, ['CLUSTER', 'COUNTKEYSINSLOT', String(slot)]);
      if (!cm.checkReply(n, r)) return false;
      if (r.type === 'integer' && r.integer > 0n) {
        cm.logWarn(`*** Found keys about slot ${slot} in node ${n.ip}:${n.port}!\n`);
        importingStr.push(`${n.ip}:${n.port}`);
        importing.push(n);
      }
    }
  }
  if (migratingStr.length) cm.out(`Set as migrating in: ${migratingStr.join(',')}\n`);
  if (importingStr.length) cm.out(`Set as importing in: ${importingStr.join(',')}\n`);

  if (owner === null) {
    cm.logInfo('>>> No single clear owner for the slot, selecting an owner by # of keys...\n');
    owner = await nodeWithMostKeys(cm, cm.nodes, slot);
    if (owner === null) {
      cm.logErr("[ERR] Can't select a slot owner. Impossible to fix.\n");
      return false;
    }
    cm.logWarn(`*** Configuring ${owner.ip}:${owner.port} as the slot owner\n`);
    if (!(await cm.clearSlotStatus(owner, slot))) return false;
    if (!(await cm.setSlotOwner(owner, slot, false))) return false;
    owner.slots[slot] = 1;
    migrating = migrating.filter((n) => n !== owner);
    importing = importing.filter((n) => n !== owner);
  }
  if (owners.length > 1) {
    for (const n of owners) {
      if (n === owner) continue;
      if (!(await cm.delSlot(n, slot, true))) return false;
      n.slots[slot] = 0;
      if (!(await cm.setSlot(n, owner, slot, 'node'))) return false;
      if (!(await cm.setSlot(n, owner, slot, 'importing'))) return false;
      importing = importing.filter((x) => x !== n);
      importing.push(n);
      migrating = migrating.filter((x) => x !== n);
    }
  }
  let moveOpts = OPT.VERBOSE;
  if (migrating.length === 1 && importing.length === 1) {
    const src = migrating[0], dst = importing[0];
    cm.logInfo(`>>> Case 1: Moving slot ${slot} from ${src.ip}:${src.port} to ${dst.ip}:${dst.port}\n`);
    moveOpts |= OPT.UPDATE;
    return cm.moveSlot(src, dst, slot, moveOpts, null);
  }
  if (migrating.length === 0 && importing.length > 0) {
    cm.logInfo(`>>> Case 2: Moving all the ${slot} slot keys to its owner ${owner.ip}:${owner.port}\n`);
    moveOpts |= OPT.COLD;
    for (const n of importing) {
      if (n === owner) continue;
      if (!(await cm.moveSlot(n, owner, slot, moveOpts, null))) return false;
      cm.logInfo(`>>> Setting ${slot} as STABLE in ${n.ip}:${n.port}\n`);
      if (!(await cm.clearSlotStatus(n, slot))) return false;
    }
    for (const n of cm.nodes) {
      if (n === owner || n.isSlave()) continue;
      if (!(await cm.setSlot(n, owner, slot, 'NODE'))) return false;
    }
    return true;
  }
  const unhandled = () => {
    cm.logErr(`[ERR] Sorry, redis-cli can't fix this slot yet (work in progress). Slot is set as migrating in ${migratingStr.join(',')}, as importing in ${importingStr.join(',')}, owner is ${owner!.ip}:${owner!.port}\n`);
    return false;
  };
  if (migrating.length === 1 && importing.length > 1) {
    const src = migrating[0];
    const targetId = src.migrating.find(([s]) => atoi(s) === slot)![1];
    let dst: CmNode | null = null;
    for (const n of importing) {
      if ((await cm.countKeysInSlot(n, slot)) > 0) return unhandled();
      if (n.name === targetId) dst = n;
    }
    if (dst !== null) {
      cm.logInfo(`>>> Case 3: Moving slot ${slot} from ${src.ip}:${src.port} to ${dst.ip}:${dst.port} and closing it on all the other importing nodes.\n`);
      if (!(await cm.moveSlot(src, dst, slot, moveOpts, null))) return false;
      for (const n of importing) {
        if (n === dst) continue;
        if (!(await cm.clearSlotStatus(n, slot))) return false;
      }
    } else {
      cm.logInfo(`>>> Case 3: Closing slot ${slot} on both migrating and importing nodes.\n`);
      if (!(await cm.clearSlotStatus(src, slot))) return false;
      for (const n of importing) if (!(await cm.clearSlotStatus(n, slot))) return false;
    }
    return true;
  }
  let tryToClose = importing.length === 0 && migrating.length === 1;
  if (tryToClose) {
    const n = migrating[0];
    if (!owner || owner !== n) {
      const r = await cm.command(n, ['CLUSTER', 'GETKEYSINSLOT', String(slot), '10']);
      if (!cm.checkReply(n, r)) return false;
      tryToClose = 'element' in r && r.element.length === 0;
    }
  }
  if (tryToClose) {
    const n = migrating[0];
    cm.logInfo(`>>> Case 4: Closing slot ${slot} on ${n.ip}:${n.port}\n`);
    return cm.checkReply(n, await cm.command(n, ['CLUSTER', 'SETSLOT', String(slot), 'STABLE']));
  }
  return unhandled();
}

/** clusterManagerFixMultipleSlotOwners. */
async function fixMultipleSlotOwners(cm: ClusterManager, slot: number, owners: CmNode[]): Promise<boolean> {
  cm.logInfo(`>>> Fixing multiple owners for slot ${slot}...\n`);
  const owner = (await nodeWithMostKeys(cm, owners, slot)) ?? owners[0];
  cm.logInfo(`>>> Setting slot ${slot} owner: ${owner.ip}:${owner.port}\n`);
  if (!(await cm.setSlotOwner(owner, slot, false))) return false;
  let success = false;
  for (const n of cm.nodes) {
    if (n === owner || n.isSlave()) continue;
    const count = await cm.countKeysInSlot(n, slot);
    success = count >= 0;
    if (!success) break;
    await cm.delSlot(n, slot, true);
    if (!(await cm.setSlot(n, owner, slot, 'node'))) return false;
    if (count > 0) {
      success = await cm.moveSlot(n, owner, slot, OPT.VERBOSE | OPT.COLD, null);
      if (!success) break;
    }
  }
  return success;
}

/** clusterManagerCheckCluster. */
export async function checkCluster(cm: ClusterManager, quiet: boolean): Promise<boolean> {
  const node = cm.nodes[0];
  if (!node) return false;
  cm.logInfo(`>>> Performing Cluster Check (using node ${node.ip}:${node.port})\n`);
  let result = true;
  const doFix = cm.hasFlag(CMD_FLAG.FIX);
  if (!quiet) cm.showNodes();
  if (!(await cm.isConfigConsistent())) {
    cm.onError("[ERR] Nodes don't agree about configuration!");
    result = false;
  } else {
    cm.logOk('[OK] All nodes agree about slots configuration.\n');
  }
  cm.logInfo('>>> Check for open slots...\n');
  let openSlots: Map<string, string> | null = null;
  for (const n of cm.nodes) {
    if (n.migrating.length) {
      openSlots ??= new Map();
      for (const [slot, dst] of n.migrating) openSlots.set(slot, dst);
      cm.onError(`[WARNING] Node ${n.ip}:${n.port} has slots in migrating state ${n.migrating.map(([s]) => s).join(',')}.`);
    }
    if (n.importing.length) {
      openSlots ??= new Map();
      for (const [slot, src] of n.importing) openSlots.set(slot, src);
      cm.onError(`[WARNING] Node ${n.ip}:${n.port} has slots in importing state ${n.importing.map(([s]) => s).join(',')}.`);
    }
  }
  if (openSlots !== null) {
    result = false;
    cm.logErr(`[WARNING] The following slots are open: ${[...openSlots.keys()].join(',')}.\n`);
    if (doFix) {
      for (const slot of openSlots.keys()) {
        result = await fixOpenSlot(cm, atoi(slot));
        if (!result) break;
      }
    }
  }
  cm.logInfo('>>> Check slots coverage...\n');
  const slots = new Uint8Array(CLUSTER_MANAGER_SLOTS);
  let coverage = 0;
  for (const n of cm.nodes) {
    for (let i = 0; i < CLUSTER_MANAGER_SLOTS; i++) {
      if (n.slots[i] && !slots[i]) { slots[i] = 1; coverage++; }
    }
  }
  if (coverage === CLUSTER_MANAGER_SLOTS) {
    cm.logOk(`[OK] All ${CLUSTER_MANAGER_SLOTS} slots covered.\n`);
  } else {
    cm.onError(`[ERR] Not all ${CLUSTER_MANAGER_SLOTS} slots are covered by nodes.\n`);
    result = false;
    if (doFix) {
      const fixed = await fixSlotsCoverage(cm, slots);
      if (fixed > 0) result = true;
    }
  }
  if (cm.hasFlag(CMD_FLAG.CHECK_OWNERS)) {
    cm.logInfo('>>> Check for multiple slot owners...\n');
    let withMultiple = 0;
    for (let slot = 0; slot < CLUSTER_MANAGER_SLOTS; slot++) {
      const owners: CmNode[] = [];
      for (const n of cm.nodes) {
        if (n.isSlave()) continue;
        if (n.slots[slot]) owners.push(n);
        else if ((await cm.countKeysInSlot(n, slot)) > 0) owners.push(n);
      }
      if (owners.length > 1) {
        result = false;
        cm.logErr(`[WARNING] Slot ${slot} has ${owners.length} owners:\n`);
        for (const n of owners) cm.logErr(`    ${n.ip}:${n.port}\n`);
        withMultiple++;
        if (doFix) {
          result = await fixMultipleSlotOwners(cm, slot, owners);
          if (!result) {
            cm.logErr(`Failed to fix multiple owners for slot ${slot}\n`);
            break;
          }
          withMultiple--;
        }
      }
    }
    if (withMultiple === 0) cm.logOk('[OK] No multiple owners found.\n');
  }
  return result;
}

