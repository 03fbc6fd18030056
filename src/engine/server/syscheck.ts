/**
 * `redis-server --check-system` (syscheck() in syscheck.c, 7.0.15, an x86-64 build): each
 * check in order prints `[name]...` and then `OK`, `skipped` (it could not tell) or `WARNING:`
 * with its message on the next line; the status is 0 when no check warned, else 1. The checks
 * read this host's /proc and /sys (linux-checks.ts).
 */
import type { Os } from '../os';
import {
  CLOCKSOURCE_CURRENT_PATH, OVERCOMMIT_PATH, THP_PATH, checkOvercommit, checkSlowClocksource, checkThp, checkXenClocksource,
  readFirstLine, readSysfsLine, type CheckResult,
} from './linux-checks';

/** Run the checks, printing as syscheck() does; the exit status. */
export async function syscheck(os: Os): Promise<number> {
  const checks: [string, () => Promise<CheckResult>][] = [
    ['slow-clocksource', () => checkSlowClocksource(os)],
    ['xen-clocksource', async () => checkXenClocksource(await readSysfsLine(os, CLOCKSOURCE_CURRENT_PATH))],
    ['overcommit', async () => checkOvercommit(await readFirstLine(os, OVERCOMMIT_PATH, 64))],
    ['THP', async () => checkThp(await readFirstLine(os, THP_PATH))],
  ];
  let out = '';
  let ok = true;
  for (const [name, check] of checks) {
    const r = await check();
    out += `[${name}]...`;
    if (r.result === -1) {
      out += `WARNING:\n${r.message}\n`;
      ok = false;
    } else out += r.result === 1 ? 'OK\n' : 'skipped\n';
  }
  // stdout is a pipe or a file more often than not: one block, written at exit.
  os.stdout(out);
  return ok ? 0 : 1;
}
