/**
 * The Linux kernel settings redis-server looks at when it starts, and the warnings it logs
 * about them (checkTcpBacklogSettings in server.c and checkOvercommit in syscheck.c, 7.0.15):
 *
 * - /proc/sys/net/core/somaxconn caps every listen backlog; when it is positive and lower than
 *   `tcp-backlog`, a warning names both numbers. Logged after the logo / "Running mode" line,
 *   before "Server initialized", in Sentinel mode too.
 * - /proc/sys/vm/overcommit_memory other than 1 lets a fork for BGSAVE/BGREWRITEAOF/full sync
 *   fail; the warning follows "Server initialized" (not in Sentinel mode).
 *
 * A file that cannot be read (no /proc, another OS) means no check and no warning, as fopen()
 * failing does in Redis. The files are read through os.fs like any other file, so the
 * simulated hosts' /proc/sys and the real machine's both work.
 */
import type { Os } from '../os';
import { bytesToStr } from '../bytes';

export const SOMAXCONN_PATH = '/proc/sys/net/core/somaxconn';
export const OVERCOMMIT_PATH = '/proc/sys/vm/overcommit_memory';

/*
 * The text of Debian's build (linked with jemalloc, which adds the sentence about jemalloc
 * issue 1328): the line must read like the real redis-server's on the same machine.
 */
export const OVERCOMMIT_WARNING = 'WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. '
  + 'Being disabled, it can can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. '
  + "To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.";

/** The first line of a file (fgets), or null when it cannot be opened or is empty. */
async function readFirstLine(os: Os, path: string): Promise<string | null> {
  let text: string;
  try { text = bytesToStr(await os.fs.readFile(path)); } catch { return null; }
  if (text === '') return null;
  const nl = text.indexOf('\n');
  return nl >= 0 ? text.slice(0, nl + 1) : text;
}

/** C's atoi/strtol(…, 10): leading blanks, a sign, digits; anything else ends the number. */
export function leadingInt(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : 0;
}

/** Start reading both files now (they are read at start-up, one after the other in Redis). */
export function readLinuxSettings(os: Os): { somaxconn: Promise<string | null>; overcommit: Promise<string | null> } {
  const somaxconn = readFirstLine(os, SOMAXCONN_PATH);
  const overcommit = readFirstLine(os, OVERCOMMIT_PATH);
  return { somaxconn, overcommit };
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

/** The overcommit warning, or null. */
export function overcommitWarning(overcommitLine: string | null): string | null {
  if (overcommitLine === null) return null;
  return leadingInt(overcommitLine) !== 1 ? OVERCOMMIT_WARNING : null;
}
