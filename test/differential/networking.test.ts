/**
 * The native host's networking against real Redis 7.0.15 (what Redis's unit/networking and
 * integration/psync2-reg need): clients over `unixsocket` (CLIENT INFO's addr/laddr/flags,
 * MONITOR's "unix:<path>", CLIENT KILL ADDR, the socket file's mode), protected mode refusing a
 * client from a non-loopback address, and a replica's `bind-source-addr`.
 * The unix socket's start-up and shutdown log lines are compared in startup.test.ts.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as nodeOs from 'node:os';
import * as path from 'node:path';
import { haveRealRedis, startRealRedis, type RealRedis } from '../support/real-redis';
import { startOurRedis, type OurRedis } from '../support/our-server';
import { RawClient } from '../support/raw-client';

/** One non-loopback IPv4 address of this machine, or null (the protected-mode check then skips). */
function nonLoopbackAddress(): string | null {
  for (const list of Object.values(nodeOs.networkInterfaces())) {
    for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal && !i.address.startsWith('127.')) return i.address;
  }
  return null;
}

/** 127.0.0.2 exists on Linux's loopback without configuration (the Tcl test's test_loopback). */
function canBindLoopback2(): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(0, '127.0.0.2', () => srv.close(() => resolve(true)));
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const field = (line: string, name: string) => new RegExp(`(?:^| )${name}=(\\S*)`).exec(line)?.[1];

(haveRealRedis() ? describe : describe.skip)('networking (differential, native host)', () => {
  const dir = fs.mkdtempSync(path.join(nodeOs.tmpdir(), 'halab-net-'));
  const realSock = path.join(dir, 'real.sock'), ourSock = path.join(dir, 'ours.sock');
  let real: RealRedis, ours: OurRedis;
  beforeAll(async () => {
    // A stale file where the socket goes: the server removes it (whatever it is) and binds.
    fs.writeFileSync(ourSock, 'stale');
    fs.writeFileSync(realSock, 'stale');
    [real, ours] = await Promise.all([
      startRealRedis(['--unixsocket', realSock, '--unixsocketperm', '700']),
      startOurRedis(['--unixsocket', ourSock, '--unixsocketperm', '700']),
    ]);
  });
  afterAll(async () => {
    await Promise.all([real?.stop(), ours?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the socket file replaces a stale file and has unixsocketperm', () => {
    for (const p of [realSock, ourSock]) {
      const st = fs.statSync(p);
      expect({ socket: st.isSocket(), mode: (st.mode & 0o777).toString(8) }).toEqual({ socket: true, mode: '700' });
    }
  });

  it('a unix socket client: CLIENT INFO addr/laddr "<path>:0", flag U, the same fd', async () => {
    const shape = async (sock: string) => {
      const c = await RawClient.connectPath(sock);
      const line = (await c.call('CLIENT', 'INFO')).split(sock).join('$SOCK');
      c.close();
      return { addr: field(line, 'addr'), laddr: field(line, 'laddr'), flags: field(line, 'flags'), fd: field(line, 'fd') };
    };
    const r = await shape(realSock);
    expect(r.addr).toBe('$SOCK:0');
    expect(await shape(ourSock)).toEqual(r);
  });

  it('MONITOR shows a unix socket client as "unix:<path>"; CLIENT KILL ADDR <path>:0 finds it', async () => {
    const run = async (srv: RealRedis | OurRedis, sock: string) => {
      const mon = await srv.client();
      expect(await mon.call('MONITOR')).toBe('+OK\r\n');
      const c = await RawClient.connectPath(sock);
      await c.call('SET', 'k', 'v');
      const line = (await mon.reply()).bytes.replace(/^\+\d+\.\d+ /, '+T ').split(sock).join('$SOCK');
      mon.close();
      const admin = await srv.client();
      const kill = await admin.call('CLIENT', 'KILL', 'ADDR', `${sock}:0`);
      admin.close();
      const closed = (await c.readUntilClose(2000), c.closed);
      return { line, kill, closed };
    };
    const r = await run(real, realSock);
    expect(r.line).toBe('+T [0 unix:$SOCK] "SET" "k" "v"\r\n');
    expect(await run(ours, ourSock)).toEqual(r);
  });

  it('protected mode: no password, a client from a non-loopback address gets -DENIED and is closed', async () => {
    const addr = nonLoopbackAddress();
    if (addr === null) return;
    const run = async (srv: RealRedis | OurRedis) => {
      const admin = await srv.client();
      // Listening everywhere does not matter: only the client's address and the password do.
      expect(await admin.call('CONFIG', 'SET', 'bind', '*')).toBe('+OK\r\n');
      const c = await RawClient.connect(srv.port, addr);
      c.write('PING\r\n');
      const denied = await c.readUntilClose(3000);
      // With a password set the same client is served.
      await admin.call('CONFIG', 'SET', 'requirepass', 'secret');
      const c2 = await RawClient.connect(srv.port, addr);
      const auth = [await c2.call('AUTH', 'secret'), await c2.call('PING')];
      c2.close();
      await admin.call('CONFIG', 'SET', 'requirepass', '');
      await admin.call('CONFIG', 'SET', 'bind', '127.0.0.1');
      admin.close();
      return { denied, auth };
    };
    const r = await run(real);
    expect(r.denied).toMatch(/^-DENIED Redis is running in protected mode/);
    expect(await run(ours)).toEqual(r);
  });

  it('protected mode: a client from 127.0.0.2 is not local (only 127.0.0.1 and ::1 are)', async () => {
    if (!(await canBindLoopback2())) return;
    const run = async (srv: RealRedis | OurRedis) => {
      const c = await RawClient.connect(srv.port, '127.0.0.1', '127.0.0.2');
      c.write('PING\r\n');
      return c.readUntilClose(3000);
    };
    const r = await run(real);
    expect(r).toMatch(/^-DENIED /);
    expect(await run(ours)).toBe(r);
  });

  it('bind-source-addr: our replica connects to the master from that address', async () => {
    if (!(await canBindLoopback2())) return;
    const slave0 = async (master: RealRedis | OurRedis, replica: RealRedis | OurRedis) => {
      const m = await master.client(), r = await replica.client();
      await m.call('CONFIG', 'SET', 'protected-mode', 'no');
      await m.call('CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
      expect(await r.call('CONFIG', 'SET', 'bind-source-addr', '127.0.0.2')).toBe('+OK\r\n');
      await r.call('REPLICAOF', '127.0.0.1', String(master.port));
      await until('master_link_status:up', async () => (await r.call('INFO', 'replication')).includes('master_link_status:up'));
      const info = await m.call('INFO', 'replication');
      await r.call('REPLICAOF', 'NO', 'ONE');
      await r.call('CONFIG', 'SET', 'bind-source-addr', '');
      m.close(); r.close();
      return /slave0:ip=([^,]+)/.exec(info)?.[1];
    };
    // Our replica seen by the real master, and the real replica seen by ours.
    expect(await slave0(real, ours)).toBe('127.0.0.2');
    expect(await slave0(ours, real)).toBe('127.0.0.2');
  });
});
