/**
 * The stream value's own bookkeeping, checked against independent computations: the listpack
 * size each node keeps incrementally equals the length of the listpack the RDB writer builds
 * from it, and the radix tree node count matches a compressed trie built node by node.
 * (Byte equality with real Redis is the differential suite's job.)
 */
import { describe, it, expect } from 'vitest';
import { RStream, ID_MAX, ID_ZERO, raxNodeCount, streamIdKey, type StreamId } from '../../src/engine/keyspace/stream';
import { streamNodeListpack } from '../../src/engine/persistence/rdb/encoder';
import { rng } from '../support/rng';

/** A compressed trie of 16-byte keys counted the slow way: build the plain trie, then count. */
function trieNodes(keys: string[]): number {
  type Node = Map<number, Node>;
  const root: Node = new Map();
  for (const k of keys) {
    let n = root;
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      if (!n.has(c)) n.set(c, new Map());
      n = n.get(c)!;
    }
  }
  // A leaf is a node, a branching position is a node, and a maximal run of single-child
  // positions is one (compressed) node leading to the next.
  const count = (n: Node): number => {
    if (n.size === 0) return 1;
    if (n.size > 1) {
      let total = 1;
      for (const child of n.values()) total += count(child);
      return total;
    }
    let m = n;
    while (m.size === 1) m = [...m.values()][0];
    return 1 + count(m);
  };
  return count(root);
}

describe('RStream', () => {
  it('keeps each node\'s listpack size equal to the listpack the RDB writer builds', () => {
    const next = rng(42);
    const int = (n: number) => Math.floor(next() * n);
    const s = new RStream();
    let ms = 1n;
    const values = ['1', '-5', '127', '128', '4095', '-4096', '65535', '9223372036854775807', '007', '', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4096)];
    for (let i = 0; i < 3000; i++) {
      ms += BigInt(int(3));
      const fv = int(4) === 0 ? ['a', values[int(values.length)], 'b', values[int(values.length)]] : ['a', values[int(values.length)]];
      const id: StreamId = { ms, seq: BigInt(i) };
      s.append(id, fv, [4096, 200, 0][i % 3], [100, 7, 0][i % 3]);
      if (int(5) === 0) s.deleteEntry({ ms: BigInt(1 + int(Number(ms))), seq: BigInt(int(i + 1)) });
      if (int(50) === 0) s.trim('maxlen', int(200), ID_ZERO, int(2) === 0, 0);
    }
    expect(s.nodes.length).toBeGreaterThan(5);
    for (const n of s.nodes) {
      expect(streamNodeListpack(n).length).toBe(n.bytes);
      expect(n.alloc).toBeGreaterThanOrEqual(n.bytes);
    }
    let count = 0;
    for (const _ of s.range(ID_ZERO, ID_MAX)) count++;
    expect(count).toBe(s.length);
  });

  it('counts radix tree nodes like a compressed trie', () => {
    const next = rng(7);
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(next() * 40);
      const ids = new Set<string>();
      for (let i = 0; i < n; i++) {
        const ms = next() < 0.5 ? BigInt(Math.floor(next() * 1000)) : BigInt(Math.floor(next() * 2 ** 48));
        ids.add(streamIdKey({ ms, seq: BigInt(Math.floor(next() * 300)) }));
      }
      const keys = [...ids].sort();
      expect(raxNodeCount(keys), keys.length + ' keys').toBe(trieNodes(keys));
    }
    expect(raxNodeCount([])).toBe(1);
    expect(raxNodeCount([streamIdKey({ ms: 1n, seq: 0n })])).toBe(2);
  });
});
