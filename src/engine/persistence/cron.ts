/**
 * The persistence part of serverCron: reaping finished children, the `save <seconds>
 * <changes>` points, automatic AOF rewrites on growth, scheduled BGSAVE / BGREWRITEAOF, and
 * retrying postponed or failed AOF writes.
 */
import type { CronTick, RedisServer } from '../server/server';
import type { SavePoint } from '../config/params';
import { persistenceOf, unixtime } from './state';
import { backgroundSaveDone, rdbSaveBackground, resetChildState } from './rdb-save';
import { aofRewriteLimited, backgroundRewriteDone, rewriteAppendOnlyFileBackground } from './aof/rewrite';
import { flushAppendOnlyFile } from './aof/append';

/** Retry a failed BGSAVE from the save points only after this many seconds. */
export const BGSAVE_RETRY_DELAY_SEC = 5;

/** run_with_period(ms) at the current cron loop. */
function runWithPeriod(server: RedisServer, ms: number): boolean {
  const hz = Math.max(1, Math.min(500, server.config.get<number>('hz')));
  const every = 1000 / hz;
  return ms <= every || (server.cronLoops - 1) % Math.floor(ms / every) === 0;
}

/**
 * When persistenceCron could first act (CronHook.quietUntil): at once while a child runs, a
 * job waits or the AOF has work (a buffer to write, a write to fsync, a postponed flush or a
 * failed write to retry, a growth past auto-aof-rewrite-percentage); else at the first tick a
 * save point falls due (time is the only thing that changes without a command).
 */
export function persistenceQuietUntil(server: RedisServer, tick: CronTick): number {
  const st = persistenceOf(server);
  if (server.loading || server.hasActiveChild() || st.aofRewriteScheduled || st.rdbBgsaveScheduled || aofBusy(server)) return tick.atMs;
  const lastsave = Math.floor(server.lastSaveTimeMs / 1000);
  // `now - lastsave > seconds` and, after a failed BGSAVE, `now - lastBgsaveTry > delay`.
  const retrySec = st.lastBgsaveOk ? -Infinity : st.lastBgsaveTry + BGSAVE_RETRY_DELAY_SEC + 1;
  let t = Infinity;
  for (const sp of server.config.get<SavePoint[]>('save')) {
    if (server.dirty >= sp.changes) t = Math.min(t, Math.max(lastsave + sp.seconds + 1, retrySec) * 1000);
  }
  return t;
}

/** Whether an AOF that is on may act at a tick, here or in the beforeSleep after it (flushAppendOnlyFile). */
function aofBusy(server: RedisServer): boolean {
  const st = persistenceOf(server);
  if (st.aofState === 'off') return false;
  if (st.aofState !== 'on' || st.aofBuf.len > 0 || st.aofLastIncrFsyncOffset !== st.aofLastIncrSize || st.aofFlushPostponedStart !== 0 || !st.aofLastWriteOk) return true;
  const perc = server.config.get<number>('auto-aof-rewrite-percentage');
  if (!perc || st.aofCurrentSize <= server.config.get<number>('auto-aof-rewrite-min-size')) return false;
  return Math.floor(st.aofCurrentSize * 100 / (st.aofRewriteBaseSize || 1)) - 100 >= perc;
}

/** checkChildrenDone: handle a child that exited since the last tick. */
export function checkChildrenDone(server: RedisServer): void {
  const st = persistenceOf(server);
  const child = st.child;
  if (!child || !child.exit) return;
  const ok = child.type === 'rdb' ? backgroundSaveDone(server, child) : backgroundRewriteDone(server, child);
  if (st.child === child) resetChildState(server);
  for (const cb of child.onDone) cb(ok);
}

export function persistenceCron(server: RedisServer): void {
  if (server.loading) return;
  const st = persistenceOf(server);
  const now = unixtime(server);

  if (!server.hasActiveChild() && st.aofRewriteScheduled && !aofRewriteLimited(server)) {
    rewriteAppendOnlyFileBackground(server);
  }

  if (server.hasActiveChild()) {
    checkChildrenDone(server);
  } else {
    const lastsave = Math.floor(server.lastSaveTimeMs / 1000);
    for (const sp of server.config.get<SavePoint[]>('save')) {
      if (server.dirty >= sp.changes && now - lastsave > sp.seconds &&
          (now - st.lastBgsaveTry > BGSAVE_RETRY_DELAY_SEC || st.lastBgsaveOk)) {
        server.log.notice(`${sp.changes} changes in ${sp.seconds} seconds. Saving...`);
        rdbSaveBackground(server);
        break;
      }
    }
    const perc = server.config.get<number>('auto-aof-rewrite-percentage');
    const minSize = server.config.get<number>('auto-aof-rewrite-min-size');
    if (st.aofState === 'on' && !server.hasActiveChild() && perc && st.aofCurrentSize > minSize) {
      const base = st.aofRewriteBaseSize || 1;
      const growth = Math.floor(st.aofCurrentSize * 100 / base) - 100;
      if (growth >= perc && !aofRewriteLimited(server)) {
        server.log.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
        rewriteAppendOnlyFileBackground(server);
      }
    }
  }

  const aofActive = st.aofState === 'on' || st.aofState === 'wait_rewrite';
  if (aofActive && st.aofFlushPostponedStart) {
    if (!flushAppendOnlyFile(server, false)) { server.terminate(1); return; }
  }
  if (runWithPeriod(server, 1000) && aofActive && !st.aofLastWriteOk) {
    if (!flushAppendOnlyFile(server, false)) { server.terminate(1); return; }
  }

  if (!server.hasActiveChild() && st.rdbBgsaveScheduled &&
      (now - st.lastBgsaveTry > BGSAVE_RETRY_DELAY_SEC || st.lastBgsaveOk)) {
    if (rdbSaveBackground(server)) st.rdbBgsaveScheduled = false;
  }
}
