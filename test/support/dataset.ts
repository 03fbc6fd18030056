/**
 * A dataset with every type and every encoding Redis 7.0 writes, built in a real
 * redis-server with its own commands: int/embstr/raw strings, compressible and binary
 * strings, listpack and hashtable hashes, intset and hashtable sets, listpack and skiplist
 * sorted sets (odd scores included), short and multi-node lists, expires, several DBs.
 */
import type { RawClient } from './raw-client';
import { cmd } from './persistence';

async function batch(c: RawClient, argvs: string[][]): Promise<void> {
  for (const a of argvs) {
    const r = await cmd(c, ...a);
    if (r.type === 'error') throw new Error(`${a.join(' ')}: ${r.value}`);
  }
}

export async function populateRealDataset(c: RawClient): Promise<void> {
  const big = (n: number, f: (i: number) => string[]) => Array.from({ length: n }, (_, i) => f(i)).flat();
  await batch(c, [
    ['SELECT', '0'],
    ['SET', 'str:int', '12345'], ['SET', 'str:neg', '-7'], ['SET', 'str:int64', '9223372036854775807'],
    ['SET', 'str:int-big32', '4294967296'], ['SET', 'str:zero', '0'],
    ['SET', 'str:embstr', 'hello world'], ['SET', 'str:raw', 'r'.repeat(60)],
    ['SET', 'str:lzf', 'abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc-xyz'.repeat(4)],
    ['SET', 'str:bin', '\x00\x01\xff\xfe binary \r\n\x00'], ['SET', 'str:empty', ''],
    ['SET', 'str:float', '3.14'], ['SET', 'str:leading0', '007'],
    ['APPEND', 'str:appended', '42'],
    ['HSET', 'hash:small', 'f1', 'v1', 'f2', '2', 'n', '-100000', 'big', '123456789012'],
    ['HSET', 'hash:big', ...big(200, (i) => [`field:${i}`, `value:${i}`])],
    ['HSET', 'hash:longval', 'k', 'x'.repeat(100)],
    ['SADD', 'set:intset', '1', '2', '3', '-40000', '70000', '5000000000'],
    ['SADD', 'set:bigint', ...big(600, (i) => [String(i * 3)])],
    ['SADD', 'set:strings', 'a', 'b', 'c', 'hello'],
    ['ZADD', 'zset:small', '1', 'one', '2.5', 'two-and-half', '-3', 'neg', '0', 'zero', 'inf', 'top', '-inf', 'bottom', '1e100', 'huge', '123456789012', 'intscore'],
    ['ZADD', 'zset:big', ...big(200, (i) => [String(i / 7), `m${i}`])],
    ['ZADD', 'zset:longmember', '1', 'm'.repeat(80)],
    ['RPUSH', 'list:small', 'a', 'b', '3', '-4', 'hello'],
    ['RPUSH', 'list:big', ...big(3000, (i) => [`item-${i}-${'z'.repeat(i % 50)}`])],
    ['RPUSH', 'list:ints', ...big(300, (i) => [String(i * 1000 - 70000)])],
    ['LPUSH', 'list:lpushed', 'x', 'y', 'z'],
    ['SET', 'ttl:str', 'v', 'PX', '500000000'],
    ['HSET', 'ttl:hash', 'a', 'b'], ['PEXPIRE', 'ttl:hash', '800000000'],
    ['SELECT', '1'],
    ['SET', 'db1:key', 'in db 1'], ['RPUSH', 'db1:list', '1', '2'],
    ['SELECT', '5'],
    ['SADD', 'db5:set', 'x'], ['ZADD', 'db5:zset', '1', 'a'],
    ['SELECT', '15'],
    ['SET', 'db15:last', 'last db'],
    ['SELECT', '0'],
  ]);
}
