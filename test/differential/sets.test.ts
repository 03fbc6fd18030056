import { it } from 'vitest';
import { describeDifferential, expectSame, type Step } from '../support/differential';

const sorted = (...cmd: string[]): Step => ({ cmd, compare: 'sorted' });
const len = (...cmd: string[]): Step => ({ cmd, compare: 'length' });

describeDifferential('sets (differential)', (pair) => {
  it('SADD/SREM/SCARD/SISMEMBER/SMISMEMBER basics and errors', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SADD', 's', 'a', 'b', 'c'], ['SADD', 's', 'a', 'd'], ['SCARD', 's'], ['SCARD', 'nokey'],
    ['SISMEMBER', 's', 'a'], ['SISMEMBER', 's', 'zz'], ['SISMEMBER', 'nokey', 'a'],
    ['SMISMEMBER', 's', 'a', 'zz', 'c'], ['SMISMEMBER', 'nokey', 'a', 'b'],
    ['SREM', 's', 'a', 'zz'], ['SREM', 's', 'zz'], ['SREM', 'nokey', 'a'], ['SCARD', 's'],
    ['SREM', 's', 'b', 'c', 'd', 'e'], ['EXISTS', 's'],
    ['SET', 'str', 'x'], ['SADD', 'str', 'a'], ['SREM', 'str', 'a'], ['SCARD', 'str'], ['SISMEMBER', 'str', 'a'],
    ['SMISMEMBER', 'str', 'a'], ['SMEMBERS', 'str'],
    ['SADD', 's'], ['SADD'], ['SREM', 's'], ['SCARD'], ['SCARD', 'a', 'b'], ['SISMEMBER', 's'], ['SMISMEMBER', 's'],
    ['SMEMBERS'], ['SMEMBERS', 'a', 'b'],
  ]));

  it('intset encoding, ordering and conversion', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SADD', 'i', '5', '-3', '100', '0', '9223372036854775807', '-9223372036854775808', '7'],
    ['SMEMBERS', 'i'], ['OBJECT', 'ENCODING', 'i'],
    ['SADD', 'i', '9223372036854775808'], ['OBJECT', 'ENCODING', 'i'],
    ['SADD', 'j', '1', '2'], ['SADD', 'j', '01'], ['OBJECT', 'ENCODING', 'j'],
    ['SADD', 'k', '1'], ['SADD', 'k', ' 1'], ['OBJECT', 'ENCODING', 'k'],
    ['SADD', 'l', '-0'], ['OBJECT', 'ENCODING', 'l'], ['SADD', 'm', '+1'], ['OBJECT', 'ENCODING', 'm'],
    ['SADD', 'h', 'abc'], ['OBJECT', 'ENCODING', 'h'], ['SADD', 'h', '1'], ['OBJECT', 'ENCODING', 'h'],
    ['SREM', 'h', 'abc'], ['OBJECT', 'ENCODING', 'h'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '4'],
    ['SADD', 'n', '4', '3', '2', '1'], ['OBJECT', 'ENCODING', 'n'], ['SMEMBERS', 'n'],
    ['SADD', 'n', '5'], ['OBJECT', 'ENCODING', 'n'], ['SREM', 'n', '5', '4'], ['OBJECT', 'ENCODING', 'n'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '0'],
    ['SADD', 'z0', '1'], ['OBJECT', 'ENCODING', 'z0'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
    ['SISMEMBER', 'i', '0'], ['SISMEMBER', 'i', '00'], ['SISMEMBER', 'i', 'x'],
  ]));

  it('binary-safe members', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SADD', 'b', 'a\0b', '\xff\xfe', '', 'plain'], ['SCARD', 'b'],
    ['SISMEMBER', 'b', 'a\0b'], ['SISMEMBER', 'b', 'a'], ['SISMEMBER', 'b', ''], ['SISMEMBER', 'b', '\xff\xfe'],
    sorted('SMEMBERS', 'b'), ['SREM', 'b', 'a\0b'], sorted('SMEMBERS', 'b'),
    ['SADD', 'b2', '\xff\xfe', 'x'], sorted('SINTER', 'b', 'b2'), sorted('SDIFF', 'b', 'b2'),
  ]));

  it('SMOVE', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SADD', 'src', '1', '2', '3'], ['SADD', 'dst', 'a'],
    ['SMOVE', 'src', 'dst', '1'], ['SMOVE', 'src', 'dst', '9'], sorted('SMEMBERS', 'dst'), ['SMEMBERS', 'src'],
    ['SMOVE', 'src', 'newdst', '2'], ['SMEMBERS', 'newdst'], ['OBJECT', 'ENCODING', 'newdst'],
    ['SMOVE', 'src', 'src', '3'], ['SMOVE', 'src', 'src', '4'],
    ['SMOVE', 'src', 'dst', '3'], ['EXISTS', 'src'], ['SMOVE', 'nokey', 'dst', 'a'],
    ['SET', 'str', 'x'], ['SMOVE', 'str', 'dst', 'a'], ['SMOVE', 'dst', 'str', 'a'], ['SMOVE', 'nokey', 'str', 'a'],
    ['SADD', 'x1', 'm'], ['SADD', 'x2', 'm'], ['SMOVE', 'x1', 'x2', 'm'], ['EXISTS', 'x1'], ['SMEMBERS', 'x2'],
    ['SADD', 'x3', 'q'], ['SMOVE', 'x3', 'intdst', 'q'], ['OBJECT', 'ENCODING', 'intdst'],
    ['SADD', 'i1', '5'], ['SADD', 'i2', '1'], ['SMOVE', 'i1', 'i2', '5'], ['OBJECT', 'ENCODING', 'i2'], ['SMEMBERS', 'i2'],
    ['SMOVE', 'a', 'b'], ['SMOVE', 'a', 'b', 'c', 'd'],
  ]));

  it('SPOP / SRANDMEMBER', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SADD', 'i', '1', '2', '3', '4', '5'],
    len('SRANDMEMBER', 'i', '3'), len('SRANDMEMBER', 'i', '-10'), ['SRANDMEMBER', 'i', '5'], ['SRANDMEMBER', 'i', '100'],
    ['SRANDMEMBER', 'i', '0'], ['SRANDMEMBER', 'i', '-0'], ['SRANDMEMBER', 'nokey'], ['SRANDMEMBER', 'nokey', '5'],
    ['SRANDMEMBER', 'nokey', '-5'], ['SRANDMEMBER', 'i', 'x'], ['SRANDMEMBER', 'i', '1', '2'],
    ['SRANDMEMBER', 'i', '-9223372036854775808'], ['SRANDMEMBER', 'i', '9223372036854775808'],
    { cmd: ['SRANDMEMBER', 'i'], compare: 'type' }, len('SRANDMEMBER', 'i', '1'), len('SRANDMEMBER', 'i', '-1'),
    ['SADD', 'one', 'only'], ['SRANDMEMBER', 'one'], ['SRANDMEMBER', 'one', '-3'], ['SPOP', 'one'], ['EXISTS', 'one'],
    ['SPOP', 'nokey'], ['SPOP', 'nokey', '3'], ['SPOP', 'i', '0'], ['SPOP', 'i', '-1'], ['SPOP', 'i', 'x'], ['SPOP', 'i', '1', '2'],
    len('SPOP', 'i', '2'), ['SCARD', 'i'], { cmd: ['SPOP', 'i'], compare: 'type' }, ['SCARD', 'i'],
    ['SADD', 'all', '3', '1', '2'], ['SPOP', 'all', '10'], ['EXISTS', 'all'],
    ['SADD', 'h', 'a', 'b', 'c', 'd'], sorted('SPOP', 'h', '4'), ['EXISTS', 'h'],
    ['SADD', 'h2', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], len('SPOP', 'h2', '9'), ['SCARD', 'h2'],
    len('SPOP', 'h2', '1'), ['EXISTS', 'h2'],
    ['SET', 'str', 'x'], ['SPOP', 'str'], ['SPOP', 'str', '1'], ['SRANDMEMBER', 'str'], ['SRANDMEMBER', 'str', '2'],
    ['SPOP'], ['SRANDMEMBER'],
  ]));

  it('SPOP keeps/changes encodings like Redis', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '5'],
    ['SADD', 'big', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], ['OBJECT', 'ENCODING', 'big'],
    len('SPOP', 'big', '9'), ['OBJECT', 'ENCODING', 'big'], ['SCARD', 'big'],
    ['SADD', 'big2', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], len('SPOP', 'big2', '2'), ['OBJECT', 'ENCODING', 'big2'],
    ['SADD', 'sh', '1', '2', '3', '4', '5', '6'], ['SREM', 'sh', '5', '6'], ['OBJECT', 'ENCODING', 'sh'],
    ['SPOP', 'sh', '100'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
  ]));

  it('SINTER / SINTERSTORE / SINTERCARD / SMEMBERS', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SADD', 'a', '1', '2', '3', '4', '5'], ['SADD', 'b', '3', '4', '5', '6'], ['SADD', 'c', '4', '5', '6', '7'],
    ['SINTER', 'a', 'b'], ['SINTER', 'a', 'b', 'c'], ['SINTER', 'a'], ['SINTER', 'a', 'nokey'], ['SINTER', 'nokey'],
    ['SINTER', 'a', 'a'], ['SMEMBERS', 'a'], ['SMEMBERS', 'nokey'],
    ['SINTERSTORE', 'd', 'a', 'b'], ['SMEMBERS', 'd'], ['OBJECT', 'ENCODING', 'd'],
    ['SINTERSTORE', 'd', 'a', 'nokey'], ['EXISTS', 'd'], ['SINTERSTORE', 'd', 'nokey'],
    ['SADD', 'x', 'a', 'b', '3'], ['SINTERSTORE', 'e', 'x', 'a'], ['OBJECT', 'ENCODING', 'e'], ['SMEMBERS', 'e'],
    ['SINTER', 'x', 'b'],
    ['SADD', 'y', 'zz'], ['SINTERSTORE', 'e', 'x', 'y'], ['EXISTS', 'e'],
    ['SET', 'str', 'v'], ['SINTER', 'a', 'str'], ['SINTER', 'nokey', 'str'], ['SINTERSTORE', 'str', 'a', 'b'], ['TYPE', 'str'],
    ['SET', 'str2', 'v'], ['SINTERSTORE', 'str2', 'nokey'], ['EXISTS', 'str2'],
    ['SET', 'ttl', 'v'], ['EXPIRE', 'ttl', '100'], ['SINTERSTORE', 'ttl', 'a', 'b'], ['TTL', 'ttl'],
    ['SINTERCARD', '2', 'a', 'b'], ['SINTERCARD', '3', 'a', 'b', 'c'], ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
    ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '0'], ['SINTERCARD', '2', 'a', 'b', 'limit', '100'],
    ['SINTERCARD', '1', 'nokey'], ['SINTERCARD', '2', 'a', 'nokey'],
    ['SINTERCARD', '0', 'a'], ['SINTERCARD', '-1', 'a'], ['SINTERCARD', 'x', 'a'], ['SINTERCARD', '3', 'a', 'b'],
    ['SINTERCARD', '2', 'a', 'b', 'LIMIT'], ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '-1'], ['SINTERCARD', '2', 'a', 'b', 'LIMIT', 'x'],
    ['SINTERCARD', '2', 'a', 'b', 'FOO'], ['SINTERCARD', '2', 'a', 'str'], ['SINTERCARD', '1'],
    ['SINTER'], ['SINTERSTORE', 'd'],
  ]));

  it('SUNION / SDIFF and their STORE variants', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SADD', 'a', '1', '2', '3', '4', '5'], ['SADD', 'b', '3', '4', '5', '6'], ['SADD', 'c', '4', '5', '6', '7'],
    ['SUNION', 'a', 'b'], ['SUNION', 'a', 'nokey', 'c'], ['SUNION', 'nokey'],
    ['SDIFF', 'a', 'b'], ['SDIFF', 'a', 'b', 'c'], ['SDIFF', 'a', 'nokey'], ['SDIFF', 'nokey', 'a'], ['SDIFF', 'a', 'a'],
    ['SDIFF', 'a', 'b', 'a'], ['SDIFF', 'c', 'a'],
    ['SUNIONSTORE', 'u', 'a', 'b', 'c'], ['SMEMBERS', 'u'], ['OBJECT', 'ENCODING', 'u'],
    ['SDIFFSTORE', 'dd', 'a', 'b'], ['SMEMBERS', 'dd'], ['SDIFFSTORE', 'dd', 'a', 'a'], ['EXISTS', 'dd'],
    ['SUNIONSTORE', 'u2', 'nokey'], ['EXISTS', 'u2'],
    ['SADD', 'w', 'x', 'y'], sorted('SUNION', 'a', 'w'), ['SUNIONSTORE', 'u3', 'a', 'w'], ['OBJECT', 'ENCODING', 'u3'],
    sorted('SMEMBERS', 'u3'), ['SDIFFSTORE', 'd3', 'u3', 'w'], ['OBJECT', 'ENCODING', 'd3'], ['SMEMBERS', 'd3'],
    ['SET', 'str', 'x'], ['SUNION', 'a', 'str'], ['SDIFF', 'str', 'a'], ['SDIFF', 'nokey', 'str'], ['SUNIONSTORE', 'x', 'str'],
    ['SUNIONSTORE', 'a', 'a', 'b'], ['SMEMBERS', 'a'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '3'],
    ['SUNIONSTORE', 'u4', 'b', 'c'], ['OBJECT', 'ENCODING', 'u4'],
    ['SADD', 'small', '1', '2'], ['SADD', 'large', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20'],
    ['SDIFFSTORE', 'd4', 'large', 'small'], ['OBJECT', 'ENCODING', 'd4'],
    ['SADD', 'l2', '10', '11', '12', '13', '14', '15', '16', '17', '18'],
    ['SDIFFSTORE', 'd5', 'large', 'l2'], ['OBJECT', 'ENCODING', 'd5'], ['SMEMBERS', 'd5'],
    ['SDIFFSTORE', 'd6', 'small', 'l2', 'large'], ['OBJECT', 'ENCODING', 'd6'], ['SMEMBERS', 'd6'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
    ['SUNION'], ['SDIFF'], ['SUNIONSTORE', 'x'], ['SDIFFSTORE', 'x'],
  ]));

  it('SSCAN', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SADD', 'i', '3', '1', '2', '10', '20'], ['SSCAN', 'i', '0'], ['SSCAN', 'i', '0', 'COUNT', '1'], ['SSCAN', 'i', '0', 'MATCH', '1*'],
    ['SSCAN', 'i', '0', 'MATCH', '*'], ['SSCAN', 'nokey', '0'], ['SSCAN', 'nokey', '0', 'BADOPT'],
    ['SSCAN', 'i', 'x'], ['SSCAN', 'i', '-1', 'COUNT', '100'], ['SSCAN', 'i', '0', 'COUNT', '0'], ['SSCAN', 'i', '0', 'COUNT', 'x'],
    ['SSCAN', 'i', '0', 'COUNT'], ['SSCAN', 'i', '0', 'TYPE', 'set'], ['SSCAN', 'i', '0', 'FOO', 'bar'],
    ['SADD', 'h', 'a', 'b', 'c'], ['SSCAN', 'h', '0', 'MATCH', 'b'], ['SSCAN', 'h', '0', 'MATCH', 'nomatch*'],
    ['SET', 'str', 'x'], ['SSCAN', 'str', '0'], ['SSCAN', 'str', 'x'], ['SSCAN', 'i'],
  ]));

  it('RESP3 replies', () => expectSame(pair(), [
    ['HELLO', '3'],
    ['FLUSHALL'],
    ['SADD', 'a', '1', '2', '3'], ['SADD', 'b', '2', '3', '4'],
    ['SMEMBERS', 'a'], ['SMEMBERS', 'nokey'], ['SINTER', 'a', 'b'], ['SINTER', 'a', 'nokey'], ['SUNION', 'a', 'b'], ['SDIFF', 'a', 'b'],
    ['SISMEMBER', 'a', '1'], ['SMISMEMBER', 'a', '1', '9'], ['SINTERCARD', '2', 'a', 'b'],
    ['SPOP', 'nokey'], ['SPOP', 'nokey', '2'], ['SPOP', 'a', '0'], ['SRANDMEMBER', 'nokey'], ['SRANDMEMBER', 'nokey', '2'],
    ['SRANDMEMBER', 'a', '10'], ['SPOP', 'a', '10'], ['SSCAN', 'b', '0'], len('SPOP', 'b', '2'),
    ['HELLO', '2'],
  ]));

  it('a large hashtable set iterated fully by SSCAN', async () => {
    const members: string[] = [];
    for (let i = 0; i < 300; i++) members.push(`m${i}`);
    await expectSame(pair(), [['FLUSHALL'], ['SADD', 'big', ...members], ['SCARD', 'big'], ['OBJECT', 'ENCODING', 'big'], sorted('SMEMBERS', 'big')]);
    for (const who of ['realClient', 'ourClient'] as const) {
      const cl = pair()[who];
      const seen = new Set<string>();
      let cursor = '0';
      let rounds = 0;
      do {
        cl.write(`*5\r\n$5\r\nSSCAN\r\n$3\r\nbig\r\n$${cursor.length}\r\n${cursor}\r\n$5\r\nCOUNT\r\n$2\r\n20\r\n`);
        const r = await cl.reply();
        const v = r.value as { value: { value: unknown }[] };
        cursor = String(v.value[0].value);
        for (const m of v.value[1].value as { value: string }[]) seen.add(m.value);
        rounds++;
      } while (cursor !== '0' && rounds < 1000);
      if (seen.size !== 300) throw new Error(`${who}: SSCAN saw ${seen.size} members`);
    }
  });

  it('large sets: algebra over intsets and hashtables, sorted comparisons', async () => {
    const ints = (from: number, n: number, step: number) => Array.from({ length: n }, (_, i) => String(from + i * step));
    await expectSame(pair(), [
      ['FLUSHALL'],
      ['SADD', 'i1', ...ints(0, 400, 3)], ['SADD', 'i2', ...ints(0, 400, 5)], ['SADD', 'i3', ...ints(-1000, 700, 7)],
      ['OBJECT', 'ENCODING', 'i3'], ['SADD', 'h1', ...ints(0, 300, 2).map((x) => `s${x}`), '6', '30'],
      ['SINTER', 'i1', 'i2'], ['SINTERCARD', '3', 'i1', 'i2', 'i3'], ['SUNIONSTORE', 'u', 'i1', 'i2', 'i3'], ['OBJECT', 'ENCODING', 'u'],
      ['SCARD', 'u'], sorted('SMEMBERS', 'u'), ['SDIFF', 'i1', 'i2', 'i3'], ['SDIFFSTORE', 'd', 'i3', 'i1'], ['OBJECT', 'ENCODING', 'd'],
      ['SCARD', 'd'], sorted('SINTER', 'h1', 'i1'), ['SINTERSTORE', 'x', 'i1', 'h1'], ['OBJECT', 'ENCODING', 'x'], sorted('SUNION', 'h1', 'i2'),
      sorted('SDIFF', 'h1', 'i1'), ['SDIFFSTORE', 'y', 'h1', 'i1'], ['OBJECT', 'ENCODING', 'y'], ['SISMEMBER', 'u', '-1000'],
      ['SMISMEMBER', 'h1', 's0', 's1', '6'], len('SRANDMEMBER', 'h1', '50'), len('SRANDMEMBER', 'h1', '250'), len('SRANDMEMBER', 'h1', '-500'),
      len('SPOP', 'h1', '100'), ['SCARD', 'h1'], len('SPOP', 'h1', '190'), ['SCARD', 'h1'], ['SPOP', 'i2', '1000'], ['EXISTS', 'i2'],
    ]);
  });
});
