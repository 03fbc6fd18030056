/** `cluster_info(address)` over the real simulation: CLUSTER INFO fields as a typed record. */
import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../../src/lessons/check';
import { parseSingleCheck } from '../../src/lessons/check/parser';
import { typecheckCheck } from '../../src/lessons/check/typecheck';
import { simWorldFactory } from '../../src/lessons/sim-adapter';
import type { HostSpec, WorldDriver, WorldSpec } from '../../src/lessons/world-view';

const CLUSTER_CONF = 'port 7000\ncluster-enabled yes\ncluster-node-timeout 1000\nprotected-mode no\nsave ""\ndir /var/redis\n';
const PLAIN_CONF = 'port 6379\nprotected-mode no\nsave ""\ndir /var/redis\n';

function host(name: string, ip: string, conf: string): HostSpec {
  return { name, ips: [ip], disk: 'ssd', files: { '/etc/redis.conf': conf }, dirs: ['/var/redis'], boot: ['redis-server /etc/redis.conf'] };
}

const SPEC: WorldSpec = {
  hosts: [host('node1', '10.0.0.1', CLUSTER_CONF), host('node2', '10.0.0.2', CLUSTER_CONF), host('plain', '10.0.0.3', PLAIN_CONF)],
  network: { latencyMs: null, bandwidthBytesPerSec: null },
  faults: [],
  loadgen: null,
};

function compile(text: string) {
  const { check, errors } = parseSingleCheck(text);
  expect(errors).toEqual([]);
  return check!;
}

function typeErrors(text: string): string[] {
  return typecheckCheck(compile(text), { hosts: SPEC.hosts.map((h) => ({ name: h.name, ips: h.ips })), hasLoadgen: false }).map((e) => e.message);
}

const truth = (d: WorldDriver, text: string) => {
  expect(typeErrors(text)).toEqual([]);
  return evaluateCheck(compile(text), { view: d.view, stepStartMs: 0 });
};

describe('cluster_info(address)', () => {
  it('is typed: cluster_state is "ok" or "fail", counters are numbers, misspelt fields are errors', () => {
    expect(typeErrors('cluster_info("node1:7000").cluster_state == "ok"')).toEqual([]);
    expect(typeErrors('cluster_info("node1:7000").cluster_known_nodes >= 6')).toEqual([]);
    expect(typeErrors('cluster_info("node1:7000").cluster_state == "down"').join()).toMatch(/"down"/);
    expect(typeErrors('cluster_info("node1:7000").cluster_known_node == 6').join()).toMatch(/cluster_known_nodes/);
    expect(typeErrors('cluster_info("node1:7000").cluster_size == "3"').length).toBeGreaterThan(0);
  });

  it('reads CLUSTER INFO of a running node, follows it as the cluster forms, and is unknown off cluster mode', async () => {
    const d = await simWorldFactory(SPEC, 7);
    try {
      expect(await d.waitUntil(() => d.view.redis('node2', 7000) !== null && d.view.redis('plain', 6379) !== null, 5000)).toBe(true);
      expect(truth(d, 'cluster_info("node1:7000").cluster_known_nodes == 1').truth).toBe(true);
      expect(truth(d, 'cluster_info("node1:7000").cluster_state == "fail"').truth).toBe(true);
      expect(truth(d, 'cluster_info("node1:7000").cluster_slots_assigned == 0').truth).toBe(true);

      await d.type('node1', 'redis-cli -p 7000 CLUSTER MEET 10.0.0.2 7000', 5000);
      await d.type('node1', 'redis-cli -p 7000 CLUSTER ADDSLOTSRANGE 0 8191', 5000);
      await d.type('node2', 'redis-cli -p 7000 CLUSTER ADDSLOTSRANGE 8192 16383', 5000);
      const ok = compile('cluster_info("node2:7000").cluster_state == "ok" and cluster_info("node2:7000").cluster_known_nodes == 2');
      expect(await d.waitUntil(() => evaluateCheck(ok, { view: d.view, stepStartMs: 0 }).truth === true, 10_000)).toBe(true);
      expect(truth(d, 'cluster_info("node1:7000").cluster_size == 2').truth).toBe(true);
      expect(truth(d, 'cluster_info("node1:7000").cluster_stats_messages_meet_sent >= 1').truth).toBe(true);

      const plain = truth(d, 'cluster_info("plain:6379").cluster_state == "ok"');
      expect(plain.truth).toBe('unknown');
      expect(JSON.stringify(plain)).toContain('not in cluster mode');
      await d.type('node2', 'redis-cli -p 7000 SHUTDOWN NOSAVE', 5000);
      expect(truth(d, 'cluster_info("node2:7000").cluster_state == "ok"').truth).toBe('unknown');
    } finally {
      d.dispose();
    }
  }, 30_000);
});
