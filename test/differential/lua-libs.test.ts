/**
 * Redis 7.0's Lua libraries (string, cjson, cmsgpack, struct, bit) against the real
 * redis-server: each chunk in test/differential/lua-libs/*.lua (separated by "====" lines)
 * runs as `EVAL <chunk> 0` on both servers, each time after SCRIPT FLUSH (cjson settings live
 * in the Lua state), and the reply bytes must be equal, errors included.
 */
import { it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeDifferential } from '../support/differential';
import type { RawClient } from '../support/raw-client';

const DIR = path.join(__dirname, 'lua-libs');

function chunks(file: string): string[] {
  return fs.readFileSync(path.join(DIR, file), 'latin1').split('\n====\n').map((s) => s.trim()).filter(Boolean);
}

const encode = (argv: string[]) => `*${argv.length}\r\n` + argv.map((x) => `$${x.length}\r\n${x}\r\n`).join('');

/** The EVAL replies of every chunk, pipelined, each after a SCRIPT FLUSH. */
async function replies(client: RawClient, list: string[]): Promise<string[]> {
  client.write(list.map((c) => encode(['SCRIPT', 'FLUSH']) + encode(['EVAL', c, '0'])).join(''));
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    await client.reply();
    out.push((await client.reply()).bytes);
  }
  return out;
}

describeDifferential('Lua libraries (differential, EVAL)', (pair) => {
  for (const file of ['string.lua', 'cjson.lua', 'cmsgpack.lua', 'struct-bit.lua', 'random.lua', 'random-patterns.lua', 'random-format.lua', 'random-struct.lua', 'random-objects.lua']) {
    it(file, async () => {
      const list = chunks(file);
      const [real, ours] = await Promise.all([replies(pair().realClient, list), replies(pair().ourClient, list)]);
      const mismatches = list.flatMap((c, i) => (real[i] === ours[i] ? [] : [`${c}\n  real: ${JSON.stringify(real[i])}\n  ours: ${JSON.stringify(ours[i])}`]));
      expect(mismatches).toEqual([]);
    });
  }
});
