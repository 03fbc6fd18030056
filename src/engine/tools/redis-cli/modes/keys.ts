/**
 * --bigkeys / --memkeys (the biggest key of each type, by element count or MEMORY USAGE) and
 * --hotkeys (the 16 keys with the highest LFU counters), over a full SCAN of the keyspace.
 * For every page the TYPE and size commands are pipelined, as redis-cli does.
 */
import type { RedisCli } from '../cli';
import { repr } from '../../../util/repr';
import { fixed, fixedZeroPad, padLeft, padRight } from '../cformat';
import { getDbSize, sendScan } from './scan';
import { TypeDict } from './type-dict';

interface TypeInfo {
  name: string;
  sizeCmd: string | null;
  sizeUnit: string;
  biggest: bigint;
  count: bigint;
  totalSize: bigint;
  biggestKey: string | null;
}

function typeInfo(name: string, sizeCmd: string | null, sizeUnit: string): TypeInfo {
  return { name, sizeCmd, sizeUnit, biggest: 0n, count: 0n, totalSize: 0n, biggestKey: null };
}

/** redis-cli's dict of types, whose iteration order decides the summary's order. */
function builtinTypes(): TypeDict<TypeInfo> {
  const types = new TypeDict<TypeInfo>();
  for (const t of [
    typeInfo('string', 'STRLEN', 'bytes'),
    typeInfo('list', 'LLEN', 'items'),
    typeInfo('set', 'SCARD', 'members'),
    typeInfo('hash', 'HLEN', 'fields'),
    typeInfo('zset', 'ZCARD', 'members'),
    typeInfo('stream', 'XLEN', 'entries'),
  ]) types.add(t.name, t);
  return types;
}

const pct = (x: number) => fixedZeroPad(x, 5, 2);

async function keyTypes(cli: RedisCli, types: TypeDict<TypeInfo>, keys: string[]): Promise<(TypeInfo | null)[]> {
  const c = cli.context!;
  for (const key of keys) c.appendCommand(['TYPE', key]);
  const out: (TypeInfo | null)[] = [];
  for (const key of keys) {
    const reply = await c.getReply();
    if (reply === null) {
      cli.err(`Error getting type for key '${key.split('\0')[0]}' (${errCode(c.err!.kind)}: ${c.err!.errstr})\n`);
      cli.exit(1);
    }
    if (reply.type !== 'status') {
      if (reply.type === 'error') cli.err(`TYPE returned an error: ${reply.str}\n`);
      else cli.err(`Invalid reply type (${cli.typeNumber(reply)}) for TYPE on key '${key.split('\0')[0]}'!\n`);
      cli.exit(1);
    }
    let type = types.find(reply.str) ?? null;
    if (!type && reply.str !== 'none') {
      // A module type: tracked like the others, sized only by --memkeys.
      type = typeInfo(reply.str, null, '?');
      types.add(type.name, type);
    }
    out.push(type);
  }
  return out;
}

function errCode(kind: string): number {
  return kind === 'io' ? 1 : kind === 'other' ? 2 : kind === 'eof' ? 3 : kind === 'protocol' ? 4 : 0;
}

async function keySizes(cli: RedisCli, keys: string[], types: (TypeInfo | null)[], memkeys: boolean, samples: number): Promise<bigint[]> {
  const c = cli.context!;
  const skip = (i: number) => !types[i] || (!types[i]!.sizeCmd && !memkeys);
  keys.forEach((key, i) => {
    if (skip(i)) return;
    if (!memkeys) c.appendCommand([types[i]!.sizeCmd!, key]);
    else if (samples === 0) c.appendCommand(['MEMORY', 'USAGE', key]);
    else c.appendCommand(['MEMORY', 'USAGE', key, 'SAMPLES', String(samples)]);
  });
  const sizes: bigint[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (skip(i)) { sizes.push(0n); continue; }
    const reply = await c.getReply();
    if (reply === null) {
      cli.err(`Error getting size for key '${keys[i].split('\0')[0]}' (${errCode(c.err!.kind)}: ${c.err!.errstr})\n`);
      cli.exit(1);
    }
    if (reply.type !== 'integer') {
      cli.err(`Warning:  ${!memkeys ? types[i]!.sizeCmd : 'MEMORY USAGE'} on '${keys[i].split('\0')[0]}' failed (may have changed type)\n`);
      sizes.push(0n);
    } else {
      sizes.push(BigInt.asUintN(64, reply.integer));
    }
  }
  return sizes;
}

const scanBanner = (what: string) => `\n# Scanning the entire keyspace to find ${what} as well as\n`
  + '# average sizes per key type.  You can use -i 0.1 to sleep 0.1 sec\n'
  + '# per 100 SCAN commands (not usually needed).\n\n';

