/**
 * Differential checks of the SENTINEL commands against a real redis-sentinel 7.0.15: both
 * sentinels watch the same real master with two real replicas (and see each other), then the
 * same commands go to both. Replies that depend only on the configuration and the topology
 * are compared byte for byte; replies with times or IDs are compared field by field (names and
 * order exactly, values where they are the same by nature).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { haveTools, startRealRedis, REAL_REDIS, type RealRedis } from '../support/real-redis';
import { REAL_SENTINEL, startOurSentinel, startRealSentinel, ask, until, type SentinelProc } from '../support/sentinels';
import type { RawClient } from '../support/raw-client';
import type { RespValue } from '../../src/engine/resp/reply-parser';

const enabled = haveTools(REAL_REDIS, REAL_SENTINEL);

/** A RESP2 flat map reply as [key, value] pairs of strings. */
function pairs(v: RespValue): [string, string][] {
  if (v.type !== 'array') throw new Error(`not an array: ${JSON.stringify(v)}`);
  const out: [string, string][] = [];
  for (let i = 0; i < v.value.length; i += 2) {
    const k = v.value[i];
    const x = v.value[i + 1];
    out.push([(k as { value: string }).value, x.type === 'bulk' ? x.value : JSON.stringify(x)]);
  }
  return out;
}

function list(v: RespValue): [string, string][][] {
  if (v.type !== 'array') throw new Error('not an array');
  return v.value.map(pairs);
}

const field = (p: [string, string][], k: string) => p.find(([x]) => x === k)?.[1];

