/**
 * One of the numbered databases (SELECT 0..15): the key → value dictionary and the expire
 * times, with Redis's lookup semantics (db.c):
 *
 * - A read of a logically expired key on a master deletes it, counts `expired_keys`, fires the
 *   `expired` keyspace event and propagates a DEL to the AOF and replicas.
 * - On a replica the key is not deleted (the master will send the DEL) but reads still see it
 *   as missing; commands coming from the master itself always see it.
 * - Hits and misses are counted for INFO stats.
 */
import type { RedisValue } from './values';
import type { SdsAlloc } from './sds';
import type { RedisServer } from '../server/server';
import { isInt64String } from '../util/numbers';
import { ScanCursors } from './scan';
import { emptyDbAsync, freeObjAsync, freeObjSync } from '../server/lazyfree';
import { rememberReplicaKeyWithExpire } from './replica-expire';
import { latencyAddSampleIfNeeded } from '../server/latency-monitor';

/** Exact expire times of the rare entries that need one (see Entry.expExact). */
const exactExpires = new WeakMap<Entry, bigint>();
const grownSds = new WeakMap<Entry, SdsAlloc>();

/**
 * One key's slot: the value plus metadata Redis keeps in the robj header.
 *
 * There is one per key, so its size matters (1M keys, 1M entries): it has three fields. The
 * LRU/LFU data and the string encoding share one small integer (`meta`: lru * 4 + enc), and
 * the exact expire time, needed only beyond 2^53 ms, lives in a side table. Accessors keep
 * `lru`, `enc` and `expExact` reading like plain fields.
 */
export class Entry {
  private meta: number;

  constructor(
    public v: RedisValue,
    /** Absolute expire time in ms, or -1. */
    public exp: number,
    lru: number,
    enc: StrEnc,
  ) {
    this.meta = lru * 4 + enc;
  }

  /** LRU clock (seconds, 24 bits) or LFU data, like robj->lru. */
  get lru(): number { return Math.floor(this.meta / 4); }
  set lru(lru: number) { this.meta = lru * 4 + (this.meta & 3); }

  /** How a string value reports its encoding (see StrEnc). */
  get enc(): StrEnc { return this.meta & 3; }
  set enc(enc: StrEnc) { this.meta = Math.floor(this.meta / 4) * 4 + enc; }

  /**
   * The exact expire time when it is beyond 2^53 ms (PEXPIREAT 9223372036854770000): `exp`
   * then holds the nearest double, which orders correctly, and this keeps the digits that
   * PEXPIRETIME, the AOF and RDB must reproduce.
   */
  get expExact(): bigint | undefined { return exactExpires.get(this); }
  set expExact(exact: bigint | undefined) {
    if (exact === undefined) exactExpires.delete(this);
    else exactExpires.set(this, exact);
  }

  /**
   * The sds allocation of a raw string grown in place (APPEND, SETRANGE, SETBIT, a sparse
   * HLL: see sds.ts); undefined while the value is as freshly allocated. Rare, so it also
   * lives in a side table.
   */
  get sds(): SdsAlloc | undefined { return grownSds.get(this); }
  set sds(a: SdsAlloc | undefined) {
    if (a === undefined) grownSds.delete(this);
    else grownSds.set(this, a);
  }
}

/**
 * String encodings depend on how the value was made, not only on its bytes: SET tries int,
 * then embstr (≤ 44 bytes), then raw; APPEND and SETRANGE always leave raw; INCRBYFLOAT leaves
 * embstr even for "3".
 */
export enum StrEnc { Auto = 0, Raw = 1, NoInt = 2 }

export function stringEncoding(e: Entry): 'int' | 'embstr' | 'raw' {
  const s = e.v as string;
  if (e.enc === StrEnc.Raw) return 'raw';
  if (e.enc === StrEnc.Auto && s.length <= 20 && isInt64String(s)) return 'int';
  return s.length <= 44 ? 'embstr' : 'raw';
}

export enum Lookup {
  None = 0,
  NoTouch = 1,
  NoNotify = 2,
  NoStats = 4,
  Write = 8,
  NoExpire = 16,
}

