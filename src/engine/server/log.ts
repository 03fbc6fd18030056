/**
 * Redis's log line format: `<pid>:<role> <dd> <Mon> <yyyy> <hh:mm:ss.mmm> <level> <message>`,
 * role M (master), S (replica), C (child), X (sentinel); level `.` debug, `-` verbose,
 * `*` notice, `#` warning. Lines go to `logfile` when set, else to stdout.
 */
import type { Os } from '../os';
import { FOPEN_CREATE_MODE } from '../util/create-modes';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';
const LEVELS: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const MARKS = ['.', '-', '*', '#'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "21 Nov 2026 23:08:28.388" in the host's local time. */
export function formatLogTime(os: Pick<Os, 'tzOffsetMinutes'>, ms: number): string {
  const local = ms + os.tzOffsetMinutes(ms) * 60000;
  const days = Math.floor(local / 86400000);
  const msOfDay = local - days * 86400000;
  const { y, m, day } = civilFromDays(days);
  const h = Math.floor(msOfDay / 3600000);
  const mi = Math.floor(msOfDay / 60000) % 60;
  const s = Math.floor(msOfDay / 1000) % 60;
  const mms = Math.floor(msOfDay % 1000);
  return `${pad(day)} ${MONTHS[m - 1]} ${y} ${pad(h)}:${pad(mi)}:${pad(s)}.${pad(mms, 3)}`;
}

/** Days since 1970-01-01 → proleptic Gregorian date (Howard Hinnant's algorithm). */
export function civilFromDays(z: number): { y: number; m: number; day: number } {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: m <= 2 ? y + 1 : y, m, day };
}

export class Logger {
  /** Lines kept in memory for the UI's log view and tests. */
  readonly recent: string[] = [];
  private logfileHandle: { path: string; write(b: Uint8Array): void } | null = null;

  constructor(
    private readonly os: Os,
    private readonly role: () => string,
    private readonly level: () => LogLevel,
    private readonly logfile: () => string,
  ) {}

  /**
   * Whether a line at `level` would be written (the configured loglevel lets it through): code
   * that builds an expensive line (a CLIENT LIST entry, a query buffer dump) asks first.
   */
  enabled(level: LogLevel): boolean {
    return LEVELS[level] >= LEVELS[this.level()];
  }

  private emit(level: LogLevel, msg: string, raw = false, newline = true): void {
    if (!this.enabled(level)) return;
    const line = raw ? msg : `${this.os.pid}:${this.role()} ${formatLogTime(this.os, this.os.now())} ${MARKS[LEVELS[level]]} ${msg}`;
    const nl = newline ? '\n' : '';
    this.recent.push(line);
    if (this.recent.length > 1000) this.recent.splice(0, this.recent.length - 1000);
    const file = this.logfile();
    if (file) {
      try {
        if (!this.logfileHandle || this.logfileHandle.path !== file) this.logfileHandle = this.os.fs.open(file, 'append', { createMode: FOPEN_CREATE_MODE });
        const text = line + nl;
        const bytes = new Uint8Array(text.length);
        for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
        this.logfileHandle.write(bytes);
      } catch {
        this.os.stdout(line + nl);
      }
    } else {
      this.os.stdout(line + nl);
    }
  }

  debug(msg: string): void { this.emit('debug', msg); }
  verbose(msg: string): void { this.emit('verbose', msg); }
  notice(msg: string): void { this.emit('notice', msg); }
  warning(msg: string): void { this.emit('warning', msg); }
  /** A line with a custom role char (C for the config-loading phase, child processes). */
  withRole(roleChar: string, level: LogLevel, msg: string): void {
    if (!this.enabled(level)) return;
    this.emit(level, `${this.os.pid}:${roleChar} ${formatLogTime(this.os, this.os.now())} ${MARKS[LEVELS[level]]} ${msg}`, true);
  }
  /** A raw line (signal handler messages). */
  raw(text: string): void { this.emit('warning', text, true); }
  /** Raw text at a level, written as is without a newline (serverLogRaw with LL_RAW: the logo). */
  rawLevel(level: LogLevel, text: string): void { this.emit(level, text, true, false); }
}
