/**
 * The LOADING state (startLoading/stopLoading in rdb.c) and its pacing.
 *
 * While `server.loading` is set, commands without the `loading` flag get
 * "-LOADING Redis is loading the dataset in memory". Redis serves clients every 2 MB of
 * input while it loads; we do the same by charging the modelled CPU cost of each 2 MB
 * chunk with os.busy and then yielding to the event loop, so in the simulation clients
 * that connect during a big load really see LOADING and INFO shows the progress.
 */
import type { RedisServer } from '../server/server';
import { persistenceOf, unixtime } from './state';
import { COST } from './snapshot';

export function startLoading(server: RedisServer, totalBytes: number): void {
  const st = persistenceOf(server);
  server.loading = true;
  st.loadingStartTime = unixtime(server);
  st.loadingLoadedBytes = 0;
  st.loadingTotalBytes = totalBytes;
  st.loadingRdbUsedMem = 0;
  st.rdbLastLoadKeysExpired = 0;
  st.rdbLastLoadKeysLoaded = 0;
}

export function stopLoading(server: RedisServer): void {
  server.loading = false;
}

/** Let the event loop run (processEventsWhileBlocked: clients get -LOADING, timers fire). */
export function yieldToEventLoop(server: RedisServer): Promise<void> {
  server.serveHeldClients();
  return new Promise((resolve) => server.os.setTimer(0, resolve));
}

/**
 * Spend the modelled time of processing `bytes` of input at `bytesPerMs`, in 2 MB steps,
 * advancing loading_loaded_bytes as we go.
 */
export async function paceLoading(server: RedisServer, bytes: number, bytesPerMs: number): Promise<void> {
  const st = persistenceOf(server);
  const step = COST.loadingEventsIntervalBytes;
  let done = 0;
  while (done < bytes) {
    const chunk = Math.min(step, bytes - done);
    server.os.busy(chunk / bytesPerMs);
    done += chunk;
    st.loadingLoadedBytes += chunk;
    if (done < bytes) await yieldToEventLoop(server);
  }
}
