import { it, expect } from 'vitest';
import { describeDifferential, expectSame } from '../support/differential';
import { Session } from '../support/dual';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const normIds = (x: string) => x.replace(/\$2\r\nid\r\n:\d+\r\n/, '$2\r\nid\r\n:N\r\n');

describeDifferential('protocol (differential)', (pair) => {
  it('inline commands: quoting, escapes, blank lines, line endings', async () => {
    const s = new Session(pair());
    const a = await s.connect();
    await a.raw('PING\r\n');
    await a.raw('PING\n');
    await a.raw('\r\n\n   \r\nPING\r\n');
    await a.raw('  ECHO   "hello world"  \r\n');
    await a.raw('ECHO "a\\x41\\x4a\\x4G\\n\\r\\t\\b\\a\\"\\\\\\q"\r\n');
    await a.raw("ECHO 'it\\'s \"fine\"'\r\n");
    await a.raw("ECHO 'a\\nb'\r\n");
    await a.raw('ECHO ""\r\n');
    await a.raw("ECHO ''\r\n");
    await a.raw('SET k "v 1"\tEX\t100\r\nGET k\r\nTTL k\r\n', 3);
    await a.raw('ECHO a"b"\r\n');
    await a.raw('ECHO \xff\xfe\r\n');
    await a.raw('set inl "\\x00\\x01"\r\nstrlen inl\r\n', 2);
    await a.raw('PING\rPING\r\n');
    s.expectClean();
  });

  it('unbalanced quotes close the connection after the error', async () => {
    for (const line of ['ECHO "abc\r\n', "ECHO 'abc\r\n", 'ECHO "a"b\r\n', "ECHO 'a'b\r\n", 'SET "a\r\nPING\r\n']) {
      const s = new Session(pair());
      const a = await s.connect();
      await a.raw(`PING\r\n${line}`, 2);
      await a.untilClosed(1000);
      s.expectClean();
    }
  });

  it('pipelines: many commands in one write, and split at every byte boundary', async () => {
    const s = new Session(pair());
    const a = await s.connect();
    const pipeline = '*3\r\n$3\r\nSET\r\n$1\r\np\r\n$5\r\nhello\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\np\r\n*1\r\n$4\r\nPING\r\nECHO "x y"\r\n\r\n*0\r\n*-1\r\n*2\r\n$6\r\nAPPEND\r\n$1\r\np\r\n';
    await a.raw(pipeline.repeat(20), 120);
    for (let cut = 1; cut < pipeline.length; cut++) {
      a.real.write(pipeline.slice(0, cut)); a.ours.write(pipeline.slice(0, cut));
      await sleep(2);
      await a.raw(pipeline.slice(cut), 6, undefined, `pipeline cut at ${cut}`);
    }
    // Byte by byte.
    for (const ch of pipeline.slice(0, -1)) { a.real.write(ch); a.ours.write(ch); await sleep(1); }
    await a.raw(pipeline.slice(-1), 6, undefined, 'pipeline byte by byte');
    s.expectClean();
  });

  it('big arguments', async () => {
    const s = new Session(pair());
    const a = await s.connect();
    for (const n of [16383, 16384, 16385, 32767, 32768, 32769, 65535, 65536, 1_000_000, 5_000_000]) {
      const v = 'v'.repeat(n);
      await a.call(['SET', `big${n}`, v]);
      await a.call(['STRLEN', `big${n}`]);
    }
    const v = 'x'.repeat(2_000_000);
    // Sent in pieces with pauses, like a slow client.
    const req = `*3\r\n$3\r\nSET\r\n$3\r\nbgx\r\n$${v.length}\r\n${v}\r\n`;
    for (let i = 0; i < req.length; i += 300_000) { a.real.write(req.slice(i, i + 300_000)); a.ours.write(req.slice(i, i + 300_000)); await sleep(5); }
    await a.expect(1, 'slow big SET');
    await a.call(['GET', 'bgx']);
    await a.call(['CONFIG', 'SET', 'proto-max-bulk-len', '1048576']);
    await a.call(['SET', 'x', 'y'.repeat(1048576)]);
    await a.raw('*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1048577\r\n', 1);
    await a.untilClosed(1000);
    const b = await s.connect();
    await b.call(['CONFIG', 'SET', 'proto-max-bulk-len', '536870912']);
    s.expectClean();
  });

  it('protocol errors: reply, then close', async () => {
    const cases: string[] = [
      '*abc\r\n', '*1x\r\n', '* 1\r\n', '*+1\r\n', '*01\r\n', '*2147483648\r\n', '*99999999999999999999\r\n',
      '*1\r\n$x\r\n', '*1\r\n$-1\r\n', '*1\r\n$+3\r\nfoo\r\n', '*1\r\n$03\r\nfoo\r\n', '*1\r\nfoo\r\n', '*1\r\n\r\n',
      '*2\r\n$4\r\nECHO\r\n:5\r\n', '*1\r\n$ 4\r\nPING\r\n', '*1\r\n$9999999999999\r\n', '*1\r\n$4294967296\r\n',
      '*1\r\n$536870913\r\n', '*1\r\n$\r\n',
      'x'.repeat(70 * 1024), '*' + '1'.repeat(70 * 1024), '*1\r\n$' + '1'.repeat(70 * 1024),
      'PING\r\n*1\r\n$4\r\nPING\r\n*z\r\nPING\r\n',
    ];
    for (const c of cases) {
      const s = new Session(pair());
      const a = await s.connect();
      a.real.write(c); a.ours.write(c);
      await a.untilClosed(1500, `bytes until close for ${JSON.stringify(c.slice(0, 60))}`);
      expect(a.real.closed, JSON.stringify(c.slice(0, 60))).toBe(true);
      s.expectClean();
    }
  });

  it('harmless oddities: empty multibulk, negative counts, missing CRLF after a bulk', async () => {
    const s = new Session(pair());
    const a = await s.connect();
    await a.raw('*0\r\n*-1\r\n*-100\r\nPING\r\n', 1);
    await a.raw('*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n', 2);
    await a.raw('*2\r\n$4\r\nECHO\r\n$0\r\n\r\n', 1);
    await a.raw('*1\r\n$4\r\nPING\r\n\r\n\r\n', 1);
    await a.raw('*3\r\n$3\r\nSET\r\n$2\r\nk\0\r\n$3\r\na\0b\r\n*2\r\n$3\r\nGET\r\n$2\r\nk\0\r\n', 2);
    s.expectClean();
  });

  it('HTTP cross-protocol guard closes the connection silently', async () => {
    for (const req of ['POST / HTTP/1.1\r\nHost: x\r\n\r\n', 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n', 'host: x\r\n', '*1\r\n$4\r\npOsT\r\n']) {
      const s = new Session(pair());
      const a = await s.connect();
      a.real.write(req); a.ours.write(req);
      await a.untilClosed(1500, `after ${JSON.stringify(req)}`);
      s.expectClean();
    }
  });

  it('QUIT closes after its reply and ignores what follows', async () => {
    const s = new Session(pair());
    const a = await s.connect();
    await a.raw('PING\r\nQUIT\r\nPING\r\nSET q 1\r\n', 2);
    await a.untilClosed(1000);
    const b = await s.connect();
    await b.call(['EXISTS', 'q']);
    await b.call(['QUIT', 'extra', 'args']);
    await b.untilClosed(1000);
    s.expectClean();
  });

  it('unknown command and subcommand texts, arity texts', () => expectSame(pair(), [
    ['NOSUCH'], ['nosuch', 'a', 'b'], ['NoSuch', 'x'.repeat(200)], ['X'.repeat(300), 'y'],
    ['nosuch', 'a'.repeat(100), 'b'.repeat(100), 'c'], ['nosuch', 'a\r\nb', 'c\nd'], ['nosuch\r\nx'], ['nosu\0ch', 'a\0b'],
    ['nosuch', ...Array.from({ length: 40 }, (_, i) => `arg${i}`)], ['nosuch', ''], ['', ''], [''],
    ['CONFIG', 'NOSUCH'], ['config', 'nosuch', 'x'], ['CONFIG', 'x'.repeat(200)], ['CONFIG', 'a\0b'], ['CLIENT', 'nosub\r\n'], ['OBJECT', 'NOSUCH'],
    ['config|get', 'port'], ['CONFIG|GET'],
    ['GET'], ['get', 'a', 'b'], ['SET', 'a'], ['CONFIG', 'GET'], ['config', 'set', 'x'], ['CLIENT', 'KILL'], ['OBJECT', 'ENCODING'],
    ['CLIENT'], ['CONFIG'], ['PING', 'a', 'b'], ['ECHO'], ['SELECT'], ['EXEC', 'x'], ['WATCH'], ['PUBLISH', 'a'], ['PUBSUB'],
  ]));

  it('RESP3: HELLO, maps, sets, nulls, verbatim strings, pushes', async () => {
    const s = new Session(pair());
    const a = await s.connect();
    await a.call(['HELLO'], normIds);
    await a.call(['HELLO', '3'], normIds);
    await a.call(['GET', 'nosuchkey']);
    await a.call(['MGET', 'nosuchkey', 'x']);
    await a.call(['CONFIG', 'GET', 'maxclients']);
    await a.call(['CLIENT', 'TRACKINGINFO']);
    await a.call(['INCRBYFLOAT', 'f', '1.5']);
    await a.call(['EXISTS', 'f']);
    await a.call(['CLIENT', 'GETNAME']);
    await a.call(['MULTI']); await a.call(['GET', 'nokey']); await a.call(['EXEC']);
    await a.call(['SUBSCRIBE', 'c']);
    await a.call(['UNSUBSCRIBE']);
    await a.call(['UNSUBSCRIBE']);
    await a.call(['PING']);
    await a.call(['HELLO', '2'], normIds);
    await a.call(['GET', 'nosuchkey']);
    await a.call(['HELLO', '1']); await a.call(['HELLO', '4']); await a.call(['HELLO', 'x']); await a.call(['HELLO', '-1']);
    await a.call(['HELLO', '3', 'FOO']); await a.call(['HELLO', '3', 'AUTH', 'a']); await a.call(['HELLO', '3', 'SETNAME']);
    await a.call(['HELLO', '3', 'SETNAME', 'bad name']); await a.call(['CLIENT', 'GETNAME']);
    await a.call(['HELLO', '3', 'SETNAME', 'good', 'SETNAME', 'better'], normIds); await a.call(['CLIENT', 'GETNAME']);
    await a.call(['HELLO', '3', 'AUTH', 'default', 'anything'], normIds);
    await a.call(['HELLO', '3', 'AUTH', 'nobody', 'x']);
    await a.call(['RESET']);
    await a.call(['CLIENT', 'GETNAME']);
    await a.call(['GET', 'nosuchkey']);
    s.expectClean();
  });
});

describeDifferential('protocol with requirepass (differential)', (pair) => {
  it('NOAUTH, WRONGPASS, unauthenticated request size limits', async () => {
    const s = new Session(pair());
    const a = await s.connect();
    await a.call(['GET', 'x']);
    await a.call(['PING']);
    await a.call(['NOSUCH']);
    await a.call(['GET']);
    await a.call(['MULTI']);
    await a.call(['EXEC']);
    await a.call(['QUIT', 'x', 'y']);
    await a.untilClosed(1000);
    const b = await s.connect();
    await b.call(['AUTH', 'wrong']);
    await b.call(['AUTH', 'default', 'wrong']);
    await b.call(['AUTH', 'nouser', 'sekret']);
    await b.call(['AUTH', 'a', 'b', 'c']);
    await b.call(['HELLO', '3']);
    await b.call(['HELLO', '3', 'AUTH', 'default', 'wrong']);
    await b.call(['HELLO', '3', 'SETNAME', 'x']);
    await b.call(['CLIENT', 'GETNAME']);
    await b.call(['HELLO', '3', 'AUTH', 'default', 'sekret', 'SETNAME', 'y'], (x) => x.replace(/:\d+\r\n\$4\r\nmode/, ':ID\r\n$4\r\nmode'));
    await b.call(['CLIENT', 'GETNAME']);
    await b.call(['RESET']);
    await b.call(['GET', 'x']);
    await b.call(['AUTH', 'sekret']);
    await b.call(['GET', 'x']);
    // Inline requests have no special limit; multibulk ones do until AUTH.
    const c = await s.connect();
    await c.raw(`PING${' a'.repeat(20)}\r\n`);
    await c.raw(`*1\r\n$16384\r\n${'x'.repeat(16384)}\r\n`);
    await c.raw(`*10\r\n${'$1\r\nx\r\n'.repeat(10)}`);
    await c.raw('*11\r\n', 1);
    await c.untilClosed(1000);
    const d = await s.connect();
    await d.raw('*1\r\n$16385\r\n', 1);
    await d.untilClosed(1000);
    const e = await s.connect();
    await e.call(['AUTH', 'sekret']);
    await e.raw(`*11\r\n${'$1\r\nx\r\n'.repeat(11)}`);
    await e.raw(`*2\r\n$4\r\nECHO\r\n$20000\r\n${'x'.repeat(20000)}\r\n`);
    s.expectClean();
  });
}, ['--requirepass', 'sekret']);
