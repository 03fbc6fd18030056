/**
 * INFO in Sentinel mode (sentinelInfoCommand): only the server, clients, cpu and stats sections
 * of a normal server, plus the sentinel section (the monitored masters and their status). Used
 * by the INFO command of a sentinel and by read-only inspection (src/engine/inspect.ts), so a
 * lesson's `info(a, "sentinel")` and `master_of()` read the same text a client would.
 */
import type { RedisServer } from '../server/server';
import { genInfoString } from '../commands/info';
import { sentinelStateOf } from './registry';
import { SRI_O_DOWN, SRI_S_DOWN } from './state';
import { announceAddr } from './addr';

const INFO_SECTIONS = ['server', 'clients', 'cpu', 'stats', 'sentinel'];

export function sentinelInfoString(server: RedisServer, args: readonly string[]): string {
  const st = sentinelStateOf(server)!;
  let all = false;
  const wanted = new Set<string>();
  if (args.length === 0) {
    for (const s of INFO_SECTIONS) wanted.add(s);
  } else {
    for (const a of args) {
      const l = a.toLowerCase();
      if (l === 'default') for (const s of INFO_SECTIONS) wanted.add(s);
      else if (l === 'all' || l === 'everything') all = true;
      else if (INFO_SECTIONS.includes(l)) wanted.add(l);
    }
  }
  if (all) for (const s of INFO_SECTIONS) wanted.add(s);
  const core = INFO_SECTIONS.filter((s) => s !== 'sentinel' && wanted.has(s));
  let info = core.length ? genInfoString(server, core) : '';
  if (wanted.has('sentinel')) {
    if (info.length) info += '\r\n';
    const now = st.now();
    info += '# Sentinel\r\n' +
      `sentinel_masters:${st.masters.size}\r\n` +
      `sentinel_tilt:${st.tilt ? 1 : 0}\r\n` +
      `sentinel_tilt_since_seconds:${st.tilt ? Math.trunc((now - st.tiltStartTime) / 1000) : -1}\r\n` +
      `sentinel_running_scripts:${st.runningScripts}\r\n` +
      `sentinel_scripts_queue_length:${st.scriptsQueue.length}\r\n` +
      `sentinel_simulate_failure_flags:${st.simFailureFlags}\r\n`;
    let id = 0;
    for (const ri of st.masters.values()) {
      const status = ri.flags & SRI_O_DOWN ? 'odown' : ri.flags & SRI_S_DOWN ? 'sdown' : 'ok';
      info += `master${id++}:name=${ri.name},status=${status},address=${announceAddr(st, ri.addr)}:${ri.addr.port},` +
        `slaves=${ri.slaves.size},sentinels=${ri.sentinels.size + 1}\r\n`;
    }
  }
  return info;
}