(enabled ? describe : describe.skip)('SENTINEL commands, ours vs real redis-sentinel', () => {
  let master: RealRedis;
  const replicas: RealRedis[] = [];
  let real: SentinelProc;
  let ours: SentinelProc;
  let rc: RawClient;
  let oc: RawClient;

  beforeAll(async () => {
    master = await startRealRedis();
    for (let i = 0; i < 2; i++) replicas.push(await startRealRedis(['--replicaof', '127.0.0.1', String(master.port)]));
    const lines = [
      `sentinel monitor mymaster 127.0.0.1 ${master.port} 2`,
      'sentinel down-after-milliseconds mymaster 2000',
      'sentinel failover-timeout mymaster 60000',
    ];
    [real, ours] = await Promise.all([startRealSentinel(lines), startOurSentinel(lines)]);
    rc = await real.client();
    oc = await ours.client();
    const ready = async (c: RawClient) => {
      const m = pairs((await ask(c, 'SENTINEL', 'MASTER', 'mymaster')).value);
      return field(m, 'num-slaves') === '2' && field(m, 'num-other-sentinels') === '1';
    };
    await until('discovery on both sentinels', async () => (await ready(rc)) && (await ready(oc)), 30_000);
  }, 60_000);

  afterAll(async () => {
    rc?.close(); oc?.close();
    for (const s of [real, ours]) { await s?.stop(); s?.cleanup(); }
    for (const r of [master, ...replicas]) await r?.stop();
  });

  /** Send to both; expect identical bytes. */
  async function same(...argv: string[]): Promise<string> {
    const [a, b] = await Promise.all([ask(rc, ...argv), ask(oc, ...argv)]);
    expect(b.bytes, argv.join(' ')).toBe(a.bytes);
    return a.bytes;
  }

  it('error replies are byte for byte the same', async () => {
    const cases: string[][] = [
      ['SENTINEL'], ['SENTINEL', 'FOO'], ['SENTINEL', 'MASTER'], ['SENTINEL', 'MASTER', 'nosuch'],
      ['SENTINEL', 'MASTERS', 'x'], ['SENTINEL', 'REPLICAS', 'nosuch'], ['SENTINEL', 'SLAVES', 'nosuch'],
      ['SENTINEL', 'SENTINELS', 'nosuch'], ['SENTINEL', 'MYID', 'x'], ['SENTINEL', 'FAILOVER', 'nosuch'],
      ['SENTINEL', 'CKQUORUM', 'nosuch'], ['SENTINEL', 'REMOVE', 'nosuch'], ['SENTINEL', 'RESET'],
      ['SENTINEL', 'MONITOR', 'a', '127.0.0.1', '7000'],
      ['SENTINEL', 'MONITOR', 'a', '127.0.0.1', '7000', 'x'], ['SENTINEL', 'MONITOR', 'a', '127.0.0.1', 'x', '2'],
      ['SENTINEL', 'MONITOR', 'a', '127.0.0.1', '7000', '0'], ['SENTINEL', 'MONITOR', 'a', '127.0.0.1', '7000', '-1'],
      ['SENTINEL', 'MONITOR', 'a', 'localhost', '7000', '2'], ['SENTINEL', 'MONITOR', 'a', 'not an ip', '7000', '2'],
      ['SENTINEL', 'MONITOR', 'a', '127.0.0.1', '70000', '2'], ['SENTINEL', 'MONITOR', 'a', '127.0.0.1', '-1', '2'],
      ['SENTINEL', 'MONITOR', 'mymaster', '127.0.0.1', '7000', '2'],
      ['SENTINEL', 'SET', 'mymaster', 'quorum'], ['SENTINEL', 'SET', 'nosuch', 'quorum', '2'],
      ['SENTINEL', 'SET', 'mymaster', 'quorum', '0'], ['SENTINEL', 'SET', 'mymaster', 'quorum', 'x'],
      ['SENTINEL', 'SET', 'mymaster', 'down-after-milliseconds', '-5'], ['SENTINEL', 'SET', 'mymaster', 'failover-timeout', '0'],
      ['SENTINEL', 'SET', 'mymaster', 'parallel-syncs', 'abc'], ['SENTINEL', 'SET', 'mymaster', 'foo', 'bar'],
      ['SENTINEL', 'SET', 'mymaster', 'notification-script', '/tmp/x.sh'],
      ['SENTINEL', 'SET', 'mymaster', 'client-reconfig-script', '/tmp/x.sh'],
      ['SENTINEL', 'SET', 'mymaster', 'master-reboot-down-after-period', '-1'],
      ['SENTINEL', 'SET', 'mymaster', 'rename-command', 'CONFIG', ''],
      ['SENTINEL', 'SET', 'mymaster', 'rename-command', '', 'X'],
      ['SENTINEL', 'SET', 'mymaster', 'quorum', '2', 'extra'],
      ['SENTINEL', 'CONFIG'], ['SENTINEL', 'CONFIG', 'GET'], ['SENTINEL', 'CONFIG', 'FOO', 'x'],
      ['SENTINEL', 'CONFIG', 'SET', 'x'], ['SENTINEL', 'CONFIG', 'SET', 'foo', 'bar'],
      ['SENTINEL', 'CONFIG', 'SET', 'resolve-hostnames', 'maybe'], ['SENTINEL', 'CONFIG', 'SET', 'announce-port', '70000'],
      ['SENTINEL', 'CONFIG', 'SET', 'announce-port', 'x'], ['SENTINEL', 'CONFIG', 'SET', 'announce-hostnames', '1'],
      ['SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '127.0.0.1', 'x', '0', '*'], ['SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '127.0.0.1', '1', 'x', '*'],
      ['SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '127.0.0.1', '1', '0'],
      ['SENTINEL', 'DEBUG', 'foo'], ['SENTINEL', 'DEBUG', 'info-period'], ['SENTINEL', 'DEBUG', 'info-period', '0'],
      ['SENTINEL', 'DEBUG', 'ping-period', 'abc'], ['SENTINEL', 'SIMULATE-FAILURE'], ['SENTINEL', 'SIMULATE-FAILURE', 'foo'],
      ['SENTINEL', 'INFO-CACHE'], ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME'],
      ['PUBLISH', 'foo', 'bar'], ['PUBLISH', 'foo'], ['GET', 'x'], ['CONFIG', 'GET', 'port'], ['MULTI'], ['SET', 'a', 'b'],
      ['ROLE', 'x'], ['PING', 'a', 'b'], ['INFO', 'a', 'b', 'c', 'd', 'e', 'f'].slice(0, 1).concat(['nosuchsection']),
    ];
    for (const c of cases) await same(...c);
  });

  it('replies that depend only on configuration and topology are the same', async () => {
    await same('PING');
    await same('ROLE');
    await same('SENTINEL', 'HELP');
    await same('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster');
    await same('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'nosuch');
    await same('SENTINEL', 'CKQUORUM', 'mymaster');
    await same('SENTINEL', 'DEBUG');
    await same('SENTINEL', 'CONFIG', 'GET', '*');
    await same('SENTINEL', 'CONFIG', 'GET', 'announce-*');
    await same('SENTINEL', 'CONFIG', 'GET', 'nomatch');
    await same('SENTINEL', 'PENDING-SCRIPTS');
    await same('SENTINEL', 'SIMULATE-FAILURE', 'HELP');
    await same('SENTINEL', 'SIMULATE-FAILURE', 'crash-after-election', 'help');
    await same('SENTINEL', 'SIMULATE-FAILURE', 'crash-after-election', 'foo');
    await same('SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '127.0.0.1', String(master.port), '0', '*');
    await same('SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '10.9.9.9', '1', '0', '*');
    await same('SENTINEL', 'INFO-CACHE', 'nosuch');
    await same('INFO', 'nosuchsection');
    // The command lists are the same (ACL and its subcommands included), and COUNT counts
    // what LIST lists.
    const [la, lb] = await Promise.all([ask(rc, 'COMMAND', 'LIST'), ask(oc, 'COMMAND', 'LIST')]);
    const names = (v: RespValue) => (v.type === 'array' ? v.value.map((x) => (x as { value: string }).value) : []).sort();
    expect(names(lb.value)).toEqual(names(la.value));
    const [ca, cb] = await Promise.all([ask(rc, 'COMMAND', 'COUNT'), ask(oc, 'COMMAND', 'COUNT')]);
    expect(ca.bytes).toBe(`:${names(la.value).filter((n) => !n.includes('|')).length}\r\n`);
    expect(cb.bytes).toBe(ca.bytes);
  });

  it('INFO sentinel lists the same fields and the same master line', async () => {
    const [a, b] = await Promise.all([ask(rc, 'INFO', 'sentinel'), ask(oc, 'INFO', 'sentinel')]);
    expect(b.bytes).toBe(a.bytes);
    const [x, y] = await Promise.all([ask(rc, 'INFO'), ask(oc, 'INFO')]);
    const sections = (s: string) => s.split('\r\n').filter((l) => l.startsWith('#'));
    const names = (s: string) => s.split('\r\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':')[0]);
    const xs = (x.value as { value: string }).value;
    const ys = (y.value as { value: string }).value;
    expect(sections(ys)).toEqual(sections(xs));
    expect(names(ys)).toEqual(names(xs));
    expect(ys).toContain('redis_mode:sentinel');
  });

  it('SENTINEL MASTER / MASTERS / REPLICAS / SENTINELS: same fields in the same order', async () => {
    for (const argv of [['SENTINEL', 'MASTER', 'mymaster']]) {
      const [a, b] = await Promise.all([ask(rc, ...argv), ask(oc, ...argv)]);
      const pa = pairs(a.value);
      const pb = pairs(b.value);
      expect(pb.map(([k]) => k)).toEqual(pa.map(([k]) => k));
      for (const k of ['name', 'ip', 'port', 'runid', 'flags', 'link-refcount', 'down-after-milliseconds', 'role-reported',
        'config-epoch', 'num-slaves', 'num-other-sentinels', 'quorum', 'failover-timeout', 'parallel-syncs']) {
        expect(field(pb, k), k).toBe(field(pa, k));
      }
    }
    const [ma, mb] = await Promise.all([ask(rc, 'SENTINEL', 'MASTERS'), ask(oc, 'SENTINEL', 'MASTERS')]);
    expect(list(mb.value).map((p) => p.map(([k]) => k))).toEqual(list(ma.value).map((p) => p.map(([k]) => k)));
    for (const cmd of ['REPLICAS', 'SLAVES']) {
      const [ra, rb] = await Promise.all([ask(rc, 'SENTINEL', cmd, 'mymaster'), ask(oc, 'SENTINEL', cmd, 'mymaster')]);
      const byName = (l: [string, string][][]) => new Map(l.map((p) => [field(p, 'name')!, p]));
      const la = byName(list(ra.value));
      const lb = byName(list(rb.value));
      expect([...lb.keys()].sort()).toEqual([...la.keys()].sort());
      for (const [name, pa] of la) {
        const pb = lb.get(name)!;
        expect(pb.map(([k]) => k)).toEqual(pa.map(([k]) => k));
        for (const k of ['name', 'ip', 'port', 'runid', 'flags', 'role-reported', 'master-link-status', 'master-host', 'master-port',
          'slave-priority', 'replica-announced', 'down-after-milliseconds', 'link-refcount']) {
          expect(field(pb, k), `${name} ${k}`).toBe(field(pa, k));
        }
      }
    }
    // Flags are live: on a loaded machine a link can be closed for a slow PONG and show
    // "disconnected" for a moment. Ask again until both see the other the same way (or give up).
    const sentinelsOf = async () => {
      const [sa, sb] = await Promise.all([ask(rc, 'SENTINEL', 'SENTINELS', 'mymaster'), ask(oc, 'SENTINEL', 'SENTINELS', 'mymaster')]);
      return [list(sa.value)[0], list(sb.value)[0]];
    };
    let [pa, pb] = await sentinelsOf();
    for (let i = 0; i < 50 && field(pa, 'flags') !== field(pb, 'flags'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      [pa, pb] = await sentinelsOf();
    }
    expect(pb.map(([k]) => k)).toEqual(pa.map(([k]) => k));
    // Each sees the other: names are the other's ID.
    expect(field(pa, 'port')).toBe(String(ours.port));
    expect(field(pb, 'port')).toBe(String(real.port));
    for (const k of ['flags', 'voted-leader', 'voted-leader-epoch', 'down-after-milliseconds', 'link-refcount']) {
      expect(field(pb, k), k).toBe(field(pa, k));
    }
    const [ia, ib] = await Promise.all([ask(rc, 'SENTINEL', 'INFO-CACHE', 'mymaster'), ask(oc, 'SENTINEL', 'INFO-CACHE', 'mymaster')]);
    const shape = (v: RespValue): unknown => (v.type === 'array' ? v.value.map(shape) : v.type);
    expect(shape(ib.value)).toEqual(shape(ia.value));
  });

  it('SENTINEL SET, CONFIG SET, DEBUG, MONITOR and REMOVE change the same things', async () => {
    await same('SENTINEL', 'SET', 'mymaster', 'parallel-syncs', '3', 'quorum', '2');
    await same('SENTINEL', 'SET', 'mymaster', 'down-after-milliseconds', '2000', 'failover-timeout', '60000');
    await same('SENTINEL', 'SET', 'mymaster', 'master-reboot-down-after-period', '0');
    await same('SENTINEL', 'SET', 'mymaster', 'auth-pass', '');
    await same('SENTINEL', 'SET', 'mymaster', 'rename-command', 'CONFIG', 'CONFIG');
    await same('SENTINEL', 'CONFIG', 'SET', 'announce-port', '0');
    await same('SENTINEL', 'CONFIG', 'SET', 'resolve-hostnames', 'no');
    await same('SENTINEL', 'CONFIG', 'GET', '*');
    await same('SENTINEL', 'DEBUG', 'info-period', '10000', 'ping-period', '1000');
    await same('SENTINEL', 'DEBUG');
    await same('SENTINEL', 'MONITOR', 'resque', '127.0.0.1', '1', '3');
    await same('SENTINEL', 'MONITOR', 'resque', '127.0.0.1', '1', '3');
    await same('SENTINEL', 'SET', 'resque', 'parallel-syncs', '5');
    // Redis lists masters in the order of its dict, which hashes with a per-process random seed.
    const [ra, rb] = await Promise.all([ask(rc, 'ROLE'), ask(oc, 'ROLE')]);
    const role = (v: RespValue) => {
      if (v.type !== 'array' || v.value[1].type !== 'array') throw new Error('ROLE is not [role, [names]]');
      return [(v.value[0] as { value: string }).value, v.value[1].value.map((x) => (x as { value: string }).value).sort()];
    };
    expect(role(rb.value)).toEqual(role(ra.value));
    expect(role(ra.value)).toEqual(['sentinel', ['mymaster', 'resque']]);
    await same('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'resque');
    await same('SENTINEL', 'REMOVE', 'resque');
    await same('SENTINEL', 'REMOVE', 'resque');
    await same('SENTINEL', 'FLUSHCONFIG');
    await same('SENTINEL', 'SIMULATE-FAILURE');
  });

  it('resolve-hostnames: a master named by host name has the resolved IP as its address, the name with announce-hostnames', async () => {
    const port = String(master.port);
    expect(await same('SENTINEL', 'MONITOR', 'byname', 'localhost', port, '2')).toBe('-ERR Invalid IP address or hostname specified\r\n');
    await same('SENTINEL', 'CONFIG', 'SET', 'resolve-hostnames', 'yes');
    await same('SENTINEL', 'MONITOR', 'byname', 'localhost', port, '2');
    // getaddrinfo("localhost") is 127.0.0.1 here (/etc/hosts), not the name kept as an "IP".
    expect(await same('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'byname')).toBe(`*2\r\n$9\r\n127.0.0.1\r\n$${port.length}\r\n${port}\r\n`);
    await same('SENTINEL', 'CONFIG', 'SET', 'announce-hostnames', 'yes');
    expect(await same('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'byname')).toBe(`*2\r\n$9\r\nlocalhost\r\n$${port.length}\r\n${port}\r\n`);
    await same('SENTINEL', 'CONFIG', 'SET', 'announce-hostnames', 'no');
    await same('SENTINEL', 'REMOVE', 'byname');
    await same('SENTINEL', 'CONFIG', 'SET', 'resolve-hostnames', 'no');
  });

  it('the rewritten sentinel.conf has the same lines (IDs and ports aside)', async () => {
    await Promise.all([ask(rc, 'SENTINEL', 'FLUSHCONFIG'), ask(oc, 'SENTINEL', 'FLUSHCONFIG')]);
    const norm = (text: string, s: SentinelProc, other: SentinelProc) => text
      .replaceAll(s.dir, '<dir>')
      .replace(/^port \d+$/m, 'port <port>')
      .replace(/[0-9a-f]{40}/g, '<id>')
      .replace(new RegExp(`\\b${other.port}\\b`, 'g'), '<other>')
      .split('\n').filter((l) => l.trim() !== '').sort();
    expect(norm(ours.conf(), ours, real)).toEqual(norm(real.conf(), real, ours));
    expect(ours.conf()).toContain('# Generated by CONFIG REWRITE');
  });

  it('TILT: a timer more than 2 s late (a stopped process, a clock jump) enters TILT for tilt-period, then leaves it', async () => {
    await same('SENTINEL', 'DEBUG', 'tilt-period', '1500');
    // Stop the real one (SIGSTOP) and block our event loop for the same 2.5 s.
    process.kill(real.pid!, 'SIGSTOP');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500);
    process.kill(real.pid!, 'SIGCONT');
    const entered = (s: SentinelProc) => s.log().split('\n').some((l) => /^\d+:X .* # \+tilt #tilt mode entered$/.test(l));
    await until('+tilt on both', async () => entered(real) && entered(ours), 5000);
    const tiltLine = async (c: RawClient) => ((await ask(c, 'INFO', 'sentinel')).value as { value: string }).value.split('\r\n').find((l) => l.startsWith('sentinel_tilt:'));
    expect(await tiltLine(oc)).toBe(await tiltLine(rc));
    expect(await tiltLine(oc)).toBe('sentinel_tilt:1');
    const exited = (s: SentinelProc) => s.log().split('\n').some((l) => /^\d+:X .* # -tilt #tilt mode exited$/.test(l));
    await until('-tilt on both', async () => exited(real) && exited(ours), 10_000);
    expect(await tiltLine(oc)).toBe('sentinel_tilt:0');
    await same('SENTINEL', 'DEBUG', 'tilt-period', '30000');
  });
});
