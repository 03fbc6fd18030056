/**
 * Key specs and the per-call key flags Redis 7.0 derives from them: the one source of truth
 * for COMMAND INFO's key specs, COMMAND GETKEYSANDFLAGS and the ACL key checks (read
 * permission for `access`, write permission for `insert`/`delete`/`update`).
 *
 * A family file may state its commands' key specs; for the others, REDIS_KEY_SPECS below holds
 * Redis 7.0.15's specs (their flags say how each key is touched: OW/RW/RO/RM and
 * access/insert/delete/update), and the rest are derived from firstKey/lastKey/step.
 */
import type { CommandSpec, KeySpec } from './table';

/**
 * Key spec builders for command families whose keys the derived form can't describe
 * (movable keys, per-key flags). `flags` are Redis's: RO/RW/OW/RM plus access/update/insert/
 * delete/incomplete/variable_flags...
 */
export function keySpecRange(pos: number, lastKey: number, keyStep: number, flags: string[], limit = 0): KeySpec {
  return { flags, beginSearch: { type: 'index', pos }, findKeys: { type: 'range', lastKey, keyStep, limit } };
}

/** A key count at `keyNumIdx` (relative to `pos`), keys starting `firstKey` after it (ZUNION, EVAL...). */
export function keySpecKeynum(pos: number, keyNumIdx: number, firstKey: number, keyStep: number, flags: string[]): KeySpec {
  return { flags, beginSearch: { type: 'index', pos }, findKeys: { type: 'keynum', keyNumIdx, firstKey, keyStep } };
}

/** Keys after a keyword (XREAD ... STREAMS k1 k2 id1 id2, MIGRATE ... KEYS k1 k2). */
export function keySpecKeyword(keyword: string, startFrom: number, lastKey: number, keyStep: number, flags: string[], limit = 0): KeySpec {
  return { flags, beginSearch: { type: 'keyword', keyword, startFrom }, findKeys: { type: 'range', lastKey, keyStep, limit } };
}

/**
 * Redis 7.0.15's key specs of the commands whose family file does not state them, by full name
 * ("object|encoding"), as COMMAND INFO shows them.
 */