/** Redis's LFU counter starts here so new keys are not evicted at once (LFU_INIT_VAL). */
const LFU_INIT_VAL = 5;

export class Db {
  dict = new Map<string, Entry>();
  /** Keys that have an expire set (the active expire cycle samples these). */
  volatile = new Set<string>();
  /** SCAN cursor snapshots. */
  readonly scan = new ScanCursors();
  /** avg_ttl estimate maintained by the active expire cycle, like db->avg_ttl. */
  avgTtl = 0;
  /** Iterator position of the active expire cycle. */
  expireIter: Iterator<string> | null = null;

  constructor(public id: number, private readonly server: RedisServer) {}

  get size(): number { return this.dict.size; }

  /** Raw entry access with no expiry logic (persistence, DEBUG, iteration). */
  getEntry(key: string): Entry | undefined { return this.dict.get(key); }

  /** Lookup following lookupKey(): expires, touches LRU, counts hits/misses. */
  lookup(key: string, flags: number = Lookup.None): RedisValue | undefined {
    const e = this.dict.get(key);
    let v: RedisValue | undefined;
    if (e) {
      v = e.v;
      if (e.exp !== -1 && this.expireIfNeeded(key, e, flags)) v = undefined;
    }
    const s = this.server;
    if (v !== undefined) {
      if (!(flags & Lookup.NoTouch) && !s.hasActiveChild()) this.touch(e!);
      if (!(flags & (Lookup.NoStats | Lookup.Write))) s.stats.keyspaceHits++;
    } else {
      if (!(flags & (Lookup.NoNotify | Lookup.Write))) s.notifyKeyspaceEvent('m', 'keymiss', key, this.id);
      if (!(flags & (Lookup.NoStats | Lookup.Write))) s.stats.keyspaceMisses++;
    }
    return v;
  }

  lookupRead(key: string): RedisValue | undefined { return this.lookup(key, Lookup.None); }
  lookupWrite(key: string): RedisValue | undefined { return this.lookup(key, Lookup.Write); }

  /** True when maxmemory-policy is an LFU one: the lru field then holds LFU data. */
  private lfu(): boolean {
    return this.server.hot.lfu;
  }

  /** The lru field of a new object: LRU clock, or LFU minutes<<8 | LFU_INIT_VAL. */
  initialLru(): number {
    return this.lfu() ? (lfuMinutes(this.server.nowMs()) << 8) | LFU_INIT_VAL : this.server.lruClock();
  }

  /** An access: refresh the LRU clock, or decay then log-increment the LFU counter (updateLFU). */
  private touch(e: Entry): void {
    if (!this.lfu()) { e.lru = this.server.lruClock(); return; }
    let counter = this.lfuDecrAndReturn(e);
    if (counter < 255) {
      const base = Math.max(0, counter - LFU_INIT_VAL);
      const p = 1 / (base * this.server.config.get<number>('lfu-log-factor') + 1);
      if (this.server.os.random() < p) counter++;
    }
    e.lru = (lfuMinutes(this.server.nowMs()) << 8) | counter;
  }

  /** LFUDecrAndReturn: the counter after the decay due since its last access (OBJECT FREQ). */
  lfuDecrAndReturn(e: Entry): number {
    const ldt = e.lru >>> 8;
    let counter = e.lru & 255;
    const decay = this.server.config.get<number>('lfu-decay-time');
    if (decay > 0) {
      const now = lfuMinutes(this.server.nowMs());
      const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
      const periods = Math.floor(elapsed / decay);
      if (periods) counter = periods > counter ? 0 : counter - periods;
    }
    return counter;
  }

  /** keyIsExpired(): the key has a TTL in the past (never while loading; negative = none). */
  isExpired(e: Entry): boolean {
    if (e.exp < 0 || this.server.loading) return false;
    return this.server.cmdTimeMs() > e.exp;
  }

