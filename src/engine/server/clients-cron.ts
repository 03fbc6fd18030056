/**
 * Per-client housekeeping (clientsCron in server.c) and output buffer limits
 * (checkClientOutputBufferLimits / closeClientOnOutputBufferLimitReached in networking.c).
 *
 * Every cron tick visits numclients/hz clients (at least 5, or all when fewer), rotating
 * through the list, and for each one:
 * - closes it when `timeout` is set and it has been idle longer (not replicas, monitors, our
 *   master, blocked clients or subscribers);
 * - releases an idle query buffer (idle more than 2 s);
 * - resizes the reply buffer: shrink to max(1 KiB, peak+1) when less than half of it was
 *   used, grow (up to 16 KiB) when it was full; the peak restarts every 5 s;
 * - enforces the output buffer limits synchronously.
 *
 * Output buffer limits: the memory held by replies that did not fit in the reply buffer
 * (here: reply bytes beyond it plus what the socket could not send yet) is compared with the
 * hard and soft limits of the client's class (normal, replica, pubsub; our master counts as
 * normal). Reaching the hard limit, or staying over the soft limit for longer than its
 * seconds, closes the client: asynchronously when detected while replies are produced
 * ("scheduled to be closed ASAP"), at once from the cron ("closed").
 */
import type { Client } from './client';
import type { RedisServer } from './server';
import type { OutputBufferLimits } from '../config/params';
import { updateClientMemUsageAndBucket, updateClientMemoryUsage } from './client-eviction';
import { outputBufferMemory, outputListBytes, clientTypeName, QUERYBUF_USABLE, REPLY_CHUNK_BYTES, REPLY_MIN_BYTES } from './client-info';

/** jemalloc's usable size for an allocation of at least `n` bytes (classes from 1 KiB up). */
function jemallocUsable(n: number): number {
  if (n <= 1024) return 1024;
  let group = 1024;
  while (group * 2 < n) group *= 2;
  const step = group / 4;
  return Math.ceil(n / step) * step;
}

/** checkClientOutputBufferLimits(): true when the hard or the (timed) soft limit is reached. */
export function checkOutputBufferLimits(server: RedisServer, c: Client): boolean {
  const used = outputBufferMemory(c);
  let cls = clientTypeName(c);
  if (cls === 'master') cls = 'normal';
  const limits = server.config.get<OutputBufferLimits>('client-output-buffer-limit');
  const lim = cls === 'slave' ? limits.replica : cls === 'pubsub' ? limits.pubsub : limits.normal;
  let hardBytes = lim.hard;
  if (cls === 'slave' && hardBytes) hardBytes = Math.max(hardBytes, server.config.get<number>('repl-backlog-size'));
  const hard = lim.hard > 0 && used >= hardBytes;
  let soft = lim.soft > 0 && used >= lim.soft;
  const nowSec = Math.floor(server.nowMs() / 1000);
  if (soft) {
    if (c.obufSoftLimitReachedTimeSec === 0) {
      c.obufSoftLimitReachedTimeSec = nowSec;
      soft = false;
    } else if (nowSec - c.obufSoftLimitReachedTimeSec <= lim.softSeconds) {
      soft = false;
    }
  } else {
    c.obufSoftLimitReachedTimeSec = 0;
  }
  return soft || hard;
}

/** closeClientOnOutputBufferLimitReached(): returns true when the client was closed. */
export function closeOnOutputBufferLimit(server: RedisServer, c: Client, async: boolean): boolean {
  if (!c.socket || c.closeAsap) return false;
  if (outputListBytes(c) === 0 && clientTypeName(c) !== 'slave') return false;
  if (!checkOutputBufferLimits(server, c)) return false;
  const info = server.clientInfoString(c);
  if (async) {
    c.closeAsap = true;
    server.markPendingWrite(c);
    server.log.warning(`Client ${info} scheduled to be closed ASAP for overcoming of output buffer limits.`);
  } else {
    server.freeClient(c);
    server.log.warning(`Client ${info} closed for overcoming of output buffer limits.`);
  }
  return true;
}

/**
 * clientsCronResizeQueryBuffer(): an idle client's buffer is released; a busy one's, when more
 * than twice its recent peak and over 32 KiB, is trimmed to that peak (here: back to the
 * default 16 KiB allocation unless the peak needs more), never below an argument half read.
 * The peak restarts from what is used now, or from that argument's length.
 */
