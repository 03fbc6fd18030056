/**
 * ACL users against real Redis 7.0.15: the rule strings ACL LIST and GETUSER build, every
 * ACL SETUSER error, AUTH/HELLO as a user, NOPERM for commands, keys and channels, ACL LOG
 * entries (their time and client-info fields masked), DRYRUN, requirepass as the default
 * user's password, and COMMAND INFO/DOCS of the ACL subcommands.
 *
 * Rule strings whose single-command part lists more than one command are avoided: Redis walks
 * its command dict in hash order, which is seeded at random on every start.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { describeDifferential, expectSame, type Pair, type Step } from '../support/differential';
import { RawClient } from '../support/raw-client';
import { REAL_REDIS, haveRealRedis } from '../support/real-redis';
import { freePort } from '../support/ports';
import { NativeOs } from '../../src/native/os';
import { redisServerMain } from '../../src/engine/programs/redis-server';
import { tempDir } from '../support/program-run';
import type { RespValue } from '../../src/engine/resp/reply-parser';

/** A second pair of connections to the same two servers. */
async function otherPair(p: Pair): Promise<Pair> {
  return { ...p, realClient: await p.real.client(), ourClient: await p.ours.client() };
}

/** ACL LOG entries with age-seconds and client-info masked (client ids, ports, ages differ). */
function maskedLog(v: RespValue): unknown {
  if (v.type !== 'array') return v;
  return v.value.map((e) => {
    const a = e.type === 'array' ? e.value : e.type === 'map' ? e.value.flat() : [];
    const out: unknown[] = [];
    for (let i = 0; i < a.length; i += 2) {
      const key = a[i];
      const k = key.type === 'bulk' ? key.value : '?';
      const val = a[i + 1];
      if (k === 'age-seconds') out.push(k, val.type);
      else if (k === 'client-info') {
        const s = val.type === 'bulk' ? String(val.value) : '';
        // The fields (and the user=/cmd= values) must match; ids, addresses and ages need not.
        out.push(k, s.split(' ').map((f) => (/^(user|cmd|db|flags|name|multi|resp)=/.test(f) ? f : f.split('=')[0])).join(' '));
      } else out.push(k, JSON.stringify(val, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));
    }
    return out;
  });
}

async function sameLog(p: Pair, argv: string[] = ['ACL', 'LOG']): Promise<void> {
  const [r, o] = await Promise.all([p.realClient.command(argv), p.ourClient.command(argv)]);
  expect(maskedLog(o)).toEqual(maskedLog(r));
}

/**
 * A rule string with its single-command part sorted: Redis emits those in its command dict's
 * hash order, seeded at random on every start. Tokens naming commands `keep` rejects (the
 * ones our engine does not implement, like streams) are dropped with the @stream category.
 */
function normalizeRules(s: string, keep: (name: string) => boolean = () => true): string {
  const toks = s.split(' ');
  let last = -1;
  toks.forEach((t, i) => { if (/^[+-]@/.test(t)) last = i; });
  const head = toks.slice(0, last + 1).filter((t) => !/^[+-]@stream$/.test(t));
  const tail = toks.slice(last + 1).filter((t) => !/^[+-]/.test(t) || keep(t.slice(1).split('|')[0])).sort();
  return [...head, ...tail].join(' ');
}

