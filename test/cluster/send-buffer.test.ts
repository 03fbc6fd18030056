/**
 * A cluster link's buffers as Redis 7.0 sizes them: the send buffer (an sds grown by
 * sdsMakeRoomFor, cut by sdsrange, shrunk by the cron) and the receive buffer (1 KB, grown
 * to twice what a read needs, back to 1 KB after each packet). The differential test
 * (links-differential.test.ts) checks the same sizes on a real redis-server through CLUSTER
 * LINKS and mem_cluster_links; here each rule is exercised on its own.
 */
import { describe, it, expect } from 'vitest';
import { LinkSendBuffer, sdsGreedyAlloc } from '../../src/engine/cluster/send-buffer';
import { ClusterLink } from '../../src/engine/cluster/link';
import type { Socket } from '../../src/engine/os';

const bytes = (n: number, fill = 0x61) => new Uint8Array(n).fill(fill);

describe('LinkSendBuffer', () => {
  it('starts as sdsempty(): nothing queued, 4 bytes allocated', () => {
    const b = new LinkSendBuffer();
    expect([b.length, b.allocated]).toEqual([0, 4]);
  });

  it('grows greedily into jemalloc size classes, with the header the doubled length needs', () => {
    // 2271 (a PUBLISH of "hello"): 4542 wanted, 5-byte header, 4548 → 5120-byte class.
    expect(sdsGreedyAlloc(2271)).toBe(5120 - 5 - 1);
    // 100: 200 fits a 3-byte header, 204 → 224.
    expect(sdsGreedyAlloc(100)).toBe(224 - 3 - 1);
    // 120: 244 → the 256 class. 127: 258 → the 320 class, but a type-8 header cannot say
    // more than 255.
    expect(sdsGreedyAlloc(120)).toBe(256 - 3 - 1);
    expect(sdsGreedyAlloc(127)).toBe(255);
    // 128 KB + a header: 266672 wanted, 9-byte header → the 327680 class.
    expect(sdsGreedyAlloc(131072 + 2264)).toBe(327680 - 9 - 1);
    // From 1 MB on, 1 MB more instead of doubling.
    const big = 1200 * 1024;
    const want = big + 1024 * 1024;
    expect(sdsGreedyAlloc(big)).toBeGreaterThanOrEqual(want);
    expect(sdsGreedyAlloc(big)).toBeLessThan(want * 1.25);
  });

  it('appends without growing while the free space suffices; sdsrange keeps the allocation', () => {
    const b = new LinkSendBuffer();
    b.append(bytes(2271));
    expect([b.length, b.allocated]).toEqual([2271, 5114]);
    b.append(bytes(2271));
    expect([b.length, b.allocated]).toEqual([4542, 5114]);
    b.append(bytes(2995));
    expect([b.length, b.allocated]).toEqual([7537, 16384 - 5 - 1]);
    b.consume(7537);
    expect([b.length, b.allocated]).toEqual([0, 16378]);
  });

  it('the cron gives the space back only when it is more than four times what is queued', () => {
    const b = new LinkSendBuffer();
    b.append(bytes(2271));
    b.consume(1000);
    b.shrinkIfWasteful();
    // (5114 - 1271) / 4 = 960 < 1271: kept.
    expect([b.length, b.allocated]).toEqual([1271, 5114]);
    b.consume(300);
    b.shrinkIfWasteful();
    // (5114 - 971) / 4 = 1035 > 971: down to the length.
    expect([b.length, b.allocated]).toEqual([971, 971]);
    b.consume(971);
    b.shrinkIfWasteful();
    expect([b.length, b.allocated]).toEqual([0, 0]);
    // A fresh buffer's 4 bytes go too.
    const fresh = new LinkSendBuffer();
    fresh.shrinkIfWasteful();
    expect(fresh.allocated).toBe(0);
  });

  it('hands out the queued bytes in order across packets', () => {
    const b = new LinkSendBuffer();
    b.append(bytes(3, 1));
    b.append(bytes(4, 2));
    b.append(bytes(2, 3));
    expect([...b.peek(5)]).toEqual([1, 1, 1, 2, 2]);
    b.consume(2);
    expect([...b.peek(100)]).toEqual([1, 2, 2, 2, 2, 3, 3]);
    b.consume(5);
    expect([...b.peek(100)]).toEqual([3, 3]);
    b.consume(2);
    expect(b.length).toBe(0);
    expect(b.peek(10).length).toBe(0);
  });
});

describe('ClusterLink memory (getClusterLinkMemUsage)', () => {
  const socket = {} as Socket;
  /** A packet of `len` bytes: the "RCmb" signature and the length, then filler. */
  function packet(len: number): Uint8Array {
    const p = new Uint8Array(len);
    p.set([0x52, 0x43, 0x6d, 0x62]);
    new DataView(p.buffer).setUint32(4, len);
    return p;
  }

  it('struct + send buffer + a 1 KB receive buffer that grows for a big packet and shrinks after it', () => {
    const link = new ClusterLink(socket, null, true, 0);
    expect(link.memoryBytes()).toBe(64 + 4 + 1024);
    const p = packet(5266);
    const got: number[] = [];
    // 3000 bytes arrive: 8 read first, then 2992 that do not fit the 1016 left → 2 × 3000.
    expect(link.feed(p.subarray(0, 3000), (x) => { got.push(x.length); return true; })).toBe(true);
    expect(link.memoryBytes()).toBe(64 + 4 + 6000);
    // The rest: 2266 fits in the 3000 free; the packet is processed and the buffer reset.
    expect(link.feed(p.subarray(3000), (x) => { got.push(x.length); return true; })).toBe(true);
    expect(got).toEqual([5266]);
    expect(link.memoryBytes()).toBe(64 + 4 + 1024);
  });

  it('reads at most sizeof(clusterMsg) at once, so a big packet grows the buffer in steps', () => {
    const link = new ClusterLink(socket, null, true, 0);
    const p = packet(20000);
    // 8, then 4352 (→ 2 × 4360 = 8720), then 4352 more (8712 needed: fits), then 4352
    // (13064 > 8720 → 26128): 13064 bytes of 20000 read when the chunk ends.
    link.feed(p.subarray(0, 13064), () => true);
    expect(link.memoryBytes()).toBe(64 + 4 + 26128);
    link.feed(p.subarray(13064), () => true);
    expect(link.memoryBytes()).toBe(64 + 4 + 1024);
  });

  it('a bad signature is refused', () => {
    const link = new ClusterLink(socket, null, true, 0);
    expect(link.feed(new Uint8Array(16), () => true)).toBe(false);
  });
});
