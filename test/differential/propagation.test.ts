import { it } from 'vitest';
import { describeDifferential } from '../support/differential';
import { Session } from '../support/dual';
import { expectSameStream } from '../support/propagation';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What MULTI/EXEC (and PUBLISH, and lazily expired keys) send to replicas, compared with a
 * real SYNC replica of real Redis. Each case ends with a marker write so we know the real
 * stream is complete.
 */
describeDifferential('propagation of transactions (differential)', (pair) => {
  const streamOf = (body: (s: Session) => Promise<void>) => expectSameStream(pair(), body, (x) => x.replace(/ PXAT \d+/, ' PXAT <ms>'));

  it('single write in MULTI is not wrapped', () => streamOf(async (s) => {
    const a = await s.connect();
    await a.call(['MULTI']); await a.call(['SET', 'foo', 'bar']); await a.call(['EXEC']);
    await a.call(['SET', 'foo2', 'bar']);
  }));

  it('several writes are wrapped in MULTI/EXEC, reads are dropped', () => streamOf(async (s) => {
    const a = await s.connect();
    await a.call(['MULTI']);
    await a.call(['SET', 'foo', 'bar']); await a.call(['GET', 'foo']);
    await a.call(['SET', 'foo2', 'bar2']); await a.call(['GET', 'foo2']);
    await a.call(['INCR', 'n']); await a.call(['EXEC']);
  }));

  it('SELECT inside the transaction', () => streamOf(async (s) => {
    const a = await s.connect();
    await a.call(['MULTI']);
    await a.call(['SELECT', '1']); await a.call(['SET', 'foo', 'bar']);
    await a.call(['SELECT', '2']); await a.call(['SET', 'foo2', 'bar2']);
    await a.call(['SELECT', '3']); await a.call(['SET', 'foo3', 'bar3']);
    await a.call(['EXEC']);
    await a.call(['SELECT', '0']);
  }));

  it('empty, read-only, no-effect, aborted and CAS-failed transactions propagate nothing', () => streamOf(async (s) => {
    const a = await s.connect('a');
    const b = await s.connect('b');
    await a.call(['MULTI']); await a.call(['EXEC']);
    await a.call(['MULTI']); await a.call(['GET', 'foo']); await a.call(['EXISTS', 'foo']); await a.call(['EXEC']);
    await a.call(['MULTI']); await a.call(['DEL', 'nokey']); await a.call(['EXEC']);
    await a.call(['MULTI']); await a.call(['SET', 'x', '1']); await a.call(['NOSUCH']); await a.call(['EXEC']);
    await a.call(['MULTI']); await a.call(['SET', 'x', '1']); await a.call(['DISCARD']);
    await a.call(['WATCH', 'w']); await b.call(['SET', 'w', '1']); await a.call(['MULTI']); await a.call(['SET', 'x', '1']); await a.call(['SET', 'y', '1']); await a.call(['EXEC']);
    await a.call(['INCR', 'foo']);
  }));

  it('PUBLISH is propagated, alone or in a transaction', () => streamOf(async (s) => {
    const a = await s.connect();
    await a.call(['PUBLISH', 'ch', 'hello']);
    await a.call(['MULTI']); await a.call(['PUBLISH', 'bla', 'bla']); await a.call(['EXEC']);
    await a.call(['MULTI']); await a.call(['SET', 'k', 'v']); await a.call(['PUBLISH', 'bla', 'bla2']); await a.call(['EXEC']);
  }));

  it('a failing command inside EXEC does not stop the others being propagated', () => streamOf(async (s) => {
    const a = await s.connect();
    await a.call(['SET', 's', 'str']);
    await a.call(['MULTI']); await a.call(['SET', 'a', '1']); await a.call(['INCR', 's']); await a.call(['SET', 'b', '2']); await a.call(['EXEC']);
  }));

  it('lazily expired keys are deleted in the same transaction as the command that found them', () => streamOf(async (s) => {
    const a = await s.connect();
    // No active expiry, so only our commands find the keys expired.
    await a.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    await a.call(['SET', 'e1', 'v', 'PX', '1']);
    await a.call(['SET', 'e2', 'v', 'PX', '1']);
    await sleep(20);
    await a.call(['SET', 'e1', 'new']);
    await a.call(['MULTI']); await a.call(['GET', 'e2']); await a.call(['SET', 'z', '1']); await a.call(['EXEC']);
    await a.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
  }));
});
