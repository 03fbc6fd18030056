/**
 * A scripted Redis node for tests (like Redis's tests/helpers/fake_redis_node.tcl): it answers
 * each request whose words match a script entry with that entry's raw reply bytes, and every
 * other request with an error. Used to make a server answer -MOVED / -ASK.
 */
import * as net from 'node:net';
import { freePort } from './ports';

export interface FakeNode {
  port: number;
  /** Requests received, as argv arrays. */
  received: string[][];
  close(): void;
}

/** Parse complete multibulk requests from `buf`; returns them and the unconsumed rest. */
function parseRequests(buf: string): { requests: string[][]; rest: string } {
  const requests: string[][] = [];
  let pos = 0;
  for (;;) {
    if (buf[pos] !== '*') break;
    const eol = buf.indexOf('\r\n', pos);
    if (eol < 0) break;
    const n = Number(buf.slice(pos + 1, eol));
    let p = eol + 2;
    const argv: string[] = [];
    let complete = true;
    for (let i = 0; i < n; i++) {
      const e = buf.indexOf('\r\n', p);
      if (e < 0 || buf[p] !== '$') { complete = false; break; }
      const len = Number(buf.slice(p + 1, e));
      if (buf.length < e + 2 + len + 2) { complete = false; break; }
      argv.push(buf.slice(e + 2, e + 2 + len));
      p = e + 2 + len + 2;
    }
    if (!complete) break;
    requests.push(argv);
    pos = p;
  }
  return { requests, rest: buf.slice(pos) };
}

export async function startFakeNode(script: Record<string, string>): Promise<FakeNode> {
  const port = await freePort();
  const received: string[][] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    let buf = '';
    s.on('data', (d) => {
      const parsed = parseRequests(buf + d.toString('latin1'));
      buf = parsed.rest;
      for (const argv of parsed.requests) {
        received.push(argv);
        const reply = script[argv.join(' ').toUpperCase()] ?? `-ERR unknown command '${argv[0]}'\r\n`;
        s.write(Buffer.from(reply, 'latin1'));
      }
    });
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port, received,
    close: () => { for (const s of sockets) s.destroy(); server.close(); },
  };
}