  private expireIfNeeded(key: string, e: Entry, flags: number): boolean {
    if (!this.isExpired(e)) return false;
    const s = this.server;
    if (s.isReplica()) {
      if (s.currentClient && s.currentClient.isMaster) return false;
      const roReplica = s.config.get<boolean>('replica-read-only');
      if (!(flags & Lookup.Write) || roReplica) return true;
    }
    if (flags & Lookup.NoExpire) return true;
    if (s.clientsPaused()) return true;
    this.deleteExpired(key);
    return true;
  }

  /**
   * expireIfNeeded(db, key, 0) outside a lookup (DEL, SCAN): true when the key is logically
   * expired; a master deletes it, a replica only reports it (without force-deleting it).
   */
  expireIfNeededKey(key: string): boolean {
    const e = this.dict.get(key);
    if (!e || e.exp < 0) return false;
    return this.expireIfNeeded(key, e, Lookup.None);
  }

  /** Delete an expired key and propagate its deletion (deleteExpiredKeyAndPropagate). */
  deleteExpired(key: string): void {
    const s = this.server;
    const startUs = s.os.nowUs();
    this.delete(key, s.config.get<boolean>('lazyfree-lazy-expire') ? 'lazy' : 'sync');
    latencyAddSampleIfNeeded(s, 'expire-del', Math.floor((s.os.nowUs() - startUs) / 1000));
    s.notifyKeyspaceEvent('x', 'expired', key, this.id);
    s.signalModifiedKey(this, key);
    s.propagateDeletion(this.id, key, s.config.get<boolean>('lazyfree-lazy-expire'));
    s.stats.expiredKeys++;
  }

  exists(key: string): boolean { return this.lookup(key, Lookup.NoTouch | Lookup.NoStats | Lookup.NoNotify) !== undefined; }

  /**
   * dbAdd(): add a new key (the caller checked it does not exist). Fires the `new` keyspace
   * event and, for lists and sorted sets, signals clients blocked on the key.
   */
  add(key: string, v: RedisValue, enc: StrEnc = StrEnc.Auto): Entry {
    const e = new Entry(v, -1, this.initialLru(), enc);
    this.dict.set(key, e);
    const s = this.server;
    if (typeof v !== 'string' && (v.type === 'list' || v.type === 'zset' || v.type === 'stream')) s.signalKeyAsReady(this, key);
    s.notifyKeyspaceEvent('n', 'new', key, this.id);
    return e;
  }

  /**
   * setKey(): create or overwrite. The TTL is cleared unless keepTtl.
   */
  set(key: string, v: RedisValue, opts?: { keepTtl?: boolean; enc?: StrEnc }): void {
    const e = this.dict.get(key);
    if (e) {
      // dbOverwrite: a stream replaced by another value wakes its blocked XREADGROUPs.
      if (typeof e.v !== 'string' && e.v.type === 'stream') this.server.signalKeyAsReady(this, key);
      // dbOverwrite frees the old value in the background under lazyfree-lazy-server-del.
      if (e.v !== v) {
        if (this.server.config.get<boolean>('lazyfree-lazy-server-del')) freeObjAsync(this.server, e.v);
        else freeObjSync(this.server, e.v);
      }
      e.v = v;
      e.enc = opts?.enc ?? StrEnc.Auto;
      e.sds = undefined;
      // dbOverwrite: a new object (fresh LRU clock) unless LFU keeps the old counter.
      if (!this.lfu()) e.lru = this.server.lruClock();
      if (!opts?.keepTtl && e.exp !== -1) this.removeExpire(key);
    } else {
      this.add(key, v, opts?.enc ?? StrEnc.Auto);
    }
  }

  /**
   * Replace the value of an existing key in place, keeping TTL (SETRANGE, APPEND, INCR); `sds`
   * is the string's allocation when the command grew it in place (sds.ts).
   */
  overwrite(key: string, v: RedisValue, enc: StrEnc = StrEnc.Auto, sds?: SdsAlloc): void {
    const e = this.dict.get(key)!;
    e.v = v;
    e.enc = enc;
    e.sds = sds;
  }

