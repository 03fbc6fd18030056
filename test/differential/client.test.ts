import { it, expect } from 'vitest';
import { describeDifferential, expectSame } from '../support/differential';
import { Session, normClientInfo, normClientInfoLoose, normMonitor } from '../support/dual';
import type { RawClient } from '../support/raw-client';
import { encodeCommand } from '../../src/engine/resp/reply-parser';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** CLIENT ID / HELLO ids depend on how many connections each server saw. */
const normIds = (x: string) => x.replace(/\bid=\d+/g, 'id=N').replace(/^:\d+\r\n$/, ':N\r\n');
/**
 * The reply buffer fields move with the clients cron (first visit resets the peak, the next
 * shrinks the buffer), a 100 ms phase that differs between two servers: for young connections
 * they are blanked, with the reply length and tot-mem that depend on them. The idle test below
 * checks them once settled.
 */
const normYoung = (x: string) => normIds(normClientInfo(x))
  .replace(/rbs=\d+ rbp=\d+/g, 'rbs=N rbp=N').replace(/tot-mem=\d+/g, 'tot-mem=N')
  .replace(/\$\d+\r\nid=/g, '$LEN\r\nid=').replace(/=\d+\r\ntxt:/g, '=LEN\r\ntxt:');

describeDifferential('CLIENT command family (differential)', (pair) => {
  it('argument errors and simple subcommands', () => expectSame(pair(), [
    ['CLIENT'], ['CLIENT', 'FOO'], ['client', 'foo', 'bar'], ['CLIENT', 'ID', 'x'], ['CLIENT', 'HELP'], ['client', 'help'], ['CLIENT', 'HELP', 'x'],
    ['CLIENT', 'KILL'], ['CLIENT', 'KILL', '1.2.3.4:5'], ['CLIENT', 'KILL', 'ID', 'abc'], ['CLIENT', 'KILL', 'ID', '0'], ['CLIENT', 'KILL', 'ID', '-5'],
    ['CLIENT', 'KILL', 'TYPE', 'foo'], ['CLIENT', 'KILL', 'USER', 'bob'], ['CLIENT', 'KILL', 'SKIPME', 'maybe'], ['CLIENT', 'KILL', 'ID'],
    ['CLIENT', 'KILL', 'FOO', 'bar'], ['CLIENT', 'KILL', 'ID', '99999'], ['CLIENT', 'KILL', 'TYPE', 'master'], ['CLIENT', 'KILL', 'TYPE', 'replica'],
    ['CLIENT', 'KILL', 'TYPE', 'slave'], ['CLIENT', 'KILL', 'ADDR', '1.1.1.1:1', 'ID', '5'], ['CLIENT', 'KILL', 'ID', '1', 'TYPE'],
    ['CLIENT', 'KILL', 'LADDR', 'x', 'SKIPME', 'yes'], ['CLIENT', 'KILL', 'USER', 'default', 'TYPE', 'pubsub'],
    ['CLIENT', 'LIST', 'TYPE', 'x'], ['CLIENT', 'LIST', 'ID', 'a'], ['CLIENT', 'LIST', 'ID'], ['CLIENT', 'LIST', 'X'], ['CLIENT', 'LIST', 'TYPE'],
    ['CLIENT', 'LIST', 'TYPE', 'normal', 'x'], ['CLIENT', 'LIST', 'ID', '99999'], ['CLIENT', 'LIST', 'TYPE', 'master'], ['CLIENT', 'LIST', 'TYPE', 'pubsub'],
    ['CLIENT', 'UNBLOCK', 'x'], ['CLIENT', 'UNBLOCK', '1', 'bad'], ['CLIENT', 'UNBLOCK', '1', '2', '3'], ['CLIENT', 'UNBLOCK', '99999'], ['CLIENT', 'UNBLOCK', '99999', 'ERROR'],
    ['CLIENT', 'PAUSE', '-1'], ['CLIENT', 'PAUSE', 'x'], ['CLIENT', 'PAUSE', '10', 'bad'], ['CLIENT', 'PAUSE', '1', '2', '3'], ['CLIENT', 'PAUSE', 'x', 'bad'],
    ['CLIENT', 'PAUSE', '0'], ['CLIENT', 'UNPAUSE'], ['CLIENT', 'UNPAUSE', 'x'],
    ['CLIENT', 'REPLY', 'x'], ['CLIENT', 'REPLY', 'on'], ['CLIENT', 'NO-EVICT', 'x'], ['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'NO-EVICT', 'OFF'],
    ['CLIENT', 'SETNAME', 'a b'], ['CLIENT', 'SETNAME', 'a\nb'], ['CLIENT', 'SETNAME', 'caf\xc3\xa9'], ['CLIENT', 'SETNAME', '~!'], ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', 'myname'], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', ''], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME'],
    ['CLIENT', 'GETREDIR'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'CACHING', 'maybe'],
    ['CLIENT', 'TRACKING', 'x'], ['CLIENT', 'TRACKING', 'on', 'bogus'], ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '99999'], ['CLIENT', 'TRACKING', 'on', 'REDIRECT', 'x'],
    ['CLIENT', 'TRACKING', 'on', 'PREFIX', 'a'], ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN'], ['CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT'],
    ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'], ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'b'],
    ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'bx'], ['CLIENT', 'TRACKING', 'on'], ['CLIENT', 'GETREDIR'],
    ['CLIENT', 'TRACKING', 'off'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'on', 'OPTIN'], ['CLIENT', 'CACHING', 'no'], ['CLIENT', 'CACHING', 'yes'],
    ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'on', 'OPTOUT'], ['CLIENT', 'TRACKING', 'on', 'BCAST'], ['CLIENT', 'TRACKING', 'off'],
    ['CLIENT', 'TRACKING', 'on', 'OPTOUT', 'NOLOOP'], ['CLIENT', 'CACHING', 'no'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'off'],
    ['CLIENT', 'REDIR'], ['MONITOR', 'x'],
  ]));

  it('CLIENT ID, INFO and LIST fields for several connection states', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const b = await s.connect('b');
    const c = await s.connect('c');
    await a.call(['CLIENT', 'ID'], normIds);
    await a.call(['CLIENT', 'SETNAME', 'alpha']);
    await b.raw('SUBSCRIBE x y\r\n', 2);
    await b.raw('PSUBSCRIBE p*\r\n', 1);
    await b.raw('SSUBSCRIBE s\r\n', 1);
    await c.call(['SELECT', '3']);
    await c.call(['WATCH', 'k1', 'k2']);
    await c.call(['MULTI']);
    await c.call(['SET', 'k1', 'v']);
    await c.call(['GET', 'k2']);
    // Our own line while commands run: qbuf holds the request, argv-mem its arguments.
    await a.call(['CLIENT', 'INFO'], normYoung);
    await a.raw('CLIENT INFO\r\n', 1, normYoung);
    await a.raw('PING\r\nCLIENT INFO\r\nECHO hello\r\n', 3, normYoung);
    await a.call(['CLIENT', 'LIST'], (x) => normIds(normClientInfoLoose(x)));
    await a.call(['CLIENT', 'LIST', 'TYPE', 'pubsub'], (x) => normIds(normClientInfoLoose(x)));
    await a.call(['CLIENT', 'LIST', 'TYPE', 'normal'], (x) => normIds(normClientInfoLoose(x)));
    await c.call(['CLIENT', 'INFO'], normYoung);
    await c.call(['EXEC'], normYoung);
    await c.call(['CLIENT', 'INFO'], normYoung);
    await a.call(['HELLO', '3'], normIds);
    await a.call(['CLIENT', 'INFO'], normYoung);
    await a.call(['CLIENT', 'NO-EVICT', 'on']);
    await a.call(['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'x']);
    await a.call(['CLIENT', 'INFO'], normYoung);
    s.expectClean();
  });

  it('CLIENT LIST memory fields follow Redis (idle buffers shrink)', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const b = await s.connect('b');
    await b.call(['PING']);
    await sleep(3300);
    // b has been idle for more than 2 s: its query buffer was released, its reply buffer shrunk.
    // (rbp is the peak of a 5 s window whose phase depends on when the cron first saw the
    // client, so it is left out.)
    const lineOf = (x: string) => x.split('\n').find((l) => l.includes('cmd=ping')) ?? '';
    const noRbp = (x: string) => x.replace(/rbp=\d+/, 'rbp=N');
    await a.call(['CLIENT', 'LIST'], (x) => noRbp(normIds(normClientInfo(lineOf(x)))));
    await a.call(['CLIENT', 'INFO'], (x) => noRbp(normIds(normClientInfo(x))).replace(/^\$\d+/, '$N'));
    s.expectClean();
  });

  it('CLIENT KILL by address, id, type, user, laddr, skipme; old form kills self', async () => {
    const s = new Session(pair());
    const k = await s.connect('killer');
    const v1 = await s.connect('v1');
    const v2 = await s.connect('v2');
    const v3 = await s.connect('v3');
    await v2.raw('SUBSCRIBE ch\r\n', 1);
    // Kill v1 by its address (old form): OK, then "No such client".
    const addrOf = async (d: typeof v1) => {
      const [ra, rb] = [await d.real.call('CLIENT', 'INFO'), await d.ours.call('CLIENT', 'INFO')];
      const pick = (x: string, f: string) => new RegExp(`\\b${f}=(\\S+)`).exec(x)![1];
      return { real: { addr: pick(ra, 'addr'), laddr: pick(ra, 'laddr'), id: pick(ra, 'id') }, ours: { addr: pick(rb, 'addr'), laddr: pick(rb, 'laddr'), id: pick(rb, 'id') } };
    };
    const both = async (argvOf: (x: { addr: string; laddr: string; id: string }) => string[], who: Awaited<ReturnType<typeof addrOf>>) => {
      const [ra, rb] = await Promise.all([k.real.call(...argvOf(who.real)), k.ours.call(...argvOf(who.ours))]);
      if (ra !== rb) s.record(`kill ${argvOf(who.real).join(' ')}: real ${JSON.stringify(ra)} ours ${JSON.stringify(rb)}`);
    };
    const w1 = await addrOf(v1);
    await both((x) => ['CLIENT', 'KILL', x.addr], w1);
    await both((x) => ['CLIENT', 'KILL', x.addr], w1);
    await v1.untilClosed(1000);
    const w3 = await addrOf(v3);
    await both((x) => ['CLIENT', 'KILL', 'ID', x.id], w3);
    await v3.untilClosed(1000);
    await k.call(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    await v2.untilClosed(1000);
    await k.call(['CLIENT', 'KILL', 'TYPE', 'normal']);
    await k.call(['CLIENT', 'KILL', 'USER', 'default']);
    const v4 = await s.connect('v4');
    const w4 = await addrOf(v4);
    await both((x) => ['CLIENT', 'KILL', 'LADDR', x.laddr, 'ID', x.id], w4);
    await v4.untilClosed(1000);
    // SKIPME no kills the caller too, after its reply.
    await s.connect('v5');
    await k.raw('CLIENT KILL TYPE normal SKIPME no\r\nPING\r\n', 1);
    await k.untilClosed(1000);
    const k2 = await s.connect('k2');
    const w = await addrOf(k2);
    const [ra, rb] = await Promise.all([k2.real.call('CLIENT', 'KILL', w.real.addr), k2.ours.call('CLIENT', 'KILL', w.ours.addr)]);
    expect(rb).toBe(ra);
    await k2.untilClosed(1000);
    s.expectClean();
  });

  it('CLIENT REPLY OFF/SKIP/ON', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    await a.raw('CLIENT REPLY SKIP\r\nSET x 1\r\nGET x\r\n', 1);
    await a.raw('CLIENT REPLY OFF\r\nSET x 2\r\nGET x\r\nCLIENT REPLY SKIP\r\nNOSUCH\r\nCLIENT REPLY ON\r\nGET x\r\n', 2);
    await a.raw('CLIENT REPLY SKIP\r\nCLIENT REPLY SKIP\r\nPING\r\nPING\r\n', 1);
    await a.raw('CLIENT REPLY SKIP\r\nCLIENT REPLY ON\r\nPING\r\n', 2);
    await a.raw('CLIENT REPLY OFF\r\nRESET\r\nPING\r\n', 2);
    s.expectClean();
  });

  it('CLIENT PAUSE WRITE/ALL and UNPAUSE', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const b = await s.connect('b');
    await a.call(['SET', 'k', '0']);
    await a.call(['CLIENT', 'PAUSE', '100000', 'WRITE']);
    await b.call(['GET', 'k']);
    await b.call(['PING']);
    b.send(['INCR', 'k']);
    b.send(['GET', 'k']);
    await b.quiet(200, 'writes and what follows wait');
    await a.call(['GET', 'k']);
    await a.call(['CLIENT', 'UNPAUSE']);
    await b.expect(2, 'postponed INCR and GET after UNPAUSE');
    // Commands that may replicate wait too (PFCOUNT may rewrite its cache, PUBLISH reaches
    // replicas, EVAL without a shebang may write), and are counted as blocked clients; a
    // script whose shebang says no-writes runs.
    await a.call(['PFADD', 'hll', 'x']);
    await a.call(['CLIENT', 'PAUSE', '100000', 'WRITE']);
    for (const argv of [['PFCOUNT', 'hll'], ['PUBLISH', 'ch', 'm'], ['EVAL', 'return 1', '0'], ['EVAL', '#!lua\nreturn 2', '0']]) {
      b.send(argv);
      await b.quiet(100, `${argv[0]} waits during PAUSE WRITE`);
      await a.call(['INFO', 'clients'], (x) => x.match(/blocked_clients:\d+/)![0]);
      await a.call(['CLIENT', 'UNPAUSE']);
      await b.expect(1, `${argv[0]} after UNPAUSE`);
      await a.call(['CLIENT', 'PAUSE', '100000', 'WRITE']);
    }
    await b.call(['EVAL', '#!lua flags=no-writes\nreturn 3', '0']);
    await a.call(['CLIENT', 'UNPAUSE']);
    // PAUSE ALL holds every command, CLIENT UNPAUSE included, until it expires.
    await a.call(['CLIENT', 'PAUSE', '400']);
    b.send(['PING']);
    a.send(['CLIENT', 'UNPAUSE']);
    await b.quiet(150, 'PING waits during PAUSE ALL');
    await b.expect(1, 'PING after the pause expired', undefined, 2000);
    await a.expect(1, 'UNPAUSE after the pause expired', undefined, 2000);
    // A transaction queued before the pause waits as a whole at EXEC (a write inside MULTI
    // during the pause would itself wait, before being queued).
    await b.call(['MULTI']);
    await b.call(['INCR', 'k']);
    await a.call(['CLIENT', 'PAUSE', '100000', 'WRITE']);
    b.send(['EXEC']);
    await b.quiet(100, 'EXEC with a write waits');
    await a.call(['CLIENT', 'UNPAUSE']);
    await b.expect(1, 'EXEC after UNPAUSE');
    // Pausing again keeps the stricter type and the later end: WRITE then a short ALL is
    // an ALL pause until the WRITE pause's end.
    await a.call(['CLIENT', 'PAUSE', '300', 'WRITE']);
    await a.call(['CLIENT', 'PAUSE', '10', 'ALL']);
    await sleep(100);
    b.send(['GET', 'k']);
    await b.quiet(100, 'reads wait too');
    await b.expect(1, 'GET after the pause', undefined, 2000);
    s.expectClean();
  });

  it('client tracking: a script\'s writes count as its caller\'s (NOLOOP skips them; without it the push follows the reply)', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    await a.call(['HELLO', '3'], normIds);
    await a.call(['CLIENT', 'TRACKING', 'on', 'NOLOOP']);
    await a.call(['SET', 'tk1', '1']);
    await a.call(['GET', 'tk1']);
    await a.call(['EVAL', "return redis.call('set', KEYS[1], '2')", '1', 'tk1']);
    await a.call(['GET', 'tk1']);
    await a.quiet(100, 'no invalidation for the script run by the NOLOOP client itself');
    await a.call(['CLIENT', 'TRACKING', 'off']);
    await a.call(['CLIENT', 'TRACKING', 'on']);
    await a.call(['GET', 'tk1']);
    await a.raw(encodeCommand(['EVAL', "return redis.call('set', KEYS[1], '3')", '1', 'tk1']), 2, undefined, 'EVAL reply, then the invalidation push');
    await a.quiet(100);
    await a.call(['CLIENT', 'TRACKING', 'off']);
    s.expectClean();
  });

  it('client tracking: a blocked BLMOVE served later gets its reply, then the invalidation of the key it wrote', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const w = await s.connect('w');
    await w.call(['RPUSH', 'bt2', 'a']);
    await a.call(['HELLO', '3'], normIds);
    await a.call(['CLIENT', 'TRACKING', 'on']);
    await a.call(['LRANGE', 'bt2', '0', '-1']);
    a.send(['BLMOVE', 'bt1', 'bt2', 'LEFT', 'LEFT', '0']);
    await a.quiet(100, 'blocked');
    await w.call(['RPUSH', 'bt1', 'foo']);
    await a.expect(2, 'the moved element, then the push for bt2');
    // The pending invalidation went to the client that was served, not to the next caller.
    await w.call(['PING']);
    await a.call(['CLIENT', 'TRACKING', 'off']);
    await w.call(['DEL', 'bt1', 'bt2']);
    s.expectClean();
  });

  it('client tracking: INFO counts tracking clients, keys, items, prefixes; a lowered tracking-table-max-keys evicts on an idle server', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const b = await s.connect('b');
    const w = await s.connect('w');
    const info = (x: string) => (x.match(/tracking_\w+:\d+/g) ?? []).join(' ');
    // Which key survives is random in Redis (and so its item count): compare the rest.
    const infoNoItems = (x: string) => info(x).replace(/tracking_total_items:\d+ /, '');
    await a.call(['CLIENT', 'TRACKING', 'on']);
    await w.call(['MSET', 'tm1', '1', 'tm2', '2', 'tm3', '3']);
    await a.call(['MGET', 'tm1', 'tm2', 'tm3']);
    await b.call(['CLIENT', 'TRACKING', 'on']);
    await b.call(['GET', 'tm1']);
    await b.call(['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p:', 'PREFIX', 'q:']);
    await w.call(['INFO'], info);
    await w.call(['CONFIG', 'SET', 'tracking-table-max-keys', '1']);
    // No command from a tracking client follows: the cron does it.
    await new Promise((res) => setTimeout(res, 300));
    await w.call(['INFO'], infoNoItems);
    await w.call(['CONFIG', 'SET', 'tracking-table-max-keys', '1000000']);
    await a.call(['CLIENT', 'TRACKING', 'off']);
    await b.call(['CLIENT', 'TRACKING', 'off']);
    // Disabling tracking leaves the client's keys in the table (Redis cleans up lazily).
    await w.call(['INFO'], infoNoItems);
    await w.call(['DEL', 'tm1', 'tm2', 'tm3']);
    s.expectClean();
  });

  it('a KEYS reply past the normal class\'s hard output limit closes the client without a reply (the deferred-length reply counts whole)', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    await a.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 100000 0 0']);
    await a.call(['DEBUG', 'POPULATE', '1000', `obuf-${'-'.repeat(85)}`]);
    const b = await s.connect('b');
    b.send(['KEYS', '*']);
    await b.untilClosed(3000);
    await a.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0']);
    await a.call(['KEYS', 'obuf-*9'], (x) => String(x.length));
    await a.call(['FLUSHALL']);
    s.expectClean();
  });

  it('query buffer: a 400 KB argument leaves a buffer its size, which the clients cron trims while the client stays busy', async () => {
    const p = pair();
    const seen: string[][] = [];
    for (const c of [await p.real.client(), await p.ours.client()]) {
      const qbuf = async (): Promise<number> => {
        const line = await c.call('CLIENT', 'INFO');
        return Number(/qbuf=(\d+)/.exec(line)![1]) + Number(/qbuf-free=(\d+)/.exec(line)![1]);
      };
      await c.call('SET', 'qb', 'A'.repeat(400000));
      const big = await qbuf();
      let now = big;
      for (let i = 0; i < 150 && now >= big; i++) {
        await c.call('SET', 'qb', 'A'.repeat(100));
        now = await qbuf();
        await new Promise((r) => setTimeout(r, 10));
      }
      seen.push([big > 32768 ? 'big' : `small ${big}`, now > 0 && now < big ? 'trimmed' : `not trimmed ${now}`]);
      c.close();
    }
    expect(seen).toEqual([['big', 'trimmed'], ['big', 'trimmed']]);
  });

  it('client eviction: a client whose query buffer passes maxmemory-clients is closed, a NO-EVICT one is not', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    await a.call(['CONFIG', 'RESETSTAT']);
    await a.call(['CLIENT', 'NO-EVICT', 'on']);
    await a.call(['CONFIG', 'SET', 'maxmemory-clients', '1mb']);
    const b = await s.connect('b');
    await b.call(['SET', 'k', 'v']);
    // An argument still arriving: 1.5 MB of a 2 MB bulk string sits in the query buffer.
    await b.raw(`*1\r\n$2000000\r\n${'v'.repeat(1500000)}`, 0);
    await b.untilClosed(3000);
    await a.call(['INFO', 'stats'], (x) => /evicted_clients:\d+/.exec(x)![0]);
    await a.call(['GET', 'k']);
    await a.call(['CONFIG', 'SET', 'maxmemory-clients', '0']);
    s.expectClean();
  });

  it('client eviction: clients in one power-of-two memory bucket go in the order they joined it, not biggest first', async () => {
    const p = pair();
    const seen: string[][] = [];
    for (const srv of [p.real, p.ours]) {
      const control = await srv.client();
      await control.call('CLIENT', 'SETNAME', 'control');
      await control.call('CLIENT', 'NO-EVICT', 'on');
      await control.call('CONFIG', 'SET', 'maxmemory-clients', '0');
      // Two half-sent big arguments: the query buffer is allocated for the whole argument, so
      // A uses ~100 KB and B ~115 KB, both in the 64-128 KiB bucket. A connected first.
      const conns = [];
      for (const [name, len] of [['bucket-a', 70000], ['bucket-b', 90000]] as const) {
        const c = await srv.client();
        await c.call('CLIENT', 'SETNAME', name);
        c.write(`*2\r\n$${len}\r\n${'v'.repeat(1000)}`);
        conns.push(c);
      }
      let list = '';
      for (let i = 0; i < 100; i++) {
        list = await control.call('CLIENT', 'LIST');
        if (/name=bucket-b .*qbuf=1000 /.test(list) && /name=bucket-a .*qbuf=1000 /.test(list)) break;
        await sleep(10);
      }
      // The cron records the memory of the clients that may not be evicted (control) and
      // shrinks the idle reply buffers: let it, then measure.
      await sleep(250);
      list = await control.call('CLIENT', 'LIST');
      const total = [...list.matchAll(/tot-mem=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      // Room for all but ~30 KB: evicting one client is enough.
      await control.call('CONFIG', 'SET', 'maxmemory-clients', String(total - 30000));
      await sleep(100);
      const names = [...(await control.call('CLIENT', 'LIST')).matchAll(/name=(bucket-\w)/g)].map((m) => m[1]);
      seen.push(names);
      await control.call('CONFIG', 'SET', 'maxmemory-clients', '0');
      for (const c of conns) c.close();
      control.close();
    }
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[0]).toEqual(['bucket-b']);
  });

  it('a reply past the output buffer hard limit closes the client at once: the rest of its pipeline is not run', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    await a.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0']);
    await a.call(['SETRANGE', 'obk', String(2 * 1024 * 1024), 'v']);
    const b = await s.connect('b');
    await b.raw(encodeCommand(['GET', 'obk']) + encodeCommand(['SET', 'obk-after', '1']), 0);
    await b.untilClosed(3000);
    await a.call(['EXISTS', 'obk-after']);
    await a.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0']);
    await a.call(['DEL', 'obk', 'obk-after']);
    s.expectClean();
  });

  it('CLIENT LIST argv-mem counts the arguments of a command still arriving', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const b = await s.connect('b');
    await b.call(['CLIENT', 'SETNAME', 'halfway']);
    await b.raw(`*3\r\n$3\r\nSET\r\n$5\r\nkey12\r\n$10\r\nval`, 0);
    await new Promise((r) => setTimeout(r, 100));
    await a.call(['CLIENT', 'LIST'], (x) => /name=halfway .*?argv-mem=\d+/.exec(x)?.[0].replace(/^.*(argv-mem=\d+)$/, '$1') ?? 'none');
    s.expectClean();
  });

  it('client tracking: a script that reads makes its caller track the keys it declared; EVAL_RO itself tracks nothing', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const w = await s.connect('w');
    await a.call(['HELLO', '3'], normIds);
    await a.call(['CLIENT', 'TRACKING', 'on']);
    await a.call(['EVAL', "redis.call('set', 'st3', 'bar')", '2', 'st1', 'st2']);
    await w.call(['MSET', 'st2', '1', 'st1', '1']);
    await a.quiet(100, 'a script that only writes tracks nothing');
    await a.call(['EVAL', "redis.call('get', 'st3')", '2', 'st1', 'st2']);
    await w.call(['MSET', 'st2', '2', 'st1', '2', 'st3', '2']);
    await a.expect(2, 'invalidations of the declared keys only');
    await a.call(['EVAL_RO', "redis.call('ping')", '2', 'st1', 'st2']);
    await w.call(['MSET', 'st2', '3', 'st1', '3']);
    await a.quiet(100, 'EVAL_RO without reads tracks nothing');
    await a.call(['CLIENT', 'TRACKING', 'off']);
    s.expectClean();
  });

  it('MONITOR stream: formats, redaction, admin commands hidden, transactions', async () => {
    const s = new Session(pair());
    const m = await s.connect('monitor');
    const a = await s.connect('a');
    await m.call(['MONITOR']);
    // A second MONITOR is ignored without a reply; the monitor sees its own commands too.
    await m.raw('MONITOR\r\nPING\r\n', 2, normMonitor);
    await m.call(['GET', 'x']);
    await a.call(['SET', 'k', 'v\r\n"\\\x01\xff']);
    await m.expect(1, 'SET with escapes', normMonitor);
    await a.call(['SELECT', '2']);
    await m.expect(1, 'select', normMonitor);
    await a.call(['GET', 'k']);
    await m.expect(1, 'get in db 2', normMonitor);
    await a.call(['AUTH', 'secret']);
    await m.expect(1, 'auth redacted', normMonitor);
    await a.call(['AUTH', 'user', 'secret']);
    await m.expect(1, 'auth user redacted', normMonitor);
    await a.call(['HELLO', '2', 'AUTH', 'default', 'pw'], normIds);
    await m.expect(1, 'hello auth redacted', normMonitor);
    // MIGRATE's AUTH password and AUTH2 user and password (no such key: NOKEY without connecting).
    await a.call(['MIGRATE', '127.0.0.1', '1', 'nokey', '0', '5000', 'AUTH', 'pw']);
    await m.expect(1, 'migrate auth redacted', normMonitor);
    await a.call(['MIGRATE', '127.0.0.1', '1', 'nokey', '0', '5000', 'COPY', 'AUTH2', 'user', 'pw']);
    await m.expect(1, 'migrate auth2 redacted', normMonitor);
    await a.call(['HELLO', '2', 'SETNAME', 'n'], normIds);
    await m.expect(1, 'hello setname', normMonitor);
    await a.call(['CONFIG', 'GET', 'port'], (x) => x.replace(/\$\d+\r\n\d+\r\n$/, 'PORT'));
    await a.call(['CLIENT', 'LIST'], normClientInfoLoose);
    await a.call(['NOSUCH']);
    await a.call(['GET']);
    await a.call(['MULTI']);
    await m.expect(1, 'multi', normMonitor);
    await a.call(['SET', 'a', '1']);
    await a.call(['GET', 'a']);
    await a.call(['EXEC']);
    await m.expect(3, 'queued commands then exec', normMonitor);
    await a.call(['MULTI']);
    await m.expect(1, 'multi 2', normMonitor);
    await a.call(['NOSUCH']);
    await a.call(['EXEC']);
    await m.expect(1, 'exec of an aborted transaction', normMonitor);
    await a.call(['ECHO', '12345']);
    await m.expect(1, 'echo', normMonitor);
    await m.quiet(100);
    await m.call(['RESET']);
    await a.call(['PING']);
    await m.quiet(100, 'RESET ends MONITOR');
    s.expectClean();
  });
});

