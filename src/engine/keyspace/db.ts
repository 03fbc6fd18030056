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
import type { RedisServer } from '../server/server';
import { isInt64String } from '../util/numbers';
import { ScanCursors } from './scan';

/** One key's slot: the value plus metadata Redis keeps in the robj header. */
export class Entry {
  constructor(
    public v: RedisValue,
    /** Absolute expire time in ms, or -1. */
    public exp: number,
    /** LRU clock (seconds, 24 bits) or LFU data, like robj->lru. */
    public lru: number,
    /** How a string value reports its encoding (see StrEnc). */
    public enc: StrEnc,
  ) {}
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
      if (!(flags & Lookup.NoTouch) && !s.hasActiveChild()) e!.lru = s.lruClock();
      if (!(flags & (Lookup.NoStats | Lookup.Write))) s.stats.keyspaceHits++;
    } else {
      if (!(flags & (Lookup.NoNotify | Lookup.Write))) s.notifyKeyspaceEvent('m', 'keymiss', key, this.id);
      if (!(flags & (Lookup.NoStats | Lookup.Write))) s.stats.keyspaceMisses++;
    }
    return v;
  }

  lookupRead(key: string): RedisValue | undefined { return this.lookup(key, Lookup.None); }
  lookupWrite(key: string): RedisValue | undefined { return this.lookup(key, Lookup.Write); }

  /** keyIsExpired(): the key has a TTL in the past (never while loading). */
  isExpired(e: Entry): boolean {
    if (e.exp === -1 || this.server.loading) return false;
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

  /** Delete an expired key and propagate its deletion (deleteExpiredKeyAndPropagate). */
  deleteExpired(key: string): void {
    const s = this.server;
    this.delete(key);
    s.notifyKeyspaceEvent('x', 'expired', key, this.id);
    s.signalModifiedKey(this, key);
    s.propagateDeletion(this.id, key, s.config.get<boolean>('lazyfree-lazy-expire'));
    s.stats.expiredKeys++;
  }

  exists(key: string): boolean { return this.lookup(key, Lookup.NoTouch | Lookup.NoStats | Lookup.NoNotify) !== undefined; }

  /** Add a new key (caller checked it does not exist). */
  add(key: string, v: RedisValue): void {
    this.dict.set(key, new Entry(v, -1, this.server.lruClock(), StrEnc.Auto));
  }

  /**
   * setKey(): create or overwrite. The TTL is cleared unless keepTtl.
   */
  set(key: string, v: RedisValue, opts?: { keepTtl?: boolean; enc?: StrEnc }): void {
    const e = this.dict.get(key);
    if (e) {
      e.v = v;
      e.enc = opts?.enc ?? StrEnc.Auto;
      if (!opts?.keepTtl && e.exp !== -1) { e.exp = -1; this.volatile.delete(key); }
    } else {
      this.dict.set(key, new Entry(v, -1, this.server.lruClock(), opts?.enc ?? StrEnc.Auto));
    }
  }

  /** Replace the value of an existing key in place, keeping TTL (SETRANGE, APPEND, INCR). */
  overwrite(key: string, v: RedisValue, enc: StrEnc = StrEnc.Auto): void {
    const e = this.dict.get(key)!;
    e.v = v;
    e.enc = enc;
  }

  delete(key: string): boolean {
    const e = this.dict.get(key);
    if (!e) return false;
    this.dict.delete(key);
    if (e.exp !== -1) this.volatile.delete(key);
    return true;
  }

  getExpire(key: string): number {
    const e = this.dict.get(key);
    return e ? e.exp : -1;
  }

  setExpire(key: string, whenMs: number): void {
    const e = this.dict.get(key);
    if (!e) return;
    e.exp = whenMs;
    this.volatile.add(key);
  }

  removeExpire(key: string): boolean {
    const e = this.dict.get(key);
    if (!e || e.exp === -1) return false;
    e.exp = -1;
    this.volatile.delete(key);
    return true;
  }

  /** Empty the database; returns the number of keys removed. */
  clear(): number {
    const n = this.dict.size;
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

  /** A random key that is not expired (RANDOMKEY), or undefined. O(n) over the dict. */
  randomKey(random: () => number): string | undefined {
    let tries = 100;
    while (this.dict.size > 0 && tries-- > 0) {
      const target = Math.floor(random() * this.dict.size);
      let i = 0;
      for (const [k, e] of this.dict) {
        if (i++ !== target) continue;
        if (e.exp !== -1 && this.isExpired(e)) {
          if (this.server.isReplica()) return k; // replicas may return logically expired keys
          this.lookupWrite(k);
          break;
        }
        return k;
      }
    }
    return undefined;
  }
}