function normalizedReply(v: RespValue, keep?: (name: string) => boolean): unknown {
  if (v.type === 'array' || v.type === 'map' || v.type === 'set') return (v.value as RespValue[]).map((x) => normalizedReply(x, keep));
  if (v.type === 'bulk' || v.type === 'status') return normalizeRules(String(v.value), keep);
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

/** Run `steps`; ACL LIST / GETUSER replies are compared with their rule strings normalized. */
async function sameRules(p: Pair, steps: string[][], keep?: (name: string) => boolean): Promise<void> {
  const problems: string[] = [];
  for (const argv of steps) {
    const [r, o] = await Promise.all([p.realClient.command(argv), p.ourClient.command(argv)]);
    const [rn, on] = [JSON.stringify(normalizedReply(r, keep)), JSON.stringify(normalizedReply(o, keep))];
    if (rn !== on) problems.push(`${argv.join(' ')}\n  real: ${rn}\n  ours: ${on}`);
  }
  expect(problems, problems.join('\n')).toEqual([]);
}

const H = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describeDifferential('ACL (differential)', (pair) => {
  it('rule strings: ACL LIST, GETUSER and USERS for users built rule by rule', () => sameRules(pair(), [
    ['ACL', 'LIST'], ['ACL', 'USERS'], ['ACL', 'GETUSER', 'default'], ['ACL', 'WHOAMI'],
    ['ACL', 'SETUSER', 'alice'], ['ACL', 'LIST'], ['ACL', 'GETUSER', 'alice'],
    ['ACL', 'SETUSER', 'alice', 'on', '>p1', '>p2', '~cached:*', '&chan', '+get'], ['ACL', 'LIST'], ['ACL', 'GETUSER', 'alice'],
    ['ACL', 'SETUSER', 'alice', '<p1', '%R~read:*', '%W~write:*', '%RW~both:*', '~cached:*'], ['ACL', 'GETUSER', 'alice'], ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 'alice', '%R~cached:*', '%W~read:*'], ['ACL', 'GETUSER', 'alice'],
    ['ACL', 'SETUSER', 'alice', `#${H}`, `!${H}`, 'nopass'], ['ACL', 'GETUSER', 'alice'],
    ['ACL', 'SETUSER', 'alice', 'resetpass', 'resetkeys', 'resetchannels', 'allkeys', 'allchannels'], ['ACL', 'GETUSER', 'alice'],
    ['ACL', 'SETUSER', 'alice', 'reset'], ['ACL', 'LIST'], ['ACL', 'GETUSER', 'alice'],
    ['ACL', 'SETUSER', 'bob', 'on', 'nopass', '+@all', '-@dangerous'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'bob', 'reset', '+@read', '+@hash'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'bob', 'reset', '+@string'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'bob', 'reset', '+@all', '-@string'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'bob', 'reset', '+@all', '-set'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'bob', 'reset', '+config|get'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'bob', 'reset', '+@all', '-config|set'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'bob', 'reset', '+config'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'bob', 'reset', 'allcommands', 'nocommands', '+select|0', '+select|1'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'bob', 'reset', '+@hyperloglog'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'bob', 'reset', '+@geo'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'bob', 'skip-sanitize-payload'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'bob', 'sanitize-payload', 'ON', 'NoPass', 'AllKeys'], ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'SETUSER', 'sel', 'on', '(~x* +get)', '(', '%R~y*', '+set', ')'], ['ACL', 'GETUSER', 'sel'], ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 'sel', 'clearselectors'], ['ACL', 'GETUSER', 'sel'],
    ['ACL', 'USERS'], ['ACL', 'DELUSER', 'alice', 'nosuch', 'bob'], ['ACL', 'USERS'], ['ACL', 'DELUSER', 'default'], ['ACL', 'DELUSER', 'sel', 'default'],
    ['ACL', 'USERS'], ['ACL', 'GETUSER', 'nosuch'], ['ACL', 'DELUSER', 'sel'],
  ]));

  it('acl-pubsub-default, and RESP3 shapes of GETUSER, LIST and LOG', async () => {
    const p = pair();
    await expectSame(p, [
      ['CONFIG', 'SET', 'acl-pubsub-default', 'allchannels'], ['ACL', 'SETUSER', 'ps'], ['ACL', 'SETUSER', 'ps2', 'reset'], ['ACL', 'LIST'],
      ['ACL', 'SETUSER', 'ps', '(+get)'], ['ACL', 'GETUSER', 'ps'],
      ['CONFIG', 'SET', 'acl-pubsub-default', 'resetchannels'], ['ACL', 'SETUSER', 'ps3'], ['ACL', 'SETUSER', 'ps2', 'reset'], ['ACL', 'LIST'],
      ['HELLO', '3', 'AUTH', 'nosuch', 'x'], { cmd: ['HELLO', '3'], compare: 'type' },
      ['ACL', 'GETUSER', 'ps'], ['ACL', 'GETUSER', 'default'], ['ACL', 'GETUSER', 'nosuch'], ['ACL', 'LIST'], ['ACL', 'USERS'], ['ACL', 'CAT', 'nosuch'],
      ['ACL', 'DRYRUN', 'ps', 'get', 'x'], ['ACL', 'DRYRUN', 'ps', 'set', 'x', 'y'],
    ]);
    const [r, o] = await Promise.all([p.realClient.command(['ACL', 'LOG', '1']), p.ourClient.command(['ACL', 'LOG', '1'])]);
    expect(maskedLog(o)).toEqual(maskedLog(r));
    await expectSame(p, [{ cmd: ['HELLO', '2'], compare: 'type' }, ['ACL', 'DELUSER', 'ps', 'ps2', 'ps3'], ['ACL', 'LOG', 'RESET']]);
  });

  it('every ACL SETUSER error, and the user is left untouched by a failed SETUSER', () => expectSame(pair(), [
    ['ACL', 'SETUSER', 'e', 'bogus'], ['ACL', 'SETUSER', 'e', '+nosuchcmd'], ['ACL', 'SETUSER', 'e', '+@nosuchcat'],
    ['ACL', 'SETUSER', 'e', '-nosuch'], ['ACL', 'SETUSER', 'e', '+config|'], ['ACL', 'SETUSER', 'e', '+config|nosuch'],
    ['ACL', 'SETUSER', 'e', '+config|get|x'], ['ACL', 'SETUSER', 'e', '+'], ['ACL', 'SETUSER', 'e', '-select|1'],
    ['ACL', 'SETUSER', 'e', '#abc'], ['ACL', 'SETUSER', 'e', `#${H.toUpperCase()}`], ['ACL', 'SETUSER', 'e', '!abc'],
    ['ACL', 'SETUSER', 'e', '<nopass'], [`ACL`, 'SETUSER', 'e', `!${H}`],
    ['ACL', 'SETUSER', 'e', '~*', '~foo'], ['ACL', 'SETUSER', 'e', 'allkeys', '%R~foo'], ['ACL', 'SETUSER', 'e', '&*', '&foo'],
    ['ACL', 'SETUSER', 'e', '%X~foo'], ['ACL', 'SETUSER', 'e', '%RR~foo'], ['ACL', 'SETUSER', 'e', '~a b'], ['ACL', 'SETUSER', 'e', '&a\tb'],
    ['ACL', 'SETUSER', 'e', '(+get', '~x'], ['ACL', 'SETUSER', 'e', '(+nosuch)'], ['ACL', 'SETUSER', 'e', '(~* ~x)'],
    ['ACL', 'SETUSER', 'bad user'], ['ACL', 'SETUSER', 'bad\x00user'],
    ['ACL', 'USERS'],
    ['ACL', 'SETUSER', 'keep', 'on', '>pw', '+get'], ['ACL', 'SETUSER', 'keep', 'off', '+nosuch'], ['ACL', 'GETUSER', 'keep'],
    ['ACL', 'SETUSER'], ['ACL', 'GETUSER'], ['ACL', 'GETUSER', 'a', 'b'], ['ACL', 'DELUSER'], ['ACL', 'NOSUCH'], ['ACL'],
    ['ACL', 'LIST', 'x'], ['ACL', 'WHOAMI', 'x'], ['ACL', 'CAT', 'a', 'b'], ['ACL', 'GENPASS', '1', '2'], ['ACL', 'LOG', '1', '2'],
    ['ACL', 'LOAD'], ['ACL', 'SAVE'], ['ACL', 'HELP'], ['ACL', 'help'],
    ['ACL', 'DELUSER', 'keep'],
  ]));

  it('ACL CAT, GENPASS shapes and errors', async () => {
    await expectSame(pair(), [
      ['ACL', 'CAT'], ['ACL', 'CAT', 'nosuch'], ['ACL', 'CAT', `${'x'.repeat(200)}`],
      { cmd: ['ACL', 'CAT', 'hyperloglog'], compare: 'sorted' }, { cmd: ['ACL', 'CAT', 'GEO'], compare: 'sorted' },
      { cmd: ['ACL', 'CAT', 'bitmap'], compare: 'sorted' }, { cmd: ['ACL', 'CAT', 'hash'], compare: 'sorted' },
      { cmd: ['ACL', 'CAT', 'stream'], compare: 'sorted' }, { cmd: ['ACL', 'CAT', 'blocking'], compare: 'sorted' },
      ['ACL', 'GENPASS', '0'], ['ACL', 'GENPASS', '-1'], ['ACL', 'GENPASS', '4097'], ['ACL', 'GENPASS', 'x'],
    ]);
    const p = pair();
    for (const bits of [undefined, '1', '5', '64', '4096']) {
      const argv = bits ? ['ACL', 'GENPASS', bits] : ['ACL', 'GENPASS'];
      const [r, o] = await Promise.all([p.realClient.command(argv), p.ourClient.command(argv)]);
      expect(o.type).toBe('bulk');
      const [rs, os] = [String((r as { value: string }).value), String((o as { value: string }).value)];
      expect(os.length).toBe(rs.length);
      expect(os).toMatch(/^[0-9a-f]+$/);
    }
    const [a, b] = [await p.ourClient.command(['ACL', 'GENPASS']), await p.ourClient.command(['ACL', 'GENPASS'])];
    expect(a).not.toEqual(b);
  });

  it('AUTH and HELLO as a user, WHOAMI, CLIENT LIST user=, and failed logins in ACL LOG', async () => {
    const p = pair();
    await expectSame(p, [
      ['ACL', 'LOG', 'RESET'],
      ['ACL', 'SETUSER', 'u1', 'on', '>secret', '+@all', '~*'],
      ['ACL', 'SETUSER', 'u2', 'off', '>secret', '+@all'],
    ]);
    const q = await otherPair(p);
    await expectSame(q, [
      ['AUTH', 'u1', 'wrong'], ['AUTH', 'nosuch', 'secret'], ['AUTH', 'u2', 'secret'], ['AUTH', 'secret'],
      ['ACL', 'WHOAMI'], ['AUTH', 'u1', 'secret'], ['ACL', 'WHOAMI'],
      { cmd: ['HELLO', '2', 'AUTH', 'u1', 'nope'], compare: 'type' }, { cmd: ['HELLO', '2', 'AUTH', 'u2', 'secret'], compare: 'type' },
      ['ACL', 'WHOAMI'], ['CLIENT', 'KILL', 'USER', 'nosuch'],
    ]);
    await sameLog(p);
    await sameLog(p, ['ACL', 'LOG', '2']);
    await sameLog(p, ['ACL', 'LOG', '0']);
    await sameLog(p, ['ACL', 'LOG', '-5']);
    await expectSame(p, [['ACL', 'LOG', 'x'], ['ACL', 'LOG', 'RESET'], ['ACL', 'LOG']]);
    const [ri, oi] = await Promise.all([q.realClient.command(['CLIENT', 'INFO']), q.ourClient.command(['CLIENT', 'INFO'])]);
    expect(String((oi as { value: string }).value)).toMatch(/ user=u1 /);
    expect(String((ri as { value: string }).value)).toMatch(/ user=u1 /);
    // Switching the user off keeps its connections (7.0: only new logins fail); deleting it drops them.
    await expectSame(p, [['ACL', 'SETUSER', 'u1', 'off']]);
    await expectSame(q, [['PING'], ['ACL', 'WHOAMI'], ['AUTH', 'u1', 'secret'], ['ACL', 'WHOAMI']]);
    await expectSame(p, [['ACL', 'DELUSER', 'u1', 'u2']]);
    await expect(q.ourClient.reply()).rejects.toBeDefined();
    q.realClient.close(); q.ourClient.close();
  });

  it('the stream commands\' read and write needs of their keys (DRYRUN with %R~ and %W~ patterns)', async () => {
    const steps: Step[] = [['ACL', 'SETUSER', 'rw', 'on', 'nopass', '+@all', '%R~r:*', '%W~w:*']];
    for (const k of ['r:1', 'w:1']) {
      steps.push(
        ['ACL', 'DRYRUN', 'rw', 'XADD', k, '*', 'f', 'v'], ['ACL', 'DRYRUN', 'rw', 'XRANGE', k, '-', '+'], ['ACL', 'DRYRUN', 'rw', 'XREVRANGE', k, '+', '-'],
        ['ACL', 'DRYRUN', 'rw', 'XLEN', k], ['ACL', 'DRYRUN', 'rw', 'XDEL', k, '1-1'], ['ACL', 'DRYRUN', 'rw', 'XTRIM', k, 'MAXLEN', '1'],
        ['ACL', 'DRYRUN', 'rw', 'XREAD', 'STREAMS', k, '0'], ['ACL', 'DRYRUN', 'rw', 'XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', k, '>'],
        ['ACL', 'DRYRUN', 'rw', 'XGROUP', 'CREATE', k, 'g', '$'], ['ACL', 'DRYRUN', 'rw', 'XACK', k, 'g', '1-1'], ['ACL', 'DRYRUN', 'rw', 'XPENDING', k, 'g'],
        ['ACL', 'DRYRUN', 'rw', 'XCLAIM', k, 'g', 'c', '0', '1-1'], ['ACL', 'DRYRUN', 'rw', 'XAUTOCLAIM', k, 'g', 'c', '0', '0'],
        ['ACL', 'DRYRUN', 'rw', 'XINFO', 'STREAM', k], ['ACL', 'DRYRUN', 'rw', 'XSETID', k, '1-1'],
      );
    }
    await expectSame(pair(), [...steps, ['ACL', 'DELUSER', 'rw']]);
  });

  it('NOPERM for commands, keys and channels, with their ACL LOG entries and DRYRUN', async () => {
    const p = pair();
    await expectSame(p, [
      ['ACL', 'LOG', 'RESET'], ['FLUSHALL'],
      ['ACL', 'SETUSER', 'lim', 'on', '>pw', '+@read', '+set', '+publish', '+subscribe', '+psubscribe', '+multi', '+exec', '+config|get', '+select|0',
        '~allowed:*', '%R~ro:*', '%W~wo:*', '&news.*', '&exact'],
    ]);
    const q = await otherPair(p);
    const steps: Step[] = [
      ['AUTH', 'lim', 'pw'],
      ['GET', 'allowed:1'], ['GET', 'other'], ['SET', 'allowed:1', 'v'], ['SET', 'other', 'v'], ['DEL', 'allowed:1'],
      ['GET', 'ro:1'], ['SET', 'ro:1', 'v'], ['SET', 'wo:1', 'v'], ['GET', 'wo:1'],
      ['MGET', 'allowed:a', 'allowed:b', 'nope', 'allowed:c'],
      ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'SET', 'maxmemory', '0'], ['SELECT', '0'], ['SELECT', '1'],
      ['PUBLISH', 'news.today', 'x'], ['PUBLISH', 'sport', 'x'], ['PUBLISH', 'exact', 'x'],
      ['MULTI'], ['GET', 'allowed:1'], ['SET', 'other', 'x'], ['EXEC'],
      ['PING'], ['ACL', 'WHOAMI'],
    ];
    await expectSame(q, steps);
    await sameLog(p);
    // Refusals count as rejected calls and NOPERM errors.
    const statLines = async (cl: RawClient) => {
      const text = String((await cl.command(['INFO', 'all']) as { value: string }).value);
      return text.split('\r\n').filter((l) => /^errorstat_NOPERM:|^cmdstat_(set|mget|config\|set|publish):/.test(l)).map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, '')).sort();
    };
    expect(await statLines(p.ourClient)).toEqual(await statLines(p.realClient));
    await expectSame(p, [
      ['ACL', 'DRYRUN', 'lim', 'get', 'allowed:1'], ['ACL', 'DRYRUN', 'lim', 'get', 'x'], ['ACL', 'DRYRUN', 'lim', 'set', 'ro:1', 'v'],
      ['ACL', 'DRYRUN', 'lim', 'del', 'x'], ['ACL', 'DRYRUN', 'lim', 'publish', 'nope', 'x'], ['ACL', 'DRYRUN', 'lim', 'config', 'get', 'x'],
      ['ACL', 'DRYRUN', 'lim', 'config', 'set', 'x', 'y'], ['ACL', 'DRYRUN', 'lim', 'config'], ['ACL', 'DRYRUN', 'lim', 'nosuchcmd'],
      ['ACL', 'DRYRUN', 'lim', 'get'], ['ACL', 'DRYRUN', 'nouser', 'get', 'x'], ['ACL', 'DRYRUN', 'lim', 'subscribe', 'news.a', 'bad'],
      ['ACL', 'DRYRUN', 'lim', 'psubscribe', 'news.*'], ['ACL', 'DRYRUN', 'lim', 'psubscribe', 'news.a'],
      ['ACL', 'DRYRUN', 'lim', 'select', '0'], ['ACL', 'DRYRUN', 'lim', 'select', '2'],
    ]);
    // Subscribing to a channel the user may not use, and losing a channel while subscribed.
    const r = await otherPair(p);
    await expectSame(r, [['AUTH', 'lim', 'pw'], ['SUBSCRIBE', 'nope'], ['PSUBSCRIBE', 'news.x'], ['SUBSCRIBE', 'news.1']]);
    await expectSame(p, [['ACL', 'SETUSER', 'lim', 'resetchannels', '&other']]);
    await expect(r.ourClient.reply()).rejects.toBeDefined();
    await expect(r.realClient.reply()).rejects.toBeDefined();
    // Rules changed between MULTI's queueing and EXEC: EXEC checks again, per command.
    await expectSame(p, [['ACL', 'LOG', 'RESET'], ['ACL', 'SETUSER', 'lim', '&news.*']]);
    await expectSame(q, [['MULTI'], ['GET', 'allowed:1'], ['SET', 'allowed:2', 'v'], ['PUBLISH', 'news.a', 'm'], ['PING']]);
    await expectSame(p, [['ACL', 'SETUSER', 'lim', '-get', 'resetkeys', '~allowed:1', 'resetchannels']]);
    await expectSame(q, [['EXEC'], ['GET', 'allowed:1']]);
    await sameLog(p);
    await expectSame(p, [['ACL', 'DELUSER', 'lim']]);
    for (const x of [q, r]) { x.realClient.close(); x.ourClient.close(); }
  });

  it('key permissions per command: DRYRUN for users that may only read, only write, or neither', async () => {
    const p = pair();
    const samples: string[][] = [
      ['get', 'k'], ['set', 'k', 'v'], ['set', 'k', 'v', 'GET'], ['set', 'k', 'v', 'nx', 'get'], ['del', 'k'], ['lpush', 'k', 'v'], ['hset', 'k', 'f', 'v'],
      ['sort', 'k'], ['sort_ro', 'k'], ['mget', 'a', 'b'], ['mset', 'a', '1', 'b', '2'], ['append', 'k', 'v'], ['expire', 'k', '1'], ['unlink', 'k'],
      ['exists', 'k'], ['hexists', 'k', 'f'], ['hlen', 'k'], ['hstrlen', 'k', 'f'], ['llen', 'k'], ['object', 'encoding', 'k'], ['object', 'freq', 'k'],
      ['object', 'idletime', 'k'], ['object', 'refcount', 'k'], ['scard', 'k'], ['sismember', 'k', 'm'], ['strlen', 'k'], ['touch', 'a', 'b'],
      ['type', 'k'], ['watch', 'k'], ['zcard', 'k'], ['blpop', 'a', 'b', '0'], ['brpop', 'a', '0'], ['bzpopmax', 'a', '0'], ['bzpopmin', 'a', '0'],
      ['decr', 'k'], ['decrby', 'k', '1'], ['getdel', 'k'], ['getex', 'k'], ['getset', 'k', 'v'], ['hincrby', 'k', 'f', '1'], ['hincrbyfloat', 'k', 'f', '1'],
      ['incr', 'k'], ['incrby', 'k', '1'], ['incrbyfloat', 'k', '1'], ['lpop', 'k'], ['move', 'k', '1'], ['rpop', 'k'], ['spop', 'k'], ['zincrby', 'k', '1', 'm'],
      ['zpopmax', 'k'], ['zpopmin', 'k'], ['blmpop', '0', '1', 'k', 'LEFT'], ['bzmpop', '0', '1', 'k', 'MIN'], ['lmpop', '2', 'a', 'b', 'LEFT'], ['zmpop', '1', 'k', 'MAX'],
      ['blmove', 'a', 'b', 'LEFT', 'RIGHT', '0'], ['brpoplpush', 'a', 'b', '0'], ['lmove', 'a', 'b', 'LEFT', 'LEFT'], ['rename', 'a', 'b'], ['renamenx', 'a', 'b'],
      ['rpoplpush', 'a', 'b'], ['smove', 'a', 'b', 'm'], ['sdiffstore', 'd', 'a', 'b'], ['sinterstore', 'd', 'a'], ['sunionstore', 'd', 'a', 'b'],
      ['zdiffstore', 'd', '2', 'a', 'b'], ['zinterstore', 'd', '1', 'a'], ['zrangestore', 'd', 'a', '0', '1'], ['zunionstore', 'd', '2', 'a', 'b'],
      ['copy', 'a', 'b'], ['sintercard', '2', 'a', 'b'], ['zdiff', '2', 'a', 'b'], ['zinter', '1', 'a'], ['zintercard', '1', 'a'], ['zunion', '2', 'a', 'b'],
      ['spublish', 'ch', 'm'], ['ssubscribe', 'ch'], ['sunsubscribe', 'ch'], ['pfcount', 'a', 'b'], ['pfmerge', 'd', 'a'], ['geoadd', 'k', '1', '2', 'm'],
      ['setbit', 'k', '1', '1'], ['bitop', 'AND', 'd', 'a', 'b'], ['memory', 'usage', 'k'], ['dump', 'k'], ['restore', 'k', '0', 'x'], ['persist', 'k'],
      ['lrange', 'k', '0', '1'], ['zrange', 'k', '0', '1'], ['smembers', 'k'], ['hgetall', 'k'], ['linsert', 'k', 'BEFORE', 'a', 'b'], ['ltrim', 'k', '0', '1'],
      // The sorted key is read, STORE's is written; BITFIELD writes only when it sets or increments.
      ['sort', 'k', 'STORE', 'd'], ['sort', 'k', 'LIMIT', '0', '1', 'STORE', 'd'], ['bitfield', 'k', 'GET', 'u4', '0'],
      ['bitfield', 'k', 'OVERFLOW', 'SAT', 'GET', 'u4', '0', 'GET', 'i8', '4'], ['bitfield', 'k', 'GET', 'u4', '0', 'SET', 'u4', '0', '1'],
      ['bitfield', 'k', 'INCRBY', 'u4', '0', '1'], ['bitfield', 'k', 'GET', 'u4'], ['bitfield', 'k'], ['bitfield_ro', 'k', 'GET', 'u4', '0'],
    ];
    const steps: Step[] = [['ACL', 'SETUSER', 'kr', 'on', '+@all', '%R~*'], ['ACL', 'SETUSER', 'kw', 'on', '+@all', '%W~*'], ['ACL', 'SETUSER', 'kn', 'on', '+@all', '~nomatch']];
    for (const u of ['kr', 'kw', 'kn']) for (const argv of samples) steps.push(['ACL', 'DRYRUN', u, ...argv]);
    // Selectors: the first that allows wins; otherwise the most relevant refusal (channel >
    // key > command, and for the same kind the latest argument).
    steps.push(['ACL', 'SETUSER', 'sl', 'on', '+get', '~a*', '(~x* +get +set)', '(%R~y* +set +mget &ch)']);
    for (const argv of [['get', 'a1'], ['get', 'x1'], ['get', 'y1'], ['set', 'a1', 'v'], ['set', 'x1', 'v'], ['set', 'y1', 'v'], ['set', 'z', 'v'],
      ['mget', 'a1', 'y1'], ['mget', 'y1', 'x1'], ['mget', 'y1', 'y2'], ['del', 'a1'], ['publish', 'ch', 'm'], ['get', 'z']]) steps.push(['ACL', 'DRYRUN', 'sl', ...argv]);
    steps.push(['ACL', 'DELUSER', 'kr', 'kw', 'kn', 'sl']);
    await expectSame(p, steps);
  });

  it('SORT BY a pattern and GET need a user who may read every key', async () => {
    const p = pair();
    const q = await otherPair(p);
    await expectSame(p, [['SET', 'v1', '1'], ['DEL', 'mylist'], ['LPUSH', 'mylist', '1']]);
    for (const rules of [['~mylist'], ['~mylist', '~v*'], ['~mylist', '%W~*'], ['~mylist', '%R~*'], ['allkeys'], ['~mylist', '(%R~* +sort)']]) {
      await expectSame(p, [['ACL', 'SETUSER', 'sorter', 'reset', 'on', '>pw', '+sort', '+auth', ...rules]]);
      await expectSame(q, [['AUTH', 'sorter', 'pw'], ['SORT', 'mylist', 'BY', 'v*'], ['SORT', 'mylist', 'BY', 'nosort'], ['SORT', 'mylist', 'GET', '#'],
        ['SORT', 'mylist', 'GET', 'v*'], ['SORT_RO', 'mylist', 'BY', 'v*'], ['SORT', 'mylist']]);
    }
    q.realClient.close(); q.ourClient.close();
    await expectSame(p, [['ACL', 'DELUSER', 'sorter'], ['DEL', 'v1', 'mylist']]);
  });

  it('requirepass is the default user\'s password', async () => {
    const p = pair();
    await expectSame(p, [
      ['CONFIG', 'SET', 'requirepass', 'pw1'], ['ACL', 'LIST'], ['ACL', 'GETUSER', 'default'], ['CONFIG', 'GET', 'requirepass'],
      ['ACL', 'SETUSER', 'default', '>other'], ['CONFIG', 'GET', 'requirepass'], ['ACL', 'GETUSER', 'default'],
    ]);
    const q = await otherPair(p);
    await expectSame(q, [['GET', 'x'], ['AUTH', 'pw1'], ['GET', 'x'], ['AUTH', 'other'], ['AUTH', 'default', 'pw1']]);
    await expectSame(p, [['CONFIG', 'SET', 'requirepass', ''], ['ACL', 'LIST'], ['AUTH', 'x']]);
    const z = await otherPair(p);
    await expectSame(z, [['GET', 'x'], ['ACL', 'SETUSER', 'default', 'off'], ['PING']]);
    const w = await otherPair(p);
    await expectSame(w, [['PING'], ['AUTH', 'default', 'x'], ['HELLO', '2', 'AUTH', 'default', 'x']]);
    await expectSame(z, [['ACL', 'SETUSER', 'default', 'on'], ['ACL', 'LIST']]);
    for (const x of [q, z, w]) { x.realClient.close(); x.ourClient.close(); }
  });

  it('COMMAND INFO and DOCS of ACL and its subcommands', async () => {
    const p = pair();
    const subs = ['help', 'deluser', 'cat', 'genpass', 'list', 'load', 'setuser', 'whoami', 'save', 'dryrun', 'getuser', 'users', 'log'];
    await expectSame(p, subs.map((s) => ['COMMAND', 'INFO', `acl|${s}`]));
    const strip = (v: RespValue): unknown => {
      if (v.type === 'array' || v.type === 'map') {
        const a = v.value as RespValue[];
        const out: unknown[] = [];
        for (let i = 0; i < a.length; i++) {
          if (a[i].type === 'bulk' && ((a[i] as { value: string }).value === 'summary' || (a[i] as { value: string }).value === 'complexity') && i % 2 === 0) { i++; continue; }
          out.push(strip(a[i]));
        }
        return out;
      }
      return 'value' in v ? String(v.value) : v.type;
    };
    for (const s of subs) {
      const argv = ['COMMAND', 'DOCS', `acl|${s}`];
      const [r, o] = await Promise.all([p.realClient.command(argv), p.ourClient.command(argv)]);
      expect(strip(o), s).toEqual(strip(r));
    }
  });

  it('a script of random SETUSER rules gives the same ACL LIST', async () => {
    const p = pair();
    const ops = ['on', 'off', '>a', '>b', '<a', 'nopass', 'resetpass', '~k1', '%R~k2', '%W~k3', 'resetkeys', 'allkeys', '&c1', 'resetchannels',
      'allchannels', '+@all', '-@all', '+@read', '-@write', '+@string', '-@string', '+@list', '-@hash', '+@fast', '-@slow', '+@admin', '-@dangerous',
      '+@keyspace', '+@sortedset', '-@set', '+@pubsub', '+@connection', '+@transaction', '+@bitmap', '+@geo', '-@hyperloglog', '+@blocking'];
    let x = 7;
    const rnd = (n: number) => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return (x >>> 8) % n; };
    const steps: string[][] = [];
    for (let i = 0; i < 60; i++) {
      const rules = Array.from({ length: 1 + rnd(5) }, () => ops[rnd(ops.length)]);
      steps.push(['ACL', 'SETUSER', 'r', ...rules], ['ACL', 'LIST']);
    }
    steps.push(['ACL', 'DELUSER', 'r']);
    const ours = await p.ourClient.command(['COMMAND', 'LIST']);
    const implemented = new Set((ours as { value: RespValue[] }).value.map((x) => String((x as { value: string }).value)));
    await sameRules(p, steps, (name) => implemented.has(name));
  });
});

