/**
 * The Linux kernel settings redis-server looks at, and what it says about them (syscheck.c and
 * server.c in 7.0.15):
 *
 * - /proc/sys/net/core/somaxconn caps every listen backlog; when it is positive and lower than
 *   `tcp-backlog`, a warning names both numbers (checkTcpBacklogSettings). Logged after the
 *   logo / "Running mode" line, before "Server initialized", in Sentinel mode too.
 * - /proc/sys/vm/overcommit_memory other than 1 lets a fork for BGSAVE/BGREWRITEAOF/full sync
 *   fail (checkOvercommit); the warning follows "Server initialized" (not in Sentinel mode).
 * - /sys/kernel/mm/transparent_hugepage/enabled at `[always]` (checkTHPEnabled): at start-up
 *   only a warning when `disable-thp no`, since otherwise prctl(PR_SET_THP_DISABLE) turns THP
 *   off for the process and Redis says nothing.
 * - the `xen` clock source (checkXenClocksource), logged after those.
 * - `redis-server --check-system` runs the four checks of syscheck() in order (x86-64: no
 *   madvise-free fork bug check, which is arm64's), see syscheck.ts.
 *
 * A file that cannot be read (no /proc, another OS) means no check and no warning, as fopen()
 * failing does in Redis. The files are read through os.fs like any other file, so the
 * simulated hosts' /proc and /sys and the real machine's both work.
 */
import type { Os } from '../os';
import { bytesToStr } from '../bytes';

export const SOMAXCONN_PATH = '/proc/sys/net/core/somaxconn';
export const OVERCOMMIT_PATH = '/proc/sys/vm/overcommit_memory';
export const THP_PATH = '/sys/kernel/mm/transparent_hugepage/enabled';
export const MEMINFO_PATH = '/proc/meminfo';
export const CLOCKSOURCE_CURRENT_PATH = '/sys/devices/system/clocksource/clocksource0/current_clocksource';
export const CLOCKSOURCE_AVAILABLE_PATH = '/sys/devices/system/clocksource/clocksource0/available_clocksource';

/*
 * The text of Debian's build (linked with jemalloc, which adds the sentence about jemalloc
 * issue 1328): the line must read like the real redis-server's on the same machine.
 */
export const OVERCOMMIT_MESSAGE = 'Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. '
  + 'Being disabled, it can can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. '
  + "To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.";
export const OVERCOMMIT_WARNING = `WARNING ${OVERCOMMIT_MESSAGE}`;

export const THP_MESSAGE = 'You have Transparent Huge Pages (THP) support enabled in your kernel. This will create latency and memory usage issues with Redis. '
  + "To fix this issue run the command 'echo madvise > /sys/kernel/mm/transparent_hugepage/enabled' as root, "
  + "and add it to your /etc/rc.local in order to retain the setting after a reboot. Redis must be restarted after THP is disabled (set to 'madvise' or 'never').";

export const XEN_CLOCKSOURCE_MESSAGE = "Your system is configured to use the 'xen' clocksource which might lead to degraded performance. "
  + "Check the result of the [slow-clocksource] system check: run 'redis-server --check-system' to check if the system's clocksource isn't degrading performance.";

export function slowClocksourceMessage(current: string | null, available: string | null): string {
  return "Slow system clocksource detected. This can result in degraded performance. Consider changing the system's clocksource. "
    + `Current clocksource: ${current ?? ''}. Available clocksources: ${available ?? ''}. `
    + "For example: run the command 'echo tsc > /sys/devices/system/clocksource/clocksource0/current_clocksource' as root. "
    + "To permanently change the system's clocksource you'll need to set the 'clocksource=' kernel command line parameter.";
}

/** A check's answer, as syscheck.c's: 1 fine, 0 could not tell (skipped), -1 a warning with its text. */
export type CheckResult = { result: 1 | 0 } | { result: -1; message: string };

/**
 * The first line of a file as fgets(buf, size) reads it (at most size - 1 bytes, through the
 * newline), or null when it cannot be opened or is empty.
 */
export async function readFirstLine(os: Os, path: string, size = 1024): Promise<string | null> {
  let text: string;
  try { text = bytesToStr(await os.fs.readFile(path)); } catch { return null; }
  if (text === '') return null;
  const nl = text.indexOf('\n');
  return (nl >= 0 ? text.slice(0, nl + 1) : text).slice(0, size - 1);
}

/** read_sysfs_line(): the first line (fgets of 256), blanks and newlines trimmed off both ends. */
export async function readSysfsLine(os: Os, path: string): Promise<string | null> {
  const line = await readFirstLine(os, path, 256);
  return line === null ? null : line.replace(/^[ \n]+|[ \n]+$/g, '');
}

/** C's atoi/strtol(…, 10): leading blanks, a sign, digits; anything else ends the number. */
export function leadingInt(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : 0;
}

