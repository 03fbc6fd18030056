/**
 * The LOADING state (startLoading/stopLoading in rdb.c) and its pacing.
 *
 * While `server.loading` is set, commands without the `loading` flag get
 * "-LOADING Redis is loading the dataset in memory". Redis serves clients every 2 MB of
 * input while it loads (loading-process-events-interval-bytes); we do the same by charging
 * the modelled CPU cost of each such chunk with os.busy and then yielding to the event loop,
 * so in the simulation clients that connect during a big load really see LOADING and INFO
 * shows the progress.
 */
import type { RedisServer } from '../server/server';
import { persistenceOf, unixtime } from './state';
import { COST, optionalConfig } from './snapshot';

export function startLoading(server: RedisServer, totalBytes: number, async = false): void {
  const st = persistenceOf(server);
  if (!server.loading) server.blockingOperationStarts();
  server.loading = true;
  if (async) server.asyncLoading = true;
  st.loadingStartTime = unixtime(server);
  st.loadingLoadedBytes = 0;
  st.loadingTotalBytes = totalBytes;
  st.loadingRdbUsedMem = 0;
  st.rdbLastLoadKeysExpired = 0;
  st.rdbLastLoadKeysLoaded = 0;
}

export function stopLoading(server: RedisServer): void {
  const was = server.loading;
  server.loading = false;
  server.asyncLoading = false;
  if (was) server.blockingOperationEnds();
}

/**
 * processEventsWhileBlocked: let the event loop run (clients get -LOADING; serverCron does
 * not run while loading), then whileBlockedCron.
 */
export function yieldToEventLoop(server: RedisServer): Promise<void> {
  server.serveHeldClients();
  return new Promise((resolve) => server.os.setTimer(0, () => { server.whileBlockedCron(); resolve(); }));
}

/**
 * Spend the modelled time of processing `bytes` of input at `bytesPerMs`, advancing
 * loading_loaded_bytes as we go, and serve clients each time the input crosses a multiple of
 * `stepBytes` (rdbLoadProgressCallback's loading-process-events-interval-bytes).
 *
 * `items` is how many keys (RDB) or commands (AOF) the input held: the hidden debug config
 * key-load-delay makes Redis pause after each one (debugDelay), which the tests use to keep a
 * server LOADING for a while. The loader has already decoded everything, so the items are
 * spread evenly over the input and each step pays for the ones that end in it.
 */
export async function paceLoading(server: RedisServer, bytes: number, bytesPerMs: number,
  opts: { items?: number; stepBytes?: number; countProgress?: boolean } = {}): Promise<void> {
  const st = persistenceOf(server);
  const step = Math.max(1, opts.stepBytes ?? COST.loadingEventsIntervalBytes);
  const items = opts.items ?? 0;
  const delayUs = optionalConfig(server, 'key-load-delay', 0);
  let done = 0;
  let itemsDone = 0;
  while (done < bytes) {
    const chunk = Math.min(step, bytes - done);
    server.os.busy(chunk / bytesPerMs);
    done += chunk;
    const itemsNow = done >= bytes ? items : Math.floor((items * done) / bytes);
    if (delayUs !== 0) debugDelay(server, delayUs, itemsNow - itemsDone);
    itemsDone = itemsNow;
    // A diskless load counted its bytes as they arrived from the socket.
    if (opts.countProgress !== false) st.loadingLoadedBytes += chunk;
    if (done < bytes) await yieldToEventLoop(server);
  }
}

/**
 * debugDelay(usec) `times` times, as one sleep: a positive delay sleeps that many microseconds
 * each time; a negative one -n sleeps 1 µs with probability 1/n (short sleeps cost a system
 * call each, so Redis sleeps less often instead).
 */
export function debugDelay(server: RedisServer, delayUs: number, times: number): void {
  let totalUs = 0;
  if (delayUs > 0) totalUs = delayUs * times;
  else for (let i = 0; i < times; i++) if (Math.floor(server.os.random() * -delayUs) === 0) totalUs++;
  if (totalUs > 0) server.os.sleep(totalUs / 1000);
}

/** loading-process-events-interval-bytes: how often an RDB load serves clients. */
export function rdbLoadingStepBytes(server: RedisServer): number {
  return optionalConfig(server, 'loading-process-events-interval-bytes', COST.loadingEventsIntervalBytes);
}
