/**
 * A client whose reply passes its output buffer limit is freed right after its read is
 * processed (beforeNextClient), before the next client's command: client eviction, which runs
 * before every command, never counts its memory. Two 4 MB GET replies (limit 3 MB) queued
 * while the server is stopped run in one turn; a client holding a 6 MB query buffer with
 * maxmemory-clients 10 MB must survive (unit/client-eviction "avoid client eviction when
 * client is freed by output buffer limit").
 */
import { describe, it, expect, afterAll } from 'vitest';
import { haveRealRedis, REAL_REDIS, startServerProcess, type RealRedis } from '../support/real-redis';
import { startOurRedis, type OurRedis } from '../support/our-server';
import type { RawClient } from '../support/raw-client';
import { cmd, info, text } from '../replication/helpers';

const suite = haveRealRedis() && process.platform === 'linux' ? describe : describe.skip;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const servers: (RealRedis | OurRedis)[] = [];
const clients: RawClient[] = [];
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.stop()));
});

/**
 * `pause`/`resume` hold the server while both GETs arrive: SIGSTOP for the real process; ours
 * runs inside this process, so both requests written in one tick arrive in one turn anyway.
 */
async function scenario(s: RealRedis | OurRedis, pause: () => void, resume: () => void): Promise<string[]> {
  servers.push(s);
  const connect = async () => { const c = await s.client(); clients.push(c); return c; };
  const r = await connect();
  await cmd(r, 'CONFIG', 'SET', 'maxmemory-clients', String(10 * 1024 * 1024));
  await cmd(r, 'CONFIG', 'SET', 'client-output-buffer-limit', `normal ${3 * 1024 * 1024} 0 0`);
  await cmd(r, 'SETRANGE', 'k', String(4 * 1024 * 1024), 'v');
  const qb = await connect();
  await cmd(qb, 'CLIENT', 'SETNAME', 'qbuf-client');
  const n = 6 * 1024 * 1024;
  qb.write(`*1\r\n$${n}\r\n${'v'.repeat(n)}`);
  for (let i = 0; i < 100 && !(text(await cmd(r, 'CLIENT', 'LIST')).includes(`qbuf=${n} `)); i++) await sleep(20);
  const o1 = await connect();
  const o2 = await connect();
  pause();
  o1.write('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
  o2.write('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
  resume();
  await Promise.all([o1.readUntilClose(3000), o2.readUntilClose(3000)]);
  const names = text(await cmd(r, 'CLIENT', 'LIST')).match(/name=\S+/g)?.filter((x) => x !== 'name=') ?? [];
  return [...names, `evicted_clients:${(await info(r, 'stats')).evicted_clients}`];
}

suite('output buffer limit before client eviction (native, vs real redis-server)', () => {
  it('the clients over their output limit go first; the big query buffer client stays', async () => {
    const realServer = await startServerProcess([REAL_REDIS!]);
    const pid = realServer.proc.pid!;
    const real = await scenario(realServer, () => process.kill(pid, 'SIGSTOP'), () => { setTimeout(() => process.kill(pid, 'SIGCONT'), 100); });
    const ours = await scenario(await startOurRedis(), () => undefined, () => undefined);
    expect(real).toEqual(['name=qbuf-client', 'evicted_clients:0']);
    expect(ours).toEqual(real);
  }, 40_000);
});
