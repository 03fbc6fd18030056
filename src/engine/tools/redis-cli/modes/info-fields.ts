/** Reading fields out of an INFO reply the way redis-cli does (first match anywhere). */
import { strtoll } from '../cformat';
import { fixed } from '../cformat';

/** getInfoField: the text after "<field>:" (or "<field>=") up to '\r' or ','. */
export function getInfoField(info: string, field: string): string | null {
  const at = info.indexOf(field);
  if (at < 0) return null;
  const start = at + field.length + 1;
  let end = info.indexOf('\r', start);
  const comma = info.indexOf(',', start);
  if (end < 0) end = info.length;
  if (comma >= 0 && comma < end) end = comma;
  return info.slice(start, end);
}

export const LONG_MIN = -9223372036854775808n;

/** getLongInfoField: the field as a number, LONG_MIN when missing. */
export function getLongInfoField(info: string, field: string): bigint {
  const v = getInfoField(info, field);
  return v === null ? LONG_MIN : strtoll(v);
}

/** bytesToHuman: 100B, 4.00K, 2.50M, 1.00G. */
export function bytesToHuman(n: bigint): string {
  let sign = '';
  if (n < 0n) { sign = '-'; n = -n; }
  const d = Number(n);
  if (n < 1024n) return `${sign}${n}B`;
  if (n < 1024n * 1024n) return `${sign}${fixed(d / 1024, 2)}K`;
  if (n < 1024n ** 3n) return `${sign}${fixed(d / (1024 * 1024), 2)}M`;
  if (n < 1024n ** 4n) return `${sign}${fixed(d / 1024 ** 3, 2)}G`;
  return sign;
}
