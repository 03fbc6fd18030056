/**
 * Replying after asynchronous work. Redis does everything a command needs synchronously; we
 * cannot when the Os makes it asynchronous (binding a listening socket for CONFIG SET port,
 * reading a file for DEBUG RELOAD). The client is then held like a blocked client: its
 * pipeline waits, nothing else of the server does, and the reply comes when the work settled,
 * so the client sees the same byte stream as from Redis.
 *
 * Inside EXEC or a script (call depth > 1) the transaction cannot be suspended; the work's
 * outcome then only reaches the log, and the command replies with what `early` says.
 */
import type { Client } from './client';

export function replyAfter<T>(
  c: Client, work: Promise<T>, reply: (c: Client, result: T) => void, early?: (c: Client) => void,
): void {
  const s = c.server;
  s.os.trackAsync?.(work);
  const answer = holdForReply(c);
  if (!answer) {
    work.catch((e) => s.log.warning(`Internal error: ${e?.stack ?? e}`));
    if (early) early(c);
    return;
  }
  const finish = (result: T | null, err: unknown) => s.event(() => answer((c) => {
    if (err !== null) c.replyError(`internal error: ${(err as Error)?.message ?? err}`);
    else reply(c, result as T);
  }));
  work.then((r) => finish(r, null), (e) => finish(null, e ?? 'error'));
}

/**
 * Hold the current command's client like a blocked client until the returned function gives
 * its reply (within an event); null inside EXEC or a script, where it cannot be suspended.
 */
export function holdForReply(c: Client): ((reply: (c: Client) => void) => void) | null {
  const s = c.server;
  const spec = c.cmd;
  if (s.callDepth > 1 || !spec) return null;
  const startUs = s.os.nowUs();
  const state = {
    kind: 'sleep' as const, dbId: c.db.id, keys: [], timeoutMs: 0, timer: null,
    onTimeout: () => undefined, argv: c.argv, cmd: spec, blockedAtUs: startUs,
  };
  c.blocked = state;
  return (reply) => {
    if (c.blocked !== state) return;
    c.blocked = null;
    if (!s.clients.has(c.id) && c.socket) return;
    const prev = s.currentClient;
    s.currentClient = c;
    try {
      reply(c);
    } finally {
      s.currentClient = prev;
    }
    // call() skipped the accounting of a command that was still blocked.
    const stats = spec.stats;
    if (stats) { stats.calls++; stats.usec += Math.max(0, s.os.nowUs() - startUs); }
    s.afterUnblock(c);
  };
}