export async function findBigKeys(cli: RedisCli, memkeys: boolean, samples: number): Promise<never> {
  const types = builtinTypes();
  cli.installSigint('stop-loop');
  const totalKeys = await getDbSize(cli);
  cli.out(scanBanner('biggest keys'));
  let sampled = 0n;
  let totlen = 0n;
  let scanLoops = 0;
  let cursor = 0n;
  let progress = 0;
  do {
    progress = 100 * Number(sampled) / totalKeys;
    const page = await sendScan(cli, cursor);
    cursor = page.cursor;
    scanLoops++;
    const keyTypesOfPage = await keyTypes(cli, types, page.keys);
    const sizes = await keySizes(cli, page.keys, keyTypesOfPage, memkeys, samples);
    for (let i = 0; i < page.keys.length; i++) {
      const type = keyTypesOfPage[i];
      if (!type) continue;
      type.totalSize += sizes[i];
      type.count++;
      totlen += BigInt(page.keys[i].length);
      sampled++;
      if (type.biggest < sizes[i]) {
        type.biggestKey = repr(page.keys[i]);
        cli.out(`[${pct(progress)}%] Biggest ${padRight(type.name, 6)} found so far '${type.biggestKey}' with ${sizes[i]} ${!memkeys ? type.sizeUnit : 'bytes'}\n`);
        type.biggest = sizes[i];
      }
      if (sampled % 1000000n === 0n) cli.out(`[${pct(progress)}%] Sampled ${sampled} keys so far\n`);
    }
    if (cli.config.intervalUs && scanLoops % 100 === 0) await cli.sleepUs(cli.config.intervalUs);
  } while (!cli.forceCancelLoop && cursor !== 0n);

  let out = '\n-------- summary -------\n\n';
  if (cli.forceCancelLoop) out += `[${pct(progress)}%] `;
  out += `Sampled ${sampled} keys in the keyspace!\n`;
  out += `Total key length in bytes is ${totlen} (avg len ${fixed(totlen ? Number(totlen) / Number(sampled) : 0, 2)})\n\n`;
  for (const type of types.values()) {
    if (type.biggestKey !== null) {
      out += `Biggest ${padLeft(type.name, 6)} found '${type.biggestKey}' has ${type.biggest} ${!memkeys ? type.sizeUnit : 'bytes'}\n`;
    }
  }
  out += '\n';
  for (const type of types.values()) {
    const share = sampled ? 100 * Number(type.count) / Number(sampled) : 0;
    const avg = type.count ? Number(type.totalSize) / Number(type.count) : 0;
    out += `${type.count} ${type.name}s with ${type.totalSize} ${!memkeys ? type.sizeUnit : 'bytes'} (${pct(share)}% of keys, avg size ${fixed(avg, 2)})\n`;
  }
  cli.out(out);
  cli.exit(0);
}

const HOTKEYS_SAMPLE = 16;

export async function findHotKeys(cli: RedisCli): Promise<never> {
  const counters: bigint[] = new Array(HOTKEYS_SAMPLE).fill(0n);
  const hotkeys: (string | null)[] = new Array(HOTKEYS_SAMPLE).fill(null);
  cli.installSigint('stop-loop');
  const totalKeys = await getDbSize(cli);
  cli.out(scanBanner('hot keys'));
  let sampled = 0n;
  let scanLoops = 0;
  let cursor = 0n;
  let progress = 0;
  const c = () => cli.context!;
  do {
    progress = 100 * Number(sampled) / totalKeys;
    const page = await sendScan(cli, cursor);
    cursor = page.cursor;
    scanLoops++;
    for (const key of page.keys) c().appendCommand(['OBJECT', 'FREQ', key]);
    const freqs: bigint[] = [];
    for (const key of page.keys) {
      const reply = await c().getReply();
      if (reply === null) {
        cli.err(`Error getting freq for key '${repr(key)}' (${errCode(c().err!.kind)}: ${c().err!.errstr})\n`);
        cli.exit(1);
      }
      if (reply.type !== 'integer') {
        if (reply.type === 'error') {
          cli.err(`Error: ${reply.str}\n`);
          cli.exit(1);
        }
        cli.err(`Warning: OBJECT freq on '${repr(key)}' failed (may have been deleted)\n`);
        freqs.push(0n);
      } else {
        freqs.push(BigInt.asUintN(64, reply.integer));
      }
    }
    for (let i = 0; i < page.keys.length; i++) {
      sampled++;
      if (sampled % 1000000n === 0n) cli.out(`[${pct(progress)}%] Sampled ${sampled} keys so far\n`);
      // A small sorted pool (ascending counters), like the eviction pool.
      let k = 0;
      while (k < HOTKEYS_SAMPLE && freqs[i] > counters[k]) k++;
      if (k === 0) continue;
      k--;
      if (k !== 0 && counters[k] !== 0n) {
        counters.copyWithin(0, 1, k + 1);
        hotkeys.copyWithin(0, 1, k + 1);
      }
      counters[k] = freqs[i];
      hotkeys[k] = repr(page.keys[i]);
      cli.out(`[${pct(progress)}%] Hot key '${hotkeys[k]}' found so far with counter ${freqs[i]}\n`);
    }
    if (cli.config.intervalUs && scanLoops % 100 === 0) await cli.sleepUs(cli.config.intervalUs);
  } while (!cli.forceCancelLoop && cursor !== 0n);

  let out = '\n-------- summary -------\n\n';
  if (cli.forceCancelLoop) out += `[${pct(progress)}%] `;
  out += `Sampled ${sampled} keys in the keyspace!\n`;
  for (let i = 1; i <= HOTKEYS_SAMPLE; i++) {
    const k = HOTKEYS_SAMPLE - i;
    if (counters[k] > 0n) out += `hot key found with counter: ${counters[k]}\tkeyname: ${hotkeys[k]}\n`;
  }
  cli.out(out);
  cli.exit(0);
}
