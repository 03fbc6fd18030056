/**
 * Two sentinel behaviours Redis's own sentinel suite (tests/sentinel, 03-runtime-reconf) checks,
 * ours against a real redis-sentinel 7.0.15 watching the same real master:
 *
 * - a master that stops accepting the sentinel's user (ACL default off, its connections
 *   killed) leaves the sentinel "disconnected": its pub/sub link's SUBSCRIBE is refused with
 *   NOAUTH, an error reply with no callback waiting for it, which hiredis takes as the link's
 *   error and drops the link (then retries every second, with the same result);
 * - SENTINEL SET fails with Redis's error when its config file cannot be saved (a directory
 *   stands where the file was).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import { haveTools, startRealRedis, REAL_REDIS, type RealRedis } from '../support/real-redis';
import { REAL_SENTINEL, startOurSentinel, startRealSentinel, ask, until, type SentinelProc } from '../support/sentinels';
import type { RawClient } from '../support/raw-client';
import type { RespValue } from '../../src/engine/resp/reply-parser';

const enabled = haveTools(REAL_REDIS, REAL_SENTINEL);

function masterField(v: RespValue, name: string): string | undefined {
  if (v.type !== 'array') return undefined;
  for (let i = 0; i < v.value.length; i += 2) {
    const k = v.value[i] as { value: string };
    if (k.value === name) return (v.value[i + 1] as { value: string }).value;
  }
  return undefined;
}

(enabled ? describe : describe.skip)('sentinel links and config saves, ours vs real redis-sentinel', () => {
  let master: RealRedis;
  let mc: RawClient;
  let real: SentinelProc;
  let ours: SentinelProc;
  let rc: RawClient;
  let oc: RawClient;

  beforeAll(async () => {
    master = await startRealRedis();
    mc = await master.client();
    const lines = [`sentinel monitor mymaster 127.0.0.1 ${master.port} 1`, 'sentinel down-after-milliseconds mymaster 60000'];
    [real, ours] = await Promise.all([startRealSentinel(lines), startOurSentinel(lines)]);
    rc = await real.client();
    oc = await ours.client();
    const flags = async (c: RawClient) => masterField((await ask(c, 'SENTINEL', 'MASTER', 'mymaster')).value, 'flags');
    await until('both sentinels connected', async () => (await flags(rc)) === 'master' && (await flags(oc)) === 'master');
  }, 30_000);

  afterAll(async () => {
    rc?.close(); oc?.close(); mc?.close();
    for (const s of [real, ours]) { await s?.stop(); s?.cleanup(); }
    await master?.stop();
  });

  it('SENTINEL SET answers an error when the config file cannot be saved, and OK again once it can', async () => {
    for (const s of [real, ours]) {
      fs.renameSync(s.confPath, `${s.confPath}.bak`);
      fs.mkdirSync(s.confPath);
    }
    try {
      const [a, b] = await Promise.all([ask(rc, 'SENTINEL', 'SET', 'mymaster', 'quorum', '2'), ask(oc, 'SENTINEL', 'SET', 'mymaster', 'quorum', '2')]);
      expect(a.bytes).toBe('-ERR Failed to save config file. Check server logs.\r\n');
      expect(b.bytes).toBe(a.bytes);
    } finally {
      for (const s of [real, ours]) {
        fs.rmdirSync(s.confPath);
        fs.renameSync(`${s.confPath}.bak`, s.confPath);
      }
    }
    const [a, b] = await Promise.all([ask(rc, 'SENTINEL', 'SET', 'mymaster', 'quorum', '1'), ask(oc, 'SENTINEL', 'SET', 'mymaster', 'quorum', '1')]);
    expect([a.bytes, b.bytes]).toEqual(['+OK\r\n', '+OK\r\n']);
  });

  it('a master that refuses the sentinel\'s user shows as disconnected', async () => {
    // The default user off, and its connections (the sentinels' links among them) killed.
    await ask(mc, 'ACL', 'SETUSER', 'admin', 'on', '>pw', '+@all', 'allchannels', '~*');
    await ask(mc, 'AUTH', 'admin', 'pw');
    expect((await ask(mc, 'ACL', 'SETUSER', 'default', 'off')).bytes).toBe('+OK\r\n');
    await ask(mc, 'CLIENT', 'KILL', 'USER', 'default', 'SKIPME', 'no');
    const flags = async (c: RawClient) => masterField((await ask(c, 'SENTINEL', 'MASTER', 'mymaster')).value, 'flags') ?? '';
    // It stays so: the links are retried every second and dropped again at once, so nearly
    // every look finds them down (a link that merely reconnected would show plain "master").
    await new Promise((r) => setTimeout(r, 2500));
    const looks: [string, string][] = [];
    for (let i = 0; i < 5; i++) {
      looks.push([await flags(rc), await flags(oc)]);
      await new Promise((r) => setTimeout(r, 300));
    }
    const down = (k: 0 | 1) => looks.filter((l) => l[k].includes('disconnected')).length;
    expect(down(0), JSON.stringify(looks)).toBeGreaterThanOrEqual(4);
    expect(down(1), JSON.stringify(looks)).toBeGreaterThanOrEqual(4);
    // Back: the default user on again, both reconnect.
    await ask(mc, 'ACL', 'SETUSER', 'default', 'on');
    await until('both sentinels reconnected', async () => (await flags(rc)) === 'master' && (await flags(oc)) === 'master', 10_000);
  }, 30_000);
});
