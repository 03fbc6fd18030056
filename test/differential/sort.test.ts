/**
 * SORT and SORT_RO against real Redis 7.0.15: numeric and ALPHA sorts of lists, sets and
 * sorted sets, LIMIT clamping, BY weights (string keys, hash fields, constant patterns that
 * mean "don't sort"), GET (including '#' and missing keys), STORE (creating, replacing and
 * deleting the destination), the error paths, and the side effects (encoding conversion,
 * waking a client blocked on the STORE destination).
 */
import { it, expect } from 'vitest';
import { describeDifferential, expectSame } from '../support/differential';

describeDifferential('SORT (differential)', (pair) => {
  it('numeric and ALPHA sorts, LIMIT, DESC', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['RPUSH', 'l', '3', '10', '1', '-2.5', '1e2', '007', '7', ' 4', ''],
    ['SORT', 'l'], ['SORT', 'l', 'DESC'], ['SORT', 'l', 'ALPHA'], ['SORT', 'l', 'ALPHA', 'DESC'],
    ['SORT', 'l', 'LIMIT', '0', '3'], ['SORT', 'l', 'LIMIT', '2', '100'], ['SORT', 'l', 'LIMIT', '-5', '2'], ['SORT', 'l', 'LIMIT', '20', '2'],
    ['SORT', 'l', 'LIMIT', '1', '0'], ['SORT', 'l', 'LIMIT', '1', '-1'], ['SORT', 'l', 'LIMIT', 'x', '1'], ['SORT', 'l', 'LIMIT', '1'],
    ['SORT', 'l', 'DESC', 'ASC'],
    ['RPUSH', 'bad', '1', 'abc', '2'], ['SORT', 'bad'], ['SORT', 'bad', 'ALPHA'],
    ['RPUSH', 'bad2', '1', '2 ', 'nan'], ['SORT', 'bad2'], ['RPUSH', 'inf', 'inf', '-inf', '0'], ['SORT', 'inf'],
    ['RPUSH', 'nul', 'b\0z', 'b\0a', 'a'], ['SORT', 'nul', 'ALPHA'], ['SORT', 'nul', 'ALPHA', 'STORE', 'nulout'], ['LRANGE', 'nulout', '0', '-1'],
    ['SADD', 's', '5', '2', '9', '1'], ['SORT', 's'], ['SORT', 's', 'DESC', 'LIMIT', '1', '2'],
    ['ZADD', 'z', '1', 'c', '2', 'a', '3', 'b'], ['OBJECT', 'ENCODING', 'z'], ['SORT', 'z', 'ALPHA'], ['OBJECT', 'ENCODING', 'z'],
    ['SORT', 'nokey'], ['SORT', 'nokey', 'LIMIT', '0', '1'],
    ['SET', 'str', 'x'], ['SORT', 'str'], ['HSET', 'h', 'f', 'v'], ['SORT', 'h'],
    ['SORT', 'l', 'BOGUS'], ['SORT', 'l', 'GET'], ['SORT', 'l', 'BY'], ['SORT'],
  ]));

  it('BY weights, GET patterns, constant BY', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['RPUSH', 'ids', '1', '2', '3', '4'],
    ['MSET', 'w_1', '40', 'w_2', '10', 'w_3', '30', 'name_1', 'one', 'name_2', 'two', 'name_4', 'four'],
    ['HSET', 'obj_1', 'age', '5', 'nick', 'a'], ['HSET', 'obj_2', 'age', '3'], ['HSET', 'obj_3', 'age', '9', 'nick', 'c'],
    ['SORT', 'ids', 'BY', 'w_*'], ['SORT', 'ids', 'BY', 'w_*', 'DESC'], ['SORT', 'ids', 'BY', 'w_*', 'GET', 'name_*'],
    ['SORT', 'ids', 'BY', 'w_*', 'GET', '#', 'GET', 'name_*', 'GET', 'obj_*->nick'],
    ['SORT', 'ids', 'BY', 'obj_*->age'], ['SORT', 'ids', 'BY', 'obj_*->age', 'DESC', 'LIMIT', '0', '2'],
    ['SORT', 'ids', 'BY', 'name_*', 'ALPHA'], ['SORT', 'ids', 'BY', 'name_*', 'ALPHA', 'DESC'],
    ['SORT', 'ids', 'BY', 'nosort'], ['SORT', 'ids', 'BY', 'nosort', 'DESC'], ['SORT', 'ids', 'BY', 'nosort', 'LIMIT', '1', '2'],
    ['SORT', 'ids', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'], ['SORT', 'ids', 'BY', 'nosort', 'GET', 'name_*'],
    ['SORT', 'ids', 'GET', 'nostar'], ['SORT', 'ids', 'GET', 'obj_*->'], ['SORT', 'ids', 'GET', 'obj_*->missing'],
    ['ZADD', 'zz', '3', 'x', '1', 'y', '2', 'z'], ['SORT', 'zz', 'BY', 'nosort'], ['SORT', 'zz', 'BY', 'nosort', 'DESC'],
    ['SORT', 'zz', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '5'], ['SORT', 'zz', 'BY', 'nosort', 'LIMIT', '1', '1'],
    ['SET', 'w_x', 'abc'], ['SORT', 'zz', 'BY', 'w_*'],
    ['SORT_RO', 'ids', 'BY', 'w_*'], ['SORT_RO', 'ids', 'STORE', 'x'],
  ]));

  it('STORE', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['RPUSH', 'src', 'b', 'a', 'c'],
    ['SORT', 'src', 'ALPHA', 'STORE', 'dst'], ['LRANGE', 'dst', '0', '-1'], ['TYPE', 'dst'],
    ['SET', 'dst2', 'x'], ['EXPIRE', 'dst2', '100'], ['SORT', 'src', 'ALPHA', 'STORE', 'dst2'], ['TTL', 'dst2'], ['LRANGE', 'dst2', '0', '-1'],
    ['SORT', 'nokey', 'STORE', 'dst2'], ['EXISTS', 'dst2'], ['SORT', 'nokey', 'STORE', 'dst2'],
    ['SORT', 'src', 'ALPHA', 'GET', 'missing_*', 'STORE', 'dst3'], ['LRANGE', 'dst3', '0', '-1'],
    ['SORT', 'src', 'ALPHA', 'STORE', 'a', 'STORE', 'b'], ['EXISTS', 'a'], ['LRANGE', 'b', '0', '-1'],
    ['SADD', 'set', 'z', 'y', 'x'], ['SORT', 'set', 'BY', 'nosort', 'STORE', 'sdst'], ['LRANGE', 'sdst', '0', '-1'],
    ['COMMAND', 'GETKEYS', 'SORT', 'src', 'LIMIT', '0', '1', 'STORE', 'd1', 'GET', 'store', 'STORE', 'd2'],
    ['COMMAND', 'GETKEYS', 'SORT_RO', 'src'],
  ]));
});

