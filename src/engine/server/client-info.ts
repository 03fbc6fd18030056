/**
 * The CLIENT LIST / CLIENT INFO line of one client (catClientInfoString in networking.c), and
 * the memory model behind its numeric fields.
 *
 * The memory numbers in Redis come from jemalloc and from Redis's buffer management; we model
 * the same quantities so that the fields move the way real Redis's do:
 * - the query buffer is allocated with 20474 usable bytes (16 KiB rounded up by the allocator)
 *   and released by the clients cron once the client is idle for more than 2 seconds;
 * - `qbuf` is the whole query buffer while commands run (Redis trims it only after the pipeline
 *   read in one go is processed), so a command sees itself and its pipeline neighbours;
 * - the reply buffer starts at 16 KiB and the clients cron shrinks it to 1 KiB when little of it
 *   is used (`rbs`), tracking the peak use over 5-second windows (`rbp`);
 * - `obl` is what sits in that buffer, `oll`/`omem` what overflowed into the reply list;
 * - `tot-mem` adds the client structure (768 bytes), argument and transaction overheads, and
 *   the pub/sub bookkeeping, as getClientMemoryUsage() does.
 */
import type { Client } from './client';
import type { RedisServer } from './server';

/** Usable size of the initial query buffer (sdsnewlen(16 KiB) in a 20 KiB jemalloc class). */
export const QUERYBUF_USABLE = 20474;
/** zmalloc_size(client). */
const CLIENT_STRUCT_BYTES = 768;
/** PROTO_REPLY_CHUNK_BYTES and PROTO_REPLY_MIN_BYTES. */
export const REPLY_CHUNK_BYTES = 16 * 1024;
export const REPLY_MIN_BYTES = 1024;

/** Slots of a Redis dict holding n entries that only grew (4, 8, 16, ...). */
function dictSlots(n: number): number {
  if (n === 0) return 0;
  let size = 4;
  while (size < n) size *= 2;
  return size;
}

/**
 * Nodes of a radix tree (rax) holding `keys`: one node per branching point, one compressed
 * node per run of single-child characters, and a node where each key ends.
 */
export function raxNodeCount(keys: string[]): number {
  const count = (suffixes: string[]): number => {
    const rest = suffixes.filter((s) => s !== '');
    if (rest.length === 0) return 1;
    const first = new Set(rest.map((s) => s[0]));
    const endsHere = rest.length !== suffixes.length;
    if (first.size === 1 && !endsHere) {
      let p = 1;
      while (rest.every((s) => s.length > p && s[p] === rest[0][p])) p++;
      return 1 + count(rest.map((s) => s.slice(p)));
    }
    let n = 1;
    for (const ch of first) n += count(rest.filter((s) => s[0] === ch).map((s) => s.slice(1)));
    return n;
  };
  return keys.length === 0 ? 0 : count([...new Set(keys)]);
}

/**
 * Bytes in the reply list beyond the fixed reply buffer. What a client's socket took is the
 * kernel's (writeToClient hands a socket no more once it holds a full send buffer); a
 * replica's stream is written straight to its socket, so what that holds counts (the
 * replication buffer it still references).
 */
export function outputListBytes(c: Client): number {
  return Math.max(0, c.out.len - Math.min(c.replyBufSize, c.replyListFrom)) + (c.isReplica && c.socket ? c.socket.pendingBytes() : 0);
}

/** getClientOutputBufferMemoryUsage(): reply list bytes plus per-node overhead. */
export function outputBufferMemory(c: Client): number {
  const bytes = outputListBytes(c);
  if (bytes === 0) return 0;
  const nodes = Math.ceil(bytes / REPLY_CHUNK_BYTES);
  return bytes + nodes * 32;
}

/** An sds string's header and NUL around `alloc` usable bytes (sdshdr16 / sdshdr32). */
function sdsOverhead(alloc: number): number {
  return (alloc < 65536 ? 5 : 9) + 1;
}

