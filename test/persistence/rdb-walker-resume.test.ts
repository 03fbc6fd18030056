/**
 * The RDB walker fed as the bytes arrive (a diskless replica's rdbLoadRio on its socket):
 * cut anywhere, it reports each record once, when the record is complete, in the same order
 * and with the same values as one walk over the whole image; a record cut short waits for the
 * rest instead of failing, and the image cut short fails only when told there is no more,
 * with the error the whole walk gives.
 */
import { describe, it, expect } from 'vitest';
import { RdbReader, DEFAULT_LIMITS } from '../../src/engine/persistence/rdb/decoder';
import { RdbWalker, walkRdb, type RdbEvents } from '../../src/engine/persistence/rdb/file-reader';
import { OP } from '../../src/engine/persistence/rdb/format';
import { craftRdb, streamId, streamNodeListpack, writeStream } from '../support/rdb-craft';

const OPTS = { limits: DEFAULT_LIMITS, deep: false, checkMode: false, verifyChecksum: true };

/** A value as its kind and size (a stream's parts refer to each other). */
function summary(v: unknown): string {
  if (typeof v === 'string') return `string:${v.length}`;
  const o = v as { type?: string; size?: number; length?: number };
  return `${o.type ?? (o as object).constructor.name}:${o.size ?? o.length ?? ''}`;
}

/** Every event as a line. */
function recorder(): { ev: RdbEvents; lines: string[] } {
  const lines: string[] = [];
  const ev: RdbEvents = {
    aux: (k, v) => lines.push(`aux ${k}=${v}`),
    selectDb: (id) => lines.push(`select ${id}`),
    resizeDb: (a, b) => lines.push(`resize ${a} ${b}`),
    functionLibrary: (p) => lines.push(`function ${p.length}`),
    key: (k, v, exp, idle, freq) => lines.push(`key ${k} ${summary(v)} ${exp} ${idle} ${freq}`),
  };
  return { ev, lines };
}

const image = craftRdb((w) => {
  w.byte(OP.AUX); w.string('redis-ver'); w.string('7.0.15');
  w.byte(OP.AUX); w.string('used-mem'); w.string('123456');
  w.byte(OP.FUNCTION2); w.string("#!lua name=lib\nredis.register_function('f', function() return 1 end)");
  w.byte(OP.SELECTDB); w.length(0);
  w.byte(OP.RESIZEDB); w.length(300); w.length(1);
  for (let i = 0; i < 300; i++) {
    if (i === 7) { w.byte(OP.EXPIRETIME_MS); w.millis(4_000_000_000_000); }
    if (i === 9) { w.byte(OP.IDLE); w.length(42); }
    w.byte(0); w.string(`key:${i}`); w.string('v'.repeat((i * 37) % 700));
  }
  // A set as a hashtable, and a stream with a group.
  w.byte(2); w.string('set'); w.length(50); for (let i = 0; i < 50; i++) w.string(`member-${i}`);
  writeStream(w, 'st', {
    nodes: [{ key: streamId(1), lp: streamNodeListpack([1, 2]) }], length: 2,
    groups: [{ name: 'g', pel: [streamId(1)], consumers: [{ name: 'c', pel: [streamId(1)] }] }],
  });
  w.byte(OP.SELECTDB); w.length(3);
  w.byte(0); w.string('big'); w.string('B'.repeat(100_000));
});

/** A seeded LCG: the same cuts every run. */
function cuts(seed: number, total: number): number[] {
  let x = seed;
  const out: number[] = [];
  let at = 0;
  while (at < total) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    at = Math.min(total, at + 1 + (x % 3000));
    out.push(at);
  }
  return out;
}

describe('RdbWalker fed in pieces', () => {
  const whole = recorder();
  walkRdb(new RdbReader(image), whole.ev, OPTS);

  it('reports every record once, in order, wherever the bytes are cut', () => {
    expect(whole.lines.length).toBe(2 + 1 + 1 + 1 + 300 + 2 + 1 + 1);
    for (let seed = 1; seed <= 12; seed++) {
      const fed = recorder();
      const walker = new RdbWalker(fed.ev, OPTS);
      let pos = 0;
      let result: string = 'more';
      for (const end of cuts(seed, image.length)) {
        const r = new RdbReader(image.subarray(0, end), pos);
        result = walker.walk(r, false);
        pos = r.pos;
        // Only complete records were reported: a prefix of the whole walk.
        expect(fed.lines).toEqual(whole.lines.slice(0, fed.lines.length));
        if (result !== 'more') break;
      }
      expect(result).toBe('ok');
      expect(fed.lines).toEqual(whole.lines);
    }
  });

  it('stops after the record that reaches stopAt', () => {
    const fed = recorder();
    const walker = new RdbWalker(fed.ev, OPTS);
    const r = new RdbReader(image);
    expect(walker.walk(r, false, 2000)).toBe('more');
    expect(r.pos).toBeGreaterThanOrEqual(2000);
    expect(r.pos).toBeLessThan(2000 + 800);
    const n = fed.lines.length;
    expect(walker.walk(r, false)).toBe('ok');
    expect(fed.lines.length).toBeGreaterThan(n);
    expect(fed.lines).toEqual(whole.lines);
  });

  it('an image cut short waits for more, and fails like the whole walk when there is none', () => {
    const cut = image.subarray(0, image.length - 50_000);
    const fed = recorder();
    const walker = new RdbWalker(fed.ev, OPTS);
    const r = new RdbReader(cut);
    expect(walker.walk(r, false)).toBe('more');
    let wholeError: unknown;
    try { walkRdb(new RdbReader(cut), recorder().ev, OPTS); } catch (e) { wholeError = e; }
    expect(wholeError).toBeDefined();
    expect(() => walker.walk(new RdbReader(cut, r.pos), true)).toThrow((wholeError as Error).message);
    expect(fed.lines).toEqual(whole.lines.slice(0, -1));
  });
});