const REDIS_KEY_SPECS: Record<string, KeySpec[]> = {
  append: [keySpecRange(1, 0, 1, ['RW', 'insert'])],
  blmove: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete']), keySpecRange(2, 0, 1, ['RW', 'insert'])],
  blmpop: [keySpecKeynum(2, 0, 1, 1, ['RW', 'access', 'delete'])],
  blpop: [keySpecRange(1, -2, 1, ['RW', 'access', 'delete'])],
  brpop: [keySpecRange(1, -2, 1, ['RW', 'access', 'delete'])],
  brpoplpush: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete']), keySpecRange(2, 0, 1, ['RW', 'insert'])],
  bzmpop: [keySpecKeynum(2, 0, 1, 1, ['RW', 'access', 'delete'])],
  bzpopmax: [keySpecRange(1, -2, 1, ['RW', 'access', 'delete'])],
  bzpopmin: [keySpecRange(1, -2, 1, ['RW', 'access', 'delete'])],
  copy: [keySpecRange(1, 0, 1, ['RO', 'access']), keySpecRange(2, 0, 1, ['OW', 'update'])],
  decr: [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])],
  decrby: [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])],
  del: [keySpecRange(1, -1, 1, ['RM', 'delete'])],
  exists: [keySpecRange(1, -1, 1, ['RO'])],
  getdel: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete'])],
  getex: [{ ...keySpecRange(1, 0, 1, ['RW', 'access', 'update']), notes: 'RW and UPDATE because it changes the TTL' }],
  getset: [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])],
  hdel: [keySpecRange(1, 0, 1, ['RW', 'delete'])],
  hexists: [keySpecRange(1, 0, 1, ['RO'])],
  hincrby: [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])],
  hincrbyfloat: [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])],
  hlen: [keySpecRange(1, 0, 1, ['RO'])],
  hsetnx: [keySpecRange(1, 0, 1, ['RW', 'insert'])],
  hstrlen: [keySpecRange(1, 0, 1, ['RO'])],
  incr: [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])],
  incrby: [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])],
  incrbyfloat: [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])],
  linsert: [keySpecRange(1, 0, 1, ['RW', 'insert'])],
  llen: [keySpecRange(1, 0, 1, ['RO'])],
  lmove: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete']), keySpecRange(2, 0, 1, ['RW', 'insert'])],
  lmpop: [keySpecKeynum(1, 0, 1, 1, ['RW', 'access', 'delete'])],
  lpop: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete'])],
  lpush: [keySpecRange(1, 0, 1, ['RW', 'insert'])],
  lpushx: [keySpecRange(1, 0, 1, ['RW', 'insert'])],
  lrem: [keySpecRange(1, 0, 1, ['RW', 'delete'])],
  ltrim: [keySpecRange(1, 0, 1, ['RW', 'delete'])],
  move: [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])],
  mset: [keySpecRange(1, -1, 2, ['OW', 'update'])],
  msetnx: [keySpecRange(1, -1, 2, ['OW', 'insert'])],
  'object|encoding': [keySpecRange(2, 0, 1, ['RO'])],
  'object|freq': [keySpecRange(2, 0, 1, ['RO'])],
  'object|idletime': [keySpecRange(2, 0, 1, ['RO'])],
  'object|refcount': [keySpecRange(2, 0, 1, ['RO'])],
  psetex: [keySpecRange(1, 0, 1, ['OW', 'update'])],
  rename: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete']), keySpecRange(2, 0, 1, ['OW', 'update'])],
  renamenx: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete']), keySpecRange(2, 0, 1, ['OW', 'insert'])],
  rpop: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete'])],
  rpoplpush: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete']), keySpecRange(2, 0, 1, ['RW', 'insert'])],
  rpush: [keySpecRange(1, 0, 1, ['RW', 'insert'])],
  rpushx: [keySpecRange(1, 0, 1, ['RW', 'insert'])],
  sadd: [keySpecRange(1, 0, 1, ['RW', 'insert'])],
  scard: [keySpecRange(1, 0, 1, ['RO'])],
  sdiffstore: [keySpecRange(1, 0, 1, ['OW', 'update']), keySpecRange(2, -1, 1, ['RO', 'access'])],
  set: [{ ...keySpecRange(1, 0, 1, ['RW', 'access', 'update', 'variable_flags']), notes: 'RW and ACCESS due to the optional `GET` argument' }],
  setex: [keySpecRange(1, 0, 1, ['OW', 'update'])],
  setnx: [keySpecRange(1, 0, 1, ['OW', 'insert'])],
  sintercard: [keySpecKeynum(1, 0, 1, 1, ['RO', 'access'])],
  sinterstore: [keySpecRange(1, 0, 1, ['RW', 'update']), keySpecRange(2, -1, 1, ['RO', 'access'])],
  sismember: [keySpecRange(1, 0, 1, ['RO'])],
  smove: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete']), keySpecRange(2, 0, 1, ['RW', 'insert'])],
  spop: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete'])],
  spublish: [keySpecRange(1, 0, 1, ['not_key'])],
  srem: [keySpecRange(1, 0, 1, ['RW', 'delete'])],
  ssubscribe: [keySpecRange(1, -1, 1, ['not_key'])],
  strlen: [keySpecRange(1, 0, 1, ['RO'])],
  sunionstore: [keySpecRange(1, 0, 1, ['OW', 'update']), keySpecRange(2, -1, 1, ['RO', 'access'])],
  sunsubscribe: [keySpecRange(1, -1, 1, ['not_key'])],
  touch: [keySpecRange(1, -1, 1, ['RO'])],
  type: [keySpecRange(1, 0, 1, ['RO'])],
  unlink: [keySpecRange(1, -1, 1, ['RM', 'delete'])],
  watch: [keySpecRange(1, -1, 1, ['RO'])],
  zcard: [keySpecRange(1, 0, 1, ['RO'])],
  zdiff: [keySpecKeynum(1, 0, 1, 1, ['RO', 'access'])],
  zdiffstore: [keySpecRange(1, 0, 1, ['OW', 'update']), keySpecKeynum(2, 0, 1, 1, ['RO', 'access'])],
  zincrby: [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])],
  zinter: [keySpecKeynum(1, 0, 1, 1, ['RO', 'access'])],
  zintercard: [keySpecKeynum(1, 0, 1, 1, ['RO', 'access'])],
  zinterstore: [keySpecRange(1, 0, 1, ['OW', 'update']), keySpecKeynum(2, 0, 1, 1, ['RO', 'access'])],
  zmpop: [keySpecKeynum(1, 0, 1, 1, ['RW', 'access', 'delete'])],
  zpopmax: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete'])],
  zpopmin: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete'])],
  zrangestore: [keySpecRange(1, 0, 1, ['OW', 'update']), keySpecRange(2, 0, 1, ['RO', 'access'])],
  zrem: [keySpecRange(1, 0, 1, ['RW', 'delete'])],
  zremrangebylex: [keySpecRange(1, 0, 1, ['RW', 'delete'])],
  zremrangebyrank: [keySpecRange(1, 0, 1, ['RW', 'delete'])],
  zremrangebyscore: [keySpecRange(1, 0, 1, ['RW', 'delete'])],
  zunion: [keySpecKeynum(1, 0, 1, 1, ['RO', 'access'])],
  zunionstore: [keySpecRange(1, 0, 1, ['OW', 'update']), keySpecKeynum(2, 0, 1, 1, ['RO', 'access'])],

};

