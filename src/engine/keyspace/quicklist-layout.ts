/**
 * How Redis 7.0 would split a list into quicklist nodes, without building them.
 *
 * This engine keeps a list as one sequence; Redis keeps a quicklist, a linked list of listpack
 * nodes. Where the node boundaries show (the RDB and DUMP encodings, DEBUG OBJECT's ql_* fields,
 * lazy freeing's effort), we use the layout a list gets when it is built by pushes at the tail,
 * the way an RDB load builds it: a node takes the next element while quicklist.c's
 * _quicklistNodeAllowInsert allows it, and an element of at least `packedThreshold` bytes gets
 * a PLAIN node of its own.
 */
import type { RList } from './values';
import { listpackEntryBytes, LISTPACK_EMPTY_BYTES } from '../persistence/rdb/listpack';

/** optimization_level in quicklist.c: node byte limits for fill -1..-5. */
const NODE_SIZE_LEVELS = [4096, 8192, 16384, 32768, 65536];
/** A node never grows past this many bytes when the fill is an element count. */
const SIZE_SAFETY_LIMIT = 8192;
/** quicklist.c's allowance for the entry's header and backlen when it estimates a new size. */
const SIZE_ESTIMATE_OVERHEAD = 8;

/** One quicklist node: its first element's index, element count and size in bytes (node->sz). */
export interface QuicklistNode { start: number; count: number; bytes: number; plain: boolean }

export function quicklistLayout(l: RList, fill: number, packedThreshold = 1 << 30): QuicklistNode[] {
  const nodes: QuicklistNode[] = [];
  let cur: QuicklistNode | null = null;
  for (let i = 0; i < l.length; i++) {
    const item = l.get(i);
    if (item.length >= packedThreshold) {
      nodes.push({ start: i, count: 1, bytes: item.length, plain: true });
      cur = null;
      continue;
    }
    if (!cur || !nodeAllowsInsert(cur, fill, item.length)) {
      cur = { start: i, count: 0, bytes: LISTPACK_EMPTY_BYTES, plain: false };
      nodes.push(cur);
    }
    cur.bytes += listpackEntryBytes(item);
    cur.count++;
  }
  return nodes;
}

function nodeAllowsInsert(node: QuicklistNode, fill: number, itemBytes: number): boolean {
  const newBytes = node.bytes + itemBytes + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) {
    const level = NODE_SIZE_LEVELS[-fill - 1];
    if (level !== undefined && newBytes <= level) return true;
  }
  if (newBytes > SIZE_SAFETY_LIMIT) return false;
  return node.count < fill;
}
