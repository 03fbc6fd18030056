/**
 * REPLICAOF, REPLCONF, PSYNC, SYNC, ROLE, WAIT and FAILOVER against real Redis 7.0.15: every
 * reply byte for byte, with each server in the same situation.
 */
import { it } from 'vitest';
import { describeDifferential, expectSame } from '../support/differential';
import { encodeCommand } from '../../src/engine/resp/reply-parser';
import { freePort } from '../support/ports';

const enc = (...argv: string[]) => encodeCommand(argv);

describeDifferential('replication commands (differential)', (pair) => {
  it('REPLCONF: options, values and error texts', () => expectSame(pair(), [
    ['REPLCONF'],
    ['REPLCONF', 'listening-port'],
    ['REPLCONF', 'listening-port', '6380'],
    ['REPLCONF', 'listening-port', 'abc'],
    ['REPLCONF', 'listening-port', '99999999999999999999'],
    ['REPLCONF', 'ip-address', '10.1.2.3'],
    ['REPLCONF', 'ip-address', 'x'.repeat(255)],
    ['REPLCONF', 'ip-address', 'x'.repeat(256)],
    ['REPLCONF', 'capa', 'eof', 'capa', 'psync2', 'capa', 'whatever'],
    ['REPLCONF', 'CAPA', 'EOF'],
    ['REPLCONF', 'rdb-only', '1'], ['REPLCONF', 'rdb-only', '0'], ['REPLCONF', 'rdb-only', '2'], ['REPLCONF', 'rdb-only', 'x'],
    ['REPLCONF', 'rdb-filter-only', ''], ['REPLCONF', 'rdb-filter-only', 'functions'], ['REPLCONF', 'rdb-filter-only', 'keys'],
    ['REPLCONF', 'rdb-filter-only', '"unbalanced'],
    ['REPLCONF', 'nosuch', '1'],
    ['REPLCONF', 'listening-port', '1', 'nosuch', '2'],
    ['REPLCONF', 'listening-port', '1', 'capa'],
    // ACK from a normal client and GETACK on a master: no reply at all.
    { raw: enc('REPLCONF', 'ack', '10') + enc('PING'), replies: 1 },
    { raw: enc('REPLCONF', 'ACK', 'abc') + enc('PING'), replies: 1 },
    { raw: enc('REPLCONF', 'getack', '*') + enc('PING'), replies: 1 },
    { raw: enc('REPLCONF', 'listening-port', '1', 'ack', '5') + enc('PING'), replies: 1 },
  ]));

  it('REPLICAOF / SLAVEOF: arguments, NO ONE on a master, already connected', async () => {
    const nowhere = String(await freePort());
    await expectSame(pair(), [
      ['REPLICAOF'], ['REPLICAOF', 'a'], ['SLAVEOF', 'a', 'b', 'c'],
      ['REPLICAOF', 'NO', 'ONE'], ['SLAVEOF', 'no', 'one'],
      ['REPLICAOF', '127.0.0.1', 'abc'], ['REPLICAOF', '127.0.0.1', '-1'], ['REPLICAOF', '127.0.0.1', '65536'], ['REPLICAOF', '127.0.0.1', '99999999999999999999999'],
      ['REPLICAOF', 'no', 'two'],
      ['REPLICAOF', '127.0.0.1', nowhere],
      ['REPLICAOF', '127.0.0.1', nowhere],
      ['SLAVEOF', '127.0.0.1', nowhere],
      ['SET', 'k', 'v'],
      ['CONFIG', 'SET', 'replica-read-only', 'no'], ['SET', 'k', 'v'], ['CONFIG', 'SET', 'replica-read-only', 'yes'],
      ['WAIT', '0', '0'],
      ['FAILOVER'],
      { cmd: ['ROLE'], compare: 'length' },
      ['CONFIG', 'SET', 'replica-serve-stale-data', 'no'], ['GET', 'k'], ['PING'], ['INFO', 'keyspace'],
      ['CONFIG', 'SET', 'replica-serve-stale-data', 'yes'], ['GET', 'k'],
      ['PSYNC', '?', '-1'], ['SYNC'],
      ['REPLICAOF', 'NO', 'ONE'],
      ['REPLICAOF', 'NO', 'ONE'],
      ['ROLE'],
    ]);
  });

  it('ROLE of a replica that cannot reach its master, state by state', async () => {
    const p = pair();
    const nowhere = String(await freePort());
    for (const c of [p.realClient, p.ourClient]) await c.call('REPLICAOF', '127.0.0.1', nowhere);
    // Each retries once a second and fails at once: between attempts both are in "connect".
    for (const c of [p.realClient, p.ourClient]) {
      const deadline = Date.now() + 5000;
      while (!(await c.call('ROLE')).includes('$7\r\nconnect\r\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    }
    await expectSame(p, [['ROLE']]);
    for (const c of [p.realClient, p.ourClient]) await c.call('REPLICAOF', 'NO', 'ONE');
  });

  it('PSYNC and SYNC argument errors; WAIT and FAILOVER without replicas', () => expectSame(pair(), [
    ['PSYNC'], ['PSYNC', 'x'], ['SYNC', 'x'],
    ['WAIT'], ['WAIT', '1'], ['WAIT', 'x', '0'], ['WAIT', '0', 'x'], ['WAIT', '0', '-1'], ['WAIT', '-5', '0'], ['WAIT', '0', '0'], ['WAIT', '1', '50'],
    ['FAILOVER', 'ABORT'], ['FAILOVER'], ['FAILOVER', 'TO'], ['FAILOVER', 'TO', 'h', 'p'], ['FAILOVER', 'TO', 'h', '1'],
    ['FAILOVER', 'TIMEOUT', '0'], ['FAILOVER', 'TIMEOUT', 'x'], ['FAILOVER', 'FORCE'], ['FAILOVER', 'FORCE', 'FORCE'], ['FAILOVER', 'x'],
  ]));
});

