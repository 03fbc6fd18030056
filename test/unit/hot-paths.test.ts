/**
 * The performance shortcuts on the command path must never change behaviour: memoised
 * configuration reads and the fields kept by HotConfig follow every kind of store, the
 * command table's spelling cache follows rename-command, reply integers and short byte
 * strings are encoded exactly, and the packed Entry keeps its LRU/LFU data, encoding and
 * exact expire times.
 */
import { describe, it, expect } from 'vitest';
import { Harness } from '../support/engine-harness';
import { toJs } from '../../src/engine/resp/reply-parser';
import { Config } from '../../src/engine/config/config';
import { ByteBuffer, bytesToStr } from '../../src/engine/bytes';
import { Entry, StrEnc } from '../../src/engine/keyspace/db';
import { CommandTable, cmd } from '../../src/engine/commands/table';
import { RequestParser } from '../../src/engine/resp/request-parser';

describe('Config memo and observers', () => {
  it('a memoised read follows CONFIG-style stores, raw stores and aliases', () => {
    const c = new Config();
    expect(c.get<number>('slowlog-max-len')).toBe(128);
    expect(c.get<number>('slowlog-max-len')).toBe(128);
    expect('error' in c.setValue('slowlog-max-len', ['7'], {} as never)).toBe(false);
    expect(c.get<number>('slowlog-max-len')).toBe(7);
    c.setRaw('slowlog-max-len', 9);
    expect(c.get<number>('slowlog-max-len')).toBe(9);
    // An alias and the canonical name are remembered separately but change together.
    expect(c.get<number>('slave-priority')).toBe(100);
    c.setValue('replica-priority', ['5'], {} as never);
    expect(c.get<number>('slave-priority')).toBe(5);
    expect(c.get<number>('REPLICA-PRIORITY')).toBe(5);
  });

  it('observers see the value now and after every store; readers bound later win over the memo', () => {
    const c = new Config();
    const seen: number[] = [];
    c.observe<number>('hz', (v) => seen.push(v));
    c.setValue('hz', ['20'], {} as never);
    c.setRaw('hz', 30);
    expect(seen).toEqual([10, 20, 30]);
    expect(c.get('replicaof')).toBeNull();
    c.bindReader('replicaof', () => ({ host: 'h', port: 1 }));
    expect(c.get('replicaof')).toEqual({ host: 'h', port: 1 });
  });
});