/** The field values shared by CLIENT LIST and the memory accounting. */
function memoryFields(c: Client) {
  const running = c.server.currentClient === c || c.blocked !== null;
  // argv_len_sum also counts the arguments of a command still arriving (a multibulk half read).
  const argvMem = running ? c.argvLenSum : c.parser.partialArgvBytes;
  const argc = running ? c.argv.length : 0;
  const qbuf = c.qbufLen;
  const qbufAlloc = c.qbufReleased && qbuf === 0 ? 0 : Math.max(c.qbufAlloc || QUERYBUF_USABLE, qbuf);
  const qbufFree = qbufAlloc === 0 ? 0 : qbufAlloc - qbuf;
  const multiMem = c.multiArgvBytes;
  const obl = Math.min(c.out.len, c.replyBufSize, c.replyListFrom);
  const listBytes = outputListBytes(c);
  const oll = listBytes === 0 ? 0 : Math.ceil(listBytes / REPLY_CHUNK_BYTES);
  const omem = outputBufferMemory(c);
  const multiOverhead = multiMem + c.watchedKeys.length * 56 + c.multiAllocCount * 24;
  const pubsubOverhead = c.patterns.size * 24 + c.channels.size * 24 + dictSlots(c.channels.size) * 8 +
    c.shardChannels.size * 24 + dictSlots(c.shardChannels.size) * 8;
  // Tracking prefixes: rax nodes x (sizeof(raxNode) * sizeof(raxNode*)).
  const trackingOverhead = c.tracking?.bcast ? raxNodeCount(c.tracking.prefixes) * 32 : 0;
  const totMem = omem + (qbufAlloc === 0 ? 8 : qbufAlloc + sdsOverhead(qbufAlloc)) + CLIENT_STRUCT_BYTES + c.replyBufSize +
    argvMem + 8 * argc + multiOverhead + pubsubOverhead + trackingOverhead;
  return { qbuf, qbufFree, argvMem, multiMem, obl, oll, omem, totMem };
}

/** getClientMemoryUsage() (tot-mem). */
export function clientMemoryUsage(c: Client): number {
  return memoryFields(c).totMem;
}

/** getClientType() as CLIENT LIST TYPE and CLIENT KILL TYPE name it. */
export function clientTypeName(c: Client): 'normal' | 'master' | 'slave' | 'pubsub' {
  if (c.isMaster) return 'master';
  if (c.isReplica && !c.isMonitor) return 'slave';
  if (c.inPubSub) return 'pubsub';
  return 'normal';
}

/** getClientTypeByName(): normal, slave/replica, pubsub, master; null otherwise. */
export function clientTypeByName(name: string): 'normal' | 'master' | 'slave' | 'pubsub' | null {
  const n = name.toLowerCase();
  if (n === 'normal') return 'normal';
  if (n === 'slave' || n === 'replica') return 'slave';
  if (n === 'pubsub') return 'pubsub';
  if (n === 'master') return 'master';
  return null;
}

function flagsField(c: Client): string {
  let f = '';
  if (c.isReplica) f += c.isMonitor ? 'O' : 'S';
  if (c.isMaster) f += 'M';
  if (c.inPubSub) f += 'P';
  if (c.inMulti) f += 'x';
  if (c.blocked) f += 'b';
  if (c.tracking) f += 't';
  if (c.tracking?.brokenRedirect) f += 'R';
  if (c.tracking?.bcast) f += 'B';
  if (c.dirtyCas) f += 'd';
  if (c.closeAfterReply) f += 'c';
  if (c.unblocked) f += 'u';
  if (c.closeAsap) f += 'A';
  if (c.unixSocket) f += 'U';
  if (c.readonly) f += 'r';
  if (c.noEvict) f += 'e';
  return f === '' ? 'N' : f;
}

/** catClientInfoString(): one line, no trailing newline. */
export function clientInfoString(server: RedisServer, c: Client): string {
  const nowSec = Math.floor(server.nowMs() / 1000);
  const m = memoryFields(c);
  const events = c.socket ? (c.writeHandlerArmed || (c.isReplica && c.socket.pendingBytes() > 0) ? 'rw' : 'r') : '';
  return `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.fd} name=${c.name}` +
    ` age=${nowSec - Math.floor(c.ctimeMs / 1000)} idle=${nowSec - Math.floor(c.lastInteractionMs / 1000)}` +
    ` flags=${flagsField(c)} db=${c.db.id} sub=${c.channels.size} psub=${c.patterns.size} ssub=${c.shardChannels.size}` +
    ` multi=${c.inMulti ? c.multiQueue.length : -1} qbuf=${m.qbuf} qbuf-free=${m.qbufFree} argv-mem=${m.argvMem}` +
    ` multi-mem=${m.multiMem} rbs=${c.replyBufSize} rbp=${c.replyBufPeak} obl=${m.obl} oll=${m.oll} omem=${m.omem}` +
    ` tot-mem=${m.totMem} events=${events} cmd=${c.lastCmd ? c.lastCmd.fullname : 'NULL'} user=${c.user}` +
    ` redir=${c.tracking ? c.tracking.redirect : -1} resp=${c.resp}`;
}
