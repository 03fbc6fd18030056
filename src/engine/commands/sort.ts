/**
 * SORT and SORT_RO (sort.c).
 *
 * The algorithm, in Redis's order:
 * 1. Parse ASC/DESC, ALPHA, LIMIT offset count, BY pattern, GET pattern (repeatable) and, for
 *    SORT only, STORE destination. A BY pattern without '*' means "don't sort" (the elements
 *    keep the list's or sorted set's own order); a real BY pattern or any GET is refused in
 *    cluster mode.
 * 2. Load the key (list, set or sorted set; a missing key is an empty list). A set with
 *    "don't sort" is still sorted ALPHA when the result is stored, so replicas get the same
 *    list. A listpack sorted set is converted to a skiplist, as Redis does.
 * 3. Clamp LIMIT to the element count. When nothing is sorted and the source is ordered, only
 *    the requested range is loaded, walking backwards for DESC.
 * 4. Otherwise compute each element's weight: the element itself, or the string value (or
 *    hash field, `pattern->field`) found by substituting the element for the first '*' in
 *    BY. Numeric weights are parsed with strtod (a missing weight is 0; trailing garbage,
 *    NaN or out-of-range values fail the whole command); ALPHA compares bytes when storing and
 *    with strcoll otherwise (the C locale: bytes up to the first NUL). Equal numeric weights
 *    fall back to comparing the elements, so the order is deterministic. The sort is stable.
 * 5. Reply the range, or for each element the GET lookups (`#` is the element itself, a
 *    missing value is a nil); or store it as a list (missing GET values become empty
 *    strings) and reply its length. Storing nothing deletes the destination.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { keySpecRange } from './command';
import { getLongLongOrReply, optEq } from './util';
import { deleteStoreDestination, setKey } from './collection-util';
import { RList, type RedisValue } from '../keyspace/values';
import { string2d } from '../util/numbers';

const G = { group: 'generic', acl: ['@set', '@sortedset', '@list', '@dangerous'] };

/** A C string's view of a byte string: up to the first NUL. */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul >= 0 ? s.slice(0, nul) : s;
}

/**
 * lookupKeyByPattern(): `#` is the element; otherwise the first '*' is replaced by the element
 * and the key read (a string, or with `->field` a hash field). Null when there is no '*',
 * no such key, or the key has the wrong type.
 */
function lookupByPattern(c: Client, pattern: string, subst: string): string | null {
  const p = cstr(pattern);
  if (p === '#') return subst;
  const star = p.indexOf('*');
  if (star < 0) return null;
  // "->" after the '*' with something after it: a hash field dereference.
  const arrow = p.indexOf('->', star + 1);
  const field = arrow >= 0 && arrow + 2 < p.length ? pattern.slice(arrow + 2) : null;
  const keyEnd = field !== null ? arrow : pattern.length;
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, keyEnd);
  const v = c.db.lookupRead(key);
  if (v === undefined) return null;
  if (field !== null) {
    if (typeof v === 'string' || v.type !== 'hash') return null;
    return v.map.get(field) ?? null;
  }
  return typeof v === 'string' ? v : null;
}

const isCSpace = (ch: number) => ch === 32 || (ch >= 9 && ch <= 13);

/**
 * The weight strtod gives a value, or null when SORT must fail ("can't be converted"):
 * leading blanks are skipped, the value ends at a NUL, and an empty string is 0.
 */
function sortWeight(s: string): number | null {
  const t = cstr(s);
  if (t === '') return 0;
  let i = 0;
  while (i < t.length && isCSpace(t.charCodeAt(i))) i++;
  return string2d(t.slice(i));
}

/** memcmp then length: compareStringObjects. */
function binaryCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll in the C locale: byte order of the C strings. */
function collate(a: string, b: string): number {
  return binaryCompare(cstr(a), cstr(b));
}

interface SortItem { obj: string; score: number; cmp: string | null }

