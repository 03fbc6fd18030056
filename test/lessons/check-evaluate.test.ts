/** Evaluating checks against the scripted fake world: values, three-valued logic, explanations. */
import { beforeEach, describe, expect, it } from 'vitest';
import { evaluateCheck, type CheckResult } from '../../src/lessons/check';
import { parseSingleCheck } from '../../src/lessons/check/parser';
import { typecheckCheck } from '../../src/lessons/check/typecheck';
import type { HostSpec, WorldSpec } from '../../src/lessons/world-view';
import { FakeWorld } from './fake-world';

function host(name: string, ip: string, files: Record<string, string> = {}, boot: string[] = []): HostSpec {
  return { name, ips: [ip], disk: 'ssd', files, dirs: ['/data'], boot };
}

const REDIS_CONF = 'port 6379\ndir /data\n';
const sentinelConf = (masterIp: string) =>
  `port 26379\nsentinel monitor mymaster ${masterIp} 6379 2\nsentinel down-after-milliseconds mymaster 2000\n`;

function spec(opts: { sentinelMasters?: string[]; loadgen?: boolean } = {}): WorldSpec {
  const masters = opts.sentinelMasters ?? ['10.0.0.1', '10.0.0.1', '10.0.0.1'];
  const hosts = ['cache01', 'cache02', 'cache03'].map((name, i) =>
    host(name, `10.0.0.${i + 1}`, { '/etc/redis.conf': REDIS_CONF, '/etc/sentinel.conf': sentinelConf(masters[i]) }, [
      'redis-server /etc/redis.conf',
      'redis-sentinel /etc/sentinel.conf',
    ]),
  );
  return {
    hosts,
    network: { latencyMs: null, bandwidthBytesPerSec: null },
    faults: [],
    loadgen: opts.loadgen
      ? { host: 'cache03', target: { sentinels: ['10.0.0.1:26379'], master: 'mymaster' }, ratePerSec: 20, keys: 10, autostart: false }
      : null,
  };
}

let world: FakeWorld;
let stepStartMs = 0;

function run(text: string): CheckResult {
  const { check, errors } = parseSingleCheck(text);
  expect(errors).toEqual([]);
  const typeErrors = typecheckCheck(check!, {
    hosts: world.hosts().map((h) => ({ name: h.name, ips: h.ips })),
    hasLoadgen: true,
  });
  expect(typeErrors).toEqual([]);
  return evaluateCheck(check!, { view: world, stepStartMs });
}

const truth = (text: string) => run(text).truth;

async function sh(host: string, line: string) {
  return world.type(host, line, 60_000);
}

beforeEach(() => {
  world = new FakeWorld(spec({ loadgen: true }), 1);
  stepStartMs = 0;
});

