/**
 * The inspector's readers of Redis files, checked on files written by Debian's real
 * redis-server 7.0.15 (an AOF with appendonly yes, a dump.rdb from SAVE) and on hand-made
 * damaged files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCommand } from '../../src/engine/resp/reply-parser';
import { haveRealRedis, startRealRedis, type RealRedis } from '../support/real-redis';
import { parseAof, summarizeRdb, fileKind, quoteArg } from '../../src/ui/inspector/file-views';

const te = new TextEncoder();

describe('AOF reader', () => {
  it('lists commands with offsets and flags a torn tail', () => {
    const text = encodeCommand(['SET', 'k', 'v 1']) + encodeCommand(['DEL', 'k']);
    const full = parseAof(te.encode(text));
    expect(full.commands.map((c) => c.argv)).toEqual([['SET', 'k', 'v 1'], ['DEL', 'k']]);
    expect(full.commands[1].offset).toBe(encodeCommand(['SET', 'k', 'v 1']).length);
    expect(full.truncatedAt).toBeNull();
    const torn = parseAof(te.encode(text.slice(0, -3)));
    expect(torn.commands).toHaveLength(1);
    expect(torn.truncatedAt).toBe(full.commands[1].offset);
    expect(parseAof(te.encode('hello')).errorAt).toBe(0);
    expect(quoteArg('v 1')).toBe('"v 1"');
    expect(quoteArg('plain')).toBe('plain');
  });

  it('knows files by name and magic', () => {
    expect(fileKind('/d/appendonlydir/appendonly.aof.1.incr.aof', te.encode('*1'))).toBe('aof');
    expect(fileKind('/d/appendonlydir/appendonly.aof.manifest', te.encode('file'))).toBe('manifest');
    expect(fileKind('/d/dump.rdb', te.encode('REDIS0010'))).toBe('rdb');
    expect(fileKind('/etc/redis/sentinel.conf', te.encode('port'))).toBe('text');
  });

  it('summarises a truncated or foreign RDB without throwing', () => {
    const latin1 = (t: string) => Uint8Array.from(t, (c) => c.charCodeAt(0));
    expect(summarizeRdb(latin1('NOTREDIS')).problem?.en).toMatch(/magic/);
    expect(summarizeRdb(latin1('REDIS0010\xfa')).problem?.en).toMatch(/truncated AUX/);
    // The inspector says it in Chinese too.
    expect(summarizeRdb(latin1('REDIS0010\xfa')).problem?.zh).toBe('第 9 字节处的 AUX 字段不完整');
    expect(summarizeRdb(latin1('REDIS0010\xfe\x00\x00\x01k')).problem?.en).toMatch(/truncated/);
  });
});

const real = haveRealRedis() ? describe : describe.skip;

real('readers on files written by real Redis 7.0.15', () => {
  let r: RealRedis;
  beforeAll(async () => {
    r = await startRealRedis(['--appendonly', 'yes']);
    const c = await r.client();
    const send = async (argv: string[]) => { c.write(encodeCommand(argv)); return c.reply(); };
    await send(['SET', 'greeting', 'hello world']);
    await send(['RPUSH', 'list', 'a', 'b', 'c']);
    await send(['SET', 'n', '12345', 'EX', '100']);
    await send(['SELECT', '3']);
    await send(['SET', 'x', '1']);
    await send(['SADD', 's', 'a', 'b']);
    await send(['ZADD', 'z', '1', 'a', '2.5', 'b']);
    await send(['HSET', 'h', 'f', 'v']);
    for (let i = 0; i < 200; i++) await send(['SADD', 'bigset', `member-${i}-${'x'.repeat(30)}`]);
    await send(['SET', 'long', 'y'.repeat(2000)]);
    await send(['SAVE']);
  });
  afterAll(async () => { await r?.stop(); });

  it('reads the AOF incr file as commands', () => {
    const dir = join(r.dir, 'appendonlydir');
    const incr = readdirSync(dir).find((f) => f.endsWith('.incr.aof'))!;
    const aof = parseAof(readFileSync(join(dir, incr)));
    expect(aof.truncatedAt).toBeNull();
    expect(aof.errorAt).toBeNull();
    const lines = aof.commands.map((c) => c.argv.map(quoteArg).join(' '));
    expect(lines).toContain('SET greeting "hello world"');
    expect(lines).toContain('RPUSH list a b c');
    // Real Redis rewrites relative expires to absolute ones in the AOF.
    expect(lines.some((l) => /^SET n 12345 PXAT \d+$/.test(l))).toBe(true);
    expect(lines).toContain('SELECT 3');
  });

  it('summarises dump.rdb: version, aux fields, key counts per database', () => {
    const s = summarizeRdb(readFileSync(join(r.dir, 'dump.rdb')));
    expect(s.problem).toBeNull();
    expect(s.version).toBe(10);
    expect(Object.fromEntries(s.aux)['redis-ver']).toBe('7.0.15');
    expect(s.databases).toEqual([
      { db: 0, keys: 3, expires: 1, counted: 3, withTtl: 1 },
      { db: 3, keys: 6, expires: 0, counted: 6, withTtl: 0 },
    ]);
    expect(s.types).toEqual({ string: 4, list: 1, set: 2, zset: 1, hash: 1 });
    expect(s.endMarker).toBe(true);
    expect(s.ok).toBe(true);
  });
});