function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  const s = c.server;
  let desc = false, alpha = false, dontsort = false;
  let limitStart = 0, limitCount = -1;
  let sortby: string | null = null, storekey: string | null = null;
  const gets: string[] = [];
  const cluster = s.clusterEnabled();
  const user = s.acl.users.get(c.user);
  // BY with a pattern and GET read keys no key spec names: only a user who may read any key
  // may use them (the master link and internal clients have no user here and may).
  const readsAnyKey = !user || s.acl.mayReadAnyKey(user, c.cmd!, argv, (sp, a) => s.table.keyPositions(sp, a));
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (optEq(a, 'asc')) desc = false;
    else if (optEq(a, 'desc')) desc = true;
    else if (optEq(a, 'alpha')) alpha = true;
    else if (optEq(a, 'limit') && left >= 2) {
      const start = getLongLongOrReply(c, argv[j + 1]);
      if (start === null) return;
      const count = getLongLongOrReply(c, argv[j + 2]);
      if (count === null) return;
      limitStart = start;
      limitCount = count;
      j += 2;
    } else if (!readonly && optEq(a, 'store') && left >= 1) {
      storekey = argv[++j];
    } else if (optEq(a, 'by') && left >= 1) {
      sortby = argv[++j];
      if (!cstr(sortby).includes('*')) dontsort = true;
      else if (cluster) { c.replyError('BY option of SORT denied in Cluster mode.'); return; }
      else if (!readsAnyKey) { c.replyError('BY option of SORT denied due to insufficient ACL permissions.'); return; }
    } else if (optEq(a, 'get') && left >= 1) {
      if (cluster) { c.replyError('GET option of SORT denied in Cluster mode.'); return; }
      if (!readsAnyKey) { c.replyError('GET option of SORT denied due to insufficient ACL permissions.'); return; }
      gets.push(argv[++j]);
    } else {
      c.replySyntaxError();
      return;
    }
  }

  const found = c.db.lookupRead(argv[1]);
  if (found !== undefined && (typeof found === 'string' || found.type === 'hash' || found.type === 'stream')) { c.replyWrongType(); return; }
  const sortval: Exclude<RedisValue, string> = found ?? new RList();

  // An unsorted set must still be stored (or given to a script) in a deterministic order.
  if (dontsort && sortval.type === 'set' && (storekey !== null || c.isScript)) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  if (sortval.type === 'zset') sortval.convert('skiplist');

  const total = sortval.type === 'list' ? sortval.length : sortval.type === 'set' ? sortval.size : sortval.type === 'zset' ? sortval.length : 0;
  let start = Math.min(Math.max(limitStart, 0), total);
  const count = Math.min(Math.max(limitCount, -1), total);
  let end = count < 0 ? total - 1 : start + count - 1;
  if (start >= total) { start = total - 1; end = total - 2; }
  if (end >= total) end = total - 1;

  let vector: SortItem[] = [];
  const item = (obj: string): SortItem => ({ obj, score: 0, cmp: null });
  const ordered = sortval.type === 'list' || sortval.type === 'zset';
  if (ordered && dontsort) {
    // Only the requested range, in the source order (reversed for DESC).
    if (end >= start) {
      const n = end - start + 1;
      if (sortval.type === 'list') {
        for (let i = 0; i < n; i++) vector.push(item(sortval.get(desc ? sortval.length - start - 1 - i : start + i)));
      } else if (sortval.type === 'zset') {
        let node = desc ? sortval.zsl.getByRank(sortval.length - start) : sortval.zsl.getByRank(start + 1);
        for (let i = 0; i < n && node; i++) {
          vector.push(item(node.member));
          node = desc ? node.backward : node.forward[0];
        }
      }
    }
    end -= start;
    start = 0;
  } else if (sortval.type === 'list') {
    for (let i = 0; i < sortval.length; i++) vector.push(item(sortval.get(i)));
  } else if (sortval.type === 'set') {
    for (const m of sortval.set) vector.push(item(m));
  } else if (sortval.type === 'zset') {
    for (const m of sortval.dict.keys()) vector.push(item(m));
  }

  let conversionError = false;
  if (!dontsort) {
    for (const it of vector) {
      let byval: string | null;
      if (sortby !== null) {
        byval = lookupByPattern(c, sortby, it.obj);
        if (byval === null) continue;
      } else {
        byval = it.obj;
      }
      if (alpha) {
        if (sortby !== null) it.cmp = byval;
      } else {
        const w = sortWeight(byval);
        if (w === null) conversionError = true;
        else it.score = w;
      }
    }
    const store = storekey !== null;
    const byPattern = sortby !== null;
    const compare = (a: SortItem, b: SortItem): number => {
      let r: number;
      if (!alpha) {
        r = a.score > b.score ? 1 : a.score < b.score ? -1 : binaryCompare(a.obj, b.obj);
      } else if (byPattern) {
        if (a.cmp === null || b.cmp === null) r = a.cmp === b.cmp ? 0 : a.cmp === null ? -1 : 1;
        else r = store ? binaryCompare(a.cmp, b.cmp) : collate(a.cmp, b.cmp);
      } else {
        r = store ? binaryCompare(a.obj, b.obj) : collate(a.obj, b.obj);
      }
      return desc ? -r : r;
    };
    vector = vector.sort(compare);
  }

  const outputLen = gets.length ? gets.length * (end - start + 1) : end - start + 1;
  if (conversionError) {
    c.replyError("One or more scores can't be converted into double");
  } else if (storekey === null) {
    c.replyArrayLen(outputLen);
    for (let j = start; j <= end; j++) {
      if (!gets.length) c.replyBulk(vector[j].obj);
      for (const g of gets) c.replyBulkOrNull(lookupByPattern(c, g, vector[j].obj));
    }
  } else {
    const out = new RList();
    for (let j = start; j <= end; j++) {
      if (!gets.length) out.pushTail(vector[j].obj);
      else for (const g of gets) out.pushTail(lookupByPattern(c, g, vector[j].obj) ?? '');
    }
    if (outputLen) {
      setKey(c, storekey, out, true);
      s.notifyKeyspaceEvent('l', 'sortstore', storekey, c.db.id);
      s.dirty += outputLen;
    } else {
      deleteStoreDestination(c, storekey);
    }
    c.replyInt(outputLen);
  }
}