describe('evaluating checks', () => {
  it('reads roles, INFO fields as numbers and text, and INFO list fields as records', async () => {
    expect(truth('role("cache01:6379") == "master"')).toBe(true);
    expect(truth('role("10.0.0.1:26379") == "sentinel"')).toBe(true);
    expect(truth('info("cache01:6379", "replication").connected_slaves == 0')).toBe(true);
    await sh('cache02', 'redis-cli -p 6379 REPLICAOF 10.0.0.1 6379');
    await sh('cache03', 'redis-cli -p 6379 REPLICAOF 10.0.0.1 6379');
    await world.act({ kind: 'wait', ms: 500 });
    expect(truth('role("cache02:6379") == "slave"')).toBe(true);
    expect(truth('info("cache01:6379", "replication").connected_slaves == 2')).toBe(true);
    expect(truth('info("cache01:6379", "replication").connected_slaves > 1.5')).toBe(true);
    expect(truth('info("cache01:6379", "replication").slave0.state == "online"')).toBe(true);
    expect(truth('info("cache01:6379", "replication").slave1.port == 6379')).toBe(true);
    expect(truth('info("cache02:6379").master_link_status == "up"')).toBe(true);
    expect(truth('info("cache01:26379", "sentinel").master0.slaves == 2')).toBe(true);
    expect(truth('info("cache01:26379", "sentinel").master0.sentinels == 3')).toBe(true);
    // A field this server does not have (a master has no master_link_status) is unknown.
    const r = run('info("cache01:6379", "replication").master_link_status == "up"');
    expect(r).toEqual({ truth: 'unknown', passed: false, explanation: 'info("cache01:6379", "replication") has no field master_link_status' });
    expect(run('info("cache01:6379", "replication").slave2.state == "online"').explanation).toBe(
      'info("cache01:6379", "replication") has no field slave2',
    );
  });

  it('reads keys, types, lengths, TTLs and database sizes', async () => {
    await sh('cache01', 'redis-cli SET greeting hello');
    await sh('cache01', 'redis-cli EXPIRE greeting 100');
    expect(truth('key("cache01:6379", "greeting") == "hello"')).toBe(true);
    expect(truth('exists("10.0.0.1:6379", "greeting") and not exists("cache01:6379", "nope")')).toBe(true);
    expect(truth('type("cache01:6379", "greeting") == "string" and type("cache01:6379", "nope") == "none"')).toBe(true);
    expect(truth('len("cache01:6379", "greeting") == 5 and len("cache01:6379", "nope") == 0')).toBe(true);
    expect(truth('ttl("cache01:6379", "greeting") > 90s and ttl("cache01:6379", "greeting") <= 100s')).toBe(true);
    expect(truth('dbsize("cache01:6379") == 1 and dbsize("cache01:6379", db=1) == 0')).toBe(true);
    expect(run('ttl("cache01:6379", "greeting") > 200s').explanation).toMatch(/^ttl\("cache01:6379", "greeting"\) is 1m 40s \(expected > 200s\)$|is 99\.99s/);
    expect(run('key("cache01:6379", "nope") == "x"')).toEqual({
      truth: 'unknown',
      passed: false,
      explanation: 'key "nope" on cache01:6379 does not exist',
    });
    expect(run('key("cache01:6379", "greeting") == "bye"').explanation).toBe(
      'key("cache01:6379", "greeting") is "hello" (expected == "bye")',
    );
    await sh('cache01', 'redis-cli SET plain v');
    expect(run('ttl("cache01:6379", "plain") > 0s').explanation).toBe('key "plain" on cache01:6379 has no expiry');
  });

  it('treats a stopped server as unknown, with three-valued and/or/not', async () => {
    await sh('cache02', 'pkill -9 redis-server');
    expect(run('role("cache02:6379") == "master"')).toEqual({
      truth: 'unknown',
      passed: false,
      explanation: 'nothing is running at cache02:6379',
    });
    expect(truth('up("cache02:6379")')).toBe(false);
    expect(truth('not up("cache02:6379") or role("cache02:6379") == "master"')).toBe(true);
    expect(truth('up("cache02:6379") or role("cache02:6379") == "master"')).toBe('unknown');
    expect(truth('role("cache02:6379") == "master" and false')).toBe(false);
    expect(truth('role("cache02:6379") == "master" and true')).toBe('unknown');
    expect(truth('role("cache02:6379") == "master" or true')).toBe(true);
    expect(truth('not (role("cache02:6379") == "master")')).toBe('unknown');
    // Arithmetic on unknown stays unknown; division by zero is unknown.
    expect(truth('dbsize("cache02:6379") + 1 > 0')).toBe('unknown');
    expect(run('dbsize("cache01:6379") / 0 > 1').explanation).toBe('division by zero in dbsize("cache01:6379") / 0');
  });

  it('explains false results from the check text', async () => {
    await sh('cache02', 'redis-cli REPLICAOF 10.0.0.1 6379');
    await world.act({ kind: 'wait', ms: 200 });
    expect(run('role("cache02:6379") == "master"').explanation).toBe('role("cache02:6379") is "slave" (expected == "master")');
    expect(run('"master" == role("cache02:6379")').explanation).toBe('role("cache02:6379") is "slave" (expected "master" == it)');
    expect(run('dbsize("cache01:6379") > dbsize("cache02:6379")').explanation).toBe(
      'dbsize("cache01:6379") is 0, dbsize("cache02:6379") is 0',
    );
    expect(run('up("cache01:6379") and role("cache02:6379") == "master"').explanation).toBe(
      'role("cache02:6379") is "slave" (expected == "master")',
    );
    expect(run('role("cache01:6379") == "slave" or role("cache02:6379") == "master"').explanation).toBe(
      'role("cache01:6379") is "master" (expected == "slave"); role("cache02:6379") is "slave" (expected == "master")',
    );
    expect(run('event("+switch-master")').explanation).toBe('no +switch-master events');
    expect(run('not up("cache01:6379")').explanation).toBe('up("cache01:6379") is true');
  });

  it('reads files', async () => {
    await sh('cache01', 'redis-cli SET k v');
    expect(truth('file("cache01:/data/dump.rdb").exists')).toBe(false);
    expect(run('file("cache01:/data/dump.rdb").size > 0').explanation).toBe('cache01:/data/dump.rdb does not exist');
    expect(truth('file("cache01:/data/dump.rdb").contains("REDIS")')).toBe('unknown');
    await sh('cache01', 'redis-cli SAVE');
    expect(truth('file("cache01:/data/dump.rdb").exists and file("10.0.0.1:/data/dump.rdb").size > 9')).toBe(true);
    expect(truth('file("cache01:/data/dump.rdb").starts_with("REDIS0010")')).toBe(true);
    expect(truth('file("cache01:/etc/redis.conf").contains("dir /data")')).toBe(true);
    expect(truth('file("cache01:/etc/sentinel.conf").count("mymaster") == 2')).toBe(true);
    expect(truth('file("cache01:/etc/redis.conf").text.lines == 2 and file("cache01:/etc/redis.conf").text.length == 20')).toBe(true);
    expect(truth('file("cache01:/etc/redis.conf").ends_with("/data\\n")')).toBe(true);
    expect(truth('file("cache02:/data/dump.rdb").exists')).toBe(false);
  });

  it('reads processes by name or command line', async () => {
    expect(truth('process("cache01", "redis-server").alive and process("cache01", "redis-server").count == 1')).toBe(true);
    expect(truth('process("cache01", "sentinel.conf").alive')).toBe(true);
    expect(truth('process("cache01", "redis-server").pid > 0')).toBe(true);
    await sh('cache01', 'pkill -9 redis-server');
    expect(truth('process("cache01", "redis-server").alive')).toBe(false);
    expect(run('process("cache01", "redis-server").pid > 0').explanation).toBe('no process "redis-server" runs on cache01');
    await world.act({ kind: 'poweroff', host: 'cache02' });
    expect(truth('process("cache02", "redis-sentinel").count == 0')).toBe(true);
  });

  it('filters trace events by name, place, time and text', async () => {
    await sh('cache02', 'redis-cli REPLICAOF 10.0.0.1 6379');
    await sh('cache03', 'redis-cli REPLICAOF 10.0.0.1 6379');
    await world.act({ kind: 'wait', ms: 500 });
    stepStartMs = world.now();
    await sh('cache01', 'pkill -9 redis-server');
    await world.waitUntil(() => world.trace().some((e) => e.kind === '+switch-master'), 30_000);
    expect(truth('event("+sdown")')).toBe(true);
    expect(truth('count(event("+sdown")) == 3')).toBe(true);
    expect(truth('count(event("+sdown", on="cache02")) == 1')).toBe(true);
    expect(truth('count(event("+sdown", on="10.0.0.2:26379")) == 1')).toBe(true);
    expect(truth('count(event("+sdown", on="cache02:6379")) == 0')).toBe(true);
    expect(truth('count(event("+sdown", after=step_start())) == 3')).toBe(true);
    expect(truth('count(event("+sdown", after=now())) == 0')).toBe(true);
    expect(truth('event("+switch-master", text="MYMASTER 10.0.0.1 6379")')).toBe(true);
    expect(truth('event("+switch-master", text="othermaster")')).toBe(false);
    expect(truth('event("command", on="cache01", text="pkill")')).toBe(true);
    // Down after 2000 ms, checked every 100 ms.
    expect(truth('event("+sdown").first.at - step_start() >= 2s and event("+sdown").first.at - step_start() < 3s')).toBe(true);
    expect(truth('event("+switch-master").last.name == "+switch-master" and event("+sdown").first.port == 26379')).toBe(true);
    expect(run('event("+tilt").first.at > 0s').explanation).toBe('there are no +tilt events');
  });

  it('asks the sentinels for the master: a majority decides', async () => {
    expect(run('master_of("mymaster") == "10.0.0.1:6379"').truth).toBe(true);
    expect(run('master_of("othername") == "10.0.0.1:6379"').explanation).toBe('no running sentinel monitors "othername"');
    expect(truth('master_of("mymaster", on="10.0.0.2:26379") == "10.0.0.1:6379"')).toBe(true);

    world = new FakeWorld(spec({ sentinelMasters: ['10.0.0.1', '10.0.0.2', '10.0.0.1'] }), 1);
    expect(truth('master_of("mymaster") == "10.0.0.1:6379"')).toBe(true);
    expect(truth('master_of("mymaster", on="cache02:26379") == "10.0.0.2:6379"')).toBe(true);
    world = new FakeWorld(spec({ sentinelMasters: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] }), 1);
    expect(run('master_of("mymaster") == "10.0.0.1:6379"')).toEqual({
      truth: 'unknown',
      passed: false,
      explanation: 'the sentinels disagree about "mymaster": 10.0.0.1:6379 (1), 10.0.0.2:6379 (1), 10.0.0.3:6379 (1)',
    });
  });

  it('reads the load generator counters', async () => {
    expect(truth('acked_writes() == 0 and lost_writes() == 0 and failed_writes() == 0')).toBe(true);
    await world.act({ kind: 'loadgen', run: true });
    await world.act({ kind: 'wait', ms: 1000 });
    // One write every 50 ms, from t=0 to t=1000 inclusive.
    expect(truth('acked_writes() == 21 and failed_writes() == 0')).toBe(true);
    await sh('cache01', 'pkill -9 redis-server');
    await world.act({ kind: 'wait', ms: 500 });
    expect(truth('failed_writes() > 0')).toBe(true);
    // This world does not say where the load generator writes, nor count its reads.
    expect(run('loadgen_master() == "10.0.0.2:6379"').explanation).toBe('this world does not report where the load generator writes');
    expect(truth('loadgen_reads() > 0')).toBe('unknown');
  });

  it('reads virtual time', async () => {
    await world.act({ kind: 'wait', ms: 90_000 });
    expect(truth('now() == 90s and now() > 1m and now() < 2m')).toBe(true);
    expect(truth('seconds(info("cache01:6379", "server").uptime_in_seconds) == 90s')).toBe(true);
    expect(truth('number(config("cache01:6379", "port")) == 6379')).toBe(true);
    expect(run('number(config("cache01:6379", "dir")) == 1').explanation).toBe('"/data" is not a number');
  });
});
