import { describe, it, expect } from 'vitest';
import { RList } from '../../src/engine/keyspace/values';
import { rng } from '../support/rng';

describe('RList ring-buffer deque', () => {
  it('pushes and pops at both ends', () => {
    const l = new RList();
    l.pushTail('b'); l.pushTail('c'); l.pushHead('a');
    expect(l.toArray()).toEqual(['a', 'b', 'c']);
    expect(l.popHead()).toBe('a');
    expect(l.popTail()).toBe('c');
    expect(l.popTail()).toBe('b');
    expect(l.popTail()).toBeUndefined();
    expect(l.popHead()).toBeUndefined();
    expect(l.length).toBe(0);
  });

  it('indexes in O(1) across wrap-around and growth', () => {
    const l = new RList();
    for (let i = 0; i < 100; i++) { if (i % 2) l.pushHead(`h${i}`); else l.pushTail(`t${i}`); }
    const model: string[] = [];
    for (let i = 0; i < 100; i++) { if (i % 2) model.unshift(`h${i}`); else model.push(`t${i}`); }
    expect(l.length).toBe(100);
    for (let i = 0; i < 100; i++) expect(l.get(i)).toBe(model[i]);
    expect(l.range(10, 20)).toEqual(model.slice(10, 21));
    expect([...l]).toEqual(model);
  });

  it('insertAt/removeAt shift the shorter side and keep order', () => {
    const l = new RList(['a', 'b', 'c', 'd', 'e']);
    l.insertAt(1, 'x'); // near head
    l.insertAt(5, 'y'); // near tail
    l.insertAt(0, 'first');
    l.insertAt(l.length, 'last');
    expect(l.toArray()).toEqual(['first', 'a', 'x', 'b', 'c', 'd', 'y', 'e', 'last']);
    l.removeAt(2);
    l.removeAt(5);
    l.removeAt(0);
    l.removeAt(l.length - 1);
    expect(l.toArray()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('removeMatching honours limit and direction', () => {
    const mk = () => new RList(['x', 'a', 'x', 'b', 'x', 'c', 'x']);
    let l = mk();
    expect(l.removeMatching('x', 2, false)).toBe(2);
    expect(l.toArray()).toEqual(['a', 'b', 'x', 'c', 'x']);
    l = mk();
    expect(l.removeMatching('x', 2, true)).toBe(2);
    expect(l.toArray()).toEqual(['x', 'a', 'x', 'b', 'c']);
    l = mk();
    expect(l.removeMatching('x', 0, true)).toBe(4);
    expect(l.toArray()).toEqual(['a', 'b', 'c']);
    expect(l.removeMatching('zz', 0, false)).toBe(0);
    expect(l.toArray()).toEqual(['a', 'b', 'c']);
  });

  it('removeHead/removeTail trim and the buffer shrinks back', () => {
    const l = new RList();
    for (let i = 0; i < 10000; i++) l.pushTail(String(i));
    l.removeHead(4000);
    l.removeTail(5990);
    expect(l.toArray()).toEqual(['4000', '4001', '4002', '4003', '4004', '4005', '4006', '4007', '4008', '4009']);
    // Capacity is private; check behaviour after shrinking still matches a model.
    l.pushHead('h'); l.pushTail('t');
    expect(l.get(0)).toBe('h');
    expect(l.get(l.length - 1)).toBe('t');
    expect((l as unknown as { buf: unknown[] }).buf.length).toBeLessThanOrEqual(64);
  });

  it('matches an array model under random operations', () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const r = rng(seed);
      const l = new RList();
      const m: string[] = [];
      for (let step = 0; step < 4000; step++) {
        const op = Math.floor(r() * 10);
        const v = String(Math.floor(r() * 6));
        switch (op) {
          case 0: l.pushHead(v); m.unshift(v); break;
          case 1: case 2: l.pushTail(v); m.push(v); break;
          case 3: expect(l.popHead()).toBe(m.shift()); break;
          case 4: expect(l.popTail()).toBe(m.pop()); break;
          case 5: { const i = Math.floor(r() * (m.length + 1)); l.insertAt(i, v); m.splice(i, 0, v); break; }
          case 6: if (m.length) { const i = Math.floor(r() * m.length); l.removeAt(i); m.splice(i, 1); } break;
          case 7: {
            const limit = Math.floor(r() * 3), fromTail = r() < 0.5;
            let removed = 0;
            if (fromTail) {
              for (let i = m.length - 1; i >= 0; i--) if (m[i] === v && (limit === 0 || removed < limit)) { m.splice(i, 1); removed++; }
            } else {
              for (let i = 0; i < m.length;) if (m[i] === v && (limit === 0 || removed < limit)) { m.splice(i, 1); removed++; } else i++;
            }
            expect(l.removeMatching(v, limit, fromTail)).toBe(removed);
            break;
          }
          case 8: { const n = Math.floor(r() * 3); l.removeHead(n); m.splice(0, n); break; }
          case 9: if (m.length) { const i = Math.floor(r() * m.length); l.set(i, v); m[i] = v; } break;
        }
        expect(l.length).toBe(m.length);
      }
      expect(l.toArray()).toEqual(m);
      expect(l.indexOf('3')).toBe(m.indexOf('3'));
    }
  });
});
