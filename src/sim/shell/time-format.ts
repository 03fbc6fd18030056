/**
 * What the `time` keyword prints, as bash 5.2 formats it from TIMEFORMAT: `%%` a percent sign,
 * `%[p][l]R|U|S` the real, user and system seconds with p (0..3, 3 when absent or larger)
 * digits after the point, truncated, not rounded; `l` writes them as `MmS.FFFs`; `%P` the CPU
 * share, (user + sys) / real, as a percentage with two decimals (no precision nor `l` allowed).
 * A `%` at the very end stands for itself; any other character after `%` is an error, and then
 * nothing is printed. Backslashes are not escapes. A newline follows the text.
 */

/** bash's format when TIMEFORMAT is unset, and `time -p`'s (POSIX's). */
export const DEFAULT_TIMEFORMAT = '\nreal\t%3lR\nuser\t%3lU\nsys\t%3lS';
export const POSIX_TIMEFORMAT = 'real %2R\nuser %2U\nsys %2S';

/** Milliseconds as seconds with `digits` (0..3) truncated decimals; `long`: `MmS.FFFs`. */
function seconds(ms: number, digits: number, long: boolean): string {
  const whole = Math.floor(ms / 1000);
  const frac = digits > 0 ? `.${String(Math.floor(ms) % 1000).padStart(3, '0').slice(0, digits)}` : '';
  return long ? `${Math.floor(whole / 60)}m${whole % 60}${frac}s` : `${whole}${frac}`;
}

/** The report (with its newline), or the character bash refuses (its error is the caller's). */
export function formatTimes(format: string, realMs: number, userMs: number, sysMs: number): { text: string } | { badChar: string } {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') { out += c; continue; }
    if (i === format.length - 1) { out += '%'; break; }
    let k = i + 1;
    if (format[k] === '%') { out += '%'; i = k; continue; }
    if (format[k] === 'P') {
      const hundredths = realMs > 0 ? Math.floor(((userMs + sysMs) * 10000) / realMs) : 0;
      out += `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
      i = k;
      continue;
    }
    let digits = 3;
    if (/[0-9]/.test(format[k] ?? '')) digits = Math.min(3, Number(format[k++]));
    const long = format[k] === 'l';
    if (long) k++;
    const which = format[k];
    const ms = which === 'R' ? realMs : which === 'U' ? userMs : which === 'S' ? sysMs : null;
    if (ms === null) return { badChar: which ?? '\0' };
    out += seconds(ms, digits, long);
    i = k;
  }
  return { text: `${out}\n` };
}
