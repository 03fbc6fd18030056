/**
 * Key specs and the per-call key flags Redis 7.0 derives from them: the one source of truth
 * for COMMAND INFO's key specs, COMMAND GETKEYSANDFLAGS and the ACL key checks (read
 * permission for `access`, write permission for `insert`/`delete`/`update`).
 *
 * Each family file states Redis 7.0.15's key specs in its commands' declarations, with the
 * builders below (flags saying how each key is touched: OW/RW/RO/RM and
 * access/insert/delete/update). A command that states none gets one spec derived from
 * firstKey/lastKey/step (RO/access, or RW/update for a write command), which is Redis's only
 * for the simplest commands: GET, HSET, SUNION...
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
 * The command's key specs: those its family file states, else one derived from its key
 * positions (RO/access for a read-only command, RW/update for a write).
 */
export function keySpecsOf(spec: CommandSpec): KeySpec[] {
  if (spec.keySpecs) return spec.keySpecs;
  if (spec.firstKey <= 0) return [];
  const flags = spec.flags.includes('write') ? ['RW', 'update'] : ['RO', 'access'];
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
