/**
 * Hand-built RDB files for loader and redis-check-rdb tests: a header, whatever the test
 * writes, the EOF opcode and a correct CRC64, so the only damage is the one the test made.
 * Streams are written field by field (the engine has no stream type to encode from).
 */
import { RdbWriter } from '../../src/engine/persistence/rdb/encoder';
import { ListpackWriter } from '../../src/engine/persistence/rdb/listpack';
import { Crc64 } from '../../src/engine/persistence/rdb/crc64';
import { T } from '../../src/engine/persistence/rdb/format';

/** REDIS0010, the body `write` produces, 0xFF and the CRC64 of all that. */
export function craftRdb(write: (w: RdbWriter) => void): Uint8Array {
  const w = new RdbWriter({ compression: false, listFill: -2 });
  w.ascii('REDIS0010');
  write(w);
  w.byte(0xff);
  const crc = new Crc64();
  crc.update(w.buf, 0, w.len);
  const v = crc.toBigInt();
  for (let i = 0n; i < 8n; i++) w.byte(Number((v >> (8n * i)) & 0xffn));
  return w.view().slice();
}

/** A 16-byte stream ID as rdb.c stores it (big-endian ms, then seq). */
export function streamId(ms: number, seq = 0): string {
  let s = '';
  for (const v of [BigInt(ms), BigInt(seq)]) for (let i = 7n; i >= 0n; i--) s += String.fromCharCode(Number((v >> (8n * i)) & 0xffn));
  return s;
}

/** A node listpack holding entries `ms-0` for each ms (one field "f" shared with the master entry). */
export function streamNodeListpack(mss: number[]): Uint8Array {
  const lp = new ListpackWriter();
  lp.appendInt(mss.length); lp.appendInt(0); lp.appendInt(1); lp.appendString('f'); lp.appendInt(0);
  for (const ms of mss) {
    lp.appendInt(2); lp.appendInt(ms - mss[0]); lp.appendInt(0); lp.appendString(`v${ms}`); lp.appendInt(4);
  }
  return lp.finish();
}

export interface CraftedStream {
  nodes: { key: string; lp: Uint8Array }[];
  length: number;
  groups: { name: string; pel: string[]; consumers: { name: string; pel: string[] }[] }[];
}

/** A stream key of type STREAM_LISTPACKS_2 (what 7.0 writes). */
export function writeStream(w: RdbWriter, key: string, s: CraftedStream): void {
  w.byte(T.STREAM_LISTPACKS_2);
  w.string(key);
  w.length(s.nodes.length);
  for (const n of s.nodes) { w.string(n.key); w.blob(n.lp); }
  w.length(s.length);
  for (const v of [s.length, 0, 1, 0, 0, 0, s.length]) w.length(v); // last ID, first ID, max deleted ID, entries added
  w.length(s.groups.length);
  for (const g of s.groups) {
    w.string(g.name);
    w.length(s.length); w.length(0); w.length(s.length); // last delivered ID, entries read
    w.length(g.pel.length);
    for (const id of g.pel) { w.ascii(id); w.millis(1000); w.length(1); }
    w.length(g.consumers.length);
    for (const c of g.consumers) {
      w.string(c.name); w.millis(1000);
      w.length(c.pel.length);
      for (const id of c.pel) w.ascii(id);
    }
  }
}
