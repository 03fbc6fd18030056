/**
 * Redis 7.0's Lua libraries (string, cjson, cmsgpack, struct, bit) against the real
 * redis-server: each chunk in test/differential/lua-libs/*.lua (separated by "====" lines)
 * runs as `EVAL <chunk> 0` on real Redis (after SCRIPT FLUSH, since cjson settings live in
 * the Lua state) and in our interpreter with our libraries; our result is converted to RESP2
 * the way Redis converts a script's return value, and the bytes must be equal. Errors compare
 * by their message (Redis appends " script: <sha>, on @user_script:<line>.").
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { haveRealRedis, startRealRedis, type RealRedis } from '../support/real-redis';
import type { RawClient } from '../support/raw-client';
import { newLuaState, LuaError, LuaTable, type LuaValue } from '../../src/engine/lua/index';
import { openRedisLibs } from '../../src/engine/lua/libs';
import { doubleToInt64 } from '../../src/engine/lua/cformat';

const DIR = path.join(__dirname, 'lua-libs');

function chunks(file: string): string[] {
  return fs.readFileSync(path.join(DIR, file), 'latin1').split('\n====\n').map((s) => s.trim()).filter(Boolean);
}

/** A script's return value as Redis replies with it in RESP2 (luaReplyToRedisReply). */
function toResp(v: LuaValue): string {
  if (typeof v === 'string') return `$${v.length}\r\n${v}\r\n`;
  if (typeof v === 'number') return `:${doubleToInt64(v)}\r\n`;
  if (v === true) return ':1\r\n';
  if (v instanceof LuaTable) {
    const err = v.get('err');
    if (typeof err === 'string') return `-${err}\r\n`;
    const ok = v.get('ok');
    if (typeof ok === 'string') return `+${ok}\r\n`;
    const items: string[] = [];
    for (let i = 1; ; i++) {
      const x = v.get(i);
      if (x === undefined) break;
      items.push(toResp(x));
    }
    return `*${items.length}\r\n${items.join('')}`;
  }
  return '$-1\r\n';
}

function ours(chunk: string): string {
  const L = newLuaState();
  openRedisLibs(L);
  try {
    return toResp(L.call(L.load(chunk, '@user_script'), [])[0]);
  } catch (e) {
    if (e instanceof LuaError) return `-ERR ${e.message}\r\n`;
    throw e;
  }
}

const encode = (argv: string[]) => `*${argv.length}\r\n` + argv.map((x) => `$${x.length}\r\n${x}\r\n`).join('');
const normalise = (reply: string) => reply.replace(/ script: [0-9a-f]{40}, on @user_script:\d+\.\r\n$/, '\r\n');

(haveRealRedis() ? describe : describe.skip)('Lua libraries vs real Redis EVAL', () => {
  let real: RealRedis;
  let client: RawClient;
  beforeAll(async () => {
    real = await startRealRedis();
    client = await real.client();
  });
  afterAll(async () => {
    client?.close();
    await real?.stop();
  });

  async function compare(file: string): Promise<string[]> {
    const list = chunks(file);
    // Pipelined: SCRIPT FLUSH (a fresh Lua state, as ours is) then the EVAL, for each chunk.
    client.write(list.map((c) => encode(['SCRIPT', 'FLUSH']) + encode(['EVAL', c, '0'])).join(''));
    const mismatches: string[] = [];
    for (const c of list) {
      await client.reply();
      const want = normalise((await client.reply()).bytes);
      const got = ours(c);
      if (want !== got) mismatches.push(`${c}\n  real: ${JSON.stringify(want)}\n  ours: ${JSON.stringify(got)}`);
    }
    return mismatches;
  }

  for (const file of ['string.lua', 'cjson.lua', 'cmsgpack.lua', 'struct-bit.lua', 'random.lua', 'random-patterns.lua', 'random-format.lua', 'random-struct.lua', 'random-objects.lua']) {
    it(file, async () => {
      expect(await compare(file)).toEqual([]);
    });
  }
});
