/**
 * Quantities with units, shared by the check language, solution lines (`wait 35s`) and the
 * front matter (`at: 90s`). Durations are kept in milliseconds; sizes in bytes, with the same
 * 1024-based suffixes redis.conf uses (kb, mb, gb). Minutes are `m`; Redis's ambiguous size
 * suffixes `k`/`m`/`g` (powers of 1000) are not accepted, to keep `5m` meaning five minutes.
 */

export const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

export const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1024,
  mb: 1024 * 1024,
  gb: 1024 * 1024 * 1024,
};

export const UNIT_HELP = 'durations take ms, s, m, h or d (30s, 5m); sizes take b, kb, mb or gb (64kb)';

const QUANTITY = /^(\d+(?:\.\d+)?)([a-z]+)$/;

/** `35s` → 35000; null if the text is not a duration. */
export function parseDuration(text: string): number | null {
  const m = QUANTITY.exec(text.trim());
  if (!m || !(m[2] in DURATION_UNITS)) return null;
  return Math.round(Number(m[1]) * DURATION_UNITS[m[2]]);
}

/** `64kb` → 65536; null if the text is not a size. */
export function parseSize(text: string): number | null {
  const m = QUANTITY.exec(text.trim());
  if (!m || !(m[2] in SIZE_UNITS)) return null;
  return Math.round(Number(m[1]) * SIZE_UNITS[m[2]]);
}

/** 95000 → "1m 35s"; 1500 → "1.5s"; 250 → "250ms". For reports and explanations. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${Math.round(rest)}ms`;
  if (rest < 60_000) return `${sign}${Number((rest / 1000).toFixed(3))}s`;
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest >= 1000) parts.push(`${Number((rest / 1000).toFixed(1))}s`);
  return sign + parts.join(' ');
}