describeDifferential('idle timeout (differential)', (pair) => {
  it('closes idle normal clients but not subscribers, blocked or MONITOR clients', async () => {
    const s = new Session(pair());
    const a = await s.connect('admin');
    const idle = await s.connect('idle');
    const sub = await s.connect('sub');
    const mon = await s.connect('monitor');
    await a.call(['CONFIG', 'SET', 'timeout', '1']);
    await idle.call(['PING']);
    await sub.raw('SUBSCRIBE c\r\n', 1);
    await mon.call(['MONITOR']);
    await sleep(2600);
    await idle.untilClosed(2000, 'idle client closed');
    expect(idle.real.closed).toBe(true);
    await sub.call(['PING']);
    await a.call(['CONFIG', 'SET', 'timeout', '0']);
    await mon.drain('monitor saw', 50, normMonitor);
    s.expectClean();
  });
}, ['--hz', '100']);

describeDifferential('maxclients (differential)', (pair) => {
  it('refuses connections beyond maxclients with the Redis error', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    await a.call(['CONFIG', 'SET', 'maxclients', '3']);
    const b = await s.connect('b');
    await b.call(['PING']);
    const c = await s.connect('c');
    await c.call(['PING']);
    const d = await s.connect('d');
    await d.untilClosed(2000, 'refused');
    expect(d.real.closed).toBe(true);
    expect(d.real.pending()).toBe('-ERR max number of clients reached\r\n');
    await a.call(['CONFIG', 'SET', 'maxclients', '10000']);
    s.expectClean();
  });
});

