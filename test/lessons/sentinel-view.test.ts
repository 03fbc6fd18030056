/**
 * A sentinel seen by the lessons' view (src/lessons/sim-adapter.ts over src/engine/inspect.ts):
 * `info(a, "sentinel")` must read the sentinel section a client's INFO shows, since
 * `master_of()` and the load generator's lost-write accounting are built on it.
 */
import { describe, expect, it } from 'vitest';
import { simWorldFactory } from '../../src/lessons/sim-adapter';
import type { HostSpec, WorldSpec } from '../../src/lessons/world-view';
import { evaluateCheck } from '../../src/lessons/check';
import { parseSingleCheck } from '../../src/lessons/check/parser';
import { typecheckCheck } from '../../src/lessons/check/typecheck';
import type { WorldDriver } from '../../src/lessons/world-view';

function truth(d: WorldDriver, text: string): boolean | 'unknown' {
  const { check, errors } = parseSingleCheck(text);
  expect(errors).toEqual([]);
  expect(typecheckCheck(check!, { hosts: d.view.hosts().map((h) => ({ name: h.name, ips: h.ips })), hasLoadgen: true })).toEqual([]);
  return evaluateCheck(check!, { view: d.view, stepStartMs: 0 }).truth;
}

const CONF = 'port 6379\nprotected-mode no\nsave ""\nlogfile /var/log/redis.log\ndir /var/redis\n';
const SENTINEL = 'port 26379\nsentinel monitor mymaster 10.0.0.1 6379 1\nsentinel down-after-milliseconds mymaster 1000\n';

function host(name: string, ip: string, conf: string): HostSpec {
  return {
    name, ips: [ip], disk: 'ssd', dirs: ['/var/redis'],
    files: { '/etc/redis/6379.conf': conf, '/etc/redis/sentinel.conf': SENTINEL },
    boot: ['redis-server /etc/redis/6379.conf', 'redis-sentinel /etc/redis/sentinel.conf'],
  };
}

describe('lessons view of a sentinel', () => {
  it('INFO sentinel fields, the same text a client reads', async () => {
    const spec: WorldSpec = {
      hosts: [host('cache01', '10.0.0.1', CONF), host('cache02', '10.0.0.2', `${CONF}replicaof 10.0.0.1 6379\n`)],
      network: { latencyMs: 1, bandwidthBytesPerSec: null }, faults: [], loadgen: null,
    };
    const d = await simWorldFactory(spec, 7);
    const master0 = () => d.view.redis('cache02', 26379)?.info('sentinel').master0 ?? '';
    expect(await d.waitUntil(() => master0().includes('sentinels=2'), 10_000)).toBe(true);
    expect(master0()).toBe('name=mymaster,status=ok,address=10.0.0.1:6379,slaves=1,sentinels=2');
    expect(d.view.redis('cache02', 26379)?.role()).toBe('sentinel');
    // The sentinel's INFO has no replication section; a server's has no sentinel section.
    expect(d.view.redis('cache02', 26379)?.info('replication')).toEqual({});
    expect(d.view.redis('cache02', 6379)?.info('sentinel')).toEqual({});
    const typed = await d.type('cache01', 'redis-cli -p 26379 INFO sentinel', 5000);
    expect(typed.output).toContain(`master0:${master0()}`);
    d.dispose();
  }, 30_000);

  it('sentinel events are lesson events, with the text Redis logs after the name, in time order', async () => {
    const spec: WorldSpec = {
      hosts: [host('cache01', '10.0.0.1', CONF), host('cache02', '10.0.0.2', `${CONF}replicaof 10.0.0.1 6379\n`)],
      network: { latencyMs: 1, bandwidthBytesPerSec: null }, faults: [], loadgen: null,
    };
    const d = await simWorldFactory(spec, 7);
    const sentinels = () => d.view.redis('cache02', 26379)?.info('sentinel').master0 ?? '';
    expect(await d.waitUntil(() => sentinels().includes('slaves=1,sentinels=2'), 10_000)).toBe(true);
    expect(d.view.trace().some((e) => e.kind === '+monitor' && e.host === 'cache02' && e.port === 26379)).toBe(true);
    await d.type('cache01', 'pkill -9 redis-server', 5000);
    const switched = () => d.view.trace().find((e) => e.kind === '+switch-master' && e.host === 'cache02');
    expect(await d.waitUntil(() => switched() !== undefined, 30_000)).toBe(true);
    expect(switched()!.text).toBe('mymaster 10.0.0.1 6379 10.0.0.2 6379');
    const trace = d.view.trace();
    for (let i = 1; i < trace.length; i++) expect(trace[i].atMs).toBeGreaterThanOrEqual(trace[i - 1].atMs);
    const sdown = trace.find((e) => e.kind === '+sdown' && e.text === 'master mymaster 10.0.0.1 6379' && e.host === 'cache02')!;
    const kill = trace.find((e) => e.kind === 'command' && e.text === 'pkill -9 redis-server')!;
    // down-after-milliseconds 1000, and PINGs once a second.
    expect(sdown.atMs - kill.atMs).toBeGreaterThanOrEqual(1000);
    expect(sdown.atMs - kill.atMs).toBeLessThan(2100);
    d.dispose();
  }, 30_000);

  it('loadgen_master() and loadgen_reads(): where a sentinel-aware load generator writes, and its reads from replicas', async () => {
    const spec: WorldSpec = {
      hosts: [
        host('cache01', '10.0.0.1', CONF), host('cache02', '10.0.0.2', `${CONF}replicaof 10.0.0.1 6379\n`),
        host('cache03', '10.0.0.3', `${CONF}replicaof 10.0.0.1 6379\n`),
        { name: 'app01', ips: ['10.0.0.9'], disk: 'ssd', files: {}, dirs: [], boot: [] },
      ],
      network: { latencyMs: 1, bandwidthBytesPerSec: null }, faults: [],
      loadgen: { host: 'app01', target: { sentinels: ['10.0.0.1:26379', '10.0.0.2:26379'], master: 'mymaster' }, ratePerSec: 20, keys: 100, autostart: false },
    };
    const d = await simWorldFactory(spec, 3);
    expect(truth(d, 'loadgen_master() == "10.0.0.1:6379"')).toBe('unknown');
    const synced = () => d.view.redis('cache01', 6379)?.info('replication').slave1?.includes('state=online') === true;
    expect(await d.waitUntil(() => synced() && (d.view.redis('cache03', 26379)?.info('sentinel').master0 ?? '').includes('slaves=2,sentinels=3'), 30_000)).toBe(true);
    // Started by hand, with reads: the view finds it on the loadgen host all the same.
    await d.type('app01', 'halab-loadgen --sentinels 10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379 --master mymaster --reads --rate 20 &', 5000);
    expect(await d.waitUntil(() => d.view.loadgen().acked > 20, 10_000)).toBe(true);
    expect(truth(d, 'loadgen_master() == "10.0.0.1:6379" and loadgen_master() == master_of("mymaster")')).toBe(true);
    expect(truth(d, 'loadgen_reads() > 10')).toBe(true);
    await d.type('cache01', 'pkill -9 redis-server', 5000);
    expect(await d.waitUntil(() => ['10.0.0.2:6379', '10.0.0.3:6379'].includes(d.view.loadgen().master ?? ''), 30_000)).toBe(true);
    expect(truth(d, 'loadgen_master() != "10.0.0.1:6379" and loadgen_master() == master_of("mymaster")')).toBe(true);
    d.dispose();
  }, 60_000);
});
