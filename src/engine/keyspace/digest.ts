/**
 * DEBUG DIGEST / DEBUG DIGEST-VALUE: a fingerprint of the dataset that is equal on two servers
 * exactly when they hold the same data, whatever order keys and elements were inserted in.
 *
 * Two SHA-1 based building blocks make that work:
 * - xor(d, data):  d ^= SHA1(data). XOR is commutative, so "adding" the digests of unordered
 *   things (keys of a db, members of a set, fields of a hash) gives the same result in any order.
 * - mix(d, data):  d = SHA1(d ^ SHA1(data)). Feeding the previous state back in makes the
 *   result depend on order, for ordered things (list elements, a key followed by its value).
 *
 * For each key: d = 0; mix(key); mix(type as 4 big-endian bytes); then the value (strings:
 * mix; lists: mix each element in order; sets: xor each member; hashes and sorted sets: for
 * each field/member an element digest e = mix(field), mix(value or %.17g score), then xor(e));
 * finally xor("!!expire!!") if the key has a TTL. The key digests are xored into the db's
 * total after mix(db number). The result is the same 40 hex digits real Redis prints.
 */
import { ID_MAX, ID_ZERO } from './stream';
import type { Db, Entry } from './db';
import type { RedisValue } from './values';
import { sha1 } from '../util/sha';
import { fmtG17 } from '../util/numbers';

const TYPE_CODES: Record<string, number> = { string: 0, list: 1, set: 2, zset: 3, hash: 4, module: 5, stream: 6 };

function toBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** d ^= SHA1(data) */
export function xorDigest(d: Uint8Array, data: Uint8Array | string): void {
  const h = sha1(typeof data === 'string' ? toBytes(data) : data);
  for (let i = 0; i < 20; i++) d[i] ^= h[i];
}

/** d = SHA1(d ^ SHA1(data)) */
export function mixDigest(d: Uint8Array, data: Uint8Array | string): void {
  xorDigest(d, data);
  d.set(sha1(d));
}

function be32(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

/**
 * A value type defined outside this file (streams) digests itself through this method:
 * `digest(mix, xor)` feeds its content in Redis's order (stream: for each entry, mix("<ms>.<seq>")
 * then mix(field), mix(value) for each field).
 */
export interface SelfDigesting {
  digest(mix: (data: string) => void, xor: (data: string) => void): void;
}

/** xorObjectDigest: mix the value of `e` (stored under `key`) into `d`. */
export function xorObjectDigest(d: Uint8Array, e: Entry): void {
  const v: RedisValue = e.v;
  const type = typeof v === 'string' ? 'string' : (v as { type: string }).type;
  mixDigest(d, be32(TYPE_CODES[type] ?? 0));
  if (typeof v === 'string') {
    mixDigest(d, v);
  } else if (v.type === 'list') {
    for (const el of v.toArray()) mixDigest(d, el);
  } else if (v.type === 'set') {
    for (const m of v.set) xorDigest(d, m);
  } else if (v.type === 'zset') {
    for (const [m, score] of v.dict) {
      const ed = new Uint8Array(20);
      mixDigest(ed, m);
      mixDigest(ed, fmtG17(score));
      xorDigest(d, ed);
    }
  } else if (v.type === 'hash') {
    for (const [f, val] of v.map) {
      const ed = new Uint8Array(20);
      mixDigest(ed, f);
      mixDigest(ed, val);
      xorDigest(d, ed);
    }
  } else if (v.type === 'stream') {
    // Entries in ID order: "ms.seq", then each field and value.
    for (const en of v.range(ID_ZERO, ID_MAX)) {
      mixDigest(d, `${en.id.ms}.${en.id.seq}`);
      for (const x of en.fv) mixDigest(d, x);
    }
  } else if (typeof (v as unknown as SelfDigesting).digest === 'function') {
    (v as unknown as SelfDigesting).digest((s) => mixDigest(d, s), (s) => xorDigest(d, s));
  }
  if (e.exp !== -1) xorDigest(d, '!!expire!!');
}

/** DEBUG DIGEST-VALUE for one key: 20 zero bytes when missing. */
export function keyDigest(db: Db, key: string): Uint8Array {
  const d = new Uint8Array(20);
  const e = db.getEntry(key);
  if (e) xorObjectDigest(d, e);
  return d;
}

/** computeDatasetDigest over all databases. */
export function datasetDigest(dbs: Db[]): Uint8Array {
  const final = new Uint8Array(20);
  for (const db of dbs) {
    if (db.dict.size === 0) continue;
    mixDigest(final, be32(db.id));
    for (const [key, e] of db.dict) {
      const d = new Uint8Array(20);
      mixDigest(d, key);
      xorObjectDigest(d, e);
      xorDigest(final, d);
    }
  }
  return final;
}
