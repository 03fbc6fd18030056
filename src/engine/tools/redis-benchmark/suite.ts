/**
 * The default benchmark suite of redis-benchmark 7.0: which tests exist, their titles and
 * requests, in the order they run, and how `-t` selects them.
 *
 * `-t` is stored as ",a,b," and a test runs when ",name," occurs in it; `ping` selects both
 * PING tests and `lrange` all four LRANGE tests (with the LPUSH that fills the list for them).
 * Keys carry the literal `__rand_int__` placeholder, replaced per request only with `-r`.
 */
import { encodeCommand } from '../../resp/reply-parser';

export interface SuiteTest {
  title: string;
  /** The request's protocol bytes (a byte string). */
  request: string;
}

export function testIsSelected(tests: string | null, name: string): boolean {
  return tests === null || tests.includes(`,${name},`);
}

/**
 * genBenchmarkRandomData: the payload of SET/LPUSH/HSET/MSET. A linear congruential generator
 * with a fixed seed, so every run (and every -l round, which continues the sequence) sends the
 * same bytes as the real tool: characters '0' to 'o'.
 */
export class PayloadGenerator {
  private state = 1234;

  next(size: number): string {
    let out = '';
    for (let i = 0; i < size; i++) {
      this.state = (Math.imul(this.state, 1103515245) + 12345) >>> 0;
      out += String.fromCharCode(48 + ((this.state >>> 16) & 63));
    }
    return out;
  }
}

export function defaultSuite(tests: string | null, data: string, randomkeys: boolean): SuiteTest[] {
  const selected = (...names: string[]) => names.some((n) => testIsSelected(tests, n));
  const suite: SuiteTest[] = [];
  const add = (title: string, argv: string[]) => suite.push({ title, request: encodeCommand(argv) });
  if (selected('ping_inline', 'ping')) suite.push({ title: 'PING_INLINE', request: 'PING\r\n' });
  if (selected('ping_mbulk', 'ping')) add('PING_MBULK', ['PING']);
  if (selected('set')) add('SET', ['SET', 'key:__rand_int__', data]);
  if (selected('get')) add('GET', ['GET', 'key:__rand_int__']);
  if (selected('incr')) add('INCR', ['INCR', 'counter:__rand_int__']);
  if (selected('lpush')) add('LPUSH', ['LPUSH', 'mylist', data]);
  if (selected('rpush')) add('RPUSH', ['RPUSH', 'mylist', data]);
  if (selected('lpop')) add('LPOP', ['LPOP', 'mylist']);
  if (selected('rpop')) add('RPOP', ['RPOP', 'mylist']);
  if (selected('sadd')) add('SADD', ['SADD', 'myset', 'element:__rand_int__']);
  if (selected('hset')) add('HSET', ['HSET', 'myhash', 'element:__rand_int__', data]);
  if (selected('spop')) add('SPOP', ['SPOP', 'myset']);
  if (selected('zadd')) add('ZADD', ['ZADD', 'myzset', randomkeys ? '__rand_int__' : '0', 'element:__rand_int__']);
  if (selected('zpopmin')) add('ZPOPMIN', ['ZPOPMIN', 'myzset']);
  if (selected('lrange', 'lrange_100', 'lrange_300', 'lrange_500', 'lrange_600')) {
    add('LPUSH (needed to benchmark LRANGE)', ['LPUSH', 'mylist', data]);
  }
  for (const n of [100, 300, 500, 600]) {
    if (selected('lrange', `lrange_${n}`)) add(`LRANGE_${n} (first ${n} elements)`, ['LRANGE', 'mylist', '0', String(n - 1)]);
  }
  if (selected('mset')) {
    const argv = ['MSET'];
    for (let i = 0; i < 10; i++) argv.push('key:__rand_int__', data);
    add('MSET (10 keys)', argv);
  }
  return suite;
}