// Redis checks errno == ERANGE after strtod without clearing errno first, so once a weight
// overflowed, later SORTs in the same process may fail too until something resets errno. The
// overflow case therefore runs last, on servers of its own.
describeDifferential('SORT with a weight out of double range (differential)', (pair) => {
  it('fails the whole sort', () => expectSame(pair(), [
    ['RPUSH', 'big', '1', '1e400'], ['SORT', 'big'],
  ]));
});

describeDifferential('SORT ... STORE wakes a blocked client (differential)', (pair) => {
  it('BLPOP on the destination gets the stored list', async () => {
    const p = pair();
    for (const cl of [p.realClient, p.ourClient]) {
      cl.write('*1\r\n$8\r\nFLUSHALL\r\n');
      await cl.reply();
      cl.write('*4\r\n$5\r\nRPUSH\r\n$3\r\nsrc\r\n$1\r\nb\r\n$1\r\na\r\n');
      await cl.reply();
    }
    const results: string[] = [];
    for (const server of [p.real, p.ours]) {
      const blocked = await server.client();
      const writer = await server.client();
      blocked.write('*3\r\n$5\r\nBLPOP\r\n$3\r\ndst\r\n$1\r\n5\r\n');
      await new Promise((r) => setTimeout(r, 100));
      writer.write('*5\r\n$4\r\nSORT\r\n$3\r\nsrc\r\n$5\r\nALPHA\r\n$5\r\nSTORE\r\n$3\r\ndst\r\n');
      results.push((await writer.reply()).bytes + (await blocked.reply()).bytes);
      blocked.close();
      writer.close();
    }
    expect(results[1]).toBe(results[0]);
  });
});