/** Start reading the files now (they are read at start-up, one after the other in Redis). */
export function readLinuxSettings(os: Os): { somaxconn: Promise<string | null>; overcommit: Promise<string | null>; thp: Promise<string | null>; clocksource: Promise<string | null>; memTotalBytes: Promise<number> } {
  const somaxconn = readFirstLine(os, SOMAXCONN_PATH);
  const overcommit = readFirstLine(os, OVERCOMMIT_PATH, 64);
  const thp = readFirstLine(os, THP_PATH);
  const clocksource = readSysfsLine(os, CLOCKSOURCE_CURRENT_PATH);
  return { somaxconn, overcommit, thp, clocksource, memTotalBytes: readMemTotalBytes(os) };
}

/**
 * zmalloc_get_memory_size(): the machine's RAM (sysconf(_SC_PHYS_PAGES) pages, the same figure
 * as /proc/meminfo's MemTotal), for INFO total_system_memory; 0 when it cannot be read.
 */
export async function readMemTotalBytes(os: Os): Promise<number> {
  let text: string;
  try { text = bytesToStr(await os.fs.readFile(MEMINFO_PATH)); } catch { return 0; }
  const kb = text.match(/^MemTotal:\s+(\d+) kB$/m);
  return kb ? Number(kb[1]) * 1024 : 0;
}

/** The somaxconn warning, or null. */
export function tcpBacklogWarning(somaxconnLine: string | null, tcpBacklog: number): string | null {
  if (somaxconnLine === null) return null;
  // atoi() into an int.
  const somaxconn = leadingInt(somaxconnLine) | 0;
  if (somaxconn > 0 && somaxconn < tcpBacklog) {
    return `WARNING: The TCP backlog setting of ${tcpBacklog} cannot be enforced because ${SOMAXCONN_PATH} is set to the lower value of ${somaxconn}.`;
  }
  return null;
}

/** checkOvercommit(): strtol of the first line must be 1. */
export function checkOvercommit(overcommitLine: string | null): CheckResult {
  if (overcommitLine === null) return { result: 0 };
  return leadingInt(overcommitLine) !== 1 ? { result: -1, message: OVERCOMMIT_MESSAGE } : { result: 1 };
}

/** checkTHPEnabled(): `[always]` anywhere in the first line warns. */
export function checkThp(thpLine: string | null): CheckResult {
  if (thpLine === null) return { result: 0 };
  return thpLine.includes('[always]') ? { result: -1, message: THP_MESSAGE } : { result: 1 };
}

/** checkXenClocksource(): the current clock source, trimmed, must not be `xen`. */
export function checkXenClocksource(current: string | null): CheckResult {
  if (current === null) return { result: 0 };
  return current === 'xen' ? { result: -1, message: XEN_CLOCKSOURCE_MESSAGE } : { result: 1 };
}

/**
 * checkClocksource(): a busy loop of clock reads for five ticks of the system clock (50 ms at
 * Linux's 100 Hz); more than a tenth of it in system time means reading the clock enters the
 * kernel: a slow clock source. A host that cannot run the loop or tell the CPU time skips it.
 */
export async function checkSlowClocksource(os: Os): Promise<CheckResult> {
  if (!os.spinClock || !os.cpuUsage) return { result: 0 };
  const testMs = (5 * 1000) / 100;
  const before = os.cpuUsage();
  os.spinClock(testMs);
  const after = os.cpuUsage();
  // getrusage() counts microseconds.
  const sysUs = Math.round((after.sysMs - before.sysMs) * 1000);
  const userUs = Math.round((after.userMs - before.userMs) * 1000);
  if (sysUs * 10 <= sysUs + userUs) return { result: 1 };
  const available = await readSysfsLine(os, CLOCKSOURCE_AVAILABLE_PATH);
  const current = await readSysfsLine(os, CLOCKSOURCE_CURRENT_PATH);
  return { result: -1, message: slowClocksourceMessage(current, available) };
}

/** The start-up warnings of linuxMemoryWarnings() and the xen check, in their order. */
export function startupWarnings(settings: { overcommit: string | null; thp: string | null; clocksource: string | null }, disableThp: boolean): string[] {
  const out: string[] = [];
  const overcommit = checkOvercommit(settings.overcommit);
  if (overcommit.result === -1) out.push(`WARNING ${overcommit.message}`);
  // With disable-thp yes, prctl(PR_SET_THP_DISABLE) succeeds and the warning is not logged.
  const thp = checkThp(settings.thp);
  if (thp.result === -1 && !disableThp) out.push(`WARNING ${thp.message}`);
  const xen = checkXenClocksource(settings.clocksource);
  if (xen.result === -1) out.push(`WARNING ${xen.message}`);
  return out;
}
