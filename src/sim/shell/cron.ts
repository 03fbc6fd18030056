/**
 * Crontab parsing and matching (Vixie cron's five fields: minute hour day-of-month month
 * day-of-week; `*`, lists, ranges, steps, names, and the @hourly-style shortcuts). The cron
 * daemon itself runs in the world on virtual time: it wakes at every minute boundary of the
 * host's clock while the crontab is not empty.
 */

export interface CronEntry { minute: Set<number>; hour: Set<number>; dom: Set<number>; month: Set<number>; dow: Set<number>; domStar: boolean; dowStar: boolean; command: string; reboot: boolean }

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DOW_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const SHORTCUTS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

function field(text: string, min: number, max: number, names: string[] | null): Set<number> | null {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const [rangeText, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return null;
    let lo = min;
    let hi = max;
    if (rangeText !== '*') {
      const [a, b] = rangeText.split('-');
      const num = (s: string) => {
        if (names) { const i = names.indexOf(s.toLowerCase()); if (i >= 0) return i + (min === 1 ? 1 : 0); }
        return /^\d+$/.test(s) ? Number(s) : NaN;
      };
      lo = num(a);
      hi = b === undefined ? (stepText === undefined ? lo : max) : num(b);
      if (Number.isNaN(lo) || Number.isNaN(hi) || lo < min || hi > max || lo > hi) return null;
    }
    for (let v = lo; v <= hi; v += step) out.add(v === 7 && names === DOW_NAMES ? 0 : v);
  }
  return out;
}

/** Entries, or an error text like cron's ("0: bad minute"). */
export function parseCrontab(text: string): CronEntry[] | string {
  const entries: CronEntry[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line || line.startsWith('#')) continue;
    if (/^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) continue;
    let spec = line;
    let reboot = false;
    if (line.startsWith('@')) {
      const [sc, ...rest] = line.split(/\s+/);
      if (sc === '@reboot') { reboot = true; spec = `0 0 1 1 * ${rest.join(' ')}`; }
      else if (SHORTCUTS[sc]) spec = `${SHORTCUTS[sc]} ${rest.join(' ')}`;
      else return `${n + 1}: bad time specifier`;
    }
    const parts = spec.split(/\s+/);
    if (parts.length < 6) return `${n + 1}: bad ${['minute', 'hour', 'day-of-month', 'month', 'day-of-week', 'command'][Math.min(parts.length, 5)]}`;
    const minute = field(parts[0], 0, 59, null);
    if (!minute) return `${n + 1}: bad minute`;
    const hour = field(parts[1], 0, 23, null);
    if (!hour) return `${n + 1}: bad hour`;
    const dom = field(parts[2], 1, 31, null);
    if (!dom) return `${n + 1}: bad day-of-month`;
    const month = field(parts[3], 1, 12, MONTH_NAMES);
    if (!month) return `${n + 1}: bad month`;
    const dow = field(parts[4], 0, 7, DOW_NAMES);
    if (!dow) return `${n + 1}: bad day-of-week`;
    const command = spec.replace(/^(\S+\s+){5}/, '');
    entries.push({ minute, hour, dom, month, dow, domStar: parts[2] === '*', dowStar: parts[4] === '*', command, reboot });
  }
  return entries;
}

/** Does the entry fire at this local minute? (Vixie cron's day-of-month OR day-of-week rule.) */
export function cronMatches(e: CronEntry, localMs: number): boolean {
  if (e.reboot) return false;
  const d = new Date(localMs);
  if (!e.minute.has(d.getUTCMinutes()) || !e.hour.has(d.getUTCHours()) || !e.month.has(d.getUTCMonth() + 1)) return false;
  const domOk = e.dom.has(d.getUTCDate());
  const dowOk = e.dow.has(d.getUTCDay());
  if (e.domStar || e.dowStar) return domOk && dowOk;
  return domOk || dowOk;
}
