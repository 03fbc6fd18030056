/**
 * The replication stream of both servers, for comparing what gets propagated.
 *
 * Real Redis: a connection sends the inline `SYNC` a replica would, skips the `$<len>` RDB
 * payload and then records every command of the stream. Ours: the server's `propagate` hook,
 * rendered as a replica would see it (a SELECT whenever the db changes, AOF-only writes left
 * out). PINGs, which the real master sends on its own schedule, are dropped.
 */
import * as net from 'node:net';
import { expect } from 'vitest';
import type { Pair } from './differential';
import { Session } from './dual';
import { ReplyParser } from '../../src/engine/resp/reply-parser';

export interface Capture {
  /** Commands seen so far, argv joined with spaces. */
  real(): string[];
  ours(): string[];
  close(): void;
}

function line(argv: string[]): string {
  return argv.join(' ');
}

function attachReal(port: number): Promise<{ commands: string[]; sock: net.Socket }> {
  return new Promise((resolve, reject) => {
    const commands: string[] = [];
    const sock = net.connect({ port, host: '127.0.0.1' }, () => sock.write('SYNC\r\n'));
    let buf = Buffer.alloc(0);
    let rdbLeft = -1;
    const parser = new ReplyParser();
    sock.on('error', reject);
    sock.on('data', (d: Buffer) => {
      if (rdbLeft !== 0) {
        buf = Buffer.concat([buf, d]);
        if (rdbLeft === -1) {
          while (buf.length && buf[0] === 10) buf = buf.subarray(1);
          const nl = buf.indexOf('\r\n');
          if (nl < 0) return;
          rdbLeft = Number(buf.subarray(1, nl).toString('latin1'));
          buf = buf.subarray(nl + 2);
        }
        const take = Math.min(rdbLeft, buf.length);
        rdbLeft -= take;
        buf = buf.subarray(take);
        if (rdbLeft > 0) return;
        resolve({ commands, sock });
        d = buf;
      }
      parser.feed(new Uint8Array(d));
      for (let r = parser.next(); r; r = parser.next()) {
        if (r.value.type !== 'array') continue;
        const argv = r.value.value.map((v) => ('value' in v ? String(v.value) : ''));
        if (argv.length === 1 && argv[0].toUpperCase() === 'PING') continue;
        commands.push(line(argv));
      }
    });
  });
}

/** Start capturing both streams; call before the commands under test. */
export async function captureReplication(pair: Pair): Promise<Capture> {
  const real = await attachReal(pair.real.port);
  const ours: string[] = [];
  let selected = -1;
  const hook = (op: { dbId: number; argv: string[]; target?: 'repl' | 'aof' }) => {
    if (op.target === 'aof') return;
    if (op.dbId !== selected) {
      ours.push(line(['SELECT', String(op.dbId)]));
      selected = op.dbId;
    }
    ours.push(line(op.argv));
  };
  pair.ours.server.hooks.propagate.push(hook);
  return {
    real: () => real.commands,
    ours: () => ours,
    close: () => {
      real.sock.destroy();
      const i = pair.ours.server.hooks.propagate.indexOf(hook);
      if (i >= 0) pair.ours.server.hooks.propagate.splice(i, 1);
    },
  };
}

/** Wait until the real stream has at least `n` commands (or a timeout). */
export async function waitForReal(cap: Capture, n: number, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (cap.real().length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

/**
 * Run `body` on a flushed pair, end with a marker write so the real stream is known to be
 * complete, and expect both servers to have propagated the same commands (after `norm`,
 * which masks what differs by the clock).
 */
export async function expectSameStream(pair: Pair, body: (s: Session) => Promise<void>, norm: (line: string) => string): Promise<void> {
  const s = new Session(pair);
  const a = await s.connect('a');
  await a.call(['FLUSHALL']);
  const cap = await captureReplication(pair);
  try {
    await body(s);
    await a.call(['SET', 'marker', 'end']);
    await waitForReal(cap, cap.ours().length);
    await new Promise((r) => setTimeout(r, 30));
    expect(cap.ours().map(norm)).toEqual(cap.real().map(norm));
    expect(cap.real().at(-1)).toBe('SET marker end');
  } finally {
    cap.close();
  }
  s.expectClean();
}