describeDifferential('normal client output buffer limit (differential)', (pair) => {
  it('a reply over the hard limit closes the client, nothing is sent', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    await a.call(['SET', 'big', 'x'.repeat(300000)]);
    await a.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 100000 0 0']);
    const b = await s.connect('b');
    await b.call(['STRLEN', 'big']);
    await b.raw('GET big\r\n', 0);
    await b.untilClosed(2000, 'closed without the reply');
    expect(b.real.closed).toBe(true);
    expect(pair().ours.log.join('')).toMatch(/# Client id=\d+ addr=127\.0\.0\.1:\d+ laddr=\S+ fd=\d+ name= age=\d+ idle=\d+ flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ multi-mem=0 rbs=\d+ rbp=\d+ obl=\d+ oll=\d+ omem=\d+ tot-mem=\d+ events=r cmd=get user=default redir=-1 resp=2 scheduled to be closed ASAP for overcoming of output buffer limits\./);
    await a.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0']);
    s.expectClean();
  });
});

describeDifferential('a blocked command\'s stats (differential)', (pair) => {
  /**
   * What INFO and SLOWLOG say of BLPOP after it ended one way: its commandstats counts (not
   * the times), whether it has a latency histogram, its errorstats, and the slowlog entries it
   * left (every command is logged, slowlog-log-slower-than 0).
   */
  async function blpopStats(c: RawClient): Promise<string> {
    const info = (await c.call('INFO', 'everything')).split('\r\n');
    const stat = info.find((l) => l.startsWith('cmdstat_blpop:'))?.replace(/usec=\d+,usec_per_call=[\d.]+,/, '') ?? 'no cmdstat';
    const latency = info.some((l) => /^latency_percentiles_usec_blpop:p50=[\d.]+,p99=[\d.]+,p99\.9=[\d.]+$/.test(l));
    const errors = info.filter((l) => l.startsWith('errorstat_')).join(' ');
    const slowlog = (await c.call('SLOWLOG', 'GET', '100')).split('\r\n');
    // An entry for BLPOP, or one without arguments (CLIENT UNBLOCK logs the reset client).
    const logged = slowlog.filter((l) => l === 'blpop' || l === 'BLPOP').length;
    const noArgs = slowlog.filter((l) => l === '*0').length;
    return `${stat} latency=${latency} ${errors} slowlog=${logged}/${noArgs}`;
  }

  it('served, timed out, or ended by CLIENT UNBLOCK ERROR or TIMEOUT, counted as Redis 7.0 counts them', async () => {
    let realResults: string[] = [];
    for (const side of ['real', 'ours'] as const) {
      const p = pair();
      const srv = side === 'real' ? p.real : p.ours;
      const a = side === 'real' ? p.realClient : p.ourClient;
      const b = await srv.client();
      const bid = (await b.call('CLIENT', 'ID')).slice(1, -2);
      await a.call('CONFIG', 'SET', 'latency-tracking', 'yes');
      await a.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      const results: string[] = [];
      const fresh = async () => { await a.call('CONFIG', 'RESETSTAT'); await a.call('SLOWLOG', 'RESET'); await a.call('DEL', 'l'); };
      const blocked = async () => {
        for (let i = 0; i < 100 && !(await a.call('CLIENT', 'LIST', 'ID', bid)).includes('flags=b'); i++) await sleep(10);
      };
      // Served by a push.
      await fresh();
      b.write(encodeCommand(['BLPOP', 'l', '0']));
      await blocked();
      await a.call('LPUSH', 'l', 'x');
      await b.reply();
      results.push(await blpopStats(a));
      // Timed out.
      await fresh();
      expect(await b.call('BLPOP', 'l', '0.05')).toBe('*-1\r\n');
      results.push(await blpopStats(a));
      // CLIENT UNBLOCK ERROR and TIMEOUT.
      for (const how of ['ERROR', 'TIMEOUT']) {
        await fresh();
        b.write(encodeCommand(['BLPOP', 'l', '0']));
        await blocked();
        expect(await a.call('CLIENT', 'UNBLOCK', bid, how)).toBe(':1\r\n');
        await b.reply();
        results.push(await blpopStats(a));
      }
      b.close();
      if (side === 'real') realResults = results;
      else expect(results).toEqual(realResults);
    }
  });
});
