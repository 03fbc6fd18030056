import { it } from 'vitest';
import { describeDifferential, expectSame } from '../support/differential';
import { Session } from '../support/dual';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeDifferential('transactions (differential)', (pair) => {
  it('MULTI/EXEC/DISCARD basics and misuse', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['EXEC'], ['DISCARD'], ['UNWATCH'],
    ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['GET', 'a'], ['EXEC'],
    ['MULTI'], ['EXEC'],
    ['MULTI'], ['SET', 'a', '5'], ['DISCARD'], ['GET', 'a'], ['EXEC'],
    ['MULTI'], ['MULTI'], ['SET', 'n', 'x'], ['EXEC'],
    ['MULTI'], ['WATCH', 'a'], ['GET', 'a'], ['EXEC'],
    ['MULTI'], ['PING'], ['ECHO', 'hi'], ['SELECT', '1'], ['SET', 'in1', 'v'], ['SELECT', '0'], ['EXEC'], ['EXISTS', 'in1'],
    ['MULTI'], ['EXEC', 'extra'], ['EXEC'],
    ['MULTI'], ['DISCARD', 'x'], ['DISCARD'],
    ['MULTI', 'x'], ['WATCH'], ['UNWATCH', 'x'],
  ]));

  it('queued errors abort with EXECABORT, run-time errors do not', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['MULTI'], ['SET', 'a', '1'], ['NOSUCHCMD', 'x'], ['SET', 'b', '2'], ['EXEC'], ['EXISTS', 'a', 'b'],
    ['MULTI'], ['SET', 'a'], ['EXEC'],
    ['MULTI'], ['CONFIG', 'NOSUCH'], ['EXEC'],
    ['MULTI'], ['GET'], ['GET', 'a'], ['EXEC'],
    ['SET', 's', 'str'],
    ['MULTI'], ['INCR', 's'], ['SET', 'c', '1'], ['INCR', 'c'], ['EXPIRE', 's', 'abc'], ['GET', 'c'], ['EXEC'],
    ['MULTI'], ['SET', 'x', '1', 'EX', '0'], ['SET', 'y', '1'], ['EXEC'],
    ['MULTI'], ['SELECT', '99'], ['GET', 'y'], ['EXEC'],
    ['MULTI'], ['NOSUCH'], ['NOSUCH'], ['DISCARD'], ['EXEC'],
    { raw: 'MULTI\r\nSET a\r\nFOO\r\nEXEC\r\n', replies: 4 },
  ]));

  it('WATCH and CAS failures across connections', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const b = await s.connect('b');
    await a.call(['FLUSHALL']);
    // Untouched watched key: EXEC runs.
    await a.call(['SET', 'k', '1']); await a.call(['WATCH', 'k']); await a.call(['MULTI']); await a.call(['INCR', 'k']); await a.call(['EXEC']);
    // Touched by another connection: null array.
    await a.call(['WATCH', 'k']); await b.call(['SET', 'k', '2']); await a.call(['MULTI']); await a.call(['INCR', 'k']); await a.call(['EXEC']);
    await a.call(['GET', 'k']);
    // 1 of 5 watched keys touched; the touch is a no-op write (same value) — still a touch.
    await a.call(['WATCH', 'x1', 'x2', 'k', 'x3', 'x4']); await b.call(['SET', 'k', '2']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    // After EXEC (successful or not) keys are no longer watched.
    await a.call(['WATCH', 'k']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await b.call(['SET', 'k', '3']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    // UNWATCH clears both the watches and the dirty flag.
    await a.call(['WATCH', 'k']); await b.call(['SET', 'k', '4']); await a.call(['UNWATCH']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    // Touched by the watcher itself before MULTI.
    await a.call(['WATCH', 'k']); await a.call(['SET', 'k', '5']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    // DEL, EXPIRE, RENAME, missing keys created, failed writes that change nothing.
    await a.call(['WATCH', 'k']); await b.call(['DEL', 'k']); await a.call(['MULTI']); await a.call(['EXEC']);
    await a.call(['WATCH', 'nokey']); await b.call(['SET', 'nokey', 'v']); await a.call(['MULTI']); await a.call(['EXEC']);
    await a.call(['WATCH', 'nokey2']); await b.call(['DEL', 'nokey2']); await a.call(['MULTI']); await a.call(['EXEC']);
    await b.call(['SET', 'e', '1']); await a.call(['WATCH', 'e']); await b.call(['EXPIRE', 'e', '100']); await a.call(['MULTI']); await a.call(['EXEC']);
    await b.call(['SET', 'r1', '1']); await a.call(['WATCH', 'r2']); await b.call(['RENAME', 'r1', 'r2']); await a.call(['MULTI']); await a.call(['EXEC']);
    await b.call(['SET', 'i', 'notint']); await a.call(['WATCH', 'i']); await b.call(['INCR', 'i']); await a.call(['MULTI']); await a.call(['EXEC']);
    // WATCH after the client is dirty, DISCARD clears the dirty flag and the watches.
    await a.call(['WATCH', 'k']); await b.call(['SET', 'k', '6']); await a.call(['WATCH', 'other']); await a.call(['MULTI']); await a.call(['DISCARD']);
    await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['WATCH', 'k']); await a.call(['MULTI']); await a.call(['DISCARD']); await b.call(['SET', 'k', '7']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    // Watched keys remember their db.
    await a.call(['SELECT', '1']); await a.call(['WATCH', 'k']); await b.call(['SET', 'k', '8']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['WATCH', 'k']); await b.call(['SELECT', '1']); await b.call(['SET', 'k', '9']); await b.call(['SELECT', '0']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['SELECT', '0']);
    // RESP3: the CAS failure is a null.
    await a.call(['HELLO', '3']);
    await a.call(['WATCH', 'k']); await b.call(['SET', 'k', '10']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['MULTI']); await a.call(['GET', 'k']); await a.call(['NOSUCH']); await a.call(['EXEC']);
    s.expectClean();
  });

  it('WATCH with expiring keys, FLUSHALL, FLUSHDB and SWAPDB', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const b = await s.connect('b');
    const activeExpire = (on: boolean) => a.call(['DEBUG', 'SET-ACTIVE-EXPIRE', on ? '1' : '0']);
    await a.call(['FLUSHALL']);
    // A key that expires between WATCH and EXEC fails the transaction.
    await a.call(['SET', 'x', 'foo', 'PX', '60']); await a.call(['WATCH', 'x']); await sleep(150);
    await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    // An already-expired (stale) key does not fail EXEC, even when deleted meanwhile.
    await activeExpire(false);
    await a.call(['SET', 'x', 'foo', 'PX', '1']); await sleep(20);
    await a.call(['WATCH', 'x']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['SET', 'x', 'foo', 'PX', '1']); await sleep(20);
    await a.call(['WATCH', 'x']); await b.call(['DEL', 'x']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['SET', 'x', 'foo', 'PX', '1']); await sleep(20);
    await a.call(['WATCH', 'x']); await b.call(['FLUSHDB']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    // A stale key read (lazily expired) by another client, then recreated.
    await a.call(['SET', 'x', 'foo', 'PX', '1']); await sleep(20);
    await a.call(['WATCH', 'x']); await b.call(['GET', 'x']); await b.call(['SET', 'x', 'new']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await activeExpire(true);
    // FLUSHALL / FLUSHDB touch existing watched keys only.
    await a.call(['SET', 'x', '1']); await a.call(['WATCH', 'x']); await b.call(['FLUSHALL']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['WATCH', 'x']); await b.call(['FLUSHALL']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['SET', 'x', '1']); await a.call(['WATCH', 'x']); await b.call(['FLUSHDB']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['SET', 'x', '1']); await a.call(['WATCH', 'x']); await b.call(['SELECT', '5']); await b.call(['FLUSHDB']); await b.call(['SELECT', '0']);
    await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    // SWAPDB: touches watched keys existing in either db.
    await a.call(['FLUSHALL']); await a.call(['SET', 'x', '1']); await a.call(['WATCH', 'x']); await b.call(['SWAPDB', '0', '1']);
    await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['FLUSHALL']); await a.call(['SELECT', '1']); await a.call(['SET', 'x', '1']); await a.call(['SELECT', '0']);
    await a.call(['WATCH', 'x']); await b.call(['SWAPDB', '0', '1']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['FLUSHALL']); await a.call(['WATCH', 'x']); await b.call(['SWAPDB', '0', '1']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    // SWAPDB with stale keys.
    await activeExpire(false);
    await a.call(['FLUSHALL']); await a.call(['SET', 'x', 'foo', 'PX', '1']); await sleep(20);
    await a.call(['WATCH', 'x']); await b.call(['SWAPDB', '0', '1']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['FLUSHALL']); await a.call(['SELECT', '1']); await a.call(['SET', 'x', 'foo', 'PX', '1']); await a.call(['SELECT', '0']); await sleep(20);
    await a.call(['WATCH', 'x']); await b.call(['SWAPDB', '0', '1']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await a.call(['FLUSHALL']); await a.call(['SET', 'x', 'foo', 'PX', '1']); await a.call(['SELECT', '1']); await a.call(['SET', 'x', 'bar', 'PX', '1']); await a.call(['SELECT', '0']); await sleep(20);
    await a.call(['WATCH', 'x']); await b.call(['SWAPDB', '0', '1']); await a.call(['MULTI']); await a.call(['PING']); await a.call(['EXEC']);
    await activeExpire(true);
    s.expectClean();
  });

  it('what runs immediately inside MULTI, and pub/sub, MONITOR, QUIT, RESET in a transaction', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    // (one channel: UNSUBSCRIBE without arguments walks a hash table, in random order)
    await a.raw('MULTI\r\nSUBSCRIBE ch1 ch1\r\nPING\r\nEXEC\r\nPING\r\nUNSUBSCRIBE\r\n', 7);
    await a.raw('MULTI\r\nMONITOR\r\nEXEC\r\n', 3);
    await a.raw('MULTI\r\nSET q 1\r\nRESET\r\nEXEC\r\nGET q\r\n', 5);
    // EXEC's array header goes out but the replies it counts are silenced: the next two replies fill it.
    await a.raw('MULTI\r\nCLIENT REPLY OFF\r\nSET q 2\r\nEXEC\r\nCLIENT REPLY ON\r\nGET q\r\n', 4);
    await a.raw('MULTI\r\nSET q 3\r\nQUIT\r\n', 3);
    await a.untilClosed();
    const b = await s.connect('b');
    await b.raw('WATCH q\r\nMULTI\r\nHELLO 3\r\nEXEC\r\n', 4);
    await b.raw('MULTI\r\nHELLO 2\r\nPING\r\nEXEC\r\n', 4);
    s.expectClean();
  });
});

describeDifferential('maxmemory and transactions (differential)', (pair) => {
  it('OOM refuses queueing but never DISCARD or a read-only EXEC', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    await a.call(['SET', 'x', 'y']);
    await a.call(['MULTI']); await a.call(['GET', 'x']);
    await a.call(['CONFIG', 'SET', 'maxmemory', '1']);
    await a.call(['EXEC']);
    await a.call(['MULTI']); await a.call(['SET', 'x', '1']); await a.call(['GET', 'x']); await a.call(['DISCARD']);
    await a.call(['SET', 'z', '1']); await a.call(['GET', 'x']); await a.call(['PING']);
    await a.call(['CONFIG', 'SET', 'maxmemory', '0']);
    await a.call(['MULTI']); await a.call(['SET', 'x', '1']); await a.call(['CONFIG', 'SET', 'maxmemory', '1']); await a.call(['EXEC']);
    await a.call(['CONFIG', 'SET', 'maxmemory', '0']);
    s.expectClean();
  });
});
