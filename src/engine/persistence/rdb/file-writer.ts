/**
 * Producing a whole RDB file (rdbSaveRio): "REDIS0010", the AUX fields 7.0 writes, function
 * libraries, every non-empty database (SELECTDB, RESIZEDB, then each key with its optional
 * expire and LRU/LFU hint), EOF and the CRC64. Also DUMP payloads, which share the value
 * encoding.
 */
import { OP, RDB_VERSION } from './format';
import { Crc64 } from './crc64';
import { RdbWriter, objectType, writeValue, type EncodeOptions } from './encoder';
import type { Db } from '../../keyspace/db';
import type { RedisValue } from '../../keyspace/values';
import { REDIS_VERSION } from '../../server/server';

/** Replication state stored in the file when the server is part of a replication chain. */
export interface ReplSaveInfo { replStreamDb: number; replId: string; replOffset: number }

export interface RdbFileOptions {
  encode: EncodeOptions;
  /** An AOF base file (aof-base 1): no repl-* fields. */
  aofBase: boolean;
  repl: ReplSaveInfo | null;
  /** Seconds since the epoch for the ctime field. */
  ctimeSec: number;
  usedMemory: number;
  /** rdbchecksum: compute the CRC (else 8 zero bytes). */
  checksum: boolean;
  /** maxmemory-policy family: LRU policies save idle times, LFU policies save counters. */
  evictionHints: 'lru' | 'lfu' | null;
  /** Current LRU clock (seconds, 24 bits) for idle times. */
  lruClock: number;
  /** FUNCTION libraries kept from a loaded file. */
  functions: string[];
}

/** Aux field with both parts written by rdbSaveRawString. */
function aux(w: RdbWriter, key: string, value: string): void {
  w.byte(OP.AUX);
  w.string(key);
  w.string(value);
}

/** Serialise all databases into an RDB file image. */
export function writeRdbFile(dbs: Db[], opts: RdbFileOptions): Uint8Array {
  const w = new RdbWriter(opts.encode, 1 << 16);
  w.ascii(`REDIS${String(RDB_VERSION).padStart(4, '0')}`);
  aux(w, 'redis-ver', REDIS_VERSION);
  aux(w, 'redis-bits', '64');
  aux(w, 'ctime', String(opts.ctimeSec));
  aux(w, 'used-mem', String(opts.usedMemory));
  if (opts.repl && !opts.aofBase) {
    aux(w, 'repl-stream-db', String(opts.repl.replStreamDb));
    aux(w, 'repl-id', opts.repl.replId);
    aux(w, 'repl-offset', String(opts.repl.replOffset));
  }
  aux(w, 'aof-base', opts.aofBase ? '1' : '0');
  for (const f of opts.functions) {
    w.byte(OP.FUNCTION2);
    w.string(f);
  }
  for (const db of dbs) {
    if (db.dict.size === 0) continue;
    w.byte(OP.SELECTDB);
    w.length(db.id);
    w.byte(OP.RESIZEDB);
    w.length(db.dict.size);
    w.length(db.volatile.size);
    for (const [key, e] of db.dict) {
      if (e.exp !== -1) {
        w.byte(OP.EXPIRETIME_MS);
        w.millis(e.expExact ?? e.exp);
      }
      if (opts.evictionHints === 'lru') {
        let idle = opts.lruClock - (e.lru & 0xffffff);
        if (idle < 0) idle += 0x1000000;
        w.byte(OP.IDLE);
        w.length(idle);
      } else if (opts.evictionHints === 'lfu') {
        w.byte(OP.FREQ);
        w.byte(db.lfuDecrAndReturn(e));
      }
      w.byte(objectType(e.v));
      w.string(key);
      writeValue(w, e.v);
    }
  }
  w.byte(OP.EOF);
  const body = w.view();
  const out = new Uint8Array(body.length + 8);
  out.set(body);
  if (opts.checksum) {
    const crc = new Crc64();
    crc.update(body);
    out.set(crc.bytesLE(), body.length);
  }
  return out;
}

/** createDumpPayload: type byte, value, RDB version (2 bytes LE), CRC64 (8 bytes LE). */
export function createDumpPayload(v: RedisValue, encode: EncodeOptions): Uint8Array {
  const w = new RdbWriter(encode, 256);
  w.byte(objectType(v));
  writeValue(w, v);
  w.byte(RDB_VERSION & 0xff);
  w.byte((RDB_VERSION >> 8) & 0xff);
  const body = w.view();
  const crc = new Crc64();
  crc.update(body);
  const out = new Uint8Array(body.length + 8);
  out.set(body);
  out.set(crc.bytesLE(), body.length);
  return out;
}

/** verifyDumpPayload: the version is one we can read and the CRC64 matches. */
export function verifyDumpPayload(p: Uint8Array, skipChecksum = false): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const ver = p[footer] | (p[footer + 1] << 8);
  if (ver > RDB_VERSION) return false;
  if (skipChecksum) return true;
  const crc = new Crc64();
  crc.update(p, 0, p.length - 8);
  return crc.equalsLE(p, p.length - 8);
}