describe('HotConfig fields follow CONFIG SET', () => {
  it('slowlog threshold and length', () => {
    const h = new Harness();
    const a = h.connect();
    a.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    a.call('PING');
    expect(toJs(a.call('SLOWLOG', 'LEN')[0])).toBeGreaterThan(0);
    a.call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
    a.call('SLOWLOG', 'RESET');
    a.call('PING');
    expect(toJs(a.call('SLOWLOG', 'LEN')[0])).toBe(0);
  });

  it('requirepass: new connections must AUTH at once, and stop needing it when cleared', () => {
    const h = new Harness();
    const admin = h.connect();
    admin.call('CONFIG', 'SET', 'requirepass', 'secret');
    const other = h.connect();
    expect(toJs(other.call('GET', 'x')[0])).toEqual(new Error('NOAUTH Authentication required.'));
    admin.call('CONFIG', 'SET', 'requirepass', '');
    const third = h.connect();
    expect(toJs(third.call('GET', 'x')[0])).toBeNull();
  });

  it('notify-keyspace-events takes effect on the next write', () => {
    const h = new Harness();
    const sub = h.connect();
    const w = h.connect();
    sub.call('SUBSCRIBE', '__keyevent@0__:set');
    w.call('SET', 'k', '1');
    expect(sub.replies()).toEqual([]);
    w.call('CONFIG', 'SET', 'notify-keyspace-events', 'E$');
    w.call('SET', 'k', '2');
    expect(sub.replies().map(toJs)).toEqual([['message', '__keyevent@0__:set', 'k']]);
  });

  it('maxmemory-policy switches the lru field to LFU data (OBJECT FREQ)', () => {
    const h = new Harness();
    const a = h.connect();
    a.call('SET', 'k', 'v');
    expect(toJs(a.call('OBJECT', 'FREQ', 'k')[0])).toBeInstanceOf(Error);
    a.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    a.call('SET', 'k2', 'v');
    expect(toJs(a.call('OBJECT', 'FREQ', 'k2')[0])).toBe(5);
  });

  it('proto-max-bulk-len limits the next request', () => {
    const h = new Harness();
    const a = h.connect();
    a.call('CONFIG', 'SET', 'proto-max-bulk-len', '1mb');
    const big = 'x'.repeat(1024 * 1024 + 1);
    a.send(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${big.length}\r\n${big}\r\n`);
    expect(toJs(a.replies()[0])).toEqual(new Error('ERR Protocol error: invalid bulk length'));
  });
});

describe('command table spelling cache', () => {
  it('resolves any case, and forgets a renamed command', () => {
    const t = new CommandTable([[cmd('get', 2, [], [1, 1, 1], { group: 'string', since: '1.0.0', summary: '' }, () => undefined)]]);
    expect(t.lookup(['GET', 'k'])?.name).toBe('get');
    expect(t.lookup(['GeT', 'k'])?.name).toBe('get');
    expect(t.rename('get', 'fetch')).toBe(true);
    expect(t.lookup(['GET', 'k'])).toBeUndefined();
    expect(t.lookup(['FETCH', 'k'])?.name).toBe('get');
  });
});

describe('byte encoding helpers', () => {
  it('pushIntLine writes the same bytes as the decimal text', () => {
    const b = new ByteBuffer(4);
    const values = [0, -0, 1, 9, 10, -10, 99, 100, 65535, -2147483648, 2 ** 31, 2 ** 32 + 1, 9007199254740991, -9007199254740991];
    for (let i = 0; i < 2000; i++) values.push(Math.floor((((i * 2654435761) % 4294967296) - 2147483648) * 2 ** (i % 22)));
    for (const v of values) {
      b.clear();
      b.pushIntLine(58, v);
      expect(bytesToStr(b.view())).toBe(`:${v}\r\n`);
    }
  });

  it('bytesToStr is exact for every length and offset', () => {
    for (let n = 0; n <= 80; n++) {
      const bytes = new Uint8Array(n + 3);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 97 + n * 13) & 255;
      for (const off of [0, 1, 3]) {
        const want = Array.from(bytes.subarray(off, off + n), (x) => String.fromCharCode(x)).join('');
        expect(bytesToStr(bytes, off, Math.min(bytes.length, off + n))).toBe(want.slice(0, bytes.length - off));
      }
    }
    const big = new Uint8Array(20000).map((_, i) => i & 255);
    expect(bytesToStr(big)).toBe(Array.from(big, (x) => String.fromCharCode(x)).join(''));
  });

  it('the parser reuses command names without mixing up same-length names', () => {
    const p = new RequestParser();
    const limits = { protoMaxBulkLen: 1 << 20, authRequired: false, isMaster: false };
    const names = ['GET', 'SET', 'GEt', 'DEL', 'get', 'SET', 'GET', 'A\0B', 'A\0C', ''];
    for (const n of names) p.feed(new TextEncoder().encode(`*1\r\n$${n.length}\r\n${n}\r\n`));
    const got: string[] = [];
    for (;;) {
      const r = p.next(limits);
      if (r.kind !== 'command') break;
      got.push(r.argv[0]);
    }
    expect(got).toEqual(names);
  });

  it('header numbers keep string2ll rules (leading zeros, signs and spaces are refused)', () => {
    for (const [req, ok] of [['*1\r\n$3\r\nGET\r\n', true], ['*1\r\n$03\r\nGET\r\n', false], ['*1\r\n$+3\r\nGET\r\n', false], ['*01\r\n$3\r\nGET\r\n', false]] as const) {
      const p = new RequestParser();
      p.feed(new TextEncoder().encode(req));
      const r = p.next({ protoMaxBulkLen: 1 << 20, authRequired: false, isMaster: false });
      expect(r.kind).toBe(ok ? 'command' : 'error');
    }
  });
});

describe('packed Entry', () => {
  it('keeps lru, encoding and exact expire times through every setter', () => {
    const e = new Entry('v', -1, 0xffffff, StrEnc.NoInt);
    expect([e.lru, e.enc]).toEqual([0xffffff, StrEnc.NoInt]);
    e.enc = StrEnc.Raw;
    expect([e.lru, e.enc]).toEqual([0xffffff, StrEnc.Raw]);
    e.lru = 12345;
    expect([e.lru, e.enc]).toEqual([12345, StrEnc.Raw]);
    e.lru = -7;
    e.enc = StrEnc.Auto;
    expect([e.lru, e.enc]).toEqual([-7, StrEnc.Auto]);
    expect(e.expExact).toBeUndefined();
    e.expExact = 9223372036854770000n;
    expect(e.expExact).toBe(9223372036854770000n);
    e.expExact = undefined;
    expect(e.expExact).toBeUndefined();
  });
});
