/**
 * The slots this node is moving, each with the node on the other side: the slots it migrates
 * to another node (clusterState.migrating_slots_to) or imports from one (importing_slots_from).
 *
 * Redis keeps both as 16384-entry arrays and scans them whole to print the "myself" line of
 * nodes.conf, which it saves on every change: during a reshard, that is two full scans on every
 * node for every slot moved. Only a handful of slots are open at once, so a map, whose slots
 * are listed in order when printed, holds the same table without the scans.
 */
import type { ClusterNode } from './node';

export class OpenSlots {
  private readonly bySlot = new Map<number, ClusterNode>();

  /** The node on the other side of `slot`'s move, or null when the slot is not moving. */
  get(slot: number): ClusterNode | null {
    return this.bySlot.get(slot) ?? null;
  }

  /** Open `slot` with `node`, or close it (null). */
  set(slot: number, node: ClusterNode | null): void {
    if (node) this.bySlot.set(slot, node);
    else this.bySlot.delete(slot);
  }

  clear(): void {
    this.bySlot.clear();
  }

  /** Close every slot moving to or from `node` (it is being forgotten). */
  closeWith(node: ClusterNode): void {
    for (const [slot, n] of this.bySlot) if (n === node) this.bySlot.delete(slot);
  }

  /** The open slots, ascending. */
  slots(): number[] {
    return [...this.bySlot.keys()].sort((a, b) => a - b);
  }
}