/** The command's key specs (explicit, Redis's from the table above, or derived from its key positions). */
export function keySpecsOf(spec: CommandSpec): KeySpec[] {
  if (spec.keySpecs?.length) return spec.keySpecs;
  const known = REDIS_KEY_SPECS[spec.fullname ?? spec.name];
  if (known) return known;
  if (spec.keySpecs) return spec.keySpecs;
  if (spec.firstKey <= 0) return [];
  const f = new Set<string>(spec.flags);
  const flags = f.has('write') ? ['RW', 'update'] : ['RO', 'access'];
  return [{
    flags,
    beginSearch: { type: 'index', pos: spec.firstKey },
    findKeys: { type: 'range', lastKey: spec.lastKey < 0 ? spec.lastKey : spec.lastKey - spec.firstKey, keyStep: spec.step, limit: 0 },
  }];
}

/** The flags of the key spec a key position belongs to (the first spec covering it). */
export function keySpecFlagsAt(specs: KeySpec[], pos: number): string[] {
  for (const ks of specs) {
    if (ks.beginSearch.type === 'index' && ks.findKeys.type === 'range') {
      const first = ks.beginSearch.pos;
      if (pos < first) continue;
      if (ks.findKeys.lastKey >= 0 && pos > first + ks.findKeys.lastKey) continue;
      if ((pos - first) % Math.max(1, ks.findKeys.keyStep) !== 0) continue;
    }
    return ks.flags;
  }
  return [];
}

const RO_ACCESS = ['RO', 'access'];
const RW_ACCESS_UPDATE = ['RW', 'access', 'update'];
const OW_UPDATE = ['OW', 'update'];

/**
 * getKeysFromCommandWithSpecs: each key of this call with the flags saying how it is touched.
 * Key specs give the flags unless a spec has variable flags or can't be searched (unknown,
 * incomplete); then Redis asks the command's getkeys proc, whose flags depend on the
 * arguments: SET reads its key only with GET (setGetKeys), BITFIELD only writes with a SET or
 * INCRBY (bitfieldGetKeys), SORT reads its key and overwrites STORE's (sortGetKeys), MIGRATE
 * reads and deletes every key (migrateGetKeys).
 */
export function keysWithFlags(spec: CommandSpec, argv: string[], positions: number[]): { pos: number; flags: string[] }[] {
  if (!spec.parent) {
    switch (spec.name) {
      case 'set': {
        const withGet = argv.slice(3).some((a) => a.toLowerCase() === 'get');
        return positions.map((pos) => ({ pos, flags: withGet ? RW_ACCESS_UPDATE : OW_UPDATE }));
      }
      case 'bitfield': return positions.map((pos) => ({ pos, flags: bitfieldReadOnly(argv) ? RO_ACCESS : RW_ACCESS_UPDATE }));
      case 'sort': return positions.map((pos, i) => ({ pos, flags: i === 0 ? RO_ACCESS : OW_UPDATE }));
      case 'sort_ro': return positions.map((pos) => ({ pos, flags: RO_ACCESS }));
      case 'migrate': return positions.map((pos) => ({ pos, flags: ['RW', 'access', 'delete'] }));
    }
  }
  const specs = keySpecsOf(spec);
  return positions.map((pos) => ({ pos, flags: keySpecFlagsAt(specs, pos) }));
}

/** bitfieldGetKeys' test: GETs and OVERFLOWs only (a syntax error counts as a write, to be safe). */
function bitfieldReadOnly(argv: string[]): boolean {
  for (let i = 2; i < argv.length; i++) {
    const left = argv.length - i - 1;
    const a = argv[i].toLowerCase();
    if (a === 'get' && left >= 2) i += 2;
    else if (a === 'overflow' && left >= 1) i += 1;
    else return false;
  }
  return true;
}