function resizeQueryBuffer(c: Client, nowMs: number): void {
  const bulkLen = c.parser.pendingBulkLen;
  const alloc = Math.max(c.qbufAlloc || QUERYBUF_USABLE, c.qbufLen);
  if (!c.qbufReleased && alloc - c.qbufLen > 4096) {
    if (Math.floor(nowMs / 1000) - Math.floor(c.lastInteractionMs / 1000) > 2) {
      if (c.qbufLen === 0) { c.qbufReleased = true; c.qbufAlloc = 0; }
    } else if (alloc > 32 * 1024 && alloc / 2 > c.qbufPeak) {
      // Never below the rest of a big argument being read (bulklen + 2).
      const resize = Math.max(c.qbufLen, c.qbufPeak, bulkLen >= 0 ? bulkLen + 2 : 0);
      c.qbufAlloc = resize > QUERYBUF_USABLE ? (bulkLen >= 0 ? sdsAllocFor(resize) : resize) : 0;
    }
  }
  c.qbufPeak = Math.max(c.qbufLen, bulkLen >= 0 ? bulkLen + 2 : 0);
}

/** The usable length of an sds string allocated for `len` bytes (header and NUL, jemalloc classes). */
export function sdsAllocFor(len: number): number {
  const header = len < 65536 ? 5 : 9;
  return jemallocUsable(header + len + 1) - header - 1;
}

/** clientsCronResizeOutputBuffer(). */
function resizeReplyBuffer(server: RedisServer, c: Client, nowMs: number): void {
  const size = c.replyBufSize;
  let newSize = 0;
  if (size / 2 >= REPLY_MIN_BYTES && c.replyBufPeak < size / 2) {
    newSize = Math.max(REPLY_MIN_BYTES, c.replyBufPeak + 1);
    server.stats.replyBufferShrinks++;
  } else if (size * 2 < REPLY_CHUNK_BYTES * 2 && c.replyBufPeak === size) {
    newSize = Math.min(REPLY_CHUNK_BYTES, size * 2);
    server.stats.replyBufferExpands++;
  }
  // Redis stores the first reset time in seconds and compares it with milliseconds, so the
  // first cron visit always resets the peak; we keep that (replyBufPeakResetMs starts at 0).
  if (nowMs - c.replyBufPeakResetMs >= 5000) {
    c.replyBufPeak = Math.min(c.out.len, c.replyBufSize);
    c.replyBufPeakResetMs = nowMs;
  }
  if (newSize) c.replyBufSize = jemallocUsable(newSize);
}

/** clientsCronHandleTimeout(). */
function handleTimeout(server: RedisServer, c: Client, nowMs: number): boolean {
  const maxIdleSec = server.config.get<number>('timeout');
  if (maxIdleSec > 0 && !c.isReplica && !c.isMaster && c.id !== -1 && !c.blocked && !c.inPubSub &&
      Math.floor(nowMs / 1000) - Math.floor(c.lastInteractionMs / 1000) > maxIdleSec) {
    server.log.verbose('Closing idle client');
    server.freeClient(c);
    return true;
  }
  return false;
}

/**
 * Whether clientsCron can close no client, whenever it runs (see CronHook.quietUntil): no idle
 * timeout is set and no client holds output near one of its limits. Everything else it does
 * (releasing query buffers, resizing reply buffers) stays inside the process.
 */
export function clientsCronQuiet(server: RedisServer): boolean {
  if (server.clients.size === 0) return true;
  if (server.config.get<number>('timeout') > 0) return false;
  const limits = server.config.get<OutputBufferLimits>('client-output-buffer-limit');
  for (const c of server.clients.values()) {
    if (!c.socket || c.closeAsap) continue;
    const used = outputBufferMemory(c);
    if (used === 0) continue;
    const cls = clientTypeName(c);
    const lim = cls === 'slave' ? limits.replica : cls === 'pubsub' ? limits.pubsub : limits.normal;
    if ((lim.hard > 0 && used >= lim.hard) || (lim.soft > 0 && used >= lim.soft)) return false;
  }
  return true;
}

/** clientsCron(): one tick's share of the clients. */
export function clientsCron(server: RedisServer): void {
  const clients = [...server.clients.values()];
  const n = clients.length;
  if (n === 0) return;
  const hz = Math.max(1, server.config.get<number>('hz'));
  let iterations = Math.floor(n / hz);
  if (iterations < 5) iterations = Math.min(n, 5);
  const nowMs = server.nowMs();
  for (let i = 0; i < iterations; i++) {
    server.clientsCronCursor = (server.clientsCronCursor + 1) % n;
    const c = clients[server.clientsCronCursor];
    if (!server.clients.has(c.id)) continue;
    if (handleTimeout(server, c, nowMs)) continue;
    resizeQueryBuffer(c, nowMs);
    resizeReplyBuffer(server, c, nowMs);
    // The recorded memory of every client, evictable or not, is refreshed here.
    if (!updateClientMemUsageAndBucket(server, c)) updateClientMemoryUsage(server, c);
    closeOnOutputBufferLimit(server, c, false);
  }
}

/** After a flush, remember the reply buffer's peak use (buf_peak). */
export function noteReplyBufferUse(c: Client, bytes: number): void {
  const used = Math.min(bytes, c.replyBufSize);
  if (used > c.replyBufPeak) c.replyBufPeak = used;
}
