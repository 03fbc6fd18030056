/**
 * RDB format constants (rdb.h): the version Redis 7.0 writes, value type bytes, opcodes,
 * length-encoding markers, and the names redis-check-rdb prints for types.
 */

export const RDB_VERSION = 10;

export const T = {
  STRING: 0, LIST: 1, SET: 2, ZSET: 3, HASH: 4, ZSET_2: 5, MODULE: 6, MODULE_2: 7,
  HASH_ZIPMAP: 9, LIST_ZIPLIST: 10, SET_INTSET: 11, ZSET_ZIPLIST: 12, HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14, STREAM_LISTPACKS: 15, HASH_LISTPACK: 16, ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18, STREAM_LISTPACKS_2: 19,
} as const;

export const OP = {
  FUNCTION2: 245, FUNCTION: 246, MODULE_AUX: 247, IDLE: 248, FREQ: 249, AUX: 250,
  RESIZEDB: 251, EXPIRETIME_MS: 252, EXPIRETIME: 253, SELECTDB: 254, EOF: 255,
} as const;

/** rdbIsObjectType(). */
export function isObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 19);
}

/** Special string encodings (length byte with the top two bits set). */
export const ENC = { INT8: 0, INT16: 1, INT32: 2, LZF: 3 } as const;

/** Quicklist node containers in RDB_TYPE_LIST_QUICKLIST_2. */
export const QUICKLIST_PLAIN = 1;
export const QUICKLIST_PACKED = 2;

/** Module value opcodes (rdbLoadCheckModuleValue). */
export const MODULE_OPCODE = { EOF: 0, SINT: 1, UINT: 2, FLOAT: 3, DOUBLE: 4, STRING: 5 } as const;

/** rdb_type_string in redis-check-rdb.c (indexes 0..18). */
export const CHECK_RDB_TYPE_NAMES = [
  'string', 'list-linked', 'set-hashtable', 'zset-v1', 'hash-hashtable', 'zset-v2', 'module-value', '', '',
  'hash-zipmap', 'list-ziplist', 'set-intset', 'zset-ziplist', 'hash-ziplist', 'quicklist', 'stream',
  'hash-listpack', 'zset-listpack', 'quicklist-v2',
];
