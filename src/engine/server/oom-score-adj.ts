/**
 * oom-score-adj (setOOMScoreAdj in server.c): on Linux Redis writes its own
 * /proc/self/oom_score_adj, the OOM killer's bias, from `oom-score-adj-values` (three values:
 * master, replica, background child). `relative` (alias `yes`) adds them to the score the
 * process had before Redis first changed it; `absolute` writes them as they are; `no` puts that
 * original score back (once, if Redis had changed it) and otherwise leaves the file alone.
 *
 * Applied at start-up, on CONFIG SET of either setting (a failure is the CONFIG SET's error),
 * when the server becomes a replica or a master again, and by each forked child for itself
 * (the child's class), with the state its parent had when it forked.
 */
import type { Os } from '../os';
import type { RedisServer } from './server';
import type { Logger } from './log';
import { strerror } from '../persistence/errno';

export const OOM_MASTER = 0;
export const OOM_REPLICA = 1;
export const OOM_BGCHILD = 2;

/** The two statics of setOOMScoreAdj: whether Redis changed the score, and the score before. */
export interface OomScoreState { adjustedByRedis: boolean; base: number }

/**
 * setOOMScoreAdj(process_class): -1 is the server's own class (replica when it has a master).
 * Returns false when the file could not be read or written (logged), or the host has none.
 */
export function setOomScoreAdj(
  server: RedisServer, processClass: number, os: Os = server.os, st: OomScoreState = server.oomScore, log: Logger = server.log,
): boolean {
  if (processClass === -1) processClass = server.masterHost !== null ? OOM_REPLICA : OOM_MASTER;
  const proc = os.oomScoreAdj;
  // Redis built without HAVE_PROC_OOM_SCORE_ADJ: unsupported.
  if (!proc) return false;
  // no, yes (= relative), relative, absolute.
  const mode = server.config.get<string>('oom-score-adj');
  let value: number;
  if (mode !== 'no') {
    if (!st.adjustedByRedis) {
      st.adjustedByRedis = true;
      try {
        st.base = proc.read();
      } catch (e) {
        log.warning(`Unable to read oom_score_adj: ${strerror(e)}`);
        return false;
      }
    }
    value = server.config.get<number[]>('oom-score-adj-values')[processClass];
    if (mode !== 'absolute') value += st.base;
    value = Math.max(-1000, Math.min(1000, value));
  } else if (st.adjustedByRedis) {
    st.adjustedByRedis = false;
    value = st.base;
  } else {
    return true;
  }
  try {
    proc.write(value);
  } catch (e) {
    log.warning(`Unable to write oom_score_adj: ${strerror(e)}`);
    return false;
  }
  return true;
}

/** CONFIG SET oom-score-adj / oom-score-adj-values (updateOOMScoreAdj). */
export function installOomScoreAdj(server: RedisServer): void {
  const apply = () => (setOomScoreAdj(server, -1) ? null : 'Failed to set current oom_score_adj. Check server logs.');
  server.config.onApply('oom-score-adj', apply);
  server.config.onApply('oom-score-adj-values', apply);
}

/** A forked child adjusts its own score first (redisFork), from its parent's state at the fork. */
export function childOomScoreAdj(server: RedisServer, childOs: Os, parentState: OomScoreState, log: Logger): void {
  setOomScoreAdj(server, OOM_BGCHILD, childOs, { ...parentState }, log);
}
