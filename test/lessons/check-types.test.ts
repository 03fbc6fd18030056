/** The check language's type checker: names, fields, argument and operand types, literals. */
import { describe, expect, it } from 'vitest';
import { compileCheckBlock } from '../../src/lessons/check';
import type { StaticContext } from '../../src/lessons/check/functions';
import { parseCheckBlock } from '../../src/lessons/check/parser';
import { typecheckCheck } from '../../src/lessons/check/typecheck';
import { DiagnosticSink, formatDiagnostic } from '../../src/lessons/diagnostics';
import { textMap } from '../../src/lessons/text-map';

const CTX: StaticContext = {
  hosts: [
    { name: 'cache01', ips: ['10.0.0.1'] },
    { name: 'cache02', ips: ['10.0.0.2'] },
  ],
  hasLoadgen: false,
};
const ONE_HOST: StaticContext = { hosts: [{ name: 'solo', ips: ['10.0.0.9'] }], hasLoadgen: true };

/** Type errors of a single check as `column: message`. */
function typeErrors(text: string, ctx: StaticContext = CTX): string[] {
  const { checks, errors } = parseCheckBlock(text);
  expect(errors).toEqual([]);
  return checks.flatMap((c) => typecheckCheck(c, ctx).map((e) => `${e.start + 1}: ${e.message}`));
}

