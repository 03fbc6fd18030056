/**
 * Keyspace notification classes (notify.c): the `notify-keyspace-events` letters as bit flags.
 *
 * `A` is an alias for "g$lshzxetd" (not `m`, not `n`). When the flags are printed back
 * (CONFIG GET), `A` replaces the whole group and `n` is only shown when `A` is not: a setting
 * of "AKEn" prints as "AKE" but still delivers `new` events. The config therefore stores a
 * canonical string that keeps every letter (`notifyFlagsToStorage`), and shows
 * `notifyFlagsToString`.
 */

export const NOTIFY: Record<string, number> = {
  K: 1 << 0, E: 1 << 1, g: 1 << 2, $: 1 << 3, l: 1 << 4, s: 1 << 5, h: 1 << 6, z: 1 << 7,
  x: 1 << 8, e: 1 << 9, t: 1 << 10, m: 1 << 11, d: 1 << 13, n: 1 << 14,
};

const ALL = NOTIFY.g | NOTIFY.$ | NOTIFY.l | NOTIFY.s | NOTIFY.h | NOTIFY.z | NOTIFY.x | NOTIFY.e | NOTIFY.t | NOTIFY.d;

/** keyspaceEventsStringToFlags(): null for a character that is no class. */
export function parseNotifyFlags(s: string): number | null {
  let flags = 0;
  for (const ch of s) {
    if (ch === 'A') flags |= ALL;
    else if (ch in NOTIFY) flags |= NOTIFY[ch];
    else return null;
  }
  return flags;
}

/** keyspaceEventsFlagsToString(): what CONFIG GET shows. */
export function notifyFlagsToString(flags: number): string {
  let out = '';
  if ((flags & ALL) === ALL) {
    out += 'A';
  } else {
    for (const ch of 'g$lshzxetdn') if (flags & NOTIFY[ch]) out += ch;
  }
  for (const ch of 'KEm') if (flags & NOTIFY[ch]) out += ch;
  return out;
}

/** A canonical string that loses nothing (every letter, no `A`). */
export function notifyFlagsToStorage(flags: number): string {
  let out = '';
  for (const ch of 'g$lshzxetdnKEm') if (flags & NOTIFY[ch]) out += ch;
  return out;
}

let cachedText = '';
let cachedFlags = 0;

/** Flags of a stored setting (cached: this runs for every keyspace event). */
export function notifyFlagsFromString(s: string): number {
  if (s !== cachedText) {
    cachedText = s;
    cachedFlags = parseNotifyFlags(s) ?? 0;
  }
  return cachedFlags;
}
