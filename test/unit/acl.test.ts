/**
 * What the ACL differential test cannot pin down: GENPASS draws from the Os's random source
 * (so a seeded simulation replays the same passwords), ACL LOG ages come from the Os clock and
 * entries of the same kind within a minute are grouped, and the model's rule-string builder
 * round-trips (a user rebuilt from its own ACL LIST line describes itself the same way).
 */
import { describe, it, expect } from 'vitest';
import { Harness } from '../support/engine-harness';
import type { RespValue } from '../../src/engine/resp/reply-parser';

const val = (v: RespValue): unknown => ('value' in v ? v.value : null);

function logField(entry: RespValue, name: string): unknown {
  const a = val(entry) as RespValue[];
  for (let i = 0; i < a.length; i += 2) if (val(a[i]) === name) return val(a[i + 1]);
  return undefined;
}

describe('ACL (engine, hand-driven Os)', () => {
  it('GENPASS uses the Os random source: two servers with the same seed make the same passwords', () => {
    const a = new Harness().connect(), b = new Harness().connect();
    const pa = [a.call('ACL', 'GENPASS'), a.call('ACL', 'GENPASS', '5')].map((r) => val(r[0]));
    const pb = [b.call('ACL', 'GENPASS'), b.call('ACL', 'GENPASS', '5')].map((r) => val(r[0]));
    expect(pa).toEqual(pb);
    expect(pa[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(pa[1]).toMatch(/^[0-9a-f]{2}$/);
    expect(pa[0]).not.toBe(val(a.call('ACL', 'GENPASS')[0]));
  });

  it('ACL LOG: age-seconds from the Os clock, grouping within 60 s, a new entry after', () => {
    const h = new Harness();
    const admin = h.connect(), user = h.connect();
    admin.call('ACL', 'SETUSER', 'u', 'on', 'nopass', '+get', '~k');
    user.call('AUTH', 'u', 'x');
    expect(val(user.call('GET', 'other')[0])).toBe('NOPERM this user has no permissions to access one of the keys used as arguments');
    h.advance(2500);
    let log = val(admin.call('ACL', 'LOG')[0]) as RespValue[];
    expect(log.length).toBe(1);
    expect(Number(logField(log[0], 'age-seconds'))).toBeCloseTo(2.5, 3);
    user.call('GET', 'other');
    h.advance(1000);
    log = val(admin.call('ACL', 'LOG')[0]) as RespValue[];
    expect(log.length).toBe(1);
    expect(Number(logField(log[0], 'count'))).toBe(2);
    expect(Number(logField(log[0], 'age-seconds'))).toBeCloseTo(1, 3);
    h.advance(61_000);
    user.call('GET', 'other');
    log = val(admin.call('ACL', 'LOG')[0]) as RespValue[];
    expect(log.length).toBe(2);
    expect(Number(logField(log[0], 'count'))).toBe(1);
    expect(logField(log[0], 'object')).toBe('other');
    expect(String(logField(log[0], 'client-info'))).toMatch(/ user=u /);
    // acllog-max-len trims the oldest entries at the next addition.
    admin.call('CONFIG', 'SET', 'acllog-max-len', '1');
    user.call('SET', 'k', 'v');
    log = val(admin.call('ACL', 'LOG')[0]) as RespValue[];
    expect(log.map((e) => logField(e, 'reason'))).toEqual(['command']);
  });

  it('a user rebuilt from its ACL LIST line describes itself the same way', () => {
    const h = new Harness();
    const c = h.connect();
    const rules = [
      ['on', '>a', '~x*', '%R~y', '&ch', '+@all', '-@dangerous', '+flushall', '-get'],
      ['+@read', '+@write', '-@keyspace', '+del', '+config|get', '+select|0', '(~z +set)'],
      ['+@all', '-@string', '+get', '-client|kill', 'resetchannels'],
      ['-@all', '+@hash', '+@list', '-lpush', '+@admin', '-@dangerous'],
    ];
    for (const r of rules) {
      c.call('ACL', 'SETUSER', 'orig', 'reset', ...r);
      const line = String(val((val(c.call('ACL', 'LIST')[0]) as RespValue[]).find((x) => String(val(x)).startsWith('user orig '))!));
      const args = line.slice('user orig '.length).match(/\([^)]*\)|\S+/g)!;
      c.call('ACL', 'SETUSER', 'copy', 'reset', ...args);
      const copy = String(val((val(c.call('ACL', 'LIST')[0]) as RespValue[]).find((x) => String(val(x)).startsWith('user copy '))!));
      expect(copy.slice('user copy '.length), r.join(' ')).toBe(line.slice('user orig '.length));
      const dry = (who: string, ...argv: string[]) => val(c.call('ACL', 'DRYRUN', who, ...argv)[0]);
      for (const argv of [['get', 'x1'], ['set', 'y', 'v'], ['config', 'get', 'x'], ['lpush', 'l', 'v'], ['hset', 'h', 'f', 'v'], ['select', '0'], ['flushall']]) {
        expect(dry('copy', ...argv), argv.join(' ')).toEqual(dry('orig', ...argv));
      }
    }
  });
});