describe('check type checker', () => {
  it('accepts well-typed checks', () => {
    for (const ok of [
      'role("cache01:6379") == "master"',
      'role("10.0.0.2:6379") != "sentinel"',
      'info("cache01:6379", "replication").connected_slaves == 2',
      'info("cache01:6379", "replication").slave0.state == "online" and info("cache01:6379", "replication").slave0.lag < 2',
      'info("cache01:6379").master_link_status == "up"',
      'info("cache01:26379", "sentinel").master0.status == "ok"',
      'info("cache01:6379", "keyspace").db0.keys >= 1',
      'info("cache01:6379", "persistence").aof_current_size > 64kb',
      'key("cache01:6379", "foo") == "bar"',
      'key("cache01:6379", "foo", db=1) == "bar"',
      'ttl("cache01:6379", "foo") > 50s',
      'dbsize("cache01:6379") == 0',
      'type("cache01:6379", "l") == "list" and len("cache01:6379", "l") == 3',
      'file("cache01:/var/redis/6379/dump.rdb").exists',
      'file("cache01:/etc/redis.conf").contains("appendonly yes")',
      'file("cache01:/data/appendonly.aof").count("SET") == 3 and file("cache01:/a").size > 0',
      'file("cache01:/a").text.lines == 2',
      'process("cache01", "redis-server").alive and process("10.0.0.1", "redis-sentinel").count == 1',
      'event("+switch-master")',
      'not event("+odown", on="cache02")',
      'count(event("+sdown", on="cache01:26379", after=step_start())) >= 2',
      'event("+sdown").last.at - event("+sdown").first.at < 30s',
      'event("command", text="SLAVEOF").count == 1',
      'master_of("mymaster") == "10.0.0.2:6379"',
      'role(master_of("mymaster")) == "master"',
      'log("cache02:6379").contains("MASTER <-> REPLICA sync")',
      'now() - step_start() > 30s',
      'seconds(info("cache01:6379", "server").uptime_in_seconds) < 10s',
      'number(config("cache01:6379", "maxmemory")) == 0',
      'config("cache01:6379", "appendonly") == "yes"',
      '(1 + 2) * 3 / 4 - 1 > 0 and 10s / 2 == 5s and 2 * 1s == 2000ms and 10s / 5s == 2',
      'up("cache01:6379") or not up("cache02:6379")',
    ]) {
      expect(typeErrors(ok), ok).toEqual([]);
    }
  });

  it('reports unknown functions with a suggestion', () => {
    expect(typeErrors('rol("cache01:6379") == "master"')).toEqual([
      expect.stringMatching(/^1: unknown function "rol" \(did you mean "role"\?\); functions are role, up, info, /),
    ]);
  });

  it('reports unknown INFO sections and fields, with suggestions', () => {
    expect(typeErrors('info("cache01:6379", "replicaton").role == "master"')).toEqual([
      expect.stringMatching(/^23: unknown INFO section "replicaton" \(did you mean "replication"\?\)/),
    ]);
    expect(typeErrors('info("cache01:6379", "replication").conected_slaves == 2')).toEqual([
      '37: INFO replication has no field "conected_slaves" (did you mean "connected_slaves"?)',
    ]);
    // A field of another section is not in this one.
    expect(typeErrors('info("cache01:6379", "server").connected_slaves == 2')[0]).toMatch(/^32: INFO server has no field "connected_slaves"/);
    expect(typeErrors('info("cache01:6379", "replication").slave0.stat == "online"')).toEqual([
      '44: INFO replication slave0 has no field "stat" (did you mean "state"?)',
    ]);
  });

  it('requires the INFO section to be a literal', () => {
    expect(typeErrors('info("cache01:6379", config("cache01:6379", "x")).role == "master"')).toEqual([
      '22: argument "section" of info() must be written as text in quotes',
    ]);
  });

  it('keeps numbers and durations apart', () => {
    expect(typeErrors('ttl("cache01:6379", "k") > 30')).toEqual([
      expect.stringMatching(/^26: cannot compare a duration with a number using ">": write the duration with a unit/),
    ]);
    expect(typeErrors('info("cache01:6379", "replication").master_link_down_since_seconds > 30s')).toEqual([
      expect.stringMatching(/^68: cannot compare a number with a duration using ">"/),
    ]);
    expect(typeErrors('1s + 1 > 0s')).toEqual(['4: "+" needs two numbers or two durations, not a duration and a number']);
    expect(typeErrors('2 / 1s == 1')).toEqual(['3: "/" cannot divide a number by a duration']);
  });

  it('rejects comparisons that can never be true', () => {
    expect(typeErrors('role("cache01:6379") == "primary"')).toEqual([
      '25: "primary" can never match: it is one of "master", "slave", "sentinel"',
    ]);
    expect(typeErrors('"replica" == role("cache01:6379")')).toEqual([
      '1: "replica" can never match: it is one of "master", "slave", "sentinel"',
    ]);
    expect(typeErrors('info("cache01:6379", "replication").master_link_status == "UP"')[0]).toContain('(did you mean "up"?)');
    expect(typeErrors('role("cache01:6379") == 1')).toEqual([
      '22: cannot compare text with a number using "==": quote both sides, or turn text into a number with number(...)',
    ]);
  });

  it('checks operands of logic, ordering and records', () => {
    expect(typeErrors('role("cache01:6379") and up("cache01:6379")')).toEqual([
      '1: "and" needs true or false on both sides, but this is text',
    ]);
    expect(typeErrors('not dbsize("cache01:6379")')).toEqual(['5: "not" needs true or false, but this is a number']);
    expect(typeErrors('"a" < "b"')).toEqual(['1: "<" compares numbers or durations, but this is text']);
    expect(typeErrors('file("cache01:/a") == file("cache01:/b")')).toEqual([
      '1: a file cannot be compared with "==" (compare one of its fields)',
    ]);
    expect(typeErrors('event("+sdown") == 2')).toEqual([
      '1: a list of events cannot be compared with "==" (use count(...) to compare how many)',
    ]);
    expect(typeErrors('dbsize("cache01:6379").keys == 1')).toEqual(['24: a number has no fields']);
    expect(typeErrors('file("cache01:/a").contain("x")')).toEqual([
      '20: a file has no method "contain" (did you mean "contains"?); methods are contains, starts_with, ends_with, count',
    ]);
    expect(typeErrors('file("cache01:/a").text.contains')).toEqual([
      '25: text has no field "contains" ("contains" is a method: write .contains(...)); fields are length, lines',
    ]);
    expect(typeErrors('file("cache01:/a").contains(1)')).toEqual(['29: .contains() needs text, but this is a number']);
    expect(typeErrors('file("cache01:/a").contains("a", "b")')).toEqual(['20: .contains() takes 1 argument, not 2']);
  });

  it('checks arguments: count, names, types', () => {
    expect(typeErrors('role() == "master"')).toEqual(['5: role() needs the argument "address": role(address)']);
    expect(typeErrors('up("cache01:6379", "x")')).toEqual(['20: too many arguments: up(address)']);
    expect(typeErrors('event("+sdown", host="cache01")')).toEqual([
      '17: event() has no argument "host": event(name, on=, after=, text=)',
    ]);
    expect(typeErrors('key("cache01:6379", "k", db=0, db=1) == "v"')).toEqual(['32: argument "db" is given twice']);
    expect(typeErrors('dbsize("cache01:6379", db="0") == 0')).toEqual([
      '27: argument "db" of dbsize() must be a number, but this is text',
    ]);
    expect(typeErrors('key("cache01:6379", "k", db=1.5) == "v"')).toEqual(['29: db must be a whole number >= 0']);
    expect(typeErrors('event("+sdown", after=30) and true')).toEqual([
      '23: argument "after" of event() must be a duration, but this is a number',
    ]);
    // on= is named only: a second positional argument is one too many.
    expect(typeErrors('event("+sdown", "cache01")')).toEqual([expect.stringContaining('too many arguments')]);
  });

  it('validates literal addresses, hosts and paths against the topology', () => {
    expect(typeErrors('role("cache03:6379") == "master"')).toEqual([
      '7: unknown host "cache03" (did you mean "cache01"?); hosts are cache01, cache02',
    ]);
    expect(typeErrors('role("Cache01:6379") == "master"')[0]).toContain('(did you mean "cache01"?)');
    expect(typeErrors('role("cache01") == "master"')).toEqual([
      '7: "cache01" is not an address: write host:port or ip:port, like "10.0.0.1:6379"',
    ]);
    expect(typeErrors('role("cache01:99999") == "master"')).toEqual(['7: bad port "99999" in "cache01:99999" (1..65535)']);
    expect(typeErrors('role("127.0.0.1:7000") == "master"')).toEqual([
      '7: "127.0.0.1" is ambiguous in a lesson with 2 hosts: use a host name or IP (cache01, cache02)',
    ]);
    expect(typeErrors('role("127.0.0.1:7000") == "master" and role("localhost:7001") == "slave"', ONE_HOST)).toEqual([]);
    expect(typeErrors('file("cache01:var/dump.rdb").exists')).toEqual([
      '7: the path in "cache01:var/dump.rdb" must be absolute (start with /)',
    ]);
    expect(typeErrors('file("/var/dump.rdb").exists')[0]).toContain('does not name a host');
    expect(typeErrors('process("cache09", "redis-server").alive')[0]).toMatch(/^10: unknown host "cache09"/);
    expect(typeErrors('event("+sdown", on="cache09")')[0]).toMatch(/^21: unknown host "cache09"/);
    // Without a known topology (broken front matter) addresses are not judged.
    expect(typeErrors('role("nowhere:1") == "master"', { hosts: null, hasLoadgen: null })).toEqual([]);
  });

  it('knows the sentinel event names', () => {
    expect(typeErrors('event("+switch_master")')).toEqual([
      '8: unknown sentinel event "+switch_master" (did you mean "+switch-master"?)',
    ]);
    expect(typeErrors('event("")')).toEqual(['8: the event name is empty']);
    expect(typeErrors('event("full-resync")')).toEqual([]);
  });

  it('needs a load generator for the write counters', () => {
    expect(typeErrors('lost_writes() == 0')).toEqual([
      '1: lost_writes() counts the load generator\'s writes, but this lesson has no "loadgen:" in its front matter',
    ]);
    expect(typeErrors('lost_writes() == 0 and acked_writes() > 0 and failed_writes() >= 0', ONE_HOST)).toEqual([]);
    expect(typeErrors('lost_writes(after=step_start()) == 0', ONE_HOST)).toEqual([]);
    expect(typeErrors('lost_writes(after=5s) > 0', ONE_HOST)).toEqual([]);
    expect(typeErrors('lost_writes(after=5) > 0', ONE_HOST).length).toBe(1);
    expect(typeErrors('lost_writes(step_start()) > 0', ONE_HOST).length).toBe(1);
  });

  it('needs a check to be true or false', () => {
    expect(typeErrors('dbsize("cache01:6379")')).toEqual([
      '1: a check must be true or false, but this is a number: compare it with something (== != < <= > >=)',
    ]);
    expect(typeErrors('role("cache01:6379")')[0]).toContain('but this is text');
  });

  it('reports at file positions through compileCheckBlock', () => {
    const block = 'up("cache01:6379")\n  role("cache09:1") == "master"\nfoo()';
    const sink = new DiagnosticSink('l.md');
    // The block starts on line 40; its lines were indented by 2 in the file.
    const checks = compileCheckBlock(block, textMap(block, 40, () => 3), CTX, sink);
    expect(checks).toHaveLength(1);
    expect(sink.list.map(formatDiagnostic)).toEqual([
      'l.md:41:11: unknown host "cache09" (did you mean "cache01"?); hosts are cache01, cache02',
      expect.stringMatching(/^l\.md:42:3: unknown function "foo"/),
    ]);
  });
});
