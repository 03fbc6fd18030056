/**
 * The deep check of one listpack of a stream (streamValidateListpackIntegrity), which
 * redis-check-rdb and sanitize-dump-payload run on every stream node.
 *
 * A node listpack holds a master entry (count, deleted count, the master field names, a 0
 * terminator) and then, for every live or deleted entry: flags, the ID's ms and seq deltas,
 * the fields when they differ from the master's (count and names), the values, and the
 * entry's element count. Redis walks it with lpValidateNext, one entry ahead of the one it
 * interprets; the walk here keeps that shape because its corner cases decide the verdict:
 * the listpack's end marker read as a number is valid (lpGet returns 12345678900000255 for
 * it), the entry counter is a signed 64-bit number that ends only at exactly zero, and the
 * header's element count is never compared.
 */
import { decodeListpack } from './listpack';
import { isInt64String } from '../../util/numbers';

/** lpGet on the end marker byte (0xff) falls through to this "integer". */
const LP_EOF_AS_INTEGER = 12345678900000255n;
const SAME_FIELDS_FLAG = 2n;

/**
 * Whether `lp` is a well-formed stream node listpack (with `deep`); without it only the
 * listpack itself is checked. Returns the elements, or null when the check fails.
 */
export function validateStreamListpack(lp: Uint8Array, deep: boolean): string[] | null {
  const items = decodeListpack(lp, deep, false);
  if (!items || !deep) return items;
  const n = items.length;
  if (n === 0) return null; // lpValidateNext(NULL): an empty listpack fails here, not as "empty"
  // `p` is the entry being interpreted, `next` the one lpValidateNext last reached (n is the
  // end marker, null is past it).
  let p = 0;
  let next: number | null = 1;
  const advance = (): boolean => {
    if (next === null) return false;
    p = next;
    next = next < n ? next + 1 : null;
    return true;
  };
  const int = (): bigint | null => {
    if (p === n) return LP_EOF_AS_INTEGER;
    return isInt64String(items[p]) ? BigInt(items[p]) : null;
  };

  const count = int();
  if (count === null || !advance()) return null;
  const deleted = int();
  if (deleted === null || !advance()) return null;
  const masterFields = int();
  if (masterFields === null || !advance()) return null;
  for (let j = 0n; j < masterFields; j++) if (!advance()) return null;
  if (int() !== 0n || !advance()) return null;

  // int64 arithmetic: the sum wraps, and a negative count runs until the listpack ends.
  for (let left = BigInt.asIntN(64, count + deleted); left !== 0n; left = BigInt.asIntN(64, left - 1n)) {
    let fields = masterFields;
    let extraFields = 3n;
    const flags = int();
    if (flags === null || !advance()) return null;
    if (int() === null || !advance()) return null; // ID ms delta
    if (int() === null || !advance()) return null; // ID seq delta
    if (!(flags & SAME_FIELDS_FLAG)) {
      const own = int();
      if (own === null || !advance()) return null;
      fields = own;
      for (let j = 0n; j < fields; j++) if (!advance()) return null;
      extraFields += fields + 1n;
    }
    for (let j = 0n; j < fields; j++) if (!advance()) return null;
    const lpCount = int();
    if (lpCount === null || BigInt.asIntN(64, lpCount) !== BigInt.asIntN(64, fields + extraFields)) return null;
    if (!advance()) return null;
  }
  return next === null ? items : null;
}