  /**
   * dbGenericDelete. `free`: 'lazy' frees a big value on the lazyfree thread (dbAsyncDelete),
   * 'sync' here (dbSyncDelete); dbDelete decides by lazyfree-lazy-server-del, the default. A
   * value that lives on elsewhere (MOVE, RENAME) is deleted with 'keep': nothing is freed.
   */
  delete(key: string, free: 'lazy' | 'sync' | 'keep' = this.server.config.get<boolean>('lazyfree-lazy-server-del') ? 'lazy' : 'sync'): boolean {
    const e = this.dict.get(key);
    if (!e) return false;
    this.dict.delete(key);
    if (free === 'lazy') freeObjAsync(this.server, e.v);
    else if (free === 'sync') freeObjSync(this.server, e.v);
    if (e.exp !== -1) this.volatile.delete(key);
    // dbGenericDelete: a deleted stream wakes its blocked XREADGROUPs (they get an error).
    if (typeof e.v !== 'string' && e.v.type === 'stream') this.server.signalKeyAsReady(this, key);
    return true;
  }

  getExpire(key: string): number {
    const e = this.dict.get(key);
    return e ? e.exp : -1;
  }

  /** Set the absolute expire time; pass a bigint for times beyond 2^53 ms to keep them exact. */
  setExpire(key: string, whenMs: number | bigint): void {
    const e = this.dict.get(key);
    if (!e) return;
    if (typeof whenMs === 'bigint') {
      e.exp = Number(whenMs);
      e.expExact = Number.isSafeInteger(e.exp) ? undefined : whenMs;
    } else {
      e.exp = whenMs;
      e.expExact = undefined;
    }
    this.volatile.add(key);
    rememberReplicaKeyWithExpire(this.server, this, key);
  }

  /** The expire time as exact decimal digits ("-1" when none). */
  getExpireString(key: string): string {
    const e = this.dict.get(key);
    if (!e) return '-1';
    return e.expExact !== undefined ? e.expExact.toString() : String(e.exp);
  }

  removeExpire(key: string): boolean {
    const e = this.dict.get(key);
    if (!e || e.exp === -1) return false;
    e.exp = -1;
    e.expExact = undefined;
    this.volatile.delete(key);
    return true;
  }

  /**
   * Empty the database; returns the number of keys removed. `async` (emptyDbAsync): the old
   * tables go to the lazyfree thread whole.
   */
  clear(async = false): number {
    const n = this.dict.size;
    if (async) emptyDbAsync(this.server, n);
    this.dict = new Map();
    this.volatile = new Set();
    this.scan.clear();
    this.expireIter = null;
    this.avgTtl = 0;
    return n;
  }

  /** Swap contents with another Db (SWAPDB). */
  swapWith(other: Db): void {
    [this.dict, other.dict] = [other.dict, this.dict];
    [this.volatile, other.volatile] = [other.volatile, this.volatile];
    [this.avgTtl, other.avgTtl] = [other.avgTtl, this.avgTtl];
    this.scan.clear(); other.scan.clear();
    this.expireIter = other.expireIter = null;
  }

  /**
   * dbRandomKey(): a random key, skipping (and, on a master, deleting) logically expired ones.
   * On a replica whose keys all have a TTL this gives up after 100 expired picks and returns
   * one of them, like Redis, since it must not delete them. O(n) to snapshot the key set.
   */
  randomKey(random: () => number): string | undefined {
    if (this.dict.size === 0) return undefined;
    const keys = [...this.dict.keys()];
    const allVolatile = this.volatile.size === this.dict.size;
    let maxTries = 100;
    while (keys.length > 0) {
      const i = Math.floor(random() * keys.length);
      const k = keys[i];
      const e = this.dict.get(k);
      if (!e) { keys[i] = keys[keys.length - 1]; keys.pop(); continue; }
      if (e.exp !== -1) {
        if (allVolatile && this.server.isReplica() && --maxTries === 0) return k;
        if (this.isExpired(e)) {
          this.lookup(k, Lookup.NoTouch | Lookup.NoStats | Lookup.NoNotify);
          keys[i] = keys[keys.length - 1];
          keys.pop();
          continue;
        }
      }
      return k;
    }
    return undefined;
  }
}

/** LFUGetTimeInMinutes: a 16-bit minutes clock. */
function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60000) & 65535;
}
