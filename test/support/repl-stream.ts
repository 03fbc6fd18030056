/**
 * What a server propagates, seen from both sides, for differential propagation tests.
 *
 * Real Redis: connect as a replica with the inline `SYNC` command, skip the RDB payload and
 * parse the command stream that follows. Ours: subscribe to the server's `propagate` hook and
 * render the same stream (SELECT on db changes, like replicationFeedSlaves). PINGs, which the
 * real master sends on its own schedule, are dropped from both.
 */
import * as net from 'node:net';
import type { Pair } from './differential';

export interface StreamReader {
  /** Commands received so far, each as its argv joined by spaces (JSON-quoted args). */
  commands(): string[];
  close(): void;
}

function fmt(argv: string[]): string {
  return argv.map((a) => JSON.stringify(a)).join(' ');
}

/** Attach to real Redis as a SYNC replica. Resolves once the RDB payload has been skipped. */
export function attachRealReplica(port: number): Promise<StreamReader> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1' }, () => sock.write('SYNC\r\n'));
    let buf = Buffer.alloc(0);
    let rdbLeft = -1; // -1: waiting for $len; >0 skipping; 0: stream
    const out: string[] = [];
    const reader: StreamReader = { commands: () => out.filter((c) => c !== '"PING"'), close: () => sock.destroy() };
    sock.on('error', reject);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        if (rdbLeft === -1) {
          while (buf.length && buf[0] === 10) buf = buf.subarray(1); // keep-alive newlines
          const nl = buf.indexOf('\r\n');
          if (nl < 0) return;
          const line = buf.subarray(0, nl).toString('latin1');
          if (!line.startsWith('$')) { reject(new Error(`unexpected SYNC reply ${line}`)); return; }
          rdbLeft = Number(line.slice(1));
          buf = buf.subarray(nl + 2);
          if (rdbLeft === 0) { rdbLeft = 0; resolve(reader); }
          continue;
        }
        if (rdbLeft > 0) {
          const take = Math.min(rdbLeft, buf.length);
          buf = buf.subarray(take);
          rdbLeft -= take;
          if (rdbLeft === 0) resolve(reader);
          else return;
          continue;
        }
        // Command stream: multibulk requests.
        if (buf.length === 0 || buf[0] !== 42) return;
        const parsed = parseMultibulk(buf);
        if (!parsed) return;
        out.push(fmt(parsed.argv));
        buf = buf.subarray(parsed.used);
      }
    });
  });
}

function parseMultibulk(b: Buffer): { argv: string[]; used: number } | null {
  let pos = 0;
  const line = (): string | null => {
    const nl = b.indexOf('\r\n', pos);
    if (nl < 0) return null;
    const s = b.subarray(pos, nl).toString('latin1');
    pos = nl + 2;
    return s;
  };
  const head = line();
  if (head === null) return null;
  const n = Number(head.slice(1));
  const argv: string[] = [];
  for (let i = 0; i < n; i++) {
    const l = line();
    if (l === null) return null;
    const len = Number(l.slice(1));
    if (b.length < pos + len + 2) return null;
    argv.push(b.subarray(pos, pos + len).toString('latin1'));
    pos += len + 2;
  }
  return { argv, used: pos };
}

/** Collect our server's propagated stream in the same shape. */
export function attachOurReplica(p: Pair): StreamReader {
  const out: string[] = [];
  let db = -1;
  let open = true;
  p.ours.server.hooks.propagate.push((op) => {
    if (!open) return;
    // Redis 7.0.15 feeds MULTI with the first op's db, so a SELECT comes before it.
    if (op.dbId !== db) {
      out.push(fmt(['SELECT', String(op.dbId)]));
      db = op.dbId;
    }
    out.push(fmt(op.argv));
  });
  return { commands: () => out.filter((c) => c !== '"PING"'), close: () => { open = false; } };
}

/** Wait until both streams stop growing (propagation is asynchronous on the real side). */
export async function settle(a: StreamReader, b: StreamReader, ms = 150): Promise<void> {
  let last = -1;
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, ms / 3));
    const n = a.commands().length + b.commands().length;
    if (n === last) return;
    last = n;
  }
}

/**
 * Absolute expire times (SET ... PXAT t, PEXPIREAT k t) come from each server's own clock;
 * replace those within an hour of now by a placeholder so streams can be compared.
 */
export function normalizeTimes(cmds: string[]): string[] {
  const now = Date.now();
  return cmds.map((c) => c.replace(/"(PXAT|PEXPIREAT|pexpireat|pxat)" "(-?\d+)"/g, (m, kw: string, t: string) => {
    return Math.abs(Number(t) - now) < 3_600_000 ? `"${kw}" "<now±>"` : m;
  }).replace(/^("PEXPIREAT" "[^"]*") "(\d+)"/, (m, head: string, t: string) => (Math.abs(Number(t) - now) < 3_600_000 ? `${head} "<now±>"` : m)));
}