// ---- aclfile with ACL LOAD / SAVE, and `user` lines in redis.conf with CONFIG REWRITE ----

interface ConfServer { client: RawClient; dir: string; port: number; stop(): Promise<void> }

/** A server of each kind started from `conf` in a fresh directory holding `files` too. */
async function startBoth(conf: string, files: Record<string, string>): Promise<[ConfServer, ConfServer]> {
  const setup = async (prefix: string) => {
    const dir = tempDir(prefix);
    const port = await freePort();
    fs.writeFileSync(path.join(dir, 'redis.conf'), conf.replace('$PORT', String(port)));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return { dir, port };
  };
  const r = await setup('halab-acl-real-');
  const proc: ChildProcess = spawn(REAL_REDIS!, ['redis.conf'], { cwd: r.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  while (!out.includes('Ready to accept')) await new Promise((res) => setTimeout(res, 20));
  const real: ConfServer = {
    dir: r.dir, port: r.port, client: await RawClient.connect(r.port),
    stop: async () => { proc.kill('SIGKILL'); fs.rmSync(r.dir, { recursive: true, force: true }); },
  };
  const o = await setup('halab-acl-ours-');
  const nos = new NativeOs({ cwd: o.dir, syntheticPid: true, onExit: () => undefined, stdout: () => undefined, stderr: () => undefined });
  const srv = await redisServerMain(nos, ['redis-server', 'redis.conf']);
  if (!srv) throw new Error('ours did not start');
  const ours: ConfServer = {
    dir: o.dir, port: o.port, client: await RawClient.connect(o.port),
    stop: async () => { srv.server.terminate(0); fs.rmSync(o.dir, { recursive: true, force: true }); },
  };
  return [real, ours];
}

async function sameCalls(real: ConfServer, ours: ConfServer, steps: string[][]): Promise<void> {
  for (const argv of steps) expect(await ours.client.call(...argv), argv.join(' ')).toBe(await real.client.call(...argv));
}

const read = (s: ConfServer, name: string) => fs.readFileSync(path.join(s.dir, name), 'latin1');
const write = (s: ConfServer, name: string, text: string) => fs.writeFileSync(path.join(s.dir, name), text);

(haveRealRedis() ? describe : describe.skip)('ACL files (differential)', () => {
  const servers: ConfServer[] = [];
  afterAll(async () => { for (const s of servers) await s.stop(); });

  it('aclfile: loaded at start, ACL SAVE writes it, ACL LOAD reports every bad line and changes nothing', async () => {
    const [real, ours] = await startBoth('port $PORT\nbind 127.0.0.1\nsave ""\naclfile users.acl\n', {
      'users.acl': `user alice on #${H} ~a:* &c +get\n\n   user bob off resetchannels -@all +@hash\r\n`,
    });
    servers.push(real, ours);
    await sameCalls(real, ours, [
      ['ACL', 'LIST'], ['AUTH', 'alice', ''], ['ACL', 'WHOAMI'], ['GET', 'a:1'], ['GET', 'b'],
      ['AUTH', 'default', 'x'], ['ACL', 'SETUSER', 'carol', 'on', '>pw', '%R~r:*', '+@read'], ['ACL', 'SAVE'],
    ]);
    expect(read(ours, 'users.acl')).toBe(read(real, 'users.acl'));
    expect(fs.readdirSync(ours.dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    for (const bad of [
      'user alice on +nosuch -alsonot\nuser bob on bogus #xyz\nnotuser x\nuser\nuser alice on\nuser dan (+get\nuser eve ~* ~x &* &y\n',
      '# a comment\n',
    ]) {
      write(real, 'users.acl', bad); write(ours, 'users.acl', bad);
      await sameCalls(real, ours, [['ACL', 'LOAD'], ['ACL', 'LIST']]);
    }
    // A successful LOAD frees every old user but default with its connections, even alice, whom
    // the new file defines again.
    const [ra, oa] = [await RawClient.connect(real.port), await RawClient.connect(ours.port)];
    expect(await oa.call('AUTH', 'alice', 'x')).toBe(await ra.call('AUTH', 'alice', 'x'));
    const good = `user default on nopass ~* &* +@all\nuser zed on nopass ~z* resetchannels +@string\nuser alice on nopass +@all\n`;
    write(real, 'users.acl', good); write(ours, 'users.acl', good);
    await sameCalls(real, ours, [['ACL', 'LOAD'], ['ACL', 'LIST'], ['ACL', 'WHOAMI']]);
    await expect(oa.reply()).rejects.toBeDefined();
    await expect(ra.reply()).rejects.toBeDefined();
    fs.rmSync(path.join(real.dir, 'users.acl')); fs.rmSync(path.join(ours.dir, 'users.acl'));
    await sameCalls(real, ours, [['ACL', 'LOAD'], ['ACL', 'SAVE'], ['ACL', 'LIST']]);
    expect(read(ours, 'users.acl')).toBe(read(real, 'users.acl'));
    // With an aclfile, CONFIG REWRITE writes no user lines.
    await sameCalls(real, ours, [['CONFIG', 'REWRITE']]);
    const userLines = (s: ConfServer) => read(s, 'redis.conf').split('\n').filter((l) => l.startsWith('user '));
    expect(userLines(ours)).toEqual(userLines(real));
  });

  it('user lines in redis.conf, and CONFIG REWRITE writing every user', async () => {
    const [real, ours] = await startBoth(
      `port $PORT\nbind 127.0.0.1\nsave ""\nuser alice on >pw ~* &* +@all -flushall\nuser default on nopass ~* &* +@all\nuser bob off\nuser "sel" on (+get ~x)\n`, {});
    servers.push(real, ours);
    await sameCalls(real, ours, [
      ['ACL', 'LIST'], ['AUTH', 'alice', 'pw'], ['FLUSHALL'], ['ACL', 'SETUSER', 'alice', '>more', '&news'],
      ['ACL', 'DELUSER', 'bob'], ['CONFIG', 'SET', 'requirepass', 'rp'], ['CONFIG', 'REWRITE'],
    ]);
    const userLines = (s: ConfServer) => read(s, 'redis.conf').split('\n').filter((l) => l.startsWith('user '));
    expect(userLines(ours)).toEqual(userLines(real));
    expect(userLines(ours).length).toBe(3);
  });
});

describeDifferential('ACL users for replication (masteruser)', (pair) => {
  async function waitUp(cl: RawClient): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const v = await cl.command(['INFO', 'replication']);
      if (String((v as { value: string }).value).includes('master_link_status:up')) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('replica link never came up');
  }

  it('a replica logs in as a user with only PSYNC, REPLCONF and PING, both ways', async () => {
    const p = pair();
    const grant = ['ACL', 'SETUSER', 'repl', 'on', '>rp', '+psync', '+replconf', '+ping'];
    // A full sync would otherwise wait 5 s for more replicas to join a diskless transfer.
    for (const cl of [p.realClient, p.ourClient]) await cl.command(['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']);
    // Real replica of our master.
    await p.ourClient.command(grant);
    for (const argv of [['CONFIG', 'SET', 'masteruser', 'repl'], ['CONFIG', 'SET', 'masterauth', 'rp'], ['REPLICAOF', '127.0.0.1', String(p.ours.port)]]) await p.realClient.command(argv);
    await waitUp(p.realClient);
    await p.ourClient.command(['SET', 'from-ours', '1']);
    const list = String((await p.ourClient.command(['CLIENT', 'LIST', 'TYPE', 'replica']) as { value: string }).value);
    expect(list).toMatch(/ user=repl /);
    for (let i = 0; i < 100 && (await p.realClient.command(['GET', 'from-ours'])).type !== 'bulk'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await p.realClient.command(['GET', 'from-ours'])).toEqual({ type: 'bulk', value: '1' });
    await p.realClient.command(['REPLICAOF', 'NO', 'ONE']);
    // Our replica of the real master.
    await p.realClient.command(grant);
    for (const argv of [['CONFIG', 'SET', 'masteruser', 'repl'], ['CONFIG', 'SET', 'masterauth', 'rp'], ['REPLICAOF', '127.0.0.1', String(p.real.port)]]) await p.ourClient.command(argv);
    await waitUp(p.ourClient);
    const rl = String((await p.realClient.command(['CLIENT', 'LIST', 'TYPE', 'replica']) as { value: string }).value);
    expect(rl).toMatch(/ user=repl /);
    await p.ourClient.command(['REPLICAOF', 'NO', 'ONE']);
  });
});