/** sortGetKeys(): the sorted key, and the destination of the last STORE. */
function sortKeys(argv: string[]): number[] {
  const keys = [1];
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    if (optEq(argv[i], 'limit')) i += 2;
    else if (optEq(argv[i], 'get') || optEq(argv[i], 'by')) i += 1;
    else if (optEq(argv[i], 'store') && i + 1 < argv.length) store = i + 1;
  }
  if (store > 0) keys.push(store);
  return keys;
}

const BY_GET_NOTE = "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort";
const STORE_NOTE = "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array";
const unknownSpec = (flags: string[], notes: string) => ({
  notes, flags, beginSearch: { type: 'unknown' as const }, findKeys: { type: 'unknown' as const },
});

const sortArgs = [
  { name: 'key', type: 'key' as const },
  { name: 'pattern', type: 'pattern' as const, keySpecIndex: 1, token: 'BY', optional: true },
  { name: 'offset_count', type: 'block' as const, token: 'LIMIT', optional: true, args: [{ name: 'offset', type: 'integer' as const }, { name: 'count', type: 'integer' as const }] },
  { name: 'pattern', type: 'pattern' as const, keySpecIndex: 1, token: 'GET', optional: true, multiple: true, multipleToken: true },
  { name: 'order', type: 'oneof' as const, optional: true, args: [{ name: 'asc', type: 'pure-token' as const, token: 'ASC' }, { name: 'desc', type: 'pure-token' as const, token: 'DESC' }] },
  { name: 'sorting', type: 'pure-token' as const, token: 'ALPHA', optional: true },
];

export const sortCommands: CommandSpec[] = [
  cmd('sort', -2, ['write', 'denyoom'], [1, 1, 1], {
    ...G, since: '1.0.0', summary: 'Sort the elements of a list, set or sorted set, optionally storing the result.',
    complexity: 'O(N+M*log(M)) where N is the number of elements to sort and M the number returned.',
    args: [...sortArgs, { name: 'destination', type: 'key', keySpecIndex: 2, token: 'STORE', optional: true }],
  }, (c, a) => sortGeneric(c, a, false), {
    getKeys: sortKeys,
    keySpecs: [keySpecRange(1, 0, 1, ['RO', 'access']), unknownSpec(['RO', 'access'], BY_GET_NOTE), unknownSpec(['OW', 'update'], STORE_NOTE)],
  }),
  cmd('sort_ro', -2, ['readonly'], [1, 1, 1], {
    ...G, since: '7.0.0', summary: 'Sort the elements of a list, set or sorted set (read-only variant).',
    complexity: 'O(N+M*log(M)) where N is the number of elements to sort and M the number returned.', args: sortArgs,
  }, (c, a) => sortGeneric(c, a, true), {
    getKeys: () => [1],
    keySpecs: [keySpecRange(1, 0, 1, ['RO', 'access']), unknownSpec(['RO', 'access'], BY_GET_NOTE)],
  }),
];
