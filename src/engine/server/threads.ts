/**
 * The threads a Redis process runs beside its main one, which InitServerLast (server.c) starts
 * once the server is initialized and its ACL users are loaded, before it loads its dataset (in
 * Sentinel mode too):
 *   - bioInit: a background thread per kind of job, bio_close_file, bio_aof_fsync and
 *     bio_lazy_free;
 *   - initThreadedIO: io-threads minus one I/O threads, io_thd_1 and on (none with io-threads 1);
 *   - set_jemalloc_bg_thread: jemalloc's background purging thread, jemalloc_bg_thd, while
 *     jemalloc-bg-thread is yes (CONFIG SET stops it and starts a new one).
 * Their work is done by the engine itself; the host only shows them (Os.startThread), as Linux
 * does in `ps -L` (measured with Redis 7.0.15 and Debian's jemalloc 5.3.0: five threads, the
 * ids right after the pid). A forked child has only the thread that forked.
 */
import type { RedisServer } from './server';

/** bio.c's job types, in the order bioInit starts their threads. */
const BIO_THREADS = ['bio_close_file', 'bio_aof_fsync', 'bio_lazy_free'];

export function startServerThreads(server: RedisServer): void {
  const os = server.os;
  if (!os.startThread) return;
  const start = os.startThread.bind(os);
  for (const name of BIO_THREADS) start(name);
  const ioThreads = server.config.get<number>('io-threads');
  for (let i = 1; i < ioThreads; i++) start(`io_thd_${i}`);
  let jemalloc = server.config.get<boolean>('jemalloc-bg-thread') ? start('jemalloc_bg_thd') : null;
  server.config.onApply('jemalloc-bg-thread', () => {
    const on = server.config.get<boolean>('jemalloc-bg-thread');
    if (on && !jemalloc) jemalloc = start('jemalloc_bg_thd');
    else if (!on && jemalloc) { jemalloc.stop(); jemalloc = null; }
    return null;
  });
}
